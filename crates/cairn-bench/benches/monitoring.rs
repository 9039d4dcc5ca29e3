//! The monitoring benchmark (issue 5, point 10) over the generated portfolio
//! (`cairn_bench::Spec::default()`: 200 missions × 40 indicators × 6 cells, FY2016–FY2025:
//! 5,760,000 monthly actuals, 480,000 targets, 48,000 baselines), held in a
//! `cairn_core::portfolio::Portfolio` built once per process, outside the timings:
//!
//!   year_values       `Portfolio::roll_up`: the value of every series in every fiscal year
//!                     (every mission, indicator, cell and kind: 1,008,000 values, the groups of
//!                     bench/monitoring's DuckDB GROUP BY) from all 6,288,000 observations
//!   full_roll_up      the same, then every mission rated in every fiscal year (2,000 statuses:
//!                     indicators rated, rolled up to objectives, goals and the mission)
//!   rate_one_year     the 200 missions' statuses for FY2025, from the year values held
//!   one_observation   one observation → its mission's updated status for the observation's
//!                     year: `record` (a new month, or a correction of a past one) + `status`
//!   store_write_and_rate
//!                     the same with the observation written first through the store's
//!                     `put_observations` (one durable transaction with its history and audit
//!                     entry), into a store holding the first 5 missions' 157,200 observations:
//!                     SQLite, and PostgreSQL when CAIRN_TEST_POSTGRES_URL is set (in a fresh
//!                     schema, dropped afterwards)
//!
//! `cargo bench -p cairn-bench --bench monitoring`, or bench/monitoring, which sets DuckDB
//! beside it.

use std::sync::{LazyLock, Mutex, MutexGuard};

use cairn_bench::Spec;
use cairn_core::portfolio::{MissionId, Portfolio};
use cairn_core::{FiscalYear, Month, Observation, ObservationKind, Period};
use cairn_store::{Action, NewRevision, Slug, Store};
use divan::Bencher;

fn main() {
    divan::main();
}

static PORTFOLIO: LazyLock<Mutex<Portfolio>> =
    LazyLock::new(|| Mutex::new(Spec::default().portfolio().0));

fn portfolio() -> MutexGuard<'static, Portfolio> {
    PORTFOLIO
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[divan::bench(sample_count = 20, sample_size = 1)]
fn year_values(b: Bencher) {
    let mut p = portfolio();
    b.bench_local(|| p.roll_up());
}

#[divan::bench(sample_count = 20, sample_size = 1)]
fn full_roll_up(b: Bencher) {
    let mut p = portfolio();
    let years: Vec<FiscalYear> = Spec::default().fiscal_years().collect();
    b.bench_local(|| {
        p.roll_up();
        let missions: Vec<MissionId> = p.missions().map(|(m, _)| m).collect();
        missions
            .iter()
            .flat_map(|m| years.iter().map(|fy| p.status(*m, *fy)))
            .collect::<Vec<_>>()
    });
}

#[divan::bench(sample_count = 20, sample_size = 1)]
fn rate_one_year(b: Bencher) {
    let p = portfolio();
    b.bench_local(|| {
        p.missions()
            .map(|(m, _)| p.status(m, FiscalYear(2025)))
            .collect::<Vec<_>>()
    });
}

/// Observations to record in turn, each with its mission and year: actuals of a month of
/// FY2026 (new keys, until they come round again) or of FY2024 (corrections), spread over the
/// first `missions` missions, their indicators and cells.
fn arrivals(missions: usize, new: bool) -> Vec<(MissionId, Slug, Observation, FiscalYear)> {
    let spec = Spec::default();
    let p = portfolio();
    let ids: Vec<(MissionId, Slug)> = p
        .missions()
        .take(missions)
        .map(|(m, name)| (m, Slug::parse(name).unwrap_or_else(|e| panic!("{e}"))))
        .collect();
    let fy = FiscalYear(if new { 2026 } else { 2024 });
    (0..4096)
        .map(|i| {
            let (m, slug) = &ids[i % ids.len()];
            let k = i / ids.len() % spec.indicators;
            let cell = cairn_bench::CELLS[i % cairn_bench::CELLS.len()]
                .iter()
                .map(|(d, v)| ((*d).to_string(), (*v).to_string()))
                .collect();
            let month: Month = fy.months()[i % 12];
            let o = Observation {
                indicator: format!("PI.{k:02}")
                    .parse()
                    .unwrap_or_else(|e| panic!("{e}")),
                period: Period::Month(month),
                kind: ObservationKind::Actual,
                value: (i % 500) as f64,
                cell,
                source: None,
                note: None,
            };
            (*m, slug.clone(), o, fy)
        })
        .collect()
}

#[divan::bench(args = ["new", "correction"])]
fn one_observation(b: Bencher, what: &str) {
    let inputs = arrivals(200, what == "new");
    let mut p = portfolio();
    let mut i = 0;
    b.bench_local(|| {
        let (m, _, o, fy) = &inputs[i % inputs.len()];
        i += 1;
        p.record(*m, o).unwrap_or_else(|e| panic!("{e}"));
        p.status(*m, *fy)
    });
}

const STORED: usize = 5;

/// A store holding the first missions of the portfolio and all their data.
fn fill(store: &dyn Store) {
    for m in Spec::default().missions().take(STORED) {
        store
            .commit(NewRevision {
                slug: m.slug.clone(),
                country: Some(m.country),
                bureau: Some("AF".into()),
                base: None,
                actor: "bench".into(),
                action: Action::Import,
                message: "import".into(),
                source: String::new(),
                strategy: m.strategy,
            })
            .unwrap_or_else(|e| panic!("{e}"));
        store
            .put_indicators(&m.slug, &m.indicators, "bench")
            .unwrap_or_else(|e| panic!("{e}"));
        let rows: Vec<_> = m
            .observations
            .into_iter()
            .map(|o| (m.slug.clone(), o))
            .collect();
        store
            .put_observations(&rows, "bench", "load")
            .unwrap_or_else(|e| panic!("{e}"));
    }
}

fn postgres_url() -> Option<String> {
    std::env::var("CAIRN_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())
}

/// A PostgreSQL schema of the bench's own, dropped with this.
struct Scratch {
    url: String,
    schema: String,
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if let Ok(mut c) = postgres::Client::connect(&self.url, postgres::NoTls) {
            let _ = c.batch_execute(&format!(
                "DROP SCHEMA IF EXISTS \"{}\" CASCADE",
                self.schema
            ));
        }
    }
}

#[divan::bench(args = ["sqlite", "postgres"], sample_count = 30, sample_size = 1)]
fn store_write_and_rate(b: Bencher, backend: &str) {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    let sqlite_path = dir.join(format!("bench-monitoring-{}.db", std::process::id()));
    let (store, _scratch): (Box<dyn Store>, Option<Scratch>) = match backend {
        "sqlite" => {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", sqlite_path.display()));
            }
            let s = cairn_store_sqlite::SqliteStore::open_migrated(&sqlite_path)
                .unwrap_or_else(|e| panic!("{e}"));
            (Box::new(s), None)
        }
        _ => {
            let Some(url) = postgres_url() else {
                eprintln!(
                    "store_write_and_rate(postgres): skipped, CAIRN_TEST_POSTGRES_URL is not set"
                );
                return;
            };
            let schema = format!("cairn_bench_monitoring_{}", std::process::id());
            let s = cairn_store_postgres::PostgresStore::connect_schema(&url, &schema)
                .unwrap_or_else(|e| panic!("{e}"));
            s.migrate().unwrap_or_else(|e| panic!("{e}"));
            (Box::new(s), Some(Scratch { url, schema }))
        }
    };
    fill(&*store);
    let inputs = arrivals(STORED, true);
    let mut p = portfolio();
    let mut i = 0;
    b.bench_local(|| {
        let (m, slug, o, fy) = &inputs[i % inputs.len()];
        i += 1;
        store
            .put_observations(&[(slug.clone(), o.clone())], "bench", "new data")
            .unwrap_or_else(|e| panic!("{e}"));
        p.record(*m, o).unwrap_or_else(|e| panic!("{e}"));
        p.status(*m, *fy)
    });
    drop(store);
    let _ = std::fs::remove_file(&sqlite_path);
}
