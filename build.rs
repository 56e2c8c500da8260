//! Embeds the default theme (`themes/lantern/`) in the binary, so `lantern init` output and
//! sites without a `themes/` folder build; and records the commit Lantern was built from,
//! for `lantern --version`.

use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// Runs `git` in the source folder; `None` when git is missing or this is not a checkout
/// (a crate downloaded from a registry, a source archive).
fn git(manifest: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(manifest)
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && !text.is_empty()).then_some(text)
}

/// Sets `LANTERN_COMMIT` to the short commit hash (or `LANTERN_COMMIT` from the
/// environment, or "unknown"), and asks cargo to run this again only when HEAD moves: the
/// files git keeps HEAD and the current branch in, resolved for worktrees too.
fn embed_commit(manifest: &Path) {
    println!("cargo:rerun-if-env-changed=LANTERN_COMMIT");
    let commit = std::env::var("LANTERN_COMMIT")
        .ok()
        .filter(|c| !c.is_empty())
        .or_else(|| git(manifest, &["rev-parse", "--short=9", "HEAD"]))
        .unwrap_or_else(|| "unknown".to_string());
    println!("cargo:rustc-env=LANTERN_COMMIT={commit}");
    let mut watched = vec!["HEAD".to_string(), "packed-refs".to_string()];
    if let Some(branch) = git(manifest, &["symbolic-ref", "-q", "HEAD"]) {
        watched.push(branch);
    }
    for name in watched {
        if let Some(path) = git(manifest, &["rev-parse", "--git-path", &name]) {
            let path = manifest.join(path);
            // A missing file would make cargo rerun this script on every build.
            if path.exists() {
                println!("cargo:rerun-if-changed={}", path.display());
            }
        }
    }
}

fn main() {
    let manifest =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    embed_commit(&manifest);
    let theme = manifest.join("themes").join("lantern");
    println!("cargo:rerun-if-changed=themes/lantern");
    let mut files = Vec::new();
    collect(&theme, &mut files);
    let mut code = String::from(
        "/// Files of the built-in theme: (path inside the theme, bytes).\npub static FILES: &[(&str, &[u8])] = &[\n",
    );
    for f in files {
        let rel = f
            .strip_prefix(&theme)
            .expect("inside theme")
            .to_string_lossy()
            .replace('\\', "/");
        writeln!(
            code,
            "    ({rel:?}, include_bytes!({:?})),",
            f.display().to_string()
        )
        .expect("write to string");
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("embedded_theme.rs");
    std::fs::write(out, code).expect("write embedded theme list");
}
