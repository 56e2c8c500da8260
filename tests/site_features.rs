//! Site features on `tests/fixtures/lists`: taxonomies per language, pagination, feeds,
//! aliases, `_redirects`, `_headers`, data files; `lantern new` and `lantern init`; and a
//! build under a sub-path where every generated URL must carry the sub-path.

mod common;
use common::{build_in, copy_dir, read_output as read};

use assert_cmd::Command;
use lantern::build::{BuildOptions, build};
use std::path::{Path, PathBuf};

fn built_with(root: &Path, base_url: Option<&str>) -> tempfile::TempDir {
    common::built_into_temp(root, base_url)
}

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lists")
}

#[test]
fn taxonomies_are_per_language_and_terms_are_normalised() {
    let out = built_with(&fixture(), None);
    let list = read(&out, "topics/index.html");
    assert!(
        list.contains("href=\"dead-drops/index.html\">Dead Drops</a> (5)"),
        "`Dead Drops` and `dead drops` are one term:\n{list}"
    );
    assert!(
        list.contains("href=\"telegram/index.html\">Telegram</a> (4)"),
        "{list}"
    );
    assert!(
        !list.contains("던지기"),
        "Korean terms stay in the Korean tree"
    );
    let ko = read(&out, "ko/topics/index.html");
    assert!(
        ko.contains("href=\"던지기/index.html\">던지기</a> (1)"),
        "{ko}"
    );
    assert!(
        !ko.contains("Dead Drops"),
        "fallback pages do not bring English terms into the Korean tree:\n{ko}"
    );
    assert!(read(&out, "platforms/telegram/index.html").contains("News item 5"));
}

#[test]
fn pagination_numbers_links_and_first_page_redirect() {
    let out = built_with(&fixture(), None);
    let first = read(&out, "news/index.html");
    let second = read(&out, "news/page/2/index.html");
    let third = read(&out, "news/page/3/index.html");
    // Sorted by date, newest first, two per page.
    assert!(
        first.contains("News item 5")
            && first.contains("News item 4")
            && !first.contains("News item 3"),
        "{first}"
    );
    assert!(
        second.contains("News item 3") && second.contains("News item 2"),
        "{second}"
    );
    assert!(third.contains("News item 1"), "{third}");
    assert!(
        second.contains("<link rel=\"prev\" href=\"../../index.html\">"),
        "{second}"
    );
    assert!(
        second.contains("<link rel=\"next\" href=\"../3/index.html\">"),
        "{second}"
    );
    assert!(!first.contains("rel=\"prev\""), "{first}");
    assert!(
        second.contains("<span aria-current=\"page\">2</span>"),
        "{second}"
    );
    assert!(
        second.contains("href=\"../3/index.html\" aria-label=\"Page 3\">3</a>"),
        "{second}"
    );
    let redirect = read(&out, "news/page/1/index.html");
    assert!(
        redirect.contains("http-equiv=\"refresh\" content=\"0; url=../../index.html\""),
        "{redirect}"
    );
    // Paginated term pages.
    assert!(read(&out, "topics/dead-drops/page/3/index.html").contains("News item 1"));
}

fn child<'a, 'i>(n: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    n.children().find(|c| c.tag_name().name() == name)
}

/// Checks the elements RFC 4287 requires and returns entry titles in order.
fn atom_entries(xml: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("not XML: {e}\n{xml}"));
    let feed = doc.root_element();
    assert_eq!(feed.tag_name().name(), "feed");
    assert_eq!(
        feed.tag_name().namespace(),
        Some("http://www.w3.org/2005/Atom")
    );
    for required in ["id", "title", "updated", "author"] {
        let el = child(feed, required).unwrap_or_else(|| panic!("feed lacks <{required}>"));
        assert!(
            required == "author" || !el.text().unwrap_or("").trim().is_empty(),
            "empty <{required}>"
        );
    }
    assert!(
        feed.children()
            .any(|c| c.tag_name().name() == "link" && c.attribute("rel") == Some("self"))
    );
    let updated = child(feed, "updated").and_then(|u| u.text()).unwrap_or("");
    assert!(
        jiff::Timestamp::from_str(updated).is_ok(),
        "feed updated is RFC 3339: {updated}"
    );
    feed.children()
        .filter(|c| c.tag_name().name() == "entry")
        .map(|e| {
            for required in ["id", "title", "updated", "link"] {
                assert!(child(e, required).is_some(), "entry lacks <{required}>");
            }
            child(e, "title")
                .and_then(|t| t.text())
                .unwrap_or("")
                .to_string()
        })
        .collect()
}

use std::str::FromStr;

#[test]
fn feeds_are_valid_atom_with_dated_pages_newest_first_and_limited() {
    let out = built_with(&fixture(), None);
    let titles = atom_entries(&read(&out, "atom.xml"));
    assert_eq!(
        titles,
        vec!["News item 5", "News item 4", "News item 3"],
        "feed_limit = 3, undated left out"
    );
    let section = atom_entries(&read(&out, "news/atom.xml"));
    assert_eq!(section.len(), 3);
    let term = atom_entries(&read(&out, "topics/telegram/atom.xml"));
    assert_eq!(term, vec!["News item 5", "News item 4", "News item 3"]);
    let ko = atom_entries(&read(&out, "ko/atom.xml"));
    assert_eq!(
        ko,
        vec!["소식 1"],
        "fallbacks are not entries of the Korean feed"
    );
    assert!(
        !out.path().join("site/platforms/telegram/atom.xml").exists(),
        "platforms has feed = false"
    );
    // The feed's date is its newest entry's, so rebuilding changes nothing.
    assert!(read(&out, "atom.xml").contains("<updated>2026-05-01T00:00:00Z</updated>"));
}

#[test]
fn aliases_redirect_and_are_listed_in_redirects_file() {
    let out = built_with(&fixture(), None);
    let page = read(&out, "old/item-3/index.html");
    assert!(
        page.contains(
            "<meta http-equiv=\"refresh\" content=\"0; url=../../news/item-3/index.html\">"
        ),
        "{page}"
    );
    assert!(
        page.contains("<link rel=\"canonical\" href=\"https://example.org/news/item-3/\">"),
        "{page}"
    );
    let redirects = read(&out, "_redirects");
    assert!(
        redirects.contains("/old/item-3/ /news/item-3/ 301\n"),
        "{redirects}"
    );
    assert!(
        redirects.contains("/news/page/1/ /news/ 301\n"),
        "{redirects}"
    );
}

#[test]
fn headers_file_has_a_strict_policy() {
    let out = built_with(&fixture(), None);
    let headers = read(&out, "_headers");
    assert!(headers.starts_with("/*\n"));
    for line in [
        "Content-Security-Policy: default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
        "Referrer-Policy: no-referrer",
        "X-Content-Type-Options: nosniff",
        "Permissions-Policy: camera=()",
    ] {
        assert!(headers.contains(line), "missing {line:?} in\n{headers}");
    }
    let page = read(&out, "news/item-1/index.html");
    assert!(
        page.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self';"),
        "the same policy as a meta tag"
    );
    assert!(
        !page.contains("<script>") && !page.contains(" style=\""),
        "no inline script or style"
    );
}

#[test]
fn data_files_are_loaded_once_and_errors_name_the_line() {
    let out = built_with(&fixture(), None);
    assert!(read(&out, "news/item-1/index.html").contains("<p class=\"phone\">1342</p>"));
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&fixture(), dir.path());
    std::fs::write(
        dir.path().join("data/broken.json"),
        "{\n  \"a\": 1,\n  oops\n}",
    )
    .expect("write");
    let out = build_in(dir.path());
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("data/broken.json:3:"), "{stderr}");
}

#[test]
fn new_creates_a_dated_draft_and_never_overwrites() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&fixture(), dir.path());
    let lantern = || {
        let mut c = Command::cargo_bin("lantern").expect("bin");
        c.current_dir(dir.path());
        c
    };
    lantern()
        .args(["new", "news/dead-drops.md"])
        .assert()
        .success();
    let text =
        std::fs::read_to_string(dir.path().join("content/news/dead-drops.md")).expect("created");
    let today = jiff::Zoned::now().date().to_string();
    assert!(text.contains("title = \"Dead drops\""), "{text}");
    assert!(
        text.contains(&format!("date = {today}")) && text.contains(&format!("reviewed = {today}")),
        "{text}"
    );
    std::fs::write(
        dir.path().join("content/news/dead-drops.md"),
        text.replace("topics = []", "topics = [\"dead drops\"]"),
    )
    .expect("edit");
    lantern()
        .args(["build", "--root", ".", "--drafts"])
        .assert()
        .success();
    let again = lantern()
        .args(["new", "news/dead-drops.md"])
        .output()
        .expect("runs");
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("never overwrites"));
}

#[test]
fn init_scaffolds_a_complete_site_that_builds() {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path().join("new-site");
    Command::cargo_bin("lantern")
        .expect("bin")
        .args(["init"])
        .arg(&site)
        .assert()
        .success();
    for rel in [
        "lantern.toml",
        "content/guides/first-explainer.md",
        "content/guides/first-explainer.ko.md",
        "data/helplines.toml",
        ".github/workflows/pages.yml",
        "README.md",
    ] {
        assert!(site.join(rel).is_file(), "{rel} missing");
    }
    assert!(!site.join("themes").exists());
    Command::cargo_bin("lantern")
        .expect("bin")
        .args(["build", "--root"])
        .arg(&site)
        .assert()
        .success();
    assert!(
        site.join("site/ko/guides/first-explainer/index.html")
            .is_file()
    );
    let report = Command::cargo_bin("lantern")
        .expect("bin")
        .args([
            "translations",
            "--fail-on",
            "outdated,missing,untracked",
            "--root",
        ])
        .arg(&site)
        .output()
        .expect("runs");
    assert!(
        report.status.success(),
        "init's translations are current:\n{}",
        String::from_utf8_lossy(&report.stdout)
    );
}

/// Every `href`/`src` (and every URL in XML and redirect files) of a build at a sub-path
/// either is relative, a fragment, another host, or carries the sub-path.
#[test]
fn sub_path_build_puts_the_sub_path_on_every_url() {
    let out = built_with(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/features"),
        Some("https://org.github.io/repo/"),
    );
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(out.path().join("site"))
        .into_iter()
        .filter_map(Result::ok)
    {
        let path = entry.path();
        let Some(ext) = path.extension().and_then(|e| e.to_str()) else {
            continue;
        };
        if !matches!(ext, "html" | "xml" | "txt") {
            continue;
        }
        let text = std::fs::read_to_string(path).expect("read");
        for attr in ["href=\"", "src=\"", "url=", "<loc>", "<id>", "Sitemap: "] {
            for (i, _) in text.match_indices(attr) {
                let url: String = text[i + attr.len()..]
                    .chars()
                    .take_while(|c| !matches!(c, '"' | '<' | '\n' | ' '))
                    .collect();
                checked += 1;
                let ok = url.starts_with("https://org.github.io/repo/")
                    || url.starts_with("/repo/")
                    || url.starts_with('#')
                    || url.starts_with("tel:")
                    || (url.starts_with("http") && !url.contains("org.github.io"))
                    || (!url.starts_with('/') && !url.contains("://"));
                assert!(
                    ok,
                    "{} has a URL without the sub-path: {url}",
                    path.display()
                );
            }
        }
    }
    assert!(checked > 50, "only {checked} URLs checked");
    let redirects = std::fs::read_to_string(out.path().join("site/_redirects")).expect("redirects");
    for line in redirects.lines() {
        assert!(line.starts_with("/repo/"), "{line}");
    }
}

/// Output is a function of the input: two fresh builds are byte-identical (template maps
/// such as `page.terms` iterate in a fixed order), and a second build into the same
/// folder writes nothing.
#[test]
fn builds_are_deterministic_and_a_rebuild_writes_nothing() {
    let read_all = |dir: &Path| -> Vec<(PathBuf, Vec<u8>)> {
        let mut v: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                (
                    e.path().strip_prefix(dir).expect("inside").to_path_buf(),
                    std::fs::read(e.path()).expect("read"),
                )
            })
            .collect();
        v.sort();
        v
    };
    for _ in 0..3 {
        let a = built_with(&fixture(), None);
        let b = built_with(&fixture(), None);
        assert!(
            read_all(&a.path().join("site")) == read_all(&b.path().join("site")),
            "two builds differ"
        );
    }
    let out = tempfile::tempdir().expect("tempdir");
    let opts = BuildOptions {
        root: fixture(),
        output: Some(out.path().join("site")),
        ..Default::default()
    };
    build(&opts).expect("first");
    let second = build(&opts).expect("second");
    assert_eq!(second.files_written, 0);
}
