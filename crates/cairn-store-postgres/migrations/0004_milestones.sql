-- Milestones: a mission's dated deliverables, by code, and every status each has had: the same
-- tables and columns, in the same order, as the SQLite backend's 0004_milestones.sql.

-- A mission's milestones by code: the whole milestone as JSON text (`sheet`, what is read back
-- and what audit digests cover), with the element it serves (its ElementId's number), the day
-- it is due (ISO date, text like every other stored date), its status and its marking as
-- columns to select on.
CREATE TABLE milestones (
    mission  TEXT COLLATE "C" NOT NULL REFERENCES missions (slug),
    code     TEXT COLLATE "C" NOT NULL,
    element  INTEGER NOT NULL,
    due      TEXT NOT NULL,
    status   TEXT NOT NULL,
    marking  TEXT NOT NULL,
    sheet    TEXT NOT NULL,
    PRIMARY KEY (mission, code)
);

-- Every status of each milestone, numbered `n` in order: its first (n = 0, no `previous`),
-- then each change (n = 1, 2, …) with the status it replaced; the last is the milestone's
-- current status. `at` and `actor` say when and by whom it was set. Appended to, never changed.
CREATE TABLE milestone_history (
    mission   TEXT COLLATE "C" NOT NULL,
    code      TEXT COLLATE "C" NOT NULL,
    n         INTEGER NOT NULL,
    status    TEXT NOT NULL,
    previous  TEXT,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    PRIMARY KEY (mission, code, n),
    FOREIGN KEY (mission, code) REFERENCES milestones (mission, code)
);

CREATE TRIGGER milestone_history_immutable BEFORE UPDATE ON milestone_history
FOR EACH ROW EXECUTE FUNCTION cairn_refuse('milestone history is append-only');
CREATE TRIGGER milestone_history_kept BEFORE DELETE ON milestone_history
FOR EACH ROW EXECUTE FUNCTION cairn_refuse('milestone history is never deleted');
CREATE TRIGGER milestone_history_not_truncated BEFORE TRUNCATE ON milestone_history
FOR EACH STATEMENT EXECUTE FUNCTION cairn_refuse('milestone history is never deleted');
