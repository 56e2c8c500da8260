//! The pipeline as a library: a command (such as `lantern check`) builds a site in
//! memory, or into a sink of its own, and nothing is written.

mod common;

use lantern::build::{BuildOptions, Builder, build_in_memory};
use lantern::diagnostics::Diagnostic;
use lantern::render::Sink;
use std::path::Path;
use std::sync::Mutex;

fn fixture_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    common::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/features"),
        dir.path(),
    );
    dir
}

fn options(root: &Path) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        ..Default::default()
    }
}

#[test]
fn a_build_in_memory_returns_every_output_and_writes_nothing() {
    let dir = fixture_copy();
    let before = common::listing(dir.path());
    let built = build_in_memory(&options(dir.path())).expect("builds");
    let paths: Vec<&str> = built.files.iter().map(|f| f.path.as_str()).collect();
    for expected in [
        "index.html",
        "guides/everything/index.html",
        "style.css",
        "sitemap.xml",
    ] {
        assert!(
            paths.contains(&expected),
            "{expected} missing from {paths:?}"
        );
    }
    assert!(built.site.items.len() > 3);
    assert_eq!(common::listing(dir.path()), before, "nothing written");
}

/// A sink that only records what it is given.
#[derive(Default)]
struct Recorder(Mutex<Vec<(String, usize)>>);

impl Sink for Recorder {
    type Kept = usize;
    fn reuse(&self, _path: &str) -> Option<usize> {
        None
    }
    fn store(&self, path: &str, bytes: Vec<u8>) -> Result<usize, Diagnostic> {
        if let Ok(mut seen) = self.0.lock() {
            seen.push((path.to_string(), bytes.len()));
        }
        Ok(bytes.len())
    }
}

#[test]
fn render_into_hands_every_output_to_a_custom_sink() {
    let dir = fixture_copy();
    let before = common::listing(dir.path());
    let sink = Recorder::default();
    let inspected = Builder::new(options(dir.path()))
        .render_into(&sink)
        .expect("builds");
    let (site, output) = (inspected.site, inspected.output);
    let seen = sink.0.into_inner().expect("lock");
    assert_eq!(seen.len(), output.files.len());
    assert!(
        seen.iter()
            .any(|(p, n)| p == "guides/everything/index.html" && *n > 0)
    );
    assert!(
        site.items
            .iter()
            .any(|i| i.out_file == "guides/everything/index.html")
    );
    assert_eq!(common::listing(dir.path()), before, "nothing written");
}
