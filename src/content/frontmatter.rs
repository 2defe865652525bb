//! Splitting a Markdown file into YAML front matter and body.
//!
//! The front matter is the block between a first line `---` and the next line
//! that is exactly `---` (or `...`). Line numbers are kept so that errors in
//! the front matter and body point into the whole file.

/// A file split into front matter and body.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML text between the fences.
    pub front: &'a str,
    /// 1-based line of the front matter's first line.
    pub front_line: u32,
    pub body: &'a str,
    /// 1-based line of the body's first line.
    pub body_line: u32,
}

/// Why a file has no usable front matter.
#[derive(Debug, PartialEq, Eq)]
pub struct SplitError {
    pub line: u32,
    pub message: String,
    pub hint: String,
}

/// Splits `text` (LF line endings, no BOM).
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let first_end = text.find('\n').unwrap_or(text.len());
    if text[..first_end].trim_end() != "---" {
        return Err(SplitError {
            line: 1,
            message: "missing front matter: the file must start with a line `---`".into(),
            hint: "start the file with `---`, the YAML fields (date, status, ...), then `---`"
                .into(),
        });
    }
    let front_start = (first_end + 1).min(text.len());
    let mut offset = front_start;
    let mut line = 2u32;
    while offset < text.len() {
        let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        let l = text[offset..end].trim_end();
        if l == "---" || l == "..." {
            let body_start = (end + 1).min(text.len());
            return Ok(Split {
                front: &text[front_start..offset],
                front_line: 2,
                body: &text[body_start..],
                body_line: line + 1,
            });
        }
        offset = end + 1;
        line += 1;
    }
    Err(SplitError {
        line: 1,
        message: "front matter is never closed: no line `---` after the opening one".into(),
        hint: "add a line `---` between the front matter and the Markdown body".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_counts_whole_file_lines() {
        let s = split("---\ndate: 2027-01-29\nstatus: red\n---\n## Hi\nbody\n").unwrap();
        assert_eq!(s.front, "date: 2027-01-29\nstatus: red\n");
        assert_eq!(s.front_line, 2);
        assert_eq!(s.body, "## Hi\nbody\n");
        assert_eq!(s.body_line, 5);
    }

    #[test]
    fn empty_body_and_trailing_spaces_on_fences() {
        let s = split("--- \na: 1\n---").unwrap();
        assert_eq!(s.front, "a: 1\n");
        assert_eq!(s.body, "");
    }

    #[test]
    fn unclosed_and_missing_front_matter_are_errors() {
        let e = split("---\ndate: 2027-01-29\n# body\n").unwrap_err();
        assert!(e.message.contains("never closed"), "{e:?}");
        let e = split("# just markdown\n").unwrap_err();
        assert!(e.message.contains("missing front matter"), "{e:?}");
        assert_eq!(e.line, 1);
    }

    #[test]
    fn a_horizontal_rule_in_the_body_is_not_a_fence() {
        let s = split("---\na: 1\n---\ntext\n---\nmore\n").unwrap();
        assert_eq!(s.body, "text\n---\nmore\n");
    }
}
