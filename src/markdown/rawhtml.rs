//! Raw HTML in Markdown that the site's strict Content-Security-Policy would block
//! without a word: `<script>`, `<iframe>`, `<style>`, inline event handlers (`on…=`) and
//! `style=` attributes. Each is a build error at its line and column; any other raw HTML
//! is allowed.

use super::BodyProblem;

const FORBIDDEN_TAGS: [(&str, &str); 3] = [
    (
        "script",
        "the site's Content-Security-Policy blocks inline scripts; put the script in a file under static/ and load it from a template",
    ),
    (
        "iframe",
        "embedded frames are blocked by the Content-Security-Policy and load third-party hosts; link to the page instead",
    ),
    (
        "style",
        "the Content-Security-Policy blocks inline styles; add the rules to the theme's stylesheet",
    ),
];

/// Problems in one piece of raw HTML that starts at `offset` in the body.
pub fn check(html: &str, offset: usize, problems: &mut Vec<BodyProblem>) {
    let b = html.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i..].starts_with(b"<!--") {
            i = html[i..].find("-->").map_or(b.len(), |e| i + e + 3);
            continue;
        }
        if b[i] != b'<' || !b.get(i + 1).is_some_and(u8::is_ascii_alphabetic) {
            i += 1;
            continue;
        }
        let name_start = i + 1;
        let mut j = name_start;
        while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'-') {
            j += 1;
        }
        let tag = html[name_start..j].to_ascii_lowercase();
        if let Some((_, why)) = FORBIDDEN_TAGS.iter().find(|(t, _)| *t == tag) {
            problems.push(BodyProblem {
                offset: offset + i,
                len: j - i + usize::from(b.get(j) == Some(&b'>')),
                message: format!("raw `<{tag}>` is not allowed in Markdown: {why}"),
            });
        }
        i = attributes(html, j, offset, problems);
    }
}

/// Walks a start tag's attributes from `i` to its `>`, reporting forbidden ones; returns
/// the offset after the tag.
fn attributes(html: &str, mut i: usize, offset: usize, problems: &mut Vec<BodyProblem>) -> usize {
    let b = html.as_bytes();
    while i < b.len() {
        match b[i] {
            b'>' => return i + 1,
            b'"' | b'\'' => {
                let q = b[i];
                i = html[i + 1..]
                    .find(q as char)
                    .map_or(b.len(), |e| i + 1 + e + 1);
            }
            c if c.is_ascii_alphabetic() => {
                let start = i;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'-' || b[i] == b'_')
                {
                    i += 1;
                }
                let name = html[start..i].to_ascii_lowercase();
                let message = if name == "style" {
                    Some("a `style=` attribute is not allowed in Markdown: the Content-Security-Policy blocks inline styles; use a class and the theme's stylesheet".to_string())
                } else if name.len() > 2 && name.starts_with("on") {
                    Some(format!(
                        "an inline event handler (`{name}=`) is not allowed in Markdown: the Content-Security-Policy blocks inline scripts"
                    ))
                } else {
                    None
                };
                if let Some(message) = message {
                    problems.push(BodyProblem {
                        offset: offset + start,
                        len: i - start,
                        message,
                    });
                }
            }
            _ => i += 1,
        }
    }
    i
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn forbidden_constructs_are_found_and_others_pass() {
        let mut p = Vec::new();
        check(
            "<details><summary>x</summary></details> <a href=\"on=1\">",
            0,
            &mut p,
        );
        check("<!-- <script> -->", 0, &mut p);
        assert!(p.is_empty(), "{p:?}");
        let html = "<p style=\"x\">a</p><SCRIPT>x</SCRIPT><img src=x onerror='y'><iframe>";
        check(html, 10, &mut p);
        let found: Vec<(usize, &str)> = p
            .iter()
            .map(|p| (p.offset - 10, &html[p.offset - 10..p.offset - 10 + p.len]))
            .collect();
        assert_eq!(
            found,
            [
                (3, "style"),
                (18, "<SCRIPT>"),
                (47, "onerror"),
                (59, "<iframe>")
            ]
        );
    }
}
