//! Serve benchmark: time from writing one page to the live-reload event, on a site that
//! `lantern serve` is serving.
//!
//! ```sh
//! cargo build --release
//! cargo run --release --example gen_site -- --pages 10000 --out /dev/shm/lantern-10k
//! cargo run --release --example serve_bench -- --root /dev/shm/lantern-10k --edits 30
//! ```
//! It starts `target/release/lantern serve --debounce 10`, opens the event stream, then
//! edits one page body `--edits` times (pausing between edits) and prints the median and
//! the spread of write-to-event latency, and the server's peak memory (VmHWM).

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc::channel;
use std::time::{Duration, Instant};

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn first_page(root: &Path) -> PathBuf {
    let mut pages: Vec<PathBuf> = walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.path().to_path_buf())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "md")
                && !p.to_string_lossy().contains("_index")
                && !p.to_string_lossy().ends_with(".ko.md")
        })
        .collect();
    pages.sort();
    pages.into_iter().next().expect("a page to edit")
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let root = PathBuf::from(arg(&args, "--root").expect("--root DIR"));
    let edits: usize = arg(&args, "--edits")
        .and_then(|n| n.parse().ok())
        .unwrap_or(30);
    let bin = arg(&args, "--bin").unwrap_or_else(|| "target/release/lantern".into());
    let mut child = Command::new(&bin)
        .args(["serve", "--port", "0", "--debounce", "10", "--root"])
        .arg(&root)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start lantern serve");
    let pid = child.id();
    let stdout = child.stdout.take().expect("stdout");
    let (line_tx, line_rx) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = line_tx.send(line);
        }
    });
    let started = Instant::now();
    let addr = loop {
        let line = line_rx
            .recv_timeout(Duration::from_secs(600))
            .expect("server output");
        println!("server: {line}");
        if let Some(rest) = line.strip_prefix("Serving http://") {
            break rest.split('/').next().expect("address").to_string();
        }
    };
    println!(
        "first build and start: {} ms",
        started.elapsed().as_millis()
    );
    let mut stream = TcpStream::connect(&addr).expect("connect");
    write!(
        stream,
        "GET /__lantern/events HTTP/1.1\r\nHost: {addr}\r\n\r\n"
    )
    .expect("subscribe");
    let (event_tx, event_rx) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            if line.starts_with("data: ") {
                let _ = event_tx.send((Instant::now(), line));
            }
        }
    });
    std::thread::sleep(Duration::from_millis(500));
    let page = first_page(&root);
    let original = std::fs::read_to_string(&page).expect("read page");
    let mut latencies = Vec::new();
    for n in 0..edits {
        while event_rx.try_recv().is_ok() {}
        let text = format!("{original}\nBenchmark edit number {n}.\n");
        let written = Instant::now();
        std::fs::write(&page, text).expect("write");
        let (at, data) = event_rx
            .recv_timeout(Duration::from_secs(60))
            .expect("reload event");
        if !data.contains("reload") && !data.contains("paths") {
            eprintln!("unexpected event: {data}");
        }
        latencies.push(at - written);
        while let Ok(line) = line_rx.try_recv() {
            println!("server: {line}");
        }
        std::thread::sleep(Duration::from_millis(300));
    }
    std::fs::write(&page, original).expect("restore");
    std::thread::sleep(Duration::from_millis(500));
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let peak = status
        .lines()
        .find(|l| l.starts_with("VmHWM"))
        .unwrap_or("VmHWM: unknown")
        .to_string();
    let _ = child.kill();
    let _ = child.wait();
    latencies.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "write -> reload event over {} edits: median {:.1} ms, min {:.1} ms, max {:.1} ms (debounce 10 ms)",
        latencies.len(),
        ms(latencies[latencies.len() / 2]),
        ms(latencies[0]),
        ms(latencies[latencies.len() - 1])
    );
    println!(
        "server peak memory: {}",
        peak.split_whitespace()
            .skip(1)
            .collect::<Vec<_>>()
            .join(" ")
    );
}
