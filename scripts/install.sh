#!/usr/bin/env bash
# Installs a prebuilt tpm-site from its release archives: picks the archive for
# this machine's OS and architecture, verifies its SHA-256 against the release's
# sums file, and puts `tpm-site` on PATH. Where no archive fits this machine,
# it falls back to `cargo install --locked --version` (when cargo is there and
# the fallback is not turned off). A checksum mismatch is never bypassed.
#
# The GitHub Action (action.yml) runs this script; GitLab CI and people run it
# too (it is attached to every release as tpm-site-install.sh). bash 3.2+, curl
# or wget, tar (unzip or 7z on Windows), sha256sum or shasum.
#
# Environment:
#   TPM_SITE_VERSION      the version to install (0.1.0 or v0.1.0). Empty: taken
#                         from TPM_SITE_ACTION_REF when that is a v<version> tag.
#   TPM_SITE_ACTION_REF   the ref the action is used at (set by action.yml;
#                         else read from GITHUB_ACTION_PATH, .../_actions/o/n/<ref>).
#   TPM_SITE_BASE_URL     where releases are: <base>/v<version>/<file>
#                         (default: this project's GitHub releases).
#   TPM_SITE_INSTALL_DIR  install into <dir>/bin (default: $RUNNER_TEMP/tpm-site,
#                         else $HOME/.tpm-site).
#   TPM_SITE_FALLBACK     `cargo` (default) or `none`.
#   TPM_SITE_TARGET       the target triple to install (default: detected).
# PATH: appends <dir>/bin to $GITHUB_PATH when set (GitHub Actions), and
# writes `version` and `path` to $GITHUB_OUTPUT when set.
set -euo pipefail

readonly DEFAULT_BASE_URL="https://github.com/tpm-site/tpm-site/releases/download"

die() {
  echo "tpm-site install: error: $*" >&2
  exit 1
}
say() { echo "tpm-site install: $*" >&2; }

# The version: the input, else the tag the action is referenced by.
version="${TPM_SITE_VERSION:-}"
if [ -z "$version" ]; then
  ref="${TPM_SITE_ACTION_REF:-}"
  # github.action_ref can be empty (nested composite actions); the runner
  # keeps a used action under _actions/<owner>/<name>/<ref>.
  case "${GITHUB_ACTION_PATH:-}" in
    */_actions/*) [ -n "$ref" ] || ref="$(basename "$GITHUB_ACTION_PATH")" ;;
  esac
  case "$ref" in
    v[0-9]*.[0-9]*.[0-9]*) version="$ref" ;;
    "") die "no version given: set the input \`version\` (e.g. 0.1.0), or use the action at a release tag (uses: tpm-site/tpm-site@v0.1.0)" ;;
    *) die "the action is used at \`$ref\`, which is not a release tag: set the input \`version\` (e.g. 0.1.0)" ;;
  esac
fi
version="${version#v}"
case "$version" in
  [0-9]*.[0-9]*.[0-9]*) ;;
  *) die "\`$version\` is not a version (expected e.g. 0.1.0)" ;;
esac
case "$version" in
  *[!0-9A-Za-z.+-]*) die "\`$version\` is not a version (expected e.g. 0.1.0)" ;;
esac

base_url="${TPM_SITE_BASE_URL:-$DEFAULT_BASE_URL}"
base_url="${base_url%/}"
fallback="${TPM_SITE_FALLBACK:-cargo}"
case "$fallback" in cargo | none) ;; *) die "TPM_SITE_FALLBACK is \`$fallback\`: use \`cargo\` or \`none\`" ;; esac
if [ -n "${TPM_SITE_INSTALL_DIR:-}" ]; then
  install_dir="$TPM_SITE_INSTALL_DIR"
elif [ -n "${RUNNER_TEMP:-}" ]; then
  install_dir="$RUNNER_TEMP/tpm-site"
else
  install_dir="${HOME:-/tmp}/.tpm-site"
fi
# Git Bash on Windows: work with its own paths, give the runner Windows ones.
if command -v cygpath > /dev/null 2>&1; then install_dir="$(cygpath -u "$install_dir")"; fi
bin_dir="$install_dir/bin"

# This machine's target triple, as the release archives name it.
detect_target() {
  local os arch
  case "$(uname -s)" in
    Linux) os="unknown-linux-musl" ;;
    Darwin) os="apple-darwin" ;;
    MINGW* | MSYS* | CYGWIN* | Windows_NT) os="pc-windows-msvc" ;;
    *) os="" ;;
  esac
  case "$(uname -m)" in
    x86_64 | amd64 | AMD64) arch="x86_64" ;;
    aarch64 | arm64 | ARM64) arch="aarch64" ;;
    *) arch="" ;;
  esac
  if [ -n "$os" ] && [ -n "$arch" ]; then echo "$arch-$os"; fi
}
target="${TPM_SITE_TARGET:-$(detect_target)}"
platform="$(uname -s) $(uname -m)"

case "$target" in
  *-windows-*) ext="zip" exe=".exe" ;;
  *) ext="tar.gz" exe="" ;;
esac
archive="tpm-site-$version-$target.$ext"
sums="tpm-site-$version-sha256sums.txt"

download() { # url file
  if command -v curl > /dev/null 2>&1; then
    curl -fsSL --retry 3 --retry-delay 1 -o "$2" "$1"
  elif command -v wget > /dev/null 2>&1; then
    wget -q -O "$2" "$1"
  else
    die "neither curl nor wget is installed"
  fi
}

sha256_of() {
  if command -v sha256sum > /dev/null 2>&1; then
    sha256sum "$1" | cut -d ' ' -f 1
  elif command -v shasum > /dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d ' ' -f 1
  else
    die "neither sha256sum nor shasum is installed: cannot verify the download"
  fi
}

# Puts bin_dir on PATH for the next steps, and says what was installed.
announce() {
  local got
  got="$("$bin_dir/tpm-site$exe" --version)" || die "the installed tpm-site does not run"
  case "$got" in
    "tpm-site $version "* | "tpm-site $version") ;;
    *) die "installed \`$got\`, not tpm-site $version" ;;
  esac
  local shown="$bin_dir"
  if command -v cygpath > /dev/null 2>&1; then shown="$(cygpath -w "$bin_dir")"; fi
  if [ -n "${GITHUB_PATH:-}" ]; then echo "$shown" >> "$GITHUB_PATH"; fi
  if [ -n "${GITHUB_OUTPUT:-}" ]; then
    {
      echo "version=$version"
      echo "path=$shown/tpm-site$exe"
    } >> "$GITHUB_OUTPUT"
  fi
  say "installed $got into $bin_dir"
  if [ -z "${GITHUB_PATH:-}" ]; then
    case ":$PATH:" in
      *":$bin_dir:"*) ;;
      *) say "add it to PATH: export PATH=\"$bin_dir:\$PATH\"" ;;
    esac
  fi
}

# No archive fits: build it with cargo, or refuse.
no_archive() { # why
  if [ "$fallback" = cargo ] && command -v cargo > /dev/null 2>&1; then
    say "$1; building it with cargo install --locked --version $version (this takes minutes)"
    cargo install --locked --version "$version" --root "$install_dir" tpm-site
    announce
    exit 0
  fi
  if [ "$fallback" = cargo ]; then
    die "$1, and cargo is not installed to build it (install Rust, or use a supported platform)"
  fi
  die "$1 (and the cargo fallback is off)"
}

[ -n "$target" ] || no_archive "no prebuilt tpm-site for this platform ($platform)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

say "tpm-site $version for $target from $base_url/v$version/"
download "$base_url/v$version/$sums" "$work/$sums" ||
  die "cannot download $base_url/v$version/$sums: is $version a released version?"
# The sums file lists `<sha256>  <file>`; this platform's line, if any.
expected="$(awk -v f="$archive" '{ n = $2; sub(/^\*/, "", n); if (n == f) print $1 }' "$work/$sums")"
[ -n "$expected" ] || no_archive "release $version has no prebuilt tpm-site for $target ($archive is not in $sums)"
case "$expected" in
  *[!0-9a-fA-F]* | "") die "$sums has no valid SHA-256 for $archive" ;;
esac
[ "${#expected}" -eq 64 ] || die "$sums has no valid SHA-256 for $archive"

download "$base_url/v$version/$archive" "$work/$archive" ||
  die "cannot download $base_url/v$version/$archive"
actual="$(sha256_of "$work/$archive")"
expected="$(echo "$expected" | tr 'A-F' 'a-f')"
if [ "$actual" != "$expected" ]; then
  die "checksum mismatch for $archive: expected $expected (from $sums), got $actual; the download is corrupt or was tampered with, and was not installed"
fi
say "checksum verified (sha256 $actual)"

mkdir -p "$work/x"
case "$ext" in
  zip)
    if command -v unzip > /dev/null 2>&1; then
      unzip -q "$work/$archive" -d "$work/x"
    elif command -v 7z > /dev/null 2>&1; then
      7z x -y -o"$work/x" "$work/$archive" > /dev/null
    else
      die "neither unzip nor 7z is installed to unpack $archive"
    fi
    ;;
  *) tar -xzf "$work/$archive" -C "$work/x" ;;
esac
binary="$work/x/tpm-site-$version-$target/tpm-site$exe"
[ -f "$binary" ] || die "$archive does not hold tpm-site-$version-$target/tpm-site$exe"
mkdir -p "$bin_dir"
cp "$binary" "$bin_dir/tpm-site$exe.new"
chmod 755 "$bin_dir/tpm-site$exe.new"
mv -f "$bin_dir/tpm-site$exe.new" "$bin_dir/tpm-site$exe"
announce
