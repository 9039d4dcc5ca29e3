//! The PostgreSQL backend: the shared conformance suite, tampering, crashes, dumps, schemas.
//!
//! Tests that need a server read `CAIRN_TEST_POSTGRES_URL`; without it they say so on stderr
//! and pass. Each test works in a schema of its own (dropped at its end), so they run in
//! parallel on one database.

use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use cairn_store::conformance::strategy;
use cairn_store::{
    Action, Commit, NewRevision, NewUser, Slug, Store, StoreError, Username, Verification, verify,
};
use cairn_store_postgres::PostgresStore;

const SKIP: &str = "skipped: CAIRN_TEST_POSTGRES_URL is not set (CI sets it to postgres://postgres@127.0.0.1:5432/test)";

/// The test server's URL, or None (having said so) when tests are to skip.
fn test_url() -> Option<String> {
    match std::env::var("CAIRN_TEST_POSTGRES_URL") {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ => {
            eprintln!("{SKIP}");
            None
        }
    }
}

/// A schema of its own in the test database, dropped with the value.
struct TestDb {
    url: String,
    schema: String,
}

impl TestDb {
    /// None when there is no test server.
    fn new() -> Option<Self> {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let url = test_url()?;
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let schema = format!("cairn_test_{}_{n}_{nanos}", std::process::id());
        let db = Self { url, schema };
        db.raw()
            .batch_execute(&format!("DROP SCHEMA IF EXISTS \"{}\" CASCADE", db.schema))
            .unwrap_or_else(|e| panic!("{e}"));
        Some(db)
    }

    /// A migrated store over the schema.
    fn open(&self) -> PostgresStore {
        let store = PostgresStore::connect_schema(&self.url, &self.schema)
            .unwrap_or_else(|e| panic!("{e}"));
        store.migrate().unwrap_or_else(|e| panic!("{e}"));
        store
    }

    /// A plain connection, as anyone holding the database's credentials has, on the schema.
    fn raw(&self) -> postgres::Client {
        let mut client =
            postgres::Client::connect(&self.url, postgres::NoTls).unwrap_or_else(|e| panic!("{e}"));
        client
            .batch_execute(&format!("SET search_path TO \"{}\"", self.schema))
            .unwrap_or_else(|e| panic!("{e}"));
        client
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Ok(mut client) = postgres::Client::connect(&self.url, postgres::NoTls) {
            let _ = client.batch_execute(&format!(
                "DROP SCHEMA IF EXISTS \"{}\" CASCADE",
                self.schema
            ));
        }
    }
}

cairn_store::conformance_suite!(|| {
    TestDb::new().map(|db| move || -> Box<dyn Store> { Box::new(db.open()) })
});

fn slug(s: &str) -> Slug {
    Slug::parse(s).unwrap_or_else(|e| panic!("{e}"))
}

fn import_into(store: &dyn Store, mission: &str, base: Option<u32>, titles: &[&str]) -> Commit {
    store
        .commit(NewRevision {
            slug: slug(mission),
            country: Some("Mali".into()),
            bureau: Some("AF".into()),
            base,
            actor: "alice".into(),
            action: Action::Import,
            message: format!("{titles:?}"),
            source: String::new(),
            strategy: strategy(titles),
        })
        .unwrap_or_else(|e| panic!("{e}"))
}

fn import(store: &dyn Store, base: Option<u32>, titles: &[&str]) -> Commit {
    import_into(store, "mali", base, titles)
}

fn populate(store: &dyn Store) {
    import(store, None, &["A."]);
    import(store, Some(1), &["B."]);
    import(store, Some(2), &["C."]);
    import(store, Some(3), &["D."]);
}

/// Four revisions, four audit entries; None without a test server.
fn populated() -> Option<TestDb> {
    let db = TestDb::new()?;
    populate(&db.open());
    Some(db)
}

/// What an attacker with the database's credentials can do: drop the triggers, change rows.
fn tamper(db: &TestDb, sql: &str) {
    let mut conn = db.raw();
    conn.batch_execute(
        "DROP TRIGGER audit_append_only ON audit; DROP TRIGGER audit_kept ON audit;
         DROP TRIGGER revisions_immutable ON revisions; DROP TRIGGER revisions_kept ON revisions;",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    conn.batch_execute(sql)
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

fn broken_at(db: &TestDb) -> Option<u64> {
    match verify(&db.open()).unwrap_or_else(|e| panic!("{e}")) {
        Verification::Intact { .. } => None,
        Verification::Broken(b) => Some(b.seq),
    }
}

#[test]
fn the_triggers_refuse_changes_to_history() {
    let Some(db) = populated() else { return };
    let mut conn = db.raw();
    for sql in [
        "UPDATE audit SET actor = 'mallory' WHERE seq = 2",
        "DELETE FROM audit WHERE seq = 4",
        "TRUNCATE audit",
        "UPDATE revisions SET message = 'x' WHERE rev = 1",
        "DELETE FROM revisions WHERE rev = 4",
        "TRUNCATE revisions CASCADE",
    ] {
        match conn.batch_execute(sql) {
            Ok(()) => panic!("{sql} was allowed"),
            Err(e) => {
                let msg = e
                    .as_db_error()
                    .map(|d| d.message().to_string())
                    .unwrap_or_default();
                assert!(
                    msg.contains("immutable")
                        || msg.contains("never deleted")
                        || msg.contains("append-only"),
                    "{sql}: {e}"
                );
            }
        }
    }
    assert_eq!(broken_at(&db), None);
}

#[test]
fn an_edited_entry_is_named() {
    let Some(db) = populated() else { return };
    tamper(&db, "UPDATE audit SET actor = 'mallory' WHERE seq = 2");
    assert_eq!(broken_at(&db), Some(2));
}

#[test]
fn a_deleted_entry_is_named() {
    let Some(db) = populated() else { return };
    tamper(&db, "DELETE FROM audit WHERE seq = 3");
    assert_eq!(broken_at(&db), Some(3));
}

#[test]
fn a_deleted_last_entry_is_noticed_through_its_revision() {
    let Some(db) = populated() else { return };
    tamper(&db, "DELETE FROM audit WHERE seq = 4");
    assert_eq!(broken_at(&db), Some(4));
}

#[test]
fn an_inserted_entry_is_named() {
    let Some(db) = populated() else { return };
    // Make room at 3 by shifting the later entries up, then forge an entry there.
    tamper(
        &db,
        "UPDATE audit SET seq = seq + 10 WHERE seq >= 3;
         UPDATE audit SET seq = seq - 9 WHERE seq >= 13;
         INSERT INTO audit (seq, at, actor, action, object, before, after, prev_hash, hash)
         SELECT 3, at, 'mallory', action, object, before, after, hash, hash FROM audit WHERE seq = 2;",
    );
    assert_eq!(broken_at(&db), Some(3));
}

#[test]
fn reordered_entries_are_named() {
    let Some(db) = populated() else { return };
    tamper(
        &db,
        "UPDATE audit SET seq = 100 WHERE seq = 2;
         UPDATE audit SET seq = 2 WHERE seq = 3;
         UPDATE audit SET seq = 3 WHERE seq = 100;",
    );
    assert_eq!(broken_at(&db), Some(2));
}

#[test]
fn an_altered_revision_is_noticed() {
    let Some(db) = populated() else { return };
    tamper(&db, "UPDATE revisions SET digest = 'forged' WHERE rev = 2");
    assert!(broken_at(&db).is_some());
}

#[test]
fn a_database_from_a_newer_cairn_is_refused() {
    let Some(db) = populated() else { return };
    db.raw()
        .batch_execute("UPDATE cairn_meta SET value = '99' WHERE key = 'schema_version'")
        .unwrap_or_else(|e| panic!("{e}"));
    let store =
        PostgresStore::connect_schema(&db.url, &db.schema).unwrap_or_else(|e| panic!("{e}"));
    match store.migrate() {
        Err(StoreError::TooNew {
            found: 99,
            known: 4,
        }) => {}
        Err(e) => panic!("{e}"),
        Ok(()) => panic!("a newer schema was accepted"),
    }
}

#[test]
fn unreachable_servers_and_bad_urls_are_refused_clearly() {
    // Nothing listens on port 1; the password never appears in the message.
    let url = "postgres://alice:s3cret@127.0.0.1:1/cairn";
    match PostgresStore::connect(url) {
        Err(e @ StoreError::Unavailable { .. }) => {
            let msg = e.to_string();
            assert!(
                msg.contains("postgres://alice@127.0.0.1:1/cairn") && !msg.contains("s3cret"),
                "{msg}"
            );
            assert!(!msg.contains('\n'), "{msg}");
        }
        Err(e) => panic!("{e}"),
        Ok(_) => panic!("connected to port 1"),
    }
    for bad in [
        "postgres://db:notaport/cairn",
        "postgres://alice:s3cret@db:99999/cairn",
        "host=db port=",
    ] {
        match PostgresStore::connect(bad) {
            Err(e @ StoreError::Unavailable { .. }) => {
                let msg = e.to_string();
                assert!(!msg.contains("s3cret") && !msg.contains('\n'), "{msg}");
            }
            Err(e) => panic!("{bad}: {e}"),
            Ok(_) => panic!("{bad} was accepted"),
        }
    }
    assert!(matches!(
        PostgresStore::connect_schema(url, "Bad-Name"),
        Err(StoreError::Invalid(_))
    ));

    let Some(test) = test_url() else { return };
    let (base, _) = test.rsplit_once('/').unwrap_or((test.as_str(), ""));
    let missing = format!("{base}/cairn_no_such_database");
    match PostgresStore::connect(&missing) {
        Err(e @ StoreError::Unavailable { .. }) => {
            let msg = e.to_string();
            assert!(
                msg.contains("cairn_no_such_database")
                    && msg.contains("does not exist")
                    && !msg.contains('\n'),
                "{msg}"
            );
        }
        Err(e) => panic!("{e}"),
        Ok(_) => panic!("connected to a database that does not exist"),
    }
    let store = PostgresStore::connect(&test).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        store.describe(),
        format!(
            "PostgreSQL database {}",
            cairn_store_postgres::redact(&test)
        )
    );
}

#[test]
fn text_postgresql_cannot_hold_is_refused_by_name() {
    let Some(db) = TestDb::new() else { return };
    let store = db.open();
    let err = store
        .commit(NewRevision {
            slug: slug("mali"),
            country: None,
            bureau: None,
            base: None,
            actor: "alice".into(),
            action: Action::Import,
            message: "first".into(),
            source: "a\0b".into(),
            strategy: strategy(&["A."]),
        })
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.contains("source text") && err.contains("NUL"), "{err}");
    assert!(store.missions().unwrap_or_default().is_empty());
}

/// Writers on different missions share one chain: none may read the same head.
#[test]
fn writers_on_different_missions_keep_one_chain() {
    let Some(db) = TestDb::new() else { return };
    let (writers, each) = (4, 25);
    std::thread::scope(|s| {
        for w in 0..writers {
            let db = &db;
            s.spawn(move || {
                let store = db.open();
                let mission = format!("mission-{w}");
                for i in 0..each {
                    let base = if i == 0 { None } else { Some(i) };
                    assert_eq!(
                        import_into(&store, &mission, base, &[&format!("W{w} {i}.")]),
                        Commit::Created { rev: i + 1 }
                    );
                }
            });
        }
    });
    let store = db.open();
    match verify(&store).unwrap_or_else(|e| panic!("{e}")) {
        Verification::Intact { entries, .. } => assert_eq!(entries, (writers * each) as usize),
        Verification::Broken(b) => panic!("{b:?}"),
    }
    assert_eq!(
        store.integrity().unwrap_or_else(|e| panic!("{e}")),
        Vec::<String>::new()
    );
}

/// A session outside the store's protocol deadlocks with a writer, which the server picks as
/// the victim: the writer tries again and its write lands.
#[test]
fn a_writer_chosen_as_deadlock_victim_tries_again() {
    let Some(db) = populated() else { return };
    let mut foreign = db.raw();
    let pid: i32 = foreign
        .query_one("SELECT pg_backend_pid()", &[])
        .and_then(|r| r.try_get(0))
        .unwrap_or_else(|e| panic!("{e}"));
    // The writer waits first, so its deadlock check (after 1 s) runs before the foreign one's.
    foreign
        .batch_execute("SET deadlock_timeout = '20s'; BEGIN; SELECT * FROM missions WHERE slug = 'mali' FOR UPDATE")
        .unwrap_or_else(|e| panic!("{e}"));
    let outcome = std::thread::scope(|s| {
        let writer = s.spawn(|| db.open().commit_with_base(4));
        let mut watcher = db.raw();
        let blocked = |c: &mut postgres::Client| -> i64 {
            c.query_one(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE $1 = ANY (pg_blocking_pids(pid))",
                &[&pid],
            )
            .and_then(|r| r.try_get(0))
            .unwrap_or_else(|e| panic!("{e}"))
        };
        let started = std::time::Instant::now();
        while blocked(&mut watcher) == 0 {
            assert!(
                started.elapsed().as_secs() < 20,
                "the writer never waited for the foreign session"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        // The foreign session now wants what the writer holds: a deadlock.
        foreign
            .batch_execute("LOCK TABLE audit IN SHARE MODE; COMMIT")
            .unwrap_or_else(|e| panic!("{e}"));
        writer
            .join()
            .unwrap_or_else(|_| panic!("the writer panicked"))
    });
    assert_eq!(
        outcome.unwrap_or_else(|e| panic!("{e}")),
        Commit::Created { rev: 5 }
    );
    assert!(matches!(
        verify(&db.open()),
        Ok(Verification::Intact { entries: 5, .. })
    ));
}

trait CommitWithBase {
    fn commit_with_base(&self, base: u32) -> Result<Commit, StoreError>;
}

impl CommitWithBase for PostgresStore {
    fn commit_with_base(&self, base: u32) -> Result<Commit, StoreError> {
        self.commit(NewRevision {
            slug: slug("mali"),
            country: None,
            bureau: None,
            base: Some(base),
            actor: "alice".into(),
            action: Action::Edit,
            message: "after a deadlock".into(),
            source: String::new(),
            strategy: strategy(&["After a deadlock."]),
        })
    }
}

#[test]
fn a_dump_taken_during_writes_loads_to_identical_reads() {
    let Some(db) = populated() else { return };
    let store = db.open();
    let dump = std::thread::scope(|s| {
        s.spawn(|| {
            let writer = db.open();
            for i in 0..20 {
                let latest = writer
                    .mission(&slug("mali"))
                    .ok()
                    .flatten()
                    .map(|m| m.latest_rev);
                import(&writer, latest, &[&format!("W{i}.")]);
            }
        });
        store.dump().unwrap_or_else(|e| panic!("{e}"))
    });
    // The snapshot is consistent: every revision it holds has its audit entry.
    let n = dump.revisions.len();
    assert!((4..=24).contains(&n), "{n}");
    assert_eq!(dump.audit.len(), n);
    assert_eq!(
        dump.missions.first().map(|m| m.latest_rev as usize),
        Some(n)
    );

    let Some(target) = TestDb::new() else { return };
    let loaded = target.open();
    loaded.load(&dump).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(loaded.dump().ok(), Some(dump.clone()));
    assert!(matches!(verify(&loaded), Ok(Verification::Intact { entries, .. }) if entries == n));
    assert_eq!(
        loaded.integrity().unwrap_or_else(|e| panic!("{e}")),
        Vec::<String>::new()
    );
    assert!(
        loaded.load(&dump).is_err(),
        "a restore over data must be refused"
    );

    // The whole store, after the writer finished, round-trips too.
    let all = store.dump().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(all.revisions.len(), 24);
    let Some(again) = TestDb::new() else { return };
    let copy = again.open();
    copy.load(&all).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        copy.history(&slug("mali")).ok(),
        store.history(&slug("mali")).ok()
    );
    assert_eq!(verify(&copy).ok(), verify(&store).ok());
}

#[test]
fn a_dump_moves_between_backends_unchanged() {
    let Some(pg) = TestDb::new() else { return };
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let sqlite = cairn_store_sqlite::SqliteStore::open_migrated(&dir.path().join("a.db"))
        .unwrap_or_else(|e| panic!("{e}"));
    populate(&sqlite);
    import_into(&sqlite, "burkina-faso", None, &["X."]);
    import_into(&sqlite, "burkinab", None, &["Y."]);
    let from_sqlite = sqlite.dump().unwrap_or_else(|e| panic!("{e}"));

    let store = pg.open();
    store.load(&from_sqlite).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        store.dump().ok(),
        Some(from_sqlite.clone()),
        "PostgreSQL reads back what SQLite wrote"
    );
    assert_eq!(verify(&store).ok(), verify(&sqlite).ok());

    // And back: writes made on PostgreSQL load into SQLite as they are.
    import(&store, Some(4), &["E."]);
    let from_pg = store.dump().unwrap_or_else(|e| panic!("{e}"));
    let back = cairn_store_sqlite::SqliteStore::open_migrated(&dir.path().join("b.db"))
        .unwrap_or_else(|e| panic!("{e}"));
    back.load(&from_pg).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back.dump().ok(), Some(from_pg));
    assert!(matches!(
        verify(&back),
        Ok(Verification::Intact { entries: 7, .. })
    ));
}

/// Both backends' migrations give the same tables and columns, in the same order, with
/// equivalent types.
#[test]
fn schemas_match_across_backends() {
    let Some(db) = TestDb::new() else { return };
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let sqlite = cairn_store_sqlite::SqliteStore::open_migrated(&dir.path().join("cairn.db"))
        .unwrap_or_else(|e| panic!("{e}"));
    let family = |ty: &str| match ty.to_ascii_uppercase().as_str() {
        "TEXT" | "VARCHAR" | "CHARACTER VARYING" => "text".to_string(),
        "INTEGER" | "INT" | "BIGINT" | "SMALLINT" | "INT4" | "INT8" => "integer".to_string(),
        "REAL" | "DOUBLE PRECISION" | "FLOAT8" => "real".to_string(),
        other => other.to_ascii_lowercase(),
    };
    let normal = |rows: Vec<(String, String, String)>| -> Vec<(String, String, String)> {
        rows.into_iter()
            .map(|(t, c, ty)| (t, c, family(&ty)))
            .collect()
    };
    let store = db.open();
    let pg = normal(store.schema().unwrap_or_else(|e| panic!("{e}")));
    let lite = normal(sqlite.schema().unwrap_or_else(|e| panic!("{e}")));
    assert_eq!(pg, lite);
    for t in [
        "audit",
        "indicators",
        "milestone_history",
        "milestones",
        "missions",
        "observation_history",
        "observations",
        "revisions",
        "search",
        "sessions",
        "users",
    ] {
        assert!(pg.iter().any(|(x, _, _)| x == t), "{t} missing");
    }
    // Values are binary doubles on both sides (PostgreSQL's REAL would be single precision).
    for (t, c) in [
        ("observations", "value"),
        ("observation_history", "value"),
        ("observation_history", "previous"),
    ] {
        assert!(
            store.schema().unwrap_or_default().iter().any(|(x, y, ty)| (
                x.as_str(),
                y.as_str(),
                ty.as_str()
            ) == (
                t,
                c,
                "DOUBLE PRECISION"
            )),
            "{t}.{c}"
        );
    }
    // The generated tsvector column (PostgreSQL's full-text index input) and SQLite's FTS5
    // tables are each backend's own index structure, left out of both listings.
    assert!(!pg.iter().any(|(t, c, _)| t == "search" && c == "tsv"));
    assert!(!lite.iter().any(|(t, _, _)| t.starts_with("search_fts")));
    assert!(store.schema().unwrap_or_default().iter().any(|(t, c, ty)| (
        t.as_str(),
        c.as_str(),
        ty.as_str()
    ) == (
        "audit", "seq", "BIGINT"
    )));
    // Migrating again is a no-op.
    store.migrate().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(normal(store.schema().unwrap_or_default()), lite);
}

/// The writer side of the crash test: commits revisions forever, printing each number after
/// its commit returned. Runs only when the crash test starts it.
#[test]
#[ignore = "the writer process of no_acknowledged_write_is_lost_to_sigkill, started by it"]
fn crash_writer() {
    let (Ok(url), Ok(schema)) = (
        std::env::var("CAIRN_CRASH_WRITER_URL"),
        std::env::var("CAIRN_CRASH_WRITER_SCHEMA"),
    ) else {
        return;
    };
    let store = PostgresStore::connect_schema(&url, &schema).unwrap_or_else(|e| panic!("{e}"));
    store.migrate().unwrap_or_else(|e| panic!("{e}"));
    cairn_store::conformance::write_forever(&store);
}

/// SIGKILL a writer at varied moments 200 times; every revision it reported as committed is
/// there afterwards and the database and the audit chain are whole.
#[test]
fn no_acknowledged_write_is_lost_to_sigkill() {
    let Some(db) = TestDb::new() else { return };
    drop(db.open());
    let exe = std::env::current_exe().unwrap_or_else(|e| panic!("{e}"));
    let spawn = || {
        Command::new(&exe)
            .args([
                "--exact",
                "crash_writer",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("CAIRN_CRASH_WRITER_URL", &db.url)
            .env("CAIRN_CRASH_WRITER_SCHEMA", &db.schema)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{e}"))
    };
    cairn_store::conformance::kill_writers(200, &spawn, &|| Box::new(db.open()));
}

/// The Mali ICS in both backends: plain English words and their inflections find the same
/// blocks. (The stemmers differ on some derived forms: FTS5's Porter keeps `-ly` adverbs
/// whole and conflates `communicate` with `community`, PostgreSQL's Snowball English does the
/// reverse; and PostgreSQL's parser reads `1.2` and `U.S.` as one token where FTS5 reads two.
/// Across the sample's 963 distinct words, 34 differ in that way; none of the words below do.)
#[test]
fn search_agrees_across_backends_on_plain_english_words() {
    let Some(pg) = TestDb::new() else { return };
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let sqlite = cairn_store_sqlite::SqliteStore::open_migrated(&dir.path().join("a.db"))
        .unwrap_or_else(|e| panic!("{e}"));
    let postgres = pg.open();
    let source = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../samples/mali-ics-2022.txt"
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    let parsed = cairn_ingest::parse(source.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    let mut private = parsed.strategy.clone();
    private.marking = Some("SENSITIVE BUT UNCLASSIFIED".into());
    for store in [&sqlite as &dyn Store, &postgres] {
        for (mission, strategy) in [("mali", &parsed.strategy), ("mali-sbu", &private)] {
            store
                .commit(NewRevision {
                    slug: slug(mission),
                    country: Some("Mali".into()),
                    bureau: Some("AF".into()),
                    base: None,
                    actor: "alice".into(),
                    action: Action::Import,
                    message: "import".into(),
                    source: source.clone(),
                    strategy: strategy.clone(),
                })
                .unwrap_or_else(|e| panic!("{e}"));
        }
    }
    let found = |store: &dyn Store, text: &str, public_only: bool| {
        let r = store
            .search(&cairn_store::SearchQuery {
                text: text.into(),
                public_only,
                limit: 1000,
                offset: 0,
            })
            .unwrap_or_else(|e| panic!("{text}: {e}"));
        let mut blocks: Vec<String> = r
            .hits
            .iter()
            .map(|h| format!("{} {} {}", h.mission, h.node, h.field))
            .collect();
        blocks.sort();
        assert_eq!(r.total as usize, blocks.len(), "{text}");
        blocks
    };
    let mut matched = 0;
    for text in [
        "election",
        "elections",
        "elected",
        "government",
        "governance",
        "security",
        "secure",
        "health",
        "peace",
        "stability",
        "stable",
        "environment",
        "economic",
        "economy",
        "growth",
        "partnership",
        "partnerships",
        "partners",
        "violence",
        "violent",
        "terrorism",
        "terrorist",
        "women",
        "youth",
        "education",
        "agriculture",
        "corruption",
        "justice",
        "military",
        "humanitarian",
        "assistance",
        "strengthen",
        "strengthening",
        "strengthened",
        "improve",
        "improved",
        "improving",
        "challenges",
        "opportunity",
        "opportunities",
        "support",
        "supported",
        "supporting",
        "Mali",
        "Malian",
        "2022",
        "security cooperation",
        "civil society",
        "climate change",
        "public health",
        "Mission staff",
        "insecurity",
        "regions",
        "regional",
        "policy",
        "policies",
    ] {
        for public_only in [false, true] {
            let lite = found(&sqlite, text, public_only);
            assert_eq!(found(&postgres, text, public_only), lite, "{text:?}");
            if !public_only {
                matched += usize::from(!lite.is_empty());
            } else {
                assert!(lite.iter().all(|b| b.starts_with("mali ")), "{text}");
            }
        }
    }
    assert!(
        matched >= 50,
        "too few of the words are in the sample: {matched}"
    );
}

/// A database made before accounts and search (schema version 1) gets the new tables and an
/// index of the revisions it holds when it is migrated.
#[test]
fn an_old_database_is_indexed_when_migrated() {
    let Some(db) = populated() else { return };
    // Back to what 0001_init.sql alone made.
    db.raw()
        .batch_execute(
            "DROP TABLE milestone_history; DROP TABLE milestones;
             DROP TABLE observation_history; DROP TABLE observations; DROP TABLE indicators;
             DROP TABLE search; DROP TABLE sessions; DROP TABLE users;
             UPDATE cairn_meta SET value = '1' WHERE key = 'schema_version';",
        )
        .unwrap_or_else(|e| panic!("{e}"));
    let store = db.open();
    // The latest revision (objective "D.", justified "Why D.") is indexed, earlier ones not.
    assert_eq!(cairn_store::conformance::search_total(&store, "d"), 2);
    assert_eq!(cairn_store::conformance::search_total(&store, "c"), 0);
    assert_eq!(
        store.integrity().unwrap_or_else(|e| panic!("{e}")),
        Vec::<String>::new()
    );
    let version: String = db
        .raw()
        .query_one(
            "SELECT value FROM cairn_meta WHERE key = 'schema_version'",
            &[],
        )
        .and_then(|r| r.try_get(0))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(version, "4");
}

#[test]
fn an_account_altered_behind_the_stores_back_is_noticed() {
    let Some(db) = populated() else { return };
    db.open()
        .add_user(NewUser {
            username: Username::parse("ana").unwrap_or_else(|e| panic!("{e}")),
            role: cairn_core::Role::Viewer,
            password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
            must_change_password: false,
            actor: "root".into(),
        })
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(broken_at(&db), None);
    db.raw()
        .batch_execute("UPDATE users SET role = 'admin' WHERE username = 'ana'")
        .unwrap_or_else(|e| panic!("{e}"));
    match verify(&db.open()).unwrap_or_else(|e| panic!("{e}")) {
        Verification::Broken(b) => assert!(b.reason.contains("user/ana"), "{}", b.reason),
        Verification::Intact { .. } => panic!("a changed role went unnoticed"),
    }
    db.raw()
        .batch_execute("DELETE FROM users WHERE username = 'ana'")
        .unwrap_or_else(|e| panic!("{e}"));
    match verify(&db.open()).unwrap_or_else(|e| panic!("{e}")) {
        Verification::Broken(b) => assert!(b.reason.contains("no account"), "{}", b.reason),
        Verification::Intact { .. } => panic!("a deleted account went unnoticed"),
    }
}

#[test]
fn a_stale_search_index_is_reported() {
    let Some(db) = populated() else { return };
    db.raw()
        .batch_execute("UPDATE search SET rev = 1")
        .unwrap_or_else(|e| panic!("{e}"));
    let problems = db.open().integrity().unwrap_or_else(|e| panic!("{e}"));
    assert!(
        problems.iter().any(|p| p.contains("older revision")),
        "{problems:?}"
    );
}

/// Mission `mali` (four revisions) with indicators EG.3.2-27 and PS.6.2-1 and two values;
/// None without a test server.
fn monitored() -> Option<TestDb> {
    let db = populated()?;
    cairn_store::conformance::put_some_monitoring(&db.open());
    Some(db)
}

fn code(s: &str) -> cairn_core::IndicatorCode {
    s.parse().unwrap_or_else(|e| panic!("{e}"))
}

/// A database made before monitoring (schema version 2) gets the new tables, milestones' too,
/// when migrated, its data untouched.
#[test]
fn a_version_2_database_gets_the_monitoring_tables() {
    let Some(db) = populated() else { return };
    db.raw()
        .batch_execute(
            "DROP TABLE milestone_history; DROP TABLE milestones;
             DROP TABLE observation_history; DROP TABLE observations; DROP TABLE indicators;
             UPDATE cairn_meta SET value = '2' WHERE key = 'schema_version';",
        )
        .unwrap_or_else(|e| panic!("{e}"));
    let store = db.open();
    assert_eq!(store.history(&slug("mali")).unwrap_or_default().len(), 4);
    assert_eq!(store.indicators(&slug("mali")).ok(), Some(Vec::new()));
    store
        .put_indicators(
            &slug("mali"),
            &[cairn_store::conformance::indicator(
                "EG.3.2-27",
                1,
                "People trained",
            )],
            "alice",
        )
        .unwrap_or_else(|e| panic!("{e}"));
    store
        .put_milestones(&slug("mali"), &[milestone()], "alice")
        .unwrap_or_else(|e| panic!("{e}"));
    let version: String = db
        .raw()
        .query_one(
            "SELECT value FROM cairn_meta WHERE key = 'schema_version'",
            &[],
        )
        .and_then(|r| r.try_get(0))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(version, "4");
    assert_eq!(broken_at(&db), None);
}

#[test]
fn the_observation_history_refuses_changes() {
    let Some(db) = monitored() else { return };
    let mut conn = db.raw();
    for sql in [
        "UPDATE observation_history SET value = 1",
        "DELETE FROM observation_history",
        "TRUNCATE observation_history",
    ] {
        match conn.batch_execute(sql) {
            Ok(()) => panic!("{sql} was allowed"),
            Err(e) => {
                let msg = e
                    .as_db_error()
                    .map(|d| d.message().to_string())
                    .unwrap_or_default();
                assert!(msg.contains("observation history"), "{sql}: {e}");
            }
        }
    }
    assert!(
        conn.batch_execute(
            "INSERT INTO observations VALUES ('mali', 'NOPE-1', 'FY2023', 'target', '{}',
                 '2022-10-01', '2023-09-30', 1.0, NULL, NULL, 'x', 'y', 'z', 0)"
        )
        .is_err(),
        "rows must name an indicator the mission has"
    );
}

#[test]
fn an_indicator_altered_behind_the_stores_back_is_noticed() {
    let Some(db) = monitored() else { return };
    assert_eq!(broken_at(&db), None);
    db.raw()
        .batch_execute(
            "UPDATE indicators SET sheet = replace(sheet, 'People trained', 'People counted')
             WHERE code = 'EG.3.2-27'",
        )
        .unwrap_or_else(|e| panic!("{e}"));
    match verify(&db.open()).unwrap_or_else(|e| panic!("{e}")) {
        Verification::Broken(b) => assert!(
            b.reason.contains("mission/mali/indicator/EG.3.2-27"),
            "{}",
            b.reason
        ),
        Verification::Intact { .. } => panic!("a changed reference sheet went unnoticed"),
    }
}

/// A failure half-way through writing a batch (here a trigger standing in for a full disk, in
/// the third of four chunks) leaves nothing of it.
#[test]
fn a_batch_failing_half_way_leaves_nothing() {
    use cairn_core::ObservationKind::Actual;
    let Some(db) = monitored() else { return };
    let store = db.open();
    let (before, history, log) = (
        store.observations(&slug("mali")).unwrap_or_default(),
        store
            .observation_history(&slug("mali"), &code("EG.3.2-27"))
            .unwrap_or_default(),
        store.audit_log().unwrap_or_default(),
    );
    db.raw()
        .batch_execute(
            "CREATE FUNCTION fail_at_666() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN
                 IF NEW.value = 666 THEN RAISE EXCEPTION 'disk full'; END IF;
                 RETURN NEW;
             END $$;
             CREATE TRIGGER fail_at_666 BEFORE INSERT ON observations
             FOR EACH ROW EXECUTE FUNCTION fail_at_666();",
        )
        .unwrap_or_else(|e| panic!("{e}"));
    let rows: Vec<(Slug, cairn_core::Observation)> = (0..35_000)
        .map(|i| {
            let value = if i == 25_000 {
                666.0
            } else {
                f64::from(i) + 0.5
            };
            let period = format!("{}-{:02}", 2000 + i / 12 % 900, i % 12 + 1);
            let cell = format!("c{}", i / 10_800);
            (
                slug("mali"),
                cairn_store::conformance::observation(
                    "EG.3.2-27",
                    &period,
                    Actual,
                    value,
                    &[("group", &cell)],
                ),
            )
        })
        .collect();
    match store.put_observations(&rows, "bob", "import") {
        Err(StoreError::Database(e)) => assert!(e.contains("disk full"), "{e}"),
        other => panic!("expected a database error, got {other:?}"),
    }
    assert_eq!(
        store.observations(&slug("mali")).unwrap_or_default(),
        before
    );
    assert_eq!(
        store
            .observation_history(&slug("mali"), &code("EG.3.2-27"))
            .unwrap_or_default(),
        history
    );
    assert_eq!(store.audit_log().unwrap_or_default(), log);
    // And the connection is still good for the next batch.
    let ok: Vec<_> = rows
        .iter()
        .filter(|(_, o)| o.value != 666.0)
        .cloned()
        .collect();
    let s = store
        .put_observations(&ok, "bob", "import")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((s.added, s.updated, s.unchanged), (34_999, 0, 0));
    // A key given twice across chunks: the later row corrects the earlier.
    let mut twice = ok[..3].to_vec();
    let mut again = ok[0].clone();
    again.1.value = -1.0;
    twice.extend(std::iter::repeat_n(ok[1].clone(), 10_000));
    twice.push(again);
    let s = store
        .put_observations(&twice, "carol", "fix")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((s.added, s.updated, s.unchanged), (0, 1, 10_003));
    // A key added by a batch and corrected by the same batch, a chunk later.
    let new = |v: f64| {
        (
            slug("mali"),
            cairn_store::conformance::observation("PS.6.2-1", "FY2030", Actual, v, &[]),
        )
    };
    let mut batch = vec![new(1.0)];
    batch.extend(std::iter::repeat_n(ok[1].clone(), 10_000));
    batch.push(new(2.0));
    let s = store
        .put_observations(&batch, "dan", "late fix")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((s.added, s.updated, s.unchanged), (1, 1, 10_000));
    let h: Vec<(f64, Option<f64>, String)> = store
        .observation_history(&slug("mali"), &code("PS.6.2-1"))
        .unwrap_or_default()
        .into_iter()
        .map(|c| (c.value, c.previous, c.reason))
        .collect();
    assert_eq!(
        h,
        [
            (1.0, None, "late fix".to_string()),
            (2.0, Some(1.0), "late fix".to_string())
        ]
    );
}

/// Monitoring data written on either backend moves to the other through a dump, unchanged.
#[test]
fn monitoring_data_moves_between_backends_unchanged() {
    use cairn_core::ObservationKind::{Actual, Baseline, Target};
    use cairn_store::conformance::{indicator, observation};
    let Some(pg) = TestDb::new() else { return };
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let sqlite = cairn_store_sqlite::SqliteStore::open_migrated(&dir.path().join("a.db"))
        .unwrap_or_else(|e| panic!("{e}"));
    populate(&sqlite);
    import_into(&sqlite, "burkina-faso", None, &["X."]);
    for (mission, codes) in [
        ("mali", ["EG.3.2-27", "b.1"]),
        ("burkina-faso", ["EG.3.2-27", "A_1"]),
    ] {
        let list: Vec<_> = codes.iter().map(|c| indicator(c, 1, c)).collect();
        sqlite
            .put_indicators(&slug(mission), &list, "alice")
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let rows: Vec<(Slug, cairn_core::Observation)> = [
        (
            "mali",
            observation("EG.3.2-27", "FY2023", Target, 0.1 + 0.2, &[]),
        ),
        (
            "mali",
            observation("b.1", "2022-10", Actual, -1e-300, &[("Région", "Kidal")]),
        ),
        (
            "mali",
            observation("b.1", "2022-10", Actual, 4.0, &[("région", "Gao")]),
        ),
        (
            "burkina-faso",
            observation("A_1", "2023", Baseline, 1.0 / 7.0, &[]),
        ),
        (
            "burkina-faso",
            observation("EG.3.2-27", "FY2023Q4", Actual, 9e15 + 1.0, &[]),
        ),
    ]
    .into_iter()
    .map(|(m, o)| (slug(m), o))
    .collect();
    sqlite
        .put_observations(&rows, "alice", "import")
        .unwrap_or_else(|e| panic!("{e}"));
    let mut fix = rows[0].clone();
    fix.1.value = 0.3;
    sqlite
        .put_observations(&[fix], "bob", "rounding")
        .unwrap_or_else(|e| panic!("{e}"));
    // Milestones whose codes order differently by case and by collation.
    let milestones: Vec<cairn_core::Milestone> = ["b.1", "A_1", "a-2"]
        .iter()
        .map(|c| {
            cairn_store::conformance::milestone(
                c,
                1,
                "2024-09-30",
                cairn_core::MilestoneStatus::NotStarted,
            )
        })
        .collect();
    sqlite
        .put_milestones(&slug("mali"), &milestones, "alice")
        .unwrap_or_else(|e| panic!("{e}"));
    let done = cairn_core::Milestone {
        status: cairn_core::MilestoneStatus::Done,
        ..milestones[0].clone()
    };
    sqlite
        .put_milestones(&slug("mali"), &[done], "bob")
        .unwrap_or_else(|e| panic!("{e}"));
    let from_sqlite = sqlite.dump().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(from_sqlite.observation_history.len(), 6);
    assert_eq!(from_sqlite.milestone_history.len(), 4);

    let store = pg.open();
    store.load(&from_sqlite).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(store.dump().ok(), Some(from_sqlite.clone()));
    assert_eq!(verify(&store).ok(), verify(&sqlite).ok());
    for m in ["mali", "burkina-faso"] {
        assert_eq!(
            store.observations(&slug(m)).ok(),
            sqlite.observations(&slug(m)).ok()
        );
        assert_eq!(
            store.milestone_history(&slug(m)).ok(),
            sqlite.milestone_history(&slug(m)).ok()
        );
    }

    // Writes made on PostgreSQL load into SQLite as they are.
    let mut later = rows[1].clone();
    later.1.value = 2.0;
    store
        .put_observations(&[later], "carol", "later")
        .unwrap_or_else(|e| panic!("{e}"));
    let from_pg = store.dump().unwrap_or_else(|e| panic!("{e}"));
    let back = cairn_store_sqlite::SqliteStore::open_migrated(&dir.path().join("b.db"))
        .unwrap_or_else(|e| panic!("{e}"));
    back.load(&from_pg).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back.dump().ok(), Some(from_pg));
    assert_eq!(
        back.observation_history(&slug("mali"), &code("b.1")).ok(),
        store.observation_history(&slug("mali"), &code("b.1")).ok()
    );
    assert!(matches!(verify(&back), Ok(Verification::Intact { .. })));
}

#[test]
fn a_value_changed_behind_the_stores_back_is_reported() {
    let Some(db) = monitored() else { return };
    assert_eq!(db.open().integrity().ok(), Some(Vec::new()));
    db.raw()
        .batch_execute("UPDATE observations SET value = 99 WHERE kind = 'actual'")
        .unwrap_or_else(|e| panic!("{e}"));
    let problems = db.open().integrity().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        problems,
        [
            "mission mali: the history of EG.3.2-27 FY2023 actual {} does not end in its current value"
        ]
    );
}

fn milestone() -> cairn_core::Milestone {
    cairn_store::conformance::milestone(
        "M-1",
        1,
        "2024-01-31",
        cairn_core::MilestoneStatus::InProgress,
    )
}

/// Mission `mali` with milestone M-1, whose status changed once; None without a test server.
fn with_milestone() -> Option<TestDb> {
    let db = populated()?;
    let store = db.open();
    store
        .put_milestones(&slug("mali"), &[milestone()], "alice")
        .unwrap_or_else(|e| panic!("{e}"));
    let done = cairn_core::Milestone {
        status: cairn_core::MilestoneStatus::Done,
        ..milestone()
    };
    store
        .put_milestones(&slug("mali"), &[done], "bob")
        .unwrap_or_else(|e| panic!("{e}"));
    Some(db)
}

#[test]
fn the_milestone_history_refuses_changes() {
    let Some(db) = with_milestone() else { return };
    let mut conn = db.raw();
    for sql in [
        "UPDATE milestone_history SET status = 'dropped'",
        "DELETE FROM milestone_history",
        "TRUNCATE milestone_history",
    ] {
        match conn.batch_execute(sql) {
            Ok(()) => panic!("{sql} was allowed"),
            Err(e) => {
                let msg = e
                    .as_db_error()
                    .map(|d| d.message().to_string())
                    .unwrap_or_default();
                assert!(msg.contains("milestone history"), "{sql}: {e}");
            }
        }
    }
}

/// A status changed behind the store's back breaks both the audit digest and the history.
#[test]
fn a_milestone_altered_behind_the_stores_back_is_noticed() {
    let Some(db) = with_milestone() else { return };
    assert_eq!(broken_at(&db), None);
    assert_eq!(db.open().integrity().ok(), Some(Vec::new()));
    db.raw()
        .batch_execute(
            "UPDATE milestones SET status = 'delayed',
                 sheet = replace(sheet, '\"done\"', '\"delayed\"')",
        )
        .unwrap_or_else(|e| panic!("{e}"));
    match verify(&db.open()).unwrap_or_else(|e| panic!("{e}")) {
        Verification::Broken(b) => assert!(
            b.reason
                .contains("mission/mali/milestone/M-1 is not in the state"),
            "{}",
            b.reason
        ),
        Verification::Intact { .. } => panic!("a changed status went unnoticed"),
    }
    assert_eq!(
        db.open().integrity().ok(),
        Some(vec![
            "mission mali: the history of milestone M-1 does not end in its current status"
                .to_string()
        ])
    );
}
