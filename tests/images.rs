//! Published images (`src/images/`): resized copies at the configured widths (never
//! upscaled), WebP beside PNG, `srcset` that works under a sub-path, no metadata left in
//! any output image (read back with kamadak-exif), the GPS note, alt-text warnings in the
//! build and errors in `lantern check`, a second build that encodes nothing, and a clear
//! error for HEIC. Test images are made here, a few dozen pixels wide.

mod common;
use common::Site;

use assert_cmd::Command;
use std::path::Path;

/// The APP1 (EXIF) segment of a phone photo, reduced to a GPS position: latitude 37°
/// 33' N, longitude 126° 58' E (as in `tests/fixtures/check-image-gps/static/photo.jpg`).
const GPS_APP1: &[u8] = &[
    0xff, 0xe1, 0x00, 0x58, 0x45, 0x78, 0x69, 0x66, 0x00, 0x00, 0x49, 0x49, 0x2a, 0x00, 0x08, 0x00,
    0x00, 0x00, 0x01, 0x00, 0x25, 0x88, 0x04, 0x00, 0x01, 0x00, 0x00, 0x00, 0x1a, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01, 0x00, 0x02, 0x00, 0x02, 0x00, 0x00, 0x00, 0x4e, 0x00,
    0x00, 0x00, 0x02, 0x00, 0x05, 0x00, 0x03, 0x00, 0x00, 0x00, 0x38, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x25, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x21, 0x00, 0x00, 0x00, 0x01, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
];

/// A `w`×`h` JPEG (a gradient) carrying [`GPS_APP1`] right after its start marker.
pub fn gps_jpeg(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([(x * 4) as u8, (y * 4) as u8, 90]));
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90)
        .encode_image(&img)
        .expect("encode test JPEG");
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(GPS_APP1);
    out.extend_from_slice(&jpeg[2..]);
    assert!(has_exif(&out), "the test photo carries EXIF");
    out
}

/// A `w`×`h` PNG with transparency.
fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbaImage::from_fn(w, h, |x, _| image::Rgba([200, 40, 40, (x * 5) as u8]));
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .expect("encode test PNG");
    out
}

fn has_exif(bytes: &[u8]) -> bool {
    exif::Reader::new()
        .read_from_container(&mut std::io::Cursor::new(bytes))
        .is_ok_and(|e| e.fields().next().is_some())
}

const PAGE: &str = "+++\ntitle = \"Trip\"\n+++\n\
![A market street](photo.jpg)\n\n\
![A chart of calls per month](/chart.png)\n\n\
![](photo.jpg)\n\n\
![decorative](/chart.png)\n";

/// A site with a page bundle photo (GPS, 64×40), a static PNG (50×20) and widths 16, 32.
fn site() -> Site {
    let site = Site::minimal();
    site.write(
        "lantern.toml",
        format!("{}\n[images]\nwidths = [16, 32, 64, 800]\n", common::CONFIG),
    );
    site.write("content/guides/_index.md", "+++\ntitle = \"Guides\"\n+++\n");
    site.write("content/guides/trip/index.md", PAGE);
    site.write("content/guides/trip/photo.jpg", gps_jpeg(64, 40));
    site.write("static/chart.png", png(50, 20));
    site
}

fn build(site: &Site, extra: &[&str]) -> common::Output {
    let out = Command::cargo_bin("lantern")
        .expect("binary")
        .current_dir(&site.root)
        .args(["build", "--root", "."])
        .args(extra)
        .timeout(common::BUILD_TIMEOUT)
        .output()
        .expect("run lantern build");
    common::Output {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn built(site: &Site, extra: &[&str]) -> common::Output {
    let out = build(site, extra);
    assert_eq!(
        out.code,
        Some(0),
        "stdout:\n{}\nstderr:\n{}",
        out.stdout,
        out.stderr
    );
    out
}

#[test]
fn widths_and_formats_are_written_never_upscaled() {
    let site = site();
    built(&site, &[]);
    let out = site.path("site");
    let dims =
        |p: &str| image::image_dimensions(out.join(p)).unwrap_or_else(|e| panic!("{p}: {e}"));
    assert_eq!(dims("guides/trip/photo.jpg"), (64, 40));
    assert_eq!(dims("guides/trip/photo-16w.jpg"), (16, 10));
    assert_eq!(dims("guides/trip/photo-32w.jpg"), (32, 20));
    assert_eq!(dims("chart.png"), (50, 20));
    assert_eq!(dims("chart-16w.png"), (16, 6));
    assert_eq!(dims("chart-32w.webp"), (32, 13));
    assert_eq!(dims("chart-50w.webp"), (50, 20));
    for never in [
        "guides/trip/photo-64w.jpg",
        "guides/trip/photo-800w.jpg",
        "guides/trip/photo-16w.webp",
        "chart-64w.png",
    ] {
        assert!(!out.join(never).exists(), "{never} should not be written");
    }
    let webp = std::fs::read(out.join("chart-16w.webp")).expect("read webp");
    assert_eq!(&webp[8..12], b"WEBP");
}

#[test]
fn no_metadata_survives_in_any_output_image() {
    let site = site();
    built(&site, &[]);
    assert!(has_exif(
        &std::fs::read(site.path("content/guides/trip/photo.jpg")).expect("source")
    ));
    let mut images = 0;
    for entry in walkdir::WalkDir::new(site.path("site")) {
        let entry = entry.expect("walk output");
        let name = entry.file_name().to_string_lossy().to_lowercase();
        if [".jpg", ".png", ".webp"].iter().any(|e| name.ends_with(e)) {
            images += 1;
            let bytes = std::fs::read(entry.path()).expect("read output image");
            assert!(
                !has_exif(&bytes),
                "{} still has EXIF",
                entry.path().display()
            );
            for marker in [
                &b"Exif\0"[..],
                b"eXIf",
                b"XML:com.adobe.xmp",
                b"tEXt",
                b"iTXt",
            ] {
                assert!(
                    !bytes.windows(marker.len()).any(|w| w == marker),
                    "{} still has a metadata block",
                    entry.path().display()
                );
            }
        }
    }
    assert!(images >= 8, "every image output was looked at ({images})");
}

/// Every URL in the page's `srcset`s, resolved against the page the way a browser does,
/// names a file that was written; and none of them carries the sub-path as a root path.
#[test]
fn srcset_is_correct_under_a_sub_path() {
    let site = site();
    built(&site, &["--base-url", "https://example.org/sub/"]);
    let page_path = site.path("site/guides/trip/index.html");
    let html = std::fs::read_to_string(&page_path).expect("page");
    assert!(
        html.contains(r#"srcset="photo-16w.jpg 16w, photo-32w.jpg 32w, photo.jpg 64w" sizes="(max-width: 48rem) 100vw, 48rem" width="64" height="40" alt="A market street" loading="lazy" decoding="async""#),
        "{html}"
    );
    assert!(
        html.contains(r#"<picture><source type="image/webp" srcset="../../chart-16w.webp 16w, ../../chart-32w.webp 32w, ../../chart-50w.webp 50w""#),
        "{html}"
    );
    let mut urls = 0;
    for part in html.split("srcset=\"").skip(1) {
        let value = &part[..part.find('"').expect("closed srcset")];
        for candidate in value.split(", ") {
            let url = candidate.split(' ').next().expect("url");
            assert!(
                !url.starts_with('/'),
                "root path {url} breaks under a sub-path"
            );
            let file = page_path.parent().expect("dir").join(url);
            assert!(file.is_file(), "{url} resolves to {}", file.display());
            urls += 1;
        }
    }
    assert!(urls >= 10, "{urls} srcset URLs");
}

#[test]
fn gps_note_and_alt_text_warnings_in_the_build() {
    let site = site();
    let out = built(&site, &[]);
    let all = format!("{}{}", out.stdout, out.stderr);
    assert!(
        all.contains("photo.jpg carries a GPS position")
            && all.contains("content/guides/trip/photo.jpg"),
        "{all}"
    );
    // The third image, `![](photo.jpg)`, on line 8 of the file (front matter included).
    assert!(all.contains("image has no alt text"), "{all}");
    assert!(all.contains("content/guides/trip/index.md:8:1"), "{all}");
    assert_eq!(
        all.matches("image has no alt text").count(),
        1,
        "the decorative one is fine:\n{all}"
    );
    let html = std::fs::read_to_string(site.path("site/guides/trip/index.html")).expect("page");
    assert!(html.contains(r#"alt="" role="presentation""#), "{html}");
}

#[test]
fn check_lists_gps_and_fails_on_missing_alt_text() {
    let site = site();
    let out = Command::cargo_bin("lantern")
        .expect("binary")
        .current_dir(&site.root)
        .args(["check", "--root", ".", "--format", "json"])
        .timeout(common::BUILD_TIMEOUT)
        .output()
        .expect("run lantern check");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let json: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    let findings = json["findings"].as_array().expect("findings");
    let rule = |r: &str| {
        findings
            .iter()
            .filter(|f| f["rule"] == r)
            .collect::<Vec<_>>()
    };
    let gps = rule("image-gps");
    assert_eq!(gps.len(), 1, "{stdout}");
    assert_eq!(gps[0]["file"], "content/guides/trip/photo.jpg");
    // Once on the page, once in its section's print booklet; the decorative one is fine.
    let alt = rule("img-alt");
    assert!(
        alt.iter()
            .any(|f| f["file"] == "content/guides/trip/index.md"),
        "{stdout}"
    );
    for f in &alt {
        assert_eq!(f["severity"], "error", "{stdout}");
        assert!(
            f["message"]
                .as_str()
                .is_some_and(|m| m.contains("photo.jpg")),
            "{stdout}"
        );
    }
}

/// `lantern build` again: every image output is reused from the first build (same
/// modification time); replacing one image re-encodes only that image's files.
#[test]
fn second_build_encodes_nothing() {
    let site = site();
    built(&site, &[]);
    let first = site.snapshot();
    std::thread::sleep(std::time::Duration::from_millis(20));
    built(&site, &[]);
    let second = site.snapshot();
    let images: Vec<_> = first.keys().filter(|p| is_image(p)).collect();
    assert!(images.len() >= 8);
    for p in &images {
        assert_eq!(
            first[*p].1,
            second[*p].1,
            "{} was written again",
            p.display()
        );
    }
    site.write("static/chart.png", png(40, 20));
    built(&site, &[]);
    let third = site.snapshot();
    for p in third.keys().filter(|p| is_image(p)) {
        let changed = first.get(p).is_none_or(|(_, t)| *t != third[p].1);
        let is_chart = p.to_string_lossy().contains("chart");
        assert_eq!(
            changed,
            is_chart,
            "{}: only the chart is re-encoded",
            p.display()
        );
    }
}

/// A `Builder` kept between runs, as `lantern serve` keeps it.
fn serve_builder(site: &Site) -> lantern::build::Builder {
    lantern::build::Builder::new(lantern::build::BuildOptions {
        root: site.root.clone(),
        drafts: false,
        base_url: None,
        output: None,
    })
}

/// `serve`'s path: a kept `Builder` re-encodes nothing on a rebuild, and only the
/// replaced image after it changes.
#[test]
fn serve_re_encodes_only_a_changed_image() {
    let site = site();
    let mut builder = serve_builder(&site);
    let none = std::collections::HashSet::new();
    let first = builder.run(&none).expect("first build");
    assert!(
        first
            .rendered
            .iter()
            .any(|p| p == "guides/trip/photo-16w.jpg")
    );
    let again = builder.run(&none).expect("second build");
    let encoded: Vec<&String> = again
        .rendered
        .iter()
        .filter(|p| is_image(Path::new(p)))
        .collect();
    assert!(encoded.is_empty(), "encoded again: {encoded:?}");
    site.write("content/guides/trip/photo.jpg", gps_jpeg(60, 40));
    let dirty = [site.path("content/guides/trip/photo.jpg")]
        .into_iter()
        .collect();
    let third = builder.run(&dirty).expect("third build");
    let mut encoded: Vec<&String> = third
        .rendered
        .iter()
        .filter(|p| is_image(Path::new(p)))
        .collect();
    encoded.sort();
    assert_eq!(
        encoded,
        [
            "guides/trip/photo-16w.jpg",
            "guides/trip/photo-32w.jpg",
            "guides/trip/photo.jpg"
        ]
    );
}

#[test]
fn heic_is_refused_with_a_way_to_convert() {
    let site = site();
    site.write("content/guides/trip/IMG_0001.HEIC", b"\0\0\0\x18ftypheic");
    let out = build(&site, &[]);
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("IMG_0001.HEIC: cannot publish this image"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("export as JPEG"), "{}", out.stderr);
    assert!(!out.stderr.contains("panicked"));
}

fn is_image(p: &Path) -> bool {
    let s = p.to_string_lossy().to_lowercase();
    [".jpg", ".png", ".webp"].iter().any(|e| s.ends_with(e))
}

/// The committed check fixture is a real, decodable photo with a GPS position (write it
/// again with `LANTERN_WRITE_FIXTURES=1 cargo test --test images`).
#[test]
fn gps_fixture_is_a_real_photo() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/check-image-gps/static/photo.jpg");
    if std::env::var_os("LANTERN_WRITE_FIXTURES").is_some() {
        std::fs::write(&path, gps_jpeg(8, 8)).expect("write fixture");
    }
    let bytes = std::fs::read(&path).expect("fixture");
    assert!(has_exif(&bytes));
    assert_eq!(image::load_from_memory(&bytes).expect("decodes").width(), 8);
}

#[test]
fn the_figure_component_publishes_its_image_through_the_pipeline() {
    let site = site();
    site.write(
        "content/guides/chart.md",
        "+++\ntitle = \"Chart\"\n+++\n::: figure src=\"/chart.png\" alt=\"Calls per month\" caption=\"Calls\"\n:::\n",
    );
    built(&site, &[]);
    let html = std::fs::read_to_string(site.path("site/guides/chart/index.html")).expect("page");
    assert!(html.contains("<figure"), "{html}");
    assert!(
        html.contains("srcset=\""),
        "the figure's image has no srcset:\n{html}"
    );
    assert!(html.contains("chart-16w.png 16w"), "{html}");
    assert!(html.contains("width=\"50\" height=\"20\""), "{html}");
    assert!(site.path("site/chart-16w.png").is_file());
}

/// A page template that asks for two copies: the bundle photo by width, the static
/// chart cut to a square as WebP.
const RESIZING_PAGE: &str = r#"<!doctype html><html lang="en"><title>{{ page.title }}</title>
{% set p = resize_image(path="guides/trip/photo.jpg", width=WIDTH) %}<img id="p" src="{{ p.url }}" srcset="{{ p.srcset }}" sizes="{{ p.sizes }}" width="{{ p.width }}" height="{{ p.height }}" alt="photo {{ p.orig_width }}x{{ p.orig_height }}">
{% set c = resize_image(path="/chart.png", width=10, height=10, op="fill", format="webp") %}<img id="c" src="{{ c.url }}" width="{{ c.width }}" alt="chart">
"#;

fn resizing_site(width: u32) -> Site {
    let site = site();
    site.write(
        "templates/page.html",
        RESIZING_PAGE.replace("WIDTH", &width.to_string()),
    );
    site
}

/// The `src` of the `<img>` whose id is `id` (the minifier may drop the quotes).
fn src_of(html: &str, id: &str) -> String {
    let tag = html
        .split("<img ")
        .map(|t| &t[..t.find('>').unwrap_or(t.len())])
        .find(|t| t.contains(&format!("id={id}")) || t.contains(&format!("id=\"{id}\"")))
        .expect("the img");
    let start = tag.find("src=\"").expect("src") + 5;
    tag[start..start + tag[start..].find('"').expect("closed")].to_string()
}

#[test]
fn resize_image_writes_the_copies_a_template_asks_for() {
    let site = resizing_site(20);
    built(&site, &["--base-url", "https://example.org/sub/"]);
    let out = site.path("site");
    let page = out.join("guides/trip/index.html");
    let html = std::fs::read_to_string(&page).expect("page");
    for attr in [r#"alt="photo 64x40""#, r#"height="13""#, r#"width="20""#] {
        assert!(html.contains(attr), "{attr} in {html}");
    }
    for (id, file, dims) in [
        ("p", "guides/trip/photo-20x13.jpg", (20, 13)),
        ("c", "chart-10x10-fill.webp", (10, 10)),
    ] {
        let src = src_of(&html, id);
        assert!(!src.starts_with('/'), "{src} is relative to the page");
        let resolved = page.parent().expect("dir").join(&src);
        assert_eq!(
            resolved.canonicalize().expect("resolves"),
            out.join(file).canonicalize().expect("written"),
            "{src}"
        );
        assert_eq!(image::image_dimensions(out.join(file)).expect("dims"), dims);
        assert!(!has_exif(&std::fs::read(out.join(file)).expect("read")));
    }
    // The copy's srcset: the same picture at each configured width below 20 (16), and
    // the copy itself, every candidate relative to the page and written.
    let srcset = html
        .split("srcset=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a srcset");
    assert_eq!(srcset, "photo-16x10.jpg 16w, photo-20x13.jpg 20w");
    assert_eq!(
        image::image_dimensions(out.join("guides/trip/photo-16x10.jpg")).expect("dims"),
        (16, 10)
    );
}

/// The page is reused on a second build (its template did not run), so its copies come
/// from the manifest's record: still published, not encoded again. A new size replaces
/// the old copy.
#[test]
fn resize_image_copies_survive_reused_renders_and_follow_edits() {
    let site = resizing_site(20);
    built(&site, &[]);
    let copy = "guides/trip/photo-20x13.jpg";
    let first = site.snapshot();
    std::thread::sleep(std::time::Duration::from_millis(20));
    built(&site, &[]);
    let second = site.snapshot();
    let key = Path::new(copy).to_path_buf();
    assert!(second.contains_key(&key), "the copy is still published");
    assert_eq!(first[&key].1, second[&key].1, "and was not written again");
    site.write("templates/page.html", RESIZING_PAGE.replace("WIDTH", "24"));
    built(&site, &[]);
    assert!(site.path("site/guides/trip/photo-24x15.jpg").is_file());
    assert!(
        !site.path(&format!("site/{copy}")).exists(),
        "the old copy is gone"
    );
}

#[test]
fn resize_image_in_serve_survives_a_rebuild_that_reuses_the_page() {
    let site = resizing_site(20);
    let mut builder = serve_builder(&site);
    let none = std::collections::HashSet::new();
    let first = builder.run(&none).expect("first build");
    assert!(first.rendered.iter().any(|p| p == "chart-10x10-fill.webp"));
    let again = builder.run(&none).expect("second build");
    assert!(
        again
            .files
            .iter()
            .any(|f| f.path == "chart-10x10-fill.webp"),
        "still served"
    );
    assert!(!again.rendered.iter().any(|p| is_image(Path::new(p))));
}

#[test]
fn resize_image_of_an_unknown_image_is_an_error_with_a_suggestion() {
    let site = site();
    site.write(
        "templates/page.html",
        r#"{% set p = resize_image(path="guides/trip/phot.jpg", width=5) %}{{ p.url }}"#,
    );
    let out = build(&site, &[]);
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    assert!(out.stderr.contains("resize_image"), "{}", out.stderr);
    assert!(
        out.stderr.contains("did you mean `guides/trip/photo.jpg`"),
        "{}",
        out.stderr
    );
}

/// A JPEG whose pixels are in a named colour space (as a phone's Display P3 photo).
fn jpeg_with_profile(profile: &[u8]) -> Vec<u8> {
    use image::ImageEncoder;
    let img =
        image::RgbImage::from_fn(64, 40, |x, y| image::Rgb([(x * 4) as u8, (y * 4) as u8, 9]));
    let mut out = Vec::new();
    let mut enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90);
    enc.set_icc_profile(profile.to_vec())
        .expect("JPEG takes a profile");
    enc.encode_image(&img).expect("encode");
    out
}

fn icc_of(bytes: &[u8]) -> Option<Vec<u8>> {
    use image::ImageDecoder;
    image::codecs::jpeg::JpegDecoder::new(std::io::Cursor::new(bytes))
        .expect("a JPEG")
        .icc_profile()
        .expect("readable")
}

#[test]
fn the_colour_profile_is_kept_in_the_copy_and_every_resized_copy() {
    let site = site();
    let profile: Vec<u8> = (0..600u32).map(|i| (i % 251) as u8).collect();
    site.write("content/guides/trip/photo.jpg", jpeg_with_profile(&profile));
    built(&site, &[]);
    for p in [
        "guides/trip/photo.jpg",
        "guides/trip/photo-16w.jpg",
        "guides/trip/photo-32w.jpg",
    ] {
        let bytes = std::fs::read(site.path(&format!("site/{p}"))).expect("published");
        assert_eq!(icc_of(&bytes).as_deref(), Some(&profile[..]), "{p}");
    }
}
