//! The director's read of a snapshot: why the end date is where it is (the
//! driving chain, each link with its team and own delay), how the critical
//! path changed since the previous report, whose delays moved the end since
//! the plan (slip attribution), and the decisions owed. Facts only: the
//! wording is render's.
//!
//! Everything here stands on the schedule's *driving* facts: the provider
//! that pushed each item ([`ItemSchedule::pushed_by`](super::ItemSchedule::pushed_by))
//! and each item's own delay ([`Snapshot::own_delays`]), both set by the
//! forward pass. A new kind of link or a lag changes who pushes whom and by
//! how much there, and this module follows without change.
//!
//! **Slip attribution** is a windows analysis (AACE RP 29R-03): the end's
//! move from the plan's own end (the schedule with no updates,
//! [`super::plan_state`]) is split report period by report period. A period
//! in which the forecast end moved later by `Δ` working days charges `Δ` to
//! the items on the chain that now drives the end whose own delay grew in the
//! period, nearest the end first, each at most by its growth; a period in
//! which the end moved earlier credits the items on the chain that drove it
//! before whose own delay shrank, the same way. A slip off that chain is
//! charged nothing (it moved no end date); what the chain's own delays do not
//! explain stays unattributed, so the charges and the unattributed part always add up to
//! the end's move. (With own delays measured against the providers' push,
//! done items included, the chain's own delays explain every move; the
//! unattributed part is a guard that the sums stay honest.) Each period costs O(chain length + items charged so far);
//! never a pass over earlier reports.
//!
//! The module does no IO and never renders.

use std::sync::Arc;

use jiff::civil::Date;
use serde::Serialize;

use super::Snapshot;
use super::schedule::Passes;
use crate::model::{ItemIx, Program, TeamIx};

/// One link of the driving chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ChainLink {
    pub item: ItemIx,
    /// The owning team (`None` for milestones).
    pub team: Option<TeamIx>,
    pub forecast_finish: Date,
    /// Working days the forecast finish is later than planned.
    pub slip: i64,
    /// Working days it finishes after the date its providers pushed it to.
    pub own_delay: i64,
}

/// The critical path now and at the previous report, and the float to the
/// committed end (working days, negative: late) before and after.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PathDelta {
    pub now: Vec<ItemIx>,
    pub was: Vec<ItemIx>,
    pub changed: bool,
    /// On the path now and not before, by index.
    pub joined: Vec<ItemIx>,
    /// On the path before and not now, by index.
    pub left: Vec<ItemIx>,
    pub float_before: i64,
    pub float_after: i64,
}

/// Working days of the end's move charged to one item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Charge {
    pub item: ItemIx,
    pub team: Option<TeamIx>,
    pub days: i64,
}

/// Working days of the end's move charged to one team (`None`: items no
/// team owns, i.e. milestones).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TeamCharge {
    pub team: Option<TeamIx>,
    pub days: i64,
}

/// The end's move from the plan's own end, charged to items and teams.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Attribution {
    /// The forecast end of the schedule with no updates.
    pub plan_end: Date,
    /// Working days from `plan_end` to the forecast end (negative: earlier).
    /// Always the sum of every charge and `unattributed`.
    pub total: i64,
    /// Working days the end moved in this report's period.
    pub period: i64,
    /// This period's charges, by item index.
    pub period_charges: Vec<Charge>,
    /// Every period's charges so far, summed per item (zero sums left
    /// out), by item index.
    pub by_item: Vec<Charge>,
    /// The same summed per team, largest first (then by team index, teams
    /// before milestones).
    pub by_team: Vec<TeamCharge>,
    /// The part of `total` the driving chains' own delays do not explain.
    pub unattributed: i64,
}

/// A decision on the table and not decided, as of the snapshot.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OwedDecision {
    /// Index into `Program::decisions`.
    pub decision: usize,
    pub needed_by: Option<Date>,
    pub overdue: bool,
    /// Calendar days past `needed_by` (0 unless overdue).
    pub days_overdue: i64,
}

/// The director's read of one snapshot against the previous report's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Story {
    /// The forecast end of the previous report (the plan's, for the first).
    pub previous_end: Date,
    pub end: Date,
    /// Working days the forecast end moved since then (positive: later).
    pub end_moved: i64,
    /// The driving chain, end first ([`Snapshot::driving_chain`]).
    pub chain: Vec<ChainLink>,
    pub path: PathDelta,
    pub attribution: Attribution,
    /// Overdue first (most days first), then by needed-by date, then index.
    pub decisions: Vec<OwedDecision>,
}

/// The chain that sets the forecast end, end first: the last item of the
/// critical path when it finishes on the forecast end (else the first item
/// that does), then each one's driving provider.
pub(super) fn driving_chain(critical_path: &[ItemIx], passes: &Passes) -> Vec<ItemIx> {
    let ff = &passes.forecast_finish;
    let end = critical_path
        .last()
        .copied()
        .filter(|&i| ff[i] == passes.forecast_end)
        .or_else(|| (0..ff.len()).find(|&i| ff[i] == passes.forecast_end));
    let mut chain = Vec::new();
    let mut cur = end;
    while let Some(i) = cur {
        chain.push(i);
        // Pushers come earlier in dependency order, so this ends; the bound
        // only guards against a malformed input.
        cur = passes.drove[i].filter(|_| chain.len() <= ff.len());
    }
    chain
}

/// An item's own delay in `snap` (working days).
pub fn own_delay(snap: &Snapshot, item: ItemIx) -> i64 {
    snap.own_delays
        .binary_search_by_key(&item, |&(i, _)| i)
        .map_or(0, |k| i64::from(snap.own_delays[k].1))
}

/// The story of `cur` against `prev` (the previous report's snapshot, or the
/// plan's for the first report); `before` is `prev`'s attribution (`None`
/// when `prev` is the plan) and `plan_end` the plan's forecast end.
pub fn tell(
    program: &Program,
    plan_end: Date,
    prev: &Snapshot,
    before: Option<&Attribution>,
    cur: &Snapshot,
) -> Story {
    let cal = &program.meta.calendar;
    let wd = |d: Date| cal.on_or_before(d);
    let team = |i: ItemIx| program.items.get(i).and_then(|it| it.owner);
    let end_moved = wd(cur.forecast_end) - wd(prev.forecast_end);

    let chain = cur
        .driving_chain
        .iter()
        .map(|&i| {
            let s = &cur.items[i];
            ChainLink {
                item: i,
                team: team(i),
                forecast_finish: s.forecast_finish,
                slip: s.slip.into(),
                own_delay: own_delay(cur, i),
            }
        })
        .collect();

    // This period's charges: later, to the growth of own delays on the
    // chain that drives the end now; earlier, to the shrinking on the chain
    // that drove it before. Nearest the end first.
    let mut left = end_moved;
    let mut period_charges = Vec::new();
    let walk = if end_moved >= 0 {
        &cur.driving_chain
    } else {
        &prev.driving_chain
    };
    for &i in walk {
        if left == 0 {
            break;
        }
        let change = own_delay(cur, i) - own_delay(prev, i);
        let take = if left > 0 {
            change.clamp(0, left)
        } else {
            change.clamp(left, 0)
        };
        if take != 0 {
            period_charges.push(Charge {
                item: i,
                team: team(i),
                days: take,
            });
            left -= take;
        }
    }
    period_charges.sort_by_key(|c| c.item);

    let by_item = merge_charges(before.map_or(&[][..], |b| &b.by_item), &period_charges);
    let mut by_team: Vec<TeamCharge> = Vec::new();
    {
        let mut sums: std::collections::BTreeMap<(bool, TeamIx), i64> = Default::default();
        for c in &by_item {
            *sums
                .entry((c.team.is_none(), c.team.unwrap_or(0)))
                .or_default() += c.days;
        }
        for ((none, t), days) in sums {
            if days != 0 {
                by_team.push(TeamCharge {
                    team: (!none).then_some(t),
                    days,
                });
            }
        }
        by_team.sort_by_key(|c| std::cmp::Reverse(c.days));
    }
    let attribution = Attribution {
        plan_end,
        total: wd(cur.forecast_end) - wd(plan_end),
        period: end_moved,
        period_charges,
        by_item,
        by_team,
        unattributed: before.map_or(0, |b| b.unattributed) + left,
    };

    let mut decisions: Vec<OwedDecision> = cur
        .decisions
        .iter()
        .enumerate()
        .filter(|(_, f)| f.is_open())
        .map(|(k, f)| OwedDecision {
            decision: k,
            needed_by: program.decisions.get(k).and_then(|d| d.needed_by),
            overdue: f.is_overdue(),
            days_overdue: f.days_overdue,
        })
        .collect();
    decisions.sort_by_key(|d| {
        (
            !d.overdue,
            std::cmp::Reverse(d.days_overdue),
            d.needed_by.is_none(),
            d.needed_by,
            d.decision,
        )
    });

    Story {
        previous_end: prev.forecast_end,
        end: cur.forecast_end,
        end_moved,
        chain,
        path: PathDelta {
            joined: sorted_minus(&cur.critical_path, &prev.critical_path),
            left: sorted_minus(&prev.critical_path, &cur.critical_path),
            now: cur.critical_path.clone(),
            was: prev.critical_path.clone(),
            changed: cur.critical_path != prev.critical_path,
            float_before: prev.end_slack,
            float_after: cur.end_slack,
        },
        attribution,
        decisions,
    }
}

/// The items of `a` not in `b`, sorted.
fn sorted_minus(a: &[ItemIx], b: &[ItemIx]) -> Vec<ItemIx> {
    let mut b = b.to_vec();
    b.sort_unstable();
    let mut out: Vec<ItemIx> = a
        .iter()
        .copied()
        .filter(|i| b.binary_search(i).is_err())
        .collect();
    out.sort_unstable();
    out
}

/// Two charge lists sorted by item, summed per item, zero sums left out.
fn merge_charges(a: &[Charge], b: &[Charge]) -> Vec<Charge> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        let c = match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) if x.item == y.item => {
                i += 1;
                j += 1;
                Charge {
                    days: x.days + y.days,
                    ..x.clone()
                }
            }
            (Some(x), y) if y.is_none_or(|y| x.item < y.item) => {
                i += 1;
                x.clone()
            }
            (_, Some(y)) => {
                j += 1;
                y.clone()
            }
            (_, None) => break,
        };
        if c.days != 0 {
            out.push(c);
        }
    }
    out
}

/// Tells the story of every report's snapshot in order, each against the
/// one before (the first against `plan`, the snapshot of the schedule with
/// no updates). One pass: each period reads only its own two snapshots and
/// the running attribution.
pub fn tell_all(program: &Program, plan: &Snapshot, reports: &mut [Snapshot]) {
    for k in 0..reports.len() {
        let (done, rest) = reports.split_at_mut(k);
        let prev = done.last().unwrap_or(plan);
        let before = done
            .last()
            .and_then(|s| s.story.as_deref())
            .map(|s| &s.attribution);
        let story = tell(program, plan.forecast_end, prev, before, &rest[0]);
        rest[0].story = Some(Arc::new(story));
    }
}

/// The story of a snapshot outside the report sequence (an `--as-of` date):
/// against the report before the newest one it includes, with that
/// report's attribution, as [`tell_all`] tells the newest one.
pub fn tell_as_of(program: &Program, plan: &Snapshot, reports: &[Snapshot], cur: &mut Snapshot) {
    let prev = cur
        .report
        .and_then(|r| r.checked_sub(1))
        .and_then(|p| reports.get(p));
    let before = prev
        .and_then(|s| s.story.as_deref())
        .map(|s| &s.attribution);
    let story = tell(
        program,
        plan.forecast_end,
        prev.unwrap_or(plan),
        before,
        cur,
    );
    cur.story = Some(Arc::new(story));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::testkit::*;
    use crate::analysis::{analyze, plan_state, states};
    use crate::model::{DecisionStatus, Status};

    /// Every report's snapshot with its story, and the plan's snapshot.
    fn told(p: &Program) -> (Snapshot, Vec<Snapshot>) {
        let plan = plan_ok(p);
        let base = analyze(p, &plan, &plan_state(p));
        let mut snaps: Vec<Snapshot> = states(p).iter().map(|s| analyze(p, &plan, s)).collect();
        tell_all(p, &base, &mut snaps);
        (base, snaps)
    }

    fn story(s: &Snapshot) -> &Story {
        s.story.as_deref().expect("told")
    }

    fn team_ix(p: &Program, id: &str) -> Option<TeamIx> {
        p.teams.iter().position(|t| t.id == id)
    }

    /// (team id or "-", days) of an attribution by team.
    fn by_team(p: &Program, a: &Attribution) -> Vec<(String, i64)> {
        a.by_team
            .iter()
            .map(|c| {
                let t = c.team.map_or("-".to_string(), |t| p.teams[t].id.clone());
                (t, c.days)
            })
            .collect()
    }

    fn by_item(p: &Program, charges: &[Charge]) -> Vec<(String, i64)> {
        charges
            .iter()
            .map(|c| (p.items[c.item].id.clone(), c.days))
            .collect()
    }

    fn chain_ids(p: &Program, s: &Story) -> Vec<String> {
        s.chain.iter().map(|l| p.items[l.item].id.clone()).collect()
    }

    /// schema (data, 5 days, Jan 4-8) -> api (ident, 5, Jan 11-15) -> sdk
    /// (ident, 5, Jan 18-22) -> launch (milestone, no date): planned end
    /// Fri Jan 22nd. A side item `docs` (ident, 3 days, Jan 4-6) feeds
    /// launch too, with 12 working days of float.
    fn chain_program() -> crate::model::Program {
        Kit::new(d(2027, 1, 4), d(2027, 3, 31))
            .teams(&["data", "ident"])
            .dur("schema", "data", &[], 5)
            .dur("api", "ident", &["schema"], 5)
            .dur("sdk", "ident", &["api"], 5)
            .dur("docs", "ident", &[], 3)
            .milestone("launch", None, &["sdk", "docs"])
            // Period 1: schema forecast 3 working days late (Wed Jan 13th).
            .report(
                d(2027, 1, 6),
                vec![(
                    "schema",
                    upd().status(Status::AtRisk).forecast(d(2027, 1, 13)),
                )],
            )
            // Period 2: the side item slips 5 days, inside its float: the
            // end does not move. sdk adds 2 days of its own on top of the
            // push (pushed finish Wed Jan 27th, forecast Fri Jan 29th).
            .report(
                d(2027, 1, 8),
                vec![
                    ("docs", upd().forecast(d(2027, 1, 13))),
                    ("sdk", upd().forecast(d(2027, 1, 29))),
                ],
            )
            .build()
    }

    #[test]
    fn the_chain_names_the_end_its_drivers_and_their_teams() {
        let p = chain_program();
        let (base, snaps) = told(&p);
        assert_eq!(base.forecast_end, d(2027, 1, 22));
        let s = story(&snaps[1]);
        assert_eq!(chain_ids(&p, s), ["launch", "sdk", "api", "schema"]);
        let teams: Vec<Option<TeamIx>> = s.chain.iter().map(|l| l.team).collect();
        let (data, ident) = (team_ix(&p, "data"), team_ix(&p, "ident"));
        assert_eq!(teams, [None, ident, ident, data]);
        // sdk: pushed 3 days by api, 2 more of its own; schema: 3 of its own.
        let own: Vec<i64> = s.chain.iter().map(|l| l.own_delay).collect();
        assert_eq!(own, [0, 2, 0, 3]);
        let slip: Vec<i64> = s.chain.iter().map(|l| l.slip).collect();
        assert_eq!(slip, [5, 5, 3, 3]);
        assert_eq!(s.end, d(2027, 1, 29));
        assert_eq!(s.previous_end, d(2027, 1, 27));
        assert_eq!(s.end_moved, 2);
    }

    #[test]
    fn two_teams_share_the_slip_and_a_slip_inside_float_is_charged_nothing() {
        let p = chain_program();
        let (_, snaps) = told(&p);
        let (a1, a2) = (&story(&snaps[0]).attribution, &story(&snaps[1]).attribution);
        assert_eq!((a1.period, a1.total), (3, 3));
        assert_eq!(by_item(&p, &a1.period_charges), [("schema".into(), 3)]);
        // docs slipped 5 days but is off the driving chain: nothing.
        assert_eq!((a2.period, a2.total), (2, 5));
        assert_eq!(by_item(&p, &a2.period_charges), [("sdk".into(), 2)]);
        assert_eq!(
            by_item(&p, &a2.by_item),
            [("schema".into(), 3), ("sdk".into(), 2)]
        );
        assert_eq!(by_team(&p, a2), [("data".into(), 3), ("ident".into(), 2)]);
        assert_eq!(a2.unattributed, 0);
    }

    #[test]
    fn a_slip_that_moves_the_chain_off_the_critical_path_is_charged_to_the_new_driver() {
        // Period 1: a (x) slips 4 and drives the end. Period 2: a recovers
        // to 1 day late, while b (y, parallel) slips 6: b overtakes, the
        // end moves +2 and b alone is charged (a is off the chain now).
        // Period 3: b recovers fully: the end falls back to a's 1 day,
        // credited to b (the driver before).
        let p = Kit::new(d(2027, 1, 4), d(2027, 3, 31))
            .teams(&["x", "y"])
            .dur("a", "x", &[], 10)
            .dur("b", "y", &[], 10)
            .milestone("end", None, &["a", "b"])
            .report(d(2027, 1, 6), vec![("a", upd().forecast(d(2027, 1, 21)))])
            .report(
                d(2027, 1, 8),
                vec![
                    ("a", upd().forecast(d(2027, 1, 18))),
                    ("b", upd().forecast(d(2027, 1, 25))),
                ],
            )
            .report(d(2027, 1, 11), vec![("b", upd().forecast(d(2027, 1, 15)))])
            .build();
        let (base, snaps) = told(&p);
        // Planned: both Jan 4-15, end Fri Jan 15th.
        assert_eq!(base.forecast_end, d(2027, 1, 15));
        let s: Vec<&Story> = snaps.iter().map(story).collect();
        assert_eq!(chain_ids(&p, s[0]), ["end", "a"]);
        assert_eq!(
            by_item(&p, &s[0].attribution.period_charges),
            [("a".into(), 4)]
        );
        assert_eq!(chain_ids(&p, s[1]), ["end", "b"]);
        assert_eq!(s[1].end_moved, 2);
        assert_eq!(
            by_item(&p, &s[1].attribution.period_charges),
            [("b".into(), 2)]
        );
        assert_eq!(
            by_team(&p, &s[1].attribution),
            [("x".into(), 4), ("y".into(), 2)]
        );
        assert_eq!(s[2].end_moved, -5);
        assert_eq!(chain_ids(&p, s[2]), ["end", "a"]);
        assert_eq!(
            by_item(&p, &s[2].attribution.period_charges),
            [("b".into(), -5)]
        );
        // a's recovery of 3 days in period 2 moved no end date: it is not
        // credited, so a keeps its 4 and b ends at -3; the 1 day of slip
        // left is a's, and the sums still add up.
        assert_eq!(
            by_team(&p, &s[2].attribution),
            [("x".into(), 4), ("y".into(), -3)]
        );
        assert_eq!(s[2].attribution.total, 1);
        assert_eq!(s[2].attribution.unattributed, 0);
    }

    #[test]
    fn a_driver_done_before_its_push_is_credited_the_gain_and_the_sums_add_up() {
        // b is reported done on its plan although a pushed it 3 days: the
        // end moves back 3, and b's own delay (against the push) is -3.
        let p = Kit::new(d(2027, 1, 4), d(2027, 3, 31))
            .teams(&["x", "y"])
            .dur("a", "x", &[], 5)
            .dur("b", "y", &["a"], 5)
            .report(d(2027, 1, 6), vec![("a", upd().forecast(d(2027, 1, 13)))])
            .report(d(2027, 1, 8), vec![("b", upd().status(Status::Done))])
            .build();
        let (_, snaps) = told(&p);
        for s in &snaps {
            let a = &story(s).attribution;
            let charged: i64 = a.by_item.iter().map(|c| c.days).sum();
            assert_eq!(charged + a.unattributed, a.total);
            let by_team: i64 = a.by_team.iter().map(|c| c.days).sum();
            assert_eq!(by_team, charged);
        }
        let s = story(&snaps[1]);
        // The chain reaches through the done item to its cause.
        assert_eq!(chain_ids(&p, s), ["b", "a"]);
        let a = &s.attribution;
        assert_eq!((a.total, a.period), (0, -3));
        assert_eq!(by_item(&p, &a.by_item), [("a".into(), 3), ("b".into(), -3)]);
        assert_eq!(a.unattributed, 0);
    }

    #[test]
    fn a_milestone_met_on_its_date_after_all_is_credited_its_recovery() {
        let p = Kit::new(d(2027, 1, 4), d(2027, 3, 31))
            .teams(&["x"])
            .dur("a", "x", &[], 5)
            .milestone("m", Some(d(2027, 1, 15)), &["a"])
            .report(d(2027, 1, 6), vec![("m", upd().forecast(d(2027, 1, 20)))])
            .report(
                d(2027, 1, 8),
                vec![("m", upd().status(Status::Done).forecast(d(2027, 1, 15)))],
            )
            .build();
        let (_, snaps) = told(&p);
        let a1 = &story(&snaps[0]).attribution;
        assert_eq!(by_item(&p, &a1.by_item), [("m".into(), 3)]);
        assert_eq!(by_team(&p, a1), [("-".into(), 3)]);
        let a2 = &story(&snaps[1]).attribution;
        assert_eq!((a2.total, a2.period), (0, -3));
        assert_eq!(by_item(&p, &a2.period_charges), [("m".into(), -3)]);
        assert!(a2.by_item.is_empty() && a2.by_team.is_empty());
        assert_eq!(a2.unattributed, 0);
    }

    #[test]
    fn the_path_delta_says_what_the_path_was_and_the_float_before_and_after() {
        let p = Kit::new(d(2027, 1, 4), d(2027, 1, 19))
            .teams(&["x", "y"])
            .dur("a", "x", &[], 10)
            .dur("b", "y", &[], 8)
            .milestone("end", None, &["a", "b"])
            .report(d(2027, 1, 6), vec![("b", upd().forecast(d(2027, 1, 22)))])
            .build();
        let (base, snaps) = told(&p);
        let s = story(&snaps[0]);
        // Planned: a Jan 4-15 drives the end; 2 working days to Tue 19th.
        assert_eq!(ids(&p, &s.path.was), ["a", "end"]);
        assert_eq!(base.end_slack, 2);
        // b now finishes Fri 22nd: 3 days after the committed end.
        assert_eq!(ids(&p, &s.path.now), ["b", "end"]);
        assert!(s.path.changed);
        assert_eq!(ids(&p, &s.path.joined), ["b"]);
        assert_eq!(ids(&p, &s.path.left), ["a"]);
        assert_eq!((s.path.float_before, s.path.float_after), (2, -3));
    }

    #[test]
    fn decisions_owed_put_the_overdue_first_and_count_one_day_overdue() {
        let p = Kit::new(d(2027, 1, 4), d(2027, 3, 31))
            .teams(&["x"])
            .dur("a", "x", &[], 5)
            .decision("later", DecisionStatus::Open, Some(d(2027, 2, 1)))
            .decision("late", DecisionStatus::Open, Some(d(2027, 1, 7)))
            .decision("done", DecisionStatus::Decided, Some(d(2027, 1, 1)))
            .decision("unasked", DecisionStatus::Open, Some(d(2027, 3, 1)))
            .report(d(2027, 1, 8), vec![])
            .build();
        let mut p = p;
        // The report puts "later" in front of stakeholders; "unasked" was
        // never escalated and is not overdue: not owed yet.
        let later = p.decisions.iter().position(|x| x.id == "later").unwrap();
        p.reports[0].decisions = vec![later];
        let (_, snaps) = told(&p);
        let owed: Vec<(String, bool, i64)> = story(&snaps[0])
            .decisions
            .iter()
            .map(|o| {
                (
                    p.decisions[o.decision].id.clone(),
                    o.overdue,
                    o.days_overdue,
                )
            })
            .collect();
        assert_eq!(owed, [("late".into(), true, 1), ("later".into(), false, 0)]);
        assert_eq!(story(&snaps[0]).decisions[1].needed_by, Some(d(2027, 2, 1)));
    }

    #[test]
    fn merging_charges_sums_per_item_and_drops_zeros() {
        let c = |item, days| Charge {
            item,
            team: None,
            days,
        };
        assert_eq!(
            merge_charges(
                &[c(1, 2), c(3, 1), c(5, 4)],
                &[c(0, 1), c(3, -1), c(5, 1), c(9, 2)]
            ),
            [c(0, 1), c(1, 2), c(5, 5), c(9, 2)]
        );
    }
}
