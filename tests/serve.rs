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
    /// Lines the server prints (stdout and stderr), after its address line.
    output: Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start() -> Server {
    start_with(&[])
}

/// `lantern serve` on the `lists` fixture with more arguments.
fn start_with(args: &[&str]) -> Server {
    start_command(Command::new(env!("CARGO_BIN_EXE_lantern")), args)
}

/// `lantern serve` started by `command` (the binary itself, or a shell that execs it).
fn start_command(mut command: Command, args: &[&str]) -> Server {
    let root = tempfile::tempdir().expect("tempdir");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lists"),
        root.path(),
    );
    let mut child = command
        .args(["serve", "--port", "0", "--debounce", "10"])
        .args(args)
        .arg("--root")
        .arg(root.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start lantern serve");
    let (tx, rx) = channel();
    let stdout = child.stdout.take().expect("stdout");
    let stderr = child.stderr.take().expect("stderr");
    forward_lines(stdout, tx.clone());
    forward_lines(stderr, tx);
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut before = Vec::new();
    let addr = loop {
        let line = rx
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .unwrap_or_else(|_| panic!("server prints its address; printed {before:?}"));
        if let Some(rest) = line.strip_prefix("Serving http://") {
            break rest.split('/').next().expect("address").to_string();
        }
        before.push(line);
    };
    let (replay, output) = channel();
    for line in before {
        let _ = replay.send(line);
    }
    std::thread::spawn(move || {
        for line in rx {
            if replay.send(line).is_err() {
                return;
            }
        }
    });
    Server {
        child,
        addr,
        root,
        output,
    }
}

fn forward_lines(from: impl Read + Send + 'static, to: std::sync::mpsc::Sender<String>) {
    std::thread::spawn(move || {
        for line in BufReader::new(from).lines().map_while(Result::ok) {
            if to.send(line).is_err() {
                return;
            }
        }
    });
}

impl Server {
    fn path(&self, rel: &str) -> PathBuf {
        self.root.path().join(rel)
    }

    /// Sends a raw GET (the path is sent exactly as given) and returns status and body.
    fn get(&self, path: &str) -> (u16, String) {
        self.get_as(path, Some(&self.addr))
    }

    /// A raw GET naming `host` in its `Host` header (none when `None`).
    fn get_as(&self, path: &str, host: Option<&str>) -> (u16, String) {
        let mut s = TcpStream::connect(&self.addr).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(20)))
            .expect("timeout");
        let host = host.map(|h| format!("Host: {h}\r\n")).unwrap_or_default();
        write!(s, "GET {path} HTTP/1.1\r\n{host}Connection: close\r\n\r\n").expect("send");
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

impl Server {
    fn port(&self) -> &str {
        self.addr.rsplit(':').next().expect("port")
    }

    /// Waits for a printed line containing `text`.
    fn printed(&self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let line = self
                .output
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .unwrap_or_else(|_| panic!("the server never printed {text:?}"));
            if line.contains(text) {
                return line;
            }
        }
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

#[test]
fn requests_for_another_host_are_refused_on_every_route() {
    let s = start_with(&["--allow-host", "Preview.LAN"]);
    let port = s.port().to_string();
    let evil_with_port = format!("evil.example:{port}");
    for host in [
        Some("evil.example"),
        Some(evil_with_port.as_str()),
        Some("localhost.evil.example"),
        Some("127.0.0.1.nip.io"),
        Some(""),
        None,
    ] {
        for path in [
            "/news/",
            "/__lantern/events",
            "/__lantern/live.js",
            "/no/such/page/",
        ] {
            let (status, body) = s.get_as(path, host);
            assert_eq!(status, 403, "Host {host:?} {path}: {body}");
            assert!(!body.contains("News item"), "{body}");
        }
    }
    // An absolute URL in the request line names the host too.
    assert_eq!(s.get("http://evil.example/news/").0, 403);
    for host in [
        "localhost".to_string(),
        format!("localhost:{port}"),
        "LOCALHOST".to_string(),
        "127.0.0.1".to_string(),
        format!("127.0.0.1:{port}"),
        "[::1]".to_string(),
        format!("[::1]:{port}"),
        "preview.lan".to_string(),
        format!("preview.lan:{port}"),
    ] {
        let (status, body) = s.get_as("/news/", Some(&host));
        assert_eq!(status, 200, "Host {host}");
        assert!(body.contains("<h1>News</h1>"), "Host {host}: {body}");
    }
}

#[test]
fn serving_on_every_interface_says_which_hosts_are_answered() {
    let s = start_with(&["--bind", "0.0.0.0", "--allow-host", "preview.lan"]);
    let line = s.printed("--allow-host");
    assert!(
        line.contains("localhost") && line.contains("preview.lan"),
        "{line}"
    );
    // The connection arrives on 127.0.0.1: that literal is answered, a name is not.
    let local = format!("127.0.0.1:{}", s.port());
    assert_eq!(s.get_as("/news/", Some(&local)).0, 200);
    assert_eq!(s.get_as("/news/", Some("evil.example")).0, 403);
}

/// `/news/텔레그램-비밀/` as a browser's `location.pathname` shows it.
const HANGUL_PATH: &str = "/news/%ED%85%94%EB%A0%88%EA%B7%B8%EB%9E%A8-%EB%B9%84%EB%B0%80/";

#[test]
fn a_hangul_page_is_reloaded_by_the_path_the_browser_shows() {
    let s = start();
    let page = s.path("content/news/텔레그램-비밀.md");
    let front = "+++\ntitle = \"텔레그램 비밀\"\ndate = 2026-03-03\n+++\n\n";
    std::fs::write(&page, format!("{front}첫 번째 글.\n")).expect("write");
    s.wait_for(HANGUL_PATH, |st, b| st == 200 && b.contains("첫 번째 글."));
    let events = s.events();
    std::fs::write(&page, format!("{front}두 번째 글.\n")).expect("write");
    let reload: serde_json::Value =
        serde_json::from_str(&next_event(&events, "reload")).expect("json");
    let paths: Vec<&str> = reload["paths"]
        .as_array()
        .expect("paths")
        .iter()
        .filter_map(|p| p.as_str())
        .collect();
    assert!(paths.contains(&HANGUL_PATH), "{paths:?}");
    // And the script compares decoded paths, for any other spelling of the same path.
    let script = s.get("/__lantern/live.js").1;
    assert!(
        script.contains("decodeURIComponent(path)") && script.contains("showsThisPage"),
        "{script}"
    );
}

#[test]
fn content_moved_away_and_back_or_recreated_is_watched_again() {
    let s = start();
    let content = s.path("content");
    let away = s.path("content-away");
    std::fs::rename(&content, &away).expect("move away");
    s.printed("content/ was moved or deleted");
    std::fs::rename(&away, &content).expect("move back");
    s.printed("content/ is back: watching it again");
    let page = s.path("content/news/item-2.md");
    let text = std::fs::read_to_string(&page).expect("read");
    std::fs::write(
        &page,
        text.replace("Rest of item 2.", "Edited after the move."),
    )
    .expect("write");
    s.wait_for("/news/item-2/", |_, b| b.contains("Edited after the move."));

    // Deleted and written again from scratch.
    let saved = tempfile::tempdir().expect("tempdir");
    copy_dir(&content, saved.path());
    std::fs::remove_dir_all(&content).expect("delete");
    s.printed("content/ was moved or deleted");
    copy_dir(saved.path(), &content);
    s.printed("content/ is back: watching it again");
    let text = std::fs::read_to_string(&page).expect("read");
    std::fs::write(
        &page,
        text.replace("Edited after the move.", "Edited after the delete."),
    )
    .expect("write");
    s.wait_for("/news/item-2/", |_, b| {
        b.contains("Edited after the delete.")
    });
}

/// A GET with its own read timeout; status 0 when nothing came back in time.
fn get_within(addr: &str, path: &str, timeout: Duration) -> u16 {
    let Ok(mut c) = TcpStream::connect(addr) else {
        return 0;
    };
    let _ = c.set_read_timeout(Some(timeout));
    if write!(
        c,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .is_err()
    {
        return 0;
    }
    let mut raw = Vec::new();
    let _ = c.read_to_end(&mut raw);
    String::from_utf8_lossy(&raw)
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}

#[cfg(unix)]
#[test]
fn idle_connections_beyond_the_file_limit_do_not_starve_a_request() {
    // Fewer file descriptors than idle connections, as `ulimit -n 1024` against 1,100.
    let mut shell = Command::new("sh");
    shell
        .arg("-c")
        .arg("ulimit -n 200 && exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_lantern"));
    let s = start_command(shell, &["--max-connections", "64"]);
    let idle: Vec<TcpStream> = (0..300)
        .filter_map(|_| TcpStream::connect(&s.addr).ok())
        .collect();
    assert!(idle.len() > 200, "only {} connections opened", idle.len());
    std::thread::sleep(Duration::from_millis(300));
    let started = Instant::now();
    let status = get_within(&s.addr, "/news/", Duration::from_secs(5));
    assert_eq!(status, 200, "after {:?}", started.elapsed());
    assert!(started.elapsed() < Duration::from_secs(5));
    drop(idle);
}

#[test]
fn silent_connections_are_closed_but_live_reload_stays_open() {
    let s = start_with(&["--idle-timeout-ms", "300"]);
    let events = s.events();
    let mut silent = TcpStream::connect(&s.addr).expect("connect");
    let mut half = TcpStream::connect(&s.addr).expect("connect");
    write!(half, "GET /news/ HTTP/1.1\r\nHost: localhost\r\n").expect("send");
    for c in [&mut silent, &mut half] {
        c.set_read_timeout(Some(Duration::from_secs(5)))
            .expect("timeout");
        let started = Instant::now();
        let mut buf = [0u8; 64];
        let closed = match c.read(&mut buf) {
            Ok(n) => n == 0,
            Err(e) => !matches!(
                e.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            ),
        };
        assert!(closed, "the server closed the connection");
        assert!(
            started.elapsed() < Duration::from_secs(4),
            "{:?}",
            started.elapsed()
        );
    }
    // The event stream outlived the idle timeout several times over.
    std::thread::sleep(Duration::from_millis(1500));
    let page = s.path("content/news/item-2.md");
    let text = std::fs::read_to_string(&page).expect("read");
    std::fs::write(&page, text.replace("Rest of item 2.", "Still live.")).expect("write");
    let reload = next_event(&events, "reload");
    assert!(reload.contains("/news/item-2/"), "{reload}");
}

#[test]
fn serve_outside_a_site_exits_with_the_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Before, it went on serving a bare 404 "until the site is fixed": a timeout fails it.
    let out = assert_cmd::Command::new(env!("CARGO_BIN_EXE_lantern"))
        .current_dir(dir.path())
        .args(["serve", "--port", "0"])
        .timeout(std::time::Duration::from_secs(20))
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("no lantern.toml"), "{stderr}");
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains("Serving"),
        "it must not start serving"
    );
}
