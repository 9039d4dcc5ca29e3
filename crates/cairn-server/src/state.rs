//! What every request handler shares: the store, the configuration, and two caches:
//! rendered revisions (revisions never change, so a cached one is never stale) and which
//! revision of each mission is latest, trusted for [`LATEST_TTL`] by reads. A server learns its
//! own writes at once; another server's within that time. Writes never trust it: they ask the
//! database, and the store refuses a stale base inside its transaction anyway.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use cairn_store::{Revision, Slug, Store};

use crate::error::ApiError;

/// Settings the operator chooses.
#[derive(Debug, Clone)]
pub struct Config {
    /// Mark cookies Secure (the server sits behind TLS).
    pub secure_cookies: bool,
    /// A session unused this long ends.
    pub idle_timeout: Duration,
    /// A session ends this long after sign-in, used or not.
    pub absolute_timeout: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            secure_cookies: false,
            idle_timeout: Duration::from_secs(30 * 60),
            absolute_timeout: Duration::from_secs(12 * 60 * 60),
        }
    }
}

/// A stored revision with its JSON already written.
pub struct View {
    pub revision: Revision,
    /// The `show --json` body.
    pub json: Bytes,
    /// Whether anonymous visitors may read it.
    pub public: bool,
    /// The strategy page as an anonymous visitor sees it while this is the latest revision
    /// (the same bytes for every such visitor).
    pub anonymous_page: OnceLock<Bytes>,
}

/// How long reads trust the latest revision number they were told (measured: asking the
/// database on every read costs five times the rest of serving the strategy JSON).
pub const LATEST_TTL: Duration = Duration::from_secs(1);

/// How many revisions the cache keeps before it starts over.
const VIEW_CACHE: usize = 512;

struct Inner {
    store: Arc<dyn Store>,
    config: Config,
    /// By mission, then revision (looked up by a borrowed slug: no allocation per read).
    views: Mutex<HashMap<Slug, HashMap<u32, Arc<View>>>>,
    latest: Mutex<HashMap<Slug, (u32, Instant)>>,
}

/// The application: cheap to clone, one per server.
#[derive(Clone)]
pub struct App(Arc<Inner>);

impl App {
    pub fn new(store: Arc<dyn Store>, config: Config) -> Self {
        Self(Arc::new(Inner {
            store,
            config,
            views: Mutex::new(HashMap::new()),
            latest: Mutex::new(HashMap::new()),
        }))
    }

    pub fn config(&self) -> &Config {
        &self.0.config
    }

    pub fn store(&self) -> Arc<dyn Store> {
        Arc::clone(&self.0.store)
    }

    /// Runs store work on a blocking thread (the store is synchronous).
    pub async fn run<T, E>(
        &self,
        f: impl FnOnce(&dyn Store) -> Result<T, E> + Send + 'static,
    ) -> Result<T, ApiError>
    where
        T: Send + 'static,
        E: Into<ApiError> + Send + 'static,
    {
        let store = self.store();
        match tokio::task::spawn_blocking(move || f(&*store)).await {
            Ok(r) => r.map_err(Into::into),
            Err(e) => Err(ApiError::internal(format!("store task failed: {e}"))),
        }
    }

    /// The latest revision of a mission as the database says now (None: no such mission).
    pub async fn latest_rev(&self, slug: &Slug) -> Result<Option<u32>, ApiError> {
        let s = slug.clone();
        let rev = self
            .run(move |st| st.mission(&s))
            .await?
            .map(|m| m.latest_rev);
        match rev {
            Some(r) => self.note_latest(slug, r),
            None => {
                lock(&self.0.latest).remove(slug);
            }
        }
        Ok(rev)
    }

    /// Records a mission's latest revision (after this server wrote it, or read it).
    pub fn note_latest(&self, slug: &Slug, rev: u32) {
        let mut latest = lock(&self.0.latest);
        if latest.len() >= VIEW_CACHE {
            latest.clear();
        }
        latest.insert(slug.clone(), (rev, Instant::now()));
    }

    /// The latest revision for a read: from the cache while it is younger than [`LATEST_TTL`].
    async fn latest_for_read(&self, slug: &Slug) -> Result<Option<u32>, ApiError> {
        let known = lock(&self.0.latest).get(slug).copied();
        match known {
            Some((rev, at)) if at.elapsed() < LATEST_TTL => Ok(Some(rev)),
            _ => self.latest_rev(slug).await,
        }
    }

    /// A revision (the latest when `rev` is None) with its JSON, or None when the mission or
    /// revision does not exist.
    pub async fn view(&self, slug: &Slug, rev: Option<u32>) -> Result<Option<Arc<View>>, ApiError> {
        let rev = match rev {
            Some(r) => r,
            None => match self.latest_for_read(slug).await? {
                Some(r) => r,
                None => return Ok(None),
            },
        };
        if let Some(v) = self.cached(slug, rev) {
            return Ok(Some(v));
        }
        let s = slug.clone();
        let Some(revision) = self.run(move |st| st.revision(&s, Some(rev))).await? else {
            return Ok(None);
        };
        let json = serde_json::to_vec(&cairn_app::view::revision_json(&revision))
            .map_err(|e| ApiError::internal(format!("cannot encode revision: {e}")))?;
        let view = Arc::new(View {
            public: revision.strategy.is_public(),
            revision,
            json: Bytes::from(json),
            anonymous_page: OnceLock::new(),
        });
        let mut views = lock(&self.0.views);
        if views.values().map(HashMap::len).sum::<usize>() >= VIEW_CACHE {
            views.clear();
        }
        views
            .entry(slug.clone())
            .or_default()
            .insert(rev, Arc::clone(&view));
        Ok(Some(view))
    }

    fn cached(&self, slug: &Slug, rev: u32) -> Option<Arc<View>> {
        lock(&self.0.views).get(slug)?.get(&rev).cloned()
    }
}

/// A cache lock; a panic elsewhere leaves the map usable (it holds only finished entries).
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}
