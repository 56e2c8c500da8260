#!/usr/bin/env bash
# End-to-end build benchmarks for Lantern. See BENCHMARKS.md.
#
#   scripts/bench.sh [--with-100k] [--sizes "1000 10000 ..."] [--runs N] [--runs-100k N]
#                    [--seed S] [--shm DIR] [--disk DIR] [--no-build] [--keep]
#                    [--results FILE]
#
# For 1k and 10k generated pages (and 100k with --with-100k; --sizes replaces the list,
# 10000 must stay in it):
#   * N cold builds (output removed first) from tmpfs to tmpfs under /usr/bin/time -v:
#     median wall, user+sys CPU, peak RSS, files in the output, output bytes;
#   * the --timings stage breakdown of one more cold build.
# For 10k only:
#   * "no change" rebuilds: build, then build again into the same output; wall time of the
#     second build and how many output files changed mtime (should be 0);
#   * N cold builds to a folder on disk (--disk, default /tmp/lantern-bench-disk).
# A Markdown summary table is printed at the end and written to --results
# (default target/bench/results.md).
#
# Sites are generated into --shm (default /dev/shm) by examples/gen_site.rs and reused
# when they were generated with the same size and seed.
set -euo pipefail

cd "$(dirname "$0")/.."

RUNS=5
RUNS_100K=""
SEED=42
SHM=/dev/shm
DISK=/tmp/lantern-bench-disk
WITH_100K=0
BUILD=1
KEEP=0
RESULTS=target/bench/results.md
SIZES_ARG="1000 10000"

usage() { sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
    case "$1" in
        --with-100k) WITH_100K=1 ;;
        --sizes) SIZES_ARG="$2"; shift ;;
        --runs) RUNS="$2"; shift ;;
        --runs-100k) RUNS_100K="$2"; shift ;;
        --seed) SEED="$2"; shift ;;
        --shm) SHM="$2"; shift ;;
        --disk) DISK="$2"; shift ;;
        --no-build) BUILD=0 ;;
        --keep) KEEP=1 ;;
        --results) RESULTS="$2"; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "bench.sh: unknown argument $1" >&2; usage >&2; exit 2 ;;
    esac
    shift
done
RUNS_100K=${RUNS_100K:-$RUNS}

TIME=/usr/bin/time
if [ ! -x "$TIME" ]; then
    echo "== /usr/bin/time missing: installing the 'time' package"
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq && apt-get install -y -qq time >/dev/null
    else
        sudo apt-get update -qq && sudo apt-get install -y -qq time >/dev/null
    fi
fi

if [ "$BUILD" = 1 ]; then
    echo "== cargo build --release (lantern, examples/gen_site)"
    cargo build --release --quiet --bin lantern --example gen_site
fi
TARGET_DIR=${CARGO_TARGET_DIR:-target}
BIN=$TARGET_DIR/release/lantern
GEN=$TARGET_DIR/release/examples/gen_site
for f in "$BIN" "$GEN"; do
    [ -x "$f" ] || { echo "bench.sh: $f not found (run without --no-build)" >&2; exit 1; }
done

WORK=$(mktemp -d)
OUTS=()
cleanup() {
    rm -rf "$WORK"
    if [ "$KEEP" = 0 ]; then
        for o in "${OUTS[@]:-}"; do [ -n "$o" ] && clean_out "$o"; done
        rmdir "$DISK" 2>/dev/null || true # only when empty
    fi
}
trap cleanup EXIT

# Removes an output folder and the manifest beside it, so the next build is cold: with
# the manifest, `lantern build` would skip the link check and reuse what it can.
clean_out() {
    rm -rf "$1" "$(dirname "$1")/.$(basename "$1").lantern-manifest"
}

label() { # 1000 -> 1k
    if [ "$1" -ge 1000 ] && [ $(($1 % 1000)) = 0 ]; then echo "$(($1 / 1000))k"; else echo "$1"; fi
}

median() { # numbers on stdin -> median (mean of the two middle values for even counts)
    sort -g | awk '{a[NR]=$1} END { if (NR == 0) { print "n/a"; exit }
        if (NR % 2) printf "%s\n", a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2 }'
}

# Runs one build under `time -v`; appends "wall user+sys rss_kib user sys" to $1.
# Build output goes to $2.
# Returns 1 (after printing why, and the peak RSS reached) when the build fails, e.g. when
# the kernel's OOM killer ends it.
timed_build() {
    local acc=$1 log=$2; shift 2
    if ! "$TIME" -v -o "$WORK/time.txt" "$BIN" build "$@" >"$log" 2>&1; then
        FAILURE="$(grep -E 'terminated by signal|Exit status' "$WORK/time.txt" | head -1 | sed 's/^\s*//'), \
peak RSS $(awk -F': ' '/Maximum resident/ {printf "%d MiB", $2/1024}' "$WORK/time.txt"), \
after $(awk -F': ' '/Elapsed/ {print $2}' "$WORK/time.txt")"
        echo "   build FAILED: $FAILURE" >&2
        tail -5 "$log" >&2
        return 1
    fi
    awk -F': ' '
        /Elapsed \(wall clock\)/ { n = split($2, p, ":"); w = 0; for (i = 1; i <= n; i++) w = w * 60 + p[i] }
        /User time/   { u = $2 }
        /System time/ { s = $2 }
        /Maximum resident set size/ { r = $2 }
        END { printf "%.3f %.3f %d %.3f %.3f\n", w, u + s, r, u, s }' "$WORK/time.txt" >>"$acc"
}

col() { awk -v c="$1" '{print $c}' "$2"; }
mib() { awk '{printf "%.0f\n", $1 / 1024}'; }

machine() {
    echo "- nproc: $(nproc)"
    echo "- CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
    echo "- RAM: $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
    echo "- kernel: $(uname -r)"
    echo "- tmpfs: $SHM; disk: $DISK ($(df -T "$(dirname "$DISK")" | awk 'NR==2 {print $2}'))"
    # LANTERN_REV describes the code when this is not a git checkout (e.g. a snapshot).
    echo "- lantern: ${LANTERN_REV:-$(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- src themes 2>/dev/null || echo ' + uncommitted changes')}"
    echo "- load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
}

read -r -a SIZES <<<"$SIZES_ARG"
[ "$WITH_100K" = 1 ] && SIZES+=(100000)
case " ${SIZES[*]} " in *" 10000 "*) ;; *) echo "bench.sh: --sizes must include 10000" >&2; exit 2 ;; esac

declare -A ROW TIMINGS SYS
echo "== machine"
MACHINE=$(machine)
echo "$MACHINE"

for n in "${SIZES[@]}"; do
    l=$(label "$n")
    site=$SHM/lantern-bench-$l-s$SEED
    out=$SHM/lantern-bench-out-$l
    OUTS+=("$out")
    runs=$RUNS
    [ "$n" = 100000 ] && runs=$RUNS_100K
    echo
    echo "== $l pages: site $site"
    "$GEN" --pages "$n" --seed "$SEED" --out "$site" --reuse
    acc=$WORK/cold-$l.txt
    : >"$acc"
    failed=0
    for r in $(seq "$runs"); do
        clean_out "$out"
        timed_build "$acc" "$WORK/log.txt" --root "$site" -o "$out" || { failed=1; break; }
        files=$(find "$out" -type f | wc -l)
        bytes=$(du -sb "$out" | cut -f1)
        echo "$files $bytes" >>"$WORK/files-$l.txt"
        read -r w c m _ < <(tail -1 "$acc")
        printf '   cold run %d: wall %6.2f s  cpu %6.2f s  rss %5d MiB  files %d  bytes %d\n' \
            "$r" "$w" "$c" $((m / 1024)) "$files" "$bytes"
    done
    if [ "$failed" = 1 ]; then
        clean_out "$out"
        [ "$l" = 10k ] && { echo "bench.sh: the 10k build must succeed" >&2; exit 1; }
        ROW[$l]="| $l | failed | $FAILURE | | | | | |"
        TIMINGS[$l]="(build failed: $FAILURE)"
        continue
    fi
    wall=$(col 1 "$acc" | median)
    wall_min=$(col 1 "$acc" | sort -g | head -1)
    cpu=$(col 2 "$acc" | median)
    SYS[$l]=$(col 5 "$acc" | median)
    rss=$(col 3 "$acc" | median | mib)
    files=$(col 1 "$WORK/files-$l.txt" | median)
    bytes=$(col 2 "$WORK/files-$l.txt" | median)
    ROW[$l]="| $l | $runs | $wall | $wall_min | $cpu | $rss | $files | $bytes |"
    echo "   median: wall $wall s (min $wall_min s), user+sys $cpu s, peak RSS $rss MiB, $files files, $bytes bytes"
    clean_out "$out"
    echo "-- $l: --timings of one more cold build"
    "$BIN" build --root "$site" -o "$out" --timings | tee "$WORK/timings-$l.txt"
    TIMINGS[$l]=$(cat "$WORK/timings-$l.txt")
    clean_out "$out"
done

# Second build with no change (10k).
l=10k
site=$SHM/lantern-bench-$l-s$SEED
out=$SHM/lantern-bench-out-$l-nochange
OUTS+=("$out")
echo
echo "== $l: second build with no change ($RUNS runs, into $out)"
clean_out "$out"
"$BIN" build --root "$site" -o "$out" >/dev/null
acc=$WORK/nochange.txt
: >"$acc"
changed_all=()
written_all=()
for r in $(seq "$RUNS"); do
    find "$out" -type f -printf '%T@ %p\n' | sort >"$WORK/before.txt"
    sleep 1.1 # so a rewritten file cannot keep the same mtime by coincidence
    timed_build "$acc" "$WORK/log.txt" --root "$site" -o "$out" --timings || exit 1
    find "$out" -type f -printf '%T@ %p\n' | sort >"$WORK/after.txt"
    # Files that are new or whose mtime changed (lines only in "after").
    changed=$(comm -13 "$WORK/before.txt" "$WORK/after.txt" | wc -l)
    written=$(awk '/files written:/ {print $3}' "$WORK/log.txt")
    changed_all+=("$changed")
    written_all+=("$written")
    read -r w c m _ < <(tail -1 "$acc")
    printf '   no-change run %d: wall %6.2f s  cpu %6.2f s  rss %5d MiB  files written (report) %s  mtimes changed %d\n' \
        "$r" "$w" "$c" $((m / 1024)) "$written" "$changed"
done
NC_WALL=$(col 1 "$acc" | median)
NC_WALL_MIN=$(col 1 "$acc" | sort -g | head -1)
NC_CPU=$(col 2 "$acc" | median)
NC_RSS=$(col 3 "$acc" | median | mib)
NC_CHANGED=$(printf '%s\n' "${changed_all[@]}" | sort -n | tail -1)
NC_WRITTEN=$(printf '%s\n' "${written_all[@]}" | sort -n | tail -1)
NC_TIMINGS=$(grep -v '^Built' "$WORK/log.txt" || true)
echo "   median wall $NC_WALL s, user+sys $NC_CPU s; most files with a new mtime in one run: $NC_CHANGED"
echo "-- --timings of the last no-change build"
echo "$NC_TIMINGS"
clean_out "$out"

# Cold build to disk (10k). Each run writes to a new folder and the folders are removed
# only after the last run: ext4 skips inodes freed in the last minutes when it allocates
# (fs/ext4/ialloc.c, recently_deleted), and creating 23k files right after deleting 23k
# costs many seconds of system time that belong to the `rm -rf`, not to the build.
echo
echo "== $l: cold builds to disk ($DISK)"
mkdir -p "$DISK"
acc=$WORK/disk.txt
: >"$acc"
for r in $(seq "$RUNS"); do
    out=$DISK/out-$l-$r
    OUTS+=("$out")
    clean_out "$out"
    sync
    timed_build "$acc" "$WORK/log.txt" --root "$site" -o "$out" || exit 1
    read -r w c m u s < <(tail -1 "$acc")
    printf '   disk run %d: wall %6.2f s  cpu %6.2f s (user %.2f, sys %.2f)  rss %5d MiB\n' \
        "$r" "$w" "$c" "$u" "$s" $((m / 1024))
done
DISK_WALL=$(col 1 "$acc" | median)
DISK_WALL_MIN=$(col 1 "$acc" | sort -g | head -1)
DISK_CPU=$(col 2 "$acc" | median)
DISK_SYS=$(col 5 "$acc" | median)
DISK_RSS=$(col 3 "$acc" | median | mib)
for r in $(seq "$RUNS"); do clean_out "$DISK/out-$l-$r"; done

LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

mkdir -p "$(dirname "$RESULTS")"
{
    echo "# Lantern build benchmark ($(date -u '+%Y-%m-%d %H:%M UTC'))"
    echo
    echo "$MACHINE"
    echo "- load average at end: $LOAD_END"
    echo
    echo "## Cold builds, tmpfs to tmpfs (medians)"
    echo
    echo "| pages | runs | wall (s) | min wall (s) | user+sys (s) | peak RSS (MiB) | files written | output bytes |"
    echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
    for n in "${SIZES[@]}"; do echo "${ROW[$(label "$n")]}"; done
    echo
    for n in "${SIZES[@]}"; do
        echo "### --timings, $(label "$n") (one cold build)"
        echo
        echo '```'
        echo "${TIMINGS[$(label "$n")]}"
        echo '```'
        echo
    done
    echo "## 10k: second build with no change (median of $RUNS)"
    echo
    echo "| wall (s) | min wall (s) | user+sys (s) | peak RSS (MiB) | files written (report, max) | files with a new mtime (max) |"
    echo "|---:|---:|---:|---:|---:|---:|"
    echo "| $NC_WALL | $NC_WALL_MIN | $NC_CPU | $NC_RSS | $NC_WRITTEN | $NC_CHANGED |"
    echo
    echo '```'
    echo "$NC_TIMINGS"
    echo '```'
    echo
    echo "## 10k: cold build to disk vs tmpfs (median of $RUNS)"
    echo
    echo "| output on | wall (s) | min wall (s) | user+sys (s) | of which sys (s) | peak RSS (MiB) |"
    echo "|---|---:|---:|---:|---:|---:|"
    echo "| tmpfs ($SHM) | $(echo "${ROW[10k]}" | awk -F'|' -v sys="${SYS[10k]}" '{gsub(/ /,""); print $4" | "$5" | "$6" | "sys" | "$7}') |"
    echo "| disk ($DISK) | $DISK_WALL | $DISK_WALL_MIN | $DISK_CPU | $DISK_SYS | $DISK_RSS |"
} >"$RESULTS"

echo
echo "================================================================"
cat "$RESULTS"
echo
echo "(written to $RESULTS)"
