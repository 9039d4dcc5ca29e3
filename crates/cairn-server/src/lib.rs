//! Cairn over HTTP: the JSON API under `/api/v1` (with its OpenAPI document) and the
//! server-rendered pages, over any [`cairn_store::Store`].
//!
//! Only this crate knows HTTP. Handlers turn requests into calls of `cairn-app` and the
//! store, run on blocking threads (the store is synchronous), and answer in one error shape.

pub mod api;
mod auth;
pub mod demo;
mod error;
mod extract;
mod headers;
mod pages;
mod state;

use std::future::Future;
use std::sync::Arc;

use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use tokio::net::TcpListener;

pub use error::ApiError;
pub use state::{App, Config};

/// The largest request body accepted (a strategy document is well under this).
pub const BODY_LIMIT: usize = 16 * 1024 * 1024;

/// The whole application as one router.
pub fn router(app: App) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .merge(api::routes())
        .merge(pages::routes())
        .fallback(pages::not_found)
        .method_not_allowed_fallback(pages::method_not_allowed)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            pages::error_chrome,
        ))
        .layer(axum::middleware::from_fn(headers::around))
        .with_state(app)
}

/// Alive: the process answers.
async fn healthz() -> &'static str {
    "ok\n"
}

/// Ready: the database answers too.
async fn readyz(State(app): State<App>) -> impl IntoResponse {
    match app.run(|s| s.missions().map(|_| ())).await {
        Ok(()) => (StatusCode::OK, "ready\n").into_response(),
        Err(e) => (StatusCode::SERVICE_UNAVAILABLE, e.message).into_response(),
    }
}

/// Serves until `shutdown` completes, then finishes the requests in flight.
pub async fn serve(
    listener: TcpListener,
    store: Arc<dyn cairn_store::Store>,
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = App::new(store, config);
    let purge = tokio::spawn(purge_sessions(app.clone()));
    let result = axum::serve(listener, router(app))
        .with_graceful_shutdown(shutdown)
        .await;
    purge.abort();
    result
}

/// Deletes expired sessions now and then (a lookup refuses them anyway; this keeps the table
/// small).
async fn purge_sessions(app: App) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(15 * 60));
    loop {
        tick.tick().await;
        let now = chrono::Utc::now();
        let idle = chrono::Duration::from_std(app.config().idle_timeout).unwrap_or_default();
        let absolute =
            chrono::Duration::from_std(app.config().absolute_timeout).unwrap_or_default();
        match app
            .run(move |s| s.purge_sessions(now - idle, now - absolute))
            .await
        {
            Ok(n) if n > 0 => tracing::info!(sessions = n, "expired sessions purged"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e.message, "session purge failed"),
        }
    }
}
