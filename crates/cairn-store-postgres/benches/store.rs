//! Store throughput against its anchor, the PostgreSQL twin of the SQLite bench: committing
//! 1,000 generated ICS revisions (one mission each) and reading a mission's latest revision,
//! beside a bare INSERT / SELECT loop of the same JSON blobs through the same `postgres` client
//! and server settings (`synchronous_commit` left at its default, on; one transaction per write);
//! and a batch of 100,000 observations, beside a bare COPY of the same rows' text into an
//! unindexed table.
//!
//! `cargo bench -p cairn-store-postgres --bench store`, against `CAIRN_TEST_POSTGRES_URL`
//! (default `postgres://postgres@127.0.0.1:5432/test`). Every sample works in a fresh schema,
//! dropped after it, outside the timing.

use std::sync::atomic::{AtomicUsize, Ordering};

use cairn_core::{Observation, ObservationKind, Strategy};
use cairn_store::{Action, NewRevision, Slug, Store};
use cairn_store_postgres::PostgresStore;
use divan::Bencher;
use postgres::{Client, NoTls};

fn main() {
    divan::main();
}

const MISSIONS: usize = 1000;

fn url() -> String {
    std::env::var("CAIRN_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())
        .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/test".into())
}

/// 1,000 distinct strategies: the Mali ICS under 1,000 country names (as in the SQLite bench).
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

/// A fresh schema holding `T` (a store or a bare connection on it), dropped after `T` is.
struct Scratch<T> {
    on: T,
    schema: String,
}

impl<T> Drop for Scratch<T> {
    fn drop(&mut self) {
        if let Ok(mut c) = Client::connect(&url(), NoTls) {
            let _ = c.batch_execute(&format!(
                "DROP SCHEMA IF EXISTS \"{}\" CASCADE",
                self.schema
            ));
        }
    }
}

fn schema_name(what: &str) -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    format!("cairn_bench_{what}_{}_{n}", std::process::id())
}

fn store(what: &str) -> Scratch<PostgresStore> {
    let schema = schema_name(what);
    let store = PostgresStore::connect_schema(&url(), &schema).unwrap_or_else(|e| panic!("{e}"));
    store.migrate().unwrap_or_else(|e| panic!("{e}"));
    Scratch { on: store, schema }
}

/// A plain connection on a fresh schema holding the bare table.
fn bare(what: &str) -> Scratch<Client> {
    let schema = schema_name(what);
    let mut c = Client::connect(&url(), NoTls).unwrap_or_else(|e| panic!("{e}"));
    c.batch_execute(&format!(
        "CREATE SCHEMA \"{schema}\"; SET search_path TO \"{schema}\";
         CREATE TABLE blobs (mission TEXT PRIMARY KEY, strategy TEXT NOT NULL, source TEXT NOT NULL);"
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    Scratch { on: c, schema }
}

/// Slug, strategy JSON and source, as the bare loops store them.
fn blobs(corpus: &[(Slug, Strategy, String)]) -> Vec<(String, String, String)> {
    corpus
        .iter()
        .map(|(s, st, src)| {
            let json = serde_json::to_string(st).unwrap_or_else(|e| panic!("{e}"));
            (s.to_string(), json, src.clone())
        })
        .collect()
}

fn import_all(store: &PostgresStore, corpus: &[(Slug, Strategy, String)]) {
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

fn insert_all(c: &mut Client, blobs: &[(String, String, String)]) {
    let insert = c
        .prepare("INSERT INTO blobs VALUES ($1, $2, $3)")
        .unwrap_or_else(|e| panic!("{e}"));
    for (slug, json, source) in blobs {
        let mut tx = c.transaction().unwrap_or_else(|e| panic!("{e}"));
        tx.execute(&insert, &[slug, json, source])
            .unwrap_or_else(|e| panic!("{e}"));
        tx.commit().unwrap_or_else(|e| panic!("{e}"));
    }
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn import_1000(b: Bencher) {
    let corpus = corpus();
    b.with_inputs(|| store("import"))
        .bench_local_values(|scratch| {
            import_all(&scratch.on, &corpus);
            scratch // dropped (schema and all) outside the timing
        });
}

/// The anchor: the same blobs (strategy JSON and source) inserted by a bare loop of plain
/// INSERTs, one durable transaction each.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn bare_insert_1000(b: Bencher) {
    let blobs = blobs(&corpus());
    b.with_inputs(|| bare("insert"))
        .bench_local_values(|mut scratch| {
            insert_all(&mut scratch.on, &blobs);
            scratch
        });
}

#[divan::bench]
fn show_latest(b: Bencher) {
    let corpus = corpus();
    let scratch = store("show");
    import_all(&scratch.on, &corpus);
    let mut i = 0;
    b.bench_local(|| {
        i = (i + 7) % MISSIONS;
        scratch
            .on
            .revision(&corpus[i].0, None)
            .unwrap_or_else(|e| panic!("{e}"))
    });
}

/// The anchor: reading the same blob back by key (a statement prepared once) and decoding it.
#[divan::bench]
fn bare_select(b: Bencher) {
    let blobs = blobs(&corpus());
    let mut scratch = bare("select");
    insert_all(&mut scratch.on, &blobs);
    let select = scratch
        .on
        .prepare("SELECT strategy FROM blobs WHERE mission = $1")
        .unwrap_or_else(|e| panic!("{e}"));
    let mut i = 0;
    b.bench_local(|| {
        i = (i + 7) % MISSIONS;
        let json: String = scratch
            .on
            .query_one(&select, &[&blobs[i].0])
            .and_then(|r| r.try_get(0))
            .unwrap_or_else(|e| panic!("{e}"));
        serde_json::from_str::<Strategy>(&json).unwrap_or_else(|e| panic!("{e}"))
    });
}

/// Search over 200 missions (the Mali ICS under 200 names, so a common word matches in every
/// one of them: the worst case for ranking and counting), one page of 20 hits with headlines.
#[divan::bench(args = ["elections", "security cooperation", "malaria", "no such word"])]
fn search_200(b: Bencher, text: &str) {
    let corpus = corpus();
    let scratch = store("search");
    import_all(&scratch.on, &corpus[..200]);
    let q = cairn_store::SearchQuery {
        text: text.into(),
        public_only: false,
        limit: 20,
        offset: 0,
    };
    b.bench_local(|| scratch.on.search(&q).unwrap_or_else(|e| panic!("{e}")));
}

const INDICATORS: usize = 10;

/// 100,000 observations of one mission: 10 indicators × 50 fiscal quarters × target and actual
/// × 100 regions, in the order a CSV export lists them (as in the SQLite bench).
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

/// A fresh schema holding mission `mali` and the 10 indicators the rows name.
fn monitored_store(what: &str) -> Scratch<PostgresStore> {
    let scratch = store(what);
    let mali = Slug::parse("mali").unwrap_or_else(|e| panic!("{e}"));
    scratch
        .on
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
    scratch
        .on
        .put_indicators(&mali, &indicators, "bench")
        .unwrap_or_else(|e| panic!("{e}"));
    scratch
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn put_observations_100k(b: Bencher) {
    let rows = observation_rows();
    b.with_inputs(|| monitored_store("observations"))
        .bench_local_values(|scratch| {
            let s = scratch
                .on
                .put_observations(&rows, "bench", "import")
                .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(s.added, rows.len());
            scratch // dropped (schema and all) outside the timing
        });
}

/// The same batch again: every row read and found unchanged, nothing written.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn put_observations_100k_unchanged(b: Bencher) {
    let rows = observation_rows();
    b.with_inputs(|| {
        let scratch = monitored_store("unchanged");
        scratch
            .on
            .put_observations(&rows, "bench", "import")
            .unwrap_or_else(|e| panic!("{e}"));
        scratch
    })
    .bench_local_values(|scratch| {
        let s = scratch
            .on
            .put_observations(&rows, "bench", "again")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.unchanged, rows.len());
        scratch
    });
}

/// The anchor: the rows' text (as a CSV holds it) copied into a table without key or index,
/// in one transaction.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn bare_copy_100k(b: Bencher) {
    use std::io::Write;
    let mut csv = String::new();
    for (m, o) in observation_rows() {
        let region: String = o.cell.values().cloned().collect();
        csv.push_str(&format!(
            "{m}\t{}\t{}\t{}\t{region}\t{}\t{}\t\\N\n",
            o.indicator,
            o.period,
            o.kind,
            o.value,
            o.source.unwrap_or_default()
        ));
    }
    b.with_inputs(|| {
        let mut scratch = bare("copy");
        scratch
            .on
            .batch_execute(
                "CREATE TABLE data (mission TEXT, indicator TEXT, period TEXT, kind TEXT,
                                    region TEXT, value TEXT, source TEXT, note TEXT)",
            )
            .unwrap_or_else(|e| panic!("{e}"));
        scratch
    })
    .bench_local_values(|mut scratch| {
        let mut tx = scratch.on.transaction().unwrap_or_else(|e| panic!("{e}"));
        let mut writer = tx
            .copy_in("COPY data FROM STDIN")
            .unwrap_or_else(|e| panic!("{e}"));
        writer
            .write_all(csv.as_bytes())
            .unwrap_or_else(|e| panic!("{e}"));
        writer.finish().unwrap_or_else(|e| panic!("{e}"));
        tx.commit().unwrap_or_else(|e| panic!("{e}"));
        scratch
    });
}

/// Reading the 100,000 observations back, in order.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn observations_100k(b: Bencher) {
    let rows = observation_rows();
    let scratch = monitored_store("read");
    scratch
        .on
        .put_observations(&rows, "bench", "import")
        .unwrap_or_else(|e| panic!("{e}"));
    let mali = Slug::parse("mali").unwrap_or_else(|e| panic!("{e}"));
    b.bench_local(|| {
        let read = scratch
            .on
            .observations(&mali)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(read.len(), rows.len());
        read
    });
}
