//! The pipeline, start to end: load -> model -> render -> emit.
//!
//! [`Builder`] runs it and keeps what a rebuild can reuse (files read, Markdown rendered,
//! views, output bytes). `lantern serve` keeps one and calls [`Builder::run`] (in memory)
//! after every change; `lantern build` calls [`Builder::build_to_disk`] once, which
//! streams outputs to disk and reuses the previous output through its manifest. Both go
//! through the same `prepare` and `render`, differing only in the [`Sink`].

use crate::config::Config;
use crate::diagnostics::{BuildError, Diagnostic, Diagnostics};
use crate::i18n::I18n;
use crate::load::{ContentCache, hash_of};
use crate::model::{Site, count_kinds};
use crate::output::{DiskSink, Finished};
use crate::render::outputs::{StaticFile, StaticSource};
use crate::render::{self, Bodies, Components, Env, Fingerprints, OutputRecord, Sink, Views};
use crate::sources::Bibliography;
use crate::templates::{Sources, Templates};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
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
    pub timings: Vec<Stage>,
    pub warnings: Vec<Diagnostic>,
    pub output_dir: PathBuf,
    /// Pages the search index analysed (tokenised) in this run; the rest were reused
    /// from the previous `serve` run.
    pub search_analysed: usize,
}

impl BuildReport {
    /// `load 5, model 9, render 57, check 9` (milliseconds): one line per rebuild.
    pub fn stage_times(&self) -> String {
        let stages: Vec<String> = self
            .timings
            .iter()
            .map(|s| format!("{} {}", s.name, s.time.as_millis()))
            .collect();
        stages.join(", ")
    }

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

/// Everything one in-memory run produced ([`Builder::run`]).
pub struct Built {
    pub site: Arc<Site>,
    pub files: Vec<OutputFile>,
    /// Output paths rendered afresh in this run.
    pub rendered: Vec<String>,
    pub report: BuildReport,
}

/// What [`Builder::render_into`] hands back: the routed site, what the sink kept of
/// every output, and the report.
pub struct Inspected<K> {
    pub site: Arc<Site>,
    pub output: render::RenderOutput<K>,
    pub report: BuildReport,
}

/// One output file held in memory.
#[derive(Clone)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Arc<Vec<u8>>,
}

/// What the render stage produced, through some sink.
struct Rendered<K> {
    site: Arc<Site>,
    output: render::RenderOutput<K>,
    report: BuildReport,
    /// Digest of every item's Markdown inputs (see [`Prepared::markdown`]).
    markdown: u64,
}

/// The site loaded and modelled, with its fingerprints: everything before rendering.
struct Prepared {
    site: Arc<Site>,
    fps: Arc<Fingerprints>,
    i18n: Arc<I18n>,
    sources: Sources,
    components: Arc<Components>,
    data: serde_json::Value,
    bibliography: Arc<Bibliography>,
    /// The theme's settings per language (`localised` in templates).
    localised: serde_json::Value,
    /// Static files of every layer (the later layer wins), read with the other inputs,
    /// and the page-bundle assets.
    statics: Vec<StaticFile>,
    /// Every publishable image, probed (sizes for the pages' markup).
    images: Arc<crate::images::Index>,
    /// Warnings that do not stop the build (images that carried a GPS position).
    notes: Vec<Diagnostic>,
    problems: Diagnostics,
    clock: Clock,
    output_dir: PathBuf,
}

impl Prepared {
    /// Digest of every item's Markdown inputs: equal digests mean equal link checks.
    fn markdown(&self) -> u64 {
        render::fingerprint::combine(self.fps.markdown.iter().copied())
    }
}

/// One stage of a build, for `--timings`.
#[derive(Debug, Clone)]
pub struct Stage {
    pub name: &'static str,
    pub time: Duration,
    /// The process's peak resident memory so far, in KiB, when the stage ended (read
    /// from `/proc/self/status`; `None` where that does not exist).
    pub peak_kib: Option<u64>,
}

impl Stage {
    fn ended(name: &'static str, time: Duration) -> Stage {
        let peak_kib = std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|status| {
                let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
                line.split_whitespace().nth(1)?.parse().ok()
            });
        Stage {
            name,
            time,
            peak_kib,
        }
    }
}

/// Records how long each stage takes, for `--timings`.
struct Clock {
    start: Instant,
    last: Instant,
    stages: Vec<Stage>,
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
        self.stages.push(Stage::ended(stage, now - self.last));
        self.last = now;
    }
}

/// Runs the pipeline, keeping caches between runs.
pub struct Builder {
    opts: BuildOptions,
    content: ContentCache,
    config_text: String,
    /// Files `load_data` read in the last run, a digest of their contents then, and a
    /// counter bumped whenever that digest changes (part of every render fingerprint).
    data_reads: Vec<PathBuf>,
    reads_digest: u64,
    reads_generation: u64,
    /// What the last in-memory run produced ([`Builder::run`] only).
    memory: MemoryCache,
    /// The last in-memory run's site, to take edited bodies without routing again.
    last_site: Option<Arc<Site>>,
}

/// Bodies and list views by fingerprint, from one run to the next.
#[derive(Default, Clone)]
struct Work {
    bodies: HashMap<u64, render::Body>,
    views: HashMap<u64, tera::Value>,
    search: rustc_hash::FxHashMap<u64, Arc<crate::search::index::Analysed>>,
}

/// What [`Builder::run`] keeps for the next run: bodies, list views, output bytes and the
/// fingerprints they were made from.
#[derive(Default)]
struct MemoryCache {
    work: Work,
    record: OutputRecord,
    files: HashMap<String, Arc<Vec<u8>>>,
}

impl Builder {
    pub fn new(opts: BuildOptions) -> Builder {
        Builder {
            opts,
            content: ContentCache::default(),
            config_text: String::new(),
            data_reads: Vec::new(),
            reads_digest: 0,
            reads_generation: 0,
            memory: MemoryCache::default(),
            last_site: None,
        }
    }

    pub fn options(&self) -> &BuildOptions {
        &self.opts
    }

    /// Builds in memory, reusing the previous run's work. `dirty` names files known to
    /// have changed since the last run (from a watcher); files not named are still
    /// checked by size and time.
    pub fn run(&mut self, dirty: &HashSet<PathBuf>) -> Result<Built, BuildError> {
        self.content.remember();
        let prepared = self.prepare(dirty)?;
        let memory = std::mem::take(&mut self.memory);
        let sink = render::MemorySink {
            previous: memory.files,
        };
        let mut work = memory.work;
        let result = self.render(prepared, true, &memory.record, &sink, Some(&mut work));
        let done = match result {
            Ok(done) => done,
            Err(e) => {
                // Keep what is still valid for the next attempt.
                self.memory = MemoryCache {
                    work,
                    record: memory.record,
                    files: sink.previous,
                };
                return Err(e);
            }
        };
        self.last_site = Some(done.site.clone());
        let files: Vec<OutputFile> = done
            .output
            .files
            .into_iter()
            .map(|(path, bytes)| OutputFile { path, bytes })
            .collect();
        self.memory = MemoryCache {
            work,
            record: done.output.record,
            files: files
                .iter()
                .map(|f| (f.path.clone(), f.bytes.clone()))
                .collect(),
        };
        Ok(Built {
            site: done.site,
            files,
            rendered: done.output.rendered,
            report: done.report,
        })
    }

    /// Runs load, model and render into any [`Sink`], with the link check, writing
    /// nothing itself: for commands that inspect a build through their own sink. Returns
    /// the routed site, what the sink kept of every output, and the report.
    pub fn render_into<S: Sink>(&mut self, sink: &S) -> Result<Inspected<S::Kept>, BuildError> {
        let prepared = self.prepare(&HashSet::new())?;
        let done = self.render(prepared, true, &OutputRecord::default(), sink, None)?;
        Ok(Inspected {
            site: done.site,
            output: done.output,
            report: done.report,
        })
    }

    /// Builds into the output folder: outputs go to disk as they are rendered, and what
    /// the last build there recorded is reused. On error nothing in the output changes.
    pub fn build_to_disk(&mut self) -> Result<BuildReport, BuildError> {
        let prepared = self.prepare(&HashSet::new())?;
        crate::output::check_output_dir(&self.opts.root, &prepared.output_dir)
            .map_err(BuildError::from)?;
        let mut sink = DiskSink::new(&prepared.output_dir)?;
        let check_links = sink.previous_markdown() != prepared.markdown();
        // A file a template read with `load_data` changed: no earlier render can be reused.
        let (old_reads, old_digest) = sink.previous_reads();
        let reads_unchanged = digest_files(old_reads) == old_digest;
        let mut reads = if reads_unchanged {
            old_reads.to_vec()
        } else {
            Vec::new()
        };
        let previous = if reads_unchanged {
            sink.take_previous_record()
        } else {
            OutputRecord::default()
        };
        let done = self.render(prepared, check_links, &previous, &sink, None)?;
        let start = Instant::now();
        reads.extend(self.data_reads.iter().cloned());
        reads.sort();
        reads.dedup();
        let reads_digest = digest_files(&reads);
        let files_written = sink.finish(Finished {
            files: done.output.files,
            record: done.output.record,
            markdown: done.markdown,
            reads,
            reads_digest,
        })?;
        let mut report = done.report;
        report.timings.push(Stage::ended("write", start.elapsed()));
        report.elapsed += start.elapsed();
        report.files_written = files_written;
        Ok(report)
    }

    /// Stages 1 and 2: load and model, then fingerprint.
    fn prepare(&mut self, dirty: &HashSet<PathBuf>) -> Result<Prepared, BuildError> {
        let mut clock = Clock::new();
        let root = self.opts.root.clone();
        let mut config = Config::load(&root).map_err(BuildError)?;
        let config_text = Config::read_text(&root).unwrap_or_default();
        if config_text != self.config_text {
            // Languages and URLs may have changed: nothing read before can be trusted.
            self.content.clear();
            self.memory = MemoryCache::default();
            self.last_site = None;
            self.config_text = config_text;
        }
        if let Some(url) = &self.opts.base_url {
            crate::config::check_base_url(url).map_err(|why| {
                BuildError(vec![Diagnostic::new(format!(
                    "--base-url `{}` {why}",
                    url.escape_debug()
                ))])
            })?;
            config.base_url = if url.ends_with('/') {
                url.clone()
            } else {
                format!("{url}/")
            };
        }
        let content = &mut self.content;
        let ((loaded, i18n), ((sources, data), statics)) = rayon::join(
            || {
                (
                    crate::load::load_cached(&root, &config, content, dirty),
                    I18n::load(&root, &config),
                )
            },
            || {
                (
                    (
                        Sources::read(&root, &config),
                        crate::data::load(&root, &config),
                    ),
                    static_files(&root, &config),
                )
            },
        );
        let mut problems = Diagnostics::default();
        let (mut loaded, i18n, sources, data, statics) =
            match (loaded, i18n, sources, data, statics) {
                (Ok(l), Ok(i), Ok(s), Ok(d), Ok(st)) => (l, i, s, d, st),
                (l, i, s, d, st) => {
                    // Every input problem at once, content files' included.
                    match l {
                        Ok(loaded) => problems.extend(loaded.problems),
                        Err(ds) => problems.extend(ds),
                    }
                    problems.extend(i.err().unwrap_or_default());
                    problems.extend(s.err().unwrap_or_default());
                    problems.extend(d.err().unwrap_or_default());
                    problems.extend(st.err().unwrap_or_default());
                    return Err(problems.into());
                }
            };
        let bibliography = Bibliography::load(&root).map_err(BuildError)?;
        clock.lap("load");
        let site = match self.site_with_new_bodies(&loaded) {
            Some(site) => site,
            None => {
                // Files that failed to load are reported with whatever else this build finds.
                problems.extend(std::mem::take(&mut loaded.problems));
                match Site::new(config, loaded, self.opts.drafts) {
                    Ok(site) => Arc::new(site),
                    Err(model_problems) => {
                        problems.extend(model_problems);
                        return Err(problems.into());
                    }
                }
            }
        };
        let unknown_sources = bibliography.check(&site.docs);
        if !unknown_sources.is_empty() {
            problems.extend(unknown_sources);
            return Err(problems.into());
        }
        let localised = localised_settings(&site, &data, &root, &self.config_text)?;
        let statics = with_assets(&site, statics);
        let images = Arc::new(crate::images::Index::build(&statics, &site.config.images));
        let notes = images.gps_notes(&statics);
        let config_json = serde_json::to_string(&site.config).unwrap_or_default();
        // The bibliography counts as configuration: every page that cites it reads it.
        let config_fp = hash_of(&[
            config_json.as_bytes(),
            &i18n.fingerprint().to_le_bytes(),
            &bibliography.digest().to_le_bytes(),
            // Pages show their images' sizes.
            &images.digest.to_le_bytes(),
        ]);
        let data_json = serde_json::to_string(&data).unwrap_or_default();
        if digest_files(&self.data_reads) != self.reads_digest {
            self.reads_generation += 1;
        }
        let env_inputs = hash_of(&[
            &sources.fingerprint(render::components::DIR).to_le_bytes(),
            data_json.as_bytes(),
            &self.reads_generation.to_le_bytes(),
            // Menu names default to their targets' titles.
            localised.to_string().as_bytes(),
        ]);
        // Component templates read data and the theme's settings (help lines).
        let component_env = hash_of(&[data_json.as_bytes(), localised.to_string().as_bytes()]);
        let components = match Components::read(&sources, component_env) {
            Ok(c) => Arc::new(c),
            Err(ds) => {
                problems.extend(ds);
                return Err(problems.into());
            }
        };
        let digest = |body: &str| components.digest_for(body);
        let fps = Arc::new(Fingerprints::compute(&site, config_fp, env_inputs, &digest));
        clock.lap("model");
        let output_dir = self
            .opts
            .output
            .clone()
            .unwrap_or_else(|| root.join(&site.config.output_dir));
        Ok(Prepared {
            site,
            fps,
            i18n: Arc::new(i18n),
            sources,
            components,
            data,
            bibliography: Arc::new(bibliography),
            localised,
            statics,
            images,
            notes,
            problems,
            clock,
            output_dir,
        })
    }

    /// The last run's site with the edited documents swapped in, when only bodies
    /// changed (see [`Site::take_new_bodies`]): `serve`'s common case, typing in a page,
    /// then costs no routing. Only when this builder holds the last site alone.
    fn site_with_new_bodies(&mut self, loaded: &crate::load::Loaded) -> Option<Arc<Site>> {
        let mut site = self.last_site.take()?;
        let reused = Arc::get_mut(&mut site)?.take_new_bodies(loaded, self.opts.drafts);
        reused.then_some(site)
    }

    /// Stage 3: every output into `sink` (rendering Markdown bodies as they are needed),
    /// then the link check, unless nothing it reads changed. `work` carries bodies and list views
    /// from the previous run and receives this run's.
    fn render<S: Sink>(
        &mut self,
        prepared: Prepared,
        check_links: bool,
        previous: &OutputRecord,
        sink: &S,
        mut work: Option<&mut Work>,
    ) -> Result<Rendered<S::Kept>, BuildError> {
        let markdown = prepared.markdown();
        let Prepared {
            site,
            fps,
            i18n,
            sources,
            components,
            data,
            bibliography,
            localised,
            statics,
            images,
            mut notes,
            mut problems,
            mut clock,
            output_dir,
        } = prepared;
        let old = work.as_deref_mut().map(std::mem::take).unwrap_or_default();
        let keep = work.is_some();
        let bodies = Bodies::new(
            site.clone(),
            i18n.clone(),
            fps.markdown.clone(),
            images.clone(),
            old.bodies,
            !keep,
        )
        .with_components(components.clone());
        let views = Arc::new(Views::new(
            site.clone(),
            fps.clone(),
            bibliography,
            bodies,
            old.views,
            !keep,
        ));
        let env = Arc::new(Env {
            site: site.clone(),
            views: views.clone(),
            i18n,
            root: self.opts.root.clone(),
            deps: Mutex::default(),
            reads: Mutex::default(),
            images: images.clone(),
            resizes: Mutex::default(),
        });
        let search = crate::search::output::Analyses::new(old.search, keep);
        let mut output = None;
        let register = |tera: &mut tera::Tera| render::functions::register(tera, env.clone());
        match Templates::new(sources, &register, site.config.minify) {
            Ok(mut templates) => {
                let config_value = tera::Value::from_serializable(&site.config);
                templates.set_globals(
                    config_value,
                    tera::Value::from_serializable(&data),
                    &site.config.content_security_policy,
                );
                templates.insert_global("localised", tera::Value::from_serializable(&localised));
                let templates = Arc::new(templates);
                components.attach(&templates);
                let cx = render::outputs::Cx {
                    site: &site,
                    templates: &templates,
                    env: &env,
                    views: &views,
                    fps: &fps,
                    statics: &statics,
                    images: &images,
                    search: &search,
                };
                let out = render::render_all(&cx, previous, sink);
                clock.lap("render");
                self.data_reads = env.take_reads();
                self.data_reads.sort();
                self.data_reads.dedup();
                self.reads_digest = digest_files(&self.data_reads);
                output = Some(out);
            }
            Err(template_problems) => problems.extend(template_problems),
        }
        if check_links {
            problems.extend(views.bodies().check_links());
        }
        notes.extend(views.bodies().unlabelled_images());
        let search_analysed = search.made();
        if let Some(w) = work {
            *w = Work {
                bodies: views.bodies().to_cache(),
                views: views.to_cache(),
                search: search.into_cache(),
            };
        }
        clock.lap("check");
        let output = match output {
            Some(mut out) => {
                problems.extend(std::mem::take(&mut out.problems));
                problems.into_result()?;
                out
            }
            None => return Err(problems.into()),
        };
        let (pages, sections) = count_kinds(&site);
        let report = BuildReport {
            pages,
            sections,
            files_written: 0,
            elapsed: clock.start.elapsed(),
            timings: clock.stages,
            warnings: site.warnings.iter().cloned().chain(notes).collect(),
            output_dir,
            search_analysed,
        };
        Ok(Rendered {
            site,
            output,
            report,
            markdown,
        })
    }
}

/// The theme's settings for every language (see [`crate::settings`]); a broken `@/` menu
/// path or a missing logo is an error in `lantern.toml`.
fn localised_settings(
    site: &Site,
    data: &serde_json::Value,
    root: &Path,
    config_text: &str,
) -> Result<serde_json::Value, BuildError> {
    let config_path = crate::diagnostics::display_base(root).join(crate::config::CONFIG_FILE);
    let theme = site.config.theme.as_deref();
    let exists = |file: &str| {
        let rel = Path::new(file.trim_start_matches('/'));
        let safe = rel
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)));
        safe && (root.join("static").join(rel).is_file()
            || theme.is_some_and(|t| {
                root.join("themes")
                    .join(t)
                    .join("static")
                    .join(rel)
                    .is_file()
            })
            || crate::theme::embedded_files("static")
                .iter()
                .any(|f| Path::new(&f.name) == rel))
    };
    let localised = crate::settings::localise(site, data, &config_path, config_text, &exists)
        .map_err(BuildError)?;
    Ok(serde_json::to_value(localised).unwrap_or_default())
}

/// A digest of the contents of some files (missing files count as empty).
/// A digest of the contents of some files (missing or unreadable files count as empty).
fn digest_files(paths: &[PathBuf]) -> u64 {
    let contents: Vec<Vec<u8>> = paths
        .iter()
        .map(|p| {
            crate::load::input::read_limited(p, crate::load::input::MAX_TEXT_BYTES)
                .unwrap_or_default()
        })
        .collect();
    let parts: Vec<&[u8]> = contents.iter().map(Vec::as_slice).collect();
    hash_of(&parts)
}

/// Static files: built-in theme, then theme folder, then the site's `static/`, the later
/// layer winning, with digests of their bytes. A static file that cannot be read is an
/// error.
fn static_files(root: &Path, config: &Config) -> Result<Vec<StaticFile>, Vec<Diagnostic>> {
    let limit = crate::load::input::MAX_STATIC_BYTES;
    let mut files: Vec<StaticFile> =
        crate::theme::layered_files(root, config, "static", "static", limit)?
            .into_iter()
            .map(|f| StaticFile {
                digest: hash_of(&[f.name.as_bytes(), &f.bytes]),
                origin: f.shown.display().to_string(),
                path: f.name,
                source: StaticSource::Bytes(Arc::new(f.bytes)),
            })
            .collect();
    let mut seen = HashSet::new();
    files.reverse();
    files.retain(|f| seen.insert(f.path.clone()));
    files.reverse();
    Ok(files)
}

/// The static files and the page-bundle assets (read when their jobs run, so a site of
/// large photos is not held in memory; their digests are taken here, in parallel).
fn with_assets(site: &Site, mut files: Vec<StaticFile>) -> Vec<StaticFile> {
    let assets: Vec<StaticFile> = site
        .assets
        .par_iter()
        .map(|a| StaticFile {
            digest: digest_file(&a.out_file, &a.src),
            path: a.out_file.clone(),
            origin: a.src.display().to_string(),
            source: StaticSource::Disk(a.src.clone()),
        })
        .collect();
    files.extend(assets);
    files
}

/// A digest of a file's path and bytes, read in chunks (assets may be large).
fn digest_file(path: &str, src: &Path) -> u64 {
    use std::hash::Hasher;
    use std::io::Read;
    let mut h = std::hash::DefaultHasher::new();
    h.write(path.as_bytes());
    let Ok(mut file) = std::fs::File::open(src) else {
        return 0; // the job's read reports it
    };
    let mut buf = vec![0u8; 64 * 1024];
    while let Ok(n) = file.read(&mut buf) {
        if n == 0 {
            break;
        }
        h.write(&buf[..n]);
    }
    h.finish()
}

/// Builds the site at `opts.root` in memory and returns every output, writing nothing:
/// the library entry point for commands that inspect a build (`lantern check`). The
/// same stages as [`build`], into a [`render::MemorySink`].
pub fn build_in_memory(opts: &BuildOptions) -> Result<Built, BuildError> {
    Builder::new(opts.clone()).run(&HashSet::new())
}

/// [`build_in_memory`] for one look at a build (`lantern check`): nothing is kept for a
/// next run, so bodies and list views are dropped once their last output is made, as in
/// a build to disk. Only the outputs' bytes stay.
pub fn inspect_in_memory(opts: &BuildOptions) -> Result<Built, BuildError> {
    let sink = render::MemorySink {
        previous: HashMap::new(),
    };
    let done = Builder::new(opts.clone()).render_into(&sink)?;
    Ok(Built {
        site: done.site,
        files: done
            .output
            .files
            .into_iter()
            .map(|(path, bytes)| OutputFile { path, bytes })
            .collect(),
        rendered: done.output.rendered,
        report: done.report,
    })
}

/// Builds the site at `opts.root` and writes it. On error nothing in the output folder
/// changes.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, BuildError> {
    Builder::new(opts.clone()).build_to_disk()
}

/// [`build`] for a process that exits right after: the site's memory is handed back
/// to the operating system at exit instead of being freed piece by piece, which takes
/// longer on a large site. Library callers should use [`build`], which frees it.
pub fn build_then_exit(opts: &BuildOptions) -> Result<BuildReport, BuildError> {
    let mut builder = Builder::new(opts.clone());
    let report = builder.build_to_disk();
    std::mem::forget(builder);
    report
}
