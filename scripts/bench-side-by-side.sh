#!/usr/bin/env bash
# Side-by-side benchmarks on one generated 10k site, alternating rounds so both sides see
# the same machine (see BENCHMARKS.md):
#
#   scripts/bench-side-by-side.sh --a BIN_A --b BIN_B [--runs N] [--pages N] [--check]
#
#   * cold `lantern build` (output and manifest removed first) with BIN_A and BIN_B,
#     alternating A B A B …, from tmpfs to tmpfs under /usr/bin/time -v;
#   * with --check: `lantern check` with BIN_B in the same rounds (writes nothing), for
#     the ratio of check to a cold build.
# Prints the median wall time, CPU and peak RSS of each.
# The site is generated once by BIN_B's sibling examples/gen_site (build it with
# `cargo build --release --example gen_site`).
set -euo pipefail
cd "$(dirname "$0")/.."

A="" B="" RUNS=5 PAGES=10000 CHECK=0 SHM=/dev/shm
while [ $# -gt 0 ]; do
    case "$1" in
        --a) A="$2"; shift ;;
        --b) B="$2"; shift ;;
        --runs) RUNS="$2"; shift ;;
        --pages) PAGES="$2"; shift ;;
        --check) CHECK=1 ;;
        --shm) SHM="$2"; shift ;;
        -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "bench-side-by-side.sh: unknown argument $1" >&2; exit 2 ;;
    esac
    shift
done
[ -x "$A" ] && [ -x "$B" ] || { echo "need --a BIN and --b BIN (executables)" >&2; exit 2; }
GEN=$(dirname "$B")/examples/gen_site
[ -x "$GEN" ] || { echo "$GEN missing: cargo build --release --example gen_site" >&2; exit 2; }

site=$SHM/lantern-side-$PAGES
out=$SHM/lantern-side-out
"$GEN" --pages "$PAGES" --seed 42 --out "$site" --reuse >/dev/null
WORK=$(mktemp -d)
trap 'rm -rf "$WORK" "$out" "$(dirname "$out")/.$(basename "$out").lantern-manifest"' EXIT

clean_out() { rm -rf "$out" "$(dirname "$out")/.$(basename "$out").lantern-manifest"; }

# timed NAME CMD… : appends "wall cpu rss_kib" to $WORK/NAME (exit code ignored: check
# exits 1 on findings).
timed() {
    local name=$1; shift
    /usr/bin/time -v -o "$WORK/t" "$@" >/dev/null 2>&1 || true
    awk -F': ' '
        /Elapsed \(wall clock\)/ { n = split($2, p, ":"); w = 0; for (i = 1; i <= n; i++) w = w * 60 + p[i] }
        /User time/ { u = $2 } /System time/ { s = $2 } /Maximum resident/ { r = $2 }
        END { printf "%.3f %.3f %d\n", w, u + s, r }' "$WORK/t" >>"$WORK/$name"
}

median() { sort -g | awk '{a[NR]=$1} END { if (NR % 2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2 }'; }
report() {
    local f=$WORK/$1
    printf '%-8s wall %s s  cpu %s s  peak %s MiB  (%d runs)\n' "$1" \
        "$(awk '{print $1}' "$f" | median)" "$(awk '{print $2}' "$f" | median)" \
        "$(awk '{print $3}' "$f" | median | awk '{printf "%.0f", $1/1024}')" "$(wc -l <"$f")"
}

echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq "$RUNS"); do
    clean_out; timed build-a "$A" build --root "$site" -o "$out"
    clean_out; timed build-b "$B" build --root "$site" -o "$out"
    if [ "$CHECK" = 1 ]; then
        clean_out; timed check-b "$B" check --root "$site"
    fi
    echo "round $r done"
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
report build-a
report build-b
[ "$CHECK" = 1 ] && report check-b
exit 0
