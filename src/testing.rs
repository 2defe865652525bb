//! Helpers for the unit tests of every stage (compiled only for tests; not a
//! pipeline stage, so any stage's tests may use it).

use std::path::Path;

use crate::site::Analyzed;

/// The example program in `content/`, loaded and analysed.
pub fn example() -> Analyzed {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    crate::site::analyze_dir(
        &dir,
        None,
        false,
        &mut crate::diagnostics::Diagnostics::new(),
    )
    .expect("the example loads")
    .expect("the example program analyses")
}
