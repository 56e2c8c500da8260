#!/usr/bin/env bash
# Browser tests of the default theme on the bundled site, in headless Chromium:
# axe (WCAG 2.2 A/AA) on every page at 320px and 1280px, no request to another host,
# page weight, reflow, quick exit (with and without JavaScript), focus, print, and the
# Nu HTML Checker. Installs what is missing (Debian's chromium, npm packages), builds
# the release binary and the site into a temp folder, serves it on 127.0.0.1.
#
#   bash tests/browser/run.sh                          # from anywhere
#   LANTERN_BIN=/path/to/lantern bash tests/browser/run.sh   # skip cargo build
set -euo pipefail
cd "$(dirname "$0")/../.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then as_root apt-get update -q; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
}

if [ ! -x /usr/bin/chromium ]; then
  echo "== installing chromium (Debian package)"
  apt_install chromium
fi
if ! command -v java >/dev/null 2>&1; then
  echo "== installing Java for the Nu HTML Checker"
  apt_install default-jre-headless
fi
if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/@axe-core/playwright ] || [ ! -f node_modules/vnu-jar/build/dist/vnu.jar ]; then
  echo "== npm ci"
  # --ignore-scripts: vnu-jar's optional postinstall would try to download a Java runtime.
  npm ci --ignore-scripts --no-audit --no-fund
fi

# LANTERN_BIN=path/to/lantern uses an already built binary instead.
bin="${LANTERN_BIN:-}"
if [ -z "$bin" ]; then
  echo "== building lantern (release)"
  cargo build --release --quiet
  bin="$PWD/target/release/lantern"
fi

work="$(mktemp -d)"
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# Start the server first (on a free port), so the site can be built with its address.
node tests/browser/server.mjs "$work/site" 0 >"$work/server.log" 2>&1 &
server=$!
port=""
for _ in $(seq 1 100); do
  port="$(sed -n 's|^listening on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$work/server.log")"
  [ -n "$port" ] && break
  sleep 0.1
done
if [ -z "$port" ]; then
  echo "the test server did not start:" >&2
  cat "$work/server.log" >&2
  exit 1
fi
base="http://127.0.0.1:$port/"

echo "== building the bundled site for $base"
"$bin" build --base-url "$base" --output "$work/site"

export LANTERN_SITE_DIR="$work/site" LANTERN_BASE_URL="$base" LANTERN_BIN="$bin"

echo "== browser tests"
status=0
node --test --test-concurrency=2 \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$work/tap.txt" \
  tests/browser/pages.test.mjs tests/browser/quick-exit.test.mjs \
  tests/browser/theme.test.mjs tests/browser/navigation.test.mjs \
  tests/browser/html.test.mjs tests/browser/portable.test.mjs \
  tests/browser/live-reload.test.mjs tests/browser/search-tokens.test.mjs \
  tests/browser/search.test.mjs || status=$?

passed="$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$work/tap.txt" | tail -n 1)"
failed="$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$work/tap.txt" | tail -n 1)"
if [ -z "$passed" ] || [ -z "$failed" ]; then
  echo "no test summary (status $status)" >&2
  [ "$status" -ne 0 ] || status=1
  passed="${passed:-0}"
  failed="${failed:-1}"
fi
if [ "$failed" -ne 0 ] && [ "$status" -eq 0 ]; then status=1; fi
echo "${passed} passed, ${failed} failed"
exit "$status"
