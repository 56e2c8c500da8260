//! Images that carry EXIF GPS positions: a phone photo put in `static/` or a page
//! bundle can tell anyone where it was taken (a school, a home). Every image the build
//! outputs is read, whichever folder it came from.

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
        .filter(|f| has_gps(&f.bytes))
        .map(|f| {
            Finding::new(
                "image-gps",
                source_of(cx, &f.path),
                format!("{} carries a GPS position in its EXIF data", f.path),
            )
            .suggest("strip the metadata before publishing, e.g. `exiftool -gps:all= FILE` or re-export without location")
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
