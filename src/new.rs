//! `lantern new guides/dead-drops.md`: a new page from an archetype.
//!
//! Archetype lookup: `archetypes/<section>.md`, then `archetypes/default.md` in the site,
//! then in `themes/<theme>/`, then the built-in theme. `{{ title }}` becomes a title made
//! from the file name and `{{ date }}` today's date: the only place Lantern reads the
//! clock, because a person is creating the page now.

use crate::config::Config;
use std::path::{Component, Path, PathBuf};

/// Creates the page and returns its path. Never overwrites.
pub fn new_page(root: &Path, rel: &str, today: jiff::civil::Date) -> Result<PathBuf, String> {
    let config =
        Config::load(root).map_err(|ds| ds.iter().map(|d| d.to_string()).collect::<String>())?;
    // `guides\topic.md` as typed on Windows is the same page everywhere.
    let rel = rel.replace('\\', "/");
    let rel = rel.trim_start_matches("./").trim_start_matches("content/");
    let rel_path = Path::new(rel);
    if !rel.ends_with(".md")
        || rel_path
            .components()
            .any(|c| !matches!(c, Component::Normal(_)))
    {
        return Err(format!(
            "`{rel}` must be a path below content/ ending in .md, like guides/dead-drops.md"
        ));
    }
    let path = root.join("content").join(rel_path);
    if path.exists() {
        return Err(format!(
            "{} already exists; lantern new never overwrites a page",
            path.display()
        ));
    }
    let archetype = find_archetype(root, &config, rel_path)?;
    let stem = rel_path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = stem.split('.').next().unwrap_or(&stem).to_string();
    let text = archetype
        .replace("{{ title }}", &title_from_slug(&stem))
        .replace("{{ date }}", &today.to_string());
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()))
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}

fn find_archetype(root: &Path, config: &Config, rel: &Path) -> Result<String, String> {
    let section = rel
        .components()
        .next()
        .filter(|_| rel.components().count() > 1);
    let mut names = Vec::new();
    if let Some(s) = section {
        names.push(format!("{}.md", s.as_os_str().to_string_lossy()));
    }
    names.push("default.md".into());
    for name in &names {
        let files = crate::theme::layered_files(
            root,
            config,
            "archetypes",
            "archetypes",
            crate::load::input::MAX_TEXT_BYTES,
        )
        .map_err(|ds| ds.iter().map(|d| d.to_string()).collect::<String>())?;
        if let Some(f) = files.iter().rev().find(|f| &f.name == name) {
            return Ok(String::from_utf8_lossy(&f.bytes).into_owned());
        }
    }
    Err("no archetype found (archetypes/default.md)".into())
}

/// `dead-drops` -> `Dead drops`.
fn title_from_slug(slug: &str) -> String {
    let words = slug.replace(['-', '_'], " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::title_from_slug;

    #[test]
    fn titles_from_file_names() {
        assert_eq!(title_from_slug("dead-drops"), "Dead drops");
        assert_eq!(title_from_slug("던지기"), "던지기");
    }
}
