//! Per-team facts: deliverables owned, blocking power, and whom a team waits on.
//!
//! Both relations pass through milestones, which belong to no team. They are
//! computed with one bitset of teams per item (a `Vec<u64>` row of
//! `ceil(teams / 64)` words), in one pass over the dependency order each, so
//! the cost is O((items + edges) * teams / 64) rather than a search per team.

use super::TeamFacts;
use crate::model::{ItemIx, ItemKind, Program, TeamIx};

/// Rows of team bitsets, one row per index.
struct Bits {
    words: usize,
    data: Vec<u64>,
}

impl Bits {
    fn new(rows: usize, teams: usize) -> Bits {
        let words = teams.div_ceil(64);
        Bits {
            words,
            data: vec![0; rows * words],
        }
    }

    fn set(&mut self, row: usize, team: TeamIx) {
        self.data[row * self.words + team / 64] |= 1 << (team % 64);
    }

    fn clear(&mut self, row: usize, team: TeamIx) {
        self.data[row * self.words + team / 64] &= !(1 << (team % 64));
    }

    /// `self[to] |= from[row]`.
    fn or_from(&mut self, to: usize, from: &Bits, row: usize) {
        let w = self.words;
        let src = &from.data[row * w..(row + 1) * w];
        for (d, s) in self.data[to * w..(to + 1) * w].iter_mut().zip(src) {
            *d |= *s;
        }
    }

    /// `self[to] |= self[row]` (two rows of the same set).
    fn or_row(&mut self, to: usize, row: usize) {
        let w = self.words;
        for k in 0..w {
            let s = self.data[row * w + k];
            self.data[to * w + k] |= s;
        }
    }

    /// The teams in a row, in index (= id) order.
    fn teams(&self, row: usize) -> Vec<TeamIx> {
        let w = self.words;
        let mut out = Vec::new();
        for (k, &word) in self.data[row * w..(row + 1) * w].iter().enumerate() {
            let mut word = word;
            while word != 0 {
                out.push(k * 64 + word.trailing_zeros() as usize);
                word &= word - 1;
            }
        }
        out
    }
}

/// Facts for every team, parallel to `program.teams`.
///
/// - `blocks`: the OTHER teams owning at least one item that transitively
///   depends on one of the team's items (`blocking_power` is their number);
/// - `waits_on`: the OTHER teams owning a direct provider of one of the
///   team's items, where a milestone provider stands for its own providers
///   (transitively, through chains of milestones).
pub(super) fn team_facts(
    program: &Program,
    order: &[ItemIx],
    consumers: &[Vec<ItemIx>],
) -> Vec<TeamFacts> {
    let n = program.items.len();
    let t = program.teams.len();
    let owner = |i: ItemIx| program.items[i].owner;

    // downstream[i]: teams owning an item that transitively depends on i.
    let mut downstream = Bits::new(n, t);
    for &i in order.iter().rev() {
        for &c in &consumers[i] {
            if let Some(team) = owner(c) {
                downstream.set(i, team);
            }
            downstream.or_row(i, c);
        }
    }

    // upstream[m], for items without a team (milestones): teams owning a
    // provider, looking through milestone providers.
    let mut upstream = Bits::new(n, t);
    for &i in order {
        if owner(i).is_some() {
            continue;
        }
        for &p in &program.items[i].depends_on {
            match owner(p) {
                Some(team) => upstream.set(i, team),
                None => upstream.or_row(i, p),
            }
        }
    }

    let mut blocks = Bits::new(t, t);
    let mut waits = Bits::new(t, t);
    let mut deliverables = vec![Vec::new(); t];
    for (i, item) in program.items.iter().enumerate() {
        let Some(team) = item.owner else { continue };
        if item.kind == ItemKind::Deliverable {
            deliverables[team].push(i);
        }
        blocks.or_from(team, &downstream, i);
        for &p in &item.depends_on {
            match owner(p) {
                Some(other) => waits.set(team, other),
                None => waits.or_from(team, &upstream, p),
            }
        }
    }

    (0..t)
        .map(|team| {
            blocks.clear(team, team);
            waits.clear(team, team);
            let blocked = blocks.teams(team);
            TeamFacts {
                deliverables: std::mem::take(&mut deliverables[team]),
                blocking_power: blocked.len(),
                blocks: blocked,
                waits_on: waits.teams(team),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::analysis::testkit::*;

    #[test]
    fn blocking_power_and_waits_on_pass_through_milestones() {
        // x1 -> m1 -> y1 -> z1 -> x2;  m1 -> m2 -> y2 <- y1;  m1 -> x3;  w1 alone.
        let p = Kit::new(d(2027, 1, 4), d(2027, 6, 30))
            .teams(&["w", "x", "y", "z"])
            .dur("x1", "x", &[], 1)
            .milestone("m1", None, &["x1"])
            .dur("y1", "y", &["m1"], 1)
            .dur("z1", "z", &["y1"], 1)
            .dur("x2", "x", &["z1"], 1)
            .milestone("m2", None, &["m1"])
            .dur("y2", "y", &["m2", "y1"], 1)
            .dur("x3", "x", &["m1"], 1)
            .dur("w1", "w", &[], 1)
            .build();
        let (plan, snap) = run(&p);
        assert_eq!(snap.teams, plan.teams);
        let team = |id: &str| p.team_index(id).unwrap();
        let names = |list: &[usize]| {
            list.iter()
                .map(|&t| p.teams[t].id.clone())
                .collect::<Vec<_>>()
        };
        let facts = |id: &str| &snap.teams[team(id)];

        assert_eq!(ids(&p, &facts("x").deliverables), ["x1", "x2", "x3"]);
        assert_eq!(ids(&p, &facts("y").deliverables), ["y1", "y2"]);
        // x1 reaches y1, y2 (through milestones), z1 and its own x2.
        assert_eq!(
            (facts("x").blocking_power, names(&facts("x").blocks)),
            (2, vec!["y".into(), "z".into()])
        );
        assert_eq!(
            (facts("y").blocking_power, names(&facts("y").blocks)),
            (2, vec!["x".into(), "z".into()])
        );
        assert_eq!(
            (facts("z").blocking_power, names(&facts("z").blocks)),
            (1, vec!["x".into()])
        );
        assert_eq!(facts("w").blocking_power, 0);
        // y waits on x through m1 (and through m2 -> m1); x3 waits on x itself
        // through m1, which is excluded; x2 waits on z.
        assert_eq!(names(&facts("x").waits_on), ["z"]);
        assert_eq!(names(&facts("y").waits_on), ["x"]);
        assert_eq!(names(&facts("z").waits_on), ["y"]);
        assert!(facts("w").waits_on.is_empty() && facts("w").blocks.is_empty());
    }

    #[test]
    fn team_bitsets_work_past_64_teams() {
        let teams: Vec<String> = (0..130).map(|k| format!("t{k:03}")).collect();
        let team_refs: Vec<&str> = teams.iter().map(|s| s.as_str()).collect();
        let mut kit = Kit::new(d(2027, 1, 4), d(2027, 6, 30)).teams(&team_refs);
        // A chain through every team: item k owned by team k.
        for (k, team) in teams.iter().enumerate() {
            let dep = format!("i{:03}", k.max(1) - 1);
            let deps: Vec<&str> = if k == 0 { vec![] } else { vec![dep.as_str()] };
            kit = kit.dur(&format!("i{k:03}"), team, &deps, 1);
        }
        let p = kit.build();
        let (_, snap) = run(&p);
        for k in 0..130 {
            assert_eq!(snap.teams[k].blocking_power, 129 - k);
            assert_eq!(snap.teams[k].blocks, (k + 1..130).collect::<Vec<_>>());
            assert_eq!(
                snap.teams[k].waits_on,
                if k == 0 { vec![] } else { vec![k - 1] }
            );
        }
    }
}
