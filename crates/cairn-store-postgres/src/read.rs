//! Queries. Every function takes a connection or an open transaction. Text is ordered with
//! `COLLATE "C"` (bytewise, as SQLite orders it) so that listings and dumps are the same on
//! every backend whatever the database's collation.

use cairn_store::search::{self, MARK_END, MARK_START, SNIPPET_WORDS};
use cairn_store::{
    AuditEntry, Credentials, DUMP_FORMAT, Dump, Mission, Revision, RevisionInfo, SearchHit,
    SearchQuery, SearchResults, Session, Slug, User, Username,
};
use chrono::{DateTime, Utc};
use postgres::{Client, GenericClient, IsolationLevel, Row, Statement};

use crate::{Error, corrupt};

pub(crate) fn time(r: &Row, i: usize) -> Result<DateTime<Utc>, Error> {
    let s: String = r.try_get(i)?;
    DateTime::parse_from_rfc3339(&s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| corrupt("timestamp", &s, e))
}

pub(crate) fn slug(r: &Row, i: usize) -> Result<Slug, Error> {
    let s: String = r.try_get(i)?;
    Slug::parse(&s).map_err(|e| corrupt("mission slug", &s, e))
}

pub(crate) fn json<T: serde::de::DeserializeOwned>(
    r: &Row,
    i: usize,
    what: &str,
) -> Result<T, Error> {
    let s: String = r.try_get(i)?;
    serde_json::from_str(&s).map_err(|e| corrupt(what, format_args!("{:.40}…", s), e))
}

/// A revision number, version or count: INTEGER, never negative.
fn number(r: &Row, i: usize, what: &str) -> Result<u32, Error> {
    let n: i32 = r.try_get(i)?;
    u32::try_from(n).map_err(|e| corrupt(what, n, e))
}

const MISSION: &str = "SELECT slug, country, bureau, created_at, version, latest_rev FROM missions";

fn mission_row(r: &Row) -> Result<Mission, Error> {
    Ok(Mission {
        slug: slug(r, 0)?,
        country: r.try_get(1)?,
        bureau: r.try_get(2)?,
        created_at: time(r, 3)?,
        version: number(r, 4, "mission version")?,
        latest_rev: number(r, 5, "latest revision number")?,
    })
}

pub fn missions(c: &mut impl GenericClient) -> Result<Vec<Mission>, Error> {
    c.query(&format!("{MISSION} ORDER BY slug COLLATE \"C\""), &[])?
        .iter()
        .map(mission_row)
        .collect()
}

pub fn mission(c: &mut impl GenericClient, slug: &Slug) -> Result<Option<Mission>, Error> {
    c.query_opt(&format!("{MISSION} WHERE slug = $1"), &[&slug.as_str()])?
        .as_ref()
        .map(mission_row)
        .transpose()
}

const REVISION: &str =
    "SELECT mission, rev, at, actor, message, source, strategy, identity, digest FROM revisions";

fn revision_row(r: &Row) -> Result<Revision, Error> {
    Ok(Revision {
        slug: slug(r, 0)?,
        rev: number(r, 1, "revision number")?,
        at: time(r, 2)?,
        actor: r.try_get(3)?,
        message: r.try_get(4)?,
        source: r.try_get(5)?,
        strategy: json(r, 6, "strategy")?,
        identity: json(r, 7, "identity")?,
        digest: r.try_get(8)?,
    })
}

/// A revision number as the INTEGER columns hold it; a number beyond them matches no row.
fn rev_param(rev: u32) -> i32 {
    i32::try_from(rev).unwrap_or(i32::MAX)
}

/// A revision, or the latest when `rev` is None.
pub fn revision(
    c: &mut impl GenericClient,
    slug: &Slug,
    rev: Option<u32>,
) -> Result<Option<Revision>, Error> {
    let row = match rev {
        Some(n) if i32::try_from(n).is_err() => None,
        Some(n) => c.query_opt(
            &format!("{REVISION} WHERE mission = $1 AND rev = $2"),
            &[&slug.as_str(), &rev_param(n)],
        )?,
        None => c.query_opt(
            &format!("{REVISION} WHERE mission = $1 ORDER BY rev DESC LIMIT 1"),
            &[&slug.as_str()],
        )?,
    };
    row.as_ref().map(revision_row).transpose()
}

/// Revisions after `after`, oldest first.
pub fn history(
    c: &mut impl GenericClient,
    slug: &Slug,
    after: u32,
) -> Result<Vec<RevisionInfo>, Error> {
    c.query(
        "SELECT rev, at, actor, message, digest FROM revisions WHERE mission = $1 AND rev > $2 ORDER BY rev",
        &[&slug.as_str(), &rev_param(after)],
    )?
    .iter()
    .map(|r| {
        Ok(RevisionInfo {
            rev: number(r, 0, "revision number")?,
            at: time(r, 1)?,
            actor: r.try_get(2)?,
            message: r.try_get(3)?,
            digest: r.try_get(4)?,
        })
    })
    .collect()
}

const AUDIT: &str =
    "SELECT seq, at, actor, action, object, before, after, prev_hash, hash FROM audit";

fn audit_row(r: &Row) -> Result<AuditEntry, Error> {
    let seq: i64 = r.try_get(0)?;
    Ok(AuditEntry {
        seq: u64::try_from(seq).map_err(|e| corrupt("audit sequence", seq, e))?,
        at: time(r, 1)?,
        actor: r.try_get(2)?,
        action: r.try_get(3)?,
        object: r.try_get(4)?,
        before: r.try_get(5)?,
        after: r.try_get(6)?,
        prev_hash: r.try_get(7)?,
        hash: r.try_get(8)?,
    })
}

pub fn audit_log(c: &mut impl GenericClient) -> Result<Vec<AuditEntry>, Error> {
    c.query(&format!("{AUDIT} ORDER BY seq"), &[])?
        .iter()
        .map(audit_row)
        .collect()
}

pub fn last_audit(c: &mut impl GenericClient) -> Result<Option<AuditEntry>, Error> {
    c.query_opt(&format!("{AUDIT} ORDER BY seq DESC LIMIT 1"), &[])?
        .as_ref()
        .map(audit_row)
        .transpose()
}

/// The actor of the newest audit entry about `object`.
pub fn last_actor(c: &mut impl GenericClient, object: &str) -> Result<Option<String>, Error> {
    Ok(c.query_opt(
        "SELECT actor FROM audit WHERE object = $1 ORDER BY seq DESC LIMIT 1",
        &[&object],
    )?
    .map(|r| r.try_get(0))
    .transpose()?)
}

/// References and the store's invariants: every revision belongs to a mission (PostgreSQL
/// enforces it; this notices a load that bypassed it), revisions numbered 1..n with the mission
/// pointing at the last, the search index on the latest, every corrected observation's history
/// ending in its current value, every milestone's in its status. One statement each, so each
/// sees one snapshot.
pub fn integrity(c: &mut impl GenericClient) -> Result<Vec<String>, Error> {
    let mut problems = Vec::new();
    let orphans = c.query(
        "SELECT r.mission FROM revisions r
         WHERE NOT EXISTS (SELECT 1 FROM missions m WHERE m.slug = r.mission)
         GROUP BY r.mission ORDER BY r.mission COLLATE \"C\"",
        &[],
    )?;
    for row in orphans {
        let mission: String = row.try_get(0)?;
        problems.push(format!(
            "a row of revisions points at nothing (mission {mission})"
        ));
    }
    let rows = c.query(
        "SELECT m.slug, m.latest_rev, COUNT(r.rev)::INTEGER, COALESCE(MAX(r.rev), 0), COALESCE(MIN(r.rev), 1)
         FROM missions m LEFT JOIN revisions r ON r.mission = m.slug
         GROUP BY m.slug ORDER BY m.slug COLLATE \"C\"",
        &[],
    )?;
    for row in rows {
        let slug: String = row.try_get(0)?;
        let (latest, count, max, min): (i32, i32, i32, i32) = (
            row.try_get(1)?,
            row.try_get(2)?,
            row.try_get(3)?,
            row.try_get(4)?,
        );
        if count != max || latest != max || min < 1 {
            problems.push(format!(
                "mission {slug}: {count} revisions numbered up to {max}, latest recorded as {latest}"
            ));
        }
    }
    let stale = c.query(
        "SELECT s.mission FROM search s JOIN missions m ON m.slug = s.mission
         WHERE s.rev <> m.latest_rev GROUP BY s.mission ORDER BY s.mission COLLATE \"C\"",
        &[],
    )?;
    for row in stale {
        let mission: String = row.try_get(0)?;
        problems.push(format!(
            "mission {mission}: the search index holds an older revision than the latest"
        ));
    }
    crate::monitoring::integrity(c, &mut problems)?;
    crate::milestones::integrity(c, &mut problems)?;
    Ok(problems)
}

/// Everything, in one REPEATABLE READ READ ONLY transaction: a consistent snapshot while
/// writers go on (they never block it, nor it them).
pub fn dump(client: &mut Client) -> Result<Dump, Error> {
    let mut tx = client
        .build_transaction()
        .isolation_level(IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()?;
    let missions = missions(&mut tx)?;
    let revisions = tx
        .query(
            &format!("{REVISION} ORDER BY mission COLLATE \"C\", rev"),
            &[],
        )?
        .iter()
        .map(revision_row)
        .collect::<Result<_, _>>()?;
    let audit = audit_log(&mut tx)?;
    let users = all_credentials(&mut tx)?;
    let mut dump = Dump {
        format: DUMP_FORMAT,
        missions,
        revisions,
        audit,
        users,
        indicators: Vec::new(),
        observations: Vec::new(),
        observation_history: Vec::new(),
        milestones: Vec::new(),
        milestone_history: Vec::new(),
    };
    crate::monitoring::dump_into(&mut tx, &mut dump)?;
    crate::milestones::dump_into(&mut tx, &mut dump)?;
    tx.commit()?;
    Ok(dump)
}

fn username(r: &Row, i: usize) -> Result<Username, Error> {
    let s: String = r.try_get(i)?;
    Username::parse(&s).map_err(|e| corrupt("user name", &s, e))
}

const USER: &str = "SELECT username, role, disabled, must_change_password, created_at, version, password_hash FROM users";

/// A user from the row's columns `at` .. `at + 5`, in [`USER`]'s order.
fn user_at(r: &Row, at: usize) -> Result<User, Error> {
    let role: String = r.try_get(at + 1)?;
    Ok(User {
        username: username(r, at)?,
        role: role.parse().map_err(|e| corrupt("role", &role, e))?,
        disabled: r.try_get(at + 2)?,
        must_change_password: r.try_get(at + 3)?,
        created_at: time(r, at + 4)?,
        version: number(r, at + 5, "user version")?,
    })
}

fn credentials_row(r: &Row) -> Result<Credentials, Error> {
    Ok(Credentials {
        user: user_at(r, 0)?,
        password_hash: r.try_get(6)?,
    })
}

pub fn users(c: &mut impl GenericClient) -> Result<Vec<User>, Error> {
    c.query(&format!("{USER} ORDER BY username COLLATE \"C\""), &[])?
        .iter()
        .map(|r| user_at(r, 0))
        .collect()
}

fn all_credentials(c: &mut impl GenericClient) -> Result<Vec<Credentials>, Error> {
    c.query(&format!("{USER} ORDER BY username COLLATE \"C\""), &[])?
        .iter()
        .map(credentials_row)
        .collect()
}

pub fn credentials(
    c: &mut impl GenericClient,
    username: &Username,
) -> Result<Option<Credentials>, Error> {
    c.query_opt(
        &format!("{USER} WHERE username = $1"),
        &[&username.as_str()],
    )?
    .as_ref()
    .map(credentials_row)
    .transpose()
}

/// A session and its user, unless the user is disabled.
pub fn session(
    c: &mut impl GenericClient,
    token_hash: &str,
) -> Result<Option<(Session, User)>, Error> {
    c.query_opt(
        "SELECT s.token_hash, s.username, s.created_at, s.last_seen,
                u.username, u.role, u.disabled, u.must_change_password, u.created_at, u.version
         FROM sessions s JOIN users u ON u.username = s.username
         WHERE s.token_hash = $1 AND NOT u.disabled",
        &[&token_hash],
    )?
    .map(|r| {
        Ok((
            Session {
                token_hash: r.try_get(0)?,
                username: username(&r, 1)?,
                created_at: time(&r, 2)?,
                last_seen: time(&r, 3)?,
            },
            user_at(&r, 4)?,
        ))
    })
    .transpose()
}

/// How `ts_headline` marks matched words and how much text it shows.
fn headline_options() -> String {
    format!(
        "StartSel=\"{MARK_START}\", StopSel=\"{MARK_END}\", MaxWords={SNIPPET_WORDS}, MinWords=15, ShortWord=3, HighlightAll=false, MaxFragments=0"
    )
}

/// The count and the page in one statement (one snapshot): the matches through the GIN index,
/// ranked (`ts_rank`, normalised by the log of the block's length, as bm25 is by its length)
/// and cut to the page; only the page's rows get a headline. A page past the end still brings
/// the count (the LEFT JOIN's one row of NULLs).
///
/// `ts_headline` re-parses and stems all the text it is given, which for a long block (a
/// mission's priorities run to thousands of characters) costs milliseconds. So it is first
/// given a window of about 360 characters (whole words: room for the 30 a headline shows)
/// starting a few words before the first word (after a space or a line break) that begins with
/// a query word's stem; the stem, less a final `i` (`countri`), is a prefix of the words it
/// stands for. (A few words, fewer than `MinWords`: when the window holds no place with every
/// query word, `ts_headline` shows its first words.) Only when the window's headline shows no
/// match (an irregular stem such as `die` for `dying`, an accented capital) does the whole
/// text get one.
///
/// A long text is stored compressed, and every mention of the column decompresses it again:
/// `d` decompresses it once (`|| ''` makes a new value; `OFFSET 0` keeps the planner from
/// folding the subquery back into its mentions), and `l` lower-cases it once (ASCII only,
/// `COLLATE "C"`, which is what the stems need and many times cheaper).
pub(crate) const SEARCH: &str = "WITH hits AS MATERIALIZED (
         SELECT s.id, s.mission, s.ord, ts_rank(s.tsv, plainto_tsquery('english', $1), 1) AS rank
         FROM search s
         WHERE s.tsv @@ plainto_tsquery('english', $1) AND (NOT $2 OR s.public)
     ),
     page AS (
         SELECT id, rank, mission, ord FROM hits
         ORDER BY rank DESC, mission COLLATE \"C\", ord
         LIMIT $3 OFFSET $4
     ),
     stems AS MATERIALIZED (
         SELECT NULLIF(rtrim(stem, 'i'), '') AS stem
         FROM unnest(tsvector_to_array(to_tsvector('english', $1))) stem
     )
     SELECT t.total, s.mission, m.country, s.rev, s.node, s.field, s.heading, d.text,
            CASE WHEN strpos(hw.headline, $6) > 0 THEN hw.headline
                 ELSE ts_headline('english', d.text, plainto_tsquery('english', $1), $5)
            END,
            p.rank::FLOAT8
     FROM (SELECT COUNT(*) AS total FROM hits) t
     LEFT JOIN (
         page p
         JOIN search s ON s.id = p.id
         JOIN missions m ON m.slug = s.mission
         CROSS JOIN LATERAL (SELECT s.text || '' AS text OFFSET 0) d
         CROSS JOIN LATERAL (
             SELECT ' ' || lower(d.text COLLATE \"C\") AS text OFFSET 0
         ) l
         CROSS JOIN LATERAL (
             SELECT COALESCE(MIN(LEAST(
                        NULLIF(strpos(l.text, ' ' || stems.stem), 0),
                        NULLIF(strpos(l.text, E'\\n' || stems.stem), 0)
                    )), 0) AS first
             FROM stems
         ) w
         CROSS JOIN LATERAL (
             SELECT ts_headline('english',
                 CASE WHEN w.first = 0 OR length(d.text) <= 400 THEN d.text
                      WHEN w.first <= 60 THEN regexp_replace(left(d.text, 360), '\\s+\\S*$', '')
                      ELSE regexp_replace(substring(d.text FROM w.first - 60 FOR 360),
                                          '^\\S*\\s+|\\s+\\S*$', '', 'g')
                 END,
                 plainto_tsquery('english', $1), $5) AS headline
         ) hw
     ) ON TRUE
     ORDER BY p.rank DESC, p.mission COLLATE \"C\", p.ord";

/// Runs [`SEARCH`], prepared on this connection as `statement`.
pub fn search(
    c: &mut impl GenericClient,
    statement: &Statement,
    q: &SearchQuery,
) -> Result<SearchResults, Error> {
    let terms = search::match_terms(&q.text);
    if terms.is_empty() {
        return Ok(SearchResults::empty());
    }
    let rows = c.query(
        statement,
        &[
            &terms.join(" "),
            &q.public_only,
            &i64::from(q.limit),
            &i64::from(q.offset),
            &headline_options(),
            &MARK_START.to_string(),
        ],
    )?;
    let mut total = 0;
    let mut hits = Vec::new();
    for r in &rows {
        let count: i64 = r.try_get(0)?;
        total = u64::try_from(count).unwrap_or(0);
        let mission: Option<String> = r.try_get(1)?;
        if mission.is_none() {
            continue;
        }
        let text: String = r.try_get(7)?;
        let marked: String = r.try_get(8)?;
        hits.push(SearchHit {
            mission: slug(r, 1)?,
            country: r.try_get(2)?,
            rev: number(r, 3, "revision number")?,
            node: r.try_get(4)?,
            field: r.try_get(5)?,
            heading: r.try_get(6)?,
            snippet: search::fragments(&ellipsized(&text, &marked)),
            rank: r.try_get(9)?,
        });
    }
    Ok(SearchResults { total, hits })
}

/// A headline with "…" where it cuts the text, as FTS5's snippets have.
fn ellipsized(text: &str, marked: &str) -> String {
    let plain = search::clean(marked);
    let plain = plain.trim();
    let mut out = String::new();
    if !text.trim_start().starts_with(plain) {
        out.push('…');
    }
    out.push_str(marked.trim());
    if !text.trim_end().ends_with(plain) {
        out.push('…');
    }
    out
}

/// The tables of the current schema but `cairn_meta`, as `(table, column, TYPE)`; generated
/// columns (the full-text index's `search.tsv`, whose SQLite counterpart is the FTS5 table) are
/// left out.
pub fn schema(c: &mut impl GenericClient) -> Result<Vec<(String, String, String)>, Error> {
    c.query(
        "SELECT c.table_name::TEXT, c.column_name::TEXT, c.data_type::TEXT
         FROM information_schema.columns c
         JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
         WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' AND c.table_name <> 'cairn_meta'
           AND c.is_generated = 'NEVER'
         ORDER BY c.table_name::TEXT COLLATE \"C\", c.ordinal_position",
        &[],
    )?
    .iter()
    .map(|r| {
        let ty: String = r.try_get(2)?;
        Ok((r.try_get(0)?, r.try_get(1)?, ty.to_ascii_uppercase()))
    })
    .collect()
}
