//! `lantern init DIR`: a complete small site that builds at once with the built-in theme:
//! configuration, a home page and one explainer in English and Korean, a data file, a
//! GitHub Pages workflow and a README on deploying.

use std::path::Path;

const CONFIG: &str = r#"# Lantern site settings. Every key is documented in Lantern's README.
title = "My awareness site"
description = "Plain-language explainers."
base_url = "https://example.org/"
default_language = "en"
review_interval = "12 months"
taxonomies = [{ name = "topics", feed = true }]
# theme: leave unset to use the theme built into Lantern.

[languages.en]
name = "English"

[languages.ko]
name = "한국어"
title = "나의 안내 사이트"
"#;

const HOME: &str = r#"+++
title = "Welcome"
description = "What this site is for."
+++

This site explains one thing at a time, in plain words. Start with
[the first explainer](@/guides/first-explainer.md).
"#;

const HOME_KO: &str = r#"+++
title = "환영합니다"
description = "이 사이트가 하는 일."
+++

이 사이트는 한 번에 한 가지를 쉬운 말로 설명해요.
[첫 번째 안내](@/guides/first-explainer.md)부터 읽어 보세요.
"#;

const GUIDES: &str =
    "+++\ntitle = \"Guides\"\nsort_by = \"weight\"\n+++\n\nEvery explainer on this site.\n";
const GUIDES_KO: &str =
    "+++\ntitle = \"안내\"\nsort_by = \"weight\"\n+++\n\n이 사이트의 모든 안내예요.\n";

const PAGE: &str = r#"+++
title = "A first explainer"
description = "Replace this page with your own."
date = {TODAY}
reviewed = {TODAY}
review_interval = "12 months"
audience = ["parents", "teachers"]

[taxonomies]
topics = ["getting started"]

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

const PAGE_KO_BODY: &str = r#"
첫 문단을 여기에 써요. 목록에서는 이 문단이 요약으로 보여요.

<!-- more -->

## 알아 둘 점

> [!TIP]
> 문장은 짧게 써요. 한 문단에는 한 가지 생각만 담아요.
"#;

const DATA: &str = r#"# Helplines the theme can show. Add your country: copy a [[helpline]] block.
[[helpline]]
country = "KR"
name_en = "Drug counselling line"
name_ko = "마약류 상담전화"
phone = "1342"
hours_en = "24 hours"
hours_ko = "24시간"
free = true
confidential = true
"#;

const WORKFLOW: &str = r#"# Builds the site and publishes it to GitHub Pages on every push to main.
name: Deploy to GitHub Pages
on:
  push:
    branches: [main]
permissions:
  contents: read
  pages: write
  id-token: write
concurrency:
  group: pages
  cancel-in-progress: true
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - id: pages
        uses: actions/configure-pages@v5
      # Install Lantern the way your organisation does: `cargo install --locked --path`
      # from a checkout of Lantern, or a released binary.
      - run: cargo install --locked --git "$LANTERN_GIT" lantern
        env:
          LANTERN_GIT: ${{ vars.LANTERN_GIT }}
      # The gate: broken links, overdue reviews, missing sources, privacy and
      # accessibility problems stop the deploy (`lantern check --list` shows every rule).
      - run: lantern check
      - run: lantern build --base-url "${{ steps.pages.outputs.base_url }}/"
      - uses: actions/upload-pages-artifact@v3
        with:
          path: site
  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"#;

const README: &str = r#"# My awareness site

Built with Lantern. `lantern build` writes the finished site to `site/`.

## Editing
Pages are Markdown files in `content/`; `name.ko.md` is the Korean version of `name.md`.
`lantern new guides/my-topic.md` starts a new explainer from the archetype.
`lantern translations` lists translations that are missing or behind their source.

## Deploying
- **GitHub Pages**: `.github/workflows/pages.yml` builds and publishes on every push
  (set the repository variable `LANTERN_GIT` to where Lantern can be installed from, and
  choose "GitHub Actions" as the Pages source). Project sites live under a sub-path
  (`https://org.github.io/repo/`); the workflow passes that address as `--base-url`.
- **Netlify / Cloudflare Pages**: build command `lantern build`, publish folder `site`.
  Lantern writes `_headers` (a strict Content-Security-Policy, `Referrer-Policy:
  no-referrer`) and `_redirects` (every alias), which both hosts read.
- **Any web server**: copy `site/` to the server's document root. Serve `404.html`
  for missing pages.
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
    write("content/_index.ko.md", &with_translation_of(HOME_KO, HOME))?;
    write("content/guides/_index.md", GUIDES)?;
    write(
        "content/guides/_index.ko.md",
        &with_translation_of(GUIDES_KO, GUIDES),
    )?;
    // The pages are dated the day `init` runs, so a new site passes `lantern check` (which
    // the workflow runs before deploying) for a full review interval, whatever the date.
    let today = jiff::Zoned::now().date().to_string();
    let page = PAGE.replace("{TODAY}", &today);
    write("content/guides/first-explainer.md", &page)?;
    let page_ko = format!(
        "+++\ntitle = \"첫 번째 안내\"\ndescription = \"이 페이지를 여러분의 글로 바꾸세요.\"\ndate = {{TODAY}}\nreviewed = {{TODAY}}\naudience = [\"부모\", \"교사\"]\n\n[taxonomies]\ntopics = [\"시작하기\"]\n+++\n{PAGE_KO_BODY}"
    )
    .replace("{TODAY}", &today);
    write(
        "content/guides/first-explainer.ko.md",
        &with_translation_of(&page_ko, &page),
    )?;
    write("data/helplines.toml", DATA)?;
    write(".github/workflows/pages.yml", WORKFLOW)?;
    write("README.md", README)?;
    write(
        ".gitignore",
        "/site/\n/.site.staging-*\n/.site.lantern-manifest\n/.site.lantern-lock\n",
    )?;
    Ok(())
}

/// Records that `translation` is current with `source`, as `lantern translations
/// --mark-current` would.
fn with_translation_of(translation: &str, source: &str) -> String {
    let digest = match crate::load::frontmatter::parse(Path::new("source.md"), source) {
        Ok(split) => crate::translations::digest(
            split.front.title.as_deref().unwrap_or(""),
            &source[split.body_start..],
        ),
        Err(_) => return translation.to_string(),
    };
    crate::translations::set_front_matter_line(translation, "translation_of", &digest)
}
