#!/usr/bin/env bash
# Two Lantern binaries side by side on the photo site of scripts/bench-images.sh (run that
# first: it makes the site), alternating cold builds, then one single-threaded run of the
# second binary. Prints wall, user CPU and peak memory per run (BENCHMARKS.md, "Images").
#
#   scripts/bench-images-side-by-side.sh OLD_BIN NEW_BIN [N=200] [ROUNDS=3]
set -euo pipefail
old="$1"; new="$2"; n="${3:-200}"; rounds="${4:-3}"
site="${WORK:-/tmp}/lantern-bench-images/site-$n"
[ -d "$site/content/photos" ] || { echo "no site at $site: run scripts/bench-images.sh $n first" >&2; exit 1; }
run() { # label bin env-assignment
  rm -rf "$site/site" "$site/.site.lantern-manifest"
  local t; t="$(mktemp)"
  /usr/bin/time -f "$1: wall %e s, user %U s, sys %S s, peak %M KB" -o "$t" \
    env "$3" "$2" build --root "$site" >/dev/null 2>&1 || echo "$1: the build failed"
  cat "$t"; rm -f "$t"
}
for r in $(seq 1 "$rounds"); do
  run "round $r old" "$old" "LANTERN_BENCH=1"
  run "round $r new" "$new" "LANTERN_BENCH=1"
done
run "new, one thread" "$new" "RAYON_NUM_THREADS=1"
