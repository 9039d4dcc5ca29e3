//! What every request handler shares: the store, the configuration, and a cache of rendered
//! revisions (revisions never change, so a cached one is never stale; only which revision is
//! latest is asked of the database, so several servers over one database agree).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

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
}

/// How many revisions the cache keeps before it starts over.
const VIEW_CACHE: usize = 512;

struct Inner {
    store: Arc<dyn Store>,
    config: Config,
    views: Mutex<HashMap<(Slug, u32), Arc<View>>>,
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

    /// A revision (the latest when `rev` is None) with its JSON, or None when the mission or
    /// revision does not exist.
    pub async fn view(&self, slug: &Slug, rev: Option<u32>) -> Result<Option<Arc<View>>, ApiError> {
        let rev = match rev {
            Some(r) => r,
            None => {
                let s = slug.clone();
                match self.run(move |st| st.mission(&s)).await? {
                    Some(m) => m.latest_rev,
                    None => return Ok(None),
                }
            }
        };
        let key = (slug.clone(), rev);
        if let Some(v) = self.cached(&key) {
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
        });
        let mut views = self
            .0
            .views
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if views.len() >= VIEW_CACHE {
            views.clear();
        }
        views.insert(key, Arc::clone(&view));
        Ok(Some(view))
    }

    fn cached(&self, key: &(Slug, u32)) -> Option<Arc<View>> {
        self.0
            .views
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(key)
            .cloned()
    }
}
