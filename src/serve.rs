//! `wgrec serve`: the meeting on a web page. axum on tokio; pages rendered on the server by
//! `crate::render::html` (askama, escaping by default); every page works without JavaScript.
//!
//! The server reads what the CLI reads (the home's snapshot, else the bundled meeting, and the
//! index) through the same use cases (`crate::app`), and follows the index generation that
//! `wgrec refresh` swaps in without a restart (`state`). It writes nothing (the index cache
//! aside, as the CLI).
//!
//! Safety, in layers around every route: security headers (a Content-Security-Policy without
//! inline script, `X-Content-Type-Options`, `Referrer-Policy`, `X-Frame-Options`), a panic in a
//! handler answered with a 500 page (the server lives on), a request timeout, a limit on
//! requests in flight and a request body limit. Parameters are length- and count-limited
//! (`params`); static assets are compiled in, so no request path reaches the filesystem.

mod handlers;
pub mod params;
pub mod state;

use crate::home::Home;
use crate::{Error, Result};
use axum::Router;
use axum::body::Body;
use axum::http::{HeaderName, HeaderValue, Response, StatusCode, header};
use axum::routing::get;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

pub use state::State;

/// Default address: loopback only, so exposing the server is a deliberate choice.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
/// A request that takes longer than this is answered 503.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// Requests handled at once; more wait their turn (up to the timeout).
pub const MAX_IN_FLIGHT: usize = 128;
/// Largest request body accepted (every route is a GET; bodies are not read).
pub const MAX_BODY: usize = 16 * 1024;

/// The Content-Security-Policy of every response: own scripts and styles only, no inline code,
/// forms only to this server, no framing.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// What `wgrec serve` is started with.
#[derive(Debug, Clone)]
pub struct Config {
    pub home: Home,
    pub listen: SocketAddr,
    /// URL prefix behind a reverse proxy (`/wgrec`), or empty.
    pub base_path: String,
}

/// Checks and normalises `--base-path`: empty or `/`, else `/segment[/segment...]` of URL-safe
/// characters, without a trailing slash.
pub fn base_path(raw: &str) -> Result<String> {
    let t = raw.trim().trim_end_matches('/');
    if t.is_empty() {
        return Ok(String::new());
    }
    let ok = t.starts_with('/')
        && t.len() <= 100
        && !t.contains("//")
        && t[1..]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./~".contains(&b))
        && !t.split('/').any(|seg| seg == "." || seg == "..");
    if !ok {
        return Err(Error::input(format!(
            "--base-path {raw:?} must look like /wgrec (letters, digits, - _ . ~ and /)"
        )));
    }
    Ok(t.to_string())
}

/// The application: every route with its safety layers, on `state`.
pub fn router(state: Arc<State>) -> Router {
    let base = state.base.clone();
    let app: Router = if base.is_empty() {
        handlers::routes().with_state(state)
    } else {
        // `{base}` is the start page; `{base}/` too (nest does not match the trailing slash).
        Router::<Arc<State>>::new()
            .route(&format!("{base}/"), get(handlers::home))
            .nest(&base, handlers::routes())
            .fallback(handlers::not_found)
            .with_state(state)
    };
    with_layers(app, &base)
}

/// The safety layers every route sits behind (public so tests can put a route of their own,
/// e.g. one that panics, behind exactly the same layers).
pub fn with_layers(app: Router, base: &str) -> Router {
    let panic_base = base.to_string();
    let fill_base = base.to_string();
    // One `layer` call per layer, innermost first: axum turns each layer's answer back into its
    // own response type, so the layers compose whatever body types they produce.
    let header = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value))
    };
    app.layer(RequestBodyLimitLayer::new(MAX_BODY))
        .layer(tower::limit::GlobalConcurrencyLimitLayer::new(
            MAX_IN_FLIGHT,
        ))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            REQUEST_TIMEOUT,
        ))
        .layer(CatchPanicLayer::custom(move |_| {
            handlers::panic_page(&panic_base)
        }))
        .layer(axum::middleware::map_response(move |r: Response<Body>| {
            let base = fill_base.clone();
            async move { handlers::fill_empty_error(r, &base) }
        }))
        .layer(header(header::CONTENT_SECURITY_POLICY, CSP))
        .layer(header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header(header::REFERRER_POLICY, "no-referrer"))
        .layer(header(header::X_FRAME_OPTIONS, "DENY"))
        .layer(header(
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ))
}

/// Opens the data (building the index when needed, as the CLI does), binds `config.listen` and
/// serves until SIGTERM or Ctrl-C, then finishes the requests in flight. `notes` gets the
/// one-line notes a person should see (the bundled meeting is in use, the address).
pub fn run(config: Config, notes: crate::app::Notes) -> Result<()> {
    let base = base_path(&config.base_path)?;
    let state = Arc::new(State::open(config.home.clone(), base.clone(), notes)?);
    state.warm_guides();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::io("cannot start the async runtime", e))?;
    rt.block_on(async {
        let listener = tokio::net::TcpListener::bind(config.listen)
            .await
            .map_err(|e| Error::io(format!("cannot listen on {}", config.listen), e))?;
        let addr = listener
            .local_addr()
            .map_err(|e| Error::io("reading the listening address", e))?;
        notes(&format!(
            "serving on http://{addr}{base}/ (Ctrl-C or SIGTERM stops)"
        ));
        axum::serve(listener, router(state))
            .with_graceful_shutdown(shutdown_signal())
            .await
            .map_err(|e| Error::io("serving", e))
    })?;
    // Requests still running when the shutdown began have finished; nothing else to flush.
    rt.shutdown_timeout(Duration::from_secs(5));
    Ok(())
}

/// Resolves on SIGTERM (systemd's stop) or Ctrl-C.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down: finishing the requests in flight");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_paths() {
        assert_eq!(base_path("").unwrap(), "");
        assert_eq!(base_path("/").unwrap(), "");
        assert_eq!(base_path("/wgrec/").unwrap(), "/wgrec");
        assert_eq!(base_path("/a/b-c").unwrap(), "/a/b-c");
        for bad in ["wgrec", "/a//b", "/a/../b", "/a b", "/<x>"] {
            assert!(base_path(bad).is_err(), "{bad}");
        }
    }
}
