//! Reading what a site's authors wrote, safely. Every input file (content, data, templates,
//! UI strings, static files, `lantern.toml`, `load_data`) is read through here:
//!
//! - only regular files are read: a named pipe would hang the build and `/dev/zero`
//!   would fill memory;
//! - at most a size limit is read, even from a file that grows while it is read;
//! - a path whose real location (symbolic links resolved) leaves the site folder is
//!   refused, unless `allow_outside` in `lantern.toml` names a folder holding it: a link
//!   such as `content/passwd.txt -> /etc/passwd` must never publish that file.
//!
//! Walking a folder ([`walk_files`]) resolves only the symbolic links it meets: a file
//! below a folder whose real path is inside is inside too, so a large site pays nothing.

use crate::diagnostics::Diagnostic;
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The most read from one text input (a Markdown page, a data file, a template, a UI
/// strings table, `lantern.toml`): no explainer is this long, and a file this large is
/// almost always a mistake (an export, a pasted binary).
pub const MAX_TEXT_BYTES: u64 = 10 * 1024 * 1024;

/// The most read from one file of a `static/` folder (images, fonts, PDFs), which is
/// held in memory until it is written.
pub const MAX_STATIC_BYTES: u64 = 256 * 1024 * 1024;

/// Why an input could not be read.
#[derive(Debug)]
pub enum InputError {
    /// The operating system refused (missing, a folder, permissions, a link loop).
    Io(std::io::Error),
    /// A named pipe, socket or device: reading it could hang or never end.
    NotRegular(&'static str),
    /// Larger than the limit (`size` is what was seen, at least `limit + 1`).
    TooLarge { size: u64, limit: u64 },
    /// The path resolves to `target`, which is outside the site folder.
    Outside { target: PathBuf },
}

impl From<std::io::Error> for InputError {
    fn from(e: std::io::Error) -> Self {
        InputError::Io(e)
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputError::Io(e) => write!(f, "cannot read: {e}"),
            InputError::NotRegular(kind) => {
                write!(f, "cannot read: this is {kind}, not a regular file")
            }
            InputError::TooLarge { size, limit } => write!(
                f,
                "the file is {:.1} MB, above the {} MB limit",
                *size as f64 / 1_048_576.0,
                limit / 1_048_576
            ),
            InputError::Outside { target } => write!(
                f,
                "this is a symbolic link to {}, which is outside the site folder",
                target.display()
            ),
        }
    }
}

impl InputError {
    /// The error as a diagnostic about `shown`, with advice on what to do.
    pub fn diagnostic(&self, shown: &Path) -> Diagnostic {
        let d = Diagnostic::in_file(shown, self.to_string());
        match self {
            InputError::Outside { .. } => d.with_help(
                "copy the file into the site, or allow its folder on purpose with \
                 `allow_outside = [\"/that/folder\"]` in lantern.toml",
            ),
            InputError::NotRegular(_) => d.with_help("replace it with an ordinary file"),
            _ => d,
        }
    }
}

/// Reads a regular file, at most `limit` bytes of it.
///
/// The type is checked before opening (opening a named pipe blocks until someone writes
/// to it) and again on the opened handle (the path may have been replaced in between);
/// `take` bounds the read even for files that report a wrong size (`/proc`).
pub fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, InputError> {
    check_regular(&std::fs::metadata(path)?)?;
    let file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    check_regular(&meta)?;
    if meta.len() > limit {
        return Err(InputError::TooLarge {
            size: meta.len(),
            limit,
        });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(InputError::TooLarge {
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

/// [`read_limited`] for UTF-8 text ([`MAX_TEXT_BYTES`]); invalid UTF-8 is an I/O error
/// of kind `InvalidData`, as with `std::fs::read_to_string`.
pub fn read_text(path: &Path) -> Result<String, InputError> {
    let bytes = read_limited(path, MAX_TEXT_BYTES)?;
    String::from_utf8(bytes).map_err(|_| {
        InputError::Io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "the file is not valid UTF-8 text",
        ))
    })
}

fn check_regular(meta: &std::fs::Metadata) -> Result<(), InputError> {
    let kind = meta.file_type();
    if kind.is_file() {
        return Ok(());
    }
    Err(InputError::NotRegular(describe(kind)))
}

/// "a named pipe", "a device", …: what a non-regular file is, for messages.
fn describe(kind: std::fs::FileType) -> &'static str {
    if kind.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a named pipe";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
    }
    "a special file"
}

/// Where inputs may live: the site folder, and the folders `allow_outside` names. All
/// paths are canonical (symbolic links resolved).
#[derive(Debug, Clone)]
pub struct Boundary {
    roots: Vec<PathBuf>,
}

impl Boundary {
    /// The site folder `root` and the configured `allow_outside` folders.
    pub fn new(root: &Path, allow_outside: &[PathBuf]) -> Boundary {
        let roots = std::iter::once(root)
            .chain(allow_outside.iter().map(PathBuf::as_path))
            .map(|p| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf()))
            .collect();
        Boundary { roots }
    }

    /// The real path of `path`, when it is inside; [`InputError::Outside`] otherwise.
    pub fn resolve(&self, path: &Path) -> Result<PathBuf, InputError> {
        let real = std::fs::canonicalize(path)?;
        if self.roots.iter().any(|r| real.starts_with(r)) {
            Ok(real)
        } else {
            Err(InputError::Outside { target: real })
        }
    }

    /// [`read_limited`] of a path that must resolve inside.
    pub fn read(&self, path: &Path, limit: u64) -> Result<Vec<u8>, InputError> {
        let real = self.resolve(path)?;
        read_limited(&real, limit)
    }

    /// [`read_text`] of a path that must resolve inside.
    pub fn read_text(&self, path: &Path) -> Result<String, InputError> {
        let real = self.resolve(path)?;
        read_text(&real)
    }
}

/// One file found by [`walk_files`].
#[derive(Debug, Clone)]
pub struct Found {
    /// Its path through the walked folder (links not resolved).
    pub path: PathBuf,
    /// Its path below the walked folder, with `/` separators.
    pub rel: String,
}

/// Every regular file below `dir`, sorted by name, following symbolic links that stay
/// inside `boundary`. Links that leave it, link loops, unreadable folders, dangling links
/// and special files (pipes, devices) are reported, naming `shown` joined with their path
/// below `dir`. Editors' temporary files are skipped, and so are hidden folders when
/// `skip_hidden_folders` (content has none; `static/.well-known/` must be published).
/// A missing `dir` has no files.
pub fn walk_files(
    dir: &Path,
    shown: &Path,
    boundary: &Boundary,
    skip_hidden_folders: bool,
) -> (Vec<Found>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    if std::fs::symlink_metadata(dir).is_err() {
        return (files, problems);
    }
    match boundary.resolve(dir) {
        Ok(real) if real.is_dir() => {}
        Ok(_) => {
            problems.push(Diagnostic::in_file(
                shown,
                "cannot read: this is a file, not a folder",
            ));
            return (files, problems);
        }
        Err(e) => {
            problems.push(e.diagnostic(shown));
            return (files, problems);
        }
    }
    let mut walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0
                || !crate::load::is_ignored(&name)
                || (!skip_hidden_folders && e.file_type().is_dir() && name.starts_with('.'))
        });
    let shown_of = |p: &Path| shown.join(p.strip_prefix(dir).unwrap_or(p));
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                problems.push(walk_error(&e, dir, shown));
                continue;
            }
        };
        if entry.depth() == 0 {
            continue;
        }
        let kind = entry.file_type();
        if entry.path_is_symlink()
            && let Err(e) = boundary.resolve(entry.path())
        {
            problems.push(e.diagnostic(&shown_of(entry.path())));
            if kind.is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        if kind.is_dir() {
            continue;
        }
        if !kind.is_file() {
            let e = InputError::NotRegular(describe(kind));
            problems.push(e.diagnostic(&shown_of(entry.path())));
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(dir) else {
            continue;
        };
        files.push(Found {
            rel: rel.to_string_lossy().replace('\\', "/"),
            path: entry.path().to_path_buf(),
        });
    }
    (files, problems)
}

fn walk_error(e: &walkdir::Error, dir: &Path, shown: &Path) -> Diagnostic {
    let path = e
        .path()
        .map(|p| shown.join(p.strip_prefix(dir).unwrap_or(p)))
        .unwrap_or_else(|| shown.to_path_buf());
    match e.loop_ancestor() {
        Some(ancestor) => Diagnostic::in_file(
            &path,
            format!(
                "symbolic link loop: this link points back to {}",
                ancestor.display()
            ),
        )
        .with_help("remove the link"),
        None => {
            let reason = e
                .io_error()
                .map_or_else(|| e.to_string(), ToString::to_string);
            Diagnostic::in_file(&path, format!("cannot read: {reason}"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_files_are_read_up_to_the_limit() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("a.toml");
        std::fs::write(&path, "12345").expect("write");
        assert_eq!(read_limited(&path, 5).expect("fits"), b"12345");
        let err = read_limited(&path, 4).expect_err("too large");
        assert!(
            matches!(err, InputError::TooLarge { limit: 4, .. }),
            "{err}"
        );
    }

    /// `/proc` files report a size of 0: `take` still stops the read at the limit.
    #[test]
    fn files_that_hide_their_size_are_still_limited() {
        let err = read_limited(Path::new("/proc/self/maps"), 8).expect_err("limited");
        assert!(
            matches!(err, InputError::TooLarge { limit: 8, .. }),
            "{err}"
        );
    }

    #[test]
    fn pipes_and_devices_are_refused_without_reading() {
        let err = read_limited(Path::new("/dev/zero"), MAX_TEXT_BYTES).expect_err("device");
        assert!(err.to_string().contains("a device"), "{err}");
        let dir = tempfile::tempdir().expect("tempdir");
        let pipe = dir.path().join("pipe");
        let made = std::process::Command::new("mkfifo")
            .arg(&pipe)
            .status()
            .expect("mkfifo");
        assert!(made.success());
        // Opening a pipe for reading would block until a writer came: this returns.
        let err = read_limited(&pipe, MAX_TEXT_BYTES).expect_err("pipe");
        assert!(err.to_string().contains("named pipe"), "{err}");
        let err = read_limited(dir.path(), MAX_TEXT_BYTES).expect_err("folder");
        assert!(err.to_string().contains("a folder"), "{err}");
    }

    #[test]
    fn the_boundary_follows_links_and_allows_named_folders() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().join("site");
        let shared = dir.path().join("shared");
        std::fs::create_dir_all(&root).expect("mkdir");
        std::fs::create_dir_all(&shared).expect("mkdir");
        std::fs::write(root.join("a.md"), "a").expect("write");
        std::fs::write(shared.join("b.svg"), "b").expect("write");
        std::os::unix::fs::symlink("a.md", root.join("inside.md")).expect("link");
        std::os::unix::fs::symlink(shared.join("b.svg"), root.join("b.svg")).expect("link");
        let strict = Boundary::new(&root, &[]);
        assert_eq!(
            strict.read(&root.join("inside.md"), 10).expect("inside"),
            b"a"
        );
        let err = strict.read(&root.join("b.svg"), 10).expect_err("outside");
        assert!(matches!(err, InputError::Outside { .. }), "{err}");
        let open = Boundary::new(&root, std::slice::from_ref(&shared));
        assert_eq!(open.read(&root.join("b.svg"), 10).expect("allowed"), b"b");
    }
}
