#!/usr/bin/env bash
# What search costs a build (BENCHMARKS.md, "Search"): cold builds of generated sites
# with [search] on and off (alternating, median of N), peak RSS, the index's size, and
# the bytes a few typical queries download (scripts/search-query-bytes.mjs).
#
#   scripts/bench-search.sh [--runs N] [--sizes "1000 10000"] [--bin PATH] [--gen PATH]
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=5
SIZES="1000 10000"
BIN="${CARGO_TARGET_DIR:-target}/release/lantern"
GEN="${CARGO_TARGET_DIR:-target}/release/examples/gen_site"
SHM=/dev/shm/lantern-search-bench
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) RUNS="$2"; shift ;;
        --sizes) SIZES="$2"; shift ;;
        --bin) BIN="$2"; shift ;;
        --gen) GEN="$2"; shift ;;
        *) echo "bench-search.sh: unknown argument $1" >&2; exit 2 ;;
    esac
    shift
done
mkdir -p "$SHM"

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# One cold build of $1 into $2: prints "wall_seconds peak_kib".
cold() {
    local out="$2"
    rm -rf "$out" "$(dirname "$out")/.$(basename "$out").lantern-manifest"
    /usr/bin/time -v "$BIN" build --output "$out" --root "$1" >/dev/null 2>"$SHM/time.txt" ||
        { cat "$SHM/time.txt" >&2; exit 1; }
    local wall rss
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$SHM/time.txt" |
        awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$SHM/time.txt")
    echo "$wall $rss"
}

echo "| pages | build, search off | build, search on | added | peak RSS off | peak RSS on | added | index files | index size | largest shard |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for n in $SIZES; do
    on="$SHM/site-$n"
    off="$SHM/site-$n-off"
    "$GEN" --pages "$n" --out "$on" --seed 42 --reuse >/dev/null
    rm -rf "$off" && cp -r "$on" "$off"
    printf '\n[search]\nenabled = false\n' >>"$off/lantern.toml"
    : >"$SHM/on.txt"; : >"$SHM/off.txt"
    for _ in $(seq "$RUNS"); do
        cold "$off" "$SHM/out-off" >>"$SHM/off.txt"
        cold "$on" "$SHM/out-on" >>"$SHM/on.txt"
    done
    w_off=$(cut -d' ' -f1 "$SHM/off.txt" | median); w_on=$(cut -d' ' -f1 "$SHM/on.txt" | median)
    r_off=$(cut -d' ' -f2 "$SHM/off.txt" | median); r_on=$(cut -d' ' -f2 "$SHM/on.txt" | median)
    files=$(find "$SHM/out-on/search" "$SHM/out-on/ko/search" -name '*.js' | wc -l)
    bytes=$(find "$SHM/out-on/search" "$SHM/out-on/ko/search" -name '*.js' -printf '%s\n' | awk '{s+=$1} END {print s}')
    largest=$(find "$SHM/out-on/search" "$SHM/out-on/ko/search" -name 't*.js' -printf '%s\n' | sort -n | tail -1)
    awk -v n="$n" -v a="$w_off" -v b="$w_on" -v c="$r_off" -v d="$r_on" -v f="$files" -v s="$bytes" -v l="$largest" 'BEGIN {
        printf "| %d | %.2f s | %.2f s | %+.1f%% | %.0f MiB | %.0f MiB | %+.0f MiB | %d | %.2f MB | %.1f KB |\n",
            n, a, b, (b-a)/a*100, c/1024, d/1024, (d-c)/1024, f, s/1e6, l/1e3 }'
    node scripts/search-query-bytes.mjs "$SHM/out-on" search "payments" "privacy settings" "reported" >"$SHM/q-$n.txt"
    node scripts/search-query-bytes.mjs "$SHM/out-on" ko/search "판매자에게" "사물함" "경찰에 신고" >>"$SHM/q-$n.txt"
done
for n in $SIZES; do echo; echo "queries at $n pages:"; cat "$SHM/q-$n.txt"; done
