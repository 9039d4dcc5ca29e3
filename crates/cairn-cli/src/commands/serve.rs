//! `cairn serve`: the web application and the HTTP API until Ctrl-C or SIGTERM.

use std::process::ExitCode;
use std::sync::Arc;

use cairn_server::Config;
use cairn_server::demo::{self, Seeded};

use crate::args::Global;
use crate::db;
use crate::input::Failure;

pub fn serve(
    g: &Global,
    addr: &str,
    demo: bool,
    secure_cookies: bool,
) -> Result<ExitCode, Failure> {
    let store: Arc<dyn cairn_store::Store> = Arc::from(db::open(&g.db)?);
    if demo {
        match demo::seed(&*store) {
            Ok(Seeded::Fresh { one_time_password }) => {
                eprintln!(
                    "cairn: demo: imported the Mali ICS as mission mali with illustrative indicators, and created user {}",
                    demo::ADMIN
                );
                eprintln!(
                    "cairn: demo: one-time password for {}: {one_time_password}",
                    demo::ADMIN
                );
                eprintln!(
                    "cairn: demo: it is shown only now; you choose your own at first sign-in"
                );
            }
            Ok(Seeded::AlreadyThere) => {
                eprintln!("cairn: demo: the database already holds data; nothing added");
            }
            Err(e) => return Err(Failure::Environment(format!("demo: {e}"))),
        }
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::Environment(format!("cannot start the runtime: {e}")))?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| Failure::Environment(format!("--addr {addr}: cannot listen: {e}")))?;
        let local = listener
            .local_addr()
            .map_err(|e| Failure::Environment(e.to_string()))?;
        eprintln!("cairn: serving http://{local}/ over {}", store.describe());
        tracing::info!(%local, store = %store.describe(), "listening");
        let config = Config {
            secure_cookies,
            ..Config::default()
        };
        cairn_server::serve(listener, store, config, shutdown_signal())
            .await
            .map_err(|e| Failure::Environment(format!("server failed: {e}")))
    })?;
    eprintln!("cairn: stopped");
    Ok(ExitCode::SUCCESS)
}

/// Ctrl-C or SIGTERM: stop accepting, finish what is in flight.
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
    tracing::info!("shutting down");
}
