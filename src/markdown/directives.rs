//! Components in Markdown: the fenced directive pre-pass.
//!
//! ```text
//! ::: callout kind=tip title="Before you start"
//! Body, in **Markdown**.
//! :::
//! ```
//!
//! A directive opens on a line of three or more colons (at most three spaces in) followed
//! by a component name and `key=value` / `key="quoted value"` arguments, and closes on a
//! line of the same number of colons. Directives nest (the innermost open one closes
//! first; a longer outer fence reads better). Lines inside fenced code blocks are never
//! directives.
//!
//! The pass replaces each fence line with an HTML comment marker pulldown-cmark sees as
//! an HTML block, so the body between is parsed with the rest of the page (one heading
//! id space, one set of footnotes), and keeps a map from the rewritten text back to the
//! original so every problem points at the editor's line and column.

use super::BodyProblem;

/// What marks a directive's opening (`<!--lantern-component:3-->`) and closing
/// (`<!--/lantern-component:3-->`) in the rewritten source.
pub const OPEN_MARK: &str = "<!--lantern-component:";
pub const CLOSE_MARK: &str = "<!--/lantern-component:";

/// One argument as written: its name, value and where it sits in the original body.
#[derive(Debug, Clone, PartialEq)]
pub struct Arg {
    pub name: String,
    pub value: String,
    pub offset: usize,
    pub len: usize,
}

/// One directive: its component name (at `offset`, `len` bytes) and arguments.
#[derive(Debug, Clone, PartialEq)]
pub struct Directive {
    pub name: String,
    pub offset: usize,
    pub len: usize,
    pub args: Vec<Arg>,
}

/// The pre-pass's result.
#[derive(Debug, Default)]
pub struct Scanned {
    /// The source with fence lines replaced by markers (the original when there are none).
    pub text: String,
    pub directives: Vec<Directive>,
    pub problems: Vec<BodyProblem>,
    /// (offset in `text`, offset in the original) at each point where they start to differ.
    map: Vec<(usize, usize)>,
}

impl Scanned {
    /// The original offset of an offset in [`Scanned::text`].
    pub fn original(&self, at: usize) -> usize {
        let i = self.map.partition_point(|&(m, _)| m <= at);
        match i.checked_sub(1).map(|i| self.map[i]) {
            Some((m, o)) => o + (at - m),
            None => at,
        }
    }
}

/// The names of the components a body uses (cheap: what fingerprints need).
/// Whether `body` may hold a directive (a SIMD search: every body is asked, most have none).
fn may_hold_directives(body: &str) -> bool {
    memchr::memmem::find(body.as_bytes(), b":::").is_some()
}

pub fn names(body: &str) -> Vec<String> {
    if !may_hold_directives(body) {
        return Vec::new();
    }
    let mut names: Vec<String> = scan(body).directives.into_iter().map(|d| d.name).collect();
    names.sort();
    names.dedup();
    names
}

/// Finds every directive; see the module documentation.
pub fn scan(body: &str) -> Scanned {
    let mut out = Scanned::default();
    if !may_hold_directives(body) {
        out.text = body.to_string();
        return out;
    }
    let mut text = String::with_capacity(body.len() + 64);
    let mut fence: Option<(u8, usize)> = None;
    // Open directives: (index, colons, offset of the fence).
    let mut open: Vec<(usize, usize, usize)> = Vec::new();
    let mut at = 0;
    for line in body.split_inclusive('\n') {
        let start = at;
        at += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let indent = content.len() - content.trim_start_matches(' ').len();
        let trimmed = &content[indent..];
        if let Some((ch, n)) = fence {
            if code_fence(trimmed).is_some_and(|(c, m, rest)| c == ch && m >= n && rest.is_empty())
            {
                fence = None;
            }
            text.push_str(line);
            continue;
        }
        if indent <= 3
            && let Some((c, n, _)) = code_fence(trimmed)
        {
            fence = Some((c, n));
            text.push_str(line);
            continue;
        }
        let colons = trimmed.bytes().take_while(|&b| b == b':').count();
        if indent > 3 || colons < 3 {
            text.push_str(line);
            continue;
        }
        let rest = &trimmed[colons..];
        let marker = if rest.trim().is_empty() {
            match open.pop() {
                Some((k, n, _)) if n == colons => format!("{CLOSE_MARK}{k}-->"),
                Some((k, n, o)) => {
                    out.problems.push(BodyProblem {
                        offset: start + indent,
                        len: colons,
                        message: format!(
                            "this closing fence has {colons} colons, but the component opened here with {n} needs {n}"
                        ),
                    });
                    open.push((k, n, o));
                    text.push_str(line);
                    continue;
                }
                None => {
                    out.problems.push(BodyProblem {
                        offset: start + indent,
                        len: colons,
                        message: "`:::` closes no component".into(),
                    });
                    text.push_str(line);
                    continue;
                }
            }
        } else {
            let head_at = start + indent + colons;
            match parse_head(rest, head_at) {
                Ok(d) => {
                    let k = out.directives.len();
                    out.directives.push(d);
                    open.push((k, colons, start + indent));
                    format!("{OPEN_MARK}{k}-->")
                }
                Err(p) => {
                    out.problems.push(p);
                    text.push_str(line);
                    continue;
                }
            }
        };
        // Marker line in place of the fence line, then the original resumes.
        out.map.push((text.len(), start));
        text.push_str(&marker);
        text.push('\n');
        out.map.push((text.len(), at));
    }
    for (k, _, offset) in open {
        out.problems.push(BodyProblem {
            offset,
            len: 3,
            message: format!(
                "component `{}` is not closed: end it with a line of colons like its first",
                out.directives[k].name
            ),
        });
    }
    out.text = text;
    out
}

/// A code fence opener or closer: its character, length and what follows.
fn code_fence(line: &str) -> Option<(u8, usize, &str)> {
    let c = *line.as_bytes().first()?;
    if c != b'`' && c != b'~' {
        return None;
    }
    let n = line.bytes().take_while(|&b| b == c).count();
    (n >= 3).then(|| (c, n, line[n..].trim()))
}

/// `name key=value key="quoted value"`, `at` being the offset of `head` in the body.
fn parse_head(head: &str, at: usize) -> Result<Directive, BodyProblem> {
    let problem = |offset: usize, len: usize, message: String| BodyProblem {
        offset: at + offset,
        len: len.max(1),
        message,
    };
    let bytes = head.as_bytes();
    let mut i = skip_spaces(bytes, 0);
    let name_start = i;
    while i < bytes.len() && is_name_byte(bytes[i]) {
        i += 1;
    }
    if i == name_start || (i < bytes.len() && bytes[i] != b' ') {
        return Err(problem(
            name_start,
            1,
            "a component name (letters, digits, `-` or `_`) must follow the colons".into(),
        ));
    }
    let mut d = Directive {
        name: head[name_start..i].to_string(),
        offset: at + name_start,
        len: i - name_start,
        args: Vec::new(),
    };
    loop {
        i = skip_spaces(bytes, i);
        if i >= bytes.len() {
            return Ok(d);
        }
        let key_start = i;
        while i < bytes.len() && is_name_byte(bytes[i]) {
            i += 1;
        }
        if i == key_start || bytes.get(i) != Some(&b'=') {
            return Err(problem(
                key_start,
                i - key_start,
                "expected `key=value` or `key=\"quoted value\"`".into(),
            ));
        }
        let name = head[key_start..i].to_string();
        i += 1;
        let value = if bytes.get(i) == Some(&b'"') {
            let (value, end) = quoted(head, i + 1).ok_or_else(|| {
                problem(
                    key_start,
                    i - key_start,
                    "this quoted value has no closing `\"`".into(),
                )
            })?;
            i = end;
            value
        } else {
            let v_start = i;
            while i < bytes.len() && bytes[i] != b' ' {
                i += 1;
            }
            head[v_start..i].to_string()
        };
        if d.args.iter().any(|a| a.name == name) {
            return Err(problem(
                key_start,
                name.len(),
                format!("`{name}` is given twice"),
            ));
        }
        d.args.push(Arg {
            name,
            value,
            offset: at + key_start,
            len: i - key_start,
        });
    }
}

/// The value of a quoted string starting after its `"` at `from` (`\"` and `\\` escape),
/// and the offset after its closing quote.
fn quoted(head: &str, from: usize) -> Option<(String, usize)> {
    let mut value = String::new();
    let mut chars = head[from..].char_indices();
    while let Some((j, c)) = chars.next() {
        match c {
            '"' => return Some((value, from + j + 1)),
            '\\' => match chars.next() {
                Some((_, e @ ('"' | '\\'))) => value.push(e),
                Some((_, e)) => {
                    value.push('\\');
                    value.push(e);
                }
                None => return None,
            },
            c => value.push(c),
        }
    }
    None
}

fn skip_spaces(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && (bytes[i] == b' ' || bytes[i] == b'\t') {
        i += 1;
    }
    i
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directives_become_markers_and_offsets_map_back() {
        let src =
            "a\n\n::: callout kind=tip title=\"Say \\\"hi\\\"\"\nbody [x](@/y.md)\n:::\nend\n";
        let s = scan(src);
        assert!(s.problems.is_empty(), "{:?}", s.problems);
        assert_eq!(s.directives.len(), 1);
        let d = &s.directives[0];
        assert_eq!(d.name, "callout");
        assert_eq!(&src[d.offset..d.offset + d.len], "callout");
        assert_eq!(d.args[1].value, "Say \"hi\"");
        assert_eq!(
            &src[d.args[0].offset..d.args[0].offset + d.args[0].len],
            "kind=tip"
        );
        assert!(s.text.contains("<!--lantern-component:0-->\nbody"));
        assert!(s.text.contains("<!--/lantern-component:0-->\nend"));
        let in_text = s.text.find("[x]").expect("test input");
        assert_eq!(s.original(in_text), src.find("[x]").expect("test input"));
        let end = s.text.find("end").expect("test input");
        assert_eq!(s.original(end), src.find("end").expect("test input"));
    }

    #[test]
    fn code_blocks_nesting_and_mistakes() {
        let s = scan("```\n::: not-this\n```\n:::: outer\n::: inner\nx\n:::\n::::\n");
        assert_eq!(s.directives.len(), 2, "{:?}", s.problems);
        assert!(s.problems.is_empty());
        assert_eq!(s.directives[0].name, "outer");
        let s = scan("::: a\n:::: \n::: b x\n");
        let messages: Vec<&str> = s.problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(messages[0].contains("4 colons"));
        assert!(messages[1].contains("key=value"));
        assert!(messages[2].contains("not closed"));
        assert_eq!(names("::: b\n:::\n::: a\n:::\n::: b\n:::\n"), ["a", "b"]);
    }
}
