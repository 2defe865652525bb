//! Loading a [`Content`] from files held in memory: the same classification,
//! size limit, decoding and parsing as [`super::load`], without a disk. Used by
//! the fuzz targets and tests that build content folders on the fly.

use std::sync::Arc;

use super::{Content, MAX_FILE_BYTES, classify, decode};
use crate::diagnostics::Diagnostics;

/// Loads a content folder given as `(relative path, bytes)` pairs
/// (`/`-separated paths, e.g. `deliverables/web.yaml`). Files are taken in
/// path order, as [`super::load`] walks a folder; hidden files and folders
/// (a path component starting with `.`) are skipped, like on disk.
pub fn load_files(files: &[(String, Vec<u8>)], diags: &mut Diagnostics) -> Content {
    let mut sorted: Vec<&(String, Vec<u8>)> = files.iter().collect();
    // Component-wise order, as a sorted directory walk visits files.
    sorted.sort_by(|a, b| a.0.split('/').cmp(b.0.split('/')));
    let mut content = Content::default();
    for (path, bytes) in sorted {
        if path.is_empty() || path.split('/').any(|c| c.is_empty() || c.starts_with('.')) {
            continue;
        }
        if path.starts_with("deliverables/") {
            content.saw_deliverables_dir = true;
        }
        let rel: Arc<str> = path.as_str().into();
        let Some(kind) = classify(&rel) else {
            diags.file_warning(&rel, "file ignored: not part of the content format");
            continue;
        };
        if bytes.len() as u64 > MAX_FILE_BYTES {
            diags.file_error(
                &rel,
                format!(
                    "file is {} MiB, more than the {} MiB a content file may be",
                    bytes.len() >> 20,
                    MAX_FILE_BYTES >> 20
                ),
            );
            content.unreadable.push(rel);
            continue;
        }
        let Some(text) = decode(&rel, bytes.clone(), diags) else {
            content.unreadable.push(rel);
            continue;
        };
        content.add(kind, rel, &text, diags);
    }
    content
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_like_the_disk_loader() {
        let files = vec![
            (
                "teams.yaml".to_string(),
                b"- id: a\n  name: A\n  lead: L\n".to_vec(),
            ),
            ("deliverables/b.yaml".to_string(), b"[]\n".to_vec()),
            ("deliverables/a.yaml".to_string(), b"[]\n".to_vec()),
            (
                "reports/x.md".to_string(),
                b"---\ndate: 2027-01-01\n---\nhi\n".to_vec(),
            ),
            (".git/config".to_string(), b"x".to_vec()),
            ("notes.txt".to_string(), b"x".to_vec()),
            ("risks.yaml".to_string(), b"a: [\n".to_vec()),
        ];
        let mut diags = Diagnostics::new();
        let c = load_files(&files, &mut diags);
        assert!(c.teams.is_some());
        assert!(c.saw_deliverables_dir);
        let names: Vec<&str> = c.deliverables.iter().map(|f| &*f.file).collect();
        assert_eq!(names, ["deliverables/a.yaml", "deliverables/b.yaml"]);
        assert_eq!(c.reports.len(), 1);
        assert!(c.is_unreadable("risks.yaml"));
        assert_eq!(
            diags.into_sorted().len(),
            2,
            "one ignored file, one YAML error"
        );
    }
}
