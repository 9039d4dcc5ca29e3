//! The data CSV: `mission,indicator,period,kind,value`, dimension columns, `source,note`.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use cairn_core::{IndicatorCode, Observation, ObservationKind, Period};

use super::sheet::{self, Columns, Lookup, Row, error};
use super::{Known, TableError};

/// The columns every data CSV has, in the order they are written.
const REQUIRED: [&str; 5] = ["mission", "indicator", "period", "kind", "value"];
/// The optional columns, written after the dimensions.
const OPTIONAL: [&str; 2] = ["source", "note"];

/// Whether `name` is one of the data CSV's own columns (and so cannot name a dimension).
pub(super) fn is_column(name: &str) -> bool {
    REQUIRED.contains(&name) || OPTIONAL.contains(&name)
}

/// The message for a required cell left blank.
fn empty(row: usize, column: &str, expected: &str) -> TableError {
    error(
        row,
        column,
        "",
        format!("the cell is empty: expected {expected}"),
    )
}

/// Reads a data CSV. Every row is checked before anything is returned: Ok with all rows, or
/// Err with every error found (see the module documentation).
pub fn read_data(
    text: &[u8],
    known: &dyn Known,
) -> Result<Vec<(String, Observation)>, Vec<TableError>> {
    let mut errors = Vec::new();
    let example = [&REQUIRED[..], &OPTIONAL[..]].concat().join(",");
    let Some(sheet) = sheet::read(text, &example, &mut errors) else {
        return Err(errors);
    };
    let columns = Columns::new(&sheet.header);
    let found = columns.require(&REQUIRED, &mut errors);
    let &[mission, indicator, period, kind, value] = found.as_slice() else {
        return Err(errors);
    };
    let layout = Layout {
        mission,
        indicator,
        period,
        kind,
        value,
        source: columns.find("source"),
        note: columns.find("note"),
        dimensions: sheet
            .header
            .iter()
            .enumerate()
            .filter(|(_, name)| !is_column(name))
            .map(|(i, name)| (i, name.as_str()))
            .collect(),
    };
    let mut lookup = Lookup::new(known);
    let mut seen: HashMap<Key, usize> = HashMap::new();
    let mut out = Vec::with_capacity(sheet.rows.len());
    for row in &sheet.rows {
        if let Some((mission, observation)) = read_row(row, &layout, &mut lookup, &mut errors) {
            let key = (
                mission.clone(),
                observation.indicator.clone(),
                observation.period,
                observation.kind,
                observation.cell.clone(),
            );
            if let Some(first) = seen.get(&key) {
                errors.push(TableError {
                    row: row.number,
                    column: None,
                    value: None,
                    message: format!(
                        "the row repeats row {first}: the same mission, indicator, period, kind \
                         and cells ({}): each is given once",
                        describe(&key)
                    ),
                });
            } else {
                seen.insert(key, row.number);
                out.push((mission, observation));
            }
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

/// What makes an observation the same as another: mission, indicator, period, kind, cell.
type Key = (
    String,
    IndicatorCode,
    Period,
    ObservationKind,
    BTreeMap<String, String>,
);

fn describe((mission, code, period, kind, cell): &Key) -> String {
    let cell = if cell.is_empty() {
        "total".to_string()
    } else {
        cell.iter()
            .map(|(d, v)| format!("{d}={v}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!("{mission}, {code}, {period}, {kind}, {cell}")
}

/// Where each column is.
struct Layout<'a> {
    mission: usize,
    indicator: usize,
    period: usize,
    kind: usize,
    value: usize,
    source: Option<usize>,
    note: Option<usize>,
    dimensions: Vec<(usize, &'a str)>,
}

/// One row as an observation, or its errors.
fn read_row(
    row: &Row,
    at: &Layout<'_>,
    lookup: &mut Lookup<'_>,
    errors: &mut Vec<TableError>,
) -> Option<(String, Observation)> {
    let before = errors.len();
    let r = row.number;

    let mission = row.get(Some(at.mission));
    let mission_ok = if mission.is_empty() {
        errors.push(empty(
            r,
            "mission",
            "the mission's name in Cairn, e.g. mali",
        ));
        false
    } else if let Err(m) = lookup.mission(mission) {
        errors.push(error(r, "mission", mission, m));
        false
    } else {
        true
    };

    let code_text = row.get(Some(at.indicator));
    let code = if code_text.is_empty() {
        errors.push(empty(r, "indicator", "an indicator code such as EG.3.2-27"));
        None
    } else {
        match code_text.parse::<IndicatorCode>() {
            Ok(code) => Some(code),
            Err(e) => {
                errors.push(error(r, "indicator", code_text, e.to_string()));
                None
            }
        }
    };
    let indicator = match &code {
        Some(code) if mission_ok => match lookup.indicator(mission, code) {
            Ok(i) => Some(i),
            Err(m) => {
                errors.push(error(r, "indicator", code_text, m.to_string()));
                None
            }
        },
        _ => None,
    };

    let period_text = row.get(Some(at.period));
    let period = if period_text.is_empty() {
        errors.push(empty(
            r,
            "period",
            "a fiscal year (FY2023), a fiscal quarter (FY2023Q1), a month (2023-01) or a \
             calendar year (2023)",
        ));
        None
    } else {
        match period_text.parse::<Period>() {
            Ok(p) => Some(p),
            Err(e) => {
                errors.push(error(r, "period", period_text, e.to_string()));
                None
            }
        }
    };

    let kind_text = row.get(Some(at.kind));
    let kind = if kind_text.is_empty() {
        errors.push(empty(r, "kind", "baseline, target or actual"));
        None
    } else {
        match kind_text.parse::<ObservationKind>() {
            Ok(k) => Some(k),
            Err(m) => {
                errors.push(error(r, "kind", kind_text, m));
                None
            }
        }
    };

    let value_text = row.get(Some(at.value));
    let value = if value_text.is_empty() {
        errors.push(empty(
            r,
            "value",
            "a number such as 1250, -3.5 or 0.75 (leave the row out when there is no value)",
        ));
        None
    } else {
        match decimal(value_text) {
            Ok(v) => Some(v),
            Err(m) => {
                errors.push(error(r, "value", value_text, m));
                None
            }
        }
    };

    let mut cell = BTreeMap::new();
    for &(column, dimension) in &at.dimensions {
        let v = row.get(Some(column));
        if v.is_empty() {
            continue;
        }
        if let (Some(i), Some(code)) = (indicator, &code)
            && !i.disaggregations.iter().any(|d| d == dimension)
        {
            let declared = if i.disaggregations.is_empty() {
                "it has no disaggregations".to_string()
            } else {
                format!("it is disaggregated by {}", i.disaggregations.join(", "))
            };
            errors.push(error(
                r,
                dimension,
                v,
                format!(
                    "{v:?} is a value of {dimension:?}, but indicator {code} does not declare \
                     the dimension {dimension:?} ({declared}): leave the cell blank for the \
                     total, or add {dimension:?} to the indicator's disaggregations"
                ),
            ));
        }
        cell.insert(dimension.to_string(), v.to_string());
    }

    let text = |column: Option<usize>| Some(row.get(column)).filter(|s| !s.is_empty());
    let (source, note) = (text(at.source), text(at.note));

    if errors.len() > before {
        return None;
    }
    let observation = Observation {
        indicator: code?,
        period: period?,
        kind: kind?,
        value: value?,
        cell,
        source: source.map(str::to_string),
        note: note.map(str::to_string),
    };
    Some((mission.to_string(), observation))
}

/// A value: an optional minus, digits with at most one decimal point, finite.
fn decimal(text: &str) -> Result<f64, String> {
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (mut digits, mut points) = (0usize, 0usize);
    let plain = unsigned.bytes().all(|b| {
        digits += usize::from(b.is_ascii_digit());
        points += usize::from(b == b'.');
        b.is_ascii_digit() || b == b'.'
    });
    if plain && digits > 0 && points <= 1 {
        return match unsigned.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(if text.starts_with('-') { -v } else { v }),
            _ => Err(format!(
                "{text:?} is too large a number: expected a value below 1.8e308"
            )),
        };
    }
    let hint = if text.contains(',') {
        "write it without thousands separators (1000, not 1,000) and with a point for \
         decimals (2.5, not 2,5)"
    } else if text.contains('%') {
        "write a percentage without the % sign (45 for 45%)"
    } else if text.starts_with('+') {
        "write it without a plus sign"
    } else if text.contains(['$', '€', '£']) || text.contains("USD") || text.contains("CFA") {
        "write it without a currency"
    } else if text.parse::<f64>().is_ok_and(f64::is_finite) && text.contains(['e', 'E']) {
        "write it out in full, without an exponent (a spreadsheet writes 1.2E+06 when a cell is \
         formatted as scientific or too narrow, and the digits it hides are lost)"
    } else if text.contains(char::is_whitespace) {
        "write it without spaces"
    } else {
        "it must be a decimal number"
    };
    Err(format!(
        "{text:?} is not a number: {hint}; expected a number such as 1250, -3.5 or 0.75"
    ))
}

/// Writes observations as a data CSV that [`read_data`] reads back to the same rows: the
/// required columns, then every dimension any row names (in alphabetical order), then
/// `source,note`. Values are printed in full (never with an exponent) with as many digits as
/// it takes to read back the same `f64`. Cells are written as they are; the reader trims them.
pub fn write_data(rows: &[(String, Observation)]) -> String {
    let dimensions: BTreeSet<&str> = rows
        .iter()
        .flat_map(|(_, o)| o.cell.keys().map(String::as_str))
        .collect();
    let header = REQUIRED
        .iter()
        .chain(&dimensions)
        .chain(&OPTIONAL)
        .map(|s| (*s).to_string())
        .collect();
    let records = rows.iter().map(|(mission, o)| {
        let mut record = vec![
            mission.clone(),
            o.indicator.to_string(),
            o.period.to_string(),
            o.kind.to_string(),
            o.value.to_string(),
        ];
        record.extend(
            dimensions
                .iter()
                .map(|d| o.cell.get(*d).cloned().unwrap_or_default()),
        );
        record.push(o.source.clone().unwrap_or_default());
        record.push(o.note.clone().unwrap_or_default());
        record
    });
    sheet::write(std::iter::once(header).chain(records))
}

#[cfg(test)]
mod tests {
    use super::decimal;

    #[test]
    fn decimals() {
        for (text, v) in [
            ("0", 0.0),
            ("-3.5", -3.5),
            ("1250", 1250.0),
            (".5", 0.5),
            ("5.", 5.0),
            ("-0", -0.0),
            ("0.1", 0.1),
        ] {
            assert_eq!(decimal(text), Ok(v), "{text}");
        }
        for bad in [
            "", "-", ".", "1.2.3", "1,000", "45%", "+1", "$5", "1e6", "1 000", "NaN", "inf", "--1",
            "1-",
        ] {
            assert!(decimal(bad).is_err(), "{bad}");
        }
        assert!(decimal(&"9".repeat(400)).is_err_and(|m| m.contains("too large")),);
    }
}
