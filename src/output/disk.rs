//! The [`Sink`] of `lantern build`: each output goes to the staging folder as soon as it
//! is rendered (a build never holds the whole site in memory), and outputs whose inputs
//! did not change are taken from the previous output folder by hard link (their
//! modification times stay put, so deploy tools upload nothing).
//!
//! When nothing at all changed, the output folder is not touched: no staging swap, no
//! new manifest.

use super::Staging;
use super::manifest::{self, Manifest, Stamp};
use crate::diagnostics::{BuildError, Diagnostic, Diagnostics};
use crate::render::{OutputRecord, Sink};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// What a build hands its [`DiskSink`] at the end, for the output and the manifest.
pub struct Finished {
    /// Every rendered output and its stamp.
    pub files: Vec<(String, Stamp)>,
    pub record: OutputRecord,
    /// Digest of every Markdown input.
    pub markdown: u64,
    /// Files read with `load_data`, and a digest of their contents now.
    pub reads: Vec<PathBuf>,
    pub reads_digest: u64,
}

pub struct DiskSink {
    staging: Staging,
    target: PathBuf,
    manifest_path: PathBuf,
    previous: Manifest,
    /// Outputs taken unchanged from the previous output, linked into staging only if the
    /// build turns out to change something.
    reused: Mutex<Vec<String>>,
    /// Files whose bytes are new or changed.
    written: AtomicUsize,
}

impl DiskSink {
    /// A sink for the output folder `target`, with what the last build there recorded
    /// (nothing, if that was another binary's or nothing can be read).
    pub fn new(target: &Path) -> Result<DiskSink, BuildError> {
        let staging = Staging::new(target).map_err(|e| {
            BuildError::from(Diagnostic::new(format!(
                "cannot write the output folder {}: {e}",
                target.display()
            )))
        })?;
        let manifest_path = manifest::path_for(target);
        let previous = Manifest::read(&manifest_path)
            .filter(|m| m.tool == manifest::tool_identity())
            .unwrap_or_default();
        Ok(DiskSink {
            staging,
            target: target.to_path_buf(),
            manifest_path,
            previous,
            reused: Mutex::default(),
            written: AtomicUsize::new(0),
        })
    }

    /// What the last build rendered, to compare fingerprints with (taken: the sink
    /// needs only the stamps after this).
    pub fn take_previous_record(&mut self) -> OutputRecord {
        std::mem::take(&mut self.previous.record)
    }

    /// The Markdown digest of the last good build (0 if unknown).
    pub fn previous_markdown(&self) -> u64 {
        self.previous.markdown
    }

    /// The files the last build's templates read with `load_data`, and their digest then.
    pub fn previous_reads(&self) -> (&[PathBuf], u64) {
        (&self.previous.reads, self.previous.reads_digest)
    }

    /// Makes the staging folder the output folder, unless nothing changed at all.
    /// Returns how many files were new or changed.
    pub fn finish(self, done: Finished) -> Result<usize, BuildError> {
        let Finished {
            files,
            record,
            markdown,
            reads,
            reads_digest,
        } = done;
        let DiskSink {
            staging,
            target,
            manifest_path,
            previous,
            reused,
            written,
        } = self;
        let stamps: HashMap<String, Stamp> = files.into_iter().collect();
        let written = written.into_inner();
        let same_files = stamps.len() == previous.stamps.len()
            && stamps.keys().all(|p| previous.stamps.contains_key(p));
        let manifest = Manifest {
            tool: manifest::tool_identity(),
            markdown,
            record,
            stamps,
            reads,
            reads_digest,
        };
        if written == 0 && same_files && target.is_dir() {
            // Nothing to publish: leave the output folder alone (staging is dropped).
            if manifest != previous {
                let _ = manifest.write(&manifest_path);
            }
            return Ok(0);
        }
        let reused = reused
            .into_inner()
            .map_err(|_| BuildError::from(Diagnostic::new("a render thread panicked")))?;
        let linked: Vec<Result<(), Diagnostic>> = reused
            .par_iter()
            .map(|path| staging.link_previous(path))
            .collect();
        let mut problems = Diagnostics::default();
        linked
            .into_iter()
            .filter_map(Result::err)
            .for_each(|d| problems.push(d));
        problems.into_result()?;
        // An interrupted commit must not leave a manifest describing the old output.
        let _ = std::fs::remove_file(&manifest_path);
        staging.commit().map_err(|e| {
            BuildError::from(Diagnostic::new(format!(
                "cannot write the output folder {}: {e}",
                target.display()
            )))
        })?;
        let _ = manifest.write(&manifest_path);
        Ok(written)
    }
}

impl Sink for DiskSink {
    type Kept = Stamp;

    fn reuse(&self, path: &str) -> Option<Stamp> {
        let recorded = self.previous.stamps.get(path)?;
        let now = Stamp::of_path(&self.target.join(path))?;
        if now != *recorded {
            return None;
        }
        self.reused.lock().ok()?.push(path.to_string());
        Some(now)
    }

    fn store(&self, path: &str, bytes: Vec<u8>) -> Result<Stamp, Diagnostic> {
        let (changed, stamp) = self.staging.write_stamped(path, &bytes)?;
        if changed {
            self.written.fetch_add(1, Ordering::Relaxed);
        }
        Ok(stamp)
    }
}
