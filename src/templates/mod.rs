//! Stage 3b's engine: Tera 2, templates looked up in the site's `templates/`, then
//! `themes/<theme>/templates/`, then the built-in theme; syntax and render errors turned
//! into diagnostics at the template's line; HTML templates minified once.
//!
//! The engine knows nothing of the site: functions and filters that read it are
//! registered by the caller (`render::functions`), so `templates` depends on no stage
//! after it and `render` owns its environment.

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Location};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use tera::{ErrorKind, Tera};

/// Registers functions and filters on a fresh engine (called once per compiled copy).
pub type Registrar<'a> = &'a dyn Fn(&mut Tera);

/// The template sources of one site, read before the model exists.
#[derive(Debug, Clone)]
pub struct Sources {
    /// name -> (shown path, text); the winning layer only.
    files: HashMap<String, (PathBuf, String)>,
    search_path: String,
}

impl Sources {
    /// A digest of every template's name and text, but for those under `leave_out`
    /// (components: each page's fingerprint covers the ones it uses).
    pub fn fingerprint(&self, leave_out: &str) -> u64 {
        let mut names: Vec<&String> = self
            .files
            .keys()
            .filter(|n| !n.starts_with(leave_out))
            .collect();
        names.sort();
        let parts: Vec<&[u8]> = names
            .iter()
            .flat_map(|n| [n.as_bytes(), self.files[*n].1.as_bytes()])
            .collect();
        crate::load::hash_of(&parts)
    }

    /// The templates whose names start with `prefix`: (name, shown path, text), by name.
    pub fn under<'s>(&'s self, prefix: &str) -> Vec<(&'s str, &'s Path, &'s str)> {
        let mut found: Vec<(&str, &Path, &str)> = self
            .files
            .iter()
            .filter(|(n, _)| n.starts_with(prefix))
            .map(|(n, (p, t))| (n.as_str(), p.as_path(), t.as_str()))
            .collect();
        found.sort_by_key(|f| f.0);
        found
    }

    /// Reads every layer's templates; any file that cannot be read is an error.
    pub fn read(root: &Path, config: &Config) -> Result<Sources, Vec<Diagnostic>> {
        let mut files = HashMap::new();
        let layered = crate::theme::layered_files(
            root,
            config,
            "templates",
            "templates",
            crate::load::input::MAX_TEXT_BYTES,
        )?;
        for f in layered {
            files.insert(
                f.name,
                (f.shown, String::from_utf8_lossy(&f.bytes).into_owned()),
            );
        }
        let mut search = vec!["templates/".to_string()];
        if let Some(t) = &config.theme {
            search.push(format!("themes/{t}/templates/"));
        }
        search.push("the built-in theme".into());
        Ok(Sources {
            files,
            search_path: search.join(", "),
        })
    }
}

pub struct Templates {
    /// The templates as written: their errors point at the right line and column.
    tera: Tera,
    /// The same templates minified once (when the site minifies): what pages are rendered
    /// with, so no finished page needs minifying. Renders that fail are retried with
    /// `tera` for an accurate error location.
    minified: Option<Tera>,
    sources: Sources,
}

impl Templates {
    /// Compiles every template; all syntax errors are reported together.
    pub fn new(
        sources: Sources,
        register: Registrar,
        minify: bool,
    ) -> Result<Templates, Vec<Diagnostic>> {
        let compile = |transform: &dyn Fn(&str, &str) -> String| -> Result<Tera, tera::Error> {
            let mut tera = Tera::new();
            tera.autoescape_on([".html", ".htm", ".xml"]);
            register(&mut tera);
            let mut names: Vec<&String> = sources.files.keys().collect();
            names.sort();
            let all: Vec<(String, String)> = names
                .iter()
                .map(|n| (n.to_string(), transform(n, &sources.files[*n].1)))
                .collect();
            tera.add_raw_templates(all)?;
            Ok(tera)
        };
        let tera =
            compile(&|_, text| text.to_string()).map_err(|e| all_syntax_errors(&sources, &e))?;
        let minified = if minify {
            compile(&minify_template).ok()
        } else {
            None
        };
        Ok(Templates {
            tera,
            minified,
            sources,
        })
    }

    /// Values every template sees without being handed them: `config`, `data` and
    /// `content_security_policy`.
    pub fn set_globals(&mut self, config: tera::Value, data: tera::Value, csp: &str) {
        let meta = csp_for_meta(csp);
        for tera in std::iter::once(&mut self.tera).chain(self.minified.as_mut()) {
            let globals = tera.global_context();
            globals.insert_value("config", config.clone());
            globals.insert_value("data", data.clone());
            globals.insert("content_security_policy", csp);
            globals.insert("content_security_policy_meta", &meta);
        }
    }

    /// One more value every template sees (`localised`, the theme's settings per language).
    pub fn insert_global(&mut self, name: &'static str, value: tera::Value) {
        for tera in std::iter::once(&mut self.tera).chain(self.minified.as_mut()) {
            tera.global_context().insert_value(name, value.clone());
        }
    }

    pub fn has(&self, name: &str) -> bool {
        self.sources.files.contains_key(name)
    }

    pub fn search_path(&self) -> &str {
        &self.sources.search_path
    }

    pub fn render(&self, name: &str, ctx: &tera::Context) -> Result<String, Diagnostic> {
        if let Some(fast) = &self.minified {
            match fast.render(name, ctx) {
                Ok(text) => return Ok(text),
                Err(fast_error) => {
                    return Err(match self.tera.render(name, ctx) {
                        Err(e) => convert(&self.sources, &e),
                        Ok(_) => convert(&self.sources, &fast_error),
                    });
                }
            }
        }
        self.tera
            .render(name, ctx)
            .map_err(|e| convert(&self.sources, &e))
    }
}

/// Minifies an HTML template once, keeping Tera's `{{ }}`, `{% %}` and `{# #}` intact.
///
/// minify-html drops the quotes around attribute values it thinks are safe bare, and
/// `alt="{{x}}"` looks safe until `x` is "A diagram". So every tag opener gets a space
/// after it first (`{{x}}` -> `{{ x}}`): a value with a space always keeps its quotes.
pub fn minify_template(name: &str, text: &str) -> String {
    if !name.ends_with(".html") || has_tags_inside_start_tags(text) {
        return text.to_string();
    }
    let mut spaced = String::with_capacity(text.len() + 64);
    let mut rest = text;
    while let Some(i) = rest.find(['{']) {
        spaced.push_str(&rest[..i]);
        let tail = &rest[i..];
        let opener = ["{{-", "{%-", "{{", "{%"]
            .into_iter()
            .find(|o| tail.starts_with(o));
        match opener {
            Some(o) => {
                spaced.push_str(o);
                if !tail[o.len()..].starts_with([' ', '\n']) {
                    spaced.push(' ');
                }
                rest = &tail[o.len()..];
            }
            None => {
                spaced.push('{');
                rest = &tail[1..];
            }
        }
    }
    spaced.push_str(rest);
    let cfg = minify_html::Cfg {
        preserve_brace_template_syntax: true,
        minify_css: true,
        minify_js: false,
        keep_closing_tags: true,
        keep_html_and_head_opening_tags: true,
        ..minify_html::Cfg::default()
    };
    String::from_utf8(minify_html::minify(spaced.as_bytes(), &cfg)).unwrap_or(spaced)
}

/// The policy without the directives browsers ignore in a `<meta>` tag (they warn).
pub fn csp_for_meta(csp: &str) -> String {
    csp.split(';')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .filter(|d| {
            !["frame-ancestors", "report-uri", "report-to", "sandbox"]
                .iter()
                .any(|x| d.starts_with(x))
        })
        .collect::<Vec<_>>()
        .join("; ")
        .replace('"', "&quot;")
}

/// Tera stops at the first error; compile each template alone to find the rest.
fn all_syntax_errors(sources: &Sources, first: &tera::Error) -> Vec<Diagnostic> {
    let mut problems = convert_all(sources, first);
    let mut names: Vec<&String> = sources.files.keys().collect();
    names.sort();
    for name in names {
        let mut alone = Tera::new();
        if let Err(e) = alone.add_raw_template(name, &sources.files[name].1)
            && matches!(e.kind(), ErrorKind::SyntaxError(_))
        {
            problems.push(convert(sources, &e));
        }
    }
    problems.sort_by_key(|d| d.to_string());
    problems.dedup();
    problems
}

/// Tera reports validation problems (unknown function, filter, template) as one message
/// holding several rendered reports; split them back into diagnostics.
fn convert_all(sources: &Sources, e: &tera::Error) -> Vec<Diagnostic> {
    if let ErrorKind::Msg(text) = e.kind() {
        let parsed = parse_reports(sources, text);
        if !parsed.is_empty() {
            return parsed;
        }
    }
    vec![convert(sources, e)]
}

fn parse_reports(sources: &Sources, text: &str) -> Vec<Diagnostic> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(message) = line.strip_prefix("error: ") else {
            continue;
        };
        let Some(locus) = lines
            .get(i + 1)
            .and_then(|l| l.trim_start().strip_prefix("--> "))
        else {
            continue;
        };
        let mut parts = locus.rsplitn(3, ':');
        let (Some(col), Some(line_no), Some(name)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let (Ok(col), Ok(line_no)) = (col.parse::<usize>(), line_no.parse::<usize>()) else {
            continue;
        };
        let width = lines
            .get(i + 4)
            .map_or(1, |l| l.matches('^').count().max(1));
        out.push(match sources.files.get(name) {
            Some((path, src)) => {
                Diagnostic::new(message).at(Location::from_line_col(path, src, line_no, col, width))
            }
            None => Diagnostic::new(format!("{message} (in template `{name}`)")),
        });
    }
    out
}

/// Turns a Tera error into a diagnostic at the template's file, line and column.
fn convert(sources: &Sources, e: &tera::Error) -> Diagnostic {
    match e.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => {
            let span = r.span();
            let message = with_cause(r.message(), e);
            match sources.files.get(r.filename()) {
                Some((path, text)) => {
                    let width = if span.end_line == span.start_line {
                        span.end_col.saturating_sub(span.start_col)
                    } else {
                        1
                    };
                    Diagnostic::new(message).at(Location::from_line_col(
                        path,
                        text,
                        span.start_line,
                        span.start_col + 1,
                        width,
                    ))
                }
                None => Diagnostic::new(format!("{} (in template `{}`)", message, r.filename())),
            }
        }
        ErrorKind::MissingParent { current, parent } => match sources.files.get(current) {
            Some((path, _)) => {
                Diagnostic::in_file(path, format!("extends `{parent}`, which does not exist"))
            }
            None => Diagnostic::new(e.to_string()),
        },
        _ => Diagnostic::new(with_cause(&e.to_string(), e)),
    }
}

fn with_cause(message: &str, e: &tera::Error) -> String {
    match std::error::Error::source(e) {
        Some(cause) if !message.contains(&cause.to_string()) => format!("{message}: {cause}"),
        _ => message.to_string(),
    }
}

/// Whether template code sits inside an HTML start tag outside an attribute value, as in
/// `<h1{% if x %} lang="en"{% endif %}>`. minify-html cannot parse that, so such a template
/// is left as written.
fn has_tags_inside_start_tags(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut in_tag = false;
    let mut quote: Option<u8> = None;
    while i < bytes.len() {
        let b = bytes[i];
        if in_tag {
            match quote {
                Some(q) if b == q => quote = None,
                Some(_) => {}
                None if b == b'"' || b == b'\'' => quote = Some(b),
                None if b == b'>' => in_tag = false,
                None if b == b'{' && matches!(bytes.get(i + 1), Some(b'{' | b'%' | b'#')) => {
                    return true;
                }
                None => {}
            }
        } else if b == b'<' && bytes.get(i + 1).is_some_and(|c| c.is_ascii_alphabetic()) {
            in_tag = true;
        }
        i += 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::{has_tags_inside_start_tags, minify_template};

    #[test]
    fn templates_with_code_inside_start_tags_are_left_alone() {
        assert!(has_tags_inside_start_tags(
            "<h1{% if x %} lang=\"en\"{% endif %}>"
        ));
        assert!(!has_tags_inside_start_tags(
            "<h1 lang=\"{{ x }}\">{% if y %}<b>y</b>{% endif %}</h1>"
        ));
        let t = "<h1{% if x %} lang=\"en\"{% endif %}>  x  </h1>";
        assert_eq!(minify_template("t.html", t), t);
    }

    #[test]
    fn minified_templates_keep_quotes_around_template_values() {
        let out = minify_template(
            "t.html",
            "<img alt=\"{{x}}\"  src=\"{{y}}\">\n  <p>  a  </p>{%- if z -%}<b>z</b>{% endif %}",
        );
        assert!(out.contains("alt=\"{{ x}}\""), "{out}");
        assert!(out.contains("src=\"{{ y}}\""), "{out}");
        assert!(out.contains("{%- if z -%}"), "{out}");
        assert!(out.contains("<p>a</p>"), "{out}");
        assert_eq!(
            minify_template("feed.xml", "<a>  {{x}} </a>"),
            "<a>  {{x}} </a>"
        );
    }
}
