//! Images that carry EXIF GPS positions: a phone photo put in `static/` or a page
//! bundle can tell anyone where it was taken (a school, a home). The build publishes
//! re-encoded copies without it (`images`), but the source still has it (in the
//! repository, in backups), so every image the build outputs is traced to its source
//! file, and the source and the output are both read.

use super::{Context, Finding};
use rayon::prelude::*;

const IMAGE_EXTENSIONS: &[&str] = &[
    ".jpg", ".jpeg", ".tif", ".tiff", ".png", ".webp", ".heic", ".heif", ".avif",
];

pub fn check(cx: &Context) -> Vec<Finding> {
    cx.built
        .files
        .par_iter()
        .filter(|f| {
            let lower = f.path.to_ascii_lowercase();
            IMAGE_EXTENSIONS.iter().any(|e| lower.ends_with(e))
        })
        .filter(|f| has_gps(&f.bytes) || source_path(cx, &f.path).is_some_and(|p| file_has_gps(&p)))
        .map(|f| {
            Finding::new(
                "image-gps",
                source_of(cx, &f.path),
                format!("{} carries a GPS position in its EXIF data", f.path),
            )
            .suggest("the published copy has it removed, but the source in the site folder still has it: `exiftool -gps:all= FILE`, or re-export without location")
        })
        .collect()
}

/// Whether the image's EXIF data holds a latitude or longitude.
pub fn has_gps(bytes: &[u8]) -> bool {
    let Ok(exif) = exif::Reader::new().read_from_container(&mut std::io::Cursor::new(bytes)) else {
        return false;
    };
    exif.fields()
        .any(|f| matches!(f.tag, exif::Tag::GPSLatitude | exif::Tag::GPSLongitude))
}

/// Whether the file at `path` carries a GPS position (read up to its EXIF block only).
fn file_has_gps(path: &std::path::Path) -> bool {
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    let mut reader = std::io::BufReader::new(file);
    exif::Reader::new()
        .read_from_container(&mut reader)
        .is_ok_and(|exif| {
            exif.fields()
                .any(|f| matches!(f.tag, exif::Tag::GPSLatitude | exif::Tag::GPSLongitude))
        })
}

/// The site's own file an output image was made from: a bundle asset or `static/`.
fn source_path(cx: &Context, out: &str) -> Option<std::path::PathBuf> {
    let site = &cx.built.site;
    if let Some(asset) = site.assets.iter().find(|a| a.out_file == out) {
        return Some(asset.src.clone());
    }
    let in_static = cx.root.join("static").join(out);
    in_static.is_file().then_some(in_static)
}

/// The file the image came from (`static/…`, a bundle), else the output path.
fn source_of(cx: &Context, out: &str) -> String {
    let site = &cx.built.site;
    let shown = crate::diagnostics::display_base(cx.root);
    if let Some(asset) = site.assets.iter().find(|a| a.out_file == out) {
        let rel = asset.src.strip_prefix(cx.root).unwrap_or(&asset.src);
        return shown.join(rel).display().to_string();
    }
    let in_static = cx.root.join("static").join(out);
    if in_static.is_file() {
        return shown.join("static").join(out).display().to_string();
    }
    format!("{}/{out}", cx.output_name)
}
