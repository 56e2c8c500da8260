//! Functions and filters templates can call, and the [`Env`] they read. They live in
//! `render` beside the views they return; the engine (`crate::templates`) only gets a
//! registrar. None of them can read the clock: a page must never show "today" (a stale
//! "updated today" misleads readers about review dates).

use crate::i18n::I18n;
use crate::images::resize::{self, Resize};
use crate::load::DocKind;
use crate::load::input::{Boundary, InputError};
use crate::markdown;
use crate::model::Site;
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};
use tera::{Error, Kwargs, State, TeraResult, Value};

/// What template functions can see.
pub struct Env {
    pub site: Arc<Site>,
    /// What each render fetched with `get_page`/`get_section`, by `current_path`:
    /// the dependencies the next incremental build checks.
    pub deps: Mutex<HashMap<String, Vec<(String, String)>>>,
    /// Files read by `load_data` (their contents join the next build's fingerprint).
    pub reads: Mutex<Vec<PathBuf>>,
    pub views: Arc<super::Views>,
    pub i18n: Arc<I18n>,
    pub root: PathBuf,
    /// The published images, probed: what `resize_image` sizes its copies from.
    pub images: Arc<crate::images::Index>,
    /// The copies `resize_image` asked for, by `current_path` (see [`Env::deps`]).
    pub resizes: Mutex<HashMap<String, Vec<Resize>>>,
}

impl Env {
    /// The dependencies recorded since the last call (see [`Env::deps`]).
    pub fn take_deps(&self) -> HashMap<String, Vec<(String, String)>> {
        self.deps
            .lock()
            .map(|mut d| std::mem::take(&mut *d))
            .unwrap_or_default()
    }

    /// The copies asked for since the last call (see [`Env::resizes`]).
    pub fn take_resizes(&self) -> HashMap<String, Vec<Resize>> {
        self.resizes
            .lock()
            .map(|mut r| std::mem::take(&mut *r))
            .unwrap_or_default()
    }

    /// The files `load_data` read.
    pub fn take_reads(&self) -> Vec<PathBuf> {
        self.reads
            .lock()
            .map(|mut r| std::mem::take(&mut *r))
            .unwrap_or_default()
    }
}

pub fn register(tera: &mut tera::Tera, env: Arc<Env>) {
    let e = env.clone();
    tera.register_function("get_page", move |kw: Kwargs, st: &State| {
        get_item(&e, &kw, st, DocKind::Page)
    });
    let e = env.clone();
    tera.register_function("get_section", move |kw: Kwargs, st: &State| {
        get_item(&e, &kw, st, DocKind::Section)
    });
    let e = env.clone();
    tera.register_function("get_url", move |kw: Kwargs, st: &State| {
        get_url(&e, &kw, st)
    });
    let e = env.clone();
    tera.register_function("resize_image", move |kw: Kwargs, st: &State| {
        resize_image(&e, &kw, st)
    });
    let e = env.clone();
    tera.register_function("trans", move |kw: Kwargs, st: &State| trans(&e, &kw, st));
    let e = env.clone();
    let boundary = Boundary::new(&env.root, &env.site.config.allow_outside);
    tera.register_function("load_data", move |kw: Kwargs, _: &State| {
        let (file, value) = load_data(&e.root, &boundary, &kw)?;
        // Only files actually read are remembered (and digested by the next build).
        if let Ok(mut reads) = e.reads.lock() {
            reads.push(file);
        }
        Ok(value)
    });
    let e = env;
    tera.register_filter("date", move |v: &str, kw: Kwargs, st: &State| {
        date(&e, v, &kw, st)
    });
    tera.register_filter("markdown", |v: &str, _: Kwargs, _: &State| {
        render_markdown(v)
    });
    tera.register_filter("slugify", |v: &str, _: Kwargs, _: &State| {
        crate::slug::slugify(v)
    });
    tera.register_filter("by_audience", |v: &[Value], _: Kwargs, _: &State| {
        by_audience(v)
    });
}

/// `pages | by_audience`: the pages grouped by each value of their `audience`, in the
/// order the values first appear: `[{ name: "parents", pages: [...] }, ...]`. A page is in
/// every group it names. What the home page's "ways in" are made of.
fn by_audience(pages: &[Value]) -> Value {
    let mut groups: Vec<(String, Vec<Value>)> = Vec::new();
    for page in pages {
        let names = page
            .get_from_path("audience")
            .and_then(Value::as_array)
            .unwrap_or(&[]);
        for name in names.iter().filter_map(Value::as_str) {
            match groups.iter_mut().find(|(n, _)| n == name) {
                Some((_, list)) => list.push(page.clone()),
                None => groups.push((name.to_string(), vec![page.clone()])),
            }
        }
    }
    Value::from(
        groups
            .into_iter()
            .map(|(name, list)| {
                let mut map = tera::Map::new();
                map.insert("name".into(), Value::from(name));
                map.insert("pages".into(), Value::from(list));
                Value::from(map)
            })
            .collect::<Vec<_>>(),
    )
}

fn lang_of(env: &Env, kw: &Kwargs, st: &State) -> TeraResult<String> {
    if let Some(lang) = kw.get::<String>("lang")? {
        return Ok(lang);
    }
    Ok(st
        .get::<String>("lang")?
        .unwrap_or_else(|| env.site.config.default_language.clone()))
}

fn get_item(env: &Env, kw: &Kwargs, st: &State, kind: DocKind) -> TeraResult<Value> {
    let path: String = kw.must_get("path")?;
    let lang = lang_of(env, kw, st)?;
    let i = env
        .site
        .resolve_link(&lang, path.trim_start_matches("@/"))
        .map_err(|e| Error::message(e.to_string()))?;
    if env.site.items[i].kind != kind {
        let want = if kind == DocKind::Page {
            "page"
        } else {
            "section (an _index.md)"
        };
        return Err(Error::message(format!("`{path}` is not a {want}")));
    }
    if let (Some(current), Ok(mut deps)) = (st.get::<String>("current_path")?, env.deps.lock()) {
        let key = (env.site.doc(i).key.clone(), env.site.items[i].lang.clone());
        deps.entry(current).or_default().push(key);
    }
    Ok(env.views.full(i))
}

/// The URL of an `@/` page or a file of the site: a root path (made relative to the page
/// when the output is written, see [`crate::urls`]), or with `absolute=true` the full
/// address (canonical links, robots.txt).
fn get_url(env: &Env, kw: &Kwargs, st: &State) -> TeraResult<Value> {
    let path: String = kw.must_get("path")?;
    let absolute = kw.get::<bool>("absolute")?.unwrap_or(false);
    let url_of = |site_path: &str| {
        if absolute {
            env.site.urls.absolute(site_path)
        } else {
            env.site.urls.root(site_path)
        }
    };
    if let Some(rest) = path.strip_prefix("@/") {
        let lang = lang_of(env, kw, st)?;
        let (file, anchor) = rest
            .split_once('#')
            .map_or((rest, None), |(f, a)| (f, Some(a)));
        let i = env
            .site
            .resolve_link(&lang, file)
            .map_err(|e| Error::message(e.to_string()))?;
        let url = url_of(&env.site.items[i].url_path);
        return Ok(Value::from(match anchor {
            Some(a) => format!("{url}#{a}"),
            None => url,
        }));
    }
    if path.starts_with("http://") || path.starts_with("https://") {
        return Ok(Value::from(path));
    }
    Ok(Value::from(url_of(&format!(
        "/{}",
        path.trim_start_matches('/')
    ))))
}

/// `resize_image(path=, width=, height=, op=, format=, quality=)`: one resized copy of
/// a published image (see [`crate::images::resize`]), as `{ url, path, width, height,
/// orig_width, orig_height, srcset, sizes }`: `srcset` lists the copy and the same
/// picture at each configured width below it, all published. URLs are root paths, made
/// relative when the output is written; the copies are encoded in the second phase.
fn resize_image(env: &Env, kw: &Kwargs, st: &State) -> TeraResult<Value> {
    let number = |name: &str| -> TeraResult<Option<u32>> {
        match kw.get::<i64>(name)? {
            None => Ok(None),
            Some(n) => u32::try_from(n).map(Some).map_err(|_| {
                Error::message(format!(
                    "resize_image: `{name}` = {n} is not a size in pixels"
                ))
            }),
        }
    };
    let quality = number("quality")?.map(|q| u8::try_from(q).unwrap_or(u8::MAX));
    let args = resize::Args {
        path: kw.must_get("path")?,
        width: number("width")?,
        height: number("height")?,
        op: kw.get("op")?,
        format: kw.get("format")?,
        quality,
    };
    let (copy, probe) = resize::plan(&env.images, &args)
        .map_err(|e| Error::message(format!("resize_image: {e}")))?;
    let cfg = &env.images.config;
    let url_of = |r: &Resize| {
        let path = crate::urls::encode_path(&r.output_path(cfg.quality));
        env.site.urls.root(&format!("/{path}"))
    };
    let smaller = copy.smaller(&cfg.widths);
    let srcset: Vec<String> = smaller
        .iter()
        .chain([&copy])
        .map(|r| format!("{} {}w", url_of(r), r.width))
        .collect();
    let mut map = tera::Map::new();
    map.insert("url".into(), Value::from(url_of(&copy)));
    map.insert("path".into(), Value::from(copy.output_path(cfg.quality)));
    map.insert("width".into(), Value::from(copy.width));
    map.insert("height".into(), Value::from(copy.height));
    map.insert("orig_width".into(), Value::from(probe.width));
    map.insert("orig_height".into(), Value::from(probe.height));
    map.insert("srcset".into(), Value::from(srcset.join(", ")));
    map.insert("sizes".into(), Value::from(cfg.sizes.as_str()));
    if let (Some(current), Ok(mut all)) = (st.get::<String>("current_path")?, env.resizes.lock()) {
        let list = all.entry(current).or_default();
        list.extend(smaller);
        list.push(copy);
    }
    Ok(Value::from(map))
}

fn trans(env: &Env, kw: &Kwargs, st: &State) -> TeraResult<Value> {
    let key: String = kw.must_get("key")?;
    let lang = lang_of(env, kw, st)?;
    if let Some(text) = env.i18n.get(&lang, &key) {
        return Ok(Value::from(text));
    }
    // `default=` lets a theme label things (taxonomy names) a site may not translate.
    if let Some(default) = kw.get::<String>("default")? {
        return Ok(Value::from(default));
    }
    Err(Error::message(format!(
        "unknown translation key `{key}`: add it to i18n/{}.toml",
        env.site.config.default_language
    )))
}

/// Reads TOML, JSON, CSV or YAML from inside the site folder only (after resolving
/// symbolic links; `allow_outside` folders too), a regular file of at most 10 MB.
/// Returns the file read and its value.
fn load_data(root: &Path, boundary: &Boundary, kw: &Kwargs) -> TeraResult<(PathBuf, Value)> {
    let path: String = kw.must_get("path")?;
    let rel = Path::new(&path);
    if rel.is_absolute()
        || rel
            .components()
            .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
    {
        return Err(Error::message(format!(
            "load_data: `{path}` must be a path inside the site folder"
        )));
    }
    let file = root.join(rel);
    let text = boundary.read_text(&file).map_err(|e| {
        let hint = match e {
            InputError::Outside { .. } => {
                " (copy it into the site, or name its folder in `allow_outside` in lantern.toml)"
            }
            _ => "",
        };
        Error::message(format!("load_data: `{path}`: {e}{hint}"))
    })?;
    let ext = rel.extension().and_then(|e| e.to_str()).unwrap_or("");
    let json = crate::data::parse(rel, &text, ext)
        .map_err(|d| Error::message(format!("load_data: {}", d.to_string().trim_end())))?;
    Ok((file, Value::from_serializable(&json)))
}

/// `{{ page.date | date }}` gives "22 November 2026" / "2026년 11월 22일";
/// `date(format="%Y-%m-%d")` any strftime format.
fn date(env: &Env, v: &str, kw: &Kwargs, st: &State) -> TeraResult<String> {
    let d = crate::dates::Date::parse(v)
        .ok_or_else(|| Error::message(format!("date: `{v}` is not a date")))?;
    match kw.get::<String>("format")? {
        Some(fmt) => {
            let mut out = String::new();
            jiff::fmt::strtime::format(fmt.as_str(), d.0)
                .map(|s| out.push_str(&s))
                .map_err(|e| Error::message(format!("date: bad format `{fmt}`: {e}")))?;
            Ok(out)
        }
        None => Ok(crate::dates::format_long(d.date(), &lang_of(env, kw, st)?)),
    }
}

fn render_markdown(v: &str) -> Value {
    let titles = markdown::default_alert_titles("en");
    let resolve = |p: &str| {
        Err(markdown::Unresolved::Problem(format!(
            "`@/{p}` links are not available in the markdown filter"
        )))
    };
    let r = markdown::render(
        v,
        &markdown::Options {
            alert_titles: &titles,
            resolve: &resolve,
            base_path: "/",
            page_dir: "",
            smart_punctuation: true,
            component: None,
        },
    );
    Value::safe_string(&r.html)
}
