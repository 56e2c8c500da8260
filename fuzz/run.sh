#!/usr/bin/env bash
# Runs every fuzz target for a fixed time: `bash fuzz/run.sh [SECONDS]` (default 20).
# Needs a nightly toolchain; without one it says so and succeeds, so CI passes on
# machines that only have stable. Installs cargo-fuzz when it is missing.
# New corpus entries go to a temporary folder (the seeds in fuzz/corpus stay as they are);
# a crash leaves its input in fuzz/artifacts/<target>/ and fails the script.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-20}"

if ! cargo +nightly --version >/dev/null 2>&1; then
    echo "skipped: no nightly toolchain (rustup toolchain install nightly)"
    exit 0
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    echo "installing cargo-fuzz"
    cargo install cargo-fuzz --locked --quiet
fi

# No AddressSanitizer: Lantern has no unsafe code of its own, and without it the build
# and the runs are quicker. 16 codegen units: a quicker build, somewhat slower runs.
flags=(--sanitizer none --codegen-units 16)
start=$SECONDS
cargo +nightly fuzz build "${flags[@]}"
echo "built in $((SECONDS - start)) s"

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for target in $(cargo +nightly fuzz list); do
    mkdir -p "$scratch/$target"
    log="$scratch/$target.log"
    if cargo +nightly fuzz run "${flags[@]}" "$target" "$scratch/$target" "corpus/$target" -- \
        -max_total_time="$seconds" >"$log" 2>&1; then
        echo "$target: $(grep -E '^Done [0-9]+ runs' "$log" || echo 'no summary')"
    else
        tail -n 60 "$log"
        echo "fuzz target $target failed; the input is in fuzz/artifacts/$target/"
        exit 1
    fi
done
echo "fuzzing took $((SECONDS - start)) s"
