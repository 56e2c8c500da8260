//! The dev server's HTTP side: serves the last good build from memory, injects the
//! live-reload script into HTML, streams reload events, and refuses any path that tries to
//! leave the site. Nothing is read from disk by request path, so no request can reach a
//! file outside the build.

use super::{Shared, Snapshot};
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, Response, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use std::convert::Infallible;
use std::sync::Arc;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

const LIVE_JS: &str = include_str!("live.js");
const LIVE_TAG: &str = "<script src=\"/__lantern/live.js\" defer></script>";

/// A message to browsers, as an SSE event name and JSON data.
#[derive(Debug, Clone)]
pub struct Message {
    pub event: &'static str,
    pub data: String,
}

/// Serves a request from the current snapshot.
pub async fn serve_path(State(shared): State<Arc<Shared>>, uri: Uri) -> Response<Body> {
    let raw = uri.path();
    if raw == "/__lantern/live.js" {
        return respond(
            StatusCode::OK,
            "text/javascript; charset=utf-8",
            LIVE_JS.as_bytes().to_vec(),
        );
    }
    let Some(path) = clean_path(raw) else {
        return respond(
            StatusCode::BAD_REQUEST,
            "text/plain; charset=utf-8",
            b"400 Bad Request\n".to_vec(),
        );
    };
    let snapshot = shared.snapshot();
    match lookup(&snapshot, &path) {
        Lookup::Found(file, bytes) => {
            respond(StatusCode::OK, content_type(&file), inject(&file, bytes))
        }
        Lookup::Redirect(to) => {
            let mut r = respond(
                StatusCode::MOVED_PERMANENTLY,
                "text/plain; charset=utf-8",
                Vec::new(),
            );
            if let Ok(v) = HeaderValue::from_str(&to) {
                r.headers_mut().insert(header::LOCATION, v);
            }
            r
        }
        Lookup::Missing => {
            let not_found = not_found_page(&snapshot, &path);
            let body = not_found
                .map(|b| inject("404.html", b))
                .unwrap_or_else(|| b"404 Not Found\n".to_vec());
            respond(StatusCode::NOT_FOUND, "text/html; charset=utf-8", body)
        }
    }
}

/// The event stream: the current build state first, then every change.
pub async fn events(
    State(shared): State<Arc<Shared>>,
) -> Sse<impl tokio_stream::Stream<Item = Result<Event, Infallible>>> {
    let first = shared.current_state_message();
    let rx = shared.events.subscribe();
    let stream = tokio_stream::iter(first.into_iter().map(Ok::<Message, Infallible>))
        .chain(BroadcastStream::new(rx).filter_map(|m| m.ok().map(Ok)))
        .map(|m: Result<Message, Infallible>| {
            m.map(|m| Event::default().event(m.event).data(m.data))
        });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

fn respond(status: StatusCode, content_type: &str, body: Vec<u8>) -> Response<Body> {
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = status;
    if let Ok(v) = HeaderValue::from_str(content_type) {
        r.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// Decodes and checks a request path; `None` for anything that could point outside the
/// site: `..` (also percent-encoded), backslashes, encoded slashes, NUL, drive letters.
pub fn clean_path(raw: &str) -> Option<String> {
    let lower = raw.to_ascii_lowercase();
    if lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00") {
        return None;
    }
    let decoded = percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .ok()?;
    if !decoded.starts_with('/')
        || decoded.contains('\\')
        || decoded.contains('\0')
        || decoded.starts_with("//")
    {
        return None;
    }
    let mut parts = Vec::new();
    for part in decoded.split('/') {
        match part {
            "" | "." => {}
            ".." => return None,
            p if p.contains(':') => return None,
            p => parts.push(p),
        }
    }
    let mut path = parts.join("/");
    if decoded.ends_with('/') && !path.is_empty() {
        path.push('/');
    }
    Some(path)
}

enum Lookup {
    Found(String, Vec<u8>),
    Redirect(String),
    Missing,
}

fn lookup(snapshot: &Snapshot, path: &str) -> Lookup {
    let candidates = if path.is_empty() || path.ends_with('/') {
        vec![format!("{path}index.html")]
    } else {
        vec![path.to_string()]
    };
    for c in &candidates {
        if let Some(bytes) = snapshot.read(c) {
            return Lookup::Found(c.clone(), bytes);
        }
    }
    if !path.ends_with('/') && snapshot.read(&format!("{path}/index.html")).is_some() {
        return Lookup::Redirect(format!("/{path}/"));
    }
    Lookup::Missing
}

/// The 404 page of the request's language tree (`ko/404.html` under `/ko/`), else the
/// site's `404.html`.
fn not_found_page(snapshot: &Snapshot, path: &str) -> Option<Vec<u8>> {
    let first = path.split('/').next().unwrap_or("");
    snapshot
        .read(&format!("{first}/404.html"))
        .or_else(|| snapshot.read("404.html"))
}

fn inject(file: &str, bytes: Vec<u8>) -> Vec<u8> {
    if !file.ends_with(".html") {
        return bytes;
    }
    let text = String::from_utf8_lossy(&bytes);
    match text.rfind("</body>") {
        Some(i) => format!("{}{LIVE_TAG}{}", &text[..i], &text[i..]).into_bytes(),
        None => format!("{text}{LIVE_TAG}").into_bytes(),
    }
}

pub fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "json" => "application/json",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "pdf" => "application/pdf",
        "webmanifest" => "application/manifest+json",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::clean_path;

    #[test]
    fn traversal_is_refused() {
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/a/%2E%2E/%2E%2E/x",
            "/a%2fb",
            "/a\\b",
            "/a%5cb",
            "//etc/passwd",
            "/c:/x",
            "/a%00b",
        ] {
            assert_eq!(clean_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn ordinary_paths_are_kept() {
        assert_eq!(clean_path("/").as_deref(), Some(""));
        assert_eq!(clean_path("/guides/").as_deref(), Some("guides/"));
        assert_eq!(clean_path("/style.css").as_deref(), Some("style.css"));
        assert_eq!(
            clean_path("/ko/guides/%EB%B2%88/").as_deref(),
            Some("ko/guides/번/")
        );
    }
}
