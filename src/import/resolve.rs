//! From a plan as read to a plan ready to write: an id for every task (the
//! source's when it is a valid slug, else a slug of the name; a collision gets
//! `-2`, `-3`, ... and a warning naming both tasks), duplicate links folded,
//! and dependency cycles refused with every task on the cycle named.

use std::collections::HashMap;

use super::{Diagnostics, Plan, text};
use crate::model::fields::is_id;

/// A plan whose tasks have ids and form no cycle.
#[derive(Clone, Debug)]
pub struct Resolved {
    pub plan: Plan,
    /// Parallel to `plan.tasks`.
    pub ids: Vec<String>,
}

pub fn resolve(mut plan: Plan, diags: &mut Diagnostics) -> Resolved {
    let n = plan.tasks.len();
    let mut ids: Vec<Option<String>> = vec![None; n];
    let mut taken: HashMap<String, usize> = HashMap::with_capacity(n);
    // The wanted id of each task, sources' own ids first so they are kept.
    let wanted: Vec<(bool, String)> = plan
        .tasks
        .iter()
        .map(|t| match &t.source_id {
            Some(s) if is_id(s) && !s.bytes().all(|b| b.is_ascii_digit()) => (true, s.clone()),
            Some(s) if !s.bytes().all(|b| b.is_ascii_digit()) => (true, text::slug(s)),
            _ => (false, text::slug(&t.name)),
        })
        .collect();
    for pass in [true, false] {
        for t in 0..n {
            if wanted[t].0 != pass {
                continue;
            }
            let base = &wanted[t].1;
            let mut id = base.clone();
            let mut k = 2;
            while taken.contains_key(&id) {
                id = format!("{base}-{k}");
                k += 1;
            }
            if id != *base {
                let other = taken[base];
                let o = &plan.tasks[other];
                diags
                    .warning(
                        &plan.tasks[t].loc,
                        format!(
                            "`{}` gets the id `{id}`: `{base}` is already `{}` (line {})",
                            plan.tasks[t].name, o.name, o.loc.pos.line
                        ),
                    )
                    .with_hint("rename one of them in the source to choose the ids");
            }
            taken.insert(id.clone(), t);
            ids[t] = Some(id);
        }
    }
    let ids: Vec<String> = ids.into_iter().map(Option::unwrap_or_default).collect();
    // Duplicate links: the first one counts.
    for task in &mut plan.tasks {
        let mut seen = Vec::new();
        task.deps.retain(|d| {
            if seen.contains(&d.on) {
                diags.warning(&d.loc, "a dependency listed twice: the first one is kept");
                false
            } else {
                seen.push(d.on);
                true
            }
        });
    }
    find_cycles(&plan, &ids, diags);
    Resolved { plan, ids }
}

/// Reports one cycle per strongly tangled part (Kahn's algorithm leaves the
/// tasks on or behind a cycle; walking providers from one of them finds it).
fn find_cycles(plan: &Plan, ids: &[String], diags: &mut Diagnostics) {
    let n = plan.tasks.len();
    let mut consumers: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut waiting: Vec<usize> = vec![0; n];
    for (t, task) in plan.tasks.iter().enumerate() {
        for d in &task.deps {
            consumers[d.on].push(t);
            waiting[t] += 1;
        }
    }
    let mut ready: Vec<usize> = (0..n).filter(|&t| waiting[t] == 0).collect();
    let mut done = vec![false; n];
    while let Some(t) = ready.pop() {
        done[t] = true;
        for &c in &consumers[t] {
            waiting[c] -= 1;
            if waiting[c] == 0 {
                ready.push(c);
            }
        }
    }
    let mut reported = vec![false; n];
    for start in 0..n {
        if done[start] || reported[start] {
            continue;
        }
        // Follow unfinished providers until a task repeats: that is a cycle.
        let mut seen_at: HashMap<usize, usize> = HashMap::new();
        let mut path = Vec::new();
        let mut t = start;
        let from = loop {
            if let Some(&i) = seen_at.get(&t) {
                break Some(i);
            }
            seen_at.insert(t, path.len());
            path.push(t);
            match plan.tasks[t].deps.iter().find(|d| !done[d.on]) {
                Some(d) => t = d.on,
                None => break None,
            }
        };
        let Some(from) = from else {
            continue;
        };
        let mut cycle: Vec<usize> = path[from..].to_vec();
        cycle.reverse();
        if cycle.iter().any(|&c| reported[c]) {
            for &p in &path {
                reported[p] = true;
            }
            continue;
        }
        for &p in &path {
            reported[p] = true;
        }
        let first = cycle[0];
        let names: Vec<String> = cycle
            .iter()
            .chain(std::iter::once(&first))
            .map(|&c| format!("{} (line {})", ids[c], plan.tasks[c].loc.pos.line))
            .collect();
        // The link from the cycle's first task to its provider on the cycle.
        let t0 = path[from];
        let p = path.get(from + 1).copied().unwrap_or(t0);
        let dep_loc = plan.tasks[t0]
            .deps
            .iter()
            .find(|d| d.on == p)
            .map_or_else(|| plan.tasks[t0].loc.clone(), |d| d.loc.clone());
        diags
            .error(&dep_loc, format!("dependency cycle: {}", names.join(" -> ")))
            .with_hint("a task cannot wait, directly or through others, for itself: remove one of these links");
    }
}
