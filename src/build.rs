//! The pipeline, start to end: load -> model -> render -> emit.
//!
//! [`Builder`] runs it and keeps what a rebuild can reuse (files read, Markdown rendered,
//! views, output bytes). `lantern build` uses a fresh `Builder` once; `lantern serve` keeps
//! one and calls [`Builder::run`] after every change: one code path, so the served site is
//! what a fresh build would write.

use crate::config::Config;
use crate::diagnostics::{BuildError, Diagnostic, Diagnostics};
use crate::i18n::I18n;
use crate::load::{ContentCache, hash_of};
use crate::model::{Site, count_kinds};
use crate::output::Staging;
use crate::render::{self, Fingerprints, OutputFile, RenderCache, render_markdown};
use crate::templates::{Env, Sources, Templates};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Include pages marked `draft = true`.
    pub drafts: bool,
    /// Overrides `base_url` from the config (deploy previews, sub-path hosting).
    pub base_url: Option<String>,
    /// Overrides `output_dir` from the config.
    pub output: Option<PathBuf>,
}

#[derive(Debug)]
pub struct BuildReport {
    pub pages: usize,
    pub sections: usize,
    /// Files whose bytes changed on disk (new files included); 0 when nothing was written.
    pub files_written: usize,
    pub elapsed: Duration,
    pub timings: Vec<(&'static str, Duration)>,
    pub warnings: Vec<Diagnostic>,
    pub output_dir: PathBuf,
}

impl BuildReport {
    pub fn summary(&self) -> String {
        format!(
            "Built {} page{}, {} section{} in {} ms",
            self.pages,
            if self.pages == 1 { "" } else { "s" },
            self.sections,
            if self.sections == 1 { "" } else { "s" },
            self.elapsed.as_millis()
        )
    }
}

/// A file to publish that is not rendered: a theme or site static file, or a content asset.
#[derive(Debug, Clone)]
pub enum Extra {
    Bytes(Arc<Vec<u8>>),
    Disk(PathBuf),
}

/// Everything one run produced, before anything is written.
pub struct Built {
    pub site: Arc<Site>,
    pub files: Vec<OutputFile>,
    /// Static files and content assets: (output path, where the bytes are).
    pub extras: Vec<(String, Extra)>,
    /// Output paths rendered afresh in this run.
    pub rendered: Vec<String>,
    pub report: BuildReport,
}

/// Records how long each stage takes, for `--timings`.
struct Clock {
    start: Instant,
    last: Instant,
    stages: Vec<(&'static str, Duration)>,
}

impl Clock {
    fn new() -> Clock {
        let now = Instant::now();
        Clock {
            start: now,
            last: now,
            stages: Vec::new(),
        }
    }
    fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.stages.push((stage, now - self.last));
        self.last = now;
    }
}

/// Runs the pipeline, keeping caches between runs.
pub struct Builder {
    opts: BuildOptions,
    content: ContentCache,
    render: RenderCache,
    config_text: String,
    /// Files `load_data` read in the last run, a digest of their contents then, and a
    /// counter bumped whenever that digest changes (part of every render fingerprint).
    data_reads: Vec<PathBuf>,
    reads_digest: u64,
    reads_generation: u64,
}

impl Builder {
    pub fn new(opts: BuildOptions) -> Builder {
        Builder {
            opts,
            content: ContentCache::default(),
            render: RenderCache::default(),
            config_text: String::new(),
            data_reads: Vec::new(),
            reads_digest: 0,
            reads_generation: 0,
        }
    }

    pub fn options(&self) -> &BuildOptions {
        &self.opts
    }

    /// Builds in memory. `dirty` names files known to have changed since the last run
    /// (from a watcher); files not named are still checked by size and time.
    pub fn run(&mut self, dirty: &HashSet<PathBuf>) -> Result<Built, BuildError> {
        let mut clock = Clock::new();
        let root = self.opts.root.clone();
        let mut config = Config::load(&root).map_err(BuildError)?;
        let config_text =
            std::fs::read_to_string(root.join(crate::config::CONFIG_FILE)).unwrap_or_default();
        if config_text != self.config_text {
            // Languages and URLs may have changed: nothing read before can be trusted.
            self.content.clear();
            self.render = RenderCache::default();
            self.config_text = config_text;
        }
        if let Some(url) = &self.opts.base_url {
            config.base_url = if url.ends_with('/') {
                url.clone()
            } else {
                format!("{url}/")
            };
        }
        let content = &mut self.content;
        let ((loaded, i18n), (sources, data)) = rayon::join(
            || {
                (
                    crate::load::load_cached(&root, &config, content, dirty),
                    I18n::load(&root, &config),
                )
            },
            || (Sources::read(&root, &config), crate::data::load(&root)),
        );
        let mut problems = Diagnostics::default();
        let (mut loaded, i18n, data) = match (loaded, i18n, data) {
            (Ok(l), Ok(i), Ok(d)) => (l, i, d),
            (l, i, d) => {
                problems.extend(l.err().unwrap_or_default());
                problems.extend(i.err().unwrap_or_default());
                problems.extend(d.err().unwrap_or_default());
                return Err(problems.into());
            }
        };
        // Files that failed to load are reported with whatever else this build finds.
        problems.extend(std::mem::take(&mut loaded.problems));
        clock.lap("load");
        let site = match Site::new(config, loaded, self.opts.drafts) {
            Ok(site) => Arc::new(site),
            Err(model_problems) => {
                problems.extend(model_problems);
                return Err(problems.into());
            }
        };
        let config_json = serde_json::to_string(&site.config).unwrap_or_default();
        let config_fp = hash_of(&[config_json.as_bytes(), &i18n.fingerprint().to_le_bytes()]);
        let data_json = serde_json::to_string(&data).unwrap_or_default();
        if digest_files(&self.data_reads) != self.reads_digest {
            self.reads_generation += 1;
        }
        let env_inputs = hash_of(&[
            &sources.fingerprint().to_le_bytes(),
            data_json.as_bytes(),
            &self.reads_generation.to_le_bytes(),
        ]);
        let fps = Fingerprints::compute(&site, config_fp, env_inputs);
        clock.lap("model");
        let (rendered, md_problems) = render_markdown(&site, &i18n, &fps, &mut self.render);
        problems.extend(md_problems);
        clock.lap("markdown");
        let views = Arc::new(render::build_views(
            &site,
            &rendered,
            &fps,
            &mut self.render.views,
        ));
        drop(rendered);
        let env = Arc::new(Env {
            site: site.clone(),
            views: views.clone(),
            i18n: Arc::new(i18n),
            root: root.clone(),
            deps: Mutex::default(),
            reads: Mutex::default(),
        });
        let mut output = None;
        match Templates::new(sources, env, site.config.minify) {
            Ok(mut templates) => {
                let config_value = tera::Value::from_serializable(&site.config);
                templates.set_globals(
                    config_value,
                    tera::Value::from_serializable(&data),
                    &site.config.content_security_policy,
                );
                let out = render::render_all(&site, &templates, &views, &fps, &mut self.render);
                self.data_reads = templates.take_reads();
                self.data_reads.sort();
                self.data_reads.dedup();
                self.reads_digest = digest_files(&self.data_reads);
                output = Some(out);
            }
            Err(template_problems) => problems.extend(template_problems),
        }
        clock.lap("templates");
        let output = match output {
            Some(mut out) => {
                problems.extend(std::mem::take(&mut out.problems));
                problems.into_result()?;
                out
            }
            None => return Err(problems.into()),
        };
        let extras = extras(&site, &root);
        let (pages, sections) = count_kinds(&site);
        let report = BuildReport {
            pages,
            sections,
            files_written: 0,
            elapsed: clock.start.elapsed(),
            timings: clock.stages,
            warnings: site.warnings.clone(),
            output_dir: self
                .opts
                .output
                .clone()
                .unwrap_or_else(|| root.join(&site.config.output_dir)),
        };
        Ok(Built {
            site,
            files: output.files,
            extras,
            rendered: output.rendered,
            report,
        })
    }
}

/// A digest of the contents of some files (missing files count as empty).
fn digest_files(paths: &[PathBuf]) -> u64 {
    let contents: Vec<Vec<u8>> = paths
        .iter()
        .map(|p| std::fs::read(p).unwrap_or_default())
        .collect();
    let parts: Vec<&[u8]> = contents.iter().map(Vec::as_slice).collect();
    hash_of(&parts)
}

/// Static files (built-in theme, then theme folder, then the site's `static/`) and
/// content assets.
fn extras(site: &Site, root: &Path) -> Vec<(String, Extra)> {
    let mut out: Vec<(String, Extra)> =
        crate::theme::layered_files(root, site.config.theme.as_deref(), "static", "static")
            .into_iter()
            .map(|f| (f.name, Extra::Bytes(Arc::new(f.bytes))))
            .collect();
    // Later layers win: keep the last entry for each path.
    let mut seen = HashSet::new();
    out.reverse();
    out.retain(|(p, _)| seen.insert(p.clone()));
    out.reverse();
    out.extend(
        site.assets
            .iter()
            .map(|a| (a.out_file.clone(), Extra::Disk(a.src.clone()))),
    );
    out
}

/// Builds the site at `opts.root` and writes it. On error nothing in the output folder
/// changes.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, BuildError> {
    build_and_keep(opts).map(|(report, _builder, _built)| report)
}

/// [`build`] for a process that exits right after: the site's memory is handed back
/// to the operating system at exit instead of being freed piece by piece, which takes
/// longer on a large site. Library callers should use [`build`], which frees it.
pub fn build_then_exit(opts: &BuildOptions) -> Result<BuildReport, BuildError> {
    build_and_keep(opts).map(|(report, builder, built)| {
        std::mem::forget(builder);
        std::mem::forget(built);
        report
    })
}

fn build_and_keep(
    opts: &BuildOptions,
) -> Result<(BuildReport, Builder, Vec<OutputFile>), BuildError> {
    let mut builder = Builder::new(opts.clone());
    let mut built = builder.run(&HashSet::new())?;
    let start = Instant::now();
    let files_written = emit(&built)?;
    let files = std::mem::take(&mut built.files);
    let mut report = built.report;
    report.timings.push(("write", start.elapsed()));
    report.elapsed += start.elapsed();
    report.files_written = files_written;
    Ok((report, builder, files))
}

/// Writes a build to its output folder through a staging folder.
pub fn emit(built: &Built) -> Result<usize, BuildError> {
    let output_dir = &built.report.output_dir;
    let io = |e: std::io::Error| {
        BuildError::from(Diagnostic::new(format!(
            "cannot write the output folder {}: {e}",
            output_dir.display()
        )))
    };
    let staging = Staging::new(output_dir).map_err(io)?;
    let mut written = staging.write_files(&built.files).map_err(BuildError)?;
    let mut problems = Diagnostics::default();
    for (path, extra) in &built.extras {
        let result = match extra {
            Extra::Bytes(bytes) => staging.write(path, bytes),
            Extra::Disk(src) => staging.copy(src, path),
        };
        match result {
            Ok(changed) => written += usize::from(changed),
            Err(d) => problems.push(d),
        }
    }
    problems.into_result()?;
    staging.commit().map_err(io)?;
    Ok(written)
}
