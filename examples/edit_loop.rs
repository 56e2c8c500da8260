//! Profiling aid: builds a site in memory, then edits one page body N times and rebuilds
//! after each edit, printing each rebuild's stage times.
//! `cargo run --release --example edit_loop -- DIR N`
use std::collections::HashSet;
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let root = std::path::PathBuf::from(&args[1]);
    let n: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(20);
    let mut b = lantern::build::Builder::new(lantern::build::BuildOptions {
        root: root.clone(),
        ..Default::default()
    });
    b.run(&HashSet::new()).expect("first build");
    let page = root.join("content/section-0/page-0.md");
    let original = std::fs::read_to_string(&page).expect("page");
    for k in 0..n {
        std::fs::write(&page, format!("{original}\nEdit {k}.\n")).expect("write");
        let t = std::time::Instant::now();
        let built = b.run(&HashSet::from([page.clone()])).expect("rebuild");
        println!(
            "{} ms ({}), {} rendered",
            t.elapsed().as_millis(),
            built.report.stage_times(),
            built.rendered.len()
        );
    }
    std::fs::write(&page, original).expect("restore");
}
