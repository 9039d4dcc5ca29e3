//! The indicator CSV: one indicator (its reference sheet's fields) per row.

use std::collections::HashMap;
use std::fmt::Display;
use std::str::FromStr;

use cairn_core::indicator::{Frequency, IndicatorType, IndicatorUnit, Marking, Measure};
use cairn_core::{Direction, ElementId, Indicator, IndicatorCode};

use super::sheet::{self, Columns, Lookup, Row, error};
use super::{Known, TableError, element_node, element_text};

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

/// Where each column is (the optional ones perhaps nowhere).
struct Layout {
    required: [usize; 7],
    optional: [Option<usize>; 9],
}

impl Layout {
    fn optional(&self, name: &str) -> Option<usize> {
        let i = OPTIONAL.iter().position(|n| *n == name)?;
        self.optional[i]
    }
}

/// Reads an indicator CSV. Every row is checked before anything is returned: Ok with all
/// rows, or Err with every error found (see the module documentation).
pub fn read_indicators(
    text: &[u8],
    known: &dyn Known,
) -> Result<Vec<(String, Indicator)>, Vec<TableError>> {
    let mut errors = Vec::new();
    let Some(sheet) = sheet::read(text, &REQUIRED.join(","), &mut errors) else {
        return Err(errors);
    };
    let columns = Columns::new(&sheet.header);
    for name in &sheet.header {
        if !REQUIRED.contains(&name.as_str()) && !OPTIONAL.contains(&name.as_str()) {
            let hint = match REQUIRED
                .iter()
                .chain(&OPTIONAL)
                .find(|k| k.eq_ignore_ascii_case(name) || k.replace('_', " ") == *name)
            {
                Some(k) => format!("did you mean {k:?}? "),
                None => String::new(),
            };
            errors.push(TableError {
                row: 1,
                column: Some(name.clone()),
                value: Some(name.clone()),
                message: format!(
                    "{name:?} is not a column of the indicator CSV: {hint}expected {} and \
                     optionally {} (column names are lower case)",
                    REQUIRED.join(","),
                    OPTIONAL.join(",")
                ),
            });
        }
    }
    let found = columns.require(&REQUIRED, &mut errors);
    let Ok(required) = <[usize; 7]>::try_from(found) else {
        return Err(errors);
    };
    let layout = Layout {
        required,
        optional: OPTIONAL.map(|name| columns.find(name)),
    };
    let mut lookup = Lookup::new(known);
    let mut seen: HashMap<(String, IndicatorCode), usize> = HashMap::new();
    let mut out = Vec::with_capacity(sheet.rows.len());
    for row in &sheet.rows {
        let Some((mission, indicator)) = read_row(row, &layout, &mut lookup, &mut errors) else {
            continue;
        };
        let key = (mission, indicator.code.clone());
        if let Some(first) = seen.get(&key) {
            errors.push(error(
                row.number,
                "code",
                indicator.code.as_str(),
                format!(
                    "indicator {} of mission {} is already defined in row {first}: a code is \
                     given once per mission",
                    indicator.code, key.0
                ),
            ));
        } else {
            seen.insert(key.clone(), row.number);
            out.push((key.0, indicator));
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        // Rows of the wrong shape were reported while the file was read: in row order.
        errors.sort_by_key(|e| e.row);
        Err(errors)
    }
}

/// The names of a vocabulary, for messages.
fn names<T: Display>(all: &[T]) -> String {
    all.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// One row's cells, read with their errors collected.
struct Cells<'r, 'e> {
    row: &'r Row,
    errors: &'e mut Vec<TableError>,
}

impl<'r> Cells<'r, '_> {
    /// A required cell's text; None (with an error) when blank.
    fn required(&mut self, column: usize, name: &str, expected: &str) -> Option<&'r str> {
        let text = self.row.get(Some(column));
        if text.is_empty() {
            self.errors.push(error(
                self.row.number,
                name,
                "",
                format!("the cell is empty: expected {expected}"),
            ));
            return None;
        }
        Some(text)
    }

    /// A cell read with `parse`; `default` when blank (None with an error when there is no
    /// default), None with an error when `parse` refuses it.
    fn parse<T>(
        &mut self,
        column: Option<usize>,
        name: &str,
        expected: &str,
        default: Option<T>,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        let text = self.row.get(column);
        if text.is_empty() {
            if default.is_none() {
                self.errors.push(error(
                    self.row.number,
                    name,
                    "",
                    format!("the cell is empty: expected {expected}"),
                ));
            }
            return default;
        }
        match parse(text) {
            Ok(v) => Some(v),
            Err(m) => {
                self.errors.push(error(self.row.number, name, text, m));
                None
            }
        }
    }

    /// A vocabulary cell, with the core's message for a name it does not know.
    fn vocabulary<T: FromStr<Err = String> + Display>(
        &mut self,
        column: Option<usize>,
        name: &str,
        all: &[T],
        default: Option<T>,
    ) -> Option<T> {
        let expected = format!("one of {}", names(all));
        self.parse(column, name, &expected, default, str::parse)
    }

    /// An optional free-text cell.
    fn text(&self, column: Option<usize>) -> Option<String> {
        Some(self.row.get(column))
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    }
}

/// One row as an indicator of a mission, or its errors.
fn read_row(
    row: &Row,
    at: &Layout,
    lookup: &mut Lookup<'_>,
    errors: &mut Vec<TableError>,
) -> Option<(String, Indicator)> {
    let before = errors.len();
    let [mission, element, code, title, unit, direction, frequency] = at.required;
    let mut cells = Cells { row, errors };

    let mission = cells.required(mission, "mission", "the mission's name in Cairn, e.g. mali");
    let mission = mission.filter(|m| match lookup.mission(m) {
        Ok(()) => true,
        Err(message) => {
            cells.errors.push(error(row.number, "mission", m, message));
            false
        }
    });

    let element = cells
        .parse(
            Some(element),
            "element",
            "the number of the goal (1), objective (1.2), sub-objective (1.1.2) or management \
             objective (M1) the indicator measures",
            None,
            element_node,
        )
        .map(|node| element_text(&node));
    let element = match (mission, element) {
        (Some(m), Some(e)) => match lookup.element(m, &e) {
            Ok(id) => Some(id),
            Err(message) => {
                let text = row.get(Some(at.required[1]));
                cells
                    .errors
                    .push(error(row.number, "element", text, message));
                None
            }
        },
        _ => None,
    };

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

    if cells.errors.len() > before {
        return None;
    }
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
    let header = REQUIRED
        .iter()
        .chain(&OPTIONAL)
        .map(|s| (*s).to_string())
        .collect();
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
    sheet::write(std::iter::once(header).chain(records))
}
