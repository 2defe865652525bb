//! The state of every item as of a report: the merged report updates.
//!
//! Updates are patches: each field given replaces the same field of earlier
//! updates of that item, a field not given keeps its earlier value, and items
//! without any update are `not_started` with progress 0. Extension: an item
//! whose merged status is `done` while no report ever gave it a progress has
//! progress 100.
//!
//! [`states`] walks the reports once, applying each report's updates to the
//! running state (O(updates) per report plus one copy of the state per report).

use jiff::civil::Date;

use super::{ItemState, State};
use crate::model::{Program, Report, Status};

/// The state as of every entry of `program.reports`, in order: element `k` is
/// the merge of reports `0..=k`, with `as_of` = the date of report `k`.
pub fn states(program: &Program) -> Vec<State> {
    StateIter::new(program).collect()
}

/// The merge of every report dated on or before `date` (drafts too, when
/// `program.reports` holds them), as of `date`.
pub fn state_as_of(program: &Program, date: Date) -> State {
    let included = program.reports.partition_point(|r| r.date <= date);
    let mut merge = Merge::new(program.items.len());
    for report in &program.reports[..included] {
        merge.apply(report);
    }
    merge.state(date, included.checked_sub(1))
}

/// The states of [`states`], one at a time, so a caller that analyses and
/// drops each one holds a single copy of the items' state.
#[derive(Clone, Debug)]
pub struct StateIter<'a> {
    program: &'a Program,
    next: usize,
    merge: Merge,
}

impl<'a> StateIter<'a> {
    pub fn new(program: &'a Program) -> StateIter<'a> {
        StateIter {
            program,
            next: 0,
            merge: Merge::new(program.items.len()),
        }
    }
}

impl Iterator for StateIter<'_> {
    type Item = State;

    fn next(&mut self) -> Option<State> {
        let k = self.next;
        let report = self.program.reports.get(k)?;
        self.next += 1;
        self.merge.apply(report);
        Some(self.merge.state(report.date, Some(k)))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.program.reports.len() - self.next;
        (left, Some(left))
    }
}

impl ExactSizeIterator for StateIter<'_> {}

/// The running merge of report updates.
#[derive(Clone, Debug)]
struct Merge {
    items: Vec<ItemState>,
    /// Whether any report gave the item a progress.
    progress_given: Vec<bool>,
}

impl Merge {
    fn new(n: usize) -> Merge {
        Merge {
            items: vec![ItemState::default(); n],
            progress_given: vec![false; n],
        }
    }

    fn apply(&mut self, report: &Report) {
        for u in &report.updates {
            let item = &mut self.items[u.item];
            if let Some(status) = u.status {
                item.status = status;
            }
            if let Some(progress) = u.progress {
                item.progress = progress;
                self.progress_given[u.item] = true;
            }
            if let Some(forecast) = u.forecast {
                item.forecast = Some(forecast);
            }
            if let Some(note) = &u.note {
                item.note = Some(note.clone());
            }
            item.updated = Some(report.date);
        }
    }

    fn state(&self, as_of: Date, report: Option<usize>) -> State {
        let items = self
            .items
            .iter()
            .zip(&self.progress_given)
            .map(|(item, &given)| {
                let mut item = item.clone();
                if item.status == Status::Done && !given {
                    item.progress = 100;
                }
                item
            })
            .collect();
        State { as_of, report, items }
    }
}
