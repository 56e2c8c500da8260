//! URLs and output paths: where each document, fallback and asset ends up.

use super::{AssetCopy, Item, LinkError, Site};
use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::load::ContentPath;
use crate::load::{Asset, DocKind, Document};
use crate::slug::{check_slug, slugify};
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

/// What an `@/` link names.
pub type LinkTarget = usize;

/// One item per document, plus a fallback item for each language that lacks a
/// translation of a default-language document.
pub fn route(
    config: &Config,
    docs: &[Arc<Document>],
    problems: &mut Vec<Diagnostic>,
    warnings: &mut Vec<Diagnostic>,
) -> Vec<Item> {
    let mut items = Vec::with_capacity(docs.len());
    let present: HashSet<(&str, &str)> = docs
        .iter()
        .map(|d| (d.key.as_str(), d.lang.as_str()))
        .collect();
    for (i, doc) in docs.iter().enumerate() {
        if doc.lang != config.default_language
            && !present.contains(&(doc.key.as_str(), config.default_language.as_str()))
        {
            warnings.push(
                Diagnostic::in_file(
                    &doc.path,
                    format!(
                        "this translation has no {} source ({}); it is published in {} only",
                        config.default_language, doc.key, doc.lang
                    ),
                )
                .warning(),
            );
        }
        if let Some(w) = unknown_language_suffix(config, doc, &present) {
            warnings.push(w);
        }
        match item_for(config, doc, i, &doc.lang, false) {
            Ok(item) => items.push(item),
            Err(p) => problems.push(p),
        }
    }
    for (i, doc) in docs.iter().enumerate() {
        if doc.lang != config.default_language {
            continue;
        }
        for lang in config.language_codes().iter().skip(1) {
            if !present.contains(&(doc.key.as_str(), lang.as_str()))
                && let Ok(item) = item_for(config, doc, i, lang, true)
            {
                items.push(item);
            }
        }
    }
    items
}

fn item_for(
    config: &Config,
    doc: &Document,
    index: usize,
    lang: &str,
    fallback: bool,
) -> Result<Item, Diagnostic> {
    let mut dirs: Vec<String> = doc
        .dir()
        .split('/')
        .filter(|s| !s.is_empty())
        .map(slugify)
        .collect();
    let slug = match doc.kind {
        DocKind::Section => dirs.last().cloned().unwrap_or_default(),
        DocKind::Page => {
            let fallback_name = if doc.bundle {
                dirs.pop().unwrap_or_default()
            } else {
                let base = ContentPath::parse(&doc.rel, config).map_or("", |p| p.base);
                slugify(base)
            };
            match &doc.front.slug {
                Some(s) => {
                    check_slug(s).map_err(|m| Diagnostic::new(m).at(doc.key_location("slug")))?;
                    s.clone()
                }
                None if fallback_name.is_empty() => {
                    return Err(Diagnostic::in_file(
                        &doc.path,
                        "the file name gives an empty slug",
                    )
                    .with_help("set `slug = \"…\"` in the front matter or rename the file"));
                }
                None => fallback_name,
            }
        }
    };
    let mut url_path = String::from("/");
    let prefix = config.url_prefix(lang);
    if !prefix.is_empty() {
        url_path.push_str(&prefix);
        url_path.push('/');
    }
    for d in &dirs {
        url_path.push_str(d);
        url_path.push('/');
    }
    if doc.kind == DocKind::Page {
        url_path.push_str(&slug);
        url_path.push('/');
    }
    let out_file = format!("{}index.html", &url_path[1..]);
    Ok(Item {
        doc: index,
        lang: lang.to_string(),
        fallback,
        kind: doc.kind,
        slug,
        url_path,
        out_file,
        parent: None,
        pages: Vec::new(),
        subsections: Vec::new(),
    })
}

/// `guide.fr.md` beside `guide.md` when `fr` is not a language of the site: a page of
/// its own (only configured codes are suffixes, so `notes.old.md` is a page), but likely
/// a translation for a language not yet in lantern.toml, so say so.
fn unknown_language_suffix(
    config: &Config,
    doc: &Document,
    present: &HashSet<(&str, &str)>,
) -> Option<Diagnostic> {
    let path = ContentPath::parse(&doc.rel, config)?;
    let code = path.other_suffix?;
    let source = path.key_without_other_suffix()?;
    let looks_like_translation =
        present.contains(&(source.as_str(), config.default_language.as_str()));
    looks_like_translation.then(|| {
        Diagnostic::in_file(
            &doc.path,
            format!(
                "`{code}` in the file name is not a language of this site, so this is a page \
                 of its own, not a translation of {source}"
            ),
        )
        .with_help(format!(
            "add `[languages.{code}]` to lantern.toml to make it a translation (languages: {})",
            config.language_codes().join(", ")
        ))
    })
}

/// Two items writing the same file is an error naming both source files.
pub fn check_unique_outputs(
    docs: &[Arc<Document>],
    items: &[Item],
    problems: &mut Vec<Diagnostic>,
) {
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, item) in items.iter().enumerate() {
        if let Some(&first) = seen.get(item.out_file.as_str()) {
            let a = &docs[items[first].doc];
            let b = &docs[item.doc];
            let what = |it: &Item| {
                if it.fallback {
                    format!(" (as the {} fallback)", it.lang)
                } else {
                    String::new()
                }
            };
            problems.push(
                Diagnostic::in_file(
                    &b.path,
                    format!(
                        "{}{} and {}{} would both be written to {}",
                        a.path.display(),
                        what(&items[first]),
                        b.path.display(),
                        what(item),
                        item.out_file
                    ),
                )
                .with_help("give one of them a different `slug` or file name"),
            );
        } else {
            seen.insert(&item.out_file, i);
        }
    }
}

/// Bundle assets go beside every language version of their page; other assets keep
/// their folder (with folder names slugified like page URLs).
pub fn route_assets(assets: &[Asset], docs: &[Arc<Document>], items: &[Item]) -> Vec<AssetCopy> {
    let bundles: Vec<(String, &Item)> = items
        .iter()
        .filter(|it| docs[it.doc].bundle)
        .map(|it| (format!("{}/", docs[it.doc].dir()), it))
        .collect();
    let mut out = Vec::new();
    for asset in assets {
        let owners: Vec<&(String, &Item)> = bundles
            .iter()
            .filter(|(dir, _)| asset.rel.starts_with(dir.as_str()))
            .collect();
        if owners.is_empty() {
            let (dir, file) = asset
                .rel
                .rsplit_once('/')
                .map_or(("", asset.rel.as_str()), |(d, f)| (d, f));
            let mut path: Vec<String> = dir
                .split('/')
                .filter(|s| !s.is_empty())
                .map(slugify)
                .collect();
            path.push(file.to_string());
            out.push(AssetCopy {
                src: asset.src.clone(),
                out_file: path.join("/"),
            });
        } else {
            for (dir, item) in owners {
                let rest = &asset.rel[dir.len()..];
                let base = item.out_file.trim_end_matches("index.html");
                out.push(AssetCopy {
                    src: asset.src.clone(),
                    out_file: format!("{base}{rest}"),
                });
            }
        }
    }
    out
}

/// `guides/telegram.md` from a Korean page finds the Korean version (or its fallback);
/// `guides/telegram.ko.md` names the language explicitly.
pub fn resolve(site: &Site, lang: &str, path: &str) -> Result<usize, LinkError> {
    let path = path.trim_start_matches('/');
    let Some(target) = ContentPath::parse(path, &site.config) else {
        return Err(LinkError::Missing(format!(
            "`@/{path}` does not name a Markdown file (it should end in .md)"
        )));
    };
    let key = target.key();
    let lang = target.language.unwrap_or(lang);
    if let Some(&i) = site.by_key.get(&(key.clone(), lang.to_string())) {
        return Ok(i);
    }
    if let Some(&i) = site
        .by_key
        .get(&(key.clone(), site.config.default_language.clone()))
    {
        return Ok(i);
    }
    // `guides/telegram.md` may be a bundle: `guides/telegram/index.md`.
    let bundle_key = target.bundle_key();
    if let Some(&i) = site.by_key.get(&(bundle_key, lang.to_string())) {
        return Ok(i);
    }
    if site.unreadable.contains(&key) {
        // The target exists but failed to load; its own error is already reported.
        return Err(LinkError::TargetFailedToLoad);
    }
    Err(LinkError::Missing(format!(
        "`@/{path}` links to a page that does not exist (or is a draft)"
    )))
}
