//! The image outputs. [`publish_job`] replaces the verbatim copy of every JPEG, PNG and
//! WebP static file or bundle asset with a re-encoded one (metadata gone) and refuses
//! formats it cannot re-encode; [`Images`] is the second-phase output of the render seam
//! (`render/outputs.rs`): for each image a Markdown body references, one job per resized
//! copy. Every job is fingerprinted by the digest of the source's bytes and the encode
//! settings, so the manifest (`build`) or the memory sink (`serve`) skips every encode
//! whose source and settings are unchanged, and the jobs run in parallel like all jobs.

use super::{Index, Kind, encode};
use crate::diagnostics::Diagnostic;
use crate::render::Job;
use crate::render::fingerprint::combine;
use crate::render::outputs::{Cx, Discovered, Output, StaticFile};
use image::DynamicImage;
use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

/// The job that publishes `f` when it is an image: re-encoded, or an error for a format
/// that cannot be. `None` for every other file (copied as it is).
pub fn publish_job<'a>(f: &'a StaticFile, index: &Index) -> Option<Job<'a>> {
    let cfg = index.config.clone();
    let render: Box<dyn FnOnce() -> Result<Vec<u8>, Diagnostic> + Send + 'a> = if Kind::of(&f.path)
        .is_some()
    {
        Box::new(move || {
            let bytes = f.bytes()?;
            encode::strip(&bytes, &cfg).map_err(|e| cannot_decode(f, &e))
        })
    } else {
        let how = super::undecodable(&f.path)?;
        Box::new(move || {
            Err(Diagnostic::new(format!("{}: cannot publish this image", f.origin)).with_help(how))
        })
    };
    Some(Job {
        path: f.path.clone(),
        origin: f.origin.clone(),
        fingerprint: combine([f.digest, index.config.digest()]),
        deps_key: None,
        newest: None,
        verbatim: true,
        render,
    })
}

fn cannot_decode(f: &StaticFile, why: &str) -> Diagnostic {
    Diagnostic::new(format!("{}: cannot decode this image: {why}", f.origin))
        .with_help("open it in an image editor and export it again as JPEG or PNG")
}

/// Resized copies of the images Markdown bodies reference.
pub struct Images;

impl Output for Images {
    fn name(&self) -> &'static str {
        "resized images"
    }
    fn jobs<'a>(&self, _cx: &Cx<'a>) -> Vec<Job<'a>> {
        Vec::new()
    }
    fn wants_discoveries(&self) -> bool {
        true
    }
    fn discovered<'a>(&self, cx: &Cx<'a>, found: &[Discovered]) -> Vec<Job<'a>> {
        let base = cx.site.urls.base_path();
        let wanted: BTreeSet<String> = found
            .iter()
            .filter_map(|d| match d {
                Discovered::Image { src, .. } => super::html::output_path(src, base),
            })
            .collect();
        let by_path: HashMap<&str, &'a StaticFile> =
            cx.statics.iter().map(|f| (f.path.as_str(), f)).collect();
        let mut jobs = Vec::new();
        for path in wanted {
            let (Some(probe), Some(&file)) =
                (cx.images.images.get(&path), by_path.get(path.as_str()))
            else {
                continue;
            };
            let source = Arc::new(Source {
                file,
                pixels: Mutex::new(None),
            });
            for v in probe.variants(&path, &cx.images.config) {
                let cfg = cx.images.config.clone();
                let source = source.clone();
                let kind = v.kind;
                jobs.push(Job {
                    fingerprint: combine([
                        file.digest,
                        cfg.digest(),
                        u64::from(v.width),
                        kind as u64,
                    ]),
                    origin: file.origin.clone(),
                    path: v.path,
                    deps_key: None,
                    newest: None,
                    verbatim: true,
                    render: Box::new(move || {
                        let pixels = source.pixels()?;
                        encode::encode_at(&pixels, v.width, kind, &cfg)
                            .map_err(|e| cannot_decode(source.file, &e))
                    }),
                });
            }
        }
        jobs
    }
}

/// One source image, decoded once for all its copies (and dropped with the last job).
struct Source<'a> {
    file: &'a StaticFile,
    pixels: Mutex<Option<Arc<DynamicImage>>>,
}

impl Source<'_> {
    fn pixels(&self) -> Result<Arc<DynamicImage>, Diagnostic> {
        let mut slot = self
            .pixels
            .lock()
            .map_err(|_| Diagnostic::new("an image job failed before"))?;
        if let Some(p) = slot.as_ref() {
            return Ok(p.clone());
        }
        let bytes = self.file.bytes()?;
        let (img, _) = encode::decode(&bytes).map_err(|e| cannot_decode(self.file, &e))?;
        let img = Arc::new(img);
        *slot = Some(img.clone());
        Ok(img)
    }
}
