//! The CSV formats through which indicators, their data and milestones come in and go out
//! (public contracts: their columns, vocabularies and error messages are documented in the
//! README).
//!
//! - The **indicator CSV** ([`read_indicators`], [`write_indicators`]): one indicator per row,
//!   `mission,element,code,title,unit,direction,frequency` and optional
//!   `measure,cumulative,disaggregations,definition,data_source,marking,type,method,responsible_office`.
//! - The **data CSV** ([`read_data`], [`write_data`]): one observation per row,
//!   `mission,indicator,period,kind,value`, any number of dimension columns (a header that is
//!   not one of the known columns names a dimension; a blank cell is the total over it), and
//!   optional `source,note`.
//! - The **milestone CSV** ([`read_milestones`], [`write_milestones`]): one milestone per row,
//!   `mission,element,code,title,due,status` and optional `note,marking`; `due` is a day
//!   written year-month-day (`2024-03-31`).
//!
//! Reading validates every row before anything is returned: either all rows are good and all
//! come back, or the result is every error found, each naming the row as a spreadsheet numbers
//! it (the header is row 1), the column by its header and the offending value, and saying what
//! was expected. Vocabulary, code and period messages are the core's. What exists (missions,
//! elements, indicators) is asked of the caller through [`Known`].
//!
//! Files are UTF-8 (a BOM is skipped), with LF, CRLF or CR line ends, and quoted fields per
//! RFC 4180 (commas, quotes and line breaks inside double quotes). Cells are trimmed; rows
//! whose cells are all blank are skipped. Column names are matched exactly (lower case), in any
//! order.

mod data;
mod indicators;
mod milestones;
mod sheet;

use std::collections::HashMap;
use std::fmt;

use cairn_core::{ElementId, Indicator, IndicatorCode, Node, Number};

pub use data::{read_data, write_data};
pub use indicators::{read_indicators, write_indicators};
pub use milestones::{read_milestones, write_milestones};
/// Writes records as CSV text (RFC 4180 quoting, `\n` line ends): for callers that build rows
/// the readers then validate.
pub use sheet::write as write_rows;

/// One thing wrong with a CSV file: where (row, column), what (the value) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableError {
    /// 1-based, as a spreadsheet shows it: the header is row 1 (file-level errors are row 1).
    pub row: usize,
    /// The column's header name; None when the error is about the whole row.
    pub column: Option<String>,
    /// The offending cell as written; None for an empty cell or a whole-row error.
    pub value: Option<String>,
    /// The complete explanation (it quotes the value, if any, and says what was expected).
    pub message: String,
}

impl fmt::Display for TableError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "row {}", self.row)?;
        if let Some(column) = &self.column {
            write!(f, ", column {column}")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for TableError {}

/// What the rows may refer to; implemented by the caller (the store, a test, a fuzz target).
pub trait Known {
    /// Whether `mission` exists; Err(message) when it does not (the message says so, and may
    /// list some that do). An unknown mission is then reported on the `mission` column. The
    /// default accepts every mission and leaves it to [`Known::element`] and
    /// [`Known::indicator`] to refuse (their errors are reported on their own columns).
    fn mission(&self, mission: &str) -> Result<(), String> {
        let _ = mission;
        Ok(())
    }

    /// The element id of `element` ("3.1", "M1", "1": always the canonical form of
    /// [`element_text`]; [`element_node`] reads it back) in the mission's latest strategy;
    /// Err(message) when the mission or element does not exist (the message says which, and
    /// lists some that do).
    fn element(&self, mission: &str, element: &str) -> Result<ElementId, String>;

    /// The indicator `code` of `mission` (existing in the store, or defined earlier in the same
    /// import: see [`Including`]); Err(message) when unknown.
    fn indicator(&self, mission: &str, code: &IndicatorCode) -> Result<Indicator, String>;
}

/// A [`Known`] that also knows the indicators just read from an indicator CSV, so that a data
/// CSV imported with it may refer to them before they are stored.
pub struct Including<'a> {
    known: &'a dyn Known,
    indicators: HashMap<(&'a str, &'a IndicatorCode), &'a Indicator>,
}

impl<'a> Including<'a> {
    pub fn new(known: &'a dyn Known, indicators: &'a [(String, Indicator)]) -> Self {
        let indicators = indicators
            .iter()
            .map(|(mission, i)| ((mission.as_str(), &i.code), i))
            .collect();
        Self { known, indicators }
    }
}

impl Known for Including<'_> {
    fn mission(&self, mission: &str) -> Result<(), String> {
        self.known.mission(mission)
    }

    fn element(&self, mission: &str, element: &str) -> Result<ElementId, String> {
        self.known.element(mission, element)
    }

    fn indicator(&self, mission: &str, code: &IndicatorCode) -> Result<Indicator, String> {
        match self.indicators.get(&(mission, code)) {
            Some(i) => Ok((*i).clone()),
            None => self.known.indicator(mission, code),
        }
    }
}

/// What the `element` column accepts, for messages.
const ELEMENT_FORMS: &str = "expected a goal (1), an objective (1.2), a sub-objective (1.1.2) \
     or a management objective (M1, or M for a strategy's one unnumbered management objective)";

/// Reads the `element` column's forms: "1" is goal 1, "1.2" objective 1.2, "1.1.2"
/// sub-objective 1.1.2, "M1" management objective 1 and "M" alone management objective 1 (the
/// number a strategy's one unnumbered management objective gets).
pub fn element_node(text: &str) -> Result<Node, String> {
    let refuse = |why: &str| Err(format!("{text:?} is not an element: {why}{ELEMENT_FORMS}"));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    if let Some(rest) = text.strip_prefix('M') {
        if rest.is_empty() {
            return Ok(Node::Management(Number::one()));
        }
        if digits(rest)
            && let Ok(n) = Number::parse(rest)
        {
            return Ok(Node::Management(n));
        }
        return refuse("");
    }
    if text.starts_with('m') && digits(&text[1..]) {
        return refuse("M is written in capitals; ");
    }
    if !digits(text) {
        return refuse("");
    }
    match Number::parse(text) {
        Ok(n) if n.depth() == 1 => Ok(Node::Goal(n)),
        Ok(n) => Ok(Node::Objective(n)),
        Err(_) => refuse(""),
    }
}

/// The canonical `element` text of an element node: "1", "1.2", "1.1.2", "M1" (the form
/// [`element_node`] reads and [`Known::element`] is given). Empty for
/// [`Node::Priorities`], which is no element.
pub fn element_text(node: &Node) -> String {
    match node {
        Node::Goal(n) | Node::Objective(n) => n.to_string(),
        Node::Management(n) => format!("M{n}"),
        Node::Priorities => String::new(),
    }
}
