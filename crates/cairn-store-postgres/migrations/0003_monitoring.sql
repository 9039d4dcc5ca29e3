-- Indicators, the current value of every observation, and the history of corrected values:
-- the same tables and columns, in the same order, as the SQLite backend's 0003_monitoring.sql.

-- A mission's indicators by code: the whole reference sheet as JSON text (`sheet`, what is read
-- back and what audit digests cover), with the element it measures (its ElementId's number)
-- and its marking as columns to select on.
CREATE TABLE indicators (
    mission  TEXT COLLATE "C" NOT NULL REFERENCES missions (slug),
    code     TEXT COLLATE "C" NOT NULL,
    element  INTEGER NOT NULL,
    marking  TEXT NOT NULL,
    sheet    TEXT NOT NULL,
    PRIMARY KEY (mission, code)
);

-- The current value of each observation, keyed by mission, indicator, period (canonical text),
-- kind and cell (the JSON of the sorted disaggregation map, {} for the total). `period_start`
-- and `period_end` are the period's first and last day (ISO dates, text like every other
-- stored date), for chronological order and range queries. `at`, `actor` and `reason` say
-- when, by whom and why the current value was set; `corrections` counts the values it
-- replaced (0: it is the first, and the observation has no history rows).
CREATE TABLE observations (
    mission       TEXT COLLATE "C" NOT NULL,
    indicator     TEXT COLLATE "C" NOT NULL,
    period        TEXT COLLATE "C" NOT NULL,
    kind          TEXT COLLATE "C" NOT NULL,
    cell          TEXT COLLATE "C" NOT NULL,
    period_start  TEXT NOT NULL,
    period_end    TEXT NOT NULL,
    value         DOUBLE PRECISION NOT NULL,
    source        TEXT,
    note          TEXT,
    at            TEXT NOT NULL,
    actor         TEXT NOT NULL,
    reason        TEXT NOT NULL,
    corrections   INTEGER NOT NULL,
    PRIMARY KEY (mission, indicator, period, kind, cell),
    FOREIGN KEY (mission, indicator) REFERENCES indicators (mission, code)
);

-- Every setting of each observation that was ever corrected, numbered `n` in order: its first
-- value (n = 0, no `previous`), copied here when it is first corrected, then each correction
-- (n = 1, 2, …) with the value it replaced. An observation never corrected has no rows: its
-- one setting is its row in `observations`. Appended to, never changed.
CREATE TABLE observation_history (
    mission    TEXT COLLATE "C" NOT NULL,
    indicator  TEXT COLLATE "C" NOT NULL,
    period     TEXT COLLATE "C" NOT NULL,
    kind       TEXT COLLATE "C" NOT NULL,
    cell       TEXT COLLATE "C" NOT NULL,
    n          INTEGER NOT NULL,
    value      DOUBLE PRECISION NOT NULL,
    previous   DOUBLE PRECISION,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    reason     TEXT NOT NULL,
    PRIMARY KEY (mission, indicator, period, kind, cell, n),
    FOREIGN KEY (mission, indicator, period, kind, cell)
        REFERENCES observations (mission, indicator, period, kind, cell)
);

CREATE TRIGGER observation_history_immutable BEFORE UPDATE ON observation_history
FOR EACH ROW EXECUTE FUNCTION cairn_refuse('observation history is append-only');
CREATE TRIGGER observation_history_kept BEFORE DELETE ON observation_history
FOR EACH ROW EXECUTE FUNCTION cairn_refuse('observation history is never deleted');
CREATE TRIGGER observation_history_not_truncated BEFORE TRUNCATE ON observation_history
FOR EACH STATEMENT EXECUTE FUNCTION cairn_refuse('observation history is never deleted');
