//! The image outputs: the second phase of the render seam (`render/outputs.rs`), which
//! runs once every page is rendered and so knows what the pages want. For each image
//! among the static files and bundle assets, [`Images`] makes one job that publishes it
//! re-encoded (metadata gone), one per resized copy a Markdown body's `<img>` needs
//! (the configured widths), and one per `resize_image` copy a template asked for. All the
//! jobs of one image share one decode ([`Source`]), dropped with the last of them.
//!
//! Every job is fingerprinted by the digest of the source's bytes and the encode
//! settings, so the manifest (`build`) or the memory sink (`serve`) skips every encode
//! whose source and settings are unchanged; the jobs run in parallel like all jobs.

use super::encode::{self, Decoded};
use super::resize::Resize;
use super::{Kind, Variant};
use crate::diagnostics::Diagnostic;
use crate::render::Job;
use crate::render::fingerprint::combine;
use crate::render::outputs::{Cx, Discovered, Output, StaticFile};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::{Arc, Mutex};

/// Whether the static file at `path` is published by [`Images`] rather than copied.
pub fn is_published_here(path: &str) -> bool {
    Kind::of(path).is_some() || super::undecodable(path).is_some()
}

/// Every published image, its resized copies and the template-asked copies.
pub struct Images;

impl Output for Images {
    fn name(&self) -> &'static str {
        "images"
    }
    fn jobs<'a>(&self, _cx: &Cx<'a>) -> Vec<Job<'a>> {
        Vec::new()
    }
    fn wants_discoveries(&self) -> bool {
        true
    }
    fn discovered<'a>(&self, cx: &Cx<'a>, found: &[Discovered]) -> Vec<Job<'a>> {
        let base = cx.site.urls.base_path();
        let mut with_variants = HashSet::new();
        let mut resizes: HashMap<&str, BTreeSet<&Resize>> = HashMap::new();
        for d in found {
            match d {
                Discovered::Image { src, .. } => {
                    if let Some(path) = super::html::output_path(src, base) {
                        with_variants.insert(path);
                    }
                }
                Discovered::Resize(r) => {
                    resizes.entry(r.source.as_str()).or_default().insert(r);
                }
            }
        }
        let mut jobs = Vec::new();
        for file in cx.statics {
            if Kind::of(&file.path).is_none() {
                if let Some(how) = super::undecodable(&file.path) {
                    jobs.push(refused(file, how));
                }
                continue;
            }
            let source = Arc::new(Source {
                file,
                decoded: Mutex::new(None),
            });
            jobs.push(publish_job(&source, cx));
            let probe = cx.images.images.get(&file.path);
            if let Some(probe) = probe.filter(|_| with_variants.contains(&file.path)) {
                for v in probe.variants(&file.path, &cx.images.config) {
                    jobs.push(variant_job(&source, v, cx));
                }
            }
            for r in resizes.get(file.path.as_str()).into_iter().flatten() {
                jobs.push(resize_job(&source, r, cx));
            }
        }
        jobs
    }
}

/// A job for an image format that cannot be re-encoded: an error saying how to convert.
fn refused<'a>(f: &'a StaticFile, how: &'static str) -> Job<'a> {
    Job {
        path: f.path.clone(),
        origin: f.origin.clone(),
        fingerprint: f.digest,
        deps_key: None,
        newest: None,
        verbatim: true,
        render: Box::new(move || {
            Err(Diagnostic::new(format!("{}: cannot publish this image", f.origin)).with_help(how))
        }),
    }
}

fn image_job<'a>(
    source: &Arc<Source<'a>>,
    path: String,
    fingerprint: u64,
    encode: impl FnOnce(&Decoded) -> Result<Vec<u8>, String> + Send + 'a,
) -> Job<'a> {
    let source = source.clone();
    Job {
        fingerprint: combine([source.file.digest, fingerprint]),
        origin: source.file.origin.clone(),
        path,
        deps_key: None,
        newest: None,
        verbatim: true,
        render: Box::new(move || {
            let decoded = source.decoded()?;
            encode(&decoded).map_err(|e| cannot_decode(source.file, &e))
        }),
    }
}

/// The image itself at its own size, decoded and encoded again in its own format.
fn publish_job<'a>(source: &Arc<Source<'a>>, cx: &Cx<'a>) -> Job<'a> {
    let cfg = cx.images.config.clone();
    image_job(source, source.file.path.clone(), cfg.digest(), move |d| {
        encode::encode(&d.pixels, d.icc.as_deref(), d.kind, cfg.quality)
    })
}

fn variant_job<'a>(source: &Arc<Source<'a>>, v: Variant, cx: &Cx<'a>) -> Job<'a> {
    let cfg = cx.images.config.clone();
    let fingerprint = combine([cfg.digest(), u64::from(v.width), v.kind as u64]);
    image_job(source, v.path, fingerprint, move |d| {
        encode::encode_at(&d.pixels, d.icc.as_deref(), v.width, v.kind, &cfg)
    })
}

fn resize_job<'a>(source: &Arc<Source<'a>>, r: &Resize, cx: &Cx<'a>) -> Job<'a> {
    let cfg = &cx.images.config;
    let fingerprint = combine([
        cfg.digest(),
        crate::load::hash_of(&[r.to_fields().as_bytes()]),
    ]);
    let r = r.clone();
    image_job(source, r.output_path(cfg.quality), fingerprint, move |d| {
        let pixels = if r.crop {
            encode::filled(&d.pixels, r.width, r.height)
        } else {
            encode::resized(&d.pixels, r.width, r.height)
        };
        encode::encode(&pixels, d.icc.as_deref(), r.kind, r.quality)
    })
}

fn cannot_decode(f: &StaticFile, why: &str) -> Diagnostic {
    Diagnostic::new(format!("{}: cannot decode this image: {why}", f.origin))
        .with_help("open it in an image editor and export it again as JPEG or PNG")
}

/// One source image, decoded once for all its jobs (and dropped with the last of them).
/// A job that finds it decoding waits for that decode instead of making its own.
struct Source<'a> {
    file: &'a StaticFile,
    decoded: Mutex<Option<Arc<Decoded>>>,
}

impl Source<'_> {
    fn decoded(&self) -> Result<Arc<Decoded>, Diagnostic> {
        let mut slot = self
            .decoded
            .lock()
            .map_err(|_| Diagnostic::new("an image job failed before"))?;
        if let Some(d) = slot.as_ref() {
            return Ok(d.clone());
        }
        let bytes = self.file.bytes()?;
        let decoded = Arc::new(encode::decode(&bytes).map_err(|e| cannot_decode(self.file, &e))?);
        *slot = Some(decoded.clone());
        Ok(decoded)
    }
}
