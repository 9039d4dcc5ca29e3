-- Indicators, the current value of every observation, and the history of corrected values.

-- A mission's indicators by code: the whole reference sheet as JSON (`sheet`, what is read
-- back and what audit digests cover), with the element it measures (its ElementId's number)
-- and its marking as columns to select on.
CREATE TABLE indicators (
    mission  TEXT NOT NULL REFERENCES missions (slug),
    code     TEXT NOT NULL,
    element  INTEGER NOT NULL,
    marking  TEXT NOT NULL,
    sheet    TEXT NOT NULL,
    PRIMARY KEY (mission, code)
);

-- The current value of each observation, keyed by mission, indicator, period (canonical text:
-- FY2023, FY2023Q1, 2023-01, 2023), kind (baseline, target, actual) and cell (the JSON of the
-- sorted disaggregation map, {} for the total). `period_start` and `period_end` are the
-- period's first and last day (ISO dates), for chronological order and range queries. `at`,
-- `actor` and `reason` say when, by whom and why the current value was set; `corrections`
-- counts the values it replaced (0: it is the first, and the observation has no history rows).
-- One B-tree (WITHOUT ROWID): a row is found, and added, by its key alone.
CREATE TABLE observations (
    mission       TEXT NOT NULL,
    indicator     TEXT NOT NULL,
    period        TEXT NOT NULL,
    kind          TEXT NOT NULL,
    cell          TEXT NOT NULL,
    period_start  TEXT NOT NULL,
    period_end    TEXT NOT NULL,
    value         REAL NOT NULL,
    source        TEXT,
    note          TEXT,
    at            TEXT NOT NULL,
    actor         TEXT NOT NULL,
    reason        TEXT NOT NULL,
    corrections   INTEGER NOT NULL,
    PRIMARY KEY (mission, indicator, period, kind, cell),
    FOREIGN KEY (mission, indicator) REFERENCES indicators (mission, code)
) WITHOUT ROWID;

-- Every setting of each observation that was ever corrected, numbered `n` in order: its first
-- value (n = 0, no `previous`), copied here when it is first corrected, then each correction
-- (n = 1, 2, …) with the value it replaced. An observation never corrected has no rows: its
-- one setting is its row in `observations`. Appended to, never changed.
CREATE TABLE observation_history (
    mission    TEXT NOT NULL,
    indicator  TEXT NOT NULL,
    period     TEXT NOT NULL,
    kind       TEXT NOT NULL,
    cell       TEXT NOT NULL,
    n          INTEGER NOT NULL,
    value      REAL NOT NULL,
    previous   REAL,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    reason     TEXT NOT NULL,
    PRIMARY KEY (mission, indicator, period, kind, cell, n),
    FOREIGN KEY (mission, indicator, period, kind, cell)
        REFERENCES observations (mission, indicator, period, kind, cell)
) WITHOUT ROWID;

CREATE TRIGGER observation_history_immutable BEFORE UPDATE ON observation_history
BEGIN SELECT RAISE(ABORT, 'observation history is append-only'); END;
CREATE TRIGGER observation_history_kept BEFORE DELETE ON observation_history
BEGIN SELECT RAISE(ABORT, 'observation history is never deleted'); END;
