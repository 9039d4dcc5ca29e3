//! The harness: `spawn_app` starts the whole router in-process on 127.0.0.1:0 over a fresh
//! database, seeded as `serve --demo` seeds it (the Mali ICS as mission `mali`, and `admin`
//! with a one-time password); [`Agent`]s speak to it as anonymous visitors or signed-in users.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use cairn_core::Role;
use cairn_server::demo::Seeded;
use cairn_server::{App, Config};
use cairn_store::{NewSession, NewUser, Store, UserChange, UserUpdate, Username};
use reqwest::header::HeaderMap;
use reqwest::{Method, RequestBuilder, StatusCode};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// The password every test user gets (long enough to be accepted).
pub const PASSWORD: &str = "correct horse battery staple";

/// The sample document the demo seed imports as `mali`.
pub const SAMPLE: &str = cairn_server::demo::SAMPLE;

const SKIP: &str = "skipped: CAIRN_TEST_POSTGRES_URL is not set (CI sets it to postgres://postgres@127.0.0.1:5432/test)";

/// Where a test's data lives.
#[derive(Debug, Clone)]
pub enum Backend {
    /// A fresh file in a temporary directory.
    Sqlite,
    /// A fresh schema in the database at this URL.
    Postgres(String),
}

impl Backend {
    /// The PostgreSQL backend, or None (having said why on stderr) when there is no test
    /// server.
    pub fn postgres() -> Option<Self> {
        match std::env::var("CAIRN_TEST_POSTGRES_URL") {
            Ok(url) if !url.trim().is_empty() => Some(Self::Postgres(url)),
            _ => {
                eprintln!("{SKIP}");
                None
            }
        }
    }
}

/// Runs synchronous store work from a test. The store is synchronous, and the PostgreSQL
/// client drives a runtime of its own, which cannot be entered from async code.
pub fn blocking<T>(f: impl FnOnce() -> T) -> T {
    tokio::task::block_in_place(f)
}

/// The database behind one test, removed when the test ends.
pub enum Db {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { url: String, schema: String },
}

impl Db {
    /// A fresh, migrated store and what removes it (call from a blocking context).
    pub fn open(backend: &Backend) -> (Self, Arc<dyn Store>) {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temporary directory");
                let store =
                    cairn_store_sqlite::SqliteStore::open_migrated(&dir.path().join("cairn.db"))
                        .expect("open the SQLite store");
                (Self::Sqlite(dir), Arc::new(store))
            }
            Backend::Postgres(url) => {
                static NEXT: AtomicUsize = AtomicUsize::new(0);
                let n = NEXT.fetch_add(1, Ordering::Relaxed);
                let nanos = SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .map_or(0, |d| d.subsec_nanos());
                let schema = format!("cairn_api_{}_{n}_{nanos}", std::process::id());
                drop_schema(url, &schema);
                let store = cairn_store_postgres::PostgresStore::connect_schema(url, &schema)
                    .expect("connect to the PostgreSQL test database");
                store.migrate().expect("migrate the PostgreSQL schema");
                (
                    Self::Postgres {
                        url: url.clone(),
                        schema,
                    },
                    Arc::new(store),
                )
            }
        }
    }
}

fn drop_schema(url: &str, schema: &str) {
    if let Ok(mut client) = postgres::Client::connect(url, postgres::NoTls) {
        let _ = client.batch_execute(&format!("DROP SCHEMA IF EXISTS \"{schema}\" CASCADE"));
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        if let Self::Postgres { url, schema } = self {
            let (url, schema) = (url.clone(), schema.clone());
            run_blocking_anywhere(move || drop_schema(&url, &schema));
        }
    }
}

/// Blocking work from a destructor, which may run inside or outside the runtime.
fn run_blocking_anywhere(f: impl FnOnce()) {
    match tokio::runtime::Handle::try_current() {
        Ok(_) => tokio::task::block_in_place(f),
        Err(_) => f(),
    }
}

/// A running server over its own database.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// An anonymous client with a cookie store, as a browser would be.
    pub client: reqwest::Client,
    /// The demo administrator's one-time password.
    pub admin_otp: String,
    store: Option<Arc<dyn Store>>,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<std::io::Result<()>>>,
    db: Option<Db>,
}

/// Starts a server with the default configuration.
pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, Config::default()).await
}

/// Starts a server: `cairn_server::router` served by `axum::serve` on the test's runtime.
pub async fn spawn_app_with(backend: Backend, config: Config) -> TestApp {
    let (db, store) = blocking(|| Db::open(&backend));
    let seeded = blocking(|| cairn_server::demo::seed(&*store)).expect("seed the demo data");
    let Seeded::Fresh { one_time_password } = seeded else {
        panic!("a fresh database was already seeded");
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a free port");
    let addr = listener.local_addr().expect("the bound address");
    let (tx, rx) = oneshot::channel::<()>();
    let router = cairn_server::router(App::new(Arc::clone(&store), config));
    let server = tokio::spawn(async move {
        axum::serve(listener, router)
            .with_graceful_shutdown(async {
                let _ = rx.await;
            })
            .await
    });
    TestApp {
        base: format!("http://{addr}"),
        client: cookie_client(),
        admin_otp: one_time_password,
        store: Some(store),
        shutdown: Some(tx),
        server: Some(server),
        db: Some(db),
    }
}

/// A client that keeps cookies, as a browser does.
pub fn cookie_client() -> reqwest::Client {
    client_with(Some(Arc::new(reqwest::cookie::Jar::default())))
}

/// A client with this cookie jar (none: cookies are not kept), following no redirects.
fn client_with(jar: Option<Arc<reqwest::cookie::Jar>>) -> reqwest::Client {
    let builder = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none());
    match jar {
        Some(jar) => builder.cookie_provider(jar),
        None => builder,
    }
    .build()
    .expect("an HTTP client")
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // Stop the server first (so that it lets go of the store), then close the store off the
        // async context, then remove the database.
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let (Some(server), Ok(handle)) =
            (self.server.take(), tokio::runtime::Handle::try_current())
        {
            tokio::task::block_in_place(|| {
                let _ = handle.block_on(tokio::time::timeout(Duration::from_secs(10), server));
            });
        }
        let store = self.store.take();
        run_blocking_anywhere(move || drop(store));
        drop(self.db.take());
    }
}

impl TestApp {
    pub fn store(&self) -> &dyn Store {
        self.store
            .as_deref()
            .expect("the store is open while the app runs")
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// An anonymous visitor (with a cookie store of its own).
    pub fn anon(&self) -> Agent {
        Agent {
            http: cookie_client(),
            base: self.base.clone(),
            csrf: None,
            cookie: None,
            manual_cookie: false,
        }
    }

    /// A client that sends exactly this session cookie (`cairn_session=…`), for replaying a
    /// cookie that should no longer work.
    pub fn replay(&self, cookie: &str) -> Agent {
        Agent {
            http: client_with(None),
            base: self.base.clone(),
            csrf: None,
            cookie: Some(cookie.to_string()),
            manual_cookie: true,
        }
    }

    /// Creates an account with [`PASSWORD`] (no change required), straight in the store.
    pub fn add_user(&self, name: &str, role: Role) {
        let username = Username::parse(name).expect("a valid user name");
        blocking(|| {
            self.store().add_user(NewUser {
                username,
                role,
                password_hash: password_hash().to_string(),
                must_change_password: false,
                actor: "test".into(),
            })
        })
        .expect("add the user");
    }

    /// A signed-in session of an existing user, started in the store as sign-in starts one
    /// (so that fixtures do not pay for a password check each), with its CSRF token read
    /// back from `GET /api/v1/session`.
    pub async fn session(&self, name: &str) -> Agent {
        let (mut agent, _) = self.start_session(name, chrono::Utc::now());
        let me = agent.get("/api/v1/session").await;
        assert_eq!(me.ok(200)["user"]["username"], name, "{}", me.text);
        agent.csrf = Some(me.str("/csrf_token").to_string());
        agent
    }

    /// A session of an existing user started in the store at `at` (the past, to test
    /// expiry), not yet used; and the hash the store keeps it by.
    pub fn start_session(&self, name: &str, at: chrono::DateTime<chrono::Utc>) -> (Agent, String) {
        let token = format!(
            "test-{}",
            hex(&cairn_app::accounts::random_bytes::<32>().expect("randomness"))
        );
        let token_hash = format!("{:x}", Sha256::digest(token.as_bytes()));
        let new = NewSession {
            token_hash: token_hash.clone(),
            username: Username::parse(name).expect("a valid user name"),
            at,
        };
        blocking(|| self.store().start_session(new)).expect("start the session");
        let cookie = format!("cairn_session={token}");
        let jar = reqwest::cookie::Jar::default();
        jar.add_cookie_str(
            &format!("{cookie}; Path=/; HttpOnly; SameSite=Strict"),
            &self.base.parse().expect("the base URL"),
        );
        let agent = Agent {
            http: client_with(Some(Arc::new(jar))),
            base: self.base.clone(),
            csrf: None,
            cookie: Some(cookie),
            manual_cookie: false,
        };
        (agent, token_hash)
    }

    /// Creates an account and a session of it.
    pub async fn user(&self, name: &str, role: Role) -> Agent {
        self.add_user(name, role);
        self.session(name).await
    }

    /// Signs in through the API; panics unless it succeeds.
    pub async fn sign_in(&self, name: &str, password: &str) -> Agent {
        let mut agent = self.anon();
        let r = agent
            .bare(Method::POST, "/api/v1/session")
            .json(&json!({ "username": name, "password": password }))
            .send()
            .await
            .expect("request");
        let reply = Reply::read(r).await;
        reply.ok(200);
        agent.csrf = Some(reply.str("/csrf_token").to_string());
        agent.cookie = Some(
            reply
                .session_cookie()
                .expect("sign-in sets the session cookie"),
        );
        agent
    }

    /// The demo administrator with its one-time password replaced by [`PASSWORD`] (in the
    /// store, as `cairn users reset` would), and a session of it. The change through the API
    /// is what `one_time_password_must_be_changed_first` tests.
    pub async fn admin(&self) -> Agent {
        let username = Username::parse(cairn_server::demo::ADMIN).expect("a valid user name");
        blocking(|| {
            self.store().change_user(UserChange {
                username,
                base_version: None,
                update: UserUpdate::Password {
                    hash: password_hash().to_string(),
                    must_change: false,
                },
                actor: "test".into(),
            })
        })
        .expect("set the admin's password");
        self.session(cairn_server::demo::ADMIN).await
    }
}

/// The argon2id hash of [`PASSWORD`], made once per test binary (hashing is slow in
/// unoptimized builds).
pub fn password_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| cairn_app::accounts::hash_password(PASSWORD).expect("hash the password"))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// One visitor: a client (with its cookies) and the CSRF token its sign-in returned.
pub struct Agent {
    http: reqwest::Client,
    base: String,
    /// The CSRF token of the session, sent as `X-CSRF-Token` with writes.
    pub csrf: Option<String>,
    /// The session cookie as set (`cairn_session=…`).
    pub cookie: Option<String>,
    /// Send `cookie` by hand (no cookie store).
    manual_cookie: bool,
}

impl Agent {
    /// A request with the agent's cookies and no CSRF token.
    pub fn bare(&self, method: Method, path: &str) -> RequestBuilder {
        let rb = self.http.request(method, format!("{}{path}", self.base));
        match (&self.cookie, self.manual_cookie) {
            (Some(c), true) => rb.header(reqwest::header::COOKIE, c),
            _ => rb,
        }
    }

    /// A request with the agent's cookies and its CSRF token (when it has one).
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        let rb = self.bare(method, path);
        match &self.csrf {
            Some(t) => rb.header("x-csrf-token", t),
            None => rb,
        }
    }

    pub async fn get(&self, path: &str) -> Reply {
        Reply::send(self.bare(Method::GET, path)).await
    }

    /// A JSON POST with the CSRF token.
    pub async fn post(&self, path: &str, body: Value) -> Reply {
        Reply::send(self.request(Method::POST, path).json(&body)).await
    }

    /// A JSON write with the CSRF token and, when given, `If-Match`.
    pub async fn write(
        &self,
        method: Method,
        path: &str,
        if_match: Option<&str>,
        body: Value,
    ) -> Reply {
        let mut rb = self.request(method, path).json(&body);
        if let Some(tag) = if_match {
            rb = rb.header(reqwest::header::IF_MATCH, tag);
        }
        Reply::send(rb).await
    }

    pub async fn delete(&self, path: &str) -> Reply {
        Reply::send(self.request(Method::DELETE, path)).await
    }
}

/// A response, read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub text: String,
    /// The body as JSON (Null when it is not JSON).
    pub body: Value,
}

impl Reply {
    pub async fn send(rb: RequestBuilder) -> Self {
        Self::read(rb.send().await.expect("the server answers")).await
    }

    pub async fn read(r: reqwest::Response) -> Self {
        let status = r.status();
        let headers = r.headers().clone();
        let text = r.text().await.expect("a readable body");
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Self {
            status,
            headers,
            text,
            body,
        }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts the status and returns the body.
    #[track_caller]
    pub fn ok(&self, status: u16) -> &Value {
        assert_eq!(
            self.status.as_u16(),
            status,
            "unexpected status; body: {}",
            self.text
        );
        &self.body
    }

    /// A string at a JSON pointer of the body.
    #[track_caller]
    pub fn str(&self, pointer: &str) -> &str {
        self.body
            .pointer(pointer)
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no string at {pointer} in {}", self.text))
    }

    /// Asserts the status and that the body is exactly `{"error":{"code","message","details"}}`
    /// with this code; returns the details.
    #[track_caller]
    pub fn error(&self, status: u16, code: &str) -> &Value {
        assert_eq!(
            self.status.as_u16(),
            status,
            "unexpected status; body: {}",
            self.text
        );
        assert_error_shape(&self.body, &self.text);
        assert!(
            self.header("content-type")
                .is_some_and(|c| c.starts_with("application/json")),
            "an error is JSON: {:?}",
            self.header("content-type")
        );
        assert_eq!(
            self.body["error"]["code"], code,
            "unexpected error code; body: {}",
            self.text
        );
        &self.body["error"]["details"]
    }

    /// The `cairn_session=…` pair of the response's session cookie, if it sets one.
    pub fn session_cookie(&self) -> Option<String> {
        self.headers
            .get_all(reqwest::header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|v| v.split(';').next())
            .find(|kv| kv.trim().starts_with("cairn_session="))
            .map(|kv| kv.trim().to_string())
    }
}

/// The one error shape: exactly `{"error":{"code","message","details"}}`, with a code and a
/// message that say something.
#[track_caller]
pub fn assert_error_shape(body: &Value, text: &str) {
    let top = body
        .as_object()
        .unwrap_or_else(|| panic!("the error body is not a JSON object: {text}"));
    assert_eq!(top.keys().collect::<Vec<_>>(), ["error"], "{text}");
    let error = body["error"]
        .as_object()
        .unwrap_or_else(|| panic!("error is not an object: {text}"));
    let mut keys: Vec<&String> = error.keys().collect();
    keys.sort();
    assert_eq!(keys, ["code", "details", "message"], "{text}");
    assert!(
        error["code"].as_str().is_some_and(|c| !c.is_empty()),
        "{text}"
    );
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| !m.trim().is_empty()),
        "{text}"
    );
}
