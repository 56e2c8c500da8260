//! Site search: the index written per language, what is left out, and how well queries
//! find their pages (Korean with and without particles, compounds, English inflections,
//! names in either script), over a fixture and the bundled site's own content.

use lantern::build::{BuildOptions, Built, build_in_memory};
use lantern::search::index::{self, Index};
use lantern::search::output::{build_index, indexed_items, source};
use lantern::search::tokenize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn built(root: &Path) -> Built {
    let opts = BuildOptions {
        root: root.to_path_buf(),
        drafts: false,
        base_url: None,
        output: None,
    };
    build_in_memory(&opts).unwrap_or_else(|e| panic!("build of {}: {e:?}", root.display()))
}

fn index_of(b: &Built, lang: &str) -> Index {
    let sources: Vec<_> = indexed_items(&b.site, lang)
        .iter()
        .map(|&i| source(&b.site, i))
        .collect();
    build_index(&sources)
}

fn file<'a>(b: &'a Built, path: &str) -> &'a str {
    let f = b.files.iter().find(|f| f.path == path);
    let f = f.unwrap_or_else(|| panic!("no {path} among {:?}", paths(b)));
    std::str::from_utf8(&f.bytes).expect("utf-8")
}

fn paths(b: &Built) -> Vec<&str> {
    b.files.iter().map(|f| f.path.as_str()).collect()
}

fn fixture() -> PathBuf {
    repo().join("tests/fixtures/search")
}

#[test]
fn every_language_gets_a_search_page_and_an_index() {
    let b = built(&fixture());
    for dir in ["search/", "ko/search/"] {
        let page = file(&b, &format!("{dir}index.html"));
        assert!(page.contains("role=search"), "{page}");
        assert!(page.contains("aria-live=polite"), "{page}");
        assert!(page.contains("<noscript>"), "{page}");
        let manifest = file(&b, &format!("{dir}m.js"));
        assert!(
            manifest.starts_with("lanternSearch.add(\"m\",0,"),
            "{manifest}"
        );
        assert!(paths(&b).contains(&format!("{dir}t0.js").as_str()));
        assert!(paths(&b).contains(&format!("{dir}d0.js").as_str()));
    }
    let ko = file(&b, "ko/search/t0.js");
    assert!(
        ko.contains("\"재판소\""),
        "Korean terms in the Korean index"
    );
    assert!(!file(&b, "search/t0.js").contains("\"재판소\""));
    let home = file(&b, "index.html");
    assert!(
        home.contains("data-search-form"),
        "header search box: {home}"
    );
    assert!(
        !home.contains("name=\"q\""),
        "the query must never be submitted"
    );
}

#[test]
fn drafts_and_noindex_pages_are_never_indexed() {
    let b = built(&fixture());
    for lang in ["en", "ko"] {
        let ix = index_of(&b, lang);
        assert!(!ix.docs.is_empty());
        for d in &ix.docs {
            assert!(
                !d.url.contains("glossary") && !d.url.contains("secret"),
                "{d:?}"
            );
        }
    }
    let en = index_of(&b, "en");
    assert!(!en.postings.contains_key("quokka"));
    assert!(!en.postings.contains_key("zebra"));
    assert!(!index_of(&b, "ko").postings.contains_key("쿼카"));
    let all: String = b
        .files
        .iter()
        .filter(|f| f.path.ends_with(".js") && f.path.contains("search/"))
        .map(|f| String::from_utf8_lossy(&f.bytes).into_owned())
        .collect();
    assert!(!all.contains("quokka") && !all.contains("쿼카") && !all.contains("zebra"));
}

#[test]
fn search_can_be_switched_off() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("site");
    copy(&fixture(), &root);
    let toml = std::fs::read_to_string(root.join("lantern.toml")).expect("read");
    std::fs::write(
        root.join("lantern.toml"),
        format!("{toml}\n[search]\nenabled = false\n"),
    )
    .expect("write");
    let b = built(&root);
    assert!(
        !paths(&b).iter().any(|p| p.contains("search/")),
        "{:?}",
        paths(&b)
    );
    assert!(!file(&b, "index.html").contains("data-search-form"));
}

fn copy(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.expect("walk");
        let dest = to.join(e.path().strip_prefix(from).expect("prefix"));
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else {
            std::fs::copy(e.path(), &dest).expect("copy");
        }
    }
}

#[test]
fn korean_particles_compounds_and_english_inflections_find_their_page() {
    let b = built(&fixture());
    let ko = index_of(&b, "ko");
    let en = index_of(&b, "en");
    let first = |ix: &Index, q: &str| {
        index::search(ix, q)
            .first()
            .map(|&d| ix.docs[d as usize].url.clone())
    };
    for q in ["재판소", "재판소에서", "재판소는", "재판소의"] {
        assert_eq!(first(&ko, q).as_deref(), Some("/ko/guides/court/"), "{q}");
    }
    assert_eq!(first(&ko, "마약류").as_deref(), Some("/ko/guides/law/"));
    assert_eq!(first(&en, "sentencing").as_deref(), Some("/guides/court/"));
    assert_eq!(
        first(&en, "텔레그램").as_deref(),
        Some("/guides/messengers/")
    );
    assert_eq!(first(&en, "nothingmatchesthis"), None);
}

/// Recall (the page is found at all) and top-3 precision over `tests/search_queries.json`.
#[test]
fn query_set_recall_and_top_three() {
    let set: Value = serde_json::from_str(include_str!("search_queries.json")).expect("json");
    let fixture = built(&fixture());
    let bundled = built(&repo());
    let mut indexes = BTreeMap::new();
    let (mut found, mut top3, mut total, mut misses) = (0, 0, 0, Vec::new());
    for q in set["queries"].as_array().expect("queries") {
        let (site, lang) = (
            q["site"].as_str().expect("site"),
            q["lang"].as_str().expect("lang"),
        );
        let b = if site == "fixture" {
            &fixture
        } else {
            &bundled
        };
        let ix = indexes
            .entry((site.to_string(), lang.to_string()))
            .or_insert_with(|| index_of(b, lang));
        let (query, expect) = (
            q["q"].as_str().expect("q"),
            q["expect"].as_str().expect("expect"),
        );
        let urls: Vec<&str> = index::search(ix, query)
            .iter()
            .map(|&d| ix.docs[d as usize].url.as_str())
            .collect();
        total += 1;
        match urls.iter().position(|u| *u == expect) {
            Some(p) => {
                found += 1;
                if p < 3 {
                    top3 += 1;
                } else {
                    misses.push(format!("{query}: {expect} at {}", p + 1));
                }
            }
            None => misses.push(format!("{query}: {expect} not found ({urls:?})")),
        }
    }
    let recall = f64::from(found) / f64::from(total);
    let precision = f64::from(top3) / f64::from(total);
    eprintln!("search quality: {total} queries, recall {recall:.3}, top-3 {precision:.3}");
    assert!(recall >= 0.95, "recall {recall:.3}: {misses:#?}");
    assert!(precision >= 0.90, "top-3 {precision:.3}: {misses:#?}");
}

/// The corpus the browser's tokenizer is checked against too
/// (`tests/browser/search-tokens.test.mjs`). `SEARCH_TOKENS_BLESS=1` rewrites it.
#[test]
fn token_corpus_matches_the_rust_tokenizer() {
    let path = repo().join("tests/search_tokens.json");
    let text = std::fs::read_to_string(&path).expect("read corpus");
    let mut corpus: Value = serde_json::from_str(&text).expect("corpus json");
    let mut stems = serde_json::Map::new();
    let mut wrong = Vec::new();
    for case in corpus["cases"].as_array_mut().expect("cases") {
        let input = case["input"].as_str().expect("input").to_string();
        let tokens = tokenize::tokens(&input);
        if case["tokens"] != Value::from(tokens.clone()) {
            wrong.push(format!("{input:?}: {tokens:?}"));
        }
        case["tokens"] = Value::from(tokens);
        for w in tokenize::raw_words(&input) {
            let hangul = w.starts_with(|c: char| ('\u{AC00}'..='\u{D7A3}').contains(&c));
            if !hangul && !tokenize::synonyms().contains_key(&w) && tokenize::stem(&w) != w {
                stems.insert(w.clone(), Value::from(tokenize::stem(&w)));
            }
        }
    }
    let synonyms: serde_json::Map<String, Value> = tokenize::synonyms()
        .iter()
        .filter(|(k, v)| k != v)
        .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
        .collect();
    let fresh = Value::from(stems.clone()) == corpus["stems"]
        && Value::from(synonyms.clone()) == corpus["synonyms"];
    if std::env::var_os("SEARCH_TOKENS_BLESS").is_some() {
        corpus["stems"] = Value::from(stems);
        corpus["synonyms"] = Value::from(synonyms);
        let out = serde_json::to_string_pretty(&corpus).expect("json") + "\n";
        std::fs::write(&path, out).expect("write corpus");
        return;
    }
    assert!(
        wrong.is_empty(),
        "tokens differ (SEARCH_TOKENS_BLESS=1 to accept):\n{wrong:#?}"
    );
    assert!(
        fresh,
        "the corpus's stems or synonyms are stale (SEARCH_TOKENS_BLESS=1)"
    );
}

/// Term shards of a built language index, by path.
fn shards(b: &Built, dir: &str) -> BTreeMap<String, String> {
    b.files
        .iter()
        .filter(|f| f.path.starts_with(dir) && f.path.ends_with(".js"))
        .map(|f| {
            (
                f.path.clone(),
                String::from_utf8_lossy(&f.bytes).into_owned(),
            )
        })
        .collect()
}

#[test]
fn a_serve_edit_reanalyses_only_the_edited_page_and_gives_a_fresh_builds_index() {
    use lantern::build::Builder;
    use std::collections::HashSet;
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("site");
    copy(&fixture(), &root);
    let opts = BuildOptions {
        root: root.clone(),
        drafts: false,
        base_url: None,
        output: None,
    };
    let mut builder = Builder::new(opts);
    let first = builder.run(&HashSet::new()).expect("first run");
    let indexed = indexed_items(&first.site, "en").len() + indexed_items(&first.site, "ko").len();
    assert!(indexed >= 4, "the fixture indexes {indexed} pages");
    assert_eq!(first.report.search_analysed, indexed);

    let page = root.join("content/guides/messengers.md");
    let text = std::fs::read_to_string(&page).expect("read");
    std::fs::write(&page, format!("{text}\nA new word: quixotically.\n")).expect("write");
    let dirty: HashSet<_> = [page.clone()].into_iter().collect();
    let second = builder.run(&dirty).expect("second run");
    assert_eq!(
        second.report.search_analysed, 1,
        "only the edited page is analysed again"
    );
    assert!(file(&second, "search/m.js").contains("lanternSearch.add"));
    let fresh = built(&root);
    assert_eq!(shards(&second, "search/"), shards(&fresh, "search/"));
    assert!(
        shards(&second, "search/")
            .values()
            .any(|s| s.contains("quixot"))
    );

    // Nothing changed: nothing analysed, and the cache still holds every page.
    let third = builder.run(&HashSet::new()).expect("third run");
    assert_eq!(third.report.search_analysed, 0);
    std::fs::write(&page, &text).expect("write back");
    let fourth = builder.run(&dirty).expect("fourth run");
    assert_eq!(fourth.report.search_analysed, 1);
    assert_eq!(shards(&fourth, "search/"), shards(&built(&root), "search/"));
}
