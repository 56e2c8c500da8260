//! A body's `<img>` tags (as pulldown-cmark writes them) become responsive markup:
//! `srcset` of the resized copies, `sizes`, `width` and `height` (no layout shift),
//! `loading="lazy"`, `decoding="async"`, and a `<picture>` with a WebP `<source>` where
//! WebP copies exist. URLs stay root paths here; the emit stage makes them relative.
//!
//! Alt text `decorative` (exactly, any case) is the documented marker for an image that
//! carries no information: it is written `alt="" role="presentation"`, which `lantern
//! check` accepts. Any other empty alt text is a warning in the build (see
//! [`missing_alt`]) and an error in `lantern check`.

use super::{Index, Kind, Probe};

/// The alt text that marks an image as decoration.
pub const DECORATIVE: &str = "decorative";

/// Rewrites every `<img src="…" …>` of `html` whose source is an image in `index`.
pub fn rewrite(html: &str, index: &Index, base_path: &str) -> String {
    if !html.contains("<img ") {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len() + 256);
    let mut rest = html;
    while let Some(at) = rest.find("<img ") {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let Some(end) = tail.find('>') else {
            out.push_str(tail);
            return out;
        };
        let tag = &tail[..=end];
        out.push_str(&rewrite_tag(tag, index, base_path).unwrap_or_else(|| decorative(tag)));
        rest = &tail[end + 1..];
    }
    out.push_str(rest);
    out
}

/// The value of attribute `name` in a tag pulldown-cmark wrote (`name="value"`).
fn attr<'t>(tag: &'t str, name: &str) -> Option<&'t str> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let len = tag[start..].find('"')?;
    Some(&tag[start..start + len])
}

/// An image that is not resized still gets the decorative marker applied.
fn decorative(tag: &str) -> String {
    match attr(tag, "alt") {
        Some(a) if a.trim().eq_ignore_ascii_case(DECORATIVE) => tag.replacen(
            &format!(" alt=\"{a}\""),
            " alt=\"\" role=\"presentation\"",
            1,
        ),
        _ => tag.to_string(),
    }
}

/// The site output path of a root path under `base_path`, decoded.
pub fn output_path(src: &str, base_path: &str) -> Option<String> {
    let src = src.replace("&amp;", "&");
    let rest = src.strip_prefix(base_path)?;
    let rest = rest.split(['?', '#']).next().unwrap_or(rest);
    percent_encoding::percent_decode_str(rest)
        .decode_utf8()
        .ok()
        .map(|s| s.into_owned())
}

fn rewrite_tag(tag: &str, index: &Index, base_path: &str) -> Option<String> {
    let src = attr(tag, "src")?;
    let path = output_path(src, base_path)?;
    let probe = index.images.get(&path)?;
    let alt = attr(tag, "alt").unwrap_or("");
    let alt_attr = if alt.trim().eq_ignore_ascii_case(DECORATIVE) {
        " alt=\"\" role=\"presentation\"".to_string()
    } else {
        format!(" alt=\"{alt}\"")
    };
    let title = attr(tag, "title").map_or(String::new(), |t| format!(" title=\"{t}\""));
    let sizes = crate::markdown::escape_html(&index.config.sizes);
    let variants = probe.variants(&path, &index.config);
    let srcset_of = |kind: Kind| {
        let mut set: Vec<String> = variants
            .iter()
            .filter(|v| v.kind == kind)
            .map(|v| format!("{} {}w", url_of(src, &path, &v.path), v.width))
            .collect();
        if kind == probe.kind {
            set.push(format!("{src} {}w", probe.width));
        }
        set.join(", ")
    };
    let img = format!(
        "<img src=\"{src}\" srcset=\"{}\" sizes=\"{sizes}\" width=\"{}\" height=\"{}\"{alt_attr}{title} loading=\"lazy\" decoding=\"async\">",
        srcset_of(probe.kind),
        probe.width,
        probe.height
    );
    Some(if wants_picture(probe) {
        format!(
            "<picture><source type=\"image/webp\" srcset=\"{}\" sizes=\"{sizes}\">{img}</picture>",
            srcset_of(Kind::Webp)
        )
    } else {
        img
    })
}

fn wants_picture(p: &Probe) -> bool {
    p.kind.with_webp()
}

/// The URL of a variant, written like `src` (same encoding): `src` with its file name's
/// tail swapped, since a variant differs from its source only after the stem.
fn url_of(src: &str, path: &str, variant: &str) -> String {
    let stem = path.rsplit_once('.').map_or(path, |(s, _)| s);
    let suffix = variant.strip_prefix(stem).unwrap_or(variant);
    let src_stem = src.rsplit_once('.').map_or(src, |(s, _)| s);
    format!("{src_stem}{suffix}")
}

/// Byte ranges in a Markdown body of images written with empty alt text (`![](…)`),
/// which is what the build warns about. Given the source range of each image.
pub fn missing_alt(markdown: &str, range: std::ops::Range<usize>) -> bool {
    markdown
        .get(range)
        .is_some_and(|s| s.starts_with("![]") || s.starts_with("![ ]"))
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
        let jpeg = Probe {
            kind: Kind::Jpeg,
            width: 1000,
            height: 500,
            gps: false,
        };
        let png = Probe {
            kind: Kind::Png,
            width: 600,
            height: 300,
            gps: false,
        };
        idx.images.insert("g/x/사진.jpg".into(), jpeg);
        idx.images.insert("g/x/p.png".into(), png);
        idx
    }

    #[test]
    fn jpeg_gets_srcset_and_png_a_picture() {
        let html = r#"<p><img src="/repo/g/x/%EC%82%AC%EC%A7%84.jpg" alt="A map" /></p>"#;
        let out = rewrite(html, &index(), "/repo/");
        assert!(out.contains(r#"srcset="/repo/g/x/%EC%82%AC%EC%A7%84-480w.jpg 480w, /repo/g/x/%EC%82%AC%EC%A7%84-960w.jpg 960w, /repo/g/x/%EC%82%AC%EC%A7%84.jpg 1000w""#), "{out}");
        assert!(
            out.contains(
                r#"width="1000" height="500" alt="A map" loading="lazy" decoding="async">"#
            ),
            "{out}"
        );
        let out = rewrite(
            r#"<img src="/repo/g/x/p.png" alt="decorative" />"#,
            &index(),
            "/repo/",
        );
        assert!(out.starts_with(r#"<picture><source type="image/webp" srcset="/repo/g/x/p-480w.webp 480w, /repo/g/x/p-600w.webp 600w""#), "{out}");
        assert!(out.contains(r#"alt="" role="presentation""#), "{out}");
    }

    #[test]
    fn unknown_images_are_left_alone() {
        let html = r#"<img src="https://example.org/a.jpg" alt="x" />"#;
        assert_eq!(rewrite(html, &index(), "/repo/"), html);
        assert!(missing_alt("see ![](a.png)", 4..14));
        assert!(!missing_alt("see ![a](a.png)", 4..15));
    }
}
