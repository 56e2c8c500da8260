//! The incremental-build correctness rule: after any sequence of edits, what a warm
//! `Builder` produces is byte-identical to a fresh build of the same files. Edits are
//! drawn from a seeded generator, so a failure names a reproducible seed.

mod common;
use common::copy_dir;

use lantern::build::{BuildOptions, Builder, Built};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

/// Every output of a run (static files and assets included) as path -> bytes.
fn snapshot(built: &Built) -> BTreeMap<String, Vec<u8>> {
    built
        .files
        .iter()
        .map(|f| (f.path.clone(), f.bytes.to_vec()))
        .collect()
}

fn fresh(root: &Path) -> Result<BTreeMap<String, Vec<u8>>, String> {
    let mut b = Builder::new(BuildOptions {
        root: root.to_path_buf(),
        ..Default::default()
    });
    b.run(&HashSet::new())
        .map(|built| snapshot(&built))
        .map_err(|e| e.to_string())
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // splitmix64
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn pages(root: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.path().to_path_buf())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "md")
                && !p.ends_with("_index.md")
                && !p.ends_with("_index.ko.md")
        })
        .collect();
    v.sort();
    v
}

/// Applies one random edit and returns the files it touched.
fn edit(root: &Path, rng: &mut Rng, step: usize) -> (String, Vec<PathBuf>) {
    let all = pages(root);
    let pick = all[rng.below(all.len())].clone();
    let text = std::fs::read_to_string(&pick).unwrap_or_default();
    match rng.below(11) {
        0 => {
            std::fs::write(&pick, format!("{text}\nA new paragraph {step}.\n")).expect("write");
            ("append body".into(), vec![pick])
        }
        1 => {
            std::fs::write(
                &pick,
                text.replacen("title = \"", &format!("title = \"T{step} "), 1),
            )
            .expect("write");
            ("retitle".into(), vec![pick])
        }
        2 => {
            let day = 1 + rng.below(27);
            let new = text
                .lines()
                .map(|l| {
                    if l.starts_with("date = ") {
                        format!("date = 2026-02-{day:02}")
                    } else {
                        l.to_string()
                    }
                })
                .collect::<Vec<_>>()
                .join("\n");
            std::fs::write(&pick, new + "\n").expect("write");
            ("redate".into(), vec![pick])
        }
        3 => {
            let path = root.join(format!("content/news/new-{step}.md"));
            std::fs::write(&path, format!("+++\ntitle = \"New {step}\"\ndate = 2026-03-{:02}\n[taxonomies]\ntopics = [\"Fresh {}\"]\n+++\nBody with [a link](@/news/item-1.md).\n", 1 + step % 27, step % 3)).expect("write");
            ("create".into(), vec![path])
        }
        4 if all.len() > 4 && !pick.ends_with("item-1.md") => {
            std::fs::remove_file(&pick).expect("delete");
            ("delete".into(), vec![pick])
        }
        5 if !pick.ends_with("item-1.md") => {
            let to = pick.with_file_name(format!("renamed-{step}.md"));
            std::fs::rename(&pick, &to).expect("rename");
            ("rename".into(), vec![pick, to])
        }
        6 => {
            let new = text.replacen(
                "[taxonomies]",
                &format!("[taxonomies]\nplatforms = [\"P{}\"]", step % 2),
                1,
            );
            std::fs::write(&pick, new).expect("write");
            ("retag".into(), vec![pick])
        }
        7 => {
            let tpl = root.join("templates/page.html");
            let t = std::fs::read_to_string(&tpl).expect("template");
            std::fs::write(&tpl, format!("{t}\n{{# edit {step} #}}<!-- v{step} -->"))
                .expect("write");
            ("template".into(), vec![tpl])
        }
        8 => {
            let data = root.join("data/helplines.toml");
            let text = std::fs::read_to_string(&data).expect("data");
            let new: Vec<String> = text
                .lines()
                .map(|l| {
                    if l.starts_with("phone = ") {
                        format!("phone = \"13{step:02}\"")
                    } else {
                        l.to_string()
                    }
                })
                .collect();
            std::fs::write(&data, new.join("\n") + "\n").expect("write");
            ("data".into(), vec![data])
        }
        9 => {
            let ko = pick.with_extension("").with_extension("ko.md");
            if ko.exists() {
                std::fs::remove_file(&ko).expect("delete");
            } else if !pick.to_string_lossy().ends_with(".ko.md") {
                std::fs::write(
                    &ko,
                    format!("+++\ntitle = \"번역 {step}\"\n+++\n본문이에요.\n"),
                )
                .expect("write");
            }
            ("translation".into(), vec![ko])
        }
        _ => {
            // A broken file, then the same file fixed in the next step of the loop.
            std::fs::write(&pick, "+++\ntitle = \"broken\n+++\n").expect("write");
            ("break".into(), vec![pick])
        }
    }
}

fn run_sequence(seed: u64, steps: usize) {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lists"),
        root,
    );
    let mut builder = Builder::new(BuildOptions {
        root: root.to_path_buf(),
        ..Default::default()
    });
    builder.run(&HashSet::new()).expect("first build");
    let mut rng = Rng(seed);
    let mut broken: Vec<(PathBuf, String)> = Vec::new();
    for step in 0..steps {
        // Repair whatever the previous step broke.
        let mut dirty: HashSet<PathBuf> = HashSet::new();
        for (path, text) in broken.drain(..) {
            std::fs::write(&path, text).expect("repair");
            dirty.insert(path);
        }
        let all = pages(root);
        let before: Vec<(PathBuf, String)> = all
            .iter()
            .map(|p| (p.clone(), std::fs::read_to_string(p).unwrap_or_default()))
            .collect();
        let (what, touched) = edit(root, &mut rng, step);
        if what == "break" {
            broken = before
                .into_iter()
                .filter(|(p, _)| touched.contains(p))
                .collect();
        }
        dirty.extend(touched);
        let warm = builder
            .run(&dirty)
            .map(|b| snapshot(&b))
            .map_err(|e| e.to_string());
        let cold = fresh(root);
        match (&warm, &cold) {
            (Ok(w), Ok(c)) => {
                let w_keys: Vec<&String> = w.keys().collect();
                let c_keys: Vec<&String> = c.keys().collect();
                assert_eq!(
                    w_keys, c_keys,
                    "seed {seed} step {step} ({what}): different files"
                );
                for (path, bytes) in c {
                    assert!(
                        w[path] == *bytes,
                        "seed {seed} step {step} ({what}): {path} differs\nwarm:\n{}\ncold:\n{}",
                        String::from_utf8_lossy(&w[path]),
                        String::from_utf8_lossy(bytes)
                    );
                }
            }
            (Err(w), Err(c)) => {
                assert_eq!(w, c, "seed {seed} step {step} ({what}): different errors")
            }
            _ => panic!(
                "seed {seed} step {step} ({what}): warm {:?} vs cold {:?}",
                warm.as_ref().err(),
                cold.as_ref().err()
            ),
        }
    }
}

#[test]
fn random_edit_sequences_match_fresh_builds() {
    for seed in [1, 2, 3, 4, 5, 6] {
        run_sequence(seed, 25);
    }
}
