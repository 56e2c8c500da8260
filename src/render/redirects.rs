//! Redirect pages (front matter `aliases`, `/page/1/` of paginated lists), the
//! `_redirects` file that lists them for Netlify and Cloudflare Pages, and `_headers`.

use super::fingerprint::combine;
use super::paginate::pager_path;
use super::{Fingerprints, Job, redirect_page};
use crate::load::DocKind;
use crate::load::hash_of;
use crate::model::Site;

/// Every redirect of the site: (from, to), both site-relative without the base path.
fn redirects(site: &Site) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for (i, item) in site.items.iter().enumerate() {
        let doc = site.doc(i);
        if !item.fallback {
            for alias in &doc.front.aliases {
                out.push((
                    alias_path(alias),
                    item.url_path.clone(),
                    format!("an alias in {}", doc.path.display()),
                ));
            }
        }
        if item.kind == DocKind::Section && doc.front.paginate_by.is_some_and(|n| n > 0) {
            out.push((
                format!("{}page/1/", item.url_path),
                item.url_path.clone(),
                doc.path.display().to_string(),
            ));
        }
    }
    for tax in site
        .taxonomies
        .iter()
        .filter(|t| t.paginate_by.is_some_and(|n| n > 0))
    {
        for term in &tax.terms {
            out.push((
                pager_path(&term.url_path, 1) + "page/1/",
                term.url_path.clone(),
                format!("the `{}` taxonomy", tax.name),
            ));
        }
    }
    out
}

/// `old/page` and `/old/page/` both mean `/old/page/`; `old.html` stays a file.
fn alias_path(alias: &str) -> String {
    let trimmed = alias.trim().trim_start_matches('/');
    let last = trimmed.rsplit('/').next().unwrap_or("");
    if trimmed.is_empty() || trimmed.ends_with('/') || last.contains('.') {
        format!("/{trimmed}")
    } else {
        format!("/{trimmed}/")
    }
}

/// Redirect pages, the `_redirects` file and `_headers`: cheap, so their "render" is
/// done up front and the job only hands the bytes over.
pub fn redirect_jobs<'a>(site: &'a Site, fps: &Fingerprints) -> Vec<Job<'a>> {
    let base = site.urls.base_path().to_string();
    let mut jobs = Vec::new();
    let mut lines = String::new();
    let mut push = |path: String, origin: String, bytes: Vec<u8>| {
        let fingerprint = combine([fps.env, hash_of(&[path.as_bytes(), &bytes])]);
        jobs.push(Job {
            verbatim: false,
            newest: None,
            path,
            origin,
            fingerprint,
            deps_key: None,
            render: Box::new(move || Ok(bytes)),
        });
    };
    for (from, to, origin) in redirects(site) {
        let target = format!("{base}{}", &to[1..]);
        let out = if from.ends_with('/') {
            format!("{}index.html", &from[1..])
        } else {
            from[1..].to_string()
        };
        let page = redirect_page(site, &to, &out).into_bytes();
        push(out, origin, page);
        lines.push_str(&format!("{base}{} {target} 301\n", &from[1..]));
    }
    push(
        "_redirects".into(),
        "the redirects list".into(),
        lines.into_bytes(),
    );
    push(
        "_headers".into(),
        "the headers file".into(),
        headers(site).into_bytes(),
    );
    jobs
}

/// Security and privacy headers for Netlify and Cloudflare Pages.
fn headers(site: &Site) -> String {
    format!(
        "/*\n  Content-Security-Policy: {}\n  Referrer-Policy: no-referrer\n  X-Content-Type-Options: nosniff\n  X-Frame-Options: DENY\n  Permissions-Policy: camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()\n  Cross-Origin-Opener-Policy: same-origin\n",
        site.config.content_security_policy
    )
}

#[cfg(test)]
mod tests {
    use super::alias_path;

    #[test]
    fn alias_forms() {
        assert_eq!(alias_path("old/page"), "/old/page/");
        assert_eq!(alias_path("/old/page/"), "/old/page/");
        assert_eq!(alias_path("old.html"), "/old.html");
    }
}
