#!/usr/bin/env bash
# Benchmark of the image pipeline (BENCHMARKS.md, "Images"): a site with N phone-size
# photos (4032x3024 JPEGs with an EXIF GPS block, synthetic: smooth colour fields plus
# grain, so they compress like photos), one page bundle per photo; a cold build, then a
# second build with no change. Everything is made under $WORK (default /tmp), outside the
# repository; the generator is a throwaway crate there.
#
#   scripts/bench-images.sh [N=200] [RUNS=3]
set -euo pipefail
n="${1:-200}"
runs="${2:-3}"
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="${WORK:-/tmp}/lantern-bench-images"
bin="${LANTERN_BIN:-$repo/target/release/lantern}"
mkdir -p "$work/gen/src"
cat >"$work/gen/Cargo.toml" <<'TOML'
[package]
name = "gen-photos"
version = "0.0.0"
edition = "2021"
[dependencies]
image = { version = "0.25.10", default-features = false, features = ["jpeg"] }
[profile.release]
opt-level = 3
TOML
cat >"$work/gen/src/main.rs" <<'RS'
// gen-photos DIR N: writes DIR/content/photos/pNNN/{index.md,photo.jpg}.
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (dir, n): (&str, u32) = (&args[1], args[2].parse().unwrap());
    // The GPS APP1 segment of tests/images.rs.
    let app1: [u8; 90] = [0xff,0xe1,0x00,0x58,0x45,0x78,0x69,0x66,0x00,0x00,0x49,0x49,0x2a,0x00,0x08,0x00,0x00,0x00,0x01,0x00,0x25,0x88,0x04,0x00,0x01,0x00,0x00,0x00,0x1a,0x00,0x00,0x00,0x00,0x00,0x00,0x00,0x02,0x00,0x01,0x00,0x02,0x00,0x02,0x00,0x00,0x00,0x4e,0x00,0x00,0x00,0x02,0x00,0x05,0x00,0x03,0x00,0x00,0x00,0x38,0x00,0x00,0x00,0x00,0x00,0x00,0x00,0x25,0x00,0x00,0x00,0x01,0x00,0x00,0x00,0x21,0x00,0x00,0x00,0x01,0x00,0x00,0x00,0x00,0x00,0x00,0x00,0x01,0x00,0x00,0x00];
    for i in 0..n {
        let mut seed = 0x9e3779b9u32.wrapping_mul(i + 1);
        let img = image::RgbImage::from_fn(4032, 3024, |x, y| {
            seed ^= seed << 13; seed ^= seed >> 17; seed ^= seed << 5;
            let grain = (seed % 24) as i32 - 12;
            let f = |a: u32, b: u32, c: u32| (((x / a + y / b + i * c) % 200) as i32 + 28 + grain).clamp(0, 255) as u8;
            image::Rgb([f(17, 23, 7), f(29, 13, 11), f(41, 37, 3)])
        });
        let mut jpeg = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90).encode_image(&img).unwrap();
        let page = format!("{dir}/content/photos/p{i:03}");
        std::fs::create_dir_all(&page).unwrap();
        let mut out = jpeg[..2].to_vec();
        out.extend_from_slice(&app1);
        out.extend_from_slice(&jpeg[2..]);
        std::fs::write(format!("{page}/photo.jpg"), out).unwrap();
        std::fs::write(format!("{page}/index.md"), format!("+++\ntitle = \"Photo {i}\"\n+++\n![Synthetic photo number {i}](photo.jpg)\n")).unwrap();
    }
}
RS
site="$work/site-$n"
if [ ! -d "$site/content/photos" ]; then
  (cd "$work/gen" && CARGO_TARGET_DIR="$work/gen/target" cargo build --release --quiet)
  mkdir -p "$site/content/photos"
  printf 'title = "Photos"\nbase_url = "https://example.org/"\n' >"$site/lantern.toml"
  printf '+++\ntitle = "Home"\n+++\n' >"$site/content/_index.md"
  printf '+++\ntitle = "Photos"\n+++\n' >"$site/content/photos/_index.md"
  "$work/gen/target/release/gen-photos" "$site" "$n"
fi
echo "source photos: $(du -sh "$site/content/photos" | cut -f1) in $n files"
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
cold=(); warm=()
for r in $(seq 1 "$runs"); do
  rm -rf "$site/site" "$site/.site.lantern-manifest"
  s=$(date +%s.%N); "$bin" build --root "$site" >/dev/null 2>&1; e=$(date +%s.%N)
  cold+=("$(echo "$e - $s" | bc)")
  s=$(date +%s.%N); "$bin" build --root "$site" >/dev/null 2>&1; e=$(date +%s.%N)
  warm+=("$(echo "$e - $s" | bc)")
  echo "run $r: cold ${cold[-1]} s, second ${warm[-1]} s"
done
echo "median cold: $(printf '%s\n' "${cold[@]}" | median) s; median second: $(printf '%s\n' "${warm[@]}" | median) s"
echo "published: $(du -sh "$site/site" | cut -f1), $(find "$site/site" -name '*.jpg' | wc -l) JPEG files"
