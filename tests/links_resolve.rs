//! Every link and asset of every output resolves to a file of the same output: built for
//! a site under a sub-path (`https://org.github.io/repo/`), read as a browser would
//! (relative to the file, root paths from the host), including the HTML that feeds carry
//! escaped inside their XML. The bugs this guards against: summaries in lists and feeds
//! missing the sub-path, a Korean fallback's summary linking into the English tree,
//! table alignment as `style=""` that the site's CSP blocks.

mod common;

use std::path::{Path, PathBuf};

const BASE: &str = "https://org.github.io/repo/";
const BASE_PATH: &str = "/repo/";

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut all: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("fixtures")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("lantern.toml").is_file())
        .collect();
    all.sort();
    all
}

/// URL attribute values in HTML (quoted or not), `&amp;` decoded.
fn urls_in_html(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=", "src=", "srcset="] {
        let mut rest = html;
        while let Some(at) = rest.find(attr) {
            let before = rest[..at].chars().next_back();
            rest = &rest[at + attr.len()..];
            if !before.is_some_and(char::is_whitespace) {
                continue;
            }
            let value = match rest.chars().next() {
                Some(q @ ('"' | '\'')) => rest[1..].split(q).next().unwrap_or(""),
                _ => rest
                    .split(|c: char| c.is_whitespace() || c == '>')
                    .next()
                    .unwrap_or(""),
            };
            let value = value.replace("&amp;", "&");
            if attr == "srcset=" {
                out.extend(
                    value
                        .split(',')
                        .filter_map(|c| c.split_whitespace().next().map(String::from)),
                );
            } else {
                out.push(value);
            }
        }
    }
    out
}

/// Links of a feed: `<link href>` elements and the URLs inside its HTML content.
fn urls_in_feed(xml: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(xml).expect("feeds are well-formed XML");
    let mut out = Vec::new();
    for node in doc.descendants() {
        match node.tag_name().name() {
            "link" => {
                if let Some(href) = node.attribute("href") {
                    out.push(href.to_string());
                } else if let Some(text) = node.text() {
                    out.push(text.trim().to_string());
                }
            }
            "content" | "summary" | "description" => {
                out.extend(urls_in_html(node.text().unwrap_or("")));
            }
            _ => {}
        }
    }
    out
}

/// The output file a URL found in `from` (relative to the output) points at, or why it
/// points nowhere in the output. `None` for URLs that leave the site on purpose.
fn target_of(from: &str, url: &str) -> Option<Result<String, String>> {
    let url = url.split(['#', '?']).next().unwrap_or("");
    if url.is_empty() || url.contains(':') && !url.starts_with(BASE) || url.starts_with("//") {
        return None; // an anchor on the same page, another site, tel:, data:
    }
    let site_path = if let Some(rest) = url.strip_prefix(BASE) {
        rest.to_string()
    } else if let Some(rest) = url.strip_prefix(BASE_PATH) {
        rest.to_string()
    } else if url.starts_with('/') {
        return Some(Err(format!("`{url}` is outside the sub-path {BASE_PATH}")));
    } else {
        let dir = from.rfind('/').map_or("", |i| &from[..=i]);
        let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
        for part in url.split('/') {
            match part {
                ".." => {
                    if parts.pop().is_none() {
                        return Some(Err(format!("`{url}` climbs above the site root")));
                    }
                }
                "." => {}
                p => parts.push(p),
            }
        }
        parts.join("/")
    };
    let decoded = percent_decode(&site_path);
    let file = if decoded.is_empty() || decoded.ends_with('/') {
        format!("{decoded}index.html")
    } else {
        decoded
    };
    Some(Ok(file))
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Every broken link of the build in `site`: "file: url (why)".
fn broken_links(site: &Path) -> Vec<String> {
    let mut broken = Vec::new();
    for entry in walkdir::WalkDir::new(site).into_iter().flatten() {
        let rel = entry
            .path()
            .strip_prefix(site)
            .expect("below")
            .to_string_lossy()
            .replace('\\', "/");
        let urls = if rel.ends_with(".html") {
            urls_in_html(&std::fs::read_to_string(entry.path()).expect("html"))
        } else if rel.ends_with("atom.xml") || rel.ends_with("rss.xml") {
            urls_in_feed(&std::fs::read_to_string(entry.path()).expect("feed"))
        } else {
            continue;
        };
        for url in urls {
            match target_of(&rel, &url) {
                None => {}
                Some(Err(why)) => broken.push(format!("{rel}: {why}")),
                Some(Ok(file)) if !site.join(&file).is_file() => {
                    broken.push(format!(
                        "{rel}: `{url}` -> {file}, which is not in the output"
                    ));
                }
                Some(Ok(_)) => {}
            }
        }
    }
    broken
}

#[test]
fn every_link_of_every_fixture_resolves_under_a_sub_path() {
    for fixture in fixtures() {
        let out = common::built_into_temp(&fixture, Some(BASE));
        let broken = broken_links(&out.path().join("site"));
        assert!(
            broken.is_empty(),
            "{}:\n{}",
            fixture.display(),
            broken.join("\n")
        );
    }
}

fn summaries_fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/summaries")
}

#[test]
fn summaries_in_lists_and_feeds_keep_the_sub_path() {
    let out = common::built_into_temp(&summaries_fixture(), Some(BASE));
    let list = common::read_output(&out, "guides/index.html");
    assert!(list.contains("href=\"b/index.html\">page B</a>"), "{list}");
    let feed = common::read_output(&out, "guides/atom.xml");
    let doc = roxmltree::Document::parse(&feed).expect("xml");
    let html: String = doc
        .descendants()
        .filter(|n| n.has_tag_name("content"))
        .filter_map(|n| n.text())
        .collect();
    assert!(
        html.contains("href=\"https://org.github.io/repo/guides/b/\""),
        "{html}"
    );
    assert!(
        html.contains("href=\"https://org.github.io/repo/\""),
        "{html}"
    );
}

#[test]
fn a_fallback_pages_summary_links_into_its_own_language_tree() {
    let out = common::built_into_temp(&summaries_fixture(), None);
    // Page A has no Korean translation: the Korean list shows the English text, whose
    // `@/guides/b.md` must lead to the Korean B, as it does on the fallback page itself.
    let list = common::read_output(&out, "ko/guides/index.html");
    assert!(list.contains("href=\"b/index.html\">page B</a>"), "{list}");
    let page = common::read_output(&out, "ko/guides/a/index.html");
    assert!(
        page.contains("href=\"../b/index.html\">page B</a>"),
        "{page}"
    );
    let feed = common::read_output(&out, "ko/guides/atom.xml");
    assert!(
        feed.contains("https://example.org/ko/guides/b/") && !feed.contains("org/guides/b/"),
        "{feed}"
    );
}

#[test]
fn table_alignment_in_a_summary_is_a_class() {
    let out = common::built_into_temp(&summaries_fixture(), None);
    for rel in [
        "guides/index.html",
        "guides/a/index.html",
        "ko/guides/index.html",
    ] {
        let html = common::read_output(&out, rel);
        assert!(
            html.contains("<td class=\"align-right\">60%</td>"),
            "{rel}:\n{html}"
        );
        assert!(!html.contains("style="), "{rel}:\n{html}");
    }
    let feed = common::read_output(&out, "guides/atom.xml");
    assert!(!feed.contains("style="), "{feed}");
}

#[test]
fn absolute_urls_stay_available_as_a_setting() {
    let dir = tempfile::tempdir().expect("tempdir");
    common::copy_dir(&summaries_fixture(), dir.path());
    let config = dir.path().join("lantern.toml");
    let text = std::fs::read_to_string(&config).expect("config");
    std::fs::write(&config, format!("urls = \"absolute\"\n{text}")).expect("write");
    let out = common::built_into_temp(dir.path(), Some(BASE));
    let page = common::read_output(&out, "guides/a/index.html");
    assert!(
        page.contains("href=\"/repo/guides/b/\">page B</a>"),
        "{page}"
    );
    assert!(page.contains("href=\"/repo/style.css\""), "{page}");
}

#[test]
fn relative_style_keeps_folder_urls() {
    let dir = tempfile::tempdir().expect("tempdir");
    common::copy_dir(&summaries_fixture(), dir.path());
    let config = dir.path().join("lantern.toml");
    let text = std::fs::read_to_string(&config).expect("config");
    std::fs::write(&config, format!("urls = \"relative\"\n{text}")).expect("write");
    let out = common::built_into_temp(dir.path(), Some(BASE));
    let page = common::read_output(&out, "guides/a/index.html");
    assert!(page.contains("href=\"../b/\">page B</a>"), "{page}");
    let broken = broken_links(&out.path().join("site"));
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}
