//! The settings of `lantern.toml` that the theme shows: who runs the site
//! (`[organisation]`), menus (`[[menus.main]]`), the quick exit (`[quick_exit]`), which
//! help lines to list (`[helplines]`) and the generated statements (`[statements]`).
//! Each but the last may be overridden per language under `[languages.xx]`.
//!
//! [`localise`] merges them for every language once the site is routed, resolves every
//! `@/` menu path in that language's tree and checks the logo file, so a broken menu is a
//! build error that points into `lantern.toml`, not a page that silently links nowhere.
//! Templates read the result as `localised[lang]`.

use crate::dates::Date;
use crate::diagnostics::Diagnostic;
use crate::model::{LinkError, Site};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// Who runs the site. Every field is optional in `[languages.xx.organisation]`, where it
/// replaces the field of `[organisation]` for that language.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    pub name: Option<String>,
    /// A file in `static/` (e.g. `logo.svg`), shown beside the site's name.
    pub logo: Option<String>,
    pub email: Option<String>,
    /// Postal address; line breaks are kept.
    pub address: Option<String>,
    pub phone: Option<String>,
    /// A charity or company registration number, shown as written.
    pub registration: Option<String>,
    /// Who pays for the site, in a sentence.
    pub funding: Option<String>,
}

impl Organisation {
    /// This organisation with the fields `over` sets replaced.
    fn overlaid(&self, over: Option<&Organisation>) -> Organisation {
        let Some(o) = over else {
            return self.clone();
        };
        let pick = |a: &Option<String>, b: &Option<String>| b.clone().or_else(|| a.clone());
        Organisation {
            name: pick(&self.name, &o.name),
            logo: pick(&self.logo, &o.logo),
            email: pick(&self.email, &o.email),
            address: pick(&self.address, &o.address),
            phone: pick(&self.phone, &o.phone),
            registration: pick(&self.registration, &o.registration),
            funding: pick(&self.funding, &o.funding),
        }
    }

    fn is_empty(&self) -> bool {
        *self == Organisation::default()
    }
}

/// One menu link: a content file by its `@/` path, ordered by `weight` (then as written).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct MenuEntry {
    pub path: String,
    #[serde(default)]
    pub weight: i64,
    /// The link text; without it, the target's title in the reader's language.
    #[serde(default)]
    pub name: Option<String>,
}

/// Menus by name (`main` is the header's, `footer` the footer's).
pub type Menus = BTreeMap<String, Vec<MenuEntry>>;

/// The "Exit this page" link. `[languages.xx.quick_exit]` may set either field.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct QuickExit {
    /// Show the link and its Shift-three-times script (default: yes).
    #[serde(default)]
    pub enabled: Option<bool>,
    /// Where it goes: a neutral page in the reader's language. Default: the theme's
    /// `quick_exit_url` UI string (BBC Weather in English, the Korea Meteorological
    /// Administration's forecast in Korean).
    #[serde(default)]
    pub url: Option<String>,
}

/// Which lines of `data/helplines.toml` the help box lists.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Helplines {
    /// ISO 3166-1 codes (`["KR"]`); empty or unset lists every line.
    #[serde(default)]
    pub countries: Option<Vec<String>>,
}

/// Facts the generated accessibility and privacy statements state.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Statements {
    /// When the statements were last reviewed (shown on both; omitted when unset).
    #[serde(default)]
    pub date: Option<Date>,
    /// Who hosts the site ("GitHub Pages"), named where the privacy statement says what
    /// the host may log.
    #[serde(default)]
    pub host: Option<String>,
}

/// The overridable settings of one language, as written under `[languages.xx]`.
#[derive(Debug, Clone, Default)]
pub struct Overrides<'a> {
    pub organisation: Option<&'a Organisation>,
    pub menus: Option<&'a Menus>,
    pub quick_exit: Option<&'a QuickExit>,
    pub helplines: Option<&'a Helplines>,
}

/// What the theme shows in one language: the global `localised[lang]`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Localised {
    /// Absent when no field is set.
    pub organisation: Option<Organisation>,
    /// The logo's URL.
    pub logo_url: Option<String>,
    pub menus: BTreeMap<String, Vec<MenuLink>>,
    pub quick_exit: bool,
    /// `None`: the theme's default for the language.
    pub quick_exit_url: Option<String>,
    /// Empty: every country.
    pub helpline_countries: Vec<String>,
    /// The `[[helpline]]` entries of `data/helplines.toml` for those countries, as written
    /// (extra fields such as `url` are kept for the theme).
    pub helplines: Vec<serde_json::Value>,
    /// Links to the accessibility and privacy statements in this language (a content
    /// page at `accessibility.md` / `privacy.md` if there is one, else the generated page).
    pub accessibility_path: String,
    pub privacy_path: String,
    /// Site-relative paths (like `current_path`) of the same two pages.
    pub accessibility_url_path: String,
    pub privacy_url_path: String,
    /// Site-relative path of the language's home page: a menu link to it is current only
    /// on the home page itself.
    pub home_url_path: String,
    /// The language's home has an Atom feed (`atom.xml`) to link to.
    pub feed: bool,
}

/// A resolved menu entry.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MenuLink {
    pub name: String,
    /// Link target including the site's sub-path.
    pub path: String,
    /// Site-relative path, comparable with `current_path`.
    pub url_path: String,
}

/// The names of the generated statements: (content file that replaces it, URL folder).
pub const STATEMENTS: [(&str, &str); 2] = [
    ("accessibility.md", "accessibility"),
    ("privacy.md", "privacy"),
];

/// Settings per language code. `config_path` and `config_text` are for messages;
/// `static_file_exists` says whether a file is in some layer's `static/`.
pub fn localise(
    site: &Site,
    data: &serde_json::Value,
    config_path: &Path,
    config_text: &str,
    static_file_exists: &dyn Fn(&str) -> bool,
) -> Result<BTreeMap<String, Localised>, Vec<Diagnostic>> {
    let config = &site.config;
    let base = site.urls.base_path().to_string();
    let mut problems = Vec::new();
    let mut out = BTreeMap::new();
    for lang in config.language_codes() {
        let over = config
            .languages
            .get(&lang)
            .map(|l| l.overrides())
            .unwrap_or_default();
        let organisation = config.organisation.overlaid(over.organisation);
        let logo_url = organisation.logo.as_ref().map(|logo| {
            if !static_file_exists(logo) {
                problems.push(at_value(
                    config_path,
                    config_text,
                    logo,
                    format!("the organisation's logo `{logo}` is not a file in static/"),
                ));
            }
            format!("{base}{}", logo.trim_start_matches('/'))
        });
        if !organisation.is_empty() && organisation.name.is_none() {
            problems.push(at_value(
                config_path,
                config_text,
                "organisation",
                format!("[organisation] has no `name` for language `{lang}`"),
            ));
        }
        let mut menus = config.menus.clone();
        if let Some(own) = over.menus {
            menus.extend(own.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        let menus = menus
            .into_iter()
            .map(|(name, entries)| {
                let links = resolve_menu(site, &lang, &entries, &mut |entry, why| {
                    problems.push(at_value(
                        config_path,
                        config_text,
                        &entry.path,
                        format!("menu `{name}` ({lang}): {why}"),
                    ));
                });
                (name, links)
            })
            .collect();
        let quick_exit = QuickExit {
            enabled: over
                .quick_exit
                .and_then(|q| q.enabled)
                .or(config.quick_exit.enabled),
            url: over
                .quick_exit
                .and_then(|q| q.url.clone())
                .or_else(|| config.quick_exit.url.clone()),
        };
        if let Some(url) = &quick_exit.url
            && !(url.starts_with("https://") || url.starts_with("http://"))
        {
            problems.push(at_value(
                config_path,
                config_text,
                url,
                format!("the quick exit address `{url}` must start with https:// or http://"),
            ));
        }
        let countries = over
            .helplines
            .and_then(|h| h.countries.clone())
            .or_else(|| config.helplines.countries.clone())
            .unwrap_or_default();
        let [accessibility, privacy] =
            STATEMENTS.map(|(file, folder)| statement_path(site, &lang, file, folder));
        let home_url_path = home_of(site, &lang).to_string();
        let feed = site.has_home_feed(&lang);
        out.insert(
            lang,
            Localised {
                organisation: (!organisation.is_empty()).then_some(organisation),
                logo_url,
                menus,
                quick_exit: quick_exit.enabled.unwrap_or(true),
                quick_exit_url: quick_exit.url,
                helplines: helplines_for(data, &countries),
                helpline_countries: countries,
                accessibility_path: format!("{base}{}", &accessibility[1..]),
                privacy_path: format!("{base}{}", &privacy[1..]),
                accessibility_url_path: accessibility,
                privacy_url_path: privacy,
                home_url_path,
                feed,
            },
        );
    }
    if problems.is_empty() {
        return Ok(out);
    }
    // A setting shared by every language is wrong in each: say so once.
    problems.sort_by_key(|d| d.to_string());
    problems.dedup();
    Err(problems)
}

/// A menu's links in `lang`, by weight then as written; `report` hears of each entry
/// that does not resolve.
fn resolve_menu(
    site: &Site,
    lang: &str,
    entries: &[MenuEntry],
    report: &mut dyn FnMut(&MenuEntry, String),
) -> Vec<MenuLink> {
    let base = site.urls.base_path().to_string();
    let mut sorted: Vec<&MenuEntry> = entries.iter().collect();
    sorted.sort_by_key(|e| e.weight);
    let mut links = Vec::new();
    for entry in sorted {
        let Some(rest) = entry.path.strip_prefix("@/") else {
            report(
                entry,
                format!(
                    "`{}` is not an `@/` path to a content file (like `@/guides/_index.md`)",
                    entry.path
                ),
            );
            continue;
        };
        match site.resolve_link(lang, rest) {
            Ok(i) => {
                let url_path = site.items[i].url_path.clone();
                let name = entry.name.clone().unwrap_or_else(|| {
                    site.doc(i)
                        .front
                        .title
                        .clone()
                        .unwrap_or_else(|| site.items[i].slug.clone())
                });
                links.push(MenuLink {
                    name,
                    path: format!("{base}{}", &url_path[1..]),
                    url_path,
                });
            }
            Err(LinkError::TargetFailedToLoad) => {}
            Err(LinkError::Missing(why)) => report(entry, why),
        }
    }
    links
}

/// The help lines of `data/helplines.toml` in `countries` (all when empty).
fn helplines_for(data: &serde_json::Value, countries: &[String]) -> Vec<serde_json::Value> {
    let lines = data
        .get("helplines")
        .and_then(|h| h.get("helpline"))
        .and_then(|l| l.as_array());
    lines
        .into_iter()
        .flatten()
        .filter(|line| {
            countries.is_empty()
                || line
                    .get("country")
                    .and_then(|c| c.as_str())
                    .is_some_and(|c| countries.iter().any(|x| x.eq_ignore_ascii_case(c)))
        })
        .cloned()
        .collect()
}

/// Site-relative path of a statement in `lang`: the content page if the site has one,
/// else the generated page below the language's home.
pub fn statement_path(site: &Site, lang: &str, file: &str, folder: &str) -> String {
    if let Ok(i) = site.resolve_link(lang, file) {
        return site.items[i].url_path.clone();
    }
    format!("{}{folder}/", home_of(site, lang))
}

/// Site-relative path of a language's home page.
fn home_of<'a>(site: &'a Site, lang: &str) -> &'a str {
    site.roots
        .get(lang)
        .map_or("/", |&r| site.items[r].url_path.as_str())
}

/// A message pointing at the first place `value` is written as a TOML string (or, failing
/// that, a key of that name).
fn at_value(path: &Path, text: &str, value: &str, message: String) -> Diagnostic {
    let quoted = [format!("\"{value}\""), format!("'{value}'")];
    let found = quoted
        .iter()
        .find_map(|q| text.find(q.as_str()).map(|at| (at + 1, value.len())))
        .or_else(|| crate::diagnostics::find_key(text, value).map(|at| (at, value.len())));
    match found {
        Some((offset, len)) => Diagnostic::at_offset(path, text, offset, len, message),
        None => Diagnostic::in_file(path, message),
    }
}
