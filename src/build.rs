//! The pipeline, start to end: load -> model -> render -> emit. `lantern build` calls
//! [`build`]; the dev server will call the same function.

use crate::config::Config;
use crate::diagnostics::{BuildError, Diagnostic, Diagnostics};
use crate::i18n::I18n;
use crate::model::{Site, count_kinds};
use crate::output::Staging;
use crate::render::{self, render_markdown};
use crate::templates::{Env, Sources, Templates};
use std::path::{Path, PathBuf};
use std::sync::Arc;
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
    /// Files whose bytes changed (new files included).
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

/// Builds the site at `opts.root`. On error nothing in the output folder changes.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, BuildError> {
    let mut clock = Clock::new();
    let root = opts.root.as_path();
    let mut config = Config::load(root).map_err(BuildError)?;
    if let Some(url) = &opts.base_url {
        config.base_url = if url.ends_with('/') {
            url.clone()
        } else {
            format!("{url}/")
        };
    }
    let ((loaded, i18n), (sources, data)) = rayon::join(
        || (crate::load::load(root, &config), I18n::load(root, &config)),
        || (Sources::read(root, &config), crate::data::load(root)),
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
    let site = match Site::new(config, loaded, opts.drafts) {
        Ok(site) => Arc::new(site),
        Err(model_problems) => {
            problems.extend(model_problems);
            return Err(problems.into());
        }
    };
    clock.lap("model");
    let (rendered, md_problems) = render_markdown(&site, &i18n);
    problems.extend(md_problems);
    clock.lap("markdown");
    let views = Arc::new(render::build_views(&site, &rendered));
    drop(rendered);
    let env = Arc::new(Env {
        site: site.clone(),
        views: views.clone(),
        i18n: Arc::new(i18n),
        root: root.to_path_buf(),
    });
    let files = match Templates::new(sources, env) {
        Ok(mut templates) => {
            let config_value = tera::Value::from_serializable(&site.config);
            templates.set_globals(
                config_value,
                tera::Value::from_serializable(&data),
                &site.config.content_security_policy,
            );
            let (files, render_problems) = render::render_all(&site, &templates, &views);
            problems.extend(render_problems);
            files
        }
        Err(template_problems) => {
            problems.extend(template_problems);
            Vec::new()
        }
    };
    clock.lap("templates");
    problems.into_result()?;
    let output_dir = opts
        .output
        .clone()
        .unwrap_or_else(|| root.join(&site.config.output_dir));
    let files_written = emit(&site, root, &output_dir, files)?;
    clock.lap("write");
    let (pages, sections) = count_kinds(&site);
    Ok(BuildReport {
        pages,
        sections,
        files_written,
        elapsed: clock.start.elapsed(),
        timings: clock.stages,
        warnings: site.warnings.clone(),
        output_dir,
    })
}

fn emit(
    site: &Site,
    root: &Path,
    output_dir: &Path,
    files: Vec<render::OutputFile>,
) -> Result<usize, BuildError> {
    let io = |e: std::io::Error| {
        BuildError::from(Diagnostic::new(format!(
            "cannot write the output folder {}: {e}",
            output_dir.display()
        )))
    };
    let staging = Staging::new(output_dir).map_err(io)?;
    let mut written = staging
        .write_files(files, site.config.minify)
        .map_err(BuildError)?;
    let mut problems = Diagnostics::default();
    for f in crate::theme::layered_files(root, site.config.theme.as_deref(), "static", "static") {
        match staging.write(&f.name, &f.bytes) {
            Ok(changed) => written += usize::from(changed),
            Err(d) => problems.push(d),
        }
    }
    for asset in &site.assets {
        match staging.copy(&asset.src, &asset.out_file) {
            Ok(changed) => written += usize::from(changed),
            Err(d) => problems.push(d),
        }
    }
    problems.into_result()?;
    staging.commit().map_err(io)?;
    Ok(written)
}
