//! What a new user meets first: `--version` with the commit, examples in every `--help`,
//! shell completions, and the deploy files `lantern init --host` writes (a pinned,
//! checksum-verified Lantern download; no compiling, no repository variable). The
//! workflows and the install script are also run for real by `.ci/distribution.sh`.

use assert_cmd::Command;
use std::path::Path;

fn lantern() -> Command {
    Command::cargo_bin("lantern").expect("lantern binary")
}

fn stdout_of(args: &[&str]) -> String {
    let out = lantern().args(args).output().expect("runs");
    assert!(out.status.success(), "lantern {args:?} failed: {out:?}");
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// The commit this checkout is at, as build.rs records it; "unknown" outside git.
fn expected_commit() -> String {
    std::process::Command::new("git")
        .args(["rev-parse", "--short=9", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|| "unknown".to_string())
}

#[test]
fn version_names_the_version_and_the_commit() {
    let out = stdout_of(&["--version"]);
    assert_eq!(
        out.trim(),
        format!(
            "lantern {} ({})",
            env!("CARGO_PKG_VERSION"),
            std::env::var("LANTERN_COMMIT")
                .ok()
                .filter(|c| !c.is_empty())
                .unwrap_or_else(expected_commit)
        )
    );
}

#[test]
fn every_help_has_examples() {
    for sub in [
        "build",
        "serve",
        "translations",
        "new",
        "init",
        "completions",
    ] {
        let help = stdout_of(&[sub, "--help"]);
        assert!(help.contains("Examples:"), "{sub} --help:\n{help}");
        assert!(
            help.contains(&format!("lantern {sub}")),
            "{sub} --help has no example of itself:\n{help}"
        );
    }
    assert!(stdout_of(&["--help"]).contains("Examples:"));
}

#[test]
fn completions_for_each_shell_know_every_subcommand() {
    for (shell, marker) in [
        ("bash", "complete -F _lantern"),
        ("zsh", "#compdef lantern"),
        ("fish", "complete -c lantern"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion:arg-completer[lantern]"),
    ] {
        let script = stdout_of(&["completions", shell]);
        assert!(script.contains(marker), "{shell}: no `{marker}`");
        for sub in ["build", "serve", "translations", "init", "completions"] {
            assert!(script.contains(sub), "{shell} completion lacks {sub}");
        }
    }
    lantern().args(["completions", "tcsh"]).assert().code(2);
}

fn init(host: Option<&str>) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut cmd = lantern();
    cmd.arg("init").arg(tmp.path().join("s"));
    if let Some(host) = host {
        cmd.args(["--host", host]);
    }
    cmd.assert().success();
    tmp
}

fn read(dir: &tempfile::TempDir, rel: &str) -> String {
    std::fs::read_to_string(dir.path().join("s").join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn init_writes_an_install_script_pinned_to_this_version() {
    let site = init(None);
    let script = read(&site, ".lantern/install.sh");
    let version = env!("CARGO_PKG_VERSION");
    assert!(
        script.contains(&format!("version=\"${{LANTERN_VERSION:-{version}}}\"")),
        "{script}"
    );
    assert!(script.contains(&format!(
        "releases=\"${{LANTERN_RELEASES:-{}/releases/download}}\"",
        env!("CARGO_PKG_REPOSITORY")
    )));
    assert!(!script.contains('@'), "a placeholder was left: {script}");
    assert!(script.contains("sha256sum") && script.contains("expected"));
    assert!(read(&site, ".gitignore").contains("/.lantern/bin/"));
}

#[test]
fn github_workflow_downloads_lantern_and_needs_no_variable() {
    let site = init(Some("github"));
    let workflow = read(&site, ".github/workflows/pages.yml");
    assert!(workflow.contains("run: bash .lantern/install.sh"));
    assert!(workflow.contains("actions/cache@"));
    assert!(workflow.contains("hashFiles('.lantern/install.sh')"));
    assert!(workflow.contains("lantern check"));
    assert!(workflow.contains("BASE_URL: ${{ steps.pages.outputs.base_url }}"));
    assert!(workflow.contains("lantern build --base-url \"${BASE_URL}/\""));
    for forbidden in ["cargo", "vars.", "LANTERN_GIT"] {
        assert!(!workflow.contains(forbidden), "workflow uses {forbidden}");
    }
    // Every action is pinned to a full commit hash.
    for line in workflow.lines().filter(|l| l.contains("uses:")) {
        let reference = line.split('@').nth(1).unwrap_or("");
        let hash = reference.split_whitespace().next().unwrap_or("");
        assert!(
            hash.len() == 40 && hash.chars().all(|c| c.is_ascii_hexdigit()),
            "not pinned: {line}"
        );
    }
    assert!(!site.path().join("s/netlify.toml").exists());
    assert!(read(&site, "README.md").contains("GitHub Pages"));
}

#[test]
fn netlify_and_cloudflare_get_their_own_file() {
    let netlify = init(Some("netlify"));
    let toml = read(&netlify, "netlify.toml");
    assert!(toml.contains("publish = \"site\""));
    assert!(toml.contains("bash .lantern/install.sh && .lantern/bin/lantern build"));
    assert!(toml.contains("$DEPLOY_PRIME_URL"));
    assert!(!netlify.path().join("s/.github").exists());
    assert!(read(&netlify, "README.md").contains("netlify.toml"));

    let cloudflare = init(Some("cloudflare"));
    let note = read(&cloudflare, "CLOUDFLARE-PAGES.md");
    assert!(
        note.contains("3. Build command: `bash .lantern/install.sh && .lantern/bin/lantern build`")
    );
    assert!(note.contains("Build output directory: `site`"));
    assert!(cloudflare.path().join("s/.lantern/install.sh").is_file());
    assert!(!cloudflare.path().join("s/.github").exists());

    let tmp = tempfile::tempdir().expect("tempdir");
    lantern()
        .arg("init")
        .arg(tmp.path().join("s"))
        .args(["--host", "vercel"])
        .assert()
        .code(2);
}

/// The README's install lines name the version being released, so a bump that forgets
/// them fails here.
#[test]
fn readme_install_lines_name_this_version() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README");
    let install = readme
        .split("## Install")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("README has an Install section");
    let tag = format!(
        "/v{}/lantern-v{}-",
        env!("CARGO_PKG_VERSION"),
        env!("CARGO_PKG_VERSION")
    );
    let downloads: Vec<&str> = install
        .lines()
        .filter(|l| l.contains("/releases/download/"))
        .collect();
    assert_eq!(downloads.len(), 3, "one download line per OS:\n{install}");
    for line in downloads {
        assert!(line.contains(&tag), "stale version in: {line}");
    }
}
