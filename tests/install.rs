//! The action's install step (scripts/install.sh, which action.yml runs)
//! against a release served from 127.0.0.1: an archive of the freshly built
//! binary and its sums file in a temp folder, laid out as the release
//! workflow publishes them. It installs and runs; a tampered archive, a
//! platform without an archive and a branch reference without a version are
//! refused with a clear message, a non-zero exit and nothing on PATH.
#![cfg(unix)]

mod common;

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The target triple the release names this machine's archive by.
fn this_target() -> String {
    let arch = match std::env::consts::ARCH {
        "x86_64" => "x86_64",
        "aarch64" => "aarch64",
        other => panic!("no release archive for arch {other}"),
    };
    let os = match std::env::consts::OS {
        "linux" => "unknown-linux-musl",
        "macos" => "apple-darwin",
        other => panic!("no release archive for os {other}"),
    };
    format!("{arch}-{os}")
}

fn sha256_hex(bytes: &[u8]) -> String {
    let d = ring::digest::digest(&ring::digest::SHA256, bytes);
    d.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

/// Serves `root` over HTTP on 127.0.0.1 (GET only, 404 for what is not
/// there) until the test process ends; returns the base URL.
fn serve(root: PathBuf) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            if reader.read_line(&mut request).is_err() {
                continue;
            }
            loop {
                let mut line = String::new();
                match reader.read_line(&mut line) {
                    Ok(0) | Err(_) => break,
                    Ok(_) if line == "\r\n" || line == "\n" => break,
                    Ok(_) => {}
                }
            }
            let path = request.split_whitespace().nth(1).unwrap_or("/");
            let file = root.join(path.trim_start_matches('/'));
            let body = (!path.contains(".."))
                .then(|| fs::read(&file).ok())
                .flatten();
            let _ = match body {
                Some(body) => stream
                    .write_all(
                        format!(
                            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                            body.len()
                        )
                        .as_bytes(),
                    )
                    .and_then(|()| stream.write_all(&body)),
                None => stream.write_all(
                    b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                ),
            };
        }
    });
    format!("http://{addr}/download")
}

/// The archive of the freshly built binary for this platform, made once for
/// all the tests (the debug binary is large): (archive path, its SHA-256).
fn this_archive() -> &'static (PathBuf, String) {
    static ARCHIVE: OnceLock<(tempfile::TempDir, (PathBuf, String))> = OnceLock::new();
    &ARCHIVE
        .get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            let name = format!("tpm-site-{VERSION}-{}", this_target());
            fs::create_dir_all(dir.path().join(&name)).unwrap();
            fs::copy(
                env!("CARGO_BIN_EXE_tpm-site"),
                dir.path().join(&name).join("tpm-site"),
            )
            .unwrap();
            let archive = dir.path().join(format!("{name}.tar.gz"));
            // tar piped through gzip -1: the same format, made fast.
            let ok = Command::new("sh")
                .arg("-c")
                .arg("tar -cf - -C \"$1\" \"$2\" | gzip -1 > \"$3\"")
                .arg("sh")
                .arg(dir.path())
                .arg(&name)
                .arg(&archive)
                .status()
                .unwrap();
            assert!(ok.success());
            let hash = sha256_hex(&fs::read(&archive).unwrap());
            (dir, (archive, hash))
        })
        .1
}

/// A release laid out as the release workflow publishes it,
/// `download/v<version>/`: the archive for each of `targets` and the sums
/// file. This platform's archive holds the freshly built binary; the others
/// are placeholders (the install never fetches them).
fn release(dir: &Path, targets: &[&str]) -> PathBuf {
    let rel = dir.join("download").join(format!("v{VERSION}"));
    fs::create_dir_all(&rel).unwrap();
    let mut sums = String::new();
    for target in targets {
        let file = format!("tpm-site-{VERSION}-{target}.tar.gz");
        let hash = if *target == this_target() {
            let (archive, hash) = this_archive();
            fs::copy(archive, rel.join(&file)).unwrap();
            hash.clone()
        } else {
            fs::write(rel.join(&file), target).unwrap();
            sha256_hex(target.as_bytes())
        };
        sums.push_str(&format!("{hash}  {file}\n"));
    }
    fs::write(rel.join(format!("tpm-site-{VERSION}-sha256sums.txt")), sums).unwrap();
    rel
}

struct Run {
    out: Output,
    install: PathBuf,
    github_path: PathBuf,
}

impl Run {
    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.out.stderr).into_owned()
    }
    fn on_path(&self) -> String {
        fs::read_to_string(&self.github_path).unwrap_or_default()
    }
    /// Refused: non-zero exit, the message, no binary, nothing on PATH.
    fn assert_refused(&self, message: &str) {
        let err = self.stderr();
        assert_eq!(self.out.status.code(), Some(1), "{err}");
        assert!(err.contains(message), "`{message}` in: {err}");
        assert!(!self.install.join("bin/tpm-site").exists(), "{err}");
        assert_eq!(self.on_path(), "", "nothing on PATH");
    }
}

/// Runs the install script as the action does, with `env` on top.
fn install(dir: &Path, base_url: &str, env: &[(&str, &str)], path_prefix: Option<&Path>) -> Run {
    let install = dir.join("install");
    let github_path = dir.join("github_path");
    let github_output = dir.join("github_output");
    fs::write(&github_path, "").unwrap();
    let mut cmd = Command::new("bash");
    cmd.arg(common::root().join("scripts/install.sh"))
        .env_remove("RUNNER_TEMP")
        .env_remove("GITHUB_ACTION_PATH")
        .env_remove("TPM_SITE_TARGET")
        .env("TPM_SITE_BASE_URL", base_url)
        .env("TPM_SITE_INSTALL_DIR", &install)
        .env("TPM_SITE_ACTION_REF", "")
        .env("TPM_SITE_VERSION", VERSION)
        .env("TPM_SITE_FALLBACK", "none")
        .env("GITHUB_PATH", &github_path)
        .env("GITHUB_OUTPUT", &github_output);
    if let Some(prefix) = path_prefix {
        let path = std::env::var("PATH").unwrap_or_default();
        cmd.env("PATH", format!("{}:{path}", prefix.display()));
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    Run {
        out: cmd.output().unwrap(),
        install,
        github_path,
    }
}

#[test]
fn installs_the_archive_for_this_platform_and_puts_it_on_path() {
    let tmp = tempfile::tempdir().unwrap();
    release(tmp.path(), &[&this_target(), "aarch64-apple-darwin"]);
    let url = serve(tmp.path().to_path_buf());
    // The version as the action's release tag gives it (v-prefixed), no input.
    let run = install(
        tmp.path(),
        &url,
        &[
            ("TPM_SITE_VERSION", ""),
            ("TPM_SITE_ACTION_REF", &format!("v{VERSION}")),
        ],
        None,
    );
    let err = run.stderr();
    assert!(run.out.status.success(), "{err}");
    assert!(err.contains("checksum verified"), "{err}");
    let bin_dir = run.install.join("bin");
    assert_eq!(run.on_path(), format!("{}\n", bin_dir.display()));
    let outputs = fs::read_to_string(tmp.path().join("github_output")).unwrap();
    assert!(
        outputs.contains(&format!("version={VERSION}\n")),
        "{outputs}"
    );
    // `tpm-site --version` from PATH, as the next step of a workflow runs it.
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap());
    let out = Command::new("tpm-site")
        .arg("--version")
        .env("PATH", path)
        .output()
        .unwrap();
    let version = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(
        version.starts_with(&format!("tpm-site {VERSION} (commit ")),
        "{version}"
    );
}

#[test]
fn refuses_a_tampered_archive() {
    let tmp = tempfile::tempdir().unwrap();
    let rel = release(tmp.path(), &[&this_target()]);
    let archive = rel.join(format!("tpm-site-{VERSION}-{}.tar.gz", this_target()));
    let mut bytes = fs::read(&archive).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0xff;
    fs::write(&archive, bytes).unwrap();
    let url = serve(tmp.path().to_path_buf());
    let run = install(tmp.path(), &url, &[("TPM_SITE_FALLBACK", "cargo")], None);
    run.assert_refused("checksum mismatch");
    assert!(
        run.stderr()
            .contains("tampered with, and was not installed")
    );
}

#[test]
fn refuses_a_platform_the_release_has_no_archive_for() {
    let tmp = tempfile::tempdir().unwrap();
    release(
        tmp.path(),
        &["aarch64-apple-darwin", "riscv64gc-unknown-linux-musl"],
    );
    let url = serve(tmp.path().to_path_buf());
    let run = install(tmp.path(), &url, &[], None);
    run.assert_refused(&format!(
        "release {VERSION} has no prebuilt tpm-site for {}",
        this_target()
    ));
    // An OS and architecture no release has an archive for (a stand-in
    // `uname` says so).
    let fake = tmp.path().join("fake-uname");
    fs::create_dir_all(&fake).unwrap();
    fs::write(
        fake.join("uname"),
        "#!/bin/sh\ncase \"$1\" in -s) echo SunOS ;; -m) echo sparc64 ;; esac\n",
    )
    .unwrap();
    chmod_x(&fake.join("uname"));
    let run = install(tmp.path(), &url, &[], Some(&fake));
    run.assert_refused("no prebuilt tpm-site for this platform (SunOS sparc64)");
}

fn chmod_x(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn falls_back_to_cargo_install_when_no_archive_fits() {
    let tmp = tempfile::tempdir().unwrap();
    release(tmp.path(), &["aarch64-apple-darwin"]);
    let url = serve(tmp.path().to_path_buf());
    // A stand-in cargo that records its arguments and installs this binary
    // where `cargo install --root` would.
    let fake = tmp.path().join("fake-cargo");
    fs::create_dir_all(&fake).unwrap();
    let log = tmp.path().join("cargo-args");
    fs::write(
        fake.join("cargo"),
        format!(
            "#!/bin/sh\necho \"$@\" > '{log}'\nwhile [ \"$1\" != --root ]; do shift; done\nmkdir -p \"$2/bin\" && cp '{bin}' \"$2/bin/tpm-site\"\n",
            log = log.display(),
            bin = env!("CARGO_BIN_EXE_tpm-site"),
        ),
    )
    .unwrap();
    chmod_x(&fake.join("cargo"));
    let run = install(
        tmp.path(),
        &url,
        &[("TPM_SITE_FALLBACK", "cargo")],
        Some(&fake),
    );
    assert!(run.out.status.success(), "{}", run.stderr());
    assert_eq!(
        fs::read_to_string(&log).unwrap(),
        format!(
            "install --locked --version {VERSION} --root {} tpm-site\n",
            run.install.display()
        )
    );
    assert_eq!(
        run.on_path(),
        format!("{}\n", run.install.join("bin").display())
    );
}

#[test]
fn a_branch_reference_needs_the_version_input() {
    let tmp = tempfile::tempdir().unwrap();
    release(tmp.path(), &[&this_target()]);
    let url = serve(tmp.path().to_path_buf());
    let run = install(
        tmp.path(),
        &url,
        &[("TPM_SITE_VERSION", ""), ("TPM_SITE_ACTION_REF", "main")],
        None,
    );
    run.assert_refused(
        "the action is used at `main`, which is not a release tag: set the input `version`",
    );
    let run = install(tmp.path(), &url, &[("TPM_SITE_VERSION", "9.9.9")], None);
    run.assert_refused("cannot download");
}

#[test]
fn the_version_comes_from_the_action_path_when_the_ref_is_empty() {
    let tmp = tempfile::tempdir().unwrap();
    release(tmp.path(), &[&this_target()]);
    let url = serve(tmp.path().to_path_buf());
    let action_path = format!("/home/runner/work/_actions/tpm-site/tpm-site/v{VERSION}");
    let run = install(
        tmp.path(),
        &url,
        &[
            ("TPM_SITE_VERSION", ""),
            ("TPM_SITE_ACTION_REF", ""),
            ("GITHUB_ACTION_PATH", &action_path),
        ],
        None,
    );
    assert!(run.out.status.success(), "{}", run.stderr());
    assert!(run.install.join("bin/tpm-site").is_file());
    // No ref at all and no version: refused.
    let run = install(tmp.path(), &url, &[("TPM_SITE_VERSION", "")], None);
    assert_eq!(run.out.status.code(), Some(1));
    assert!(
        run.stderr().contains("no version given"),
        "{}",
        run.stderr()
    );
}

#[test]
fn the_action_passes_what_the_script_reads() {
    let root = common::root();
    let action = fs::read_to_string(root.join("action.yml")).unwrap();
    let script = fs::read_to_string(root.join("scripts/install.sh")).unwrap();
    assert!(action.contains("using: composite"));
    assert!(action.contains("run: bash \"$GITHUB_ACTION_PATH/scripts/install.sh\""));
    for (var, from) in [
        ("TPM_SITE_VERSION", "inputs.version"),
        ("TPM_SITE_ACTION_REF", "github.action_ref"),
        ("TPM_SITE_FALLBACK", "inputs.fallback"),
        ("TPM_SITE_BASE_URL", "inputs.base-url"),
    ] {
        assert!(
            action.contains(&format!("{var}: ${{{{ {from} }}}}")),
            "action.yml sets {var} from {from}"
        );
        assert!(
            script.contains(&format!("${{{var}:-")),
            "install.sh reads {var}"
        );
    }
}

#[test]
fn the_release_builds_an_archive_for_every_documented_platform_under_the_names_the_script_reads() {
    let root = common::root();
    let release = fs::read_to_string(root.join(".github/workflows/release.yml")).unwrap();
    let readme = fs::read_to_string(root.join("README.md")).unwrap();
    let script = fs::read_to_string(root.join("scripts/install.sh")).unwrap();
    let targets: Vec<&str> = release
        .lines()
        .filter_map(|l| l.trim().strip_prefix("- { target: "))
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(targets.len(), 5, "{targets:?}");
    assert!(targets.contains(&this_target().as_str()));
    for t in &targets {
        assert!(
            readme.contains(&format!("| `{t}` |")),
            "{t} in README's table"
        );
        let (arch, os) = t.split_once('-').unwrap();
        assert!(
            script.contains(&format!("arch=\"{arch}\""))
                && script.contains(&format!("os=\"{os}\"")),
            "install.sh detects {t}"
        );
    }
    // One naming, written by the release and read by the script.
    assert!(release.contains(r#"name="tpm-site-$VERSION-$TARGET""#));
    assert!(release.contains(r#""tpm-site-$version-sha256sums.txt""#));
    assert!(release.contains("tpm-site-install.sh"));
    assert!(script.contains(r#"archive="tpm-site-$version-$target.$ext""#));
    assert!(script.contains(r#"sums="tpm-site-$version-sha256sums.txt""#));
    assert!(script.contains(r#"binary="$work/x/tpm-site-$version-$target/tpm-site$exe""#));
}
