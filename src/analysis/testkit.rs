//! Test-only builder of [`Program`] values, so analysis tests need no files.
//!
//! Ids are resolved at [`Kit::build`]: items and teams are sorted by id like
//! the resolver does, and every item's `loc` is `line = 1 + insertion index`
//! of a file named after its kind, so tests can check where errors point.

use std::sync::Arc;

use jiff::civil::Date;

use super::{Plan, Snapshot, analyze, plan, state_as_of, states};
use crate::content::yaml::Pos;
use crate::diagnostics::Diagnostics;
use crate::model::*;

pub fn d(y: i16, m: i8, day: i8) -> Date {
    jiff::civil::date(y, m, day)
}

pub fn loc(file: &str, line: u32) -> Loc {
    Loc {
        file: Arc::from(file),
        pos: Pos { line, col: 1 },
    }
}

/// One update of a report, built with chained setters.
#[derive(Clone, Debug, Default)]
pub struct Upd {
    pub status: Option<Status>,
    pub progress: Option<u8>,
    pub forecast: Option<Date>,
    pub note: Option<String>,
}

pub fn upd() -> Upd {
    Upd::default()
}

impl Upd {
    pub fn status(mut self, s: Status) -> Upd {
        self.status = Some(s);
        self
    }
    pub fn progress(mut self, p: u8) -> Upd {
        self.progress = Some(p);
        self
    }
    pub fn forecast(mut self, f: Date) -> Upd {
        self.forecast = Some(f);
        self
    }
    pub fn note(mut self, n: &str) -> Upd {
        self.note = Some(n.to_string());
        self
    }
}

struct ItemDraft {
    id: String,
    kind: ItemKind,
    owner: Option<String>,
    deps: Vec<String>,
    plan: PlanSpec,
}

/// A dependency review row: from, to, provider_on_track, contract_changed, note.
type ReviewDraft = (String, String, Option<bool>, Option<bool>, String);

struct ReportDraft {
    date: Date,
    status: Rag,
    updates: Vec<(String, Upd)>,
    reviews: Vec<ReviewDraft>,
    draft: bool,
}

struct DecisionDraft {
    id: String,
    status: DecisionStatus,
    needed_by: Option<Date>,
}

/// A program under construction.
pub struct Kit {
    start: Date,
    end: Date,
    calendar: Calendar,
    holidays: Vec<Date>,
    cadence: Cadence,
    teams: Vec<String>,
    items: Vec<ItemDraft>,
    reports: Vec<ReportDraft>,
    decisions: Vec<DecisionDraft>,
}

impl Kit {
    /// A Mon-Fri program without holidays, teams, items or reports, and a
    /// 2-week cadence without a first date (so no scheduled reports).
    pub fn new(start: Date, end: Date) -> Kit {
        Kit {
            start,
            end,
            calendar: Calendar::default(),
            holidays: Vec::new(),
            cadence: Cadence {
                days: 14,
                text: "2w".into(),
                first: None,
            },
            teams: Vec::new(),
            items: Vec::new(),
            reports: Vec::new(),
            decisions: Vec::new(),
        }
    }

    pub fn holidays(mut self, holidays: &[Date]) -> Kit {
        self.calendar = Calendar::new(self.calendar.workdays(), holidays.iter().copied());
        self.holidays = holidays.to_vec();
        self
    }

    /// Every day is a working day (`workdays: all`).
    pub fn all_days(mut self) -> Kit {
        self.calendar = Calendar::new([true; 7], self.holidays.iter().copied());
        self
    }

    pub fn cadence(mut self, days: i64, first: Date) -> Kit {
        self.cadence = Cadence {
            days,
            text: format!("{days}d"),
            first: Some(first),
        };
        self
    }

    pub fn teams(mut self, ids: &[&str]) -> Kit {
        self.teams.extend(ids.iter().map(|s| s.to_string()));
        self
    }

    /// A deliverable with any combination of start, due and duration.
    pub fn deliverable(
        mut self,
        id: &str,
        owner: &str,
        deps: &[&str],
        start: Option<Date>,
        due: Option<Date>,
        duration: Option<i64>,
    ) -> Kit {
        self.items.push(ItemDraft {
            id: id.into(),
            kind: ItemKind::Deliverable,
            owner: Some(owner.into()),
            deps: deps.iter().map(|s| s.to_string()).collect(),
            plan: PlanSpec::Deliverable {
                start,
                due,
                duration,
            },
        });
        self
    }

    /// A deliverable with only a duration (derived start).
    pub fn dur(self, id: &str, owner: &str, deps: &[&str], duration: i64) -> Kit {
        self.deliverable(id, owner, deps, None, None, Some(duration))
    }

    pub fn milestone(mut self, id: &str, date: Option<Date>, deps: &[&str]) -> Kit {
        self.items.push(ItemDraft {
            id: id.into(),
            kind: ItemKind::Milestone,
            owner: None,
            deps: deps.iter().map(|s| s.to_string()).collect(),
            plan: PlanSpec::Milestone { date },
        });
        self
    }

    pub fn report(mut self, date: Date, updates: Vec<(&str, Upd)>) -> Kit {
        self.reports.push(ReportDraft {
            date,
            status: Rag::Green,
            updates: updates
                .into_iter()
                .map(|(id, u)| (id.to_string(), u))
                .collect(),
            reviews: Vec::new(),
            draft: false,
        });
        self
    }

    /// Marks the last report a draft.
    pub fn draft(mut self) -> Kit {
        self.reports.last_mut().expect("a report").draft = true;
        self
    }

    pub fn rag(mut self, status: Rag) -> Kit {
        self.reports.last_mut().expect("a report").status = status;
        self
    }

    /// Adds a dependency review row to the last report.
    pub fn review(
        mut self,
        from: &str,
        to: &str,
        provider_on_track: Option<bool>,
        contract_changed: Option<bool>,
        note: &str,
    ) -> Kit {
        self.reports.last_mut().expect("a report").reviews.push((
            from.into(),
            to.into(),
            provider_on_track,
            contract_changed,
            note.into(),
        ));
        self
    }

    pub fn decision(mut self, id: &str, status: DecisionStatus, needed_by: Option<Date>) -> Kit {
        self.decisions.push(DecisionDraft {
            id: id.into(),
            status,
            needed_by,
        });
        self
    }

    pub fn build(self) -> Program {
        let mut team_ids = self.teams.clone();
        team_ids.sort();
        team_ids.dedup();
        let team_ix = |id: &str| {
            team_ids
                .binary_search_by(|t| t.as_str().cmp(id))
                .expect("known team")
        };

        let mut drafts: Vec<(usize, ItemDraft)> = self.items.into_iter().enumerate().collect();
        drafts.sort_by(|a, b| a.1.id.cmp(&b.1.id));
        let ids: Vec<String> = drafts.iter().map(|(_, i)| i.id.clone()).collect();
        let item_ix = |id: &str| {
            ids.binary_search_by(|t| t.as_str().cmp(id))
                .unwrap_or_else(|_| panic!("unknown item {id}"))
        };
        let items: Vec<Item> = drafts
            .iter()
            .map(|(line, draft)| {
                let file = match draft.kind {
                    ItemKind::Deliverable => "deliverables/test.yaml",
                    ItemKind::Milestone => "milestones.yaml",
                };
                // A dependency is an id, or `id:LABEL` with a link label (`api:SS+3d`).
                let mut deps: Vec<(ItemIx, Link)> = draft
                    .deps
                    .iter()
                    .map(|p| match p.split_once(':') {
                        Some((id, label)) => {
                            (item_ix(id), Link::parse_label(label).expect("a link label"))
                        }
                        None => (item_ix(p), Link::default()),
                    })
                    .collect();
                let depends_on_locs = deps
                    .iter()
                    .map(|&(p, _)| (p, loc(file, *line as u32 + 1)))
                    .collect();
                deps.sort_unstable_by_key(|&(p, _)| p);
                deps.dedup_by_key(|&mut (p, _)| p);
                let depends_on: Vec<ItemIx> = deps.iter().map(|&(p, _)| p).collect();
                let links: Vec<Link> = deps.iter().map(|&(_, l)| l).collect();
                Item {
                    id: draft.id.clone(),
                    kind: draft.kind,
                    name: format!("Item {}", draft.id),
                    owner: draft.owner.as_deref().map(team_ix),
                    depends_on,
                    links,
                    depends_on_locs,
                    plan: draft.plan,
                    contract: None,
                    description: String::new(),
                    loc: loc(file, *line as u32 + 1),
                }
            })
            .collect();

        let mut reports: Vec<Report> = self
            .reports
            .into_iter()
            .map(|r| {
                let file = format!("reports/{}.md", r.date);
                let mut updates: Vec<Update> = r
                    .updates
                    .into_iter()
                    .map(|(id, u)| Update {
                        item: item_ix(&id),
                        status: u.status,
                        progress: u.progress,
                        forecast: u.forecast,
                        note: u.note,
                        loc: loc(&file, 2),
                    })
                    .collect();
                updates.sort_by_key(|u| u.item);
                Report {
                    date: r.date,
                    status: r.status,
                    summary: String::new(),
                    updates,
                    risk_updates: Vec::new(),
                    commit: None,
                    dependencies: r
                        .reviews
                        .into_iter()
                        .map(|(from, to, on_track, changed, note)| DependencyReview {
                            from: item_ix(&from),
                            to: item_ix(&to),
                            provider_on_track: on_track,
                            contract_changed: changed,
                            consumer_ready: None,
                            note,
                            loc: loc(&file, 3),
                        })
                        .collect(),
                    decisions: Vec::new(),
                    draft: r.draft,
                    body: String::new(),
                    body_line: 5,
                    loc: loc(&file, 1),
                }
            })
            .collect();
        reports.sort_by_key(|r| r.date);

        let mut decisions: Vec<Decision> = self
            .decisions
            .into_iter()
            .map(|x| Decision {
                title: format!("Decide {}", x.id),
                id: x.id,
                risk: None,
                options: Vec::new(),
                recommendation: String::new(),
                decider: "VP".into(),
                needed_by: x.needed_by,
                status: x.status,
                outcome: String::new(),
                decided_on: None,
                loc: loc("decisions.yaml", 1),
            })
            .collect();
        decisions.sort_by(|a, b| a.id.cmp(&b.id));

        let cal = self.calendar;
        let start = cal.date(cal.on_or_after(self.start));
        let end = cal.date(cal.on_or_before(self.end));
        Program {
            meta: Meta {
                name: "Test program".into(),
                objective: "Ship it".into(),
                success_criteria: Vec::new(),
                start,
                end,
                calendar: cal,
                holidays: self.holidays,
                cadence: self.cadence,
                communication: Vec::new(),
                key_risks: Vec::new(),
                site: SiteSettings {
                    title: "Test program".into(),
                    base_url: None,
                    theme: "default".into(),
                    cname: None,
                },
                loc: loc("program.yaml", 1),
            },
            teams: team_ids
                .iter()
                .map(|id| Team {
                    id: id.clone(),
                    name: format!("Team {id}"),
                    lead: "Lead".into(),
                    color: "#3b82f6".into(),
                    loc: loc("teams.yaml", 1),
                })
                .collect(),
            items,
            risks: Vec::new(),
            decisions,
            reports,
            pages: Vec::new(),
            stakeholders: Vec::new(),
        }
    }
}

/// The index of item `id`.
pub fn ix(p: &Program, id: &str) -> ItemIx {
    p.item_index(id).unwrap_or_else(|| panic!("no item {id}"))
}

/// The ids of a list of item indices.
pub fn ids(p: &Program, list: &[ItemIx]) -> Vec<String> {
    list.iter().map(|&i| p.items[i].id.clone()).collect()
}

/// The plan, asserting it has no diagnostics.
pub fn plan_ok(p: &Program) -> Plan {
    let mut diags = Diagnostics::new();
    let out = plan(p, &mut diags).expect("no cycle");
    assert!(
        diags.is_empty(),
        "unexpected diagnostics: {:?}",
        diags.iter().collect::<Vec<_>>()
    );
    out
}

/// The plan and the snapshot as of the newest report (the program start
/// when there are none).
pub fn run(p: &Program) -> (Plan, Snapshot) {
    let plan = plan_ok(p);
    let state = states(p)
        .pop()
        .unwrap_or_else(|| state_as_of(p, p.meta.start));
    let snap = analyze(p, &plan, &state);
    (plan, snap)
}
