//! The `serve` stage: a web page and an HTTP JSON API over an index, on the
//! user's own machine (`pagsearch serve`).
//!
//! The server is a client of the library, as the command line is: every
//! route calls [`Index::search`](crate::Index::search),
//! [`Index::paragraph_in_context`](crate::Index::paragraph_in_context) or
//! [`Index::overview`](crate::Index::overview), and the JSON it answers
//! with is built by the [`output`](crate::output) stage, as `--json` is.
//! It runs on axum over tokio (a small, well-kept stack whose router,
//! extractors and graceful shutdown cover all a local server needs);
//! searches run on tokio's blocking pool, so that a long one never holds
//! up the others, and a search that panics answers 500 instead of dropping
//! the connection.
//!
//! - [`api`]: the JSON routes and `/files`;
//! - [`page`]: the HTML page, rendered on the server (it works with
//!   JavaScript off), and its assets, built into the binary;
//! - [`state`]: the index, reopened when an update commits.
//!
//! ```no_run
//! use std::path::Path;
//! use pagsearch::serve::{self, ServeOptions};
//!
//! serve::run(Path::new("index"), &ServeOptions::default(), |bound| {
//!     println!("open http://{bound}/");
//! })
//! .unwrap();
//! ```

pub mod api;
pub mod page;
mod query_edit;
pub mod state;

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderValue, Request, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;

use crate::error::{Error, Result};
use api::ApiError;
use state::IndexHandle;

/// What every route shares.
#[derive(Clone)]
pub struct AppState {
    /// The index answered from.
    pub index: Arc<IndexHandle>,
    /// Index work running at once ([`default_workers`]); the rest wait
    /// their turn in arrival order. With many more searches at once than
    /// cores, each is slowed by all the others, and a long one by many
    /// times its length; in turn, a request waits for the few ahead of it
    /// and then runs at nearly full speed.
    pub workers: Arc<tokio::sync::Semaphore>,
}

impl AppState {
    /// The state of a server over `index`, with [`default_workers`].
    pub fn new(index: Arc<IndexHandle>) -> AppState {
        AppState::with_workers(index, default_workers())
    }

    /// The state of a server over `index` running `workers` searches at
    /// once (at least one).
    pub fn with_workers(index: Arc<IndexHandle>, workers: usize) -> AppState {
        AppState {
            index,
            workers: Arc::new(tokio::sync::Semaphore::new(workers.max(1))),
        }
    }
}

/// Searches run at once unless told otherwise: twice the cores. Measured
/// with `cargo bench --bench serve` on 2 cores, 16 clients: 2 at once
/// left cores idle between searches (1,881 requests/s), 6 let long
/// searches slow each other down (p99 19 ms); 4 gave 2,274 to 2,356
/// requests/s at p99 13.7 to 14.4 ms.
pub fn default_workers() -> usize {
    2 * std::thread::available_parallelism().map_or(2, usize::from)
}

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The address to listen on (port 0: any free port).
    pub addr: SocketAddr,
    /// Searches run at once; the others wait their turn.
    pub workers: usize,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            addr: SocketAddr::from(([127, 0, 0, 1], 7878)),
            workers: default_workers(),
        }
    }
}

/// The routes of the page and the API over `index`, for embedding in
/// another axum application or serving with [`run`].
pub fn router(index: Arc<IndexHandle>) -> Router {
    router_with(AppState::new(index))
}

/// [`router`] with a state of one's own (another number of workers).
pub fn router_with(state: AppState) -> Router {
    Router::new()
        .route("/", get(page::home))
        .route("/paragraph", get(page::paragraph))
        .route("/assets/{name}", get(page::asset))
        .route("/api/search", get(api::search))
        .route("/api/paragraph", get(api::paragraph))
        .route("/api/facets", get(api::facets))
        .route("/api/documents", get(api::documents))
        .route("/health", get(api::health))
        .route("/files", get(api::file))
        .fallback(page::not_found)
        .layer(middleware::from_fn(security_headers))
        .with_state(state)
}

/// Headers on every answer: no type sniffing, no referrer sent on, and for
/// pages a policy that runs only the page's own script and style.
async fn security_headers(request: Request<axum::body::Body>, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    let is_html = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if is_html {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'",
            ),
        );
    }
    response
}

/// Runs `work` (library calls that read the index) on the blocking pool
/// when a worker is free; a panic in it becomes a 500.
pub(crate) async fn blocking<T, F>(state: &AppState, work: F) -> std::result::Result<T, ApiError>
where
    F: FnOnce() -> std::result::Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    // The semaphore is never closed.
    let _permit = state.workers.acquire().await.ok();
    match tokio::task::spawn_blocking(work).await {
        Ok(answer) => answer,
        Err(failure) => Err(ApiError::Internal(format!(
            "the request failed inside the server ({failure}); the server goes on"
        ))),
    }
}

/// Serves the index in `dir` as `options` say until Ctrl-C (or SIGTERM),
/// then finishes the requests in flight and returns. `ready` is called with
/// the address bound (port 0 picks a free one) once requests are accepted.
pub fn run(dir: &Path, options: &ServeOptions, ready: impl FnOnce(SocketAddr)) -> Result<()> {
    let addr = options.addr;
    let state = AppState::with_workers(Arc::new(IndexHandle::open(dir)?), options.workers);
    let failed = |reason: std::io::Error| Error::Serve {
        addr: addr.to_string(),
        reason: reason.to_string(),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(failed)?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(addr).await.map_err(failed)?;
        ready(listener.local_addr().map_err(failed)?);
        axum::serve(listener, router_with(state))
            .with_graceful_shutdown(shutdown_signal())
            .await
            .map_err(failed)
    })
}

/// Ctrl-C, or SIGTERM on Unix.
async fn shutdown_signal() {
    let interrupt = async {
        // Without a handler, the default (ending the process) still applies.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
}
