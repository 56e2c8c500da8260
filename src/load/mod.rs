//! Stage 1, load: the `content/` folder becomes a list of parsed [`Document`]s and [`Asset`]s.
//!
//! Walking is sequential (it is cheap and must be deterministic); reading and front matter
//! parsing run in parallel. Nothing here knows about URLs or templates.

pub mod frontmatter;
pub mod input;
mod path;
pub use path::ContentPath;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Location};
use frontmatter::FrontMatter;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::hash::Hasher;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

/// A stable 64-bit digest of byte strings (for cache keys, not for security).
pub fn hash_of(parts: &[&[u8]]) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    for p in parts {
        h.write_usize(p.len());
        h.write(p);
    }
    h.finish()
}

/// A Markdown file larger than this is refused (see [`input::MAX_TEXT_BYTES`]).
pub const MAX_MARKDOWN_BYTES: u64 = input::MAX_TEXT_BYTES;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    /// `_index.md`: a folder's own page, which lists the pages below it.
    Section,
    /// Any other `.md` file, or `index.md` of a page bundle.
    Page,
}

/// One parsed content file.
#[derive(Debug, Clone)]
pub struct Document {
    /// Path as shown in messages (`content/guides/telegram.md`).
    pub path: PathBuf,
    /// Path below `content/`, with `/` separators: `guides/telegram.ko.md`.
    pub rel: String,
    /// What translations share: the path without the language, `guides/telegram.md`.
    pub key: String,
    pub lang: String,
    pub kind: DocKind,
    /// `dir/index.md`: the folder is the page, and its other files are its assets.
    pub bundle: bool,
    pub text: String,
    pub front: FrontMatter,
    pub body_start: usize,
    /// Digest of `text` and of where the file sits: what caches key on.
    pub hash: u64,
    /// Digest of the front matter alone (dates, titles, flags: what lists show).
    pub front_hash: u64,
}

impl Document {
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }

    /// Folder of the file below `content/` (`guides` for `guides/telegram.md`, "" at the top).
    pub fn dir(&self) -> &str {
        self.rel.rsplit_once('/').map_or("", |(d, _)| d)
    }

    /// Points at the line of a front matter key, or at the file when the key is absent.
    pub fn key_location(&self, key: &str) -> Location {
        match crate::diagnostics::find_key(&self.text[..self.body_start], key) {
            Some(offset) => Location::from_offset(&self.path, &self.text, offset, key.len()),
            None => Location::from_line_col(&self.path, &self.text, 1, 1, 3),
        }
    }
}

/// A file in `content/` that is not Markdown (an image, a PDF): copied to the output.
#[derive(Debug, Clone)]
pub struct Asset {
    pub src: PathBuf,
    /// Path below `content/`, with `/` separators.
    pub rel: String,
}

/// What loading found. Files that could not be read or parsed are reported in
/// `problems` and named in `unreadable`, and the build goes on with the rest, so one
/// bad file does not hide problems elsewhere.
#[derive(Debug, Default)]
pub struct Loaded {
    pub docs: Vec<Arc<Document>>,
    pub assets: Vec<Asset>,
    pub problems: Vec<Diagnostic>,
    /// Translation keys of files that failed to load: links to them are not "broken".
    pub unreadable: Vec<String>,
}

/// Files read by earlier loads, so a rebuild reads only what changed.
#[derive(Debug, Default)]
pub struct ContentCache {
    files: HashMap<PathBuf, CachedFile>,
    /// The last walk of `content/` that found no problem.
    walked: Option<(Vec<SourceFile>, Vec<Asset>)>,
    /// Off for a one-shot build, which would only pay for remembering.
    remember: bool,
}

#[derive(Debug)]
struct CachedFile {
    modified: Option<SystemTime>,
    len: u64,
    result: Loading,
}

impl ContentCache {
    /// From now on, remember what each load read.
    pub fn remember(&mut self) {
        self.remember = true;
    }

    /// Forgets everything (the configuration changed, so languages may have too).
    pub fn clear(&mut self) {
        self.files.clear();
        self.walked = None;
    }
}

/// Reads every content file below `root/content`, reporting every problem found.
pub fn load(root: &Path, config: &Config) -> Result<Loaded, Vec<Diagnostic>> {
    load_cached(root, config, &mut ContentCache::default(), &HashSet::new())
}

/// Like [`load`], but reuses files whose size and modification time are unchanged,
/// unless they are in `dirty` (a watcher saw them change: two saves within one tick of
/// the file system clock can leave the time unchanged).
pub fn load_cached(
    root: &Path,
    config: &Config,
    cache: &mut ContentCache,
    dirty: &HashSet<PathBuf>,
) -> Result<Loaded, Vec<Diagnostic>> {
    let content = root.join("content");
    let shown = crate::diagnostics::display_base(root).join("content");
    if !content.is_dir() {
        return Err(vec![
            Diagnostic::new(format!(
                "no content folder: {} does not exist",
                shown.display()
            ))
            .with_help(
                "create it and put an `_index.md` in it, or run `lantern init DIR` for a new site",
            ),
        ]);
    }
    if let Some(loaded) = reload_named(cache, &content, &shown, config, dirty) {
        return Ok(loaded);
    }
    let boundary = input::Boundary::new(root, &config.allow_outside);
    let (files, assets, mut problems) = walk(&content, &shown, &boundary);
    if cache.remember {
        cache.walked = problems.is_empty().then(|| (files.clone(), assets.clone()));
    }
    let cached = &cache.files;
    let results: Vec<(Loading, Option<SystemTime>, u64)> = files
        .par_iter()
        .map(|(abs, rel)| {
            let (modified, len) =
                std::fs::metadata(abs).map_or((None, 0), |m| (m.modified().ok(), m.len()));
            let result = match cached.get(abs) {
                Some(c) if c.modified == modified && c.len == len && !dirty.contains(abs) => {
                    c.result.clone()
                }
                _ => read_document(abs, &shown.join(rel), rel, config).map(Arc::new),
            };
            (result, modified, len)
        })
        .collect();
    if cache.remember {
        cache.files = files
            .iter()
            .zip(&results)
            .map(|((abs, _), (result, modified, len))| {
                let entry = CachedFile {
                    modified: *modified,
                    len: *len,
                    result: result.clone(),
                };
                (abs.clone(), entry)
            })
            .collect();
    }
    let results: Vec<Loading> = results.into_iter().map(|(r, _, _)| r).collect();
    let mut docs: Vec<Arc<Document>> = Vec::with_capacity(results.len());
    let mut unreadable = Vec::new();
    for (r, (_, rel)) in results.into_iter().zip(&files) {
        match r {
            Ok(d) => docs.push(d),
            Err(d) => {
                problems.extend(d);
                unreadable.push(key_of(rel, config));
            }
        }
    }
    Ok(Loaded {
        docs,
        assets,
        problems,
        unreadable,
    })
}

/// The fast path of a watched rebuild: when a watcher named what changed and every change
/// inside `content/` is to a file the last walk found and that still exists (nothing
/// added, removed or renamed there), re-reads just those files and reuses the rest.
/// `None` when that does not hold, or nothing was remembered: then walk.
fn reload_named(
    cache: &mut ContentCache,
    content: &Path,
    shown: &Path,
    config: &Config,
    dirty: &HashSet<PathBuf>,
) -> Option<Loaded> {
    let (files, assets) = cache.walked.as_ref()?;
    let known_asset = |p: &PathBuf| assets.iter().any(|a| &a.src == p);
    // A file that became a symbolic link may now point outside: only a walk checks that.
    let only_edits = !dirty.is_empty()
        && dirty.iter().all(|p| {
            !p.starts_with(content)
                || ((cache.files.contains_key(p) || known_asset(p))
                    && p.is_file()
                    && !p.is_symlink())
        });
    if !only_edits {
        return None;
    }
    let rel_of: HashMap<&PathBuf, &String> = files.iter().map(|(abs, rel)| (abs, rel)).collect();
    let mut reread = Vec::new();
    for abs in dirty {
        if let Some(rel) = rel_of.get(abs) {
            let (modified, len) =
                std::fs::metadata(abs).map_or((None, 0), |m| (m.modified().ok(), m.len()));
            let result = read_document(abs, &shown.join(rel), rel, config).map(Arc::new);
            reread.push((
                abs.clone(),
                CachedFile {
                    modified,
                    len,
                    result,
                },
            ));
        }
    }
    cache.files.extend(reread);
    let mut loaded = Loaded {
        assets: assets.clone(),
        ..Loaded::default()
    };
    for (abs, rel) in files {
        match &cache.files.get(abs)?.result {
            Ok(d) => loaded.docs.push(d.clone()),
            Err(d) => {
                loaded.problems.extend(d.iter().cloned());
                loaded.unreadable.push(key_of(rel, config));
            }
        }
    }
    Some(loaded)
}

/// A Markdown file: its path, and its path below `content/`.
type SourceFile = (PathBuf, String);

/// One file's load result, as cached.
type Loading = Result<Arc<Document>, Vec<Diagnostic>>;

type Walked = (Vec<SourceFile>, Vec<Asset>, Vec<Diagnostic>);

/// Markdown files and assets below `content/`, with every problem the walk met
/// (links out of the site, loops, special files).
fn walk(content: &Path, shown: &Path, boundary: &input::Boundary) -> Walked {
    let (found, problems) = input::walk_files(content, shown, boundary, true);
    let mut files = Vec::new();
    let mut assets = Vec::new();
    for f in found {
        if f.rel.ends_with(".md") {
            files.push((f.path, f.rel));
        } else {
            assets.push(Asset {
                src: f.path,
                rel: f.rel,
            });
        }
    }
    (files, assets, problems)
}

/// Hidden files and editors' temporary files never become content.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".kate-swp")
        || name == "4913"
        || name.contains("jb_tmp")
}

fn read_document(
    abs: &Path,
    shown: &Path,
    rel: &str,
    config: &Config,
) -> Result<Document, Vec<Diagnostic>> {
    let bytes = input::read_limited(abs, MAX_MARKDOWN_BYTES)
        .map_err(|e| match e {
            input::InputError::TooLarge { .. } => {
                Diagnostic::in_file(shown, format!("{e} for one Markdown file"))
                    .with_help("split it into several pages")
            }
            other => other.diagnostic(shown),
        })
        .map_err(|d| vec![d])?;
    let text = String::from_utf8(bytes)
        .map_err(|e| {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let prefix = String::from_utf8_lossy(&bytes[..valid]);
            let line_end = bytes[valid..]
                .iter()
                .position(|b| *b == b'\n')
                .map_or(bytes.len(), |i| valid + i);
            let text = String::from_utf8_lossy(&bytes[..line_end]).into_owned();
            Diagnostic::new("the file is not valid UTF-8 text")
                .at(Location::from_offset(shown, &text, prefix.len(), 1))
                .with_help("save the file as UTF-8 in your editor")
        })
        .map_err(|d| vec![d])?;
    // Files saved on Windows: every later stage sees `\n` only (pulldown-cmark splits a
    // CRLF HTML line into two events, which left a blank line where `<!-- more -->` was).
    // Lines and columns are unchanged, as only the `\r` before each `\n` goes.
    let text = if text.contains("\r\n") {
        text.replace("\r\n", "\n")
    } else {
        text
    };
    let (key, lang, kind, bundle) = classify(rel, config);
    let split = frontmatter::parse(shown, &text)?;
    let body_start = split.body_start;
    Ok(Document {
        path: shown.to_path_buf(),
        rel: rel.to_string(),
        key,
        lang,
        kind,
        bundle,
        front: split.front,
        hash: hash_of(&[rel.as_bytes(), text.as_bytes()]),
        front_hash: hash_of(&[&text.as_bytes()[..body_start]]),
        text,
        body_start,
    })
}

/// The translation key of a path: `guides/a.ko.md` -> `guides/a.md` when `ko` is a
/// language of the site.
pub fn key_of(rel: &str, config: &Config) -> String {
    ContentPath::parse(rel, config).map_or_else(|| rel.to_string(), |p| p.key())
}

/// Works out translation key, language and kind from a path below `content/`.
fn classify(rel: &str, config: &Config) -> (String, String, DocKind, bool) {
    let Some(path) = ContentPath::parse(rel, config) else {
        return (
            rel.to_string(),
            config.default_language.clone(),
            DocKind::Page,
            false,
        );
    };
    let kind = if path.is_section() {
        DocKind::Section
    } else {
        DocKind::Page
    };
    let lang = path.language_or(&config.default_language).to_string();
    (path.key(), lang, kind, path.is_bundle())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        Config::parse(
            Path::new("lantern.toml"),
            "title = \"t\"\nbase_url = \"/\"\n[languages.ko]\nname = \"한국어\"\n",
        )
        .expect("valid")
    }

    #[test]
    fn classifies_translations_sections_and_bundles() {
        let c = config();
        let (key, lang, kind, bundle) = classify("guides/telegram.ko.md", &c);
        assert_eq!(
            (key.as_str(), lang.as_str(), kind, bundle),
            ("guides/telegram.md", "ko", DocKind::Page, false)
        );
        let (key, lang, kind, _) = classify("_index.md", &c);
        assert_eq!(
            (key.as_str(), lang.as_str(), kind),
            ("_index.md", "en", DocKind::Section)
        );
        let (_, _, _, bundle) = classify("guides/dead-drops/index.md", &c);
        assert!(bundle);
        let (key, _, _, _) = classify("notes/v1.2.md", &c);
        assert_eq!(key, "notes/v1.2.md");
    }

    /// Only configured languages are suffixes: `notes.old.md` and `a.fr.md` (no `fr` in
    /// lantern.toml) are pages of the default language, with their own keys.
    #[test]
    fn only_site_languages_are_file_name_suffixes() {
        let c = config();
        for (rel, want_key) in [
            ("notes.old.md", "notes.old.md"),
            ("guides/telegram.fr.md", "guides/telegram.fr.md"),
        ] {
            let (key, lang, kind, _) = classify(rel, &c);
            assert_eq!(
                (key.as_str(), lang.as_str(), kind),
                (want_key, "en", DocKind::Page)
            );
            assert_eq!(key_of(rel, &c), want_key);
        }
        assert_eq!(key_of("guides/telegram.ko.md", &c), "guides/telegram.md");
    }

    #[test]
    fn ignores_editor_files() {
        for name in [".git", "a.md~", ".a.md.swp", "#a.md#", "4913", "x.tmp"] {
            assert!(is_ignored(name), "{name}");
        }
        assert!(!is_ignored("a.md"));
    }
}
