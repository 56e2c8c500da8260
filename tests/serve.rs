//! `lantern serve` end to end: a real server on an ephemeral port, real file edits, raw
//! HTTP over TCP (no client library), and the live-reload event stream.

mod common;
use common::copy_dir;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

struct Server {
    child: Child,
    addr: String,
    root: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start() -> Server {
    let root = tempfile::tempdir().expect("tempdir");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lists"),
        root.path(),
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_lantern"))
        .args(["serve", "--port", "0", "--debounce", "10", "--root"])
        .arg(root.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start lantern serve");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    let addr = loop {
        let line = rx
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("server prints its address");
        if let Some(rest) = line.strip_prefix("Serving http://") {
            break rest.split('/').next().expect("address").to_string();
        }
    };
    Server { child, addr, root }
}

impl Server {
    fn path(&self, rel: &str) -> PathBuf {
        self.root.path().join(rel)
    }

    /// Sends a raw GET (the path is sent exactly as given) and returns status and body.
    fn get(&self, path: &str) -> (u16, String) {
        let mut s = TcpStream::connect(&self.addr).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(20)))
            .expect("timeout");
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.addr
        )
        .expect("send");
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).expect("read");
        let text = String::from_utf8_lossy(&raw).into_owned();
        let status = text
            .split(' ')
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        let body = text
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_string())
            .unwrap_or_default();
        (status, body)
    }

    /// Polls until `path` serves a body satisfying `ok`.
    fn wait_for(&self, path: &str, ok: impl Fn(u16, &str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let (status, body) = self.get(path);
            if ok(status, &body) {
                return body;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting on {path}: last status {status}\n{body}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Opens the event stream; returns (event, data) pairs as they come.
    fn events(&self) -> Receiver<(String, String)> {
        let mut s = TcpStream::connect(&self.addr).expect("connect");
        write!(
            s,
            "GET /__lantern/events HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\n\r\n",
            self.addr
        )
        .expect("send");
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut event = String::new();
            for line in BufReader::new(s).lines().map_while(Result::ok) {
                if let Some(e) = line.strip_prefix("event: ") {
                    event = e.to_string();
                } else if let Some(d) = line.strip_prefix("data: ")
                    && tx.send((event.clone(), d.to_string())).is_err()
                {
                    return;
                }
            }
        });
        // Let the subscription reach the server before the test edits anything.
        std::thread::sleep(Duration::from_millis(200));
        rx
    }
}

fn next_event(rx: &Receiver<(String, String)>, name: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (event, data) = rx
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .unwrap_or_else(|_| panic!("no {name} event"));
        if event == name {
            return data;
        }
    }
}

#[test]
fn serves_pages_with_types_and_a_real_404() {
    let s = start();
    let (status, body) = s.get("/news/item-1/");
    assert_eq!(status, 200);
    assert!(
        body.contains("News item 1") && body.contains("/__lantern/live.js"),
        "{body}"
    );
    let (status, body) = s.get("/no/such/page/");
    assert_eq!(status, 404);
    assert!(body.contains("<html"), "the site's own 404 page: {body}");
    assert_eq!(
        s.get("/news/item-1").0,
        301,
        "directory without slash redirects"
    );
    assert_eq!(s.get("/style.css").0, 200);
    assert!(s.get("/__lantern/live.js").1.contains("EventSource"));
}

#[test]
fn edit_create_delete_rename_show_up_and_lists_follow() {
    let s = start();
    let events = s.events();
    let page = s.path("content/news/item-2.md");
    let text = std::fs::read_to_string(&page).expect("read");
    std::fs::write(
        &page,
        text.replace("Rest of item 2.", "Freshly edited body."),
    )
    .expect("write");
    s.wait_for("/news/item-2/", |_, b| b.contains("Freshly edited body."));
    let reload = next_event(&events, "reload");
    assert!(reload.contains("/news/item-2/"), "{reload}");

    std::fs::write(
        s.path("content/news/brand-new.md"),
        "+++\ntitle = \"Brand new page\"\ndate = 2026-09-09\n+++\nHello.\n",
    )
    .expect("write");
    s.wait_for("/news/brand-new/", |st, b| {
        st == 200 && b.contains("Brand new page")
    });
    s.wait_for("/news/", |_, b| b.contains("Brand new page"));

    std::fs::rename(
        s.path("content/news/brand-new.md"),
        s.path("content/news/renamed.md"),
    )
    .expect("rename");
    s.wait_for("/news/renamed/", |st, _| st == 200);
    s.wait_for("/news/brand-new/", |st, _| st == 404);

    std::fs::remove_file(s.path("content/news/renamed.md")).expect("delete");
    s.wait_for("/news/renamed/", |st, _| st == 404);
    s.wait_for("/news/", |_, b| !b.contains("Brand new page"));
}

#[test]
fn broken_front_matter_sends_an_error_and_keeps_the_last_good_page() {
    let s = start();
    let events = s.events();
    let page = s.path("content/news/item-3.md");
    let good = std::fs::read_to_string(&page).expect("read");
    std::fs::write(&page, "+++\ntitle = \"unterminated\n+++\nbody").expect("write");
    let error = next_event(&events, "build-error");
    assert!(
        error.contains("item-3.md:2:"),
        "the overlay gets file:line:col: {error}"
    );
    let (status, body) = s.get("/news/item-3/");
    assert_eq!(status, 200);
    assert!(body.contains("News item 3"), "last good build still served");
    std::fs::write(&page, good.replace("Rest of item 3.", "Fixed again.")).expect("write");
    next_event(&events, "build-ok");
    s.wait_for("/news/item-3/", |_, b| b.contains("Fixed again."));
}

#[test]
fn css_only_change_asks_for_a_stylesheet_swap() {
    let s = start();
    let events = s.events();
    std::fs::create_dir_all(s.path("static")).expect("mkdir");
    std::fs::write(s.path("static/extra.css"), "body { color: red }").expect("write");
    let data = next_event(&events, "reload");
    assert!(data.contains("\"css_only\":true"), "{data}");
    s.wait_for("/extra.css", |st, b| st == 200 && b.contains("red"));
}

#[test]
fn path_traversal_is_refused() {
    let s = start();
    for bad in [
        "/../lantern.toml",
        "/%2e%2e/lantern.toml",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/news%2f..%2f..%2flantern.toml",
        "/..\\lantern.toml",
        "/news/..%5c..%5clantern.toml",
        "//etc/passwd",
        "/C:/Windows/win.ini",
    ] {
        let (status, body) = s.get(bad);
        assert!(status == 400 || status == 404, "{bad} gave {status}");
        assert!(!body.contains("base_url"), "{bad} leaked the config");
    }
    // A symlink out of the site (a content asset pointing at /etc) is not served either.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("/etc/hostname", s.path("content/news/host.txt"))
            .expect("symlink");
        std::fs::write(
            s.path("content/news/item-1.md"),
            std::fs::read_to_string(s.path("content/news/item-1.md")).expect("read") + "\n",
        )
        .expect("touch");
        std::thread::sleep(Duration::from_millis(500));
        let (status, _) = s.get("/news/../../etc/hostname");
        assert!(status == 400 || status == 404);
    }
}

#[test]
fn fifty_rapid_writes_end_with_the_last_one_served() {
    let s = start();
    let page = s.path("content/news/item-4.md");
    let text = std::fs::read_to_string(&page).expect("read");
    for n in 0..50 {
        std::fs::write(
            &page,
            text.replace("Rest of item 4.", &format!("Version {n:02} of the body.")),
        )
        .expect("write");
    }
    s.wait_for("/news/item-4/", |_, b| {
        b.contains("Version 49 of the body.")
    });
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        s.get("/news/item-4/").1.contains("Version 49 of the body."),
        "and it stays"
    );
}

#[test]
fn a_hundred_concurrent_requests_all_succeed() {
    let s = start();
    let addr = s.addr.clone();
    let handles: Vec<_> = (0..100)
        .map(|n| {
            let addr = addr.clone();
            std::thread::spawn(move || {
                let path = if n % 2 == 0 {
                    "/news/"
                } else {
                    "/news/item-1/"
                };
                let mut c = TcpStream::connect(&addr).expect("connect");
                c.set_read_timeout(Some(Duration::from_secs(30)))
                    .expect("timeout");
                write!(
                    c,
                    "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
                )
                .expect("send");
                let mut raw = String::new();
                c.read_to_string(&mut raw).expect("read");
                raw.starts_with("HTTP/1.1 200")
            })
        })
        .collect();
    let ok = handles
        .into_iter()
        .filter_map(|h| h.join().ok())
        .filter(|ok| *ok)
        .count();
    assert_eq!(ok, 100);
}
