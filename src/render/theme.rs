//! Themes: tera templates (`*.html`) plus static assets (`style.css`, ...).
//!
//! The default theme lives in `themes/default/` and is embedded in the binary.
//! A site may override it file by file, like Zola: every file of the override
//! folder (a site's `themes/<name>/`) replaces the embedded file of the same
//! name, or adds a new template or asset. Templates are compiled once, when the
//! theme is loaded, with autoescape on for `.html`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tera::{Context, ErrorKind, Tera};

/// The name of the built-in theme.
pub const DEFAULT_THEME: &str = "default";

/// The default theme's templates: (file name, source).
pub const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../themes/default/base.html")),
    (
        "components.html",
        include_str!("../../themes/default/components.html"),
    ),
    (
        "dashboard.html",
        include_str!("../../themes/default/dashboard.html"),
    ),
    (
        "charter.html",
        include_str!("../../themes/default/charter.html"),
    ),
    (
        "dependencies.html",
        include_str!("../../themes/default/dependencies.html"),
    ),
    (
        "teams.html",
        include_str!("../../themes/default/teams.html"),
    ),
    ("team.html", include_str!("../../themes/default/team.html")),
    (
        "risks.html",
        include_str!("../../themes/default/risks.html"),
    ),
    (
        "decisions.html",
        include_str!("../../themes/default/decisions.html"),
    ),
    (
        "reports.html",
        include_str!("../../themes/default/reports.html"),
    ),
    (
        "report.html",
        include_str!("../../themes/default/report.html"),
    ),
    ("item.html", include_str!("../../themes/default/item.html")),
    ("page.html", include_str!("../../themes/default/page.html")),
    ("404.html", include_str!("../../themes/default/404.html")),
    (
        "email.html",
        include_str!("../../themes/default/email.html"),
    ),
];

/// The template of a report e-mail's HTML part (not a page: it is rendered
/// per recipient by `render::email`, and its styles are inline because mail
/// clients drop `<style>`).
pub const EMAIL_TEMPLATE: &str = "email.html";

/// The default theme's static assets: (file name, contents), written under `assets/`.
pub const DEFAULT_ASSETS: &[(&str, &str)] = &[
    ("style.css", include_str!("../../themes/default/style.css")),
    (
        "charts.css",
        include_str!("../../themes/default/charts.css"),
    ),
];

/// Why a theme could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ThemeError {
    #[error("theme `{name}` is not built in and its folder {} does not exist (the built-in theme is `default`)", expected.display())]
    Unknown { name: String, expected: PathBuf },
    #[error(
        "theme `{name}` is not built in; give its folder (e.g. themes/{name}/) or use `default`"
    )]
    NoFolder { name: String },
    #[error("theme folder {} is not a folder", path.display())]
    NotADir { path: PathBuf },
    #[error("cannot read theme file {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("theme template {file} is not valid UTF-8")]
    NotUtf8 { file: String },
    #[error(
        "theme file name {file:?} cannot be published: use only letters, digits, `.`, `-` and `_`"
    )]
    BadName { file: String },
    /// A template does not compile; `message` is tera's report (with line and column).
    #[error("theme template {file}: {message}")]
    Template { file: String, message: String },
}

/// A compiled theme: templates and assets.
pub struct Theme {
    name: String,
    tera: Tera,
    /// File name → bytes, written under `assets/`.
    assets: BTreeMap<String, Vec<u8>>,
    /// Template name → where it comes from (for messages).
    sources: BTreeMap<String, String>,
}

impl std::fmt::Debug for Theme {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Theme")
            .field("name", &self.name)
            .field("templates", &self.sources)
            .field("assets", &self.assets.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// The files of a theme before compiling: name → (contents, where from).
#[derive(Default)]
struct Files {
    templates: BTreeMap<String, (String, String)>,
    assets: BTreeMap<String, Vec<u8>>,
}

impl Theme {
    /// Loads theme `name`: the embedded default theme, with every file of
    /// `override_dir` (when it exists) replacing or adding to it. A theme
    /// other than `default` must have its folder.
    pub fn load(name: &str, override_dir: Option<&Path>) -> Result<Theme, ThemeError> {
        let mut files = Files::embedded();
        match override_dir {
            Some(dir) if dir.exists() => files.read_overrides(dir)?,
            Some(dir) if name != DEFAULT_THEME => {
                return Err(ThemeError::Unknown {
                    name: name.to_string(),
                    expected: dir.to_path_buf(),
                });
            }
            None if name != DEFAULT_THEME => {
                return Err(ThemeError::NoFolder {
                    name: name.to_string(),
                });
            }
            _ => {}
        }
        let tera = compile(&files.templates)?;
        Ok(Theme {
            name: name.to_string(),
            tera,
            assets: files.assets,
            sources: files
                .templates
                .into_iter()
                .map(|(k, (_, from))| (k, from))
                .collect(),
        })
    }

    /// The built-in theme, without overrides.
    pub fn builtin() -> Result<Theme, ThemeError> {
        Theme::load(DEFAULT_THEME, None)
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn has_template(&self, template: &str) -> bool {
        self.sources.contains_key(template)
    }

    /// Where a template comes from: a path, or "name (built-in theme)".
    pub fn source_of<'s>(&'s self, template: &'s str) -> &'s str {
        self.sources.get(template).map_or(template, String::as_str)
    }

    /// Renders a template.
    pub fn render(&self, template: &str, context: &Context) -> Result<String, tera::Error> {
        self.tera.render(template, context)
    }

    /// Renders a template with `view`'s fields as its variables; the error
    /// is tera's message (with the template's line and column).
    pub fn render_view<T: serde::Serialize>(
        &self,
        template: &str,
        view: &T,
    ) -> Result<String, String> {
        Context::from_serialize(view)
            .and_then(|ctx| self.tera.render(template, &ctx))
            .map_err(|e| {
                format!(
                    "theme template {}: {}",
                    self.source_of(template),
                    tera_message(&e)
                )
            })
    }

    /// Static assets: (file name, bytes), to be written under `assets/`.
    pub fn assets(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.assets.iter().map(|(k, v)| (k.as_str(), v.as_slice()))
    }

    /// Stylesheets a theme adds besides `style.css` and the generated
    /// `teams.css` (linked after `style.css`, sorted).
    pub fn extra_stylesheets(&self) -> Vec<String> {
        self.assets
            .keys()
            .filter(|k| k.ends_with(".css") && !matches!(k.as_str(), "style.css" | "teams.css"))
            .cloned()
            .collect()
    }
}

impl Files {
    fn embedded() -> Files {
        Files {
            templates: DEFAULT_TEMPLATES
                .iter()
                .map(|(n, src)| {
                    (
                        n.to_string(),
                        (src.to_string(), format!("{n} (built-in theme)")),
                    )
                })
                .collect(),
            assets: DEFAULT_ASSETS
                .iter()
                .map(|(n, b)| (n.to_string(), b.as_bytes().to_vec()))
                .collect(),
        }
    }

    /// Reads every regular file directly inside `dir` (hidden files and folders are skipped).
    fn read_overrides(&mut self, dir: &Path) -> Result<(), ThemeError> {
        if !dir.is_dir() {
            return Err(ThemeError::NotADir {
                path: dir.to_path_buf(),
            });
        }
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| ThemeError::Io { path, source }
        };
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(io(dir))?
            .map(|e| e.map(|e| e.path()))
            .collect::<Result<_, _>>()
            .map_err(io(dir))?;
        entries.sort();
        for path in entries {
            let Some(name) = path
                .file_name()
                .and_then(|n| n.to_str())
                .map(str::to_string)
            else {
                return Err(ThemeError::BadName {
                    file: path.display().to_string(),
                });
            };
            if name.starts_with('.') || !path.is_file() {
                continue;
            }
            if !name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
            {
                return Err(ThemeError::BadName { file: name });
            }
            let bytes = std::fs::read(&path).map_err(io(&path))?;
            if name.ends_with(".html") {
                let shown = path.display().to_string();
                let text = String::from_utf8(bytes).map_err(|_| ThemeError::NotUtf8 {
                    file: shown.clone(),
                })?;
                self.templates.insert(name, (text, shown));
            } else {
                self.assets.insert(name, bytes);
            }
        }
        Ok(())
    }
}

/// Compiles every template at once (they extend and include each other).
fn compile(templates: &BTreeMap<String, (String, String)>) -> Result<Tera, ThemeError> {
    let mut tera = Tera::default();
    tera.autoescape_on([".html", ".htm", ".xml"]);
    tera.add_raw_templates(
        templates
            .iter()
            .map(|(name, (src, _))| (name.as_str(), src.as_str())),
    )
    .map_err(|e| {
        let culprit = culprit(&e, templates);
        let file = culprit
            .and_then(|n| templates.get(n))
            .map_or_else(|| "(theme)".to_string(), |(_, from)| from.clone());
        ThemeError::Template {
            file,
            message: tera_message(&e),
        }
    })?;
    Ok(tera)
}

/// `s` escaped for HTML text and quoted attribute values (`& < > " '`):
/// tera's own escaper, the one autoescaping uses, for the little HTML
/// written outside a template (`serve`'s error overlay).
pub fn escape_html(s: &str) -> String {
    let mut out = Vec::with_capacity(s.len() + s.len() / 8);
    // Writing into a Vec cannot fail.
    let _ = tera::escape_html(s, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Tera's message (with its source excerpt), without the leading `error: `.
pub(crate) fn tera_message(e: &tera::Error) -> String {
    let msg = e.to_string();
    match msg.strip_prefix("error: ") {
        Some(rest) => rest.to_string(),
        None => msg,
    }
}

/// The template a tera build error is about.
fn culprit<'a>(
    e: &tera::Error,
    templates: &'a BTreeMap<String, (String, String)>,
) -> Option<&'a str> {
    let named = match e.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => Some(r.filename().to_string()),
        ErrorKind::MissingParent { current, .. } => Some(current.clone()),
        ErrorKind::CircularExtend { tpl, .. } | ErrorKind::CircularInclude { tpl, .. } => {
            Some(tpl.clone())
        }
        _ => None,
    };
    if let Some(n) = named
        && let Some((k, _)) = templates.get_key_value(&n)
    {
        return Some(k.as_str());
    }
    // Validation errors are plain messages with ` --> name:line:col` locators.
    let msg = e.to_string();
    let at = msg.find("--> ")? + 4;
    let rest = &msg[at..];
    let name = rest.split(':').next()?;
    templates.get_key_value(name).map(|(k, _)| k.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) {
        std::fs::write(dir.join(name), text).expect("write test file");
    }

    #[test]
    fn builtin_theme_compiles() {
        let t = Theme::builtin().expect("default theme compiles");
        assert!(t.has_template("base.html"));
        assert!(t.has_template("dashboard.html"));
        assert!(t.assets().any(|(n, _)| n == "style.css"));
        assert!(t.source_of("base.html").contains("built-in"));
    }

    #[test]
    fn autoescape_is_on_for_html() {
        let t = Theme::builtin().expect("theme");
        let mut tera = t.tera.clone();
        tera.add_raw_template("probe.html", "{{ x }}")
            .expect("probe");
        let mut ctx = Context::new();
        ctx.insert("x", "<script>alert(1)</script>&\"'");
        let out = tera.render("probe.html", &ctx).expect("render");
        assert!(!out.contains('<'), "{out}");
        assert!(out.contains("&lt;script&gt;"), "{out}");
        assert!(out.contains("&amp;"), "{out}");
    }

    #[test]
    fn override_replaces_a_template_and_adds_assets() {
        let dir = tempfile::tempdir().expect("tempdir");
        write(
            dir.path(),
            "404.html",
            "{% extends \"base.html\" %}{% block content %}<h1>OVERRIDDEN</h1>{% endblock content %}",
        );
        write(dir.path(), "extra.css", "body { color: red; }");
        write(dir.path(), ".hidden.html", "{% broken");
        let t = Theme::load("default", Some(dir.path())).expect("theme with override");
        assert!(
            t.source_of("404.html")
                .contains(&dir.path().display().to_string())
        );
        assert_eq!(
            t.extra_stylesheets(),
            vec!["charts.css".to_string(), "extra.css".to_string()]
        );
        assert!(
            t.assets()
                .any(|(n, b)| n == "extra.css" && b == b"body { color: red; }")
        );
        assert!(!t.has_template(".hidden.html"));
    }

    #[test]
    fn broken_override_names_the_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        write(
            dir.path(),
            "dashboard.html",
            "{% extends \"base.html\" %}\n{% block content %}{% if %}{% endblock content %}",
        );
        let err = Theme::load("default", Some(dir.path())).expect_err("must fail");
        let msg = err.to_string();
        assert!(matches!(err, ThemeError::Template { .. }), "{msg}");
        assert!(msg.contains("dashboard.html"), "{msg}");
        assert!(msg.contains(&dir.path().display().to_string()), "{msg}");
    }

    #[test]
    fn unknown_filter_names_the_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        write(
            dir.path(),
            "page.html",
            "{% extends \"base.html\" %}{% block content %}{{ page.title | nope }}{% endblock content %}",
        );
        let err = Theme::load("default", Some(dir.path())).expect_err("must fail");
        let ThemeError::Template { file, message } = &err else {
            panic!("{err}")
        };
        assert!(file.contains("page.html"), "{file}");
        assert!(message.contains("nope"), "{message}");
    }

    #[test]
    fn missing_folder_is_fine_for_default_but_not_for_others() {
        let dir = tempfile::tempdir().expect("tempdir");
        let missing = dir.path().join("nope");
        assert!(Theme::load("default", Some(&missing)).is_ok());
        assert!(matches!(
            Theme::load("fancy", Some(&missing)),
            Err(ThemeError::Unknown { .. })
        ));
        assert!(matches!(
            Theme::load("fancy", None),
            Err(ThemeError::NoFolder { .. })
        ));
    }

    #[test]
    fn bad_asset_names_are_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        write(dir.path(), "my logo.png", "x");
        assert!(matches!(
            Theme::load("default", Some(dir.path())),
            Err(ThemeError::BadName { .. })
        ));
    }

    #[test]
    fn only_markdown_fields_are_marked_safe() {
        // In the default theme, `| safe` only ever applies to a `*_html` field.
        for (name, src) in DEFAULT_TEMPLATES {
            for expr in src
                .split("{{")
                .skip(1)
                .filter_map(|rest| rest.split("}}").next())
            {
                let mut parts = expr.split('|').map(str::trim);
                let value = parts.next().unwrap_or("");
                if parts.any(|f| f == "safe") {
                    assert!(
                        value.ends_with("_html"),
                        "{name}: `{{{{{expr}}}}}` marks a non-Markdown value safe"
                    );
                }
            }
            assert!(!src.contains("<script"), "{name} contains a script");
            // The e-mail is no page: mail clients drop `<style>`, and no CSP
            // applies, so its styles are inline.
            assert!(
                *name == EMAIL_TEMPLATE || !src.contains(" style="),
                "{name} has an inline style (blocked by the CSP)"
            );
        }
    }
}
