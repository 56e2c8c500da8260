//! Decoding and encoding. Every byte Lantern publishes for an image comes out of an
//! encoder fed decoded pixels: none of the source's metadata blocks (EXIF, XMP, IPTC,
//! ICC, GPS) is copied, and the EXIF orientation is applied to the pixels first, so a
//! phone photo still stands the right way up once its EXIF is gone.

use super::{ImageConfig, Kind};
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::codecs::webp::WebPEncoder;
use image::{DynamicImage, ImageDecoder, ImageReader};
use std::io::Cursor;

fn kind_of(format: image::ImageFormat) -> Option<Kind> {
    match format {
        image::ImageFormat::Jpeg => Some(Kind::Jpeg),
        image::ImageFormat::Png => Some(Kind::Png),
        image::ImageFormat::WebP => Some(Kind::Webp),
        _ => None,
    }
}

fn decoder(bytes: &[u8]) -> Result<(impl ImageDecoder + '_, Kind), String> {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    let kind = reader
        .format()
        .and_then(kind_of)
        .ok_or("not a JPEG, PNG or WebP image (its bytes say otherwise)")?;
    let decoder = reader.into_decoder().map_err(|e| e.to_string())?;
    Ok((decoder, kind))
}

/// Width and height as displayed (after EXIF orientation), from the header only.
pub fn dimensions(bytes: &[u8]) -> Result<(u32, u32, Kind), String> {
    let (mut d, kind) = decoder(bytes)?;
    let (w, h) = d.dimensions();
    let turned = d.orientation().is_ok_and(|o| {
        use image::metadata::Orientation::*;
        matches!(o, Rotate90 | Rotate270 | Rotate90FlipH | Rotate270FlipH)
    });
    Ok(if turned { (h, w, kind) } else { (w, h, kind) })
}

/// The pixels, turned the way EXIF orientation says.
pub fn decode(bytes: &[u8]) -> Result<(DynamicImage, Kind), String> {
    let (mut d, kind) = decoder(bytes)?;
    let orientation = d.orientation().ok();
    let mut img = DynamicImage::from_decoder(d).map_err(|e| e.to_string())?;
    if let Some(o) = orientation {
        img.apply_orientation(o);
    }
    Ok((img, kind))
}

/// `img` at `width` (never wider than it is), encoded as `kind`.
pub fn encode_at(
    img: &DynamicImage,
    width: u32,
    kind: Kind,
    cfg: &ImageConfig,
) -> Result<Vec<u8>, String> {
    if width >= img.width() {
        return encode(img, kind, cfg);
    }
    let height = super::scaled_height(img.width(), img.height(), width);
    encode(&img.thumbnail_exact(width, height), kind, cfg)
}

/// Encodes pixels only: no metadata is ever handed to an encoder.
pub fn encode(img: &DynamicImage, kind: Kind, cfg: &ImageConfig) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let result = match kind {
        Kind::Jpeg => {
            let rgb = img.to_rgb8();
            JpegEncoder::new_with_quality(&mut out, cfg.quality.clamp(1, 100)).encode_image(&rgb)
        }
        Kind::Png => img.write_with_encoder(PngEncoder::new(&mut out)),
        Kind::Webp => {
            let img = if img.color().has_alpha() {
                DynamicImage::ImageRgba8(img.to_rgba8())
            } else {
                DynamicImage::ImageRgb8(img.to_rgb8())
            };
            img.write_with_encoder(WebPEncoder::new_lossless(&mut out))
        }
    };
    result.map_err(|e| e.to_string())?;
    Ok(out)
}

/// The published copy of a source image at its own size: decoded and encoded again in
/// its own format, so it carries none of the source's metadata.
pub fn strip(bytes: &[u8], cfg: &ImageConfig) -> Result<Vec<u8>, String> {
    let (img, kind) = decode(bytes)?;
    encode(&img, kind, cfg)
}
