//! The HTTP API, end to end: a server started in-process on a free port, over a fresh SQLite
//! file or a fresh PostgreSQL schema per test, spoken to with a real HTTP client.
//!
//! Every behaviour runs against both backends (see [`on_both_backends`]). The PostgreSQL
//! variants need `CAIRN_TEST_POSTGRES_URL` (CI sets `postgres://postgres@127.0.0.1:5432/test`);
//! without it they say so on stderr and pass.

#![allow(clippy::unwrap_used, clippy::expect_used)]

/// Turns each named `async fn name(backend: Backend)` of the calling module into two tests,
/// `name::sqlite` and `name::postgres`.
macro_rules! on_both_backends {
    ($($name:ident),+ $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread")]
            async fn sqlite() {
                super::$name($crate::support::Backend::Sqlite).await;
            }

            #[tokio::test(flavor = "multi_thread")]
            async fn postgres() {
                if let Some(backend) = $crate::support::Backend::postgres() {
                    super::$name(backend).await;
                }
            }
        }
    )+};
}

mod access;
mod accounts;
mod audit;
mod errors;
mod headers;
mod lifecycle;
mod missions;
mod monitoring;
mod openapi;
mod sessions;
mod support;
