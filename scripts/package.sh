#!/usr/bin/env bash
# Packs one built Lantern binary for a release:
#
#   scripts/package.sh TARGET [BINARY] [OUT_DIR]
#
# writes OUT_DIR/lantern-vVERSION-TARGET.tar.gz (.zip for Windows targets) holding
# lantern-vVERSION-TARGET/{lantern, README.md, LICENSE-MIT, LICENSE-APACHE}, and beside it
# the archive's SHA-256 in `sha256sum` format (ARCHIVE.sha256). VERSION is Cargo.toml's.
# BINARY defaults to target/TARGET/dist/lantern(.exe), OUT_DIR to dist/.
# The release workflow runs it for every target; .ci/run runs it for the host target and
# installs the archive the way a site's deploy does.
set -euo pipefail
cd "$(dirname "$0")/.."

target="${1:?usage: scripts/package.sh TARGET [BINARY] [OUT_DIR]}"
exe=""
case "$target" in *windows*) exe=".exe" ;; esac
binary="${2:-target/$target/dist/lantern$exe}"
out="${3:-dist}"

version="$(sed -n 's/^version = "\([^"]*\)"$/\1/p' Cargo.toml | head -n 1)"
if [ -z "$version" ]; then
  echo "error: no version in Cargo.toml" >&2
  exit 1
fi
if [ ! -f "$binary" ]; then
  echo "error: $binary does not exist: build it first" >&2
  exit 1
fi

name="lantern-v${version}-${target}"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/$name" "$out"
cp "$binary" "$stage/$name/lantern$exe"
cp README.md LICENSE-MIT LICENSE-APACHE "$stage/$name/"

out_abs="$(cd "$out" && pwd)"
if [ -n "$exe" ]; then
  archive="$name.zip"
  rm -f "$out_abs/$archive"
  if command -v 7z >/dev/null 2>&1; then
    (cd "$stage" && 7z a -tzip -bd "$out_abs/$archive" "$name" >/dev/null)
  else
    (cd "$stage" && zip -qr "$out_abs/$archive" "$name")
  fi
else
  archive="$name.tar.gz"
  tar -C "$stage" -czf "$out_abs/$archive" "$name"
fi

cd "$out_abs"
if command -v sha256sum >/dev/null 2>&1; then
  sha256sum "$archive" >"$archive.sha256"
else
  shasum -a 256 "$archive" >"$archive.sha256"
fi
echo "$out/$archive"
