//! `lantern check --external`, only ever against a local server: answers 200, 301, 404,
//! 500, a failure that passes on retry, a slow answer, a server that never answers and a
//! port where nothing listens. Also: one request at a time per host, and a rerun asks
//! only what did not answer well (the cache).

mod common;

use assert_cmd::Command;
use common::Site;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the server saw: requests per path, and the most requests it had in flight.
#[derive(Default)]
struct Seen {
    hits: HashMap<String, usize>,
    in_flight: usize,
    max_in_flight: usize,
}

fn serve(listener: TcpListener, seen: Arc<Mutex<Seen>>) {
    for stream in listener.incoming().flatten() {
        let seen = seen.clone();
        std::thread::spawn(move || {
            let _ = answer_connection(stream, &seen);
        });
    }
}

/// Answers requests on one (keep-alive) connection until the client closes it.
fn answer_connection(stream: TcpStream, seen: &Mutex<Seen>) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut stream = stream;
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line)? == 0 {
            return Ok(());
        }
        let mut line = String::new();
        while reader.read_line(&mut line)? > 2 {
            line.clear();
        }
        let mut parts = request_line.split_whitespace();
        let method = parts.next().unwrap_or("").to_string();
        let path = parts.next().unwrap_or("").to_string();
        let hits = {
            let mut s = seen.lock().expect("lock");
            s.in_flight += 1;
            s.max_in_flight = s.max_in_flight.max(s.in_flight);
            let n = s.hits.entry(path.clone()).or_default();
            *n += 1;
            *n
        };
        // Long enough that two requests at once to this host would overlap.
        std::thread::sleep(Duration::from_millis(30));
        let (status, extra) = match path.as_str() {
            "/ok" | "/also-ok" | "/target" => ("200 OK", ""),
            "/moved" => ("301 Moved Permanently", "Location: /target\r\n"),
            "/loop" => ("302 Found", "Location: /loop\r\n"),
            "/missing" => ("404 Not Found", ""),
            "/error" => ("500 Internal Server Error", ""),
            "/flaky" if hits == 1 => ("503 Service Unavailable", ""),
            "/flaky" => ("200 OK", ""),
            "/get-only" if method == "HEAD" => ("405 Method Not Allowed", ""),
            "/get-only" => ("200 OK", ""),
            "/slow" => {
                std::thread::sleep(Duration::from_millis(2500));
                ("200 OK", "")
            }
            _ => ("404 Not Found", ""),
        };
        let body = if method == "HEAD" { "" } else { "hello" };
        let response = format!(
            "HTTP/1.1 {status}\r\n{extra}Content-Length: {}\r\n\r\n{body}",
            5
        );
        seen.lock().expect("lock").in_flight -= 1;
        stream.write_all(response.as_bytes())?;
    }
}

struct Server {
    base: String,
    seen: Arc<Mutex<Seen>>,
}

fn start_server() -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let seen = Arc::new(Mutex::new(Seen::default()));
    let for_thread = seen.clone();
    std::thread::spawn(move || serve(listener, for_thread));
    Server { base, seen }
}

/// A server that accepts connections and never says a word.
fn start_silent_server() -> (String, TcpListener) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    (base, listener)
}

/// An address where nothing listens.
fn closed_port() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    drop(listener);
    base
}

fn site_linking(links: &[String]) -> Site {
    let site = Site::minimal();
    let config = std::fs::read_to_string(site.path("lantern.toml")).expect("config");
    site.write(
        "lantern.toml",
        format!(
            "{config}\n[check.external]\ntimeout_ms = 1000\nretries = 1\nbackoff_ms = 10\n\
             concurrency = 4\n"
        ),
    );
    let list: String = links
        .iter()
        .enumerate()
        .map(|(i, l)| format!("- [Link number {i}]({l})\n"))
        .collect();
    site.write(
        "content/links.md",
        format!("+++\ntitle = \"Links\"\n+++\nIntro.\n\n{list}"),
    );
    site
}

fn check_json(site: &Site) -> (Option<i32>, Vec<serde_json::Value>) {
    let out = Command::cargo_bin("lantern")
        .expect("binary")
        .current_dir(site.path(""))
        .args(["check", "--root", ".", "--external", "--format", "json"])
        .timeout(Duration::from_secs(120))
        .output()
        .expect("run lantern check");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "json ({e}):\n{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let findings = json["findings"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|f| {
            let rule = f["rule"].as_str().unwrap_or("");
            rule == "link-external" || rule == "link-redirect"
        })
        .collect();
    (out.status.code(), findings)
}

/// The finding whose message names `url`, as `(rule, message)`.
fn finding_for<'a>(findings: &'a [serde_json::Value], url: &str) -> Option<(&'a str, &'a str)> {
    findings.iter().find_map(|f| {
        let message = f["message"].as_str()?;
        message
            .contains(&format!("`{url}`"))
            .then(|| (f["rule"].as_str().unwrap_or(""), message))
    })
}

#[test]
fn every_kind_of_answer_is_reported_for_what_it_is() {
    let server = start_server();
    // A host of its own: the server goes on sleeping after the client gave up, which
    // would count as a second request in flight on the main server.
    let slow_server = start_server();
    let slow = format!("{}/slow", slow_server.base);
    let (silent, _keep_silent_open) = start_silent_server();
    let closed = closed_port();
    let b = &server.base;
    let url = |p: &str| format!("{b}{p}");
    let links = vec![
        url("/ok"),
        url("/moved"),
        url("/loop"),
        url("/missing"),
        url("/error"),
        url("/flaky"),
        url("/get-only"),
        slow.clone(),
        format!("{silent}/anything"),
        format!("{closed}/nothing"),
    ];
    let site = site_linking(&links);
    let (code, findings) = check_json(&site);
    assert_eq!(code, Some(1), "errors fail the gate: {findings:#?}");

    for fine in ["/ok", "/flaky", "/get-only"] {
        assert_eq!(
            finding_for(&findings, &url(fine)),
            None,
            "{fine}: {findings:#?}"
        );
    }
    let (rule, message) = finding_for(&findings, &url("/moved")).expect("redirect reported");
    assert_eq!(rule, "link-redirect");
    assert!(message.contains(&url("/target")), "{message}");
    let (rule, message) = finding_for(&findings, &url("/loop")).expect("loop reported");
    assert_eq!(rule, "link-external");
    assert!(message.contains("redirects"), "{message}");
    let (rule, message) = finding_for(&findings, &url("/missing")).expect("404 reported");
    assert_eq!(rule, "link-external");
    assert!(message.contains("404"), "{message}");
    let (_, message) = finding_for(&findings, &url("/error")).expect("500 reported");
    assert!(message.contains("500"), "{message}");
    for dead in [
        slow.clone(),
        format!("{silent}/anything"),
        format!("{closed}/nothing"),
    ] {
        let (rule, _) =
            finding_for(&findings, &dead).unwrap_or_else(|| panic!("{dead}: {findings:#?}"));
        assert_eq!(rule, "link-external");
    }
    // The finding points at the link in the page's Markdown.
    let missing = findings
        .iter()
        .find(|f| {
            f["message"]
                .as_str()
                .is_some_and(|m| m.contains("/missing`"))
        })
        .expect("finding");
    assert!(
        missing["file"]
            .as_str()
            .is_some_and(|f| f.ends_with("content/links.md"))
    );
    assert_eq!(missing["line"].as_u64(), Some(9), "{missing}");

    let seen = server.seen.lock().expect("lock");
    assert_eq!(seen.max_in_flight, 1, "one request at a time per host");
    // 500 is retried once (retries = 1); 404 is not retried, but asked again with GET.
    assert_eq!(seen.hits.get("/error"), Some(&2), "{:?}", seen.hits);
    assert_eq!(seen.hits.get("/missing"), Some(&2), "{:?}", seen.hits);
}

#[test]
fn a_rerun_asks_only_what_did_not_answer_well() {
    let server = start_server();
    let b = &server.base;
    let site = site_linking(&[
        format!("{b}/ok"),
        format!("{b}/also-ok"),
        format!("{b}/missing"),
    ]);
    let (first_code, _) = check_json(&site);
    assert_eq!(first_code, Some(1));
    let before = server.seen.lock().expect("lock").hits.clone();
    assert_eq!(before.get("/ok"), Some(&1));
    let (second_code, findings) = check_json(&site);
    assert_eq!(second_code, Some(1));
    assert!(finding_for(&findings, &format!("{b}/missing")).is_some());
    let after = server.seen.lock().expect("lock").hits.clone();
    assert_eq!(
        after.get("/ok"),
        Some(&1),
        "a cached link is not asked again"
    );
    assert_eq!(after.get("/also-ok"), Some(&1));
    assert_eq!(
        after.get("/missing"),
        Some(&4),
        "a failed link is asked again"
    );
    assert!(site.path(".lantern-cache/external-links.json").is_file());
}

#[test]
fn without_the_flag_no_request_is_made() {
    let server = start_server();
    let site = site_linking(&[format!("{}/missing", server.base)]);
    let out = Command::cargo_bin("lantern")
        .expect("binary")
        .current_dir(site.path(""))
        .args(["check", "--root", "."])
        .timeout(Duration::from_secs(60))
        .output()
        .expect("run");
    assert!(out.status.code().is_some());
    assert!(server.seen.lock().expect("lock").hits.is_empty());
}
