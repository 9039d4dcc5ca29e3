//! Store throughput against its anchor: committing 1,000 generated ICS revisions (one mission
//! each) and reading a mission's latest revision, beside a bare INSERT / SELECT loop of the same
//! JSON blobs over the same SQLite settings (WAL, synchronous = FULL, one transaction per write).
//!
//! `cargo bench -p cairn-store-sqlite --bench store` (or `bench/store`).

use std::path::{Path, PathBuf};

use cairn_core::Strategy;
use cairn_store::{Action, NewRevision, Slug, Store};
use cairn_store_sqlite::SqliteStore;
use divan::Bencher;

fn main() {
    divan::main();
}

const MISSIONS: usize = 1000;

/// 1,000 distinct strategies: the Mali ICS under 1,000 country names.
fn corpus() -> Vec<(Slug, Strategy, String)> {
    let seed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../samples/mali-ics-2022.txt"
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    (0..MISSIONS)
        .map(|i| {
            let country = format!("Country{i:04}");
            let text = seed
                .replace("MALI", &country.to_uppercase())
                .replace("Mali", &country);
            let parsed = cairn_ingest::parse(text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
            let slug = Slug::parse(&format!("country{i:04}")).unwrap_or_else(|e| panic!("{e}"));
            (slug, parsed.strategy, text)
        })
        .collect()
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let path = dir.join(format!("bench-{name}-{}.db", std::process::id()));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    path
}

fn import_all(store: &SqliteStore, corpus: &[(Slug, Strategy, String)]) {
    for (slug, strategy, source) in corpus {
        store
            .commit(NewRevision {
                slug: slug.clone(),
                country: strategy.country.clone(),
                bureau: Some("AF".into()),
                base: None,
                actor: "bench".into(),
                action: Action::Import,
                message: "import".into(),
                source: source.clone(),
                strategy: strategy.clone(),
            })
            .unwrap_or_else(|e| panic!("{e}"));
    }
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn import_1000(b: Bencher) {
    let corpus = corpus();
    b.with_inputs(|| {
        SqliteStore::open_migrated(&scratch("import")).unwrap_or_else(|e| panic!("{e}"))
    })
    .bench_local_values(|store| import_all(&store, &corpus));
}

/// The anchor: the same blobs (strategy JSON and source) inserted by a bare loop, one durable
/// transaction each.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn bare_insert_1000(b: Bencher) {
    let corpus = corpus();
    let blobs: Vec<(String, String, String)> = corpus
        .iter()
        .map(|(s, st, src)| {
            (
                s.to_string(),
                serde_json::to_string(st).unwrap_or_default(),
                src.clone(),
            )
        })
        .collect();
    b.with_inputs(|| {
        let conn = rusqlite::Connection::open(scratch("bare")).unwrap_or_else(|e| panic!("{e}"));
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;
             CREATE TABLE blobs (mission TEXT PRIMARY KEY, strategy TEXT NOT NULL, source TEXT NOT NULL);",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        conn
    })
    .bench_local_values(|mut conn| {
        for (slug, json, source) in &blobs {
            let tx = conn.transaction().unwrap_or_else(|e| panic!("{e}"));
            tx.execute("INSERT INTO blobs VALUES (?1, ?2, ?3)", (slug, json, source))
                .unwrap_or_else(|e| panic!("{e}"));
            tx.commit().unwrap_or_else(|e| panic!("{e}"));
        }
    });
}

#[divan::bench]
fn show_latest(b: Bencher) {
    let corpus = corpus();
    let store = SqliteStore::open_migrated(&scratch("show")).unwrap_or_else(|e| panic!("{e}"));
    import_all(&store, &corpus);
    let mut i = 0;
    b.bench_local(|| {
        i = (i + 7) % MISSIONS;
        store
            .revision(&corpus[i].0, None)
            .unwrap_or_else(|e| panic!("{e}"))
    });
}

/// The anchor: reading the same blob back by key and decoding its JSON.
#[divan::bench]
fn bare_select(b: Bencher) {
    let corpus = corpus();
    let conn = rusqlite::Connection::open(scratch("select")).unwrap_or_else(|e| panic!("{e}"));
    conn.execute_batch("PRAGMA journal_mode = WAL; CREATE TABLE blobs (mission TEXT PRIMARY KEY, strategy TEXT NOT NULL);")
        .unwrap_or_else(|e| panic!("{e}"));
    for (slug, st, _) in &corpus {
        conn.execute(
            "INSERT INTO blobs VALUES (?1, ?2)",
            (slug.as_str(), serde_json::to_string(st).unwrap_or_default()),
        )
        .unwrap_or_else(|e| panic!("{e}"));
    }
    let mut stmt = conn
        .prepare("SELECT strategy FROM blobs WHERE mission = ?1")
        .unwrap_or_else(|e| panic!("{e}"));
    let mut i = 0;
    b.bench_local(|| {
        i = (i + 7) % MISSIONS;
        let json: String = stmt
            .query_row([corpus[i].0.as_str()], |r| r.get(0))
            .unwrap_or_else(|e| panic!("{e}"));
        serde_json::from_str::<Strategy>(&json).unwrap_or_else(|e| panic!("{e}"))
    });
}

/// Search over 200 missions (the Mali ICS under 200 names, so a common word matches in every
/// one of them: the worst case for ranking and counting), one page of 20 hits with snippets.
#[divan::bench(args = ["elections", "security cooperation", "malaria", "no such word"])]
fn search_200(b: Bencher, text: &str) {
    let corpus = corpus();
    let store = SqliteStore::open_migrated(&scratch("search")).unwrap_or_else(|e| panic!("{e}"));
    import_all(&store, &corpus[..200]);
    let q = cairn_store::SearchQuery {
        text: text.into(),
        public_only: false,
        limit: 20,
        offset: 0,
    };
    b.bench_local(|| store.search(&q).unwrap_or_else(|e| panic!("{e}")));
}
