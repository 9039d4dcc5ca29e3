-- Milestones: a mission's dated deliverables, by code, and every status each has had.

-- A mission's milestones by code: the whole milestone as JSON (`sheet`, what is read back and
-- what audit digests cover), with the element it serves (its ElementId's number), the day it
-- is due (ISO date), its status and its marking as columns to select on.
CREATE TABLE milestones (
    mission  TEXT NOT NULL REFERENCES missions (slug),
    code     TEXT NOT NULL,
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
    mission   TEXT NOT NULL,
    code      TEXT NOT NULL,
    n         INTEGER NOT NULL,
    status    TEXT NOT NULL,
    previous  TEXT,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    PRIMARY KEY (mission, code, n),
    FOREIGN KEY (mission, code) REFERENCES milestones (mission, code)
) WITHOUT ROWID;

CREATE TRIGGER milestone_history_immutable BEFORE UPDATE ON milestone_history
BEGIN SELECT RAISE(ABORT, 'milestone history is append-only'); END;
CREATE TRIGGER milestone_history_kept BEFORE DELETE ON milestone_history
BEGIN SELECT RAISE(ABORT, 'milestone history is never deleted'); END;
