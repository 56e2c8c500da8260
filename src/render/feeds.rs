//! Atom feeds (and RSS 2.0 when `rss = true`) for each language: the whole site, each
//! section and each term of a taxonomy with `feed = true`. Only dated pages are entries,
//! newest first, at most `feed_limit`. A feed's `updated` is its newest entry's date,
//! never the build time, so an unchanged site writes byte-identical feeds.

use super::fingerprint::combine;
use super::{Fingerprints, Job, Views};
use crate::load::DocKind;
use crate::model::Site;
use crate::model::taxonomy::keep_newest;
use crate::templates::Templates;
use serde::Serialize;

#[derive(Serialize)]
struct Feed {
    title: String,
    lang: String,
    /// The feed's own absolute URL (also its Atom id).
    self_url: String,
    /// The HTML page the feed follows.
    alternate: String,
    updated: String,
    updated_rfc2822: String,
}

struct FeedJob {
    title: String,
    lang: String,
    /// Site-relative folder of the feed: `/ko/guides/`.
    dir: String,
    items: Vec<usize>,
}

fn jobs(site: &Site) -> Vec<FeedJob> {
    let mut jobs = Vec::new();
    let dated_real = |i: &usize| site.is_feed_entry(*i);
    for lang in site.config.language_codes() {
        let title = site
            .config
            .languages
            .get(&lang)
            .and_then(|l| l.title.clone())
            .unwrap_or_else(|| site.config.title.clone());
        let all: Vec<usize> = (0..site.items.len())
            .filter(|i| site.items[*i].lang == lang && site.items[*i].kind == DocKind::Page)
            .filter(dated_real)
            .collect();
        if let Some(&root) = site.roots.get(&lang) {
            jobs.push(FeedJob {
                title: title.clone(),
                lang: lang.clone(),
                dir: site.items[root].url_path.clone(),
                items: all,
            });
        }
        for (i, item) in site.items.iter().enumerate() {
            if item.lang == lang && item.kind == DocKind::Section && item.parent.is_some() {
                let items: Vec<usize> = item.pages.iter().copied().filter(dated_real).collect();
                let section_title = site.doc(i).front.title.clone().unwrap_or_default();
                jobs.push(FeedJob {
                    title: format!("{section_title} · {title}"),
                    lang: lang.clone(),
                    dir: item.url_path.clone(),
                    items,
                });
            }
        }
        for tax in site.taxonomies.iter().filter(|t| t.lang == lang && t.feed) {
            for term in &tax.terms {
                let items: Vec<usize> = term.pages.iter().copied().filter(dated_real).collect();
                jobs.push(FeedJob {
                    title: format!("{} · {title}", term.name),
                    lang: lang.clone(),
                    dir: term.url_path.clone(),
                    items,
                });
            }
        }
    }
    jobs.retain(|j| !j.items.is_empty());
    jobs
}

pub fn feed_jobs<'a>(
    site: &'a Site,
    templates: &'a Templates,
    views: &'a Views,
    fps: &'a Fingerprints,
) -> Vec<Job<'a>> {
    if !site.config.feeds {
        return Vec::new();
    }
    let base = site.urls.base_path().to_string();
    let mut formats = vec!["atom.xml"];
    if site.config.rss {
        formats.push("rss.xml");
    }
    let mut out = Vec::new();
    for mut job in jobs(site) {
        keep_newest(
            &mut job.items,
            site.config.feed_limit,
            &site.items,
            &site.docs,
        );
        let newest = job
            .items
            .iter()
            .filter_map(|&i| site.doc(i).front.updated.max(site.doc(i).front.date))
            .max();
        let entries_fp = combine(job.items.iter().map(|&i| fps.view[i]));
        let job = std::sync::Arc::new(job);
        for file in &formats {
            let file = *file;
            for &i in &job.items {
                views.will_use_full(i);
            }
            let job = job.clone();
            let base = base.clone();
            out.push(Job {
                verbatim: false,
                newest: job.items.first().and_then(|&i| site.doc(i).front.date),
                path: format!("{}{file}", &job.dir[1..]),
                origin: format!("the feed {}{file}", job.dir),
                deps_key: Some(format!("{}{file}", job.dir)),
                fingerprint: combine([
                    fps.env,
                    entries_fp,
                    crate::load::hash_of(&[
                        job.dir.as_bytes(),
                        file.as_bytes(),
                        job.title.as_bytes(),
                    ]),
                ]),
                render: Box::new(move || {
                    let feed = Feed {
                        title: job.title.clone(),
                        lang: job.lang.clone(),
                        self_url: site.url(&format!("{}{file}", job.dir)),
                        alternate: site.url(&job.dir),
                        updated: newest.map(|d| d.to_rfc3339()).unwrap_or_default(),
                        updated_rfc2822: newest
                            .map(|d| d.0.strftime("%a, %d %b %Y %H:%M:%S +0000").to_string())
                            .unwrap_or_default(),
                    };
                    let entries: Vec<tera::Value> = job
                        .items
                        .iter()
                        .map(|&i| {
                            let entry = views.feed_entry(i);
                            views.used_full(i);
                            entry
                        })
                        .collect();
                    let mut ctx = super::context(&job.lang, &format!("{}{file}", job.dir));
                    ctx.insert("feed", &feed);
                    ctx.insert("base_path", &base);
                    ctx.insert_value("entries", tera::Value::from(entries));
                    templates.render(file, &ctx).map(String::into_bytes)
                }),
            });
        }
    }
    out
}
