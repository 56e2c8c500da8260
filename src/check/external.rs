//! `lantern check --external`: every link to another host in the built HTML is asked
//! whether it still answers.
//!
//! Politeness and speed, in that order: links are grouped by host and each host is
//! asked one request at a time (a worker takes a whole host), at most
//! `[check.external] concurrency` hosts at once. A request has a deadline
//! (`timeout_ms`); a failure that may pass (no answer, 429, 5xx) is retried `retries`
//! times with a doubling pause (`backoff_ms`). Redirects are followed by hand, up to
//! [`MAX_REDIRECTS`], so the finding can say where the link ends up. `HEAD` first, `GET`
//! when a server refuses `HEAD`.
//!
//! A link that answered well is remembered in a cache file (`.lantern-cache/
//! external-links.json` below the site) for `cache_hours`, so a rerun asks only what
//! failed or is new. The cache is written whole to a temporary file and renamed; a cache
//! that cannot be read is treated as empty.

use super::scan::{Token, tokens};
use super::{Context, Finding};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Redirects followed before a link is called a loop.
pub const MAX_REDIRECTS: usize = 5;

/// `[check.external]` in `lantern.toml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct ExternalConfig {
    /// Hosts asked at the same time (each host one request at a time).
    pub concurrency: usize,
    /// Deadline of one request, in milliseconds.
    pub timeout_ms: u64,
    /// Extra tries after a failure that may pass (no answer, 429, 5xx).
    pub retries: u32,
    /// Pause before the first retry, doubled for each next one, in milliseconds.
    pub backoff_ms: u64,
    /// How long a link that answered well is not asked again, in hours (0: always ask).
    pub cache_hours: u64,
}

impl Default for ExternalConfig {
    fn default() -> Self {
        ExternalConfig {
            concurrency: 8,
            timeout_ms: 10_000,
            retries: 2,
            backoff_ms: 500,
            cache_hours: 24,
        }
    }
}

/// What asking a link gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A 2xx answer at the link itself.
    Fine,
    /// A 2xx answer after redirects, at this address.
    Redirected(String),
    /// An error status, at the address where the redirects (if any) ended.
    Status(u16, String),
    /// No usable answer (refused, timed out, too many redirects, not http).
    Failed(String),
}

/// The findings for every external link of the build.
pub fn check(cx: &Context) -> Vec<Finding> {
    let settings = &cx.config.external;
    let links = collect(cx);
    let cache_file = cache_path(cx.root);
    let mut cache = Cache::load(&cache_file, settings.cache_hours);
    let to_ask: Vec<String> = links
        .keys()
        .filter(|u| !cache.is_fresh(u))
        .cloned()
        .collect();
    let outcomes = ask_all(&to_ask, settings);
    for (url, outcome) in &outcomes {
        if *outcome == Outcome::Fine {
            cache.remember(url);
        }
    }
    // The cache only saves time: a site folder that cannot be written still gets checked.
    let _ = cache.save(&cache_file);
    outcomes
        .into_iter()
        .filter_map(|(url, outcome)| {
            let out = links.get(&url)?;
            finding(cx, out, &url, outcome)
        })
        .collect()
}

fn finding(cx: &Context, out: &str, url: &str, outcome: Outcome) -> Option<Finding> {
    let file = cx.file_of_output(out);
    let found = match outcome {
        Outcome::Fine => return None,
        Outcome::Redirected(to) => Finding::new(
            "link-redirect",
            file,
            format!("`{url}` in {out} redirects to {to}"),
        )
        .suggest(format!("link to {to} directly")),
        Outcome::Status(code, at) => {
            let at = if at == url {
                String::new()
            } else {
                format!(" (at {at})")
            };
            Finding::new(
                "link-external",
                file,
                format!("`{url}` in {out} answers {code}{at}"),
            )
            .suggest("update the link, or link to an archived copy")
        }
        Outcome::Failed(why) => {
            Finding::new("link-external", file, format!("`{url}` in {out}: {why}")).suggest(
                "check the address; if the site is down for good, link to an archived copy",
            )
        }
    };
    Some(place_in_source(cx, out, url, found))
}

/// Points the finding at the link in the page's Markdown when the URL is written there.
fn place_in_source(cx: &Context, out: &str, url: &str, found: Finding) -> Finding {
    match cx.page_of.get(out) {
        Some(doc) => match doc.text.find(url) {
            Some(offset) => found.at_offset(doc, offset),
            None => found,
        },
        None => found,
    }
}

/// External link -> the first output (in path order) that has it.
fn collect(cx: &Context) -> BTreeMap<String, String> {
    let own = &cx.built.site.config.base_url;
    let mut files: Vec<_> = cx
        .built
        .files
        .iter()
        .filter(|f| f.path.ends_with(".html"))
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let mut links = BTreeMap::new();
    for f in files {
        let html = crate::check::text_of(&f.bytes);
        for token in tokens(&html) {
            let Token::Start(tag) = token else { continue };
            if !tag.is("a") {
                continue;
            }
            let Some(href) = tag.attr("href") else {
                continue;
            };
            let url = href.trim().split('#').next().unwrap_or("").to_string();
            let external = url.starts_with("http://") || url.starts_with("https://");
            if external && !url.starts_with(own.as_str()) {
                links.entry(url).or_insert_with(|| f.path.clone());
            }
        }
    }
    links
}

/// `https://example.org:8080/a` -> `example.org:8080`.
fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split(['/', '?', '#']).next().unwrap_or(rest)
}

/// Asks every link, one request at a time per host, several hosts at once.
pub fn ask_all(urls: &[String], settings: &ExternalConfig) -> Vec<(String, Outcome)> {
    let mut hosts: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for url in urls {
        hosts.entry(host_of(url)).or_default().push(url.clone());
    }
    let queue: Mutex<VecDeque<Vec<String>>> = Mutex::new(hosts.into_values().collect());
    let results = Mutex::new(Vec::new());
    let workers = settings.concurrency.clamp(1, 64);
    let agent = agent(settings);
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                while let Some(host_urls) = next(&queue) {
                    for url in host_urls {
                        let outcome = ask(&agent, &url, settings);
                        if let Ok(mut r) = results.lock() {
                            r.push((url, outcome));
                        }
                    }
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap_or_default();
    results.sort_by(|a, b| a.0.cmp(&b.0));
    results
}

fn next(queue: &Mutex<VecDeque<Vec<String>>>) -> Option<Vec<String>> {
    queue.lock().ok()?.pop_front()
}

fn agent(settings: &ExternalConfig) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_millis(settings.timeout_ms.max(1))))
        .max_redirects(0)
        .http_status_as_error(false)
        .user_agent(concat!("lantern-check/", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

/// One link: redirects followed, failures that may pass retried.
fn ask(agent: &ureq::Agent, url: &str, settings: &ExternalConfig) -> Outcome {
    let mut at = url.to_string();
    for _ in 0..=MAX_REDIRECTS {
        match ask_with_retries(agent, &at, settings) {
            Err(why) => return Outcome::Failed(why),
            Ok(Answer { status, location }) => match (status, location) {
                (300..=399, Some(to)) => at = resolve_location(&at, &to),
                (200..=299, _) if at == url => return Outcome::Fine,
                (200..=299, _) => return Outcome::Redirected(at),
                (code, _) => return Outcome::Status(code, at),
            },
        }
    }
    Outcome::Failed(format!(
        "more than {MAX_REDIRECTS} redirects (last at {at})"
    ))
}

struct Answer {
    status: u16,
    location: Option<String>,
}

fn ask_with_retries(
    agent: &ureq::Agent,
    url: &str,
    settings: &ExternalConfig,
) -> Result<Answer, String> {
    let mut pause = Duration::from_millis(settings.backoff_ms);
    let mut tries_left = settings.retries;
    loop {
        let answer = ask_once(agent, url);
        let may_pass = match &answer {
            Ok(a) => a.status == 429 || a.status >= 500,
            Err(_) => true,
        };
        if !may_pass || tries_left == 0 {
            return answer;
        }
        tries_left -= 1;
        std::thread::sleep(pause);
        pause = pause.saturating_mul(2);
    }
}

/// `HEAD`, then `GET` when the server does not do `HEAD` (405, 501, or 403/404 from
/// servers that answer only `GET` well).
fn ask_once(agent: &ureq::Agent, url: &str) -> Result<Answer, String> {
    let head = answer(agent.head(url).call())?;
    if matches!(head.status, 403 | 404 | 405 | 501) {
        return answer(agent.get(url).call());
    }
    Ok(head)
}

fn answer(result: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Result<Answer, String> {
    match result {
        Ok(response) => Ok(Answer {
            status: response.status().as_u16(),
            location: response
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string),
        }),
        Err(ureq::Error::Timeout(_)) => Err("no answer in time".into()),
        Err(ureq::Error::Io(e)) => Err(format!("could not connect ({e})")),
        Err(e) => Err(e.to_string()),
    }
}

/// Where a `Location` header points, from the address that sent it.
fn resolve_location(from: &str, location: &str) -> String {
    if location.starts_with("http://") || location.starts_with("https://") {
        return location.to_string();
    }
    let (scheme, rest) = from.split_once("://").unwrap_or(("https", from));
    if let Some(rest_of_scheme) = location.strip_prefix("//") {
        return format!("{scheme}://{rest_of_scheme}");
    }
    let host = host_of(from);
    if location.starts_with('/') {
        return format!("{scheme}://{host}{location}");
    }
    let path = rest[host.len()..].split(['?', '#']).next().unwrap_or("");
    let dir = path.rfind('/').map_or("/", |i| &path[..=i]);
    format!("{scheme}://{host}{dir}{location}")
}

fn cache_path(root: &Path) -> PathBuf {
    root.join(".lantern-cache").join("external-links.json")
}

/// Links that answered well, with when (seconds since 1970).
#[derive(Debug, Default, Serialize, Deserialize)]
struct Cache {
    fine: BTreeMap<String, u64>,
    #[serde(skip)]
    now: u64,
}

impl Cache {
    fn load(path: &Path, hours: u64) -> Cache {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let mut cache: Cache = std::fs::read(path)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        let max_age = hours.saturating_mul(3600);
        cache.now = now;
        cache.fine.retain(|_, at| now.saturating_sub(*at) < max_age);
        cache
    }

    fn is_fresh(&self, url: &str) -> bool {
        self.fine.contains_key(url)
    }

    fn remember(&mut self, url: &str) {
        self.fine.insert(url.to_string(), self.now);
    }

    fn save(&self, path: &Path) -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, serde_json::to_vec_pretty(self)?)?;
        std::fs::rename(&tmp, path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_resolve_against_the_address_that_sent_them() {
        let from = "https://a.org/x/y?q=1";
        assert_eq!(resolve_location(from, "https://b.org/"), "https://b.org/");
        assert_eq!(resolve_location(from, "//c.org/z"), "https://c.org/z");
        assert_eq!(resolve_location(from, "/root"), "https://a.org/root");
        assert_eq!(resolve_location(from, "next"), "https://a.org/x/next");
        assert_eq!(resolve_location("http://h:81", "a"), "http://h:81/a");
    }

    #[test]
    fn hosts_include_the_port() {
        assert_eq!(host_of("http://127.0.0.1:8080/a?b"), "127.0.0.1:8080");
        assert_eq!(host_of("https://example.org"), "example.org");
    }

    #[test]
    fn the_cache_forgets_old_answers() {
        let dir = std::env::temp_dir().join(format!("lantern-cache-{}", std::process::id()));
        let path = dir.join("c.json");
        let mut cache = Cache::load(&path, 24);
        cache.remember("https://a.org/");
        cache.fine.insert("https://old.org/".into(), 0);
        cache.save(&path).expect("save");
        let again = Cache::load(&path, 24);
        assert!(again.is_fresh("https://a.org/"));
        assert!(!again.is_fresh("https://old.org/"));
        assert!(!Cache::load(&path, 0).is_fresh("https://a.org/"));
        let _ = std::fs::remove_dir_all(dir);
    }
}
