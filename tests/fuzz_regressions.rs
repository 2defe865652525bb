//! Replays every saved fuzz input (`tests/fuzz-regressions/<target>/*`) through
//! the same entry points the cargo-fuzz targets use (`tests/fuzz_harness`), so
//! CI checks every crash ever found without cargo-fuzz. A short deterministic
//! random run of each target (the "short run in CI") follows.

mod fuzz_harness;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;

use fuzz_harness::TARGETS;

fn dir(target: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz-regressions")
        .join(target)
}

/// Runs `f` on `input`, turning a panic into a message naming `what`.
fn run(f: fn(&[u8]), input: &[u8], what: &str) -> Option<String> {
    catch_unwind(AssertUnwindSafe(|| f(input))).err().map(|e| {
        let msg = e
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        let short: String = msg.chars().take(300).collect();
        format!("{what}: {short}")
    })
}

#[test]
fn every_saved_input_replays_cleanly() {
    let mut failures = Vec::new();
    let mut count = 0;
    for (name, f) in TARGETS {
        let Ok(entries) = std::fs::read_dir(dir(name)) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
        paths.sort();
        for path in paths.iter().filter(|p| p.is_file()) {
            let bytes = std::fs::read(path).unwrap();
            count += 1;
            failures.extend(run(*f, &bytes, &path.display().to_string()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(count > 0, "no saved inputs under tests/fuzz-regressions/");
}

/// xorshift64*: a fixed sequence, so a failure here reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Inputs built from the seeds' bytes: splices, flips and syntax characters.
fn mutate(rng: &mut Rng, seeds: &[Vec<u8>]) -> Vec<u8> {
    const SYNTAX: &[&[u8]] = &[
        b"---\n",
        b"\n",
        b"- ",
        b": ",
        b"&a ",
        b"*a",
        b"[",
        b"]",
        b"{",
        b"}",
        b"\"",
        b"'",
        b"#",
        b"<!-- internal -->",
        b"<!-- /internal -->",
        b"<script>",
        b"](javascript:x)",
        b"|",
        b"\t",
        b"\r\n",
        b"\xff",
        b"\xef\xbb\xbf",
        b"`",
        b"*",
        b"~",
        b"<",
        b">",
        b"&",
        b"\\",
    ];
    let mut out = seeds[rng.below(seeds.len())].clone();
    for _ in 0..1 + rng.below(8) {
        let at = if out.is_empty() {
            0
        } else {
            rng.below(out.len() + 1)
        };
        match rng.below(4) {
            0 => {
                let s = SYNTAX[rng.below(SYNTAX.len())];
                out.splice(at..at, s.iter().copied());
            }
            1 if !out.is_empty() => {
                let end = (at + rng.below(16)).min(out.len());
                out.drain(at.min(end)..end);
            }
            2 => {
                let other = &seeds[rng.below(seeds.len())];
                if !other.is_empty() {
                    let from = rng.below(other.len());
                    let to = (from + rng.below(64)).min(other.len());
                    out.splice(at..at, other[from..to].iter().copied());
                }
            }
            _ => out.insert(at, rng.next() as u8),
        }
    }
    out
}

#[test]
fn short_random_run_of_every_target() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let read = |p: &str| std::fs::read(root.join(p)).unwrap();
    let report = read("content/reports/2027-01-29.md");
    let page = read("content/pages/communication-plan.md");
    let mut yaml_seeds = Vec::new();
    for (i, (path, text)) in fuzz_harness::BASE.iter().enumerate() {
        let mut seed = vec![i as u8];
        let real = root.join("content").join(path);
        seed.extend(std::fs::read(&real).unwrap_or_else(|_| text.as_bytes().to_vec()));
        yaml_seeds.push(seed);
    }
    let mut rng = Rng(0x7470_6d2d_7369_7465);
    let mut failures = Vec::new();
    for (name, f) in TARGETS {
        let (seeds, runs): (Vec<Vec<u8>>, usize) = match *name {
            "frontmatter" => (vec![report.clone(), page.clone()], 400),
            "markdown" => (vec![report.clone(), page.clone()], 200),
            "yaml_loaders" => (yaml_seeds.clone(), 100),
            "importers" => {
                let mut paths: Vec<PathBuf> = std::fs::read_dir(dir("importers"))
                    .unwrap()
                    .map(|e| e.unwrap().path())
                    .collect();
                paths.sort();
                (
                    paths.iter().map(|p| std::fs::read(p).unwrap()).collect(),
                    150,
                )
            }
            _ => (
                (0..4)
                    .map(|n| (0..256 * (n + 1)).map(|_| rng.next() as u8).collect())
                    .collect(),
                8,
            ),
        };
        for i in 0..runs {
            let input = mutate(&mut rng, &seeds);
            failures.extend(run(*f, &input, &format!("{name} run {i}")));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The generator makes folders that build, not only ones that fail early.
    let rendered = (0..8u64)
        .filter(|&n| {
            let mut r = Rng(0x0062_7569_6c64 + n);
            let input: Vec<u8> = (0..2048).map(|_| r.next() as u8).collect();
            fuzz_harness::whole_build_rendered(&input)
        })
        .count();
    assert!(
        rendered >= 2,
        "only {rendered} of 8 generated folders rendered"
    );
}
