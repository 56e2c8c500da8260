//! Accepting connections without letting idle ones starve real requests.
//!
//! `axum::serve` keeps every connection until the client closes it, so a thousand idle
//! sockets exhaust the process's file descriptors and no request gets in. Here each
//! connection holds one of `max_connections` permits; one with no request in flight for
//! `idle_timeout` is closed, and a request's headers must arrive within `header_timeout`.
//! When every permit is taken, the oldest idle connection is closed to make room (a
//! request waits only if every connection is busy). A live-reload stream has its request
//! in flight for as long as it is open, so it is never idle; it also sends a keep-alive
//! comment (see `http::events`).

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::Request;
use http_body::{Frame, SizeHint};
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::collections::BTreeMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, Semaphore};

/// How many connections serve keeps and how long it waits on them.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Well below the usual 1024 file descriptors a process may open.
    pub max_connections: usize,
    pub header_timeout: Duration,
    pub idle_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_connections: 512,
            header_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(10),
        }
    }
}

impl Limits {
    /// The defaults with another connection cap and, when given, another idle timeout
    /// (which then also bounds the wait for headers).
    pub fn new(max_connections: usize, idle_timeout: Option<Duration>) -> Limits {
        let default = Limits::default();
        let idle_timeout = idle_timeout.unwrap_or(default.idle_timeout);
        Limits {
            max_connections,
            header_timeout: default.header_timeout.min(idle_timeout),
            idle_timeout,
        }
    }
}

/// The address a request arrived on (this machine's side of the connection), put in the
/// request's extensions for the Host check.
#[derive(Debug, Clone, Copy)]
pub struct LocalAddr(pub SocketAddr);

/// One open connection, as the accept loop sees it.
struct Tracked {
    in_flight: AtomicUsize,
    idle_since: Mutex<Instant>,
    evicted: AtomicBool,
    close: Notify,
}

impl Tracked {
    fn idle_for(&self) -> Option<Duration> {
        if self.in_flight.load(Ordering::SeqCst) > 0 {
            return None;
        }
        self.idle_since.lock().ok().map(|t| t.elapsed())
    }
}

/// Every open connection by age (oldest first).
#[derive(Default)]
struct Registry {
    open: Mutex<BTreeMap<u64, Arc<Tracked>>>,
}

impl Registry {
    /// Asks the oldest connection with no request in flight to close; false if none is idle.
    fn evict_oldest_idle(&self) -> bool {
        let Ok(open) = self.open.lock() else {
            return false;
        };
        let victim = open
            .values()
            .find(|c| c.idle_for().is_some() && !c.evicted.load(Ordering::SeqCst));
        match victim {
            Some(c) => {
                c.evicted.store(true, Ordering::SeqCst);
                c.close.notify_one();
                true
            }
            None => false,
        }
    }
}

/// Serves `app` on `listener` until the process stops.
pub async fn run(listener: TcpListener, app: Router, limits: Limits) {
    let permits = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let registry = Arc::new(Registry::default());
    let mut next_id: u64 = 0;
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(_) => {
                // Out of file descriptors (or a connection reset before accept): free one.
                registry.evict_oldest_idle();
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
        };
        let permit = match permits.clone().try_acquire_owned() {
            Ok(p) => p,
            Err(_) => {
                registry.evict_oldest_idle();
                match permits.clone().acquire_owned().await {
                    Ok(p) => p,
                    Err(_) => return,
                }
            }
        };
        next_id += 1;
        let id = next_id;
        let tracked = Arc::new(Tracked {
            in_flight: AtomicUsize::new(0),
            idle_since: Mutex::new(Instant::now()),
            evicted: AtomicBool::new(false),
            close: Notify::new(),
        });
        if let Ok(mut open) = registry.open.lock() {
            open.insert(id, tracked.clone());
        }
        let registry = registry.clone();
        let app = app.clone();
        tokio::spawn(async move {
            serve_connection(stream, app, tracked, limits).await;
            if let Ok(mut open) = registry.open.lock() {
                open.remove(&id);
            }
            drop(permit);
        });
    }
}

/// Serves one connection until the client closes it, it idles too long, or it is evicted.
async fn serve_connection(stream: TcpStream, app: Router, tracked: Arc<Tracked>, limits: Limits) {
    let local = stream.local_addr().ok();
    let counter = tracked.clone();
    let service = hyper::service::service_fn(move |mut req: Request<Incoming>| {
        let guard = InFlight::start(counter.clone());
        if let Some(addr) = local {
            req.extensions_mut().insert(LocalAddr(addr));
        }
        let app = TowerToHyperService::new(app.clone());
        async move {
            let response = hyper::service::Service::call(&app, req).await?;
            Ok::<_, Infallible>(response.map(|inner| {
                Body::new(GuardedBody {
                    inner,
                    _guard: guard,
                })
            }))
        }
    });
    let conn = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .serve_connection(TokioIo::new(stream), service);
    tokio::pin!(conn);
    let check = (limits.idle_timeout / 4).max(Duration::from_millis(10));
    loop {
        tokio::select! {
            _ = &mut conn => return,
            _ = tracked.close.notified() => return,
            _ = tokio::time::sleep(check) => {
                if tracked.idle_for().is_some_and(|d| d >= limits.idle_timeout) {
                    return;
                }
            }
        }
    }
}

/// Counts a request as in flight until its response body is finished or dropped.
struct InFlight(Arc<Tracked>);

impl InFlight {
    fn start(tracked: Arc<Tracked>) -> InFlight {
        tracked.in_flight.fetch_add(1, Ordering::SeqCst);
        InFlight(tracked)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        if let Ok(mut t) = self.0.idle_since.lock() {
            *t = Instant::now();
        }
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A response body that keeps its request counted as in flight (sizes pass through, so
/// `Content-Length` is kept).
struct GuardedBody {
    inner: Body,
    _guard: InFlight,
}

impl http_body::Body for GuardedBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        Pin::new(&mut self.inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
