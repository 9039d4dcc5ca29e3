//! What the formats share: bytes → a header and rows of trimmed UTF-8 cells, each row numbered
//! as a spreadsheet shows it; the file-level errors; cell lookups by column name; cells read
//! with their errors collected; the caller's answers cached; the formats of one coded thing
//! per row ([`Keyed`]); and writing.

use std::collections::HashMap;
use std::fmt::Display;
use std::hash::Hash;
use std::str::FromStr;

use cairn_core::{ElementId, Indicator, IndicatorCode};

use super::{Known, TableError, element_node, element_text};

/// A file's header and its well-formed rows (those with as many cells as the header, all
/// UTF-8, not all blank).
pub(super) struct Sheet {
    pub header: Vec<String>,
    pub rows: Vec<Row>,
}

pub(super) struct Row {
    /// 1-based as a spreadsheet shows it (the header's row is 1, blank lines count, a quoted
    /// line break does not start a row).
    pub number: usize,
    pub cells: Vec<String>,
}

impl Row {
    /// The cell of a column (blank when the file has no such column).
    pub fn get(&self, column: Option<usize>) -> &str {
        column
            .and_then(|c| self.cells.get(c))
            .map_or("", String::as_str)
    }
}

/// An error at `row` in `column` about `value` (None when blank).
pub(super) fn error(row: usize, column: &str, value: &str, message: String) -> TableError {
    TableError {
        row,
        column: Some(column.to_string()),
        value: (!value.is_empty()).then(|| value.to_string()),
        message,
    }
}

/// Reads the records. Everything wrong with the file as CSV (no header, a header that is not
/// UTF-8 or has blank or repeated names, rows not UTF-8 or of the wrong length) goes to
/// `errors`; None when there is no usable header.
pub(super) fn read(text: &[u8], example: &str, errors: &mut Vec<TableError>) -> Option<Sheet> {
    let text = text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text);
    let mut record = csv::ByteRecord::new();
    let mut header: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    // The row of the next record, before the blank lines in front of it are counted.
    let mut next_row = 1;
    loop {
        let start = reader.position().byte();
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                errors.push(TableError {
                    row: next_row,
                    column: None,
                    value: None,
                    message: format!("the file cannot be read as CSV: {e}"),
                });
                return None;
            }
        }
        let row = next_row + blank_lines(text, usize::try_from(start).unwrap_or(usize::MAX));
        next_row = row + 1;
        let Some(names) = &header else {
            header = Some(read_header(&record, row, errors)?);
            continue;
        };
        let mut cells = Vec::with_capacity(record.len());
        let mut good = true;
        for (i, field) in record.iter().enumerate() {
            match std::str::from_utf8(field) {
                Ok(s) => cells.push(s.trim().to_string()),
                Err(e) => {
                    good = false;
                    errors.push(TableError {
                        row,
                        column: names.get(i).cloned(),
                        value: Some(String::from_utf8_lossy(field).trim().to_string()),
                        message: not_utf8(field, &e),
                    });
                }
            }
        }
        if !good {
            continue;
        }
        if cells.iter().all(String::is_empty) {
            continue;
        }
        if cells.len() != names.len() {
            let hint = if cells.len() > names.len() {
                "a value that contains a comma must be written in double quotes"
            } else {
                "every row needs a cell (perhaps blank) for each column"
            };
            errors.push(TableError {
                row,
                column: None,
                value: None,
                message: format!(
                    "the row has {} cells but the header has {} columns: {hint}",
                    cells.len(),
                    names.len()
                ),
            });
            continue;
        }
        rows.push(Row { number: row, cells });
    }
    let Some(header) = header else {
        errors.push(TableError {
            row: 1,
            column: None,
            value: None,
            message: format!("the file is empty: expected a header row such as {example}"),
        });
        return None;
    };
    Some(Sheet { header, rows })
}

/// The header's names, trimmed; None (with the errors) when one is not UTF-8, blank, or
/// repeated.
fn read_header(
    record: &csv::ByteRecord,
    row: usize,
    errors: &mut Vec<TableError>,
) -> Option<Vec<String>> {
    let before = errors.len();
    let mut names: Vec<String> = Vec::with_capacity(record.len());
    for (i, field) in record.iter().enumerate() {
        let name = match std::str::from_utf8(field) {
            Ok(s) => s.trim().to_string(),
            Err(e) => {
                errors.push(TableError {
                    row,
                    column: None,
                    value: Some(String::from_utf8_lossy(field).trim().to_string()),
                    message: format!("the header's column {}: {}", i + 1, not_utf8(field, &e)),
                });
                continue;
            }
        };
        if name.is_empty() {
            errors.push(TableError {
                row,
                column: None,
                value: None,
                message: format!(
                    "the header's column {} has no name: every column needs one (delete the \
                     column if it is not used)",
                    i + 1
                ),
            });
        } else if names.contains(&name) {
            errors.push(TableError {
                row,
                column: Some(name.clone()),
                value: Some(name.clone()),
                message: format!("the header names the column {name:?} twice"),
            });
        }
        names.push(name);
    }
    (errors.len() == before).then_some(names)
}

/// The message for a cell that is not UTF-8.
fn not_utf8(field: &[u8], e: &std::str::Utf8Error) -> String {
    let at = e.valid_up_to();
    let good = String::from_utf8_lossy(&field[..at]);
    let byte = field.get(at).copied().unwrap_or_default();
    format!(
        "the text is not UTF-8 (byte {byte:#04X} after {good:?}): save the file as \"CSV UTF-8\""
    )
}

/// How many blank lines lie at `start`: the line ends before the record's first byte (a `\n`
/// finishing the previous record's `\r\n` is not one).
fn blank_lines(text: &[u8], start: usize) -> usize {
    let rest = text.get(start..).unwrap_or_default();
    let skip = usize::from(rest.first() == Some(&b'\n') && start > 0 && text[start - 1] == b'\r');
    let gap = &rest[skip..];
    let run = gap
        .iter()
        .position(|&b| b != b'\r' && b != b'\n')
        .unwrap_or(gap.len());
    line_breaks(&gap[..run])
}

/// Line ends in `bytes`, a `\r\n` counting once.
fn line_breaks(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' && (i == 0 || bytes[i - 1] != b'\r') || b == b'\r')
        .count()
}

/// Where each known column is, and what the header holds besides.
pub(super) struct Columns<'a> {
    header: &'a [String],
}

impl<'a> Columns<'a> {
    pub fn new(header: &'a [String]) -> Self {
        Self { header }
    }

    pub fn find(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }

    /// The position of each required column; an error for each one missing.
    pub fn require(&self, names: &[&str], errors: &mut Vec<TableError>) -> Vec<usize> {
        let mut found = Vec::with_capacity(names.len());
        // A spreadsheet set to another list separator writes `;` or tabs between the columns.
        let separator = match self.header {
            [one] if one.contains(';') => {
                " (the columns are separated by \";\": save the file as \"CSV (comma delimited)\")"
            }
            [one] if one.contains('\t') => {
                " (the columns are separated by tabs: save the file as \"CSV (comma delimited)\")"
            }
            _ => "",
        };
        for name in names {
            match self.find(name) {
                Some(i) => found.push(i),
                None => {
                    let hint = match self.header.iter().find(|h| h.eq_ignore_ascii_case(name)) {
                        Some(h) => format!(
                            " ({h:?} must be written {name:?}: column names are lower case)"
                        ),
                        None => String::new(),
                    };
                    errors.push(TableError {
                        row: 1,
                        column: Some((*name).to_string()),
                        value: None,
                        message: format!(
                            "the required column {name:?} is missing{hint}; the header is: \
                             {}{separator}",
                            self.header.join(",")
                        ),
                    });
                }
            }
        }
        found
    }
}

/// The caller's answers, asked once per mission, element and indicator.
pub(super) struct Lookup<'a> {
    known: &'a dyn Known,
    missions: HashMap<String, Result<(), String>>,
    elements: HashMap<(String, String), Result<ElementId, String>>,
    indicators: HashMap<(String, IndicatorCode), Result<Indicator, String>>,
}

impl<'a> Lookup<'a> {
    pub fn new(known: &'a dyn Known) -> Self {
        Self {
            known,
            missions: HashMap::new(),
            elements: HashMap::new(),
            indicators: HashMap::new(),
        }
    }

    pub fn mission(&mut self, mission: &str) -> Result<(), String> {
        if let Some(r) = self.missions.get(mission) {
            return r.clone();
        }
        let r = self.known.mission(mission);
        self.missions.insert(mission.to_string(), r.clone());
        r
    }

    pub fn element(&mut self, mission: &str, element: &str) -> Result<ElementId, String> {
        let key = (mission.to_string(), element.to_string());
        if let Some(r) = self.elements.get(&key) {
            return r.clone();
        }
        let r = self.known.element(mission, element);
        self.elements.insert(key, r.clone());
        r
    }

    pub fn indicator(&mut self, mission: &str, code: &IndicatorCode) -> Result<&Indicator, &str> {
        let key = (mission.to_string(), code.clone());
        let known = self.known;
        self.indicators
            .entry(key)
            .or_insert_with(|| known.indicator(mission, code))
            .as_ref()
            .map_err(String::as_str)
    }
}

/// Writes records as CSV text (RFC 4180 quoting, `\n` line ends).
pub fn write(records: impl Iterator<Item = Vec<String>>) -> String {
    fn inner(records: impl Iterator<Item = Vec<String>>) -> Result<String, String> {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .flexible(true)
            .from_writer(Vec::new());
        for record in records {
            w.write_record(record).map_err(|e| e.to_string())?;
        }
        let bytes = w.into_inner().map_err(|e| e.to_string())?;
        String::from_utf8(bytes).map_err(|e| e.to_string())
    }
    match inner(records) {
        Ok(text) => text,
        // Memory does not fail to take bytes, and the fields are all UTF-8.
        Err(e) => unreachable!("writing CSV to memory failed: {e}"),
    }
}

/// A format of one thing per row, each of a mission and named by a code given once per mission
/// (the indicator and milestone CSVs): fixed required and optional columns, nothing else.
pub(super) struct Keyed<const R: usize> {
    /// What a row holds, for messages: "indicator".
    pub what: &'static str,
    /// In the order they are written.
    pub required: [&'static str; R],
    /// In the order they are written, after the required ones.
    pub optional: &'static [&'static str],
}

/// Where a [`Keyed`] format's columns are in a file (the optional ones perhaps nowhere).
pub(super) struct Layout<const R: usize> {
    pub required: [usize; R],
    optional: Vec<(&'static str, Option<usize>)>,
}

impl<const R: usize> Layout<R> {
    pub fn optional(&self, name: &str) -> Option<usize> {
        self.optional
            .iter()
            .find(|(n, _)| *n == name)
            .and_then(|(_, c)| *c)
    }
}

impl<const R: usize> Keyed<R> {
    /// Every column, as a writer's header.
    pub fn header(&self) -> Vec<String> {
        self.required
            .iter()
            .chain(self.optional)
            .map(|s| (*s).to_string())
            .collect()
    }

    /// Reads a file: the header checked (every required column there, no other column), each
    /// row read by `read_row` (which reports its errors to the cells it is given), a code
    /// given twice for one mission refused. Ok with every row, or Err with every error found,
    /// in row order.
    pub fn read<T, K: Eq + Hash + Display + Clone>(
        &self,
        text: &[u8],
        known: &dyn Known,
        mut read_row: impl FnMut(&mut Cells<'_, '_>, &Layout<R>, &mut Lookup<'_>) -> Option<(String, T)>,
        code: impl Fn(&T) -> K,
    ) -> Result<Vec<(String, T)>, Vec<TableError>> {
        let mut errors = Vec::new();
        let Some(sheet) = read(text, &self.required.join(","), &mut errors) else {
            return Err(errors);
        };
        let columns = Columns::new(&sheet.header);
        for name in &sheet.header {
            if !self.required.contains(&name.as_str()) && !self.optional.contains(&name.as_str()) {
                let hint = match self
                    .required
                    .iter()
                    .chain(self.optional)
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
                        "{name:?} is not a column of the {} CSV: {hint}expected {} and \
                         optionally {} (column names are lower case)",
                        self.what,
                        self.required.join(","),
                        self.optional.join(",")
                    ),
                });
            }
        }
        let found = columns.require(&self.required, &mut errors);
        let Ok(required) = <[usize; R]>::try_from(found) else {
            return Err(errors);
        };
        let layout = Layout {
            required,
            optional: self
                .optional
                .iter()
                .map(|n| (*n, columns.find(n)))
                .collect(),
        };
        let mut lookup = Lookup::new(known);
        let mut seen: HashMap<(String, K), usize> = HashMap::new();
        let mut out = Vec::with_capacity(sheet.rows.len());
        for row in &sheet.rows {
            let before = errors.len();
            let mut cells = Cells {
                row,
                errors: &mut errors,
            };
            let read = read_row(&mut cells, &layout, &mut lookup);
            // A row with any error is left out whole.
            let Some((mission, thing)) = read.filter(|_| errors.len() == before) else {
                continue;
            };
            let key = (mission, code(&thing));
            if let Some(first) = seen.get(&key) {
                let (mission, code) = &key;
                errors.push(error(
                    row.number,
                    "code",
                    &code.to_string(),
                    format!(
                        "{} {code} of mission {mission} is already defined in row {first}: a \
                         code is given once per mission",
                        self.what
                    ),
                ));
            } else {
                seen.insert(key.clone(), row.number);
                out.push((key.0, thing));
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
}

/// The names of a vocabulary, for messages.
fn names<T: Display>(all: &[T]) -> String {
    all.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// One row's cells, read with their errors collected.
pub(super) struct Cells<'r, 'e> {
    row: &'r Row,
    errors: &'e mut Vec<TableError>,
}

impl<'r> Cells<'r, '_> {
    /// A required cell's text; None (with an error) when blank.
    pub fn required(&mut self, column: usize, name: &str, expected: &str) -> Option<&'r str> {
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
    pub fn parse<T>(
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
    pub fn vocabulary<T: FromStr<Err = String> + Display>(
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
    pub fn text(&self, column: Option<usize>) -> Option<String> {
        Some(self.row.get(column))
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    }

    /// The `mission` cell, when it names a mission the caller knows.
    pub fn mission(&mut self, column: usize, lookup: &mut Lookup<'_>) -> Option<&'r str> {
        let mission = self.required(column, "mission", "the mission's name in Cairn, e.g. mali")?;
        match lookup.mission(mission) {
            Ok(()) => Some(mission),
            Err(message) => {
                self.errors
                    .push(error(self.row.number, "mission", mission, message));
                None
            }
        }
    }

    /// The `element` cell as the id of an element of `mission`: its form checked here (also
    /// when the mission was refused), the element's existence by the caller.
    pub fn element(
        &mut self,
        column: usize,
        mission: Option<&str>,
        lookup: &mut Lookup<'_>,
        expected: &str,
    ) -> Option<ElementId> {
        let element = self
            .parse(Some(column), "element", expected, None, element_node)
            .map(|node| element_text(&node));
        match lookup.element(mission?, &element?) {
            Ok(id) => Some(id),
            Err(message) => {
                let text = self.row.get(Some(column));
                self.errors
                    .push(error(self.row.number, "element", text, message));
                None
            }
        }
    }
}
