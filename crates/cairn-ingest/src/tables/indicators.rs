//! The indicator CSV: one indicator (its reference sheet's fields) per row.

use std::str::FromStr;

use cairn_core::indicator::{Frequency, IndicatorType, IndicatorUnit, Marking, Measure};
use cairn_core::{Direction, ElementId, Indicator, IndicatorCode};

use super::sheet::{self, Cells, Keyed, Layout, Lookup};
use super::{Known, TableError};

/// The columns every indicator CSV has, in the order they are written.
const REQUIRED: [&str; 7] = [
    "mission",
    "element",
    "code",
    "title",
    "unit",
    "direction",
    "frequency",
];
/// The optional columns, in the order they are written.
const OPTIONAL: [&str; 9] = [
    "measure",
    "cumulative",
    "disaggregations",
    "definition",
    "data_source",
    "marking",
    "type",
    "method",
    "responsible_office",
];

/// The indicator CSV's columns.
const FORMAT: Keyed<7> = Keyed {
    what: "indicator",
    required: REQUIRED,
    optional: &OPTIONAL,
};

/// Reads an indicator CSV. Every row is checked before anything is returned: Ok with all
/// rows, or Err with every error found (see the module documentation).
pub fn read_indicators(
    text: &[u8],
    known: &dyn Known,
) -> Result<Vec<(String, Indicator)>, Vec<TableError>> {
    FORMAT.read(text, known, read_row, |i: &Indicator| i.code.clone())
}

/// One row as an indicator of a mission (its errors, if any, go to `cells`).
fn read_row(
    cells: &mut Cells<'_, '_>,
    at: &Layout<7>,
    lookup: &mut Lookup<'_>,
) -> Option<(String, Indicator)> {
    let [mission, element, code, title, unit, direction, frequency] = at.required;
    let mission = cells.mission(mission, lookup);
    let element = cells.element(
        element,
        mission,
        lookup,
        "the number of the goal (1), objective (1.2), sub-objective (1.1.2) or management \
         objective (M1) the indicator measures",
    );
    let code = cells.parse(
        Some(code),
        "code",
        "an indicator code such as EG.3.2-27",
        None,
        |s| s.parse::<IndicatorCode>().map_err(|e| e.to_string()),
    );
    let title = cells.required(title, "title", "the indicator's title");
    let unit = cells.vocabulary(Some(unit), "unit", IndicatorUnit::ALL, None);
    let direction = cells.parse(
        Some(direction),
        "direction",
        "increase or decrease",
        None,
        Direction::from_str,
    );
    let frequency = cells.vocabulary(Some(frequency), "frequency", Frequency::ALL, None);
    let measure = cells.vocabulary(
        at.optional("measure"),
        "measure",
        Measure::ALL,
        Some(Measure::Quantitative),
    );
    let cumulative = cells.parse(
        at.optional("cumulative"),
        "cumulative",
        "true, false, yes or no",
        Some(false),
        yes_no,
    );
    let disaggregations = cells.parse(
        at.optional("disaggregations"),
        "disaggregations",
        "dimension names separated by \";\"",
        Some(Vec::new()),
        dimensions,
    );
    let marking = cells.vocabulary(
        at.optional("marking"),
        "marking",
        Marking::ALL,
        Some(Marking::Sbu),
    );
    let kind = cells.vocabulary(
        at.optional("type"),
        "type",
        IndicatorType::ALL,
        Some(IndicatorType::Outcome),
    );
    let indicator = Indicator {
        code: code?,
        element: element?,
        title: title?.to_string(),
        definition: cells.text(at.optional("definition")),
        unit: unit?,
        direction: direction?,
        kind: kind?,
        measure: measure?,
        cumulative: cumulative?,
        frequency: frequency?,
        disaggregations: disaggregations?,
        data_source: cells.text(at.optional("data_source")),
        method: cells.text(at.optional("method")),
        responsible_office: cells.text(at.optional("responsible_office")),
        marking: marking?,
    };
    Some((mission?.to_string(), indicator))
}

/// `cumulative`: true, false, yes or no, in any case (a spreadsheet writes TRUE and FALSE).
fn yes_no(text: &str) -> Result<bool, String> {
    match text.to_ascii_lowercase().as_str() {
        "true" | "yes" => Ok(true),
        "false" | "no" => Ok(false),
        _ => Err(format!(
            "{text:?} is not a yes-or-no value: expected true, false, yes or no"
        )),
    }
}

/// `disaggregations`: dimension names separated by `;`, each trimmed, none blank, none
/// repeated, none a column of the data CSV (where each becomes a column).
fn dimensions(text: &str) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    for name in text.split(';').map(str::trim) {
        if name.is_empty() {
            return Err(format!(
                "{text:?} has a blank dimension name: expected names separated by \";\", e.g. \
                 sex;age band"
            ));
        }
        if super::data::is_column(name) {
            return Err(format!(
                "{text:?} names the dimension {name:?}, which is a column of the data CSV: \
                 choose another name"
            ));
        }
        if out.iter().any(|n| n == name) {
            return Err(format!("{text:?} names the dimension {name:?} twice"));
        }
        out.push(name.to_string());
    }
    Ok(out)
}

/// Writes indicators as an indicator CSV that [`read_indicators`] reads back to the same rows,
/// with every column. `element` gives the `element` text of a mission's element id in the
/// strategy the file is meant for (see [`super::element_text`]); the reader asks
/// [`Known::element`] to turn it back into the id.
pub fn write_indicators(
    rows: &[(String, Indicator)],
    element: impl Fn(&str, ElementId) -> String,
) -> String {
    let records = rows.iter().map(|(mission, i)| {
        let text = |s: &Option<String>| s.clone().unwrap_or_default();
        vec![
            mission.clone(),
            element(mission, i.element),
            i.code.to_string(),
            i.title.clone(),
            i.unit.to_string(),
            i.direction.to_string(),
            i.frequency.to_string(),
            i.measure.to_string(),
            i.cumulative.to_string(),
            i.disaggregations.join(";"),
            text(&i.definition),
            text(&i.data_source),
            i.marking.to_string(),
            i.kind.to_string(),
            text(&i.method),
            text(&i.responsible_office),
        ]
    });
    sheet::write(std::iter::once(FORMAT.header()).chain(records))
}
