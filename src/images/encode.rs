//! Decoding and encoding. Every byte Lantern publishes for an image comes out of an
//! encoder fed decoded pixels: none of the source's metadata blocks (EXIF, XMP, IPTC,
//! GPS) is copied, and the EXIF orientation is applied to the pixels first, so a phone
//! photo still stands the right way up once its EXIF is gone.
//!
//! The one block that is carried over is the ICC colour profile: it says how to read the
//! pixel values (a phone's Display P3 photo looks dull and wrong without it) and holds
//! colour data only, no place, time or device serial.

use super::{ImageConfig, Kind};
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::codecs::webp::WebPEncoder;
use image::{DynamicImage, ImageDecoder, ImageEncoder, ImageReader};
use std::io::Cursor;

/// A source image, decoded: upright pixels, its format and its colour profile.
pub struct Decoded {
    pub pixels: DynamicImage,
    pub kind: Kind,
    pub icc: Option<Vec<u8>>,
}

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

/// The pixels, turned the way EXIF orientation says, with the colour profile.
pub fn decode(bytes: &[u8]) -> Result<Decoded, String> {
    let (mut d, kind) = decoder(bytes)?;
    let orientation = d.orientation().ok();
    // A profile that cannot be read is left out: the pixels still publish.
    let icc = d.icc_profile().ok().flatten().filter(|p| !p.is_empty());
    let mut pixels = DynamicImage::from_decoder(d).map_err(|e| e.to_string())?;
    if let Some(o) = orientation {
        pixels.apply_orientation(o);
    }
    Ok(Decoded { pixels, kind, icc })
}

/// `img` resized to exactly `width`×`height` (the whole picture, aspect as given).
pub fn resized(img: &DynamicImage, width: u32, height: u32) -> DynamicImage {
    if (width, height) == (img.width(), img.height()) {
        return img.clone();
    }
    img.thumbnail_exact(width.max(1), height.max(1))
}

/// `img` scaled to cover `width`×`height`, then cut to it around the centre.
pub fn filled(img: &DynamicImage, width: u32, height: u32) -> DynamicImage {
    let (w, h) = (
        u64::from(img.width().max(1)),
        u64::from(img.height().max(1)),
    );
    let (tw, th) = (u64::from(width.max(1)), u64::from(height.max(1)));
    // The larger of the two scale factors, in integers: w*th against h*tw.
    let (cw, ch) = if w * th > h * tw {
        ((w * th).div_ceil(h), th)
    } else {
        (tw, (h * tw).div_ceil(w))
    };
    let cover = |v: u64| u32::try_from(v).unwrap_or(u32::MAX);
    let scaled = resized(img, cover(cw), cover(ch));
    let x = (scaled.width().saturating_sub(width)) / 2;
    let y = (scaled.height().saturating_sub(height)) / 2;
    scaled.crop_imm(x, y, width.min(scaled.width()), height.min(scaled.height()))
}

/// `img` at `width` (never wider than it is), encoded as `kind`.
pub fn encode_at(
    img: &DynamicImage,
    icc: Option<&[u8]>,
    width: u32,
    kind: Kind,
    cfg: &ImageConfig,
) -> Result<Vec<u8>, String> {
    if width >= img.width() {
        return encode(img, icc, kind, cfg.quality);
    }
    let height = super::scaled_height(img.width(), img.height(), width);
    encode(&resized(img, width, height), icc, kind, cfg.quality)
}

/// Encodes pixels and the colour profile only: no other metadata is ever handed to an
/// encoder. JPEG has no transparency: transparent pixels are laid over white.
pub fn encode(
    img: &DynamicImage,
    icc: Option<&[u8]>,
    kind: Kind,
    quality: u8,
) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let with_icc = |e: &mut dyn ImageEncoder| {
        if let Some(p) = icc {
            // An encoder that refuses a profile still writes the pixels.
            let _ = e.set_icc_profile(p.to_vec());
        }
    };
    let result = match kind {
        Kind::Jpeg => {
            let mut e = JpegEncoder::new_with_quality(&mut out, quality.clamp(1, 100));
            with_icc(&mut e);
            DynamicImage::ImageRgb8(on_white(img)).write_with_encoder(e)
        }
        Kind::Png => {
            let mut e = PngEncoder::new(&mut out);
            with_icc(&mut e);
            img.write_with_encoder(e)
        }
        Kind::Webp => {
            let img = if img.color().has_alpha() {
                DynamicImage::ImageRgba8(img.to_rgba8())
            } else {
                DynamicImage::ImageRgb8(img.to_rgb8())
            };
            let mut e = WebPEncoder::new_lossless(&mut out);
            with_icc(&mut e);
            img.write_with_encoder(e)
        }
    };
    result.map_err(|e| e.to_string())?;
    Ok(out)
}

/// The pixels as RGB, transparent ones blended onto white (what a page behind shows).
fn on_white(img: &DynamicImage) -> image::RgbImage {
    if !img.color().has_alpha() {
        return img.to_rgb8();
    }
    let rgba = img.to_rgba8();
    image::RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let a = u16::from(a);
        let over = |c: u8| ((u16::from(c) * a + 255 * (255 - a) + 127) / 255) as u8;
        image::Rgb([over(r), over(g), over(b)])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_covers_then_cuts_around_the_centre() {
        let img = DynamicImage::ImageRgb8(image::RgbImage::new(300, 100));
        let out = filled(&img, 50, 50);
        assert_eq!((out.width(), out.height()), (50, 50));
        let tall = DynamicImage::ImageRgb8(image::RgbImage::new(100, 300));
        let out = filled(&tall, 60, 30);
        assert_eq!((out.width(), out.height()), (60, 30));
    }

    #[test]
    fn transparent_pixels_become_white_in_jpeg() {
        let img = DynamicImage::ImageRgba8(image::RgbaImage::from_pixel(
            2,
            2,
            image::Rgba([0, 0, 0, 0]),
        ));
        assert_eq!(on_white(&img).get_pixel(0, 0).0, [255, 255, 255]);
        let half = DynamicImage::ImageRgba8(image::RgbaImage::from_pixel(
            1,
            1,
            image::Rgba([0, 0, 0, 255]),
        ));
        assert_eq!(on_white(&half).get_pixel(0, 0).0, [0, 0, 0]);
    }

    #[test]
    fn the_colour_profile_is_kept() {
        let img = DynamicImage::ImageRgb8(image::RgbImage::new(8, 8));
        let profile = b"not a real profile, but bytes to carry".to_vec();
        for kind in [Kind::Jpeg, Kind::Png, Kind::Webp] {
            let bytes = encode(&img, Some(&profile), kind, 80).expect("encode");
            let back = decode(&bytes).expect("decode");
            assert_eq!(back.icc.as_deref(), Some(&profile[..]), "{kind:?}");
        }
    }
}
