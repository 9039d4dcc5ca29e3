//! What both formats share: bytes → a header and rows of trimmed UTF-8 cells, each row numbered
//! as a spreadsheet shows it; the file-level errors; cell lookups by column name; the caller's
//! answers cached; and writing.

use std::collections::HashMap;

use cairn_core::{ElementId, Indicator, IndicatorCode};

use super::{Known, TableError};

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
