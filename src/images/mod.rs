//! Published images: resized to the configured widths, re-encoded from decoded pixels
//! (so no EXIF, XMP, IPTC or GPS block survives), and written with `srcset`.
//!
//! Three parts, one per stage: [`Index`] probes every publishable image once per build
//! (dimensions after EXIF orientation, whether it carried a GPS position) before the
//! fingerprints are taken, so a page's Markdown fingerprint covers the sizes its
//! `<picture>` markup shows; [`html::rewrite`] turns a body's `<img>` tags into that
//! markup; [`encode`] makes the bytes, inside render jobs (cached by the digest of the
//! source bytes and the settings, like every other output).
//!
//! WebP: `image` encodes WebP losslessly only. Lossless WebP of a photo is several times
//! the size of a JPEG (see BENCHMARKS.md), so JPEG sources get JPEG variants only, while
//! PNG sources (screenshots, diagrams) get lossless WebP variants, smaller than PNG,
//! with the PNG kept as the fallback.

pub mod encode;
pub mod html;
pub mod output;
pub mod resize;

use crate::diagnostics::Diagnostic;
use crate::render::outputs::{StaticFile, StaticSource};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// `[images]` in `lantern.toml`.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct ImageConfig {
    /// Widths (pixels) of the resized copies; never larger than the source.
    pub widths: Vec<u32>,
    /// JPEG quality, 1 to 100.
    pub quality: u8,
    /// The `sizes` attribute: how wide the image is shown.
    pub sizes: String,
    /// Budget for the images one page loads (KiB), read by the browser weight test.
    pub page_budget_kb: u64,
}

impl Default for ImageConfig {
    fn default() -> Self {
        ImageConfig {
            widths: vec![480, 960, 1600],
            quality: 80,
            sizes: "(max-width: 48rem) 100vw, 48rem".into(),
            page_budget_kb: 400,
        }
    }
}

impl ImageConfig {
    /// What every encode depends on besides its source bytes and width.
    pub fn digest(&self) -> u64 {
        crate::render::fingerprint::combine([u64::from(self.quality), ENCODER_VERSION])
    }
}

/// Bumped when the encoding changes, so the next build re-encodes (2: colour profiles
/// kept, transparency over white in JPEG).
const ENCODER_VERSION: u64 = 2;

/// An image format Lantern decodes and re-encodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Jpeg,
    Png,
    Webp,
}

impl Kind {
    /// By file extension (case-insensitive).
    pub fn of(path: &str) -> Option<Kind> {
        let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "jpg" | "jpeg" => Some(Kind::Jpeg),
            "png" => Some(Kind::Png),
            "webp" => Some(Kind::Webp),
            _ => None,
        }
    }

    /// The extension Lantern writes for files it names itself.
    pub fn extension(self) -> &'static str {
        match self {
            Kind::Jpeg => "jpg",
            Kind::Png => "png",
            Kind::Webp => "webp",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Kind::Jpeg => "image/jpeg",
            Kind::Png => "image/png",
            Kind::Webp => "image/webp",
        }
    }

    /// Whether resized copies also come as (lossless) WebP: only where that is smaller.
    pub fn with_webp(self) -> bool {
        self == Kind::Png
    }
}

/// Formats no well-kept pure-Rust crate decodes, with how to convert them.
pub fn undecodable(path: &str) -> Option<&'static str> {
    let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
    match ext.as_str() {
        "heic" | "heif" => Some(
            "HEIC/HEIF photos (iPhone) cannot be published: export as JPEG (iPhone: Settings > Camera > Formats > Most Compatible; or `magick in.heic out.jpg`, `sips -s format jpeg in.heic --out out.jpg` on a Mac)",
        ),
        "avif" => Some(
            "AVIF images cannot be re-encoded here: convert to JPEG or PNG (`magick in.avif out.jpg`)",
        ),
        "tif" | "tiff" => Some(
            "TIFF images cannot be published: convert to JPEG or PNG (`magick in.tif out.jpg`)",
        ),
        _ => None,
    }
}

/// What a build knows about one image before encoding it.
#[derive(Debug, Clone, PartialEq)]
pub struct Probe {
    pub kind: Kind,
    /// As displayed (EXIF orientation applied).
    pub width: u32,
    pub height: u32,
    /// The source carried a GPS position (the published copies do not).
    pub gps: bool,
}

/// One resized copy of an image.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// Output path (`guides/x/pic-480w.jpg`).
    pub path: String,
    pub width: u32,
    pub height: u32,
    pub kind: Kind,
}

impl Probe {
    /// The resized copies of the image at output path `path`: every configured width
    /// smaller than the source, in the source's format and (where smaller) WebP; WebP
    /// also at the source's own width. The source format at full width is the published
    /// original itself, not a variant.
    pub fn variants(&self, path: &str, cfg: &ImageConfig) -> Vec<Variant> {
        let widths = widths_below(&cfg.widths, self.width);
        let mut out = Vec::new();
        for &w in &widths {
            out.push(self.variant(path, w, self.kind));
        }
        if self.kind.with_webp() {
            for &w in widths.iter().chain([self.width].iter()) {
                out.push(self.variant(path, w, Kind::Webp));
            }
        }
        out
    }

    fn variant(&self, path: &str, width: u32, kind: Kind) -> Variant {
        let height = scaled_height(self.width, self.height, width);
        let stem = path.rsplit_once('.').map_or(path, |(s, _)| s);
        let ext = match kind {
            Kind::Jpeg => path.rsplit_once('.').map_or("jpg", |(_, e)| e),
            Kind::Png => "png",
            Kind::Webp => "webp",
        };
        Variant {
            path: format!("{stem}-{width}w.{ext}"),
            width,
            height,
            kind,
        }
    }
}

/// The configured `widths` a copy of an image `width` pixels wide is made at: those
/// below it (never an upscale), smallest first, each once.
pub fn widths_below(widths: &[u32], width: u32) -> Vec<u32> {
    let mut below: Vec<u32> = widths
        .iter()
        .copied()
        .filter(|&w| w > 0 && w < width)
        .collect();
    below.sort_unstable();
    below.dedup();
    below
}

/// The height that keeps the aspect ratio at `width` (at least 1).
pub fn scaled_height(src_w: u32, src_h: u32, width: u32) -> u32 {
    let h = (u64::from(src_h) * u64::from(width) + u64::from(src_w) / 2) / u64::from(src_w.max(1));
    u32::try_from(h).unwrap_or(u32::MAX).max(1)
}

/// Every publishable image of a build by output path, probed once.
#[derive(Debug, Default, Clone)]
pub struct Index {
    pub images: HashMap<String, Probe>,
    pub config: ImageConfig,
    /// Over every probe: what page markup depends on.
    pub digest: u64,
}

impl Index {
    /// Probes the static files and bundle assets that are images (in parallel). An image
    /// that cannot be read is left out here; its publishing job reports it.
    pub fn build(statics: &[StaticFile], config: &ImageConfig) -> Index {
        let images: HashMap<String, Probe> = statics
            .par_iter()
            .filter(|f| Kind::of(&f.path).is_some())
            .filter_map(|f| {
                let bytes = source_bytes(f).ok()?;
                probe(&bytes).ok().map(|p| (f.path.clone(), p))
            })
            .collect();
        let mut keys: Vec<(&String, &Probe)> = images.iter().collect();
        keys.sort_by(|a, b| a.0.cmp(b.0));
        let digest = crate::render::fingerprint::combine(keys.iter().map(|(k, p)| {
            crate::load::hash_of(&[
                k.as_bytes(),
                &p.width.to_le_bytes(),
                &p.height.to_le_bytes(),
                p.kind.mime().as_bytes(),
            ])
        }));
        Index {
            images,
            config: config.clone(),
            digest,
        }
    }

    /// A note per source image that carried a GPS position, naming its file.
    pub fn gps_notes(&self, statics: &[StaticFile]) -> Vec<Diagnostic> {
        let mut notes: Vec<Diagnostic> = statics
            .iter()
            .filter(|f| self.images.get(&f.path).is_some_and(|p| p.gps))
            .map(|f| {
                Diagnostic::new(format!(
                    "note: {} carries a GPS position (where it was taken); the published copies have it removed",
                    f.origin
                ))
                .with_help("remove it from the source too, e.g. `exiftool -gps:all= FILE`, before sharing the site's files")
                .warning()
            })
            .collect();
        notes.sort_by(|a, b| a.message.cmp(&b.message));
        notes
    }
}

/// The bytes of a static file or asset.
pub fn source_bytes(f: &StaticFile) -> Result<Vec<u8>, Diagnostic> {
    match &f.source {
        StaticSource::Bytes(b) => Ok(b.to_vec()),
        StaticSource::Disk(p) => {
            std::fs::read(p).map_err(|e| Diagnostic::in_file(p, format!("cannot read: {e}")))
        }
    }
}

/// Dimensions (as displayed), format and GPS of encoded image bytes, from the header.
pub fn probe(bytes: &[u8]) -> Result<Probe, String> {
    let (width, height, kind) = encode::dimensions(bytes)?;
    Ok(Probe {
        kind,
        width,
        height,
        gps: crate::check::images::has_gps(bytes),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_never_upscale_and_png_gets_webp() {
        let cfg = ImageConfig::default();
        let jpeg = Probe {
            kind: Kind::Jpeg,
            width: 1000,
            height: 500,
            gps: false,
        };
        let v = jpeg.variants("a/pic.JPG", &cfg);
        let paths: Vec<&str> = v.iter().map(|v| v.path.as_str()).collect();
        assert_eq!(paths, ["a/pic-480w.JPG", "a/pic-960w.JPG"]);
        assert_eq!(v[0].height, 240);
        let png = Probe {
            kind: Kind::Png,
            width: 500,
            height: 100,
            gps: false,
        };
        let paths: Vec<String> = png
            .variants("p.png", &cfg)
            .into_iter()
            .map(|v| v.path)
            .collect();
        assert_eq!(paths, ["p-480w.png", "p-480w.webp", "p-500w.webp"]);
    }

    #[test]
    fn heic_is_named_with_a_way_out() {
        assert!(undecodable("x/IMG_1.HEIC").is_some_and(|h| h.contains("JPEG")));
        assert!(undecodable("x.jpg").is_none());
    }
}
