//! `serve`: build in memory, serve on loopback, rebuild on change, reload the
//! open pages.
//!
//! The site lives in memory (never in the output folder), with drafts
//! included: a rebuild loads and analyses the content and renders the small
//! files; each page is rendered the first time it is asked for and kept
//! until the next rebuild, so an edit is served in about the time of a load. A small script, injected only here, listens on a
//! server-sent-events stream and reloads the page after each rebuild. When
//! the content has errors, the last good build keeps being served and every
//! page carries an overlay listing the diagnostics (escaped), which the next
//! good build clears. Requests are answered only for a loopback `Host`, paths
//! are looked up in the in-memory site (no file system access, `..` refused),
//! and no CORS header is ever sent.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, Request, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use notify_debouncer_full::new_debouncer;
use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use tokio::sync::broadcast;

use super::{Analyzed, analyze_content, load_theme, other_files, theme_root};
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::render::html::{PageJob, assets, page_jobs, render_page};
use crate::render::theme::Theme;

/// Where the live-reload endpoints live (never a content path: ids cannot start with `_`).
const LIVE_PREFIX: &str = "/__tpm_site/";
const LIVE_JS: &str = "(function(){var s=new EventSource('/__tpm_site/events');s.onmessage=function(){location.reload();};})();\n";

#[derive(Clone, Debug)]
pub struct ServeOptions {
    pub content: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot watch {path}: {message}")]
    Watch { path: PathBuf, message: String },
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// The site as served now.
#[derive(Default)]
pub struct Live {
    files: Files,
    /// What renders the pages of `files` on request.
    site: Option<Arc<LazySite>>,
    /// The overlay shown on every page while the content has errors.
    overlay: Option<String>,
    /// Bumped on every rebuild.
    pub version: u64,
}

/// Shared state of the server.
#[derive(Clone)]
pub struct Shared {
    live: Arc<RwLock<Live>>,
    reload: broadcast::Sender<u64>,
    allowed_hosts: Arc<Vec<String>>,
}

/// A file of the in-memory site: ready bytes, or a page rendered when it is
/// first asked for.
#[derive(Clone, Debug)]
pub enum Entry {
    Ready(Arc<Vec<u8>>),
    Page(PageJob),
}

/// An in-memory site: path to file.
pub type Files = HashMap<String, Entry>;

/// The analysed program and its theme, which render pages on request; each
/// rendered page is kept until the next rebuild.
pub struct LazySite {
    analyzed: Analyzed,
    theme: Theme,
    rendered: Mutex<HashMap<String, Arc<Vec<u8>>>>,
}

impl LazySite {
    /// The page at `path` (with the live script), rendered now or earlier.
    fn page(&self, path: &str, job: PageJob) -> Result<Arc<Vec<u8>>, String> {
        if let Some(b) = self
            .rendered
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(path)
        {
            return Ok(b.clone());
        }
        let data = self.analyzed.site_data();
        let file = match render_page(&data, &self.theme, job) {
            Some(Ok(f)) => f,
            Some(Err(e)) => return Err(e.to_string()),
            None => return Err(format!("{path} has no page")),
        };
        let bytes = Arc::new(inject_live(&file.bytes));
        self.rendered
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path.to_string(), bytes.clone());
        Ok(bytes)
    }
}

/// Builds `content` into memory: loads and analyses it, renders the small
/// files (stylesheets, exports) and lists every page, which is rendered only
/// when asked for, so a rebuild after an edit costs a load and an analysis.
/// Returns the site and the warnings, or every diagnostic when the content
/// has errors.
pub fn build_in_memory(
    content: &Path,
) -> Result<(Files, Arc<LazySite>, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut diags = Diagnostics::new();
    let fail = |mut diags: Diagnostics, message: String| {
        let file: Arc<str> = Arc::from("");
        diags.file_error(&file, message);
        diags.into_sorted()
    };
    // Parsed on every core: a rebuild's latency is what counts here.
    let analyzed = match crate::content::load_parallel(content, &mut diags)
        .map(|loaded| analyze_content(&loaded, None, true, &mut diags))
    {
        Ok(Some(a)) => a,
        Ok(None) => return Err(diags.into_sorted()),
        Err(e) => return Err(fail(diags, e.to_string())),
    };
    let theme = match load_theme(&analyzed, Some(&theme_root(content))) {
        Ok(t) => t,
        Err(e) => return Err(fail(diags, e.to_string())),
    };
    let mut files = Files::new();
    {
        let data = analyzed.site_data();
        let jobs = page_jobs(&data);
        let pages: Vec<String> = jobs.iter().map(|(p, _)| p.clone()).collect();
        for f in assets(&data, &theme)
            .into_iter()
            .chain(other_files(&data, &pages))
        {
            files.insert(f.path, Entry::Ready(Arc::new(f.bytes)));
        }
        for (path, job) in jobs {
            files.insert(path, Entry::Page(job));
        }
    }
    let site = Arc::new(LazySite {
        analyzed,
        theme,
        rendered: Mutex::new(HashMap::new()),
    });
    Ok((files, site, diags.into_sorted()))
}

/// Adds the reload script and lets the page's CSP allow it (serve only).
fn inject_live(html: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    let csp = "http-equiv=\"Content-Security-Policy\" content=\"";
    let text = text.replacen(
        csp,
        &format!("{csp}script-src 'self'; connect-src 'self'; "),
        1,
    );
    let script = format!("<script src=\"{LIVE_PREFIX}live.js\"></script>");
    match text.rfind("</body>") {
        Some(at) => format!("{}{script}{}", &text[..at], &text[at..]).into_bytes(),
        None => format!("{text}{script}").into_bytes(),
    }
}

/// The error overlay: every diagnostic, escaped.
fn overlay_html(diags: &[Diagnostic], content: &Path) -> String {
    let mut out = String::from(
        "<div id=\"tpm-site-overlay\" role=\"alert\" class=\"tpm-overlay\"><p><strong>The content has errors; this is the last good build.</strong> Fix the files below and the page reloads.</p><pre>",
    );
    for d in diags.iter().filter(|d| d.severity == Severity::Error) {
        out.push_str(&crate::render::theme::escape_html(
            &d.display(content).to_string(),
        ));
        out.push('\n');
    }
    out.push_str("</pre></div>");
    out
}

impl Shared {
    pub fn new(allowed_hosts: Vec<String>) -> Shared {
        let (reload, _) = broadcast::channel(16);
        Shared {
            live: Arc::new(RwLock::new(Live::default())),
            reload,
            allowed_hosts: Arc::new(allowed_hosts),
        }
    }

    /// Rebuilds and swaps in the result (or the overlay); returns the diagnostics.
    pub fn rebuild(&self, content: &Path) -> Vec<Diagnostic> {
        let result = build_in_memory(content);
        let mut live = self.live.write().unwrap_or_else(|e| e.into_inner());
        let diags = match result {
            Ok((files, site, diags)) => {
                live.files = files;
                live.site = Some(site);
                live.overlay = None;
                diags
            }
            Err(diags) => {
                live.overlay = Some(overlay_html(&diags, content));
                diags
            }
        };
        live.version += 1;
        let _ = self.reload.send(live.version);
        diags
    }
}

/// Runs the server until interrupted.
pub fn serve(opts: &ServeOptions) -> Result<(), ServeError> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    rt.block_on(serve_async(opts.clone(), None))
}

/// The server; `ready` receives the bound address (for tests and the port-0 case).
pub async fn serve_async(
    opts: ServeOptions,
    ready: Option<tokio::sync::oneshot::Sender<SocketAddr>>,
) -> Result<(), ServeError> {
    let addr = SocketAddr::new(opts.bind, opts.port);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| ServeError::Bind { addr, source })?;
    let local = listener.local_addr()?;
    let mut hosts = vec![
        "localhost".to_string(),
        "127.0.0.1".to_string(),
        "[::1]".to_string(),
        opts.bind.to_string(),
    ];
    if let IpAddr::V6(v6) = opts.bind {
        hosts.push(format!("[{v6}]"));
    }
    let shared = Shared::new(hosts);
    let started = Instant::now();
    let diags = shared.rebuild(&opts.content);
    report(&diags, &opts.content, started.elapsed());

    // Watch content/ and themes/, rebuild debounced.
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<()>();
    let mut debouncer = new_debouncer(
        Duration::from_millis(120),
        None,
        move |res: notify_debouncer_full::DebounceEventResult| {
            // Reading the content (each rebuild does) raises access events:
            // only changes rebuild, or the server would rebuild forever.
            let changed = res.is_ok_and(|events| {
                events
                    .iter()
                    .any(|e| !matches!(e.event.kind, EventKind::Access(_)))
            });
            if changed {
                let _ = tx.send(());
            }
        },
    )
    .map_err(|e| ServeError::Watch {
        path: opts.content.clone(),
        message: e.to_string(),
    })?;
    debouncer
        .watch(&opts.content, RecursiveMode::Recursive)
        .map_err(|e| ServeError::Watch {
            path: opts.content.clone(),
            message: e.to_string(),
        })?;
    let themes = theme_root(&opts.content);
    if themes.is_dir() {
        let _ = debouncer.watch(&themes, RecursiveMode::Recursive);
    }
    let rebuilder = shared.clone();
    let content = opts.content.clone();
    tokio::spawn(async move {
        while rx.recv().await.is_some() {
            while rx.try_recv().is_ok() {}
            let s = rebuilder.clone();
            let c = content.clone();
            let started = Instant::now();
            if let Ok(diags) = tokio::task::spawn_blocking(move || s.rebuild(&c)).await {
                report(&diags, &content, started.elapsed());
            }
        }
    });

    let shown = if local.ip().is_unspecified() {
        SocketAddr::new([127, 0, 0, 1].into(), local.port())
    } else {
        local
    };
    println!(
        "Serving {} at http://{shown}/ (drafts shown; Ctrl-C to stop)",
        opts.content.display()
    );
    if let Some(r) = ready {
        let _ = r.send(local);
    }
    let app = axum::Router::new().fallback(handle).with_state(shared);
    axum::serve(listener, app).await?;
    drop(debouncer);
    Ok(())
}

fn report(diags: &[Diagnostic], content: &Path, took: Duration) {
    for d in diags {
        eprintln!("{}", d.display(content));
    }
    let errors = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    if errors > 0 {
        eprintln!("rebuild failed with {errors} error(s); still serving the last good build");
    } else {
        println!("rebuilt in {} ms", took.as_millis());
    }
}

async fn handle(State(shared): State<Shared>, req: Request<Body>) -> Response {
    if !host_allowed(req.headers(), &shared.allowed_hosts) {
        return plain(
            StatusCode::FORBIDDEN,
            "forbidden: this server answers only for localhost\n",
        );
    }
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return plain(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD\n");
    }
    let raw_path = req.uri().path();
    if let Some(rest) = raw_path.strip_prefix(LIVE_PREFIX) {
        return match rest {
            "live.js" => with_type(
                StatusCode::OK,
                "text/javascript; charset=utf-8",
                LIVE_JS.as_bytes().to_vec(),
            ),
            "events" => events(&shared).into_response(),
            _ => plain(StatusCode::NOT_FOUND, "not found\n"),
        };
    }
    let Some(path) = site_path(raw_path) else {
        return plain(StatusCode::BAD_REQUEST, "bad path\n");
    };
    let live = shared.live.read().unwrap_or_else(|e| e.into_inner());
    let (status, key) = if live.files.contains_key(&path) {
        (StatusCode::OK, path)
    } else if live.files.contains_key(&format!("{path}/index.html")) {
        (StatusCode::OK, format!("{path}/index.html"))
    } else {
        (StatusCode::NOT_FOUND, "404.html".to_string())
    };
    let bytes = match (live.files.get(&key), &live.site) {
        (Some(Entry::Ready(b)), _) => b.clone(),
        (Some(Entry::Page(job)), Some(site)) => match site.page(&key, *job) {
            Ok(b) => b,
            Err(message) => {
                return with_type(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "text/plain; charset=utf-8",
                    format!("cannot render {key}: {message}\n").into_bytes(),
                );
            }
        },
        _ => return plain(StatusCode::NOT_FOUND, "not found\n"),
    };
    let ctype = content_type(&key);
    let body = match (&live.overlay, key.ends_with(".html")) {
        (Some(overlay), true) => with_overlay(&bytes, overlay),
        _ => bytes.as_ref().clone(),
    };
    with_type(status, ctype, body)
}

fn events(
    shared: &Shared,
) -> Sse<impl tokio_stream::Stream<Item = Result<Event, Infallible>> + use<>> {
    use tokio_stream::StreamExt;
    let stream = tokio_stream::wrappers::BroadcastStream::new(shared.reload.subscribe())
        .filter_map(|v| v.ok().map(|v| Ok(Event::default().data(v.to_string()))));
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// Accepts only requests whose `Host` is loopback or the bind address (DNS-rebinding defence).
fn host_allowed(headers: &HeaderMap, allowed: &[String]) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    let name = if host.starts_with('[') {
        host.split_once(']')
            .map(|(h, _)| format!("{h}]"))
            .unwrap_or_default()
    } else {
        host.split(':').next().unwrap_or("").to_string()
    };
    allowed.iter().any(|a| a.eq_ignore_ascii_case(&name))
}

/// The site file for a URL path: percent-decoded, `index.html` for folders;
/// `None` for anything that tries to leave the site.
pub fn site_path(raw: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .ok()?;
    if decoded.contains('\\') || decoded.contains('\0') {
        return None;
    }
    let mut parts = Vec::new();
    for seg in decoded.split('/') {
        match seg {
            "" | "." => {}
            ".." => return None,
            s if s.starts_with('.') && s != ".nojekyll" => return None,
            s => parts.push(s),
        }
    }
    let mut path = parts.join("/");
    if path.is_empty() || decoded.ends_with('/') {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str("index.html");
    }
    Some(path)
}

fn with_overlay(page: &[u8], overlay: &str) -> Vec<u8> {
    let text = String::from_utf8_lossy(page);
    match text
        .find("<body")
        .and_then(|i| text[i..].find('>').map(|j| i + j + 1))
    {
        Some(at) => format!("{}{overlay}{}", &text[..at], &text[at..]).into_bytes(),
        None => format!("{overlay}{text}").into_bytes(),
    }
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "xml" => "application/xml",
        "ics" => "text/calendar; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn with_type(status: StatusCode, ctype: &'static str, body: Vec<u8>) -> Response {
    let mut resp = (status, body).into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    resp
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    with_type(
        status,
        "text/plain; charset=utf-8",
        text.as_bytes().to_vec(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Served on request, every page is byte for byte the page `build`
    /// writes (plus the live script), and the served site has exactly the
    /// built site's files.
    #[test]
    fn lazy_pages_are_the_built_pages() {
        let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        let (files, site, _) = build_in_memory(&content).expect("the example builds");
        let a = crate::site::analyze_dir(&content, None, true, &mut Diagnostics::new())
            .unwrap()
            .expect("analyzes");
        let built = crate::site::render_site(&a, Some(&theme_root(&content))).expect("renders");
        let mut served: Vec<&String> = files.keys().collect();
        served.sort();
        let paths: Vec<&String> = built.iter().map(|f| &f.path).collect();
        assert_eq!(served, paths);
        for f in &built {
            let bytes = match &files[&f.path] {
                Entry::Ready(b) => b.as_ref().clone(),
                Entry::Page(job) => {
                    assert!(f.path.ends_with(".html"), "{}", f.path);
                    let b = site.page(&f.path, *job).expect("renders");
                    assert!(Arc::ptr_eq(&b, &site.page(&f.path, *job).unwrap()), "kept");
                    b.as_ref().clone()
                }
            };
            let want = if f.path.ends_with(".html") {
                inject_live(&f.bytes)
            } else {
                f.bytes.clone()
            };
            assert!(bytes == want, "{} differs", f.path);
        }
    }

    #[test]
    fn paths_map_to_site_files_and_traversal_is_refused() {
        assert_eq!(site_path("/").as_deref(), Some("index.html"));
        assert_eq!(
            site_path("/reports/2027-01-29/").as_deref(),
            Some("reports/2027-01-29/index.html")
        );
        assert_eq!(
            site_path("/assets/style.css").as_deref(),
            Some("assets/style.css")
        );
        for bad in [
            "/../etc/passwd",
            "/a/../../b",
            "/%2e%2e/x",
            "/%2E%2E%2Fsecret",
            "/a%5c..%5cb",
            "/.tpm-site",
            "/x%00",
        ] {
            assert_eq!(site_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn only_loopback_hosts_are_answered() {
        let allowed = vec![
            "localhost".to_string(),
            "127.0.0.1".to_string(),
            "[::1]".to_string(),
        ];
        let mut h = HeaderMap::new();
        for (host, ok) in [
            ("localhost:1111", true),
            ("127.0.0.1:8080", true),
            ("[::1]:1111", true),
            ("evil.example:1111", false),
            ("localhost.evil.example", false),
        ] {
            h.insert(header::HOST, HeaderValue::from_str(host).unwrap());
            assert_eq!(host_allowed(&h, &allowed), ok, "{host}");
        }
        assert!(!host_allowed(&HeaderMap::new(), &allowed));
    }

    #[test]
    fn live_script_is_injected_and_allowed_by_the_page_policy() {
        let page = b"<html><head><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'\"></head><body><p>x</p></body></html>";
        let out = String::from_utf8(inject_live(page)).unwrap();
        assert!(
            out.contains("content=\"script-src 'self'; connect-src 'self'; default-src 'none'\""),
            "{out}"
        );
        assert!(
            out.contains("<script src=\"/__tpm_site/live.js\"></script></body>"),
            "{out}"
        );
        let overlaid = String::from_utf8(with_overlay(out.as_bytes(), "<div>O</div>")).unwrap();
        assert!(overlaid.contains("<body><div>O</div><p>"), "{overlaid}");
    }
}
