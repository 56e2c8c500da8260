//! `lantern check`: a clean fixture passes every rule; each `check-<case>` fixture is an
//! overlay on the clean one (files replaced or added) that breaks exactly one rule.

use assert_cmd::Command;
use std::collections::BTreeSet;
use std::path::Path;

/// Reviews are measured against this day, so the fixtures never age.
const TODAY: &str = "2026-06-01";

fn fixtures() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk fixture");
        let rel = entry.path().strip_prefix(from).expect("inside fixture");
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("create dir");
        } else {
            std::fs::copy(entry.path(), &dest).expect("copy file");
        }
    }
}

/// The clean fixture with `case`'s overlay on top, in a fresh folder.
fn site_with(case: Option<&str>) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("temp dir");
    copy_tree(&fixtures().join("check-clean"), tmp.path());
    if let Some(case) = case {
        copy_tree(&fixtures().join(format!("check-{case}")), tmp.path());
    }
    tmp
}

struct Run {
    code: Option<i32>,
    stdout: String,
    json: serde_json::Value,
}

fn check(root: &Path, extra: &[&str]) -> Run {
    let out = Command::cargo_bin("lantern")
        .expect("binary")
        .current_dir(root)
        .args(["check", "--today", TODAY, "--root", "."])
        .args(extra)
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .expect("run lantern check");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let json = serde_json::from_str(&stdout).unwrap_or(serde_json::Value::Null);
    Run {
        code: out.status.code(),
        stdout,
        json,
    }
}

fn rules_found(run: &Run) -> BTreeSet<String> {
    run.json["findings"]
        .as_array()
        .unwrap_or_else(|| panic!("no JSON findings in {}", run.stdout))
        .iter()
        .map(|f| f["rule"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// Runs the case and asserts that it breaks exactly `rule`; returns the run.
fn breaks_only(case: &str, rule: &str) -> Run {
    breaks_only_with(case, "", rule)
}

/// As [`breaks_only`], with `config` added to the site's `lantern.toml` (overlays carry
/// no `lantern.toml`, so every fixture folder that has one is a whole site).
fn breaks_only_with(case: &str, config: &str, rule: &str) -> Run {
    let site = site_with(Some(case));
    add_config(site.path(), config);
    let run = check(site.path(), &["--format", "json", "--fail-on", "warning"]);
    assert_eq!(
        rules_found(&run),
        BTreeSet::from([rule.to_string()]),
        "case {case}: {}",
        run.stdout
    );
    assert_eq!(run.code, Some(1), "case {case} must fail the gate");
    run
}

fn add_config(root: &Path, config: &str) {
    let path = root.join("lantern.toml");
    let mut text = std::fs::read_to_string(&path).expect("read config");
    text.push_str(config);
    std::fs::write(&path, text).expect("write config");
}

fn first_finding(run: &Run) -> &serde_json::Value {
    &run.json["findings"][0]
}

#[test]
fn clean_fixture_passes_every_rule() {
    let site = site_with(None);
    let run = check(site.path(), &["--format", "json", "--fail-on", "warning"]);
    assert_eq!(rules_found(&run), BTreeSet::new(), "{}", run.stdout);
    assert_eq!(run.code, Some(0));
}

#[test]
fn check_writes_nothing() {
    let site = site_with(None);
    check(site.path(), &[]);
    assert!(!site.path().join("site").exists());
}

#[test]
fn link_broken() {
    let run = breaks_only("link-broken", "link-broken");
    let f = first_finding(&run);
    assert_eq!(f["file"], "content/about.md");
    assert!(f["message"].as_str().unwrap_or("").contains("/old-about/"));
}

#[test]
fn link_draft() {
    breaks_only("link-draft", "link-draft");
}

#[test]
fn sources_missing() {
    let run = breaks_only("sources-missing", "sources-missing");
    // The Korean page relies on its source's citations, which are missing too.
    assert_eq!(run.json["findings"].as_array().map(Vec::len), Some(2));
}

#[test]
fn source_incomplete() {
    let run = breaks_only("source-incomplete", "source-incomplete");
    let message = first_finding(&run)["message"]
        .as_str()
        .unwrap_or("")
        .to_string();
    assert!(message.contains("publisher, date"), "{message}");
    assert_eq!(first_finding(&run)["line"], 5);
}

#[test]
fn source_no_url() {
    breaks_only("source-no-url", "source-no-url");
}

#[test]
fn source_conflict() {
    breaks_only("source-conflict", "source-conflict");
}

#[test]
fn review_overdue_is_an_error_at_the_reviewed_line() {
    let run = breaks_only("review-overdue", "review-overdue");
    let f = first_finding(&run);
    assert_eq!(
        (f["severity"].as_str(), f["line"].as_u64()),
        (Some("error"), Some(3))
    );
}

#[test]
fn review_due_is_a_warning_and_passes_the_default_gate() {
    let run = breaks_only("review-due", "review-due");
    assert_eq!(first_finding(&run)["severity"], "warning");
    let site = site_with(Some("review-due"));
    assert_eq!(check(site.path(), &[]).code, Some(0));
}

#[test]
fn text_output_ends_with_reviews_by_due_date() {
    let site = site_with(Some("review-due"));
    let run = check(site.path(), &[]);
    let tail = run
        .stdout
        .split("Reviews by due date:")
        .nth(1)
        .unwrap_or_else(|| panic!("{}", run.stdout));
    let files: Vec<&str> = tail
        .lines()
        .filter_map(|l| l.split_whitespace().nth(1))
        .collect();
    assert_eq!(files.first(), Some(&"content/about.md"), "{tail}");
    assert!(
        run.stdout.contains("content/about.md\n"),
        "grouped by file: {}",
        run.stdout
    );
    assert!(run.stdout.contains("review-due"));
}

#[test]
fn translation_outdated() {
    breaks_only("translation-outdated", "translation-outdated");
}

#[test]
fn translation_missing() {
    breaks_only("translation-missing", "translation-missing");
}

#[test]
fn img_alt_file_name() {
    breaks_only("img-alt", "img-alt");
}

#[test]
fn heading_skip() {
    breaks_only("heading-skip", "heading-skip");
}

#[test]
fn h1_multiple() {
    breaks_only("h1-multiple", "h1-multiple");
}

#[test]
fn link_empty() {
    breaks_only("link-empty", "link-empty");
}

#[test]
fn link_text_english_and_korean() {
    breaks_only("link-text", "link-text");
    breaks_only("link-text-ko", "link-text");
}

#[test]
fn table_header() {
    breaks_only("table-header", "table-header");
}

#[test]
fn third_party() {
    breaks_only("third-party", "third-party");
}

#[test]
fn csp_inline() {
    breaks_only("csp-inline", "csp-inline");
}

#[test]
fn image_gps() {
    let run = breaks_only("image-gps", "image-gps");
    assert_eq!(first_finding(&run)["file"], "static/photo.jpg");
}

#[test]
fn word_stigma_english_and_korean() {
    let run = breaks_only("word-stigma", "word-stigma");
    let f = first_finding(&run);
    assert_eq!((f["line"].as_u64(), f["col"].as_u64()), (Some(6), Some(7)));
    assert!(
        f["suggestion"]
            .as_str()
            .unwrap_or("")
            .contains("person who uses drugs")
    );
    let run = breaks_only("word-stigma-ko", "word-stigma");
    assert!(
        first_finding(&run)["suggestion"]
            .as_str()
            .unwrap_or("")
            .contains("중독 문제를 겪는 사람")
    );
}

#[test]
fn word_operational_from_the_sites_list() {
    breaks_only("word-operational", "word-operational");
}

#[test]
fn sentence_long_english_and_korean() {
    // Sentences this long also raise the grade estimate; this case checks their share.
    let quiet_grade = "\n[check.severity]\nreading-grade = \"off\"\n";
    breaks_only_with("sentence-long", quiet_grade, "sentence-long");
    let run = breaks_only("sentence-long-ko", "sentence-long");
    assert!(
        first_finding(&run)["message"]
            .as_str()
            .unwrap_or("")
            .contains("어절")
    );
}

#[test]
fn reading_grade_english_only() {
    breaks_only("reading-grade", "reading-grade");
    // The same text on a Korean page is never scored with the English formula.
    let site = site_with(Some("grade-ko"));
    let run = check(site.path(), &["--format", "json", "--fail-on", "warning"]);
    assert_eq!(rules_found(&run), BTreeSet::new(), "{}", run.stdout);
}

#[test]
fn page_weight() {
    breaks_only_with(
        "page-weight",
        "\n[check]\npage_budget_kb = 1\n",
        "page-weight",
    );
}

#[test]
fn a_page_silences_a_rule_for_itself() {
    let site = site_with(Some("word-stigma"));
    let about = site.path().join("content/about.md");
    let text = std::fs::read_to_string(&about).expect("read");
    let text = text.replacen(
        "reviewed = 2026-05-01\n",
        "reviewed = 2026-05-01\n\n[extra.check]\nignore = [\"word-stigma\"]\n",
        1,
    );
    std::fs::write(&about, text).expect("write");
    let run = check(site.path(), &["--format", "json", "--fail-on", "warning"]);
    assert_eq!(rules_found(&run), BTreeSet::new(), "{}", run.stdout);
}

#[test]
fn the_site_changes_a_rules_level() {
    let site = site_with(Some("review-overdue"));
    let config = site.path().join("lantern.toml");
    let mut text = std::fs::read_to_string(&config).expect("read");
    text.push_str("\n[check.severity]\nreview-overdue = \"warning\"\n");
    std::fs::write(&config, &text).expect("write");
    let run = check(site.path(), &["--format", "json"]);
    assert_eq!(first_finding(&run)["severity"], "warning");
    assert_eq!(run.code, Some(0));
    std::fs::write(&config, text.replace("\"warning\"", "\"off\"")).expect("write");
    assert_eq!(
        rules_found(&check(
            site.path(),
            &["--format", "json", "--fail-on", "warning"]
        )),
        BTreeSet::new()
    );
}

#[test]
fn an_unknown_rule_in_the_config_is_an_error() {
    let site = site_with(None);
    let config = site.path().join("lantern.toml");
    let mut text = std::fs::read_to_string(&config).expect("read");
    text.push_str("\n[check.severity]\nno-such-rule = \"off\"\n");
    std::fs::write(&config, text).expect("write");
    let out = Command::cargo_bin("lantern")
        .expect("binary")
        .args(["check", "--root"])
        .arg(site.path())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-rule"));
}

#[test]
fn github_format_prints_annotations() {
    let site = site_with(Some("review-overdue"));
    let run = check(site.path(), &["--format", "github"]);
    assert!(
        run.stdout.contains("::error file=content/about.md,line=3,col=1,title=review-overdue::review was due on 2026-01-01"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_site_fresh_from_init_passes_its_own_gate() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("new-site");
    Command::cargo_bin("lantern")
        .expect("binary")
        .arg("init")
        .arg(&dir)
        .assert()
        .success();
    let workflow =
        std::fs::read_to_string(dir.join(".github/workflows/pages.yml")).expect("workflow");
    assert!(workflow.contains("lantern check"), "{workflow}");
    // Measured against today, as a deploy would be.
    let out = Command::cargo_bin("lantern")
        .expect("binary")
        .args(["check", "--root"])
        .arg(&dir)
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn the_bundled_site_passes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::cargo_bin("lantern")
        .expect("binary")
        .args(["check", "--today", "2026-12-02", "--root"])
        .arg(root)
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
