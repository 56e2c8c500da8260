//! The built-in theme, compiled into the binary, and the lookup of theme files on disk.
//!
//! Lookup order for any theme file (template, i18n table, static file): the site's own
//! folder, then `themes/<theme>/`, then the built-in copy. A file on disk that cannot be
//! read is an error, never silently replaced by a lower layer's copy.

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::load::input::{self, Boundary};
use std::path::{Path, PathBuf};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_theme.rs"));
}

/// Name of the theme that ships inside Lantern.
pub const DEFAULT_THEME: &str = "lantern";

/// A theme file from any layer.
#[derive(Debug, Clone)]
pub struct ThemeFile {
    /// Path inside its folder, e.g. `page.html` below `templates/`.
    pub name: String,
    /// Where it came from, as shown in messages.
    pub shown: PathBuf,
    pub bytes: Vec<u8>,
}

/// Files below `sub` (e.g. `templates`) from the three layers, lowest priority first.
/// Later entries with the same name override earlier ones. Files on disk are read
/// through [`input`] (regular files inside the site or `allow_outside`, at most `limit`
/// bytes each); every file that cannot be read is reported.
pub fn layered_files(
    root: &Path,
    config: &Config,
    sub: &str,
    site_dir: &str,
    limit: u64,
) -> Result<Vec<ThemeFile>, Vec<Diagnostic>> {
    let boundary = Boundary::new(root, &config.allow_outside);
    let shown_root = crate::diagnostics::display_base(root);
    let mut files = embedded_files(sub);
    let mut problems = Vec::new();
    let mut layers = Vec::new();
    if let Some(theme) = &config.theme {
        let dir = Path::new("themes").join(theme).join(sub);
        layers.push(dir);
    }
    layers.push(PathBuf::from(site_dir));
    for layer in layers {
        let (found, walk_problems) = dir_files(
            &root.join(&layer),
            &shown_root.join(&layer),
            &boundary,
            limit,
        );
        files.extend(found);
        problems.extend(walk_problems);
    }
    if problems.is_empty() {
        Ok(files)
    } else {
        Err(problems)
    }
}

/// The built-in theme's files below `sub`.
pub fn embedded_files(sub: &str) -> Vec<ThemeFile> {
    let prefix = format!("{sub}/");
    embedded::FILES
        .iter()
        .filter_map(|(path, bytes)| {
            path.strip_prefix(&prefix).map(|name| ThemeFile {
                name: name.to_string(),
                shown: PathBuf::from(format!("<built-in theme>/{path}")),
                bytes: bytes.to_vec(),
            })
        })
        .collect()
}

/// Every file of the built-in theme, for `lantern init`.
pub fn all_embedded() -> impl Iterator<Item = (&'static str, &'static [u8])> {
    embedded::FILES.iter().copied()
}

fn dir_files(
    dir: &Path,
    shown: &Path,
    boundary: &Boundary,
    limit: u64,
) -> (Vec<ThemeFile>, Vec<Diagnostic>) {
    let (found, mut problems) = input::walk_files(dir, shown, boundary, false);
    let mut files = Vec::with_capacity(found.len());
    for f in found {
        let shown = shown.join(&f.rel);
        match input::read_limited(&f.path, limit) {
            Ok(bytes) => files.push(ThemeFile {
                shown,
                name: f.rel,
                bytes,
            }),
            Err(e) => problems.push(e.diagnostic(&shown)),
        }
    }
    (files, problems)
}
