//! A small scanner of built HTML: tags with their attributes, and text, in order.
//!
//! Lantern's own output is well formed (templates plus pulldown-cmark, then minified),
//! so the rules need tags and text, not a browser-grade tree; a full HTML5 parser would
//! cost more compile time than every rule together. The scanner never fails: anything
//! it cannot read as a tag is text. `<script>` and `<style>` contents are kept whole.

/// One piece of an HTML document.
#[derive(Debug, Clone, PartialEq)]
pub enum Token<'a> {
    Start(Tag<'a>),
    End(&'a str),
    Text(&'a str),
    /// The contents of a `<script>` or `<style>` element.
    Raw(&'a str),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Tag<'a> {
    /// Lower-cased by the minifier and the templates; compared case-insensitively.
    pub name: &'a str,
    /// Values with character references decoded (borrowed when they have none).
    pub attrs: Vec<(&'a str, std::borrow::Cow<'a, str>)>,
    /// Byte offset of the `<`.
    pub offset: usize,
}

impl Tag<'_> {
    pub fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
    }

    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_ref())
    }
}

/// Every token of `html`, in order.
pub fn tokens(html: &str) -> Vec<Token<'_>> {
    // About one token per 40 bytes of Lantern's output: grown once or twice, not dozens of times.
    let mut out = Vec::with_capacity(html.len() / 40);
    let bytes = html.as_bytes();
    let mut i = 0;
    let mut text_start = 0;
    while let Some(p) = memchr::memchr(b'<', &bytes[i..]) {
        i += p;
        let rest = &html[i..];
        let skip_to = if rest.starts_with("<!--") {
            Some(rest.find("-->").map_or(html.len(), |e| i + e + 3))
        } else if rest.starts_with("<!") || rest.starts_with("<?") {
            Some(rest.find('>').map_or(html.len(), |e| i + e + 1))
        } else {
            None
        };
        if let Some(end) = skip_to {
            push_text(&mut out, &html[text_start..i]);
            i = end;
            text_start = i;
            continue;
        }
        let Some((token, end)) = read_tag(html, i) else {
            i += 1;
            continue;
        };
        push_text(&mut out, &html[text_start..i]);
        i = end;
        let raw = match &token {
            Token::Start(tag) if tag.is("script") || tag.is("style") => Some(tag.name),
            _ => None,
        };
        out.push(token);
        if let Some(name) = raw {
            let close = find_close(html, i, name);
            out.push(Token::Raw(&html[i..close]));
            i = close;
        }
        text_start = i;
    }
    push_text(&mut out, &html[text_start..]);
    out
}

fn push_text<'a>(out: &mut Vec<Token<'a>>, text: &'a str) {
    if !text.is_empty() {
        out.push(Token::Text(text));
    }
}

/// Where `</name` starts at or after `from`, the name in any case (the end of the text
/// when it never does).
fn find_close(html: &str, from: usize, name: &str) -> usize {
    let bytes = html.as_bytes();
    let mut at = from;
    while let Some(p) = memchr::memmem::find(&bytes[at..], b"</") {
        let start = at + p;
        let after = &bytes[start + 2..];
        if after.len() >= name.len() && after[..name.len()].eq_ignore_ascii_case(name.as_bytes()) {
            return start;
        }
        at = start + 2;
    }
    html.len()
}

/// Reads the tag that starts at `start` (a `<`): the token and the offset after `>`.
fn read_tag(html: &str, start: usize) -> Option<(Token<'_>, usize)> {
    let bytes = html.as_bytes();
    let mut i = start + 1;
    let closing = bytes.get(i) == Some(&b'/');
    if closing {
        i += 1;
    }
    let name_start = i;
    while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'-') {
        i += 1;
    }
    if i == name_start || !bytes[name_start].is_ascii_alphabetic() {
        return None;
    }
    let name = &html[name_start..i];
    let mut attrs = Vec::new();
    loop {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        match bytes.get(i) {
            None => return None,
            Some(b'>') => break,
            _ => {}
        }
        let key_start = i;
        while i < bytes.len()
            && !matches!(bytes[i], b'=' | b'>' | b'/')
            && !bytes[i].is_ascii_whitespace()
        {
            i += 1;
        }
        let key = &html[key_start..i];
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = std::borrow::Cow::Borrowed("");
        if bytes.get(i) == Some(&b'=') {
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            let (raw, end) = read_value(html, i);
            value = if raw.contains('&') {
                decode_entities(raw).into()
            } else {
                raw.into()
            };
            i = end;
        }
        if !key.is_empty() {
            attrs.push((key, value));
        }
    }
    let token = if closing {
        Token::End(name)
    } else {
        Token::Start(Tag {
            name,
            attrs,
            offset: start,
        })
    };
    Some((token, i + 1))
}

/// An attribute value, quoted or not: the raw text and the offset after it.
fn read_value(html: &str, i: usize) -> (&str, usize) {
    let bytes = html.as_bytes();
    match bytes.get(i) {
        Some(&q @ (b'"' | b'\'')) => {
            let end = html[i + 1..]
                .find(q as char)
                .map_or(html.len(), |e| i + 1 + e);
            (&html[i + 1..end], (end + 1).min(html.len()))
        }
        _ => {
            let mut end = i;
            while end < bytes.len() && !bytes[end].is_ascii_whitespace() && bytes[end] != b'>' {
                end += 1;
            }
            (&html[i..end], end)
        }
    }
}

/// The common character references (what the minifier and Tera's escaping write).
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let Some(semi) = rest.bytes().take(12).position(|b| b == b';') else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..semi];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_tags_attributes_text_and_raw_contents() {
        let html = "<!doctype html><p class=a id='b'>Hi &amp; bye<img alt=\"x\" src=y.png></p><!-- c --><script>if (a<b) x()</script>";
        let toks = tokens(html);
        let Token::Start(p) = &toks[0] else {
            panic!("{toks:?}")
        };
        assert_eq!(
            (p.name, p.attr("class"), p.attr("id")),
            ("p", Some("a"), Some("b"))
        );
        assert_eq!(toks[1], Token::Text("Hi &amp; bye"));
        let Token::Start(img) = &toks[2] else {
            panic!("{toks:?}")
        };
        assert_eq!(img.attr("src"), Some("y.png"));
        assert_eq!(toks[3], Token::End("p"));
        assert_eq!(toks[5], Token::Raw("if (a<b) x()"));
        assert_eq!(toks[6], Token::End("script"));
    }

    #[test]
    fn never_fails_on_broken_markup() {
        for html in [
            "<",
            "<a",
            "<a href=\"x",
            "</",
            "< p>",
            "<!--",
            "<script>x",
            "&#xZZ;&",
        ] {
            let _ = tokens(html);
        }
        assert_eq!(decode_entities("&#x41;&#66;&bogus;"), "AB&bogus;");
    }
}
