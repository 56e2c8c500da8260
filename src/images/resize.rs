//! `resize_image`, the template function (as in Zola): one resized copy of a published
//! image, asked for by a theme or page template. [`plan`] turns the call's arguments into
//! a [`Resize`] from the image's probe alone (so the template gets the URL and size at
//! once, before anything is encoded); the render records it under the output's render key
//! and the image output encodes it in the second phase of the render seam.
//!
//! Equal requests name the same file: every operation except `fill` draws the whole
//! picture at some size, so the file is named by that size (`logo-300x100.png`); `fill`
//! crops (`photo-300x300-fill.jpg`), and a quality other than the configured one is in
//! the name too (`-q60`). Copies are never larger than their source, which keeps a
//! template from asking for a 20,000-pixel encode.

use super::{Index, Kind, Probe};

/// One resized copy to publish.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Resize {
    /// The source's output path (`images/logo.png`, `guides/x/photo.jpg`).
    pub source: String,
    pub width: u32,
    pub height: u32,
    /// Cut to `width`×`height` around the centre (`fill`) rather than drawn whole.
    pub crop: bool,
    pub kind: Kind,
    pub quality: u8,
}

impl Resize {
    /// Where the copy is written: beside its source.
    pub fn output_path(&self, default_quality: u8) -> String {
        let stem = self
            .source
            .rsplit_once('.')
            .map_or(self.source.as_str(), |(s, _)| s);
        let crop = if self.crop { "-fill" } else { "" };
        let quality = if self.kind == Kind::Jpeg && self.quality != default_quality {
            format!("-q{}", self.quality)
        } else {
            String::new()
        };
        format!(
            "{stem}-{}x{}{crop}{quality}.{}",
            self.width,
            self.height,
            self.kind.extension()
        )
    }

    /// The same picture at each of `widths` below this copy's width (smallest first): the
    /// `srcset` candidates a template can offer beside the copy itself.
    pub fn smaller(&self, widths: &[u32]) -> Vec<Resize> {
        super::widths_below(widths, self.width)
            .into_iter()
            .map(|width| Resize {
                width,
                height: super::scaled_height(self.width, self.height, width),
                ..self.clone()
            })
            .collect()
    }

    /// The manifest's form: tab-free fields (`source` is a path already checked to be one).
    pub fn to_fields(&self) -> String {
        format!(
            "{}\t{}\t{}\t{}\t{}\t{}",
            self.source,
            self.width,
            self.height,
            u8::from(self.crop),
            self.kind.extension(),
            self.quality
        )
    }

    pub fn from_fields(f: &[&str]) -> Option<Resize> {
        let [source, w, h, crop, kind, quality] = f else {
            return None;
        };
        Some(Resize {
            source: (*source).to_string(),
            width: w.parse().ok()?,
            height: h.parse().ok()?,
            crop: *crop == "1",
            kind: Kind::of(&format!("x.{kind}"))?,
            quality: quality.parse().ok()?,
        })
    }
}

/// The arguments of one `resize_image` call.
#[derive(Debug, Default, Clone)]
pub struct Args {
    pub path: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub op: Option<String>,
    pub format: Option<String>,
    pub quality: Option<u8>,
}

/// What the copy will be, or why the call is wrong (in words for the template's author).
pub fn plan<'i>(index: &'i Index, args: &Args) -> Result<(Resize, &'i Probe), String> {
    let path = args.path.trim_start_matches('/');
    let probe = index
        .images
        .get(path)
        .ok_or_else(|| unknown_image(index, path))?;
    let (width, height, crop) = size_for(probe, args)?;
    let kind = match args.format.as_deref().unwrap_or("auto") {
        "auto" => probe.kind,
        "jpg" | "jpeg" => Kind::Jpeg,
        "png" => Kind::Png,
        "webp" => Kind::Webp,
        other => {
            return Err(format!(
                "unknown format `{other}`: use auto, jpg, png or webp"
            ));
        }
    };
    let quality = args.quality.unwrap_or(index.config.quality);
    if !(1..=100).contains(&quality) {
        return Err(format!("quality {quality} is not between 1 and 100"));
    }
    let resize = Resize {
        source: path.to_string(),
        width,
        height,
        crop,
        kind,
        quality,
    };
    Ok((resize, probe))
}

/// Width, height and whether to crop, for the operation asked (never above the source).
fn size_for(p: &Probe, args: &Args) -> Result<(u32, u32, bool), String> {
    let (w, h) = (args.width, args.height);
    if w == Some(0) || h == Some(0) {
        return Err("width and height must be at least 1".into());
    }
    let op = args.op.as_deref().unwrap_or(match (w, h) {
        (Some(_), None) => "fit_width",
        (None, Some(_)) => "fit_height",
        _ => "fit",
    });
    let need =
        |v: Option<u32>, name: &str| v.ok_or_else(|| format!("`op=\"{op}\"` needs `{name}`"));
    let by_width = |w: u32| {
        let w = w.min(p.width);
        (w, super::scaled_height(p.width, p.height, w))
    };
    let by_height = |h: u32| {
        let h = h.min(p.height);
        (super::scaled_height(p.height, p.width, h), h)
    };
    Ok(match op {
        "fit_width" => {
            let (w, h) = by_width(need(w, "width")?);
            (w, h, false)
        }
        "fit_height" => {
            let (w, h) = by_height(need(h, "height")?);
            (w, h, false)
        }
        "fit" => {
            let (bw, bh) = (need(w, "width")?, need(h, "height")?);
            // The side that reaches its bound first decides.
            let (w, h) = if u64::from(p.width) * u64::from(bh) > u64::from(p.height) * u64::from(bw)
            {
                by_width(bw)
            } else {
                by_height(bh)
            };
            (w, h, false)
        }
        "scale" => (
            need(w, "width")?.min(p.width),
            need(h, "height")?.min(p.height),
            false,
        ),
        "fill" => (
            need(w, "width")?.min(p.width),
            need(h, "height")?.min(p.height),
            true,
        ),
        other => {
            return Err(format!(
                "unknown op `{other}`: use fit_width, fit_height, fit, scale or fill"
            ));
        }
    })
}

fn unknown_image(index: &Index, path: &str) -> String {
    let near = index
        .images
        .keys()
        .filter(|k| strsim::jaro_winkler(k, path) > 0.85)
        .min_by(|a, b| a.cmp(b));
    let hint = near.map_or(String::new(), |n| format!(" (did you mean `{n}`?)"));
    format!(
        "no JPEG, PNG or WebP image is published at `{path}`{hint}: give the image's path in the built site, e.g. `images/logo.png` for static/images/logo.png or `guides/x/photo.jpg` for a page bundle's photo"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::images::ImageConfig;

    fn index() -> Index {
        let mut idx = Index {
            config: ImageConfig::default(),
            ..Index::default()
        };
        idx.images.insert(
            "img/p.jpg".into(),
            Probe {
                kind: Kind::Jpeg,
                width: 1200,
                height: 800,
                gps: false,
            },
        );
        idx
    }

    fn args(width: Option<u32>, height: Option<u32>, op: Option<&str>) -> Args {
        Args {
            path: "/img/p.jpg".into(),
            width,
            height,
            op: op.map(String::from),
            ..Args::default()
        }
    }

    fn size(a: Args) -> Result<(u32, u32, bool), String> {
        plan(&index(), &a).map(|(r, _)| (r.width, r.height, r.crop))
    }

    #[test]
    fn every_op_keeps_within_the_source() {
        assert_eq!(size(args(Some(300), None, None)), Ok((300, 200, false)));
        assert_eq!(size(args(None, Some(100), None)), Ok((150, 100, false)));
        assert_eq!(
            size(args(Some(300), Some(300), None)),
            Ok((300, 200, false))
        );
        assert_eq!(
            size(args(Some(600), Some(100), Some("fit"))),
            Ok((150, 100, false))
        );
        assert_eq!(
            size(args(Some(300), Some(300), Some("fill"))),
            Ok((300, 300, true))
        );
        assert_eq!(
            size(args(Some(100), Some(100), Some("scale"))),
            Ok((100, 100, false))
        );
        assert_eq!(size(args(Some(5000), None, None)), Ok((1200, 800, false)));
    }

    #[test]
    fn wrong_calls_say_what_is_wrong() {
        let e = |a| size(a).unwrap_err();
        assert!(e(args(None, Some(5), Some("fill"))).contains("needs `width`"));
        assert!(e(args(Some(5), None, Some("stretch"))).contains("unknown op `stretch`"));
        assert!(e(args(Some(0), None, None)).contains("at least 1"));
        let mut a = args(Some(5), None, None);
        a.path = "img/q.jpg".into();
        assert!(e(a).contains("did you mean `img/p.jpg`"));
        let mut a = args(Some(5), None, None);
        a.format = Some("gif".into());
        assert!(e(a).contains("unknown format `gif`"));
    }

    #[test]
    fn names_tell_copies_apart_and_round_trip() {
        let (r, _) = plan(&index(), &args(Some(300), Some(300), Some("fill"))).expect("plan");
        assert_eq!(r.output_path(80), "img/p-300x300-fill.jpg");
        let mut q = r.clone();
        q.quality = 60;
        assert_eq!(q.output_path(80), "img/p-300x300-fill-q60.jpg");
        let fields = q.to_fields();
        let parts: Vec<&str> = fields.split('\t').collect();
        assert_eq!(Resize::from_fields(&parts), Some(q));
    }

    #[test]
    fn smaller_copies_keep_the_shape_and_stay_below() {
        let (r, _) = plan(&index(), &args(Some(1000), None, None)).expect("plan");
        let sizes: Vec<(u32, u32)> = r
            .smaller(&[1600, 480, 960, 480, 0])
            .iter()
            .map(|c| (c.width, c.height))
            .collect();
        assert_eq!(sizes, [(480, 320), (960, 640)]);
    }
}
