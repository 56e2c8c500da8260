//! Which `Host` a request may name. A page on another site can point its own domain at
//! 127.0.0.1 (DNS rebinding) and then read the preview, drafts included, as same-origin;
//! its requests carry that domain in `Host`. So serve answers only requests naming this
//! machine: `localhost`, `127.0.0.1`, `[::1]`, the address it was bound to, the address the
//! connection arrived on (an IP literal cannot be rebound), and names given with
//! `--allow-host`. Ports are not compared: they are no defence against rebinding.

use super::conn::LocalAddr;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::IpAddr;
use std::sync::Arc;

/// Host names (lowercase, without port) that every request may use.
#[derive(Debug, Clone)]
pub struct HostPolicy {
    names: Vec<String>,
}

impl HostPolicy {
    pub fn new(bound: IpAddr, extra: &[String]) -> HostPolicy {
        let mut names: Vec<String> = ["localhost", "127.0.0.1", "[::1]"]
            .into_iter()
            .map(String::from)
            .collect();
        names.push(ip_literal(bound));
        names.extend(extra.iter().map(|n| {
            let n = n.trim().to_ascii_lowercase();
            host_part(&n).map(str::to_string).unwrap_or(n)
        }));
        names.sort();
        names.dedup();
        HostPolicy { names }
    }

    /// The allowed names, for the message printed when serving on every interface.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Whether a request naming `host` (a `Host` header or URL authority) that arrived on
    /// `local` is answered.
    pub fn allows(&self, host: &str, local: Option<IpAddr>) -> bool {
        let host = host.trim().to_ascii_lowercase();
        let Some(name) = host_part(&host) else {
            return false;
        };
        self.names.iter().any(|n| n == name) || local.is_some_and(|ip| ip_literal(ip) == name)
    }
}

/// `192.168.1.5`, `[fe80::1]`; IPv4 reached through an IPv6 socket as IPv4.
fn ip_literal(ip: IpAddr) -> String {
    match ip.to_canonical() {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => format!("[{v6}]"),
    }
}

/// `example.org:1111` -> `example.org`; `[::1]:1111` -> `[::1]`; `None` when malformed.
fn host_part(host: &str) -> Option<&str> {
    let (name, port) = if host.starts_with('[') {
        let end = host.find(']')?;
        (&host[..=end], &host[end + 1..])
    } else {
        host.split_at(host.rfind(':').unwrap_or(host.len()))
    };
    let port_ok = port.is_empty()
        || port
            .strip_prefix(':')
            .is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    let name_ok = !name.is_empty() && (name.starts_with('[') || !name.contains(':'));
    (name_ok && port_ok).then_some(name)
}

/// Middleware: 403 for a request whose `Host` (and URL authority, when the request line
/// has one) is not allowed. Runs before every route, the event stream included.
pub async fn check_host(
    State(policy): State<Arc<HostPolicy>>,
    request: Request,
    next: Next,
) -> Response {
    let local = request
        .extensions()
        .get::<LocalAddr>()
        .map(|LocalAddr(a)| a.ip());
    let header = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok());
    let authority = request.uri().authority().map(|a| a.as_str());
    let named: Vec<&str> = header.into_iter().chain(authority).collect();
    if !named.is_empty() && named.iter().all(|h| policy.allows(h, local)) {
        return next.run(request).await;
    }
    let mut refused = (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        Body::from(
            "403 Forbidden: this preview answers only requests for localhost or this \
             machine's address; allow another name with `lantern serve --allow-host NAME`\n",
        ),
    )
        .into_response();
    refused.headers_mut().insert(
        header::CONNECTION,
        axum::http::HeaderValue::from_static("close"),
    );
    refused
}

#[cfg(test)]
mod tests {
    use super::{HostPolicy, host_part};
    use std::net::{IpAddr, Ipv4Addr};

    #[test]
    fn host_part_strips_the_port_and_refuses_garbage() {
        assert_eq!(host_part("localhost:1111"), Some("localhost"));
        assert_eq!(host_part("localhost"), Some("localhost"));
        assert_eq!(host_part("[::1]:1111"), Some("[::1]"));
        assert_eq!(host_part("[::1]"), Some("[::1]"));
        assert_eq!(host_part("::1"), None);
        assert_eq!(host_part("a:b"), None);
        assert_eq!(host_part("a:"), None);
        assert_eq!(host_part("[::1]x"), None);
        assert_eq!(host_part(""), None);
    }

    #[test]
    fn only_this_machine_and_allowed_names_pass() {
        let p = HostPolicy::new(
            IpAddr::V4(Ipv4Addr::UNSPECIFIED),
            &["Preview.LAN:8080".to_string()],
        );
        let lan: IpAddr = "192.168.1.5".parse().expect("ip");
        for ok in [
            "localhost",
            "LOCALHOST:1111",
            "127.0.0.1:1",
            "[::1]:1111",
            "0.0.0.0:1111",
            "preview.lan",
            "preview.lan:1111",
            "192.168.1.5:1111",
        ] {
            assert!(p.allows(ok, Some(lan)), "{ok}");
        }
        for bad in [
            "evil.example",
            "localhost.evil.example",
            "127.0.0.1.nip.io",
            "192.168.1.6",
            "",
        ] {
            assert!(!p.allows(bad, Some(lan)), "{bad}");
        }
        let mapped: IpAddr = "::ffff:192.168.1.5".parse().expect("ip");
        assert!(p.allows("192.168.1.5", Some(mapped)));
    }
}
