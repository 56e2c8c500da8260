//! The built-in theme, compiled into the binary, and the lookup of theme files on disk.
//!
//! Lookup order for any theme file (template, i18n table, static file): the site's own
//! folder, then `themes/<theme>/`, then the built-in copy.

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
/// Later entries with the same name override earlier ones.
pub fn layered_files(
    root: &Path,
    theme: Option<&str>,
    sub: &str,
    site_dir: &str,
) -> Vec<ThemeFile> {
    let mut files = embedded_files(sub);
    if let Some(theme) = theme {
        let dir = root.join("themes").join(theme).join(sub);
        files.extend(dir_files(
            &dir,
            &crate::load::display_base(root)
                .join("themes")
                .join(theme)
                .join(sub),
        ));
    }
    files.extend(dir_files(
        &root.join(site_dir),
        &crate::load::display_base(root).join(site_dir),
    ));
    files
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

fn dir_files(dir: &Path, shown: &Path) -> Vec<ThemeFile> {
    if !dir.is_dir() {
        return Vec::new();
    }
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_type().is_file() && !crate::load::is_ignored(&e.file_name().to_string_lossy())
        })
        .filter_map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            let bytes = std::fs::read(e.path()).ok()?;
            Some(ThemeFile {
                shown: shown.join(&rel),
                name: rel,
                bytes,
            })
        })
        .collect()
}
