//! `lantern init DIR`: a new site that builds at once with the built-in theme.

use std::path::Path;

const CONFIG: &str = r#"# Lantern site settings. Every key is documented in Lantern's README.
title = "My awareness site"
description = "Plain-language explainers."
base_url = "https://example.org/"
default_language = "en"
# theme: leave unset to use the theme built into Lantern.

[languages.en]
name = "English"
"#;

const HOME: &str = r#"+++
title = "Welcome"
description = "What this site is for."
+++

This site explains one thing at a time, in plain words. Start with the
[sample page](@/hello.md).
"#;

const PAGE: &str = r#"+++
title = "A sample explainer"
description = "Replace this page with your own."
date = 2026-01-01
reviewed = 2026-01-01
review_interval = "12 months"
audience = ["parents", "teachers"]

[[sources]]
title = "Name of a source"
publisher = "Who published it"
date = "2026"
+++

Write the first paragraph here: it becomes the summary in lists.

<!-- more -->

## What to know

> [!TIP]
> Keep sentences short. One idea per paragraph.
"#;

/// Creates the site. Refuses a folder that already has files in it.
pub fn init(dir: &Path) -> Result<(), String> {
    if dir.exists()
        && std::fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(format!(
            "{} already exists and is not empty; choose a new folder",
            dir.display()
        ));
    }
    let write = |rel: &str, text: &str| -> Result<(), String> {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
    };
    write("lantern.toml", CONFIG)?;
    write("content/_index.md", HOME)?;
    write("content/hello.md", PAGE)?;
    write(".gitignore", "/site/\n")?;
    Ok(())
}
