//! `program.json` snapshots of the valid fixture programs. The spec-example
//! values are also asserted by hand in schedule_fixtures.rs; the snapshots
//! catch any unintended change in the rest of the export.

mod common;

use tpm_site::render::json::program_json;

fn export(content: &std::path::Path) -> String {
    let a = common::analyze(content);
    String::from_utf8(program_json(&a.program, &a.current)).unwrap()
}

#[test]
fn spec_example_program_json() {
    insta::assert_snapshot!(export(&common::fixture("valid/spec-example/content")));
}

#[test]
fn example_program_json() {
    insta::assert_snapshot!(export(&common::root().join("content")));
}

#[test]
fn bpc_pos_program_json() {
    insta::assert_snapshot!(export(
        &common::root().join("tests/data/cases/bpc-pos-gantt/content")
    ));
}
