//! What the last good build wrote, kept beside the output folder
//! (`.site.lantern-manifest` for `site/`), so the next `lantern build` in a new process
//! can tell which outputs are still current without rendering them.
//!
//! Trust is narrow: an entry is used only when the manifest was written by this very
//! binary (version and executable stamp), and the file on disk still has the size and
//! modification time recorded. Anything else (a missing, corrupt or foreign manifest, a
//! hand-edited output file) means "render it". A line format, not a serde one: it is
//! read and written once per build, and a damaged line only costs a re-render.

use crate::render::OutputRecord;
use std::collections::HashMap;
use std::fs::Metadata;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

const HEADER: &str = "lantern-manifest 1";

/// Size and modification time of a file: how an output is recognised as untouched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub len: u64,
    pub mtime_ns: u64,
}

impl Stamp {
    pub fn of(meta: &Metadata) -> Stamp {
        let mtime_ns = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX));
        Stamp {
            len: meta.len(),
            mtime_ns,
        }
    }

    pub fn of_path(path: &Path) -> Option<Stamp> {
        std::fs::metadata(path).ok().map(|m| Stamp::of(&m))
    }
}

#[derive(Debug, Default, Clone, PartialEq)]
pub struct Manifest {
    /// Which binary wrote it ([`tool_identity`]).
    pub tool: u64,
    /// Digest of every item's Markdown inputs at the last good build: when it is
    /// unchanged, no link or anchor check can find anything new.
    pub markdown: u64,
    pub record: OutputRecord,
    /// Every file in the output folder the build wrote, rendered or copied.
    pub stamps: HashMap<String, Stamp>,
    /// Files templates read with `load_data` (in this build or reused renders of earlier
    /// ones), and a digest of their contents then: when it differs, nothing is reused.
    pub reads: Vec<PathBuf>,
    pub reads_digest: u64,
}

/// The manifest that belongs to the output folder `output`.
pub fn path_for(output: &Path) -> PathBuf {
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "site".into());
    output.with_file_name(format!(".{name}.lantern-manifest"))
}

/// This binary: its version and its executable's size and time, so a rebuilt Lantern
/// (whose templates or renderer may differ) never trusts an older manifest.
pub fn tool_identity() -> u64 {
    let exe = std::env::current_exe()
        .ok()
        .and_then(|p| Stamp::of_path(&p))
        .unwrap_or(Stamp {
            len: 0,
            mtime_ns: 0,
        });
    crate::load::hash_of(&[
        env!("CARGO_PKG_VERSION").as_bytes(),
        &exe.len.to_le_bytes(),
        &exe.mtime_ns.to_le_bytes(),
    ])
}

impl Manifest {
    /// Reads the manifest at `path`; `None` when missing or damaged.
    pub fn read(path: &Path) -> Option<Manifest> {
        let text = std::fs::read_to_string(path).ok()?;
        Manifest::parse(&text)
    }

    fn parse(text: &str) -> Option<Manifest> {
        let mut lines = text.lines();
        if lines.next()? != HEADER {
            return None;
        }
        let mut m = Manifest::default();
        let hex = |s: &str| u64::from_str_radix(s, 16).ok();
        for line in lines {
            let mut f = line.split('\t');
            match f.next()? {
                "tool" => m.tool = hex(f.next()?)?,
                "markdown" => m.markdown = hex(f.next()?)?,
                "reads" => m.reads_digest = hex(f.next()?)?,
                "read" => m.reads.push(PathBuf::from(f.next()?)),
                "file" => {
                    let path = f.next()?.to_string();
                    let len = f.next()?.parse().ok()?;
                    let mtime_ns = f.next()?.parse().ok()?;
                    if let Some(fp) = f.next() {
                        m.record.fingerprints.insert(path.clone(), hex(fp)?);
                    }
                    m.stamps.insert(path, Stamp { len, mtime_ns });
                }
                "resize" => {
                    let key = f.next()?.to_string();
                    let fields: Vec<&str> = f.collect();
                    let r = crate::images::resize::Resize::from_fields(&fields)?;
                    m.record.resizes.entry(key).or_default().push(r);
                }
                "dep" => {
                    let key = f.next()?.to_string();
                    let item = (f.next()?.to_string(), f.next()?.to_string());
                    m.record.deps.entry(key).or_default().push(item);
                }
                _ => return None,
            }
        }
        Some(m)
    }

    fn to_text(&self) -> String {
        let clean = |s: &str| !s.contains(['\t', '\n', '\r']);
        let mut out = format!(
            "{HEADER}\ntool\t{:x}\nmarkdown\t{:x}\nreads\t{:x}\n",
            self.tool, self.markdown, self.reads_digest
        );
        for p in &self.reads {
            let p = p.to_string_lossy();
            if clean(&p) {
                out.push_str(&format!("read\t{p}\n"));
            }
        }
        let mut paths: Vec<&String> = self.stamps.keys().filter(|p| clean(p)).collect();
        paths.sort();
        for p in paths {
            let s = self.stamps[p];
            out.push_str(&format!("file\t{p}\t{}\t{}", s.len, s.mtime_ns));
            if let Some(fp) = self.record.fingerprints.get(p) {
                out.push_str(&format!("\t{fp:x}"));
            }
            out.push('\n');
        }
        let mut keys: Vec<&String> = self.record.deps.keys().filter(|k| clean(k)).collect();
        keys.sort();
        for k in keys {
            for (key, lang) in &self.record.deps[k] {
                if clean(key) && clean(lang) {
                    out.push_str(&format!("dep\t{k}\t{key}\t{lang}\n"));
                }
            }
        }
        let mut keys: Vec<&String> = self.record.resizes.keys().filter(|k| clean(k)).collect();
        keys.sort();
        for k in keys {
            for r in self.record.resizes[k].iter().filter(|r| clean(&r.source)) {
                out.push_str(&format!("resize\t{k}\t{}\n", r.to_fields()));
            }
        }
        out
    }

    /// Writes the manifest (through a temporary file, so a reader never sees half).
    pub fn write(&self, path: &Path) -> std::io::Result<()> {
        let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(self.to_text().as_bytes())?;
        drop(f);
        std::fs::rename(&tmp, path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let mut m = Manifest {
            tool: 7,
            markdown: u64::MAX,
            ..Manifest::default()
        };
        m.stamps.insert(
            "a/index.html".into(),
            Stamp {
                len: 10,
                mtime_ns: 99,
            },
        );
        m.stamps.insert(
            "style.css".into(),
            Stamp {
                len: 3,
                mtime_ns: 1,
            },
        );
        m.record.fingerprints.insert("a/index.html".into(), 0xabc);
        m.record
            .deps
            .insert("/a/".into(), vec![("b.md".into(), "en".into())]);
        m.record.resizes.insert(
            "/".into(),
            vec![crate::images::resize::Resize {
                source: "img/logo.png".into(),
                width: 30,
                height: 10,
                crop: true,
                kind: crate::images::Kind::Webp,
                quality: 70,
            }],
        );
        m.reads = vec![PathBuf::from("/site/extra/facts.toml")];
        m.reads_digest = 42;
        assert_eq!(Manifest::parse(&m.to_text()), Some(m));
    }

    #[test]
    fn damage_means_no_manifest() {
        assert_eq!(Manifest::parse(""), None);
        assert_eq!(
            Manifest::parse("lantern-manifest 1\nfile\tx\tnot-a-number\t1\n"),
            None
        );
        assert_eq!(Manifest::parse("something else\n"), None);
    }

    #[test]
    fn sits_beside_the_output() {
        assert_eq!(
            path_for(Path::new("/w/site")),
            PathBuf::from("/w/.site.lantern-manifest")
        );
    }
}
