//! The milestone CSV: one dated deliverable per row, `mission,element,code,title,due,status`
//! and optional `note,marking`.

use chrono::NaiveDate;

use cairn_core::indicator::Marking;
use cairn_core::{ElementId, Milestone, MilestoneCode, MilestoneStatus};

use super::sheet::{self, Cells, Keyed, Layout, Lookup};
use super::{Known, TableError};

/// The milestone CSV's columns, in the order they are written.
const FORMAT: Keyed<6> = Keyed {
    what: "milestone",
    required: ["mission", "element", "code", "title", "due", "status"],
    optional: &["note", "marking"],
};

/// Reads a milestone CSV. Every row is checked before anything is returned: Ok with all rows,
/// or Err with every error found (see the module documentation).
pub fn read_milestones(
    text: &[u8],
    known: &dyn Known,
) -> Result<Vec<(String, Milestone)>, Vec<TableError>> {
    FORMAT.read(text, known, read_row, |m: &Milestone| m.code.clone())
}

/// One row as a milestone of a mission (its errors, if any, go to `cells`).
fn read_row(
    cells: &mut Cells<'_, '_>,
    at: &Layout<6>,
    lookup: &mut Lookup<'_>,
) -> Option<(String, Milestone)> {
    let [mission, element, code, title, due, status] = at.required;
    let mission = cells.mission(mission, lookup);
    let element = cells.element(
        element,
        mission,
        lookup,
        "the number of the goal (1), objective (1.2), sub-objective (1.1.2) or management \
         objective (M1) the milestone serves",
    );
    let code = cells.parse(
        Some(code),
        "code",
        "a milestone code such as M-ELECTIONS",
        None,
        |s| s.parse::<MilestoneCode>().map_err(|e| e.to_string()),
    );
    let title = cells.required(title, "title", "the milestone's title");
    let due = cells.parse(
        Some(due),
        "due",
        "the day it is due, e.g. 2024-03-31",
        None,
        iso_date,
    );
    let status = cells.vocabulary(Some(status), "status", MilestoneStatus::ALL, None);
    let marking = cells.vocabulary(
        at.optional("marking"),
        "marking",
        Marking::ALL,
        Some(Marking::Sbu),
    );
    let milestone = Milestone {
        code: code?,
        element: element?,
        title: title?.to_string(),
        due: due?,
        status: status?,
        note: cells.text(at.optional("note")),
        marking: marking?,
    };
    Some((mission?.to_string(), milestone))
}

/// `due`: a day written as ISO 8601 does, year-month-day with four, two and two digits.
fn iso_date(text: &str) -> Result<NaiveDate, String> {
    const EXPECTED: &str = "expected year-month-day, e.g. 2024-03-31";
    let b = text.as_bytes();
    let shaped = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    if !shaped {
        let hint = if text.contains('/') || text.contains('.') {
            "the day is written with hyphens, year first; "
        } else {
            ""
        };
        return Err(format!("{text:?} is not a date: {hint}{EXPECTED}"));
    }
    // Four and two ASCII digits always parse.
    let number = |range: std::ops::Range<usize>| text[range].parse::<u32>().unwrap_or_default();
    let (year, month, day) = (number(0..4), number(5..7), number(8..10));
    if !(1..=12).contains(&month) {
        return Err(format!(
            "{text:?} is not a date: the month must be 01 to 12; {EXPECTED}"
        ));
    }
    i32::try_from(year)
        .ok()
        .and_then(|y| NaiveDate::from_ymd_opt(y, month, day))
        .ok_or_else(|| {
            format!(
                "{text:?} is not a date: {}-{:02} has no day {day:02}; {EXPECTED}",
                &text[0..4],
                month
            )
        })
}

/// Writes milestones as a milestone CSV that [`read_milestones`] reads back to the same rows,
/// with every column. `element` gives the `element` text of a mission's element id in the
/// strategy the file is meant for (see [`super::element_text`]).
pub fn write_milestones(
    rows: &[(String, Milestone)],
    element: impl Fn(&str, ElementId) -> String,
) -> String {
    let records = rows.iter().map(|(mission, m)| {
        vec![
            mission.clone(),
            element(mission, m.element),
            m.code.to_string(),
            m.title.clone(),
            m.due.format("%Y-%m-%d").to_string(),
            m.status.to_string(),
            m.note.clone().unwrap_or_default(),
            m.marking.to_string(),
        ]
    });
    sheet::write(std::iter::once(FORMAT.header()).chain(records))
}
