//! `cairn-bench`: the monitoring benchmark's tools outside divan (bench/monitoring runs them).
//!
//! ```text
//! cairn-bench csv DIR              the portfolio as DIR/data.csv and DIR/indicators.csv (the
//!                                  formats `cairn data import` and `cairn indicator import` read)
//! cairn-bench groups               every year value of the portfolio held in memory: how many,
//!                                  and their sum, by kind (to compare with DuckDB's GROUP BY),
//!                                  and the time its missions took to add
//! cairn-bench load DB [SCHEMA]     the portfolio into a store: strategy, indicators, one
//!                                  put_observations per mission
//! cairn-bench from-db DB [SCHEMA]  end to end from the database: every mission's strategy,
//!                                  indicators and observations read and held (cairn-app's
//!                                  monitoring::portfolio), then every mission rated in every
//!                                  fiscal year; RUNS times (default 3), then checked against the
//!                                  portfolio generated in memory
//! cairn-bench drop DB SCHEMA       drops a PostgreSQL schema `load` made
//! ```
//! DB is `sqlite://PATH` or a `postgres://` URL (with SCHEMA, the store lives in that schema).
//! Timings are printed as `name milliseconds` lines on stdout.

use std::process::ExitCode;
use std::time::Instant;

use cairn_bench::{Mission, Spec};
use cairn_core::ObservationKind;
use cairn_store::{Action, NewRevision, Slug, Store};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let spec = Spec::default();
    let result = match args.as_slice() {
        ["csv", dir] => csv(&spec, dir),
        ["groups"] => {
            groups(&spec);
            Ok(())
        }
        ["load", db, schema @ ..] => open(db, schema.first().copied()).and_then(|s| load(&spec, &*s)),
        ["from-db", db, schema @ ..] => {
            open(db, schema.first().copied()).and_then(|s| from_db(&spec, &*s))
        }
        ["drop", db, schema] => drop_schema(db, schema),
        _ => Err("usage: cairn-bench csv DIR | groups | load DB [SCHEMA] | from-db DB [SCHEMA] | drop DB SCHEMA".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cairn-bench: {e}");
            ExitCode::FAILURE
        }
    }
}

fn open(db: &str, schema: Option<&str>) -> Result<Box<dyn Store>, String> {
    if let Some(path) = db.strip_prefix("sqlite://") {
        let store = cairn_store_sqlite::SqliteStore::open_migrated(std::path::Path::new(path))
            .map_err(|e| e.to_string())?;
        return Ok(Box::new(store));
    }
    let store = match schema {
        Some(s) => cairn_store_postgres::PostgresStore::connect_schema(db, s),
        None => cairn_store_postgres::PostgresStore::connect(db),
    }
    .map_err(|e| e.to_string())?;
    store.migrate().map_err(|e| e.to_string())?;
    Ok(Box::new(store))
}

fn csv(spec: &Spec, dir: &str) -> Result<(), String> {
    use std::io::Write;
    let dir = std::path::Path::new(dir);
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let file = |name: &str| {
        std::fs::File::create(dir.join(name))
            .map(std::io::BufWriter::new)
            .map_err(|e| format!("{name}: {e}"))
    };
    let (mut data, mut indicators) = (file("data.csv")?, file("indicators.csv")?);
    let mut rows = 0;
    for (n, m) in spec.missions().enumerate() {
        let slug = m.slug.to_string();
        let element = |_: &str, id| {
            let node = m
                .identity
                .ids
                .iter()
                .find(|(_, i)| **i == id)
                .map(|(n, _)| n);
            node.map(cairn_ingest::tables::element_text)
                .unwrap_or_default()
        };
        let sheet: Vec<_> = m
            .indicators
            .iter()
            .map(|i| (slug.clone(), i.clone()))
            .collect();
        let text = cairn_ingest::tables::write_indicators(&sheet, element);
        let rows_of: Vec<_> = m
            .observations
            .iter()
            .map(|o| (slug.clone(), o.clone()))
            .collect();
        let table = cairn_ingest::tables::write_data(&rows_of);
        // One header per file: every mission's sheets have the same columns.
        let body = |t: &str| {
            if n == 0 {
                t.to_string()
            } else {
                t.split_once('\n')
                    .map(|(_, b)| b.to_string())
                    .unwrap_or_default()
            }
        };
        indicators
            .write_all(body(&text).as_bytes())
            .and_then(|()| data.write_all(body(&table).as_bytes()))
            .map_err(|e| e.to_string())?;
        rows += rows_of.len();
    }
    data.flush()
        .and_then(|()| indicators.flush())
        .map_err(|e| e.to_string())?;
    println!("rows {rows}");
    Ok(())
}

fn groups(spec: &Spec) {
    let (portfolio, adding) = spec.portfolio();
    println!("portfolio_build_ms {:.0}", adding.as_secs_f64() * 1e3);
    for kind in ObservationKind::ALL {
        let (n, sum) = portfolio
            .year_values()
            .filter(|v| v.kind == *kind)
            .fold((0usize, 0.0), |(n, s), v| (n + 1, s + v.value));
        println!("groups {kind} {n} {sum}");
    }
}

fn load(spec: &Spec, store: &dyn Store) -> Result<(), String> {
    let t = Instant::now();
    let mut rows = 0;
    for m in spec.missions() {
        let Mission {
            slug,
            country,
            strategy,
            indicators,
            observations,
            ..
        } = m;
        store
            .commit(NewRevision {
                slug: slug.clone(),
                country: Some(country),
                bureau: Some("AF".into()),
                base: None,
                actor: "bench".into(),
                action: Action::Import,
                message: "import".into(),
                source: String::new(),
                strategy,
            })
            .map_err(|e| e.to_string())?;
        store
            .put_indicators(&slug, &indicators, "bench")
            .map_err(|e| e.to_string())?;
        let batch: Vec<(Slug, _)> = observations
            .into_iter()
            .map(|o| (slug.clone(), o))
            .collect();
        rows += store
            .put_observations(&batch, "bench", "load")
            .map_err(|e| e.to_string())?
            .added;
    }
    println!("load_rows {rows}");
    println!("load_ms {:.0}", t.elapsed().as_secs_f64() * 1e3);
    Ok(())
}

fn from_db(spec: &Spec, store: &dyn Store) -> Result<(), String> {
    let runs: usize = std::env::var("RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    let missions: Vec<Slug> = store
        .missions()
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|m| m.slug)
        .collect();
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        let portfolio =
            cairn_app::monitoring::portfolio(store, &missions, true).map_err(|e| e.to_string())?;
        let read = t.elapsed();
        let statuses: Vec<_> = portfolio
            .missions()
            .flat_map(|(m, _)| spec.fiscal_years().map(move |fy| (m, fy)))
            .map(|(m, fy)| portfolio.status(m, fy))
            .collect();
        let all = t.elapsed();
        println!(
            "from_db_read_ms {:.1}\nfrom_db_rate_ms {:.1}\nfrom_db_total_ms {:.1}",
            read.as_secs_f64() * 1e3,
            (all - read).as_secs_f64() * 1e3,
            all.as_secs_f64() * 1e3
        );
        last = Some((portfolio, statuses));
    }
    let Some((from_db, statuses)) = last else {
        return Ok(());
    };
    // What came from the database rates as the portfolio generated in memory.
    let (memory, _) = spec.portfolio();
    let expected: Vec<_> = memory
        .missions()
        .flat_map(|(m, _)| spec.fiscal_years().map(move |fy| (m, fy)))
        .map(|(m, fy)| memory.status(m, fy))
        .collect();
    if statuses != expected || from_db.year_values().count() != memory.year_values().count() {
        return Err("the ratings from the database differ from those in memory".into());
    }
    println!("from_db_checked {} statuses", statuses.len());
    Ok(())
}

fn drop_schema(db: &str, schema: &str) -> Result<(), String> {
    let ok = !schema.is_empty()
        && schema
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if !ok {
        return Err(format!("{schema:?} is not a schema name"));
    }
    let mut client = postgres::Client::connect(db, postgres::NoTls).map_err(|e| e.to_string())?;
    client
        .batch_execute(&format!("DROP SCHEMA IF EXISTS \"{schema}\" CASCADE"))
        .map_err(|e| e.to_string())
}
