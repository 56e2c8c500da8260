//! Components editors call from Markdown (`::: helpline country=kr`, see
//! [`crate::markdown::directives`]): each is a template `components/<name>.html`, looked up
//! in the site's `templates/`, the theme's, then the built-in theme, like every template.
//!
//! A component declares its arguments in a Tera comment that opens the template, written
//! as TOML:
//!
//! ```text
//! {#
//! [args]
//! src = { type = "string", required = true }
//! caption = { type = "string", default = "" }
//! #}
//! ```
//!
//! Types are `string`, `int` and `bool`. Every directive is checked against the
//! declaration (unknown component, unknown argument, missing required argument, wrong
//! type), each problem at its place in the Markdown. The template sees its arguments by
//! name, `body` (the directive's body rendered as Markdown) and `lang`.
//!
//! Fingerprints: a page's Markdown fingerprint includes the digest of each component it
//! uses ([`Components::digest_for`]), and the site-wide template digest leaves
//! `components/` out, so editing a component re-renders only the pages that use it.

use crate::diagnostics::{Diagnostic, Location};
use crate::markdown::{ComponentProblem, Directive, directives};
use crate::templates::{Sources, Templates};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, OnceLock, Weak};

/// Where component templates live, inside `templates/`.
pub const DIR: &str = "components/";

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Header {
    #[serde(default)]
    args: BTreeMap<String, ArgSpec>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ArgSpec {
    #[serde(rename = "type")]
    kind: Kind,
    #[serde(default)]
    required: bool,
    default: Option<toml::Value>,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq)]
#[serde(rename_all = "lowercase")]
enum Kind {
    String,
    Int,
    Bool,
}

/// Every component of the site, and (once compiled) the templates that render them.
pub struct Components {
    declared: HashMap<String, Header>,
    digests: HashMap<String, u64>,
    /// Set once the templates are compiled (weak: the templates' functions reach these
    /// components through the views, and a strong link would keep every build alive).
    templates: OnceLock<Weak<Templates>>,
}

impl Components {
    /// Reads each component's declaration; `env` is what component templates read besides
    /// themselves (data, settings), folded into each digest.
    pub fn read(sources: &Sources, env: u64) -> Result<Components, Vec<Diagnostic>> {
        let mut declared = HashMap::new();
        let mut digests = HashMap::new();
        let mut problems = Vec::new();
        for (name, path, text) in sources.under(DIR) {
            let Some(component) = name.strip_prefix(DIR).and_then(|n| n.strip_suffix(".html"))
            else {
                continue;
            };
            match header(text) {
                Ok(h) => {
                    declared.insert(component.to_string(), h);
                }
                Err((offset, message)) => problems.push(
                    Diagnostic::new(format!("component `{component}`: {message}"))
                        .at(Location::from_offset(path, text, offset, 1)),
                ),
            }
            let digest = crate::load::hash_of(&[text.as_bytes(), &env.to_le_bytes()]);
            digests.insert(component.to_string(), digest);
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Components {
            declared,
            digests,
            templates: OnceLock::new(),
        })
    }

    /// No components (tests, the `markdown` filter).
    pub fn none() -> Components {
        Components {
            declared: HashMap::new(),
            digests: HashMap::new(),
            templates: OnceLock::new(),
        }
    }

    /// The digest of the components a Markdown body uses (0 when it uses none).
    pub fn digest_for(&self, body: &str) -> u64 {
        let names = directives::names(body);
        if names.is_empty() {
            return 0;
        }
        super::fingerprint::combine(
            names
                .iter()
                .map(|n| self.digests.get(n).copied().unwrap_or(u64::MAX)),
        )
    }

    /// Makes the compiled templates available to renders.
    pub fn attach(&self, templates: &Arc<Templates>) {
        let _ = self.templates.set(Arc::downgrade(templates));
    }

    /// Checks a directive against its declaration and renders it in `lang`.
    pub fn render(
        &self,
        d: &Directive,
        body: &str,
        lang: &str,
    ) -> Result<String, Vec<ComponentProblem>> {
        let Some(header) = self.declared.get(&d.name) else {
            let mut known: Vec<&str> = self.declared.keys().map(String::as_str).collect();
            known.sort_unstable();
            return Err(vec![ComponentProblem {
                arg: None,
                message: format!(
                    "unknown component `{}` (components: {}; a new one goes in templates/{DIR}{}.html)",
                    d.name,
                    known.join(", "),
                    d.name
                ),
            }]);
        };
        let mut ctx = super::context(lang, "");
        check_args(d, header, &mut ctx)?;
        ctx.insert_value("body", tera::Value::safe_string(body));
        let Some(templates) = self.templates.get().and_then(Weak::upgrade) else {
            return Err(Vec::new());
        };
        templates
            .render(&format!("{DIR}{}.html", d.name), &ctx)
            .map_err(|e| {
                vec![ComponentProblem {
                    arg: None,
                    message: format!("component `{}` failed: {}", d.name, e.to_string().trim()),
                }]
            })
    }
}

/// Puts every argument (given or defaulted) into `ctx`; all problems at once.
fn check_args(
    d: &Directive,
    header: &Header,
    ctx: &mut tera::Context,
) -> Result<(), Vec<ComponentProblem>> {
    let mut problems = Vec::new();
    for (i, arg) in d.args.iter().enumerate() {
        let Some(spec) = header.args.get(&arg.name) else {
            let names: Vec<&str> = header.args.keys().map(String::as_str).collect();
            let takes = if names.is_empty() {
                "it takes none".to_string()
            } else {
                format!("it takes: {}", names.join(", "))
            };
            problems.push(ComponentProblem {
                arg: Some(i),
                message: format!("`{}` has no argument `{}` ({takes})", d.name, arg.name),
            });
            continue;
        };
        match typed(spec.kind, &arg.value) {
            Some(v) => ctx.insert_value(arg.name.clone(), v),
            None => problems.push(ComponentProblem {
                arg: Some(i),
                message: format!(
                    "`{}` expects {}, not `{}`",
                    arg.name,
                    match spec.kind {
                        Kind::String => "text",
                        Kind::Int => "a whole number",
                        Kind::Bool => "true or false",
                    },
                    arg.value
                ),
            }),
        }
    }
    for (name, spec) in &header.args {
        if d.args.iter().any(|a| &a.name == name) {
            continue;
        }
        if spec.required {
            problems.push(ComponentProblem {
                arg: None,
                message: format!("`{}` needs the argument `{name}`", d.name),
            });
        } else {
            let value = spec
                .default
                .as_ref()
                .map_or_else(tera::Value::none, tera::Value::from_serializable);
            ctx.insert_value(name.clone(), value);
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

fn typed(kind: Kind, value: &str) -> Option<tera::Value> {
    match kind {
        Kind::String => Some(tera::Value::from(value)),
        Kind::Int => value.parse::<i64>().ok().map(tera::Value::from),
        Kind::Bool => value.parse::<bool>().ok().map(tera::Value::from),
    }
}

/// The declaration in the template's opening `{# … #}` comment (none: no arguments), or
/// the offset and text of what is wrong with it.
fn header(text: &str) -> Result<Header, (usize, String)> {
    let start = text.len() - text.trim_start().len();
    let rest = &text[start..];
    let Some(inner) = rest.strip_prefix("{#") else {
        return Ok(Header::default());
    };
    let Some(end) = inner.find("#}") else {
        return Err((start, "the opening comment is not closed with `#}`".into()));
    };
    let toml_text = inner[..end].trim_start_matches('-').trim_end_matches('-');
    toml::from_str::<Header>(toml_text).map_err(|e| {
        let at = e.span().map_or(0, |s| s.start) + start + 2;
        (at, format!("its declaration is not valid: {}", e.message()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declarations_are_read_from_the_opening_comment() {
        let h = header("{#\n[args]\nsrc = { type = \"string\", required = true }\nn = { type = \"int\", default = 2 }\n#}\n<p>").expect("test input");
        assert!(h.args["src"].required);
        assert_eq!(h.args["n"].kind, Kind::Int);
        assert!(
            header("<p>{{ body }}</p>")
                .expect("test input")
                .args
                .is_empty()
        );
        let (_, message) =
            header("{#\n[args]\nsrc = { type = \"url\" }\n#}").expect_err("test input");
        assert!(message.contains("not valid"), "{message}");
    }

    #[test]
    fn arguments_are_checked_all_at_once() {
        let h = header(
            "{#\n[args]\nsrc = { type = \"string\", required = true }\nn = { type = \"int\" }\n#}",
        )
        .expect("test input");
        let d = directives::scan("::: figure n=two alt=x\n:::\n").directives[0].clone();
        let mut ctx = tera::Context::new();
        let problems = check_args(&d, &h, &mut ctx).expect_err("test input");
        let messages: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "`n` expects a whole number, not `two`",
                "`figure` has no argument `alt` (it takes: n, src)",
                "`figure` needs the argument `src`"
            ]
        );
    }
}
