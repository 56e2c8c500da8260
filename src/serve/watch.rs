//! Watching the site's folders. Folders are watched recursively, never single files
//! (editors save by writing a temporary file and renaming it over the old one). Editor
//! temporary files, hidden files and the output folder are ignored. Which files changed
//! is a hint: every rebuild still walks `content/` and checks sizes and times, so a file
//! created right after `mkdir -p` (which inotify can miss) is found anyway.

use notify::{RecursiveMode, Watcher};
use notify_debouncer_full::{DebounceEventResult, Debouncer, FileIdCache, new_debouncer_opt};
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

pub use crate::config::SITE_DIRS;

/// What the watcher tells the rebuild loop.
#[derive(Debug)]
pub enum Change {
    Paths(Vec<PathBuf>),
    /// The watcher failed or overflowed: rebuild everything from scratch.
    Rescan(String),
}

/// Keeps a watcher alive and keeps it on the site's folders as they come and go.
pub trait Watch: Send {
    /// Brings the watches up to date after a batch of changes: a site folder that was
    /// deleted, or moved away and back, loses its watch, so one named in `changes` (or
    /// gone) is unwatched, and every site folder that exists and is not watched is watched
    /// again. Returns the folders newly watched (their files must be rescanned).
    fn refresh(&mut self, changes: &[Change]) -> Vec<PathBuf>;
}

/// Every file below `dir`: what a folder that appeared holds (events for files written
/// right after `mkdir -p` can be missed, so the folder is rescanned).
pub fn files_below(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().to_path_buf())
        .collect()
}

struct Active<T: Watcher, C: FileIdCache> {
    debouncer: Debouncer<T, C>,
    root: PathBuf,
    watched: Vec<PathBuf>,
    /// Every folder ever watched, to say so when one comes back.
    seen: Vec<PathBuf>,
}

impl<T: Watcher + Send, C: FileIdCache + Send> Watch for Active<T, C> {
    fn refresh(&mut self, changes: &[Change]) -> Vec<PathBuf> {
        let mut added = Vec::new();
        for dir in SITE_DIRS {
            let path = self.root.join(dir);
            let was_watched = self.watched.contains(&path);
            if was_watched && (names(changes, &path) || !path.is_dir()) {
                let _ = self.debouncer.unwatch(&path);
                self.watched.retain(|p| p != &path);
                if !path.is_dir() {
                    eprintln!(
                        "{dir}/ was moved or deleted; it will be watched again when it is back"
                    );
                }
            }
            if path.is_dir()
                && !self.watched.contains(&path)
                && self
                    .debouncer
                    .watch(&path, RecursiveMode::Recursive)
                    .is_ok()
            {
                if self.seen.contains(&path) {
                    println!("{dir}/ is back: watching it again");
                }
                self.seen.push(path.clone());
                self.watched.push(path.clone());
                added.push(path);
            }
        }
        added
    }
}

/// Whether a batch names `path` itself (created, removed or renamed), or the watcher
/// failed and every watch is suspect.
fn names(changes: &[Change], path: &Path) -> bool {
    changes.iter().any(|c| match c {
        Change::Paths(paths) => paths.iter().any(|p| p == path),
        Change::Rescan(_) => true,
    })
}

/// Starts watching `root`. `poll` uses a polling watcher (network drives, WSL).
pub fn start(
    root: &Path,
    output: &Path,
    debounce: Duration,
    poll: bool,
    tx: Sender<Change>,
) -> Result<Box<dyn Watch>, String> {
    // Events carry absolute paths: compare against absolute ones.
    let root_buf = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let output = root_buf.join(output.strip_prefix(root).unwrap_or(output));
    let handler = move |result: DebounceEventResult| match result {
        Ok(events) => {
            let paths: Vec<PathBuf> = events
                .iter()
                .filter(|e| !matches!(e.kind, notify::EventKind::Access(_)))
                .flat_map(|e| e.paths.iter().cloned())
                .filter(|p| relevant(&root_buf, &output, p))
                .collect();
            if !paths.is_empty() {
                let _ = tx.send(Change::Paths(paths));
            }
        }
        Err(errors) => {
            let text: Vec<String> = errors.iter().map(describe).collect();
            let _ = tx.send(Change::Rescan(text.join("; ")));
        }
    };
    let config = notify::Config::default().with_poll_interval(Duration::from_millis(500));
    let mut active: Box<dyn Watch> = if poll {
        let debouncer = new_debouncer_opt::<_, notify::PollWatcher, _>(
            debounce,
            None,
            handler,
            notify_debouncer_full::NoCache,
            config,
        );
        activate(debouncer.map_err(|e| describe(&e))?, root)?
    } else {
        let cache = notify_debouncer_full::RecommendedCache::new();
        let debouncer = new_debouncer_opt::<_, notify::RecommendedWatcher, _>(
            debounce, None, handler, cache, config,
        );
        activate(debouncer.map_err(|e| describe(&e))?, root)?
    };
    let _ = active.refresh(&[]);
    Ok(active)
}

/// Watches the root itself, not recursively (`lantern.toml`, and folders created later).
fn activate<T: Watcher + Send + 'static, C: FileIdCache + Send + 'static>(
    debouncer: Debouncer<T, C>,
    root: &Path,
) -> Result<Box<dyn Watch>, String> {
    let mut a = Active {
        debouncer,
        root: root.to_path_buf(),
        watched: Vec::new(),
        seen: Vec::new(),
    };
    a.debouncer
        .watch(root, RecursiveMode::NonRecursive)
        .map_err(|e| describe(&e))?;
    Ok(Box::new(a))
}

/// Whether a changed path can affect the site.
fn relevant(root: &Path, output: &Path, path: &Path) -> bool {
    if path.starts_with(output) {
        return false;
    }
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    if rel
        .components()
        .any(|c| crate::load::is_ignored(&c.as_os_str().to_string_lossy()))
    {
        return false;
    }
    let first = rel
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .unwrap_or_default();
    first == crate::config::CONFIG_FILE || SITE_DIRS.contains(&first.as_str())
}

/// A watcher error in words; the inotify limit gets the fix.
pub fn describe(e: &notify::Error) -> String {
    match &e.kind {
        notify::ErrorKind::MaxFilesWatch => "the system's limit on watched folders was reached; raise it with `sudo sysctl fs.inotify.max_user_watches=524288`, or run `lantern serve --poll`".to_string(),
        notify::ErrorKind::Io(io) if io.raw_os_error() == Some(28) => "the system's limit on watched folders was reached (ENOSPC); raise it with `sudo sysctl fs.inotify.max_user_watches=524288`, or run `lantern serve --poll`".to_string(),
        _ => format!("file watcher error: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::relevant;
    use std::path::Path;

    #[test]
    fn only_site_files_count() {
        let root = Path::new("/s");
        let out = Path::new("/s/site");
        assert!(relevant(root, out, Path::new("/s/content/a.md")));
        assert!(relevant(root, out, Path::new("/s/lantern.toml")));
        assert!(!relevant(root, out, Path::new("/s/site/index.html")));
        assert!(!relevant(root, out, Path::new("/s/content/.a.md.swp")));
        assert!(!relevant(root, out, Path::new("/s/content/a.md~")));
        assert!(!relevant(root, out, Path::new("/s/target/debug/x")));
    }
}
