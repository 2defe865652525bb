//! "Since the last report", computed: every kind of change on a fixture
//! report sequence (tests/fixtures/valid/report-sequence), worked out by hand.

mod common;

use tpm_site::analysis::changes::{Changes, Side, changes};
use tpm_site::analysis::register::{DecisionState, decision_state, risks_as_of};
use tpm_site::analysis::{self, Snapshot};
use tpm_site::model::{Program, Status};
use tpm_site::site::Analyzed;

fn ids(p: &Program, list: &[usize]) -> Vec<String> {
    list.iter().map(|&i| p.items[i].id.clone()).collect()
}

fn risk_ids(p: &Program, list: &[usize]) -> Vec<String> {
    list.iter().map(|&i| p.risks[i].id.clone()).collect()
}

fn decision_ids(p: &Program, list: &[usize]) -> Vec<String> {
    list.iter().map(|&i| p.decisions[i].id.clone()).collect()
}

/// Changes from report `k - 1` (or the plan, for k = 0) to report `k`.
fn diff(a: &Analyzed, k: usize) -> Changes {
    let p = &a.program;
    let baseline;
    let (before, upto, escalated): (&Snapshot, usize, &[usize]) = if k == 0 {
        baseline = analysis::analyze(p, &a.plan, &analysis::plan_state(p));
        (&baseline, 0, &[])
    } else {
        (&a.reports[k - 1], k, &p.reports[k - 1].decisions)
    };
    let rb = risks_as_of(p, upto, before.as_of);
    let ra = risks_as_of(p, k + 1, a.reports[k].as_of);
    changes(
        p,
        &Side {
            snap: before,
            risks: &rb,
            escalated,
        },
        &Side {
            snap: &a.reports[k],
            risks: &ra,
            escalated: &p.reports[k].decisions,
        },
    )
}

fn analyzed() -> Analyzed {
    common::analyze(&common::fixture("valid/report-sequence/content"))
}

/// A slip as (item id, working days, cause id and its move).
type SlipLine = (String, i64, Option<(String, i64)>);

fn slips(p: &Program, c: &Changes) -> Vec<SlipLine> {
    c.slips
        .iter()
        .map(|s| {
            (
                p.items[s.item].id.clone(),
                s.days,
                s.cause.map(|(x, d)| (p.items[x].id.clone(), d)),
            )
        })
        .collect()
}

#[test]
fn first_report_against_the_plan_shows_the_slip_and_its_cause() {
    let a = analyzed();
    let p = &a.program;
    let c = diff(&a, 0);
    let s = slips(p, &c);
    assert!(
        s.contains(&("db-schema-migration".into(), 2, None)),
        "{s:?}"
    );
    assert!(
        s.contains(&(
            "auth-api-v2".into(),
            2,
            Some(("db-schema-migration".into(), 2))
        )),
        "{s:?}"
    );
    let flips: Vec<(String, Status, Status)> = c
        .status_flips
        .iter()
        .map(|f| (p.items[f.item].id.clone(), f.from, f.to))
        .collect();
    assert_eq!(
        flips,
        [
            (
                "auth-api-v2".to_string(),
                Status::NotStarted,
                Status::OnTrack
            ),
            (
                "db-schema-migration".to_string(),
                Status::NotStarted,
                Status::Done
            )
        ]
    );
    assert_eq!(decision_ids(p, &c.decisions_escalated), ["d-made"]);
}

#[test]
fn second_report_flips_slips_risks_and_decisions() {
    let a = analyzed();
    let p = &a.program;
    let c = diff(&a, 1);
    let flips: Vec<(String, Status, Status)> = c
        .status_flips
        .iter()
        .map(|f| (p.items[f.item].id.clone(), f.from, f.to))
        .collect();
    assert_eq!(
        flips,
        [
            ("auth-api-v2".to_string(), Status::OnTrack, Status::Done),
            (
                "mobile-app-update".to_string(),
                Status::NotStarted,
                Status::AtRisk
            )
        ]
    );
    // auth-api-v2 finished Feb 5 instead of Feb 3: +2, its own slip; it pushes
    // mobile-app-update (Feb 23 -> Feb 25) and the launch milestone with it.
    let s = slips(p, &c);
    assert_eq!(s[0].1, 2);
    assert!(s.contains(&("auth-api-v2".into(), 2, None)), "{s:?}");
    assert!(
        s.contains(&(
            "mobile-app-update".into(),
            2,
            Some(("auth-api-v2".into(), 2))
        )),
        "{s:?}"
    );
    assert!(
        s.iter().all(|x| x.0 != "web-login"),
        "web-login did not move: {s:?}"
    );
    assert_eq!(risk_ids(p, &c.risks_opened), ["r-open"]);
    assert_eq!(risk_ids(p, &c.risks_closed), ["r-close"]);
    assert_eq!(c.risks_rescored.len(), 1);
    assert_eq!(p.risks[c.risks_rescored[0].risk].id, "r-rescore");
    assert_eq!(
        (c.risks_rescored[0].from_score, c.risks_rescored[0].to_score),
        (6, 12)
    );
    assert_eq!(decision_ids(p, &c.decisions_made), ["d-made"]);
    assert_eq!(decision_ids(p, &c.decisions_escalated), ["d-esc"]);
    assert_eq!(decision_ids(p, &c.decisions_gone_overdue), ["d-overdue"]);
    // Critical path: before [auth, mobile-app, launch] at float 13 (db was
    // done already, and finished work is never critical); now auth is done
    // too, and the chain mobile-app -> launch has float 11.
    assert_eq!(ids(p, &c.left_critical_path), ["auth-api-v2"]);
    assert!(c.joined_critical_path.is_empty());
    assert_eq!((c.end_slack_before, c.end_slack_after), (13, 11));
}

#[test]
fn third_report_meets_and_misses_milestones_and_moves_the_critical_path() {
    let a = analyzed();
    let p = &a.program;
    let c = diff(&a, 2);
    assert_eq!(ids(p, &c.milestones_met), ["mobile-launch"]);
    assert_eq!(ids(p, &c.milestones_missed), ["web-ready"]);
    assert_eq!(ids(p, &c.joined_critical_path), ["web-login", "web-ready"]);
    assert_eq!(
        ids(p, &c.left_critical_path),
        ["mobile-app-update", "mobile-launch"]
    );
    assert!(c.critical_path_changed);
    assert_eq!(
        ids(p, &a.reports[2].critical_path),
        ["web-login", "web-ready"]
    );
    assert_eq!((c.end_slack_before, c.end_slack_after), (11, 2));
    let s = slips(p, &c);
    assert!(s.contains(&("web-login".into(), 18, None)), "{s:?}");
    assert!(c.decisions_escalated.is_empty() && c.decisions_made.is_empty());
}

#[test]
fn nothing_changes_between_a_report_and_itself() {
    let a = analyzed();
    let p = &a.program;
    let r = risks_as_of(p, 2, a.reports[1].as_of);
    let side = Side {
        snap: &a.reports[1],
        risks: &r,
        escalated: &p.reports[1].decisions,
    };
    assert!(changes(p, &side, &side).is_empty());
}

#[test]
fn register_state_is_as_of_the_date() {
    let a = analyzed();
    let p = &a.program;
    let ix = |id: &str| p.risk_index(id).unwrap();
    let early = risks_as_of(p, 1, a.reports[0].as_of);
    assert!(!early[ix("r-open")].in_register, "raised later");
    assert!(early[ix("r-close")].is_active());
    let late = risks_as_of(p, 3, a.reports[2].as_of);
    assert!(late[ix("r-open")].is_active());
    assert!(!late[ix("r-close")].is_active());
    assert_eq!(late[ix("r-rescore")].score(), 12);
    let d = &p.decisions[p.decision_index("d-made").unwrap()];
    assert_eq!(decision_state(d, a.reports[0].as_of), DecisionState::Open);
    assert_eq!(
        decision_state(d, a.reports[1].as_of),
        DecisionState::Decided
    );
    let o = &p.decisions[p.decision_index("d-overdue").unwrap()];
    assert_eq!(decision_state(o, a.reports[0].as_of), DecisionState::Open);
    assert_eq!(
        decision_state(o, a.reports[1].as_of),
        DecisionState::Overdue
    );
}

/// The register each snapshot carries (merged report by report, once) is
/// the register merged from scratch as of that report, on the fixture and on
/// the example.
#[test]
fn each_snapshot_carries_the_register_as_of_its_report() {
    for content in [
        common::fixture("valid/report-sequence/content"),
        common::root().join("content"),
    ] {
        let a = common::analyze(&content);
        assert!(!a.program.risks.is_empty());
        for (k, snap) in a.reports.iter().enumerate() {
            assert_eq!(
                *snap.register,
                risks_as_of(&a.program, k + 1, snap.as_of),
                "report {k} of {}",
                content.display()
            );
        }
    }
}
