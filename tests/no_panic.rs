//! "No panic on any input": arbitrary text through the parsers that see what editors
//! write (front matter, Markdown, slugs, dates, diagnostics positions).

use lantern::markdown::{self, Options, Resolved};
use proptest::prelude::*;
use std::path::Path;

fn render(body: &str) -> markdown::Rendered {
    let titles = markdown::default_alert_titles("en");
    let resolve = |p: &str| {
        if p.len().is_multiple_of(2) {
            Ok(Resolved {
                url: format!("/{p}/"),
                target: 0,
            })
        } else {
            Err(markdown::Unresolved::Problem(format!("no {p}")))
        }
    };
    markdown::render(
        body,
        &Options {
            alert_titles: &titles,
            resolve: &resolve,
            base_path: "/",
            page_dir: "",
            smart_punctuation: true,
            component: None,
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn front_matter_never_panics(text in "(\\+\\+\\+|---)?\\PC{0,300}(\\n\\+\\+\\+|\\n---)?\\PC{0,50}") {
        let _ = lantern::load::frontmatter::parse(Path::new("x.md"), &text);
    }

    #[test]
    fn toml_like_front_matter_never_panics(key in "[a-z_]{1,12}", value in "\\PC{0,40}") {
        let text = format!("+++\ntitle = \"t\"\n{key} = {value}\n+++\nbody");
        let _ = lantern::load::frontmatter::parse(Path::new("x.md"), &text);
        let yaml = format!("---\ntitle: t\n{key}: {value}\n---\nbody");
        let _ = lantern::load::frontmatter::parse(Path::new("x.md"), &yaml);
    }

    #[test]
    fn markdown_never_panics(body in "([#>*\\-\\[\\]()!@/`|:~^_0-9a-z한글 \\n]|\\[\\^[a-z]\\]|> \\[!WARNING\\]|<!-- more -->){0,200}") {
        let r = render(&body);
        prop_assert!(r.html.len() < body.len() * 40 + 1000);
    }

    /// The emit-stage URL pass sees every rendered byte; a text character right before
    /// an `=` ("Café=1") once made it slice inside that character.
    #[test]
    fn url_passes_never_panic(text in "([=\"' <>a-z/.é한\u{1F600}]|href|src|srcset| href=/repo/|, ){0,120}") {
        let urls = lantern::urls::Urls::new("https://org.github.io/repo/", lantern::urls::UrlStyle::Portable);
        let out = urls.relativize_html(text.clone().into_bytes(), "guides/a/index.html");
        prop_assert!(String::from_utf8(out).is_ok());
        let abs = urls.absolutize_html(&text);
        prop_assert!(abs.len() >= text.len());
    }

    #[test]
    fn slugs_and_dates_never_panic(s in "\\PC{0,60}") {
        let slug = lantern::slug::slugify(&s);
        prop_assert!(lantern::slug::check_slug(&slug).is_ok() || slug.is_empty() || slug.contains(".."));
        let _ = lantern::dates::Date::parse(&s);
        let _ = lantern::dates::Interval::parse(&s);
    }

    #[test]
    fn diagnostic_positions_never_panic(text in "\\PC{0,80}", offset in 0usize..200, len in 0usize..50) {
        let d = lantern::diagnostics::Diagnostic::at_offset(Path::new("x.md"), &text, offset, len, "m");
        let _ = d.to_string();
    }
}
