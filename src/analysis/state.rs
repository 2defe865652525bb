//! The state of every item as of a report: the merged report updates.
//!
//! Updates are patches: each field given replaces the same field of earlier
//! updates of that item, a field not given keeps its earlier value, and items
//! without any update are `not_started` with progress 0. Extension: an item
//! whose merged status is `done` while no report ever gave it a progress has
//! progress 100.
//!
//! The risk register is merged the same way from the reports' `risks` patches
//! (see [`super::register`]).
//!
//! [`states`] walks the reports once, applying each report's updates to the
//! running state (O(updates) per report plus one copy of the state per report).

use jiff::civil::Date;

use super::register::RiskState;
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
    let mut merge = Merge::new(program);
    for report in &program.reports[..included] {
        merge.apply(report);
    }
    merge.state(date, included.checked_sub(1))
}

/// The program as planned, before any report, as of its start: every item
/// not started, the risk register as `risks.yaml` gives it.
pub fn plan_state(program: &Program) -> State {
    Merge::new(program).state(program.meta.start, None)
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
            merge: Merge::new(program),
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
    /// The risk register with the patches so far (`in_register` says whether
    /// a report patched the risk; [`Merge::state`] adds the `raised` dates).
    risks: Vec<RiskState>,
    /// The `raised` date of each risk.
    raised: Vec<Option<Date>>,
    /// Per decision: named by a report so far.
    escalated: Vec<bool>,
}

impl Merge {
    fn new(program: &Program) -> Merge {
        let n = program.items.len();
        Merge {
            items: vec![ItemState::default(); n],
            progress_given: vec![false; n],
            risks: program.risks.iter().map(RiskState::assessed).collect(),
            raised: program.risks.iter().map(|r| r.raised).collect(),
            escalated: vec![false; program.decisions.len()],
        }
    }

    fn apply(&mut self, report: &Report) {
        for &d in &report.decisions {
            if let Some(e) = self.escalated.get_mut(d) {
                *e = true;
            }
        }
        for u in &report.risk_updates {
            self.risks[u.risk].apply(u);
        }
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
                item.note = Some(std::sync::Arc::new(note.clone()));
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
        let risks = self
            .risks
            .iter()
            .zip(&self.raised)
            .map(|(r, raised)| RiskState {
                in_register: r.in_register || raised.is_none_or(|d| d <= as_of),
                ..r.clone()
            })
            .collect();
        State {
            as_of,
            report,
            items,
            risks: std::sync::Arc::new(risks),
            escalated: self.escalated.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::testkit::*;

    fn program() -> Program {
        Kit::new(d(2027, 1, 4), d(2027, 6, 30))
            .teams(&["t"])
            .dur("a", "t", &[], 10)
            .dur("b", "t", &[], 10)
            .dur("c", "t", &[], 10)
            .dur("e", "t", &[], 10)
            .report(
                d(2027, 1, 15),
                vec![
                    (
                        "a",
                        upd()
                            .status(Status::OnTrack)
                            .progress(10)
                            .forecast(d(2027, 2, 5))
                            .note("first"),
                    ),
                    ("e", upd().progress(80)),
                ],
            )
            .report(
                d(2027, 1, 29),
                vec![("a", upd().progress(50)), ("b", upd().status(Status::Done))],
            )
            .report(
                d(2027, 2, 12),
                vec![
                    ("a", upd().forecast(d(2027, 2, 19))),
                    ("c", upd().status(Status::Done).progress(70)),
                    ("e", upd().status(Status::Done)),
                ],
            )
            .build()
    }

    #[test]
    fn updates_are_patches_merged_report_by_report() {
        let p = program();
        let all = states(&p);
        assert_eq!(all.len(), 3);
        let (a, b, c, e) = (ix(&p, "a"), ix(&p, "b"), ix(&p, "c"), ix(&p, "e"));

        let s0 = &all[0];
        assert_eq!((s0.as_of, s0.report), (d(2027, 1, 15), Some(0)));
        assert_eq!(
            s0.items[a],
            ItemState {
                status: Status::OnTrack,
                progress: 10,
                forecast: Some(d(2027, 2, 5)),
                note: Some(std::sync::Arc::new("first".into())),
                updated: Some(d(2027, 1, 15)),
            }
        );
        assert_eq!(
            s0.items[b],
            ItemState::default(),
            "no update: not started, 0%"
        );
        // A progress without a status keeps the default status.
        assert_eq!(
            (s0.items[e].status, s0.items[e].progress),
            (Status::NotStarted, 80)
        );

        let s1 = &all[1];
        // Only the progress changes; status, forecast and note stand.
        assert_eq!(
            s1.items[a],
            ItemState {
                status: Status::OnTrack,
                progress: 50,
                forecast: Some(d(2027, 2, 5)),
                note: Some(std::sync::Arc::new("first".into())),
                updated: Some(d(2027, 1, 29)),
            }
        );
        // Done without any progress ever given: 100%.
        assert_eq!(
            (s1.items[b].status, s1.items[b].progress),
            (Status::Done, 100)
        );
        assert_eq!(s1.items[c], ItemState::default());

        let s2 = &all[2];
        assert_eq!(s2.items[a].forecast, Some(d(2027, 2, 19)));
        assert_eq!(s2.items[a].progress, 50);
        assert_eq!(s2.items[a].updated, Some(d(2027, 2, 12)));
        assert_eq!(s2.items[b].updated, Some(d(2027, 1, 29)));
        // Done with a progress given in the same or an earlier report keeps it.
        assert_eq!(
            (s2.items[c].status, s2.items[c].progress),
            (Status::Done, 70)
        );
        assert_eq!(
            (s2.items[e].status, s2.items[e].progress),
            (Status::Done, 80)
        );
    }

    #[test]
    fn incremental_states_equal_state_as_of_every_report() {
        let p = program();
        let all = states(&p);
        for (k, s) in all.iter().enumerate() {
            assert_eq!(&state_as_of(&p, p.reports[k].date), s, "report {k}");
        }
        assert_eq!(StateIter::new(&p).len(), 3);
        assert_eq!(StateIter::new(&p).collect::<Vec<_>>(), all);
    }

    #[test]
    fn state_as_of_a_date_merges_the_reports_on_or_before_it() {
        let p = program();
        let before = state_as_of(&p, d(2027, 1, 14));
        assert_eq!(before.report, None);
        assert_eq!(before.as_of, d(2027, 1, 14));
        assert!(before.items.iter().all(|s| *s == ItemState::default()));

        let between = state_as_of(&p, d(2027, 2, 1));
        assert_eq!(between.report, Some(1));
        assert_eq!(between.as_of, d(2027, 2, 1));
        assert_eq!(between.items, states(&p)[1].items);

        let after = state_as_of(&p, d(2027, 12, 31));
        assert_eq!(after.report, Some(2));
    }
}
