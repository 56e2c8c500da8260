//! `lantern serve`: build, serve from memory, watch, rebuild incrementally, reload.
//!
//! Threads: the tokio runtime serves HTTP; one plain thread owns the [`Builder`] and the
//! watcher and runs rebuilds one at a time. They share only [`Shared`]: a pointer to the
//! current [`Snapshot`] (swapped whole after each good build, never edited), the last
//! error, and a broadcast channel of events for browsers.

mod conn;
mod host;
mod http;
mod watch;

pub use http::clean_path;

use crate::build::{BuildOptions, Builder, Built};
use crate::diagnostics::BuildError;
pub use conn::Limits;
use http::Message;
use std::collections::{HashMap, HashSet};
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};
use watch::Change;

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub port: u16,
    pub bind: IpAddr,
    pub open: bool,
    pub drafts: bool,
    pub debounce: Duration,
    pub poll: bool,
    /// Host names answered besides this machine's (`--allow-host`).
    pub allow_hosts: Vec<String>,
    pub limits: Limits,
}

/// One good build, as served.
#[derive(Default)]
pub struct Snapshot {
    files: HashMap<String, Arc<Vec<u8>>>,
}

impl Snapshot {
    fn from_built(built: &Built) -> Snapshot {
        Snapshot {
            files: built
                .files
                .iter()
                .map(|f| (f.path.clone(), f.bytes.clone()))
                .collect(),
        }
    }

    /// The bytes at an output path.
    pub fn read(&self, path: &str) -> Option<Vec<u8>> {
        self.files.get(path).map(|b| b.to_vec())
    }

    fn paths(&self) -> HashSet<&String> {
        self.files.keys().collect()
    }
}

/// What the HTTP side and the rebuild thread share.
pub struct Shared {
    snapshot: RwLock<Arc<Snapshot>>,
    error: RwLock<Option<String>>,
    events: tokio::sync::broadcast::Sender<Message>,
}

impl Shared {
    fn snapshot(&self) -> Arc<Snapshot> {
        self.snapshot.read().map(|s| s.clone()).unwrap_or_default()
    }

    /// Sent to a browser when it connects: the current error, if any.
    fn current_state_message(&self) -> Option<Message> {
        let error = self.error.read().ok()?.clone()?;
        Some(error_message(&error))
    }
}

fn error_message(text: &str) -> Message {
    Message {
        event: "build-error",
        data: serde_json::json!({ "message": text }).to_string(),
    }
}

/// Runs the server until the process is stopped.
pub fn serve(mut opts: ServeOptions) -> Result<(), String> {
    opts.root = std::fs::canonicalize(&opts.root)
        .map_err(|e| format!("cannot open {}: {e}", opts.root.display()))?;
    // Not a site at all: say so and stop, rather than serve a bare 404 "until it is fixed".
    let config = opts.root.join(crate::config::CONFIG_FILE);
    if !config.is_file() {
        return Err(format!(
            "{} has no {}: this is not a Lantern site (start one with `lantern init DIR`, or pass --root)",
            opts.root.display(),
            crate::config::CONFIG_FILE
        ));
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the server: {e}"))?;
    let listener = runtime.block_on(bind(opts.bind, opts.port))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let hosts = host::HostPolicy::new(opts.bind, &opts.allow_hosts);
    if !opts.bind.is_loopback() {
        eprintln!(
            "warning: serving on {} makes the preview reachable from other machines on the network",
            opts.bind
        );
    }
    if opts.bind.is_unspecified() {
        eprintln!(
            "answering requests for {}, or this machine's IP addresses; allow a host name with --allow-host NAME",
            hosts.names().join(", ")
        );
    }
    let base_url = format!("http://{}/", display_addr(addr));
    let build_opts = BuildOptions {
        root: opts.root.clone(),
        drafts: opts.drafts,
        base_url: Some(base_url.clone()),
        output: None,
    };
    let (tx, _) = tokio::sync::broadcast::channel(64);
    let shared = Arc::new(Shared {
        snapshot: RwLock::default(),
        error: RwLock::default(),
        events: tx,
    });
    // Watch before the first build, so that no edit made from here on is missed.
    let (change_tx, change_rx) = std::sync::mpsc::channel();
    let output_dir = opts.root.join("site");
    let mut watcher = watch::start(&opts.root, &output_dir, opts.debounce, opts.poll, change_tx)
        .map_err(|e| format!("cannot watch {}: {e}", opts.root.display()))?;
    let mut builder = Builder::new(build_opts);
    let start = Instant::now();
    match builder.run(&HashSet::new()) {
        Ok(built) => {
            println!("{}", built.report.summary());
            for w in &built.report.warnings {
                eprint!("{w}");
            }
            set_snapshot(&shared, Snapshot::from_built(&built));
        }
        Err(e) => report_error(&shared, &e, start),
    }
    println!("Serving {base_url} (Ctrl+C to stop)");
    if opts.open {
        let _ = std::process::Command::new(if cfg!(target_os = "macos") {
            "open"
        } else {
            "xdg-open"
        })
        .arg(&base_url)
        .spawn();
    }
    let rebuild_shared = shared.clone();
    let root = opts.root.clone();
    std::thread::spawn(move || {
        while let Ok(change) = change_rx.recv() {
            // Take every change that queued up while the last rebuild ran.
            let mut changes = vec![change];
            changes.extend(change_rx.try_iter());
            let new_dirs = watcher.refresh(&changes);
            changes.extend(
                new_dirs
                    .iter()
                    .map(|d| Change::Paths(watch::files_below(d))),
            );
            rebuild(&mut builder, &rebuild_shared, &root, changes);
        }
    });
    let app = axum::Router::new()
        .route("/__lantern/events", axum::routing::get(http::events))
        .fallback(http::serve_path)
        .with_state(shared)
        .layer(axum::middleware::from_fn_with_state(
            Arc::new(hosts),
            host::check_host,
        ));
    runtime.block_on(conn::run(listener, app, opts.limits));
    Ok(())
}

/// Binds `port`, or the next free port when it is taken (saying so).
async fn bind(ip: IpAddr, port: u16) -> Result<tokio::net::TcpListener, String> {
    let mut last = String::new();
    for candidate in port..=port.saturating_add(20) {
        match tokio::net::TcpListener::bind(SocketAddr::new(ip, candidate)).await {
            Ok(l) => {
                if candidate != port {
                    eprintln!(
                        "port {port} is in use; serving on port {candidate} instead (choose one with --port)"
                    );
                }
                return Ok(l);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse && port != 0 => {
                last = e.to_string()
            }
            Err(e) => return Err(format!("cannot listen on {ip}:{candidate}: {e}")),
        }
    }
    Err(format!(
        "ports {port}-{} are all in use ({last}); try --port with another number",
        port.saturating_add(20)
    ))
}

fn display_addr(addr: SocketAddr) -> String {
    match addr.ip() {
        IpAddr::V6(ip) => format!("[{ip}]:{}", addr.port()),
        IpAddr::V4(ip) => format!("{ip}:{}", addr.port()),
    }
}

fn set_snapshot(shared: &Shared, snapshot: Snapshot) {
    if let Ok(mut s) = shared.snapshot.write() {
        *s = Arc::new(snapshot);
    }
}

fn report_error(shared: &Shared, e: &BuildError, start: Instant) {
    let text = e.to_string();
    eprintln!(
        "{text}\n(after {} ms; still serving the last good build)",
        start.elapsed().as_millis()
    );
    if let Ok(mut err) = shared.error.write() {
        *err = Some(text.clone());
    }
    let _ = shared.events.send(error_message(&text));
}

/// One rebuild after a batch of changes; prints one line.
fn rebuild(builder: &mut Builder, shared: &Shared, root: &Path, changes: Vec<Change>) {
    let start = Instant::now();
    let mut dirty: HashSet<PathBuf> = HashSet::new();
    for change in changes {
        match change {
            Change::Paths(paths) => dirty.extend(paths),
            Change::Rescan(reason) => {
                eprintln!("{reason}: rebuilding everything");
                *builder = Builder::new(builder.options().clone());
            }
        }
    }
    let what = describe_change(root, &dirty);
    match builder.run(&dirty) {
        Ok(built) => {
            let old = shared.snapshot();
            let snapshot = Snapshot::from_built(&built);
            let old_paths = old.paths();
            let new_paths = snapshot.paths();
            let mut urls: Vec<String> = built.rendered.iter().map(|p| url_of(p)).collect();
            urls.extend(old_paths.difference(&new_paths).map(|p| url_of(p)));
            // Only stylesheets changed: swap them, keep the page (and its scroll position).
            let css_only =
                !built.rendered.is_empty() && built.rendered.iter().all(|p| p.ends_with(".css"));
            let pages = built
                .rendered
                .iter()
                .filter(|p| p.ends_with(".html"))
                .count();
            set_snapshot(shared, snapshot);
            let had_error = shared
                .error
                .write()
                .map(|mut e| e.take().is_some())
                .unwrap_or(false);
            if had_error {
                let _ = shared.events.send(Message {
                    event: "build-ok",
                    data: "{}".into(),
                });
            }
            if css_only || !urls.is_empty() {
                let all = urls.len() > 200;
                let paths = if all { Vec::new() } else { with_encoded(urls) };
                let data = serde_json::json!({ "paths": paths, "all": all, "css_only": css_only });
                let _ = shared.events.send(Message {
                    event: "reload",
                    data: data.to_string(),
                });
            }
            println!(
                "{what}: {pages} page{} re-rendered in {} ms ({})",
                if pages == 1 { "" } else { "s" },
                start.elapsed().as_millis(),
                built.report.stage_times()
            );
        }
        Err(e) => report_error(shared, &e, start),
    }
}

/// `content/guides/telegram.md changed` / `3 files changed`.
fn describe_change(root: &Path, dirty: &HashSet<PathBuf>) -> String {
    match dirty.len() {
        0 => "rebuild".into(),
        1 => {
            let p = dirty
                .iter()
                .next()
                .map(|p| p.strip_prefix(root).unwrap_or(p).display().to_string())
                .unwrap_or_default();
            format!("{p} changed")
        }
        n => format!("{n} files changed"),
    }
}

/// `guides/a/index.html` -> `/guides/a/`; `style.css` -> `/style.css`.
fn url_of(path: &str) -> String {
    match path.strip_suffix("index.html") {
        Some(dir) => format!("/{dir}"),
        None => format!("/{path}"),
    }
}

/// Each URL as written and, when different, as a browser shows it (`/텔레그램/` and
/// `/%ED%85%94%EB%A0%88%EA%B7%B8%EB%9E%A8/`), so the page's script finds its own path
/// either way.
fn with_encoded(urls: Vec<String>) -> Vec<String> {
    urls.into_iter()
        .flat_map(|url| {
            let encoded =
                percent_encoding::utf8_percent_encode(&url, crate::urls::PATH_SET).to_string();
            if encoded == url {
                vec![url]
            } else {
                vec![url, encoded]
            }
        })
        .collect()
}
