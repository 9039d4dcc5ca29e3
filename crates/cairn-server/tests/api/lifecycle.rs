//! Liveness, readiness, and a graceful stop.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use cairn_server::Config;

use crate::support::{Backend, Db, Reply, blocking, spawn_app};

on_both_backends!(
    health_and_readiness,
    graceful_shutdown_completes_the_serve_task,
    stopping_as_cairn_serve_does_panics_nowhere,
);

async fn health_and_readiness(backend: Backend) {
    let app = spawn_app(backend).await;
    let anon = app.anon();
    let r = anon.get("/healthz").await;
    r.ok(200);
    assert_eq!(r.text, "ok\n");
    let r = anon.get("/readyz").await;
    r.ok(200);
    assert_eq!(r.text, "ready\n");
}

/// `cairn_server::serve` runs until its shutdown future completes, then returns. The store is
/// handed over as `cairn serve` hands it over: no other reference to it is kept.
async fn graceful_shutdown_completes_the_serve_task(backend: Backend) {
    let (db, store) = blocking(|| Db::open(&backend));
    blocking(|| cairn_server::demo::seed(&*store)).expect("seed");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("address");
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(cairn_server::serve(
        listener,
        store,
        Config::default(),
        async {
            let _ = rx.await;
        },
    ));

    let client = reqwest::Client::new();
    let r = Reply::send(client.get(format!("http://{addr}/api/v1/missions/mali"))).await;
    assert_eq!(r.ok(200)["mission"], "mali");
    assert!(!server.is_finished(), "the server runs until told to stop");

    tx.send(()).expect("the server is listening for shutdown");
    let result = tokio::time::timeout(Duration::from_secs(10), server)
        .await
        .expect("the serve task completes after shutdown")
        .expect("the serve task did not panic");
    assert!(result.is_ok(), "{result:?}");

    // Nothing answers any more.
    let after = reqwest::Client::new()
        .get(format!("http://{addr}/healthz"))
        .send()
        .await;
    assert!(after.is_err(), "{after:?}");
    blocking(move || drop(db));
}

/// Thread names under which a panic happened (recorded by [`watch_panics`]'s hook).
static PANICKED: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Records the name of every panicking thread, then panics as before.
fn watch_panics() {
    static HOOK: OnceLock<()> = OnceLock::new();
    HOOK.get_or_init(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if let Some(name) = std::thread::current().name() {
                PANICKED
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .push(name.to_string());
            }
            previous(info);
        }));
    });
}

/// The server on a runtime of its own, as `cairn serve` runs it
/// (`runtime.block_on(cairn_server::serve(listener, store, …))`): stopping it finishes cleanly,
/// with no panic on any of its threads (the store is closed too, whatever its backend).
async fn stopping_as_cairn_serve_does_panics_nowhere(backend: Backend) {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    watch_panics();
    let name = format!("cairn-stop-{}", NEXT.fetch_add(1, Ordering::Relaxed));
    let (db, store) = blocking(|| Db::open(&backend));
    blocking(|| cairn_server::demo::seed(&*store)).expect("seed");
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let (addr_tx, addr_rx) = std::sync::mpsc::channel();
    let thread_name = name.clone();
    let server = std::thread::Builder::new()
        .name(name.clone())
        .spawn(move || -> std::io::Result<()> {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .thread_name(thread_name)
                .enable_all()
                .build()?;
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
                let _ = addr_tx.send(listener.local_addr()?);
                cairn_server::serve(listener, store, Config::default(), async {
                    let _ = rx.await;
                })
                .await
            })
        })
        .expect("start the server thread");
    let addr = blocking(|| addr_rx.recv()).expect("the server listens");
    let r = Reply::send(reqwest::Client::new().get(format!("http://{addr}/api/v1/missions/mali")))
        .await;
    assert_eq!(r.ok(200)["mission"], "mali");

    tx.send(()).expect("the server waits for shutdown");
    let result = blocking(|| server.join()).expect("the server thread did not panic");
    assert!(result.is_ok(), "{result:?}");
    let panicked: Vec<String> = PANICKED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .iter()
        .filter(|n| **n == name)
        .cloned()
        .collect();
    assert!(
        panicked.is_empty(),
        "threads of the stopped server panicked: {panicked:?}"
    );
    blocking(move || drop(db));
}
