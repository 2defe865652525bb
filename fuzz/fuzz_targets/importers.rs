//! cargo-fuzz target `importers`: see `tests/fuzz_harness/mod.rs` (shared with
//! `tests/fuzz_regressions.rs`, which replays saved inputs in `cargo test`).
#![no_main]

#[path = "../../tests/fuzz_harness/mod.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::importers(data));
