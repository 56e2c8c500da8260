//! `lantern init DIR`: a complete small site that builds at once with the built-in theme:
//! configuration, a home page and one explainer in English and Korean, a data file, the
//! chosen host's deploy file (GitHub Pages workflow, `netlify.toml` or a Cloudflare Pages
//! note), the script those run to install a pinned Lantern release, and a README on
//! deploying.

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

# The header's menu: pages by their file, in every language.
[[menus.main]]
path = "@/guides/_index.md"
weight = 10

# Who runs the site, shown in the footer and the accessibility and privacy statements.
# [organisation]
# name = "Your organisation"
# logo = "logo.svg"          # a file in static/
# email = "hello@example.org"
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

/// `.lantern/install.sh`: downloads the Lantern release this site is pinned to, checks
/// its SHA-256 and puts it in `.lantern/bin/`, so no host has to compile Lantern. Every
/// host's build runs it. `@VERSION@` and `@RELEASES@` are filled in by `init`; each
/// `LANTERN_*` variable can be set from outside (CI tests it against a local server).
const INSTALL_SH: &str = r#"#!/usr/bin/env bash
# Installs the Lantern release this site is built with into .lantern/bin/, after checking
# the archive's SHA-256 checksum. Written by `lantern init`; the deploy workflow or host
# runs it before building. To move to a newer Lantern, change the version below.
set -euo pipefail

version="${LANTERN_VERSION:-@VERSION@}"
# To pin the archive itself, put its SHA-256 here; left empty, the checksum published
# beside the release archive is checked.
sha256="${LANTERN_SHA256:-}"
releases="${LANTERN_RELEASES:-@RELEASES@}"
dest="${LANTERN_DIR:-.lantern/bin}"

if [ -z "${LANTERN_TARGET:-}" ]; then
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) LANTERN_TARGET=x86_64-unknown-linux-musl ;;
    Linux-aarch64 | Linux-arm64) LANTERN_TARGET=aarch64-unknown-linux-musl ;;
    Darwin-x86_64) LANTERN_TARGET=x86_64-apple-darwin ;;
    Darwin-arm64) LANTERN_TARGET=aarch64-apple-darwin ;;
    *)
      echo "error: there is no Lantern release for $(uname -s) $(uname -m)" >&2
      exit 1
      ;;
  esac
fi
name="lantern-v${version}-${LANTERN_TARGET}"

if [ -x "$dest/lantern" ] && "$dest/lantern" --version | grep -q "^lantern ${version} "; then
  echo "Lantern ${version} is already in ${dest}"
  exit 0
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fetch() {
  curl --fail --location --silent --show-error --retry 3 --output "$2" "$1"
}
fetch "${releases}/v${version}/${name}.tar.gz" "${tmp}/${name}.tar.gz"
if [ -z "$sha256" ]; then
  fetch "${releases}/v${version}/${name}.tar.gz.sha256" "${tmp}/${name}.tar.gz.sha256"
  sha256="$(cut -d ' ' -f 1 "${tmp}/${name}.tar.gz.sha256")"
fi
if command -v sha256sum >/dev/null 2>&1; then
  actual="$(sha256sum "${tmp}/${name}.tar.gz" | cut -d ' ' -f 1)"
else
  actual="$(shasum -a 256 "${tmp}/${name}.tar.gz" | cut -d ' ' -f 1)"
fi
if [ "$actual" != "$sha256" ]; then
  echo "error: ${name}.tar.gz has SHA-256 ${actual}, expected ${sha256}: not installed" >&2
  exit 1
fi
tar -xzf "${tmp}/${name}.tar.gz" -C "$tmp"
mkdir -p "$dest"
cp "${tmp}/${name}/lantern" "${dest}/lantern"
chmod 755 "${dest}/lantern"
"${dest}/lantern" --version
"#;

/// Where release archives are downloaded from: the repository's GitHub releases.
const RELEASES: &str = concat!(env!("CARGO_PKG_REPOSITORY"), "/releases/download");

/// `.github/workflows/pages.yml`. Needs no repository variable: the Pages address comes
/// from `configure-pages`, and Lantern from `.lantern/install.sh`.
const GITHUB_WORKFLOW: &str = r#"# Builds the site with the Lantern release pinned in .lantern/install.sh (checksum
# verified, cached) and publishes it to GitHub Pages on every push to main.
# Once, in the repository: Settings > Pages > Build and deployment > Source: GitHub Actions.
name: Deploy to GitHub Pages
on:
  push:
    branches: [main]
  workflow_dispatch:
permissions: {}
concurrency:
  group: pages
  cancel-in-progress: false
jobs:
  build:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
        with:
          persist-credentials: false
      - id: pages
        uses: actions/configure-pages@983d7736d9b0ae728b81ab479565c72886d7745b # v5.0.0
      - name: Cache Lantern
        uses: actions/cache@5a3ec84eff668545956fd18022155c47e93e2684 # v4.2.3
        with:
          path: .lantern/bin
          key: lantern-${{ runner.os }}-${{ runner.arch }}-${{ hashFiles('.lantern/install.sh') }}
      - name: Install Lantern
        run: bash .lantern/install.sh
      - name: Check the site
        # Runs `lantern check` once the pinned Lantern has it; skipped before that.
        run: |
          if .lantern/bin/lantern check --help >/dev/null 2>&1; then
            .lantern/bin/lantern check
          fi
      - name: Build
        run: .lantern/bin/lantern build --base-url "${BASE_URL}/"
        env:
          BASE_URL: ${{ steps.pages.outputs.base_url }}
      - uses: actions/upload-pages-artifact@56afc609e74202658d3ffba0e8f6dda462b719fa # v3.0.1
        with:
          path: site
  deploy:
    needs: build
    runs-on: ubuntu-latest
    permissions:
      pages: write
      id-token: write
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: actions/deploy-pages@d6db90164ac5ed86f2b6aed7e0febac5b3c0c03e # v4.0.5
"#;

/// `netlify.toml`: production builds for the site's Netlify address (`URL`), previews
/// for their own (`DEPLOY_PRIME_URL`).
const NETLIFY_TOML: &str = r#"# Netlify builds the site with the Lantern release pinned in .lantern/install.sh
# (checksum verified) and publishes site/.
[build]
  command = "bash .lantern/install.sh && .lantern/bin/lantern build --base-url \"$URL/\""
  publish = "site"

# Deploy previews and branch deploys live at their own address.
[context.deploy-preview]
  command = "bash .lantern/install.sh && .lantern/bin/lantern build --base-url \"$DEPLOY_PRIME_URL/\""

[context.branch-deploy]
  command = "bash .lantern/install.sh && .lantern/bin/lantern build --base-url \"$DEPLOY_PRIME_URL/\""
"#;

/// `CLOUDFLARE-PAGES.md`: Cloudflare Pages reads its build settings from the dashboard,
/// not from a file, so this says what to enter.
const CLOUDFLARE_NOTE: &str = r#"# Publishing on Cloudflare Pages

Cloudflare Pages takes its build settings from its dashboard. Once:

1. Workers & Pages > Create > Pages > Connect to Git, and choose this repository.
2. Framework preset: **None**.
3. Build command: `bash .lantern/install.sh && .lantern/bin/lantern build`
4. Build output directory: `site`
5. Set `base_url` in `lantern.toml` to the site's address (`https://PROJECT.pages.dev/`
   or your own domain).

The build command downloads the Lantern release pinned in `.lantern/install.sh`, checks
its SHA-256 checksum, and builds. Lantern writes `_headers` (a strict
Content-Security-Policy, `Referrer-Policy: no-referrer`) and `_redirects` (every alias),
which Cloudflare Pages reads.
"#;

/// Where the site will be published: decides which deploy file `init` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Host {
    GitHub,
    Netlify,
    Cloudflare,
}

impl Host {
    /// The host's deploy file: (path in the site, text).
    fn deploy_file(self) -> (&'static str, &'static str) {
        match self {
            Host::GitHub => (".github/workflows/pages.yml", GITHUB_WORKFLOW),
            Host::Netlify => ("netlify.toml", NETLIFY_TOML),
            Host::Cloudflare => ("CLOUDFLARE-PAGES.md", CLOUDFLARE_NOTE),
        }
    }

    /// The README's paragraph on publishing to this host.
    fn readme_deploying(self) -> &'static str {
        match self {
            Host::GitHub => {
                "- **GitHub Pages**: `.github/workflows/pages.yml` builds and publishes on every push\n  to `main`. Once, in the repository: Settings > Pages > Source: \"GitHub Actions\".\n  Project sites live under a sub-path (`https://org.github.io/repo/`); the workflow\n  passes that address as `--base-url`.\n"
            }
            Host::Netlify => {
                "- **Netlify**: `netlify.toml` has the build command and publish folder: connect the\n  repository in Netlify and deploy. Previews are built for their own address.\n"
            }
            Host::Cloudflare => {
                "- **Cloudflare Pages**: enter the settings in `CLOUDFLARE-PAGES.md` once in the\n  Cloudflare dashboard.\n"
            }
        }
    }
}

/// The install script with this Lantern's version and release address filled in.
fn install_script() -> String {
    INSTALL_SH
        .replace("@VERSION@", env!("CARGO_PKG_VERSION"))
        .replace("@RELEASES@", RELEASES)
}

const README: &str = r#"# My awareness site

Built with Lantern. `lantern build` writes the finished site to `site/`.

## Editing
Pages are Markdown files in `content/`; `name.ko.md` is the Korean version of `name.md`.
`lantern new guides/my-topic.md` starts a new explainer from the archetype.
`lantern translations` lists translations that are missing or behind their source.

## Deploying
The host downloads the Lantern release named in `.lantern/install.sh`, checks its
SHA-256 checksum and builds: nothing is compiled, and no setting is needed beyond the
one below. To move to a newer Lantern, change `version` in that file.

@HOST@- **Any web server**: run `lantern build` and copy `site/` to the server's document
  root. Serve `404.html` for missing pages. Lantern also writes `_headers` (a strict
  Content-Security-Policy, `Referrer-Policy: no-referrer`) and `_redirects` (every
  alias), which Netlify and Cloudflare Pages read.
"#;

/// Creates the site, with the deploy file for `host`. Refuses a folder that already has
/// files in it.
pub fn init(dir: &Path, host: Host) -> Result<(), String> {
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
    write(".lantern/install.sh", &install_script())?;
    let (deploy_path, deploy_text) = host.deploy_file();
    write(deploy_path, deploy_text)?;
    write(
        "README.md",
        &README.replace("@HOST@", host.readme_deploying()),
    )?;
    write(
        ".gitignore",
        "/site/\n/.site.staging-*\n/.site.lantern-manifest\n/.site.lantern-lock\n/.lantern/bin/\n/.lantern-cache/\n",
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
