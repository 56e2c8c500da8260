//! Running jobs through a [`Sink`]: the part of [`render_all`](super::render_all) that
//! every phase shares. A [`Run`] takes batches of jobs (the first phase, then the
//! second), so outputs of both phases are checked against each other for clashing paths,
//! reused or rendered the same way, and recorded in one [`OutputRecord`].
//!
//! What a render recorded through the template functions (`get_page` dependencies,
//! `resize_image` copies) is filed under the job's render key: taken from the
//! [`Env`](super::Env) when the job rendered afresh, carried from the previous record when
//! it was reused (its template did not run, but its output still needs what it named).

use super::fingerprint::combine;
use super::outputs::{Cx, Discovered};
use super::{Job, OutputRecord, RenderOutput, Sink, deps_fingerprint, site_relative};
use crate::diagnostics::Diagnostic;
use rayon::prelude::*;
use std::collections::HashMap;

pub struct Run<'r, 'a, S: Sink> {
    cx: &'r Cx<'a>,
    previous: &'r OutputRecord,
    sink: &'r S,
    /// Output path -> where it came from, over every batch.
    seen: HashMap<String, String>,
    out: RenderOutput<S::Kept>,
}

struct Done<K> {
    path: String,
    fingerprint: u64,
    deps_key: Option<String>,
    fresh: bool,
    result: Result<K, Diagnostic>,
}

impl<'r, 'a, S: Sink> Run<'r, 'a, S> {
    pub fn new(cx: &'r Cx<'a>, previous: &'r OutputRecord, sink: &'r S) -> Self {
        Run {
            cx,
            previous,
            sink,
            seen: HashMap::new(),
            out: RenderOutput {
                files: Vec::new(),
                problems: Vec::new(),
                rendered: Vec::new(),
                record: OutputRecord::default(),
            },
        }
    }

    /// Runs one batch in parallel and files its results.
    pub fn run(&mut self, jobs: Vec<Job<'a>>) {
        self.check_unique_paths(&jobs);
        let (site, fps, previous, sink) = (self.cx.site, self.cx.fps, self.previous, self.sink);
        let results: Vec<Done<S::Kept>> = jobs
            .into_par_iter()
            .map(|job| {
                let expected = combine([
                    job.fingerprint,
                    deps_fingerprint(site, fps, &previous.deps, job.deps_key.as_deref()),
                ]);
                let reused = (previous.fingerprints.get(&job.path) == Some(&expected))
                    .then(|| sink.reuse(&job.path))
                    .flatten();
                let fresh = reused.is_none();
                let result = match reused {
                    Some(kept) => Ok(kept),
                    None => (job.render)()
                        .map(|bytes| {
                            if job.verbatim {
                                bytes
                            } else {
                                site_relative(site, &job.path, bytes)
                            }
                        })
                        .and_then(|bytes| sink.store(&job.path, bytes)),
                };
                Done {
                    path: job.path,
                    fingerprint: job.fingerprint,
                    deps_key: job.deps_key,
                    fresh,
                    result,
                }
            })
            .collect();
        self.file(results);
    }

    fn file(&mut self, results: Vec<Done<S::Kept>>) {
        // A fresh render recorded what it fetched and asked for: store its fingerprint
        // with those items, so the next build compares like with like.
        let fetched = self.cx.env.take_deps();
        let resized = self.cx.env.take_resizes();
        let record = &mut self.out.record;
        for done in results {
            let kept = match done.result {
                Ok(kept) => kept,
                Err(d) => {
                    self.out.problems.push(d);
                    continue;
                }
            };
            if let Some(key) = &done.deps_key {
                let (deps, resizes) = if done.fresh {
                    (fetched.get(key), resized.get(key))
                } else {
                    (self.previous.deps.get(key), self.previous.resizes.get(key))
                };
                if let Some(list) = deps.filter(|l| !l.is_empty()) {
                    record.deps.insert(key.clone(), list.clone());
                }
                if let Some(list) = resizes.filter(|l| !l.is_empty()) {
                    record.resizes.insert(key.clone(), list.clone());
                }
            }
            let stored = combine([
                done.fingerprint,
                deps_fingerprint(
                    self.cx.site,
                    self.cx.fps,
                    &record.deps,
                    done.deps_key.as_deref(),
                ),
            ]);
            record.fingerprints.insert(done.path.clone(), stored);
            if done.fresh {
                self.out.rendered.push(done.path.clone());
            }
            self.out.files.push((done.path, kept));
        }
    }

    /// What the first phase found for the second: the images bodies reference, and the
    /// copies templates asked for (this run's and the reused renders').
    pub fn discoveries(&self) -> Vec<Discovered> {
        let mut found = self.cx.views.bodies().discovered();
        let mut resizes: Vec<&crate::images::resize::Resize> =
            self.out.record.resizes.values().flatten().collect();
        resizes.sort();
        resizes.dedup();
        found.extend(resizes.into_iter().cloned().map(Discovered::Resize));
        found
    }

    pub fn finish(self) -> RenderOutput<S::Kept> {
        self.out
    }

    /// Generated files must not overwrite each other (a page at `/topics/` and the
    /// topics taxonomy, an alias onto a real page, a static file where a copy goes).
    fn check_unique_paths(&mut self, jobs: &[Job]) {
        for j in jobs {
            if let Some(first) = self.seen.get(&j.path) {
                self.out.problems.push(
                    Diagnostic::new(format!(
                        "{first} and {} would both be written to {}",
                        j.origin, j.path
                    ))
                    .with_help("change a slug, an alias or a taxonomy name"),
                );
            } else {
                self.seen.insert(j.path.clone(), j.origin.clone());
            }
        }
    }
}
