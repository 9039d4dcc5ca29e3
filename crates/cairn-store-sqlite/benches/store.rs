//! Store throughput against its anchor: committing 1,000 generated ICS revisions (one mission
//! each) and reading a mission's latest revision, beside a bare INSERT / SELECT loop of the same
//! JSON blobs over the same SQLite settings (WAL, synchronous = FULL, one transaction per write);
//! and a batch of 100,000 observations, beside a bare prepared INSERT of the same rows' text into
//! an unindexed table in one transaction (what `sqlite3 .import` does).
//!
//! `cargo bench -p cairn-store-sqlite --bench store` (or `bench/store`).

use std::path::{Path, PathBuf};

use cairn_core::{Observation, ObservationKind, Strategy};
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

const INDICATORS: usize = 10;

/// 100,000 observations of one mission: 10 indicators × 50 fiscal quarters × target and actual
/// × 100 regions, in the order a CSV export lists them.
fn observation_rows() -> Vec<(Slug, Observation)> {
    let mali = Slug::parse("mali").unwrap_or_else(|e| panic!("{e}"));
    let mut rows = Vec::with_capacity(100_000);
    for i in 0..INDICATORS {
        for q in 0..50 {
            let period = format!("FY{}Q{}", 2001 + q / 4, q % 4 + 1);
            for kind in [ObservationKind::Target, ObservationKind::Actual] {
                for r in 0..100 {
                    let mut o = cairn_store::conformance::observation(
                        &format!("EG.{i}-1"),
                        &period,
                        kind,
                        f64::from(r) * 1.5 + f64::from(q),
                        &[("region", &format!("r{r:02}"))],
                    );
                    o.source = Some("bench".into());
                    rows.push((mali.clone(), o));
                }
            }
        }
    }
    rows
}

/// A store holding mission `mali` and the 10 indicators the rows name.
fn monitored_store(name: &str) -> SqliteStore {
    let store = SqliteStore::open_migrated(&scratch(name)).unwrap_or_else(|e| panic!("{e}"));
    let mali = Slug::parse("mali").unwrap_or_else(|e| panic!("{e}"));
    store
        .commit(NewRevision {
            slug: mali.clone(),
            country: Some("Mali".into()),
            bureau: Some("AF".into()),
            base: None,
            actor: "bench".into(),
            action: Action::Import,
            message: "import".into(),
            source: String::new(),
            strategy: cairn_store::conformance::strategy(&["Calm."]),
        })
        .unwrap_or_else(|e| panic!("{e}"));
    let indicators: Vec<_> = (0..INDICATORS)
        .map(|i| cairn_store::conformance::indicator(&format!("EG.{i}-1"), 3, "Bench"))
        .collect();
    store
        .put_indicators(&mali, &indicators, "bench")
        .unwrap_or_else(|e| panic!("{e}"));
    store
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn put_observations_100k(b: Bencher) {
    let rows = observation_rows();
    b.with_inputs(|| monitored_store("observations"))
        .bench_local_values(|store| {
            let s = store
                .put_observations(&rows, "bench", "import")
                .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(s.added, rows.len());
            store
        });
}

/// The same batch again: every row read and found unchanged, nothing written.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn put_observations_100k_unchanged(b: Bencher) {
    let rows = observation_rows();
    b.with_inputs(|| {
        let store = monitored_store("unchanged");
        store
            .put_observations(&rows, "bench", "import")
            .unwrap_or_else(|e| panic!("{e}"));
        store
    })
    .bench_local_values(|store| {
        let s = store
            .put_observations(&rows, "bench", "again")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.unchanged, rows.len());
        store
    });
}

/// The anchor: the rows' text (as a CSV holds it) inserted by one prepared statement into a
/// table without key or index, in one transaction, as `sqlite3 .import` does.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn bare_insert_100k(b: Bencher) {
    let rows: Vec<[String; 8]> = observation_rows()
        .into_iter()
        .map(|(m, o)| {
            [
                m.to_string(),
                o.indicator.to_string(),
                o.period.to_string(),
                o.kind.to_string(),
                o.cell.values().cloned().collect(),
                o.value.to_string(),
                o.source.unwrap_or_default(),
                o.note.unwrap_or_default(),
            ]
        })
        .collect();
    b.with_inputs(|| {
        let conn =
            rusqlite::Connection::open(scratch("bare-rows")).unwrap_or_else(|e| panic!("{e}"));
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;
             CREATE TABLE data (mission TEXT, indicator TEXT, period TEXT, kind TEXT, region TEXT,
                                value TEXT, source TEXT, note TEXT);",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        conn
    })
    .bench_local_values(|mut conn| {
        let tx = conn.transaction().unwrap_or_else(|e| panic!("{e}"));
        {
            let mut insert = tx
                .prepare("INSERT INTO data VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
                .unwrap_or_else(|e| panic!("{e}"));
            for r in &rows {
                insert
                    .execute(rusqlite::params_from_iter(r.iter()))
                    .unwrap_or_else(|e| panic!("{e}"));
            }
        }
        tx.commit().unwrap_or_else(|e| panic!("{e}"));
        conn
    });
}

/// Reading the 100,000 observations back, in order.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn observations_100k(b: Bencher) {
    let rows = observation_rows();
    let store = monitored_store("read");
    store
        .put_observations(&rows, "bench", "import")
        .unwrap_or_else(|e| panic!("{e}"));
    let mali = Slug::parse("mali").unwrap_or_else(|e| panic!("{e}"));
    b.bench_local(|| {
        let read = store.observations(&mali).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(read.len(), rows.len());
        read
    });
}
