//! docs/content-format.md documents every field the loader accepts: each
//! field of `tpm_site::model::KNOWN_FIELDS` appears, as `field:` or
//! `` `field` ``, in the section of the docs its file belongs to.

mod common;

#[test]
fn the_content_format_documents_every_field_the_loader_accepts() {
    let docs = std::fs::read_to_string(common::root().join("docs/content-format.md")).unwrap();
    let section = |heading: &str| -> String {
        let start = docs
            .find(&format!("\n## {heading}"))
            .unwrap_or_else(|| panic!("no section `## {heading}` in docs/content-format.md"));
        let rest = &docs[start + 1..];
        let end = rest[3..].find("\n## ").map_or(rest.len(), |e| e + 3);
        rest[..end].to_string()
    };
    let mut missing = Vec::new();
    for (place, fields) in tpm_site::model::KNOWN_FIELDS {
        let heading = place.split(' ').next().unwrap();
        let text = section(heading);
        for field in *fields {
            let as_key = [
                format!("\n{field}:"),
                format!(" {field}:"),
                format!("{{ {field}:"),
                format!("`{field}`"),
                format!("`{field}:"),
            ];
            if !as_key.iter().any(|k| text.contains(k.as_str())) {
                missing.push(format!("{place}: {field}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "fields the loader accepts but docs/content-format.md does not document:\n{}",
        missing.join("\n")
    );
}
