//! Benchmarks of the hot build stages, through the library's public API.
//!
//! ```text
//! cargo bench --bench stages                 # everything (a couple of minutes)
//! cargo bench --bench stages -- markdown     # one group
//! ```
//!
//! Inputs come from `examples/gen_site.rs` (included below with `#[path]`), so they are the
//! same deterministic pages the end-to-end script (`scripts/bench.sh`) builds. Each group
//! uses 10 samples and a short measurement time: the numbers are for spotting regressions
//! of tens of percent, not for fine comparisons. Scratch files go to /dev/shm when it
//! exists (or to `LANTERN_BENCH_DIR`). See BENCHMARKS.md.

use criterion::{BatchSize, Criterion, SamplingMode, Throughput, criterion_group};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

#[allow(dead_code)]
#[path = "../examples/gen_site.rs"]
mod gen_site;

/// Pages in the generated site used by the whole-build benches.
const SITE_PAGES: usize = 1000;
const SEED: u64 = 42;
/// How many content files the per-file benches (front matter, Markdown) go through per
/// iteration: every 20th file of the site, English and Korean.
const SAMPLE_EVERY: usize = 20;

struct Fixture {
    tmp: tempfile::TempDir,
    root: PathBuf,
    /// (path, whole file text) of a sample of content files.
    files: Vec<(PathBuf, String)>,
    /// Un-minified HTML pages as the templates produce them.
    html: Vec<Vec<u8>>,
}

/// Built on first use; statics are never dropped, so `main` removes its folder at the end.
static FIXTURE: OnceLock<Fixture> = OnceLock::new();

fn fixture() -> &'static Fixture {
    FIXTURE.get_or_init(|| {
        let tmp = scratch_dir();
        let root = tmp.path().join("site");
        gen_site::generate(&root, SITE_PAGES, SEED).expect("generate site");
        let mut paths: Vec<PathBuf> = walkdir::WalkDir::new(root.join("content"))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
            .map(|e| e.into_path())
            .collect();
        paths.sort();
        let files = paths
            .into_iter()
            .step_by(SAMPLE_EVERY)
            .map(|p| {
                let text = std::fs::read_to_string(&p).expect("read page");
                (p, text)
            })
            .collect();
        let html = unminified_pages(&root, tmp.path());
        Fixture {
            tmp,
            root,
            files,
            html,
        }
    })
}

/// A temporary folder on tmpfs when there is one: on a disk file system the whole-build
/// benches would mostly measure the file system (on ext4, creating thousands of files
/// right after deleting thousands is slow). `LANTERN_BENCH_DIR` overrides the place.
fn scratch_dir() -> tempfile::TempDir {
    let place = std::env::var_os("LANTERN_BENCH_DIR")
        .map(PathBuf::from)
        .or_else(|| Some(PathBuf::from("/dev/shm")).filter(|p| p.is_dir()))
        .unwrap_or_else(std::env::temp_dir);
    tempfile::Builder::new()
        .prefix("lantern-bench-")
        .tempdir_in(&place)
        .expect("temporary folder")
}

/// Builds a copy of the site with `minify = false` and returns a sample of its page HTML.
fn unminified_pages(root: &Path, tmp: &Path) -> Vec<Vec<u8>> {
    let raw_root = tmp.join("site-raw");
    std::fs::create_dir_all(&raw_root).expect("mkdir");
    let config = std::fs::read_to_string(root.join("lantern.toml")).expect("read config");
    // Top-level key: must come before the first [table].
    std::fs::write(
        raw_root.join("lantern.toml"),
        format!("minify = false\n{config}"),
    )
    .expect("write config");
    copy_dir(&root.join("content"), &raw_root.join("content"));
    let out = tmp.join("out-raw");
    lantern::build::build(&lantern::build::BuildOptions {
        root: raw_root.clone(),
        output: Some(out.clone()),
        ..Default::default()
    })
    .expect("build unminified site");
    let mut pages: Vec<PathBuf> = walkdir::WalkDir::new(&out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_type().is_file()
                && e.path().file_name().is_some_and(|n| n == "index.html")
                && e.path().to_string_lossy().contains("/page-")
        })
        .map(|e| e.into_path())
        .collect();
    pages.sort();
    let html: Vec<Vec<u8>> = pages
        .into_iter()
        .step_by(SAMPLE_EVERY)
        .map(|p| std::fs::read(p).expect("read html"))
        .collect();
    assert!(
        !html.is_empty(),
        "no page HTML found in the unminified build"
    );
    std::fs::remove_dir_all(&raw_root).ok();
    std::fs::remove_dir_all(&out).ok();
    html
}

fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = e.path().strip_prefix(from).expect("prefix");
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else {
            std::fs::copy(e.path(), &dest).expect("copy");
        }
    }
}

fn total_bytes<'a>(items: impl Iterator<Item = &'a [u8]>) -> u64 {
    items.map(|b| b.len() as u64).sum()
}

fn is_korean(path: &Path) -> bool {
    path.to_string_lossy().ends_with(".ko.md")
}

fn frontmatter(c: &mut Criterion) {
    let f = fixture();
    let mut g = c.benchmark_group("frontmatter");
    g.sample_size(10)
        .measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_secs(1));
    g.throughput(Throughput::Bytes(total_bytes(
        f.files.iter().map(|(_, t)| t.as_bytes()),
    )));
    g.bench_function(format!("parse_{}_files", f.files.len()), |b| {
        b.iter(|| {
            for (path, text) in &f.files {
                let split = lantern::load::frontmatter::parse(path, text).expect("front matter");
                black_box(split);
            }
        })
    });
    g.finish();
}

fn markdown(c: &mut Criterion) {
    let f = fixture();
    let bodies: Vec<(bool, &str)> = f
        .files
        .iter()
        .map(|(path, text)| {
            let split = lantern::load::frontmatter::parse(path, text).expect("front matter");
            (is_korean(path), &text[split.body_start..])
        })
        .collect();
    let titles_en = lantern::markdown::default_alert_titles("en");
    let titles_ko = lantern::markdown::default_alert_titles("ko");
    let resolve = |p: &str| {
        Ok(lantern::markdown::Resolved {
            url: format!("/{p}/"),
            target: 0,
        })
    };
    let en = lantern::markdown::Options {
        alert_titles: &titles_en,
        resolve: &resolve,
        base_path: "/",
        page_dir: "",
        smart_punctuation: true,
        component: None,
    };
    let ko = lantern::markdown::Options {
        alert_titles: &titles_ko,
        resolve: &resolve,
        base_path: "/",
        page_dir: "",
        smart_punctuation: false,
        component: None,
    };
    let mut g = c.benchmark_group("markdown");
    g.sample_size(10)
        .measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_secs(1));
    g.throughput(Throughput::Bytes(total_bytes(
        bodies.iter().map(|(_, b)| b.as_bytes()),
    )));
    g.bench_function(format!("render_{}_bodies", bodies.len()), |b| {
        b.iter(|| {
            for &(korean, body) in &bodies {
                let opts = if korean { &ko } else { &en };
                black_box(lantern::markdown::render(body, opts));
            }
        })
    });
    g.finish();
}

/// `lantern::output::minify_html` over page HTML. Builds no longer minify each page (the
/// templates are minified once when loaded), so this tracks the cost of minify-html for
/// anyone tempted to bring per-page minification back.
fn minify(c: &mut Criterion) {
    let f = fixture();
    let mut g = c.benchmark_group("minify");
    g.sample_size(10)
        .measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_secs(1));
    g.throughput(Throughput::Bytes(total_bytes(
        f.html.iter().map(|h| h.as_slice()),
    )));
    g.bench_function(format!("minify_html_{}_pages", f.html.len()), |b| {
        b.iter(|| {
            for page in &f.html {
                black_box(lantern::output::minify_html(page));
            }
        })
    });
    g.finish();
}

fn whole_build(c: &mut Criterion) {
    let f = fixture();
    let out = f.root.parent().expect("tmp").join("out");
    let opts = lantern::build::BuildOptions {
        root: f.root.clone(),
        output: Some(out.clone()),
        ..Default::default()
    };
    // Note: `build` leaves freeing its memory to process exit (`std::mem::forget`, right
    // for the one-shot CLI), so every iteration here leaks one build's memory (about
    // 150 MB for this site): with flat sampling, a few GB for the whole group.
    let mut g = c.benchmark_group("build");
    // Flat sampling: every sample is the same number of builds (one, at this size), rather
    // than criterion's default 1, 2, ..., 10 builds per sample (55 in all).
    g.sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .measurement_time(Duration::from_secs(12))
        .warm_up_time(Duration::from_secs(2));
    // Cold: the output folder is removed before each build (not timed).
    g.bench_function(format!("cold_{SITE_PAGES}_pages"), |b| {
        b.iter_batched(
            || {
                let _ = std::fs::remove_dir_all(&out);
            },
            |()| black_box(lantern::build::build(&opts).expect("build")),
            BatchSize::PerIteration,
        )
    });
    // No change: the output folder holds the previous build of the same input.
    lantern::build::build(&opts).expect("build");
    g.bench_function(format!("no_change_{SITE_PAGES}_pages"), |b| {
        b.iter(|| black_box(lantern::build::build(&opts).expect("build")))
    });
    g.finish();
}

criterion_group!(benches, frontmatter, markdown, minify, whole_build);

// What `criterion_main!(benches)` expands to, plus removing the scratch folder.
fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    if let Some(f) = FIXTURE.get() {
        let _ = std::fs::remove_dir_all(f.tmp.path());
    }
}
