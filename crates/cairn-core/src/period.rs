//! Reporting periods. The U.S. fiscal year runs Oct 1 – Sep 30 and is named for the year it ends.
//!
//! Four kinds, each with one canonical text form that [`Period`] reads and prints:
//!
//! | kind | written | spans |
//! |---|---|---|
//! | fiscal year | `FY2023` | 2022-10-01 – 2023-09-30 |
//! | fiscal quarter | `FY2023Q1` | 2022-10-01 – 2022-12-31 (Q1 Oct–Dec … Q4 Jul–Sep) |
//! | month | `2023-01` | 2023-01-01 – 2023-01-31 |
//! | calendar year | `2023` | 2023-01-01 – 2023-12-31 |
//!
//! Years are written in four digits without a leading zero, and every period lies within the
//! fiscal years FY1001 to FY9999, that is 1000-10-01 to 9999-09-30. That span is the largest
//! in which every month has its fiscal quarter and fiscal year and every fiscal year its
//! months, all writable: FY1000 would begin in October 999, and December 9999 would belong to
//! FY10000. So months run from `1000-10` to `9999-09` and calendar years from `1001` to `9998`;
//! parsing refuses anything else, and stepping past either end gives `None`.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A U.S. government fiscal year, written `FY2023`: October 1 of the previous calendar year
/// to September 30 of the named one.
///
/// The field is public for compatibility; a value outside [`FiscalYear::MIN`] ..=
/// [`FiscalYear::MAX`] is not a valid fiscal year: it prints in a form that does not parse,
/// the periods derived from it are equally out of range, and its dates saturate at
/// [`NaiveDate::MIN`] / [`NaiveDate::MAX`] beyond chrono's calendar. Prefer [`FiscalYear::new`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FiscalYear(pub i32);

/// Why a string is not a fiscal year.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{0:?} is not a fiscal year: expected FY followed by a four-digit year from 1001 to 9999, e.g. FY2023"
)]
pub struct FiscalYearError(pub String);

/// A quarter of a fiscal year, written `FY2023Q1`: Q1 is October–December of the previous
/// calendar year, Q2 January–March, Q3 April–June, Q4 July–September.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FiscalQuarter {
    year: FiscalYear,
    quarter: u8,
}

/// A calendar month, written `2023-01`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Month {
    year: i32,
    month: u8,
}

/// A calendar year, written `2023`. It straddles two fiscal years.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CalendarYear(i32);

/// A reporting period of any of the four kinds. Periods order chronologically: by first day,
/// then by last day (so October 2022 sorts before FY2023Q1, which sorts before FY2023, and all
/// three after calendar year 2022).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    FiscalYear(FiscalYear),
    FiscalQuarter(FiscalQuarter),
    Month(Month),
    CalendarYear(CalendarYear),
}

/// The kind of a [`Period`].
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum PeriodKind {
    FiscalYear,
    FiscalQuarter,
    Month,
    CalendarYear,
}

/// Why a string is not a period, or not the kind of period asked for. The message names the
/// text and lists the accepted forms with examples.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodError {
    /// The text as given.
    pub value: String,
    pub problem: PeriodProblem,
    /// The kind asked for (`"…".parse::<Month>()`); `None` when any period would do.
    pub expected: Option<PeriodKind>,
}

/// What is wrong with the text of a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodProblem {
    /// None of the four forms (signs, spaces, a year not of four digits or with a leading zero,
    /// anything before or after).
    Form,
    /// One of the forms, but with `fy` or `q` in lower case.
    Case,
    /// A month other than 01 to 12.
    Month,
    /// A quarter other than Q1 to Q4.
    Quarter,
    /// Well formed, but outside FY1001 to FY9999 (1000-10-01 to 9999-09-30).
    Range,
    /// A valid period, of this other kind.
    Kind(PeriodKind),
}

/// A calendar date; always valid for the periods this module makes, and saturating beyond
/// chrono's calendar, which only an out-of-range [`FiscalYear`] reaches.
fn date(year: i32, month: u8, day: u8) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, u32::from(month), u32::from(day)).unwrap_or(if year < 0 {
        NaiveDate::MIN
    } else {
        NaiveDate::MAX
    })
}

fn is_leap(year: i32) -> bool {
    year.rem_euclid(4) == 0 && (year.rem_euclid(100) != 0 || year.rem_euclid(400) == 0)
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Months counted from year 0, so that stepping is integer arithmetic.
fn month_index(year: i32, month: u8) -> i64 {
    i64::from(year) * 12 + i64::from(month) - 1
}

impl FiscalYear {
    /// The first fiscal year whose months can all be written (FY1000 began in October 999).
    pub const MIN: FiscalYear = FiscalYear(1001);
    /// The last fiscal year with a four-digit name.
    pub const MAX: FiscalYear = FiscalYear(9999);

    /// The fiscal year named `year`, if within [`Self::MIN`] ..= [`Self::MAX`].
    pub fn new(year: i32) -> Option<Self> {
        (Self::MIN.0..=Self::MAX.0)
            .contains(&year)
            .then_some(Self(year))
    }

    /// The year it is named for (the calendar year it ends in).
    pub fn year(self) -> i32 {
        self.0
    }

    /// October 1 of the previous calendar year.
    pub fn start(self) -> NaiveDate {
        date(self.0.saturating_sub(1), 10, 1)
    }

    /// September 30 (inclusive last day).
    pub fn end(self) -> NaiveDate {
        date(self.0, 9, 30)
    }

    /// Whether the day falls within the fiscal year.
    pub fn contains_date(self, day: NaiveDate) -> bool {
        self.start() <= day && day <= self.end()
    }

    /// The fiscal year a day falls in, if within the supported range.
    pub fn of_date(day: NaiveDate) -> Option<Self> {
        Month::of_date(day).map(Month::fiscal_year)
    }

    /// Q1 to Q4.
    pub fn quarters(self) -> [FiscalQuarter; 4] {
        [1, 2, 3, 4].map(|quarter| FiscalQuarter {
            year: self,
            quarter,
        })
    }

    /// October of the previous calendar year to September.
    pub fn months(self) -> [Month; 12] {
        let october = month_index(self.0, 10) - 12;
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map(|i| Month::from_index(october + i))
    }

    /// The fiscal year before, if within range.
    pub fn checked_previous(self) -> Option<Self> {
        Self::new(self.0.checked_sub(1)?)
    }

    /// The fiscal year after, if within range.
    pub fn checked_next(self) -> Option<Self> {
        Self::new(self.0.checked_add(1)?)
    }
}

impl FiscalQuarter {
    /// Quarter 1 to 4 of a fiscal year within range.
    pub fn new(year: FiscalYear, quarter: u8) -> Option<Self> {
        (FiscalYear::new(year.0).is_some() && (1..=4).contains(&quarter))
            .then_some(Self { year, quarter })
    }

    /// The fiscal year the quarter belongs to.
    pub fn year(self) -> FiscalYear {
        self.year
    }

    /// 1 to 4.
    pub fn quarter(self) -> u8 {
        self.quarter
    }

    /// The first day: Oct 1 (previous calendar year), Jan 1, Apr 1 or Jul 1.
    pub fn start(self) -> NaiveDate {
        self.months()[0].start()
    }

    /// The inclusive last day: Dec 31 (previous calendar year), Mar 31, Jun 30 or Sep 30.
    pub fn end(self) -> NaiveDate {
        self.months()[2].end()
    }

    /// Whether the day falls within the quarter.
    pub fn contains_date(self, day: NaiveDate) -> bool {
        self.start() <= day && day <= self.end()
    }

    /// The fiscal quarter a day falls in, if within the supported range.
    pub fn of_date(day: NaiveDate) -> Option<Self> {
        Month::of_date(day).map(Month::fiscal_quarter)
    }

    /// Its three months, in order.
    pub fn months(self) -> [Month; 3] {
        let first =
            month_index(self.year.0, 10) - 12 + 3 * i64::from(self.quarter.saturating_sub(1));
        [0, 1, 2].map(|i| Month::from_index(first + i))
    }

    /// The quarter before (FY2023Q1 → FY2022Q4), if within range.
    pub fn checked_previous(self) -> Option<Self> {
        match self.quarter {
            1 => Self::new(self.year.checked_previous()?, 4),
            q => Self::new(self.year, q - 1),
        }
    }

    /// The quarter after (FY2022Q4 → FY2023Q1), if within range.
    pub fn checked_next(self) -> Option<Self> {
        match self.quarter {
            4 => Self::new(self.year.checked_next()?, 1),
            q => Self::new(self.year, q + 1),
        }
    }
}

impl Month {
    /// The first month of FY1001.
    pub const MIN: Month = Month {
        year: 1000,
        month: 10,
    };
    /// The last month of FY9999.
    pub const MAX: Month = Month {
        year: 9999,
        month: 9,
    };

    /// Month 1 to 12 of a calendar year, if within [`Self::MIN`] ..= [`Self::MAX`].
    pub fn new(year: i32, month: u8) -> Option<Self> {
        let m = Self { year, month };
        ((1..=12).contains(&month) && Self::MIN <= m && m <= Self::MAX).then_some(m)
    }

    /// From a month index (see `month_index`); the year saturates, which only indices far
    /// outside the supported range reach.
    fn from_index(index: i64) -> Self {
        let year = index.div_euclid(12);
        let year = i32::try_from(year).unwrap_or(if year < 0 { i32::MIN } else { i32::MAX });
        // rem_euclid(12) is 0..12.
        let month = u8::try_from(index.rem_euclid(12) + 1).unwrap_or(1);
        Self { year, month }
    }

    fn index(self) -> i64 {
        month_index(self.year, self.month)
    }

    /// The calendar year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// 1 (January) to 12 (December).
    pub fn month(self) -> u8 {
        self.month
    }

    /// The first of the month.
    pub fn start(self) -> NaiveDate {
        date(self.year, self.month, 1)
    }

    /// The inclusive last day (February 29 in leap years).
    pub fn end(self) -> NaiveDate {
        date(self.year, self.month, days_in_month(self.year, self.month))
    }

    /// Whether the day falls within the month.
    pub fn contains_date(self, day: NaiveDate) -> bool {
        self.start() <= day && day <= self.end()
    }

    /// The month a day falls in, if within the supported range.
    pub fn of_date(day: NaiveDate) -> Option<Self> {
        Self::new(day.year(), u8::try_from(day.month()).ok()?)
    }

    /// The fiscal year the month falls in: October to December belong to the next one.
    pub fn fiscal_year(self) -> FiscalYear {
        FiscalYear(if self.month >= 10 {
            self.year.saturating_add(1)
        } else {
            self.year
        })
    }

    /// The fiscal quarter the month falls in.
    pub fn fiscal_quarter(self) -> FiscalQuarter {
        FiscalQuarter {
            year: self.fiscal_year(),
            // October → 1, January → 2, April → 3, July → 4.
            quarter: (self.month + 2) % 12 / 3 + 1,
        }
    }

    /// The calendar year the month falls in (it may lie partly outside the supported range:
    /// `1000` for `1000-10`, `9999` for `9999-09`).
    pub fn calendar_year(self) -> CalendarYear {
        CalendarYear(self.year)
    }

    /// The month before (2023-01 → 2022-12), if within range.
    pub fn checked_previous(self) -> Option<Self> {
        let m = Self::from_index(self.index() - 1);
        Self::new(m.year, m.month)
    }

    /// The month after (2022-12 → 2023-01), if within range.
    pub fn checked_next(self) -> Option<Self> {
        let m = Self::from_index(self.index() + 1);
        Self::new(m.year, m.month)
    }
}

impl CalendarYear {
    /// The first calendar year wholly within FY1001 to FY9999.
    pub const MIN: CalendarYear = CalendarYear(1001);
    /// The last calendar year wholly within FY1001 to FY9999.
    pub const MAX: CalendarYear = CalendarYear(9998);

    /// The calendar year, if within [`Self::MIN`] ..= [`Self::MAX`].
    pub fn new(year: i32) -> Option<Self> {
        (Self::MIN.0..=Self::MAX.0)
            .contains(&year)
            .then_some(Self(year))
    }

    pub fn year(self) -> i32 {
        self.0
    }

    /// January 1.
    pub fn start(self) -> NaiveDate {
        date(self.0, 1, 1)
    }

    /// December 31 (inclusive last day).
    pub fn end(self) -> NaiveDate {
        date(self.0, 12, 31)
    }

    /// Whether the day falls within the year.
    pub fn contains_date(self, day: NaiveDate) -> bool {
        self.start() <= day && day <= self.end()
    }

    /// The calendar year a day falls in, if within the supported range.
    pub fn of_date(day: NaiveDate) -> Option<Self> {
        Self::new(day.year())
    }

    /// January to December.
    pub fn months(self) -> [Month; 12] {
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map(|month| Month {
            year: self.0,
            month,
        })
    }

    /// The year before, if within range.
    pub fn checked_previous(self) -> Option<Self> {
        Self::new(self.0.checked_sub(1)?)
    }

    /// The year after, if within range.
    pub fn checked_next(self) -> Option<Self> {
        Self::new(self.0.checked_add(1)?)
    }
}

impl Period {
    /// What kind of period it is.
    pub fn kind(&self) -> PeriodKind {
        match self {
            Self::FiscalYear(_) => PeriodKind::FiscalYear,
            Self::FiscalQuarter(_) => PeriodKind::FiscalQuarter,
            Self::Month(_) => PeriodKind::Month,
            Self::CalendarYear(_) => PeriodKind::CalendarYear,
        }
    }

    /// The period of the given kind that a day falls in, if within the supported range.
    pub fn of_date(kind: PeriodKind, day: NaiveDate) -> Option<Self> {
        Some(match kind {
            PeriodKind::FiscalYear => Self::FiscalYear(FiscalYear::of_date(day)?),
            PeriodKind::FiscalQuarter => Self::FiscalQuarter(FiscalQuarter::of_date(day)?),
            PeriodKind::Month => Self::Month(Month::of_date(day)?),
            PeriodKind::CalendarYear => Self::CalendarYear(CalendarYear::of_date(day)?),
        })
    }

    /// The first day.
    pub fn start(&self) -> NaiveDate {
        match self {
            Self::FiscalYear(p) => p.start(),
            Self::FiscalQuarter(p) => p.start(),
            Self::Month(p) => p.start(),
            Self::CalendarYear(p) => p.start(),
        }
    }

    /// The last day, inclusive.
    pub fn end(&self) -> NaiveDate {
        match self {
            Self::FiscalYear(p) => p.end(),
            Self::FiscalQuarter(p) => p.end(),
            Self::Month(p) => p.end(),
            Self::CalendarYear(p) => p.end(),
        }
    }

    /// Whether `other` lies wholly within this period (a period contains itself).
    pub fn contains(&self, other: &Period) -> bool {
        self.start() <= other.start() && other.end() <= self.end()
    }

    /// Whether the day falls within the period.
    pub fn contains_date(&self, day: NaiveDate) -> bool {
        self.start() <= day && day <= self.end()
    }

    /// Whether the two periods share at least one day.
    pub fn overlaps(&self, other: &Period) -> bool {
        self.start() <= other.end() && other.start() <= self.end()
    }

    /// The fiscal year that wholly contains the period: always for a fiscal year, quarter or
    /// month; `None` for a calendar year, which straddles two.
    pub fn fiscal_year(&self) -> Option<FiscalYear> {
        match self {
            Self::FiscalYear(p) => Some(*p),
            Self::FiscalQuarter(p) => Some(p.year()),
            Self::Month(p) => Some(p.fiscal_year()),
            Self::CalendarYear(_) => None,
        }
    }

    /// The period of the same kind just before (FY2023 → FY2022, FY2023Q1 → FY2022Q4,
    /// 2023-01 → 2022-12, 2023 → 2022); `None` before the start of the supported range.
    pub fn checked_previous(&self) -> Option<Period> {
        Some(match self {
            Self::FiscalYear(p) => Self::FiscalYear(p.checked_previous()?),
            Self::FiscalQuarter(p) => Self::FiscalQuarter(p.checked_previous()?),
            Self::Month(p) => Self::Month(p.checked_previous()?),
            Self::CalendarYear(p) => Self::CalendarYear(p.checked_previous()?),
        })
    }

    /// The period of the same kind just after; `None` past the end of the supported range.
    pub fn checked_next(&self) -> Option<Period> {
        Some(match self {
            Self::FiscalYear(p) => Self::FiscalYear(p.checked_next()?),
            Self::FiscalQuarter(p) => Self::FiscalQuarter(p.checked_next()?),
            Self::Month(p) => Self::Month(p.checked_next()?),
            Self::CalendarYear(p) => Self::CalendarYear(p.checked_next()?),
        })
    }

    /// Orders periods that share first and last day (only out-of-range fiscal years, whose
    /// dates saturate), so that `Ord` agrees with `Eq`.
    fn tie_break(&self) -> (PeriodKind, i32, u8) {
        match self {
            Self::FiscalYear(p) => (PeriodKind::FiscalYear, p.0, 0),
            Self::FiscalQuarter(p) => (PeriodKind::FiscalQuarter, p.year.0, p.quarter),
            Self::Month(p) => (PeriodKind::Month, p.year, p.month),
            Self::CalendarYear(p) => (PeriodKind::CalendarYear, p.0, 0),
        }
    }
}

impl From<FiscalYear> for Period {
    fn from(p: FiscalYear) -> Self {
        Self::FiscalYear(p)
    }
}

impl From<FiscalQuarter> for Period {
    fn from(p: FiscalQuarter) -> Self {
        Self::FiscalQuarter(p)
    }
}

impl From<Month> for Period {
    fn from(p: Month) -> Self {
        Self::Month(p)
    }
}

impl From<CalendarYear> for Period {
    fn from(p: CalendarYear) -> Self {
        Self::CalendarYear(p)
    }
}

impl Ord for Period {
    /// Chronological: by first day, then by last day.
    fn cmp(&self, other: &Self) -> Ordering {
        (self.start(), self.end())
            .cmp(&(other.start(), other.end()))
            .then_with(|| self.tie_break().cmp(&other.tie_break()))
    }
}

impl PartialOrd for Period {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PeriodKind {
    /// How the kind is named in prose ("fiscal quarter").
    pub fn name(self) -> &'static str {
        match self {
            Self::FiscalYear => "fiscal year",
            Self::FiscalQuarter => "fiscal quarter",
            Self::Month => "month",
            Self::CalendarYear => "calendar year",
        }
    }

    /// How a period of this kind is written, by example.
    pub fn example(self) -> &'static str {
        match self {
            Self::FiscalYear => "FY2023",
            Self::FiscalQuarter => "FY2023Q1",
            Self::Month => "2023-01",
            Self::CalendarYear => "2023",
        }
    }
}

impl fmt::Display for PeriodKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl fmt::Display for PeriodProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Form => f.write_str(
                "not one of the accepted forms (a year has four digits and no leading zero; \
                 no signs, spaces or other text)",
            ),
            Self::Case => f.write_str("FY and Q are written in capitals"),
            Self::Month => f.write_str("the month must be 01 to 12"),
            Self::Quarter => f.write_str("the quarter must be Q1 to Q4"),
            Self::Range => f.write_str(
                "outside the supported range, FY1001 to FY9999 (1000-10-01 to 9999-09-30)",
            ),
            Self::Kind(kind) => write!(f, "it is a {kind}"),
        }
    }
}

impl fmt::Display for PeriodError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.expected {
            Some(kind) => write!(
                f,
                "{:?} is not a {kind}: {}; expected a {kind} such as {}",
                self.value,
                self.problem,
                kind.example()
            ),
            None => write!(
                f,
                "{:?} is not a period: {}; expected a fiscal year (FY2023), a fiscal quarter \
                 (FY2023Q1), a month (2023-01) or a calendar year (2023)",
                self.value, self.problem
            ),
        }
    }
}

impl std::error::Error for PeriodError {}

/// Four digits, the first not zero.
fn year4(digits: &[u8]) -> Option<i32> {
    match digits {
        [b'1'..=b'9', rest @ ..] if rest.len() == 3 && rest.iter().all(u8::is_ascii_digit) => Some(
            digits
                .iter()
                .fold(0, |acc, d| acc * 10 + i32::from(d - b'0')),
        ),
        _ => None,
    }
}

/// The one grammar of periods.
fn parse(s: &str) -> Result<Period, PeriodProblem> {
    use PeriodProblem::{Form, Quarter, Range};
    let (fiscal, rest) = match s.as_bytes().strip_prefix(b"FY") {
        Some(rest) => (true, rest),
        None => (false, s.as_bytes()),
    };
    let (digits, tail) = rest.split_at_checked(4).ok_or(Form)?;
    let year = year4(digits).ok_or(Form)?;
    match (fiscal, tail) {
        (true, []) => FiscalYear::new(year).map(Period::FiscalYear).ok_or(Range),
        (true, [b'Q', q @ b'0'..=b'9']) => {
            let quarter = q - b'0';
            if !(1..=4).contains(&quarter) {
                return Err(Quarter);
            }
            FiscalQuarter::new(FiscalYear(year), quarter)
                .map(Period::FiscalQuarter)
                .ok_or(Range)
        }
        (false, []) => CalendarYear::new(year)
            .map(Period::CalendarYear)
            .ok_or(Range),
        (false, [b'-', m1 @ b'0'..=b'9', m2 @ b'0'..=b'9']) => {
            let month = (m1 - b'0') * 10 + (m2 - b'0');
            if !(1..=12).contains(&month) {
                return Err(PeriodProblem::Month);
            }
            Month::new(year, month).map(Period::Month).ok_or(Range)
        }
        _ => Err(Form),
    }
}

impl FromStr for Period {
    type Err = PeriodError;

    /// Reads `FY2023`, `FY2023Q1`, `2023-01` or `2023`, exactly as [`Period`] prints them.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse(s).map_err(|problem| {
            // "fy2023", "FY2023q1": say so rather than only listing the forms.
            let problem = if problem == PeriodProblem::Form
                && s.bytes().any(|b| b.is_ascii_lowercase())
                && parse(&s.to_ascii_uppercase()).is_ok()
            {
                PeriodProblem::Case
            } else {
                problem
            };
            PeriodError {
                value: s.to_string(),
                problem,
                expected: None,
            }
        })
    }
}

/// Parses one kind of period: the shared grammar, then the kind.
fn parse_kind<T>(
    s: &str,
    kind: PeriodKind,
    pick: impl FnOnce(Period) -> Option<T>,
) -> Result<T, PeriodError> {
    let period = s.parse::<Period>().map_err(|e| PeriodError {
        expected: Some(kind),
        ..e
    })?;
    let found = period.kind();
    pick(period).ok_or_else(|| PeriodError {
        value: s.to_string(),
        problem: PeriodProblem::Kind(found),
        expected: Some(kind),
    })
}

impl FromStr for FiscalYear {
    type Err = FiscalYearError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        // Four digits, no leading zero: "FY0022" would print back as something else.
        match parse(s) {
            Ok(Period::FiscalYear(fy)) => Ok(fy),
            _ => Err(FiscalYearError(s.to_string())),
        }
    }
}

impl FromStr for FiscalQuarter {
    type Err = PeriodError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_kind(s, PeriodKind::FiscalQuarter, |p| match p {
            Period::FiscalQuarter(q) => Some(q),
            _ => None,
        })
    }
}

impl FromStr for Month {
    type Err = PeriodError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_kind(s, PeriodKind::Month, |p| match p {
            Period::Month(m) => Some(m),
            _ => None,
        })
    }
}

impl FromStr for CalendarYear {
    type Err = PeriodError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_kind(s, PeriodKind::CalendarYear, |p| match p {
            Period::CalendarYear(y) => Some(y),
            _ => None,
        })
    }
}

impl fmt::Display for FiscalYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FY{}", self.0)
    }
}

impl fmt::Display for FiscalQuarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}Q{}", self.year, self.quarter)
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:02}", self.year, self.month)
    }
}

impl fmt::Display for CalendarYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::FiscalYear(p) => p.fmt(f),
            Self::FiscalQuarter(p) => p.fmt(f),
            Self::Month(p) => p.fmt(f),
            Self::CalendarYear(p) => p.fmt(f),
        }
    }
}

crate::serde_as_string!(FiscalYear);
crate::serde_as_string!(FiscalQuarter);
crate::serde_as_string!(Month);
crate::serde_as_string!(CalendarYear);
crate::serde_as_string!(Period);

/// A string schema with a pattern; the range (FY1001 to FY9999) is in the description.
macro_rules! string_schema {
    ($t:ty, $name:literal, $pattern:literal, $description:literal) => {
        impl JsonSchema for $t {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                $name.into()
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({
                    "type": "string",
                    "pattern": $pattern,
                    "description": $description
                })
            }
        }
    };
}

string_schema!(
    FiscalYear,
    "FiscalYear",
    "^FY[1-9][0-9]{3}$",
    "U.S. fiscal year (Oct 1 – Sep 30, named for the year it ends): FY2023; FY1001 to FY9999"
);
string_schema!(
    FiscalQuarter,
    "FiscalQuarter",
    "^FY[1-9][0-9]{3}Q[1-4]$",
    "Quarter of a U.S. fiscal year: FY2023Q1 (Oct–Dec 2022) to FY2023Q4 (Jul–Sep 2023)"
);
string_schema!(
    Month,
    "Month",
    "^[1-9][0-9]{3}-(0[1-9]|1[0-2])$",
    "Calendar month: 2023-01; 1000-10 to 9999-09"
);
string_schema!(
    CalendarYear,
    "CalendarYear",
    "^[1-9][0-9]{3}$",
    "Calendar year: 2023; 1001 to 9998"
);
string_schema!(
    Period,
    "Period",
    "^(FY[1-9][0-9]{3}(Q[1-4])?|[1-9][0-9]{3}(-(0[1-9]|1[0-2]))?)$",
    "Reporting period: fiscal year FY2023 (Oct 1 2022 – Sep 30 2023), fiscal quarter FY2023Q1 \
     (Oct–Dec 2022), month 2023-01 or calendar year 2023; within FY1001 to FY9999"
);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn p(s: &str) -> Period {
        s.parse().unwrap_or_else(|e| panic!("{e}"))
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_else(|| panic!("{y}-{m}-{d}"))
    }

    fn span(s: &str) -> (NaiveDate, NaiveDate) {
        let period = p(s);
        (period.start(), period.end())
    }

    fn fq(year: i32, quarter: u8) -> FiscalQuarter {
        FiscalQuarter::new(FiscalYear(year), quarter).unwrap_or_else(|| panic!("Q{quarter}"))
    }

    fn month(year: i32, month: u8) -> Month {
        Month::new(year, month).unwrap_or_else(|| panic!("{year}-{month}"))
    }

    fn cy(year: i32) -> CalendarYear {
        CalendarYear::new(year).unwrap_or_else(|| panic!("{year}"))
    }

    #[test]
    fn fiscal_year_round_trip() {
        assert_eq!("FY2019".parse(), Ok(FiscalYear(2019)));
        assert_eq!(FiscalYear(2021).to_string(), "FY2021");
        // "FY0022" was found by the grammar fuzz target: it printed back as "FY22".
        for bad in [
            "FY19", "2019", "FY 2019", "fy2019", "FY20199", "FY0022", "FY+123", "FY1000",
            "FY2019Q1",
        ] {
            assert!(bad.parse::<FiscalYear>().is_err(), "{bad} accepted");
        }
        assert_eq!(
            "FY1000".parse::<FiscalYear>().map_err(|e| e.to_string()),
            Err(
                "\"FY1000\" is not a fiscal year: expected FY followed by a four-digit year \
                 from 1001 to 9999, e.g. FY2023"
                    .into()
            )
        );
    }

    #[test]
    fn fiscal_year_runs_october_to_september() {
        assert_eq!(span("FY2023"), (day(2022, 10, 1), day(2023, 9, 30)));
        assert_eq!(FiscalYear(2023).start(), day(2022, 10, 1));
        assert_eq!(FiscalYear(2023).end(), day(2023, 9, 30));
        assert!(FiscalYear(2023).contains_date(day(2022, 10, 1)));
        assert!(!FiscalYear(2023).contains_date(day(2022, 9, 30)));
        assert!(!FiscalYear(2023).contains_date(day(2023, 10, 1)));
    }

    #[test]
    fn fiscal_quarters_run_october_december_to_july_september() {
        assert_eq!(span("FY2023Q1"), (day(2022, 10, 1), day(2022, 12, 31)));
        assert_eq!(span("FY2023Q2"), (day(2023, 1, 1), day(2023, 3, 31)));
        assert_eq!(span("FY2023Q3"), (day(2023, 4, 1), day(2023, 6, 30)));
        assert_eq!(span("FY2023Q4"), (day(2023, 7, 1), day(2023, 9, 30)));
        assert_eq!(p("FY2023Q4").end(), p("FY2023").end());
        assert_eq!(p("FY2023Q1").start(), p("FY2023").start());
        assert_eq!(fq(2023, 1).year(), FiscalYear(2023));
        assert_eq!(fq(2023, 1).quarter(), 1);
    }

    #[test]
    fn months_end_on_their_last_day_including_leap_februaries() {
        assert_eq!(span("2023-02"), (day(2023, 2, 1), day(2023, 2, 28)));
        assert_eq!(span("2024-02"), (day(2024, 2, 1), day(2024, 2, 29)));
        assert_eq!(p("2000-02").end(), day(2000, 2, 29));
        assert_eq!(p("2100-02").end(), day(2100, 2, 28));
        assert_eq!(p("2023-01").end(), day(2023, 1, 31));
        assert_eq!(p("2023-04").end(), day(2023, 4, 30));
        assert_eq!(p("2023-09").end(), day(2023, 9, 30));
        assert_eq!(p("2023-12").end(), day(2023, 12, 31));
        assert_eq!((month(2023, 1).year(), month(2023, 1).month()), (2023, 1));
    }

    #[test]
    fn calendar_year_runs_january_to_december() {
        assert_eq!(span("2023"), (day(2023, 1, 1), day(2023, 12, 31)));
        assert_eq!(cy(2023).year(), 2023);
    }

    #[test]
    fn month_lies_in_its_quarter_which_lies_in_its_fiscal_year() {
        let (m, q, fy) = (p("2022-11"), p("FY2023Q1"), p("FY2023"));
        assert!(q.contains(&m) && fy.contains(&q) && fy.contains(&m));
        assert!(!m.contains(&q) && !q.contains(&fy) && !m.contains(&fy));
        for period in [m, q, fy] {
            assert!(period.contains(&period), "{period} does not contain itself");
        }
        assert!(!p("FY2023Q2").contains(&m));
        assert!(!p("FY2022").contains(&m));
        assert_eq!(month(2022, 11).fiscal_quarter(), fq(2023, 1));
        assert_eq!(month(2022, 11).fiscal_year(), FiscalYear(2023));
        assert_eq!(month(2023, 1).fiscal_quarter(), fq(2023, 2));
        assert_eq!(month(2023, 6).fiscal_quarter(), fq(2023, 3));
        assert_eq!(month(2023, 9).fiscal_quarter(), fq(2023, 4));
        assert_eq!(month(2023, 9).fiscal_year(), FiscalYear(2023));
        assert_eq!(month(2023, 10).fiscal_year(), FiscalYear(2024));
        assert_eq!(
            FiscalYear(2023).quarters(),
            [fq(2023, 1), fq(2023, 2), fq(2023, 3), fq(2023, 4)]
        );
        let months = FiscalYear(2023).months().map(|m| m.to_string());
        assert_eq!(
            months,
            [
                "2022-10", "2022-11", "2022-12", "2023-01", "2023-02", "2023-03", "2023-04",
                "2023-05", "2023-06", "2023-07", "2023-08", "2023-09"
            ]
        );
        assert_eq!(
            fq(2023, 1).months(),
            [month(2022, 10), month(2022, 11), month(2022, 12)]
        );
        assert_eq!(
            fq(2023, 4).months(),
            [month(2023, 7), month(2023, 8), month(2023, 9)]
        );
        assert_eq!(
            m.fiscal_year(),
            Some(FiscalYear(2023)),
            "a month's fiscal year"
        );
        assert_eq!(q.fiscal_year(), Some(FiscalYear(2023)));
        assert_eq!(fy.fiscal_year(), Some(FiscalYear(2023)));
    }

    #[test]
    fn calendar_year_contains_twelve_months_and_no_fiscal_year() {
        let year = p("2023");
        let months = cy(2023).months();
        assert_eq!(months[0], month(2023, 1));
        assert_eq!(months[11], month(2023, 12));
        assert!(months.iter().all(|&m| year.contains(&Period::from(m))));
        assert!(!year.contains(&p("2022-12")) && !year.contains(&p("2024-01")));
        for fy in ["FY2022", "FY2023", "FY2024", "FY2025"] {
            assert!(!year.contains(&p(fy)), "2023 contains {fy}");
            assert!(!p(fy).contains(&year), "{fy} contains 2023");
        }
        for q in ["FY2023Q2", "FY2023Q3", "FY2023Q4", "FY2024Q1"] {
            assert!(year.contains(&p(q)), "2023 does not contain {q}");
        }
        assert!(!year.contains(&p("FY2023Q1")) && !year.contains(&p("FY2024Q2")));
        assert!(year.overlaps(&p("FY2023")) && year.overlaps(&p("FY2024")));
        assert!(!year.overlaps(&p("FY2022")) && !year.overlaps(&p("FY2025")));
        assert_eq!(year.fiscal_year(), None);
        assert_eq!(month(2023, 5).calendar_year(), cy(2023));
    }

    #[test]
    fn contains_date_and_overlaps() {
        let q = p("FY2024Q1");
        assert!(q.contains_date(day(2023, 10, 1)) && q.contains_date(day(2023, 12, 31)));
        assert!(!q.contains_date(day(2023, 9, 30)) && !q.contains_date(day(2024, 1, 1)));
        assert!(q.overlaps(&p("2023-12")) && p("2023-12").overlaps(&q));
        assert!(q.overlaps(&p("2023")) && !q.overlaps(&p("2024")));
        assert!(!q.overlaps(&p("FY2024Q2")) && !q.overlaps(&p("2023-09")));
        assert!(month(2024, 2).contains_date(day(2024, 2, 29)));
        assert!(cy(2024).contains_date(day(2024, 12, 31)));
        assert!(fq(2024, 2).contains_date(day(2024, 3, 31)));
    }

    #[test]
    fn periods_of_a_date() {
        assert_eq!(
            FiscalYear::of_date(day(2022, 10, 1)),
            Some(FiscalYear(2023))
        );
        assert_eq!(
            FiscalYear::of_date(day(2022, 9, 30)),
            Some(FiscalYear(2022))
        );
        assert_eq!(FiscalQuarter::of_date(day(2022, 12, 31)), Some(fq(2023, 1)));
        assert_eq!(FiscalQuarter::of_date(day(2023, 1, 1)), Some(fq(2023, 2)));
        assert_eq!(Month::of_date(day(2024, 2, 29)), Some(month(2024, 2)));
        assert_eq!(CalendarYear::of_date(day(2023, 7, 4)), Some(cy(2023)));
        let d = day(2023, 11, 15);
        let of = |kind| Period::of_date(kind, d).map(|p| p.to_string());
        assert_eq!(of(PeriodKind::FiscalYear).as_deref(), Some("FY2024"));
        assert_eq!(of(PeriodKind::FiscalQuarter).as_deref(), Some("FY2024Q1"));
        assert_eq!(of(PeriodKind::Month).as_deref(), Some("2023-11"));
        assert_eq!(of(PeriodKind::CalendarYear).as_deref(), Some("2023"));
        // Outside FY1001..FY9999.
        assert_eq!(FiscalYear::of_date(day(9999, 10, 1)), None);
        assert_eq!(Month::of_date(day(1000, 9, 30)), None);
        assert_eq!(CalendarYear::of_date(day(9999, 1, 1)), None);
        assert_eq!(Period::of_date(PeriodKind::Month, NaiveDate::MIN), None);
    }

    #[test]
    fn mixed_periods_sort_chronologically() {
        let mut list: Vec<Period> = [
            "FY2024", "2023", "FY2023Q2", "2022-10", "FY2023", "FY2023Q1", "2022-12", "2022",
            "2023-01",
        ]
        .map(p)
        .to_vec();
        list.sort();
        let sorted: Vec<String> = list.iter().map(Period::to_string).collect();
        assert_eq!(
            sorted,
            [
                "2022", "2022-10", "FY2023Q1", "FY2023", "2022-12", "2023-01", "FY2023Q2", "2023",
                "FY2024"
            ]
        );
        assert!(p("FY2022Q4") < p("FY2023Q1"));
        assert!(p("2022-09") < p("2022-10"));
        assert!(FiscalYear(2022) < FiscalYear(2023) && fq(2022, 4) < fq(2023, 1));
        assert!(month(2022, 12) < month(2023, 1) && cy(2022) < cy(2023));
    }

    #[test]
    fn previous_and_next_cross_year_boundaries() {
        let step = |s: &str| {
            let period = p(s);
            (
                period.checked_previous().map(|x| x.to_string()),
                period.checked_next().map(|x| x.to_string()),
            )
        };
        let some = |a: &str, b: &str| (Some(a.to_string()), Some(b.to_string()));
        assert_eq!(step("FY2023"), some("FY2022", "FY2024"));
        assert_eq!(step("FY2023Q1"), some("FY2022Q4", "FY2023Q2"));
        assert_eq!(step("FY2023Q4"), some("FY2023Q3", "FY2024Q1"));
        assert_eq!(step("2023-01"), some("2022-12", "2023-02"));
        assert_eq!(step("2022-12"), some("2022-11", "2023-01"));
        assert_eq!(step("2023"), some("2022", "2024"));
        assert_eq!(step("2000"), some("1999", "2001"));
        assert_eq!(step("FY2000Q4"), some("FY2000Q3", "FY2001Q1"));
    }

    #[test]
    fn range_ends_at_fy1001_and_fy9999() {
        let refused = |s: &str| s.parse::<Period>().map_err(|e| e.problem);
        for s in [
            "FY1000", "FY1000Q4", "1000", "9999", "1000-09", "9999-10", "9999-12",
        ] {
            assert_eq!(refused(s), Err(PeriodProblem::Range), "{s}");
        }
        for s in [
            "FY1001", "FY1001Q1", "FY9999", "FY9999Q4", "1001", "9998", "1000-10", "9999-09",
        ] {
            assert_eq!(p(s).to_string(), s);
        }
        for s in ["FY1001", "FY1001Q1", "1001", "1000-10"] {
            assert_eq!(p(s).checked_previous(), None, "before {s}");
            assert!(p(s).checked_next().is_some(), "after {s}");
        }
        for s in ["FY9999", "FY9999Q4", "9998", "9999-09"] {
            assert_eq!(p(s).checked_next(), None, "after {s}");
            assert!(p(s).checked_previous().is_some(), "before {s}");
        }
        assert_eq!(FiscalYear::MIN.months()[0], Month::MIN);
        assert_eq!(FiscalYear::MAX.months()[11], Month::MAX);
        assert_eq!(Month::MIN.fiscal_year(), FiscalYear::MIN);
        assert_eq!(Month::MAX.fiscal_year(), FiscalYear::MAX);
        assert!(p("FY1001").contains(&p("1001")) || p("FY1002").overlaps(&p("1001")));
        assert_eq!(
            CalendarYear::MIN.months()[0].fiscal_year(),
            FiscalYear(1001)
        );
        assert_eq!(
            CalendarYear::MAX.months()[11].fiscal_year(),
            FiscalYear(9999)
        );
    }

    #[test]
    fn constructors_validate() {
        assert_eq!(FiscalYear::new(2023), Some(FiscalYear(2023)));
        for y in [i32::MIN, -2023, 0, 1, 999, 1000, 10000, i32::MAX] {
            assert_eq!(FiscalYear::new(y), None, "FY{y}");
            assert_eq!(FiscalQuarter::new(FiscalYear(y), 1), None, "FY{y}Q1");
        }
        for y in [i32::MIN, 0, 1000, 9999, i32::MAX] {
            assert_eq!(CalendarYear::new(y), None, "{y}");
        }
        assert_eq!(CalendarYear::new(2023).map(CalendarYear::year), Some(2023));
        for q in [0, 5, 255] {
            assert_eq!(FiscalQuarter::new(FiscalYear(2023), q), None, "Q{q}");
        }
        for m in [0, 13, 255] {
            assert_eq!(Month::new(2023, m), None, "month {m}");
        }
        assert_eq!(Month::new(i32::MAX, 1), None);
        assert_eq!(
            Month::new(2023, 12).map(|m| m.to_string()),
            Some("2023-12".into())
        );
    }

    #[test]
    fn bad_inputs_are_refused_naming_the_input() {
        for bad in [
            "",
            "fy2023",
            "Fy2023",
            "FY2023q1",
            "fy2023q1",
            "FY 2023",
            " FY2023",
            "FY2023 ",
            "FY2023\n",
            "FY-2023",
            "FY+123",
            "+2023",
            "-2023",
            "FY0022",
            "0999",
            "02023",
            "023",
            "FY23",
            "FY20233",
            "2023-1",
            "2023-001",
            "2023-13",
            "2023-00",
            "2023/01",
            "2023-01-01",
            "2023-1a",
            "FY2023Q0",
            "FY2023Q5",
            "FY2023Q",
            "FY2023Q12",
            "FY2023Q+1",
            "2023Q1",
            "Q1FY2023",
            "FY2023-01",
            "CY2023",
            "FY",
            "Q1",
            "２０２３",
            "FY２０２３",
            "FY1000",
            "10000",
            "9999-12",
        ] {
            let Err(e) = bad.parse::<Period>() else {
                panic!("{bad:?} accepted");
            };
            let message = e.to_string();
            assert_eq!(e.value, bad);
            assert!(
                message.starts_with(&format!("{bad:?} is not a period: ")),
                "{message}"
            );
            for form in ["FY2023", "FY2023Q1", "2023-01", "2023)"] {
                assert!(message.contains(form), "{message} does not show {form}");
            }
        }
        let problem = |s: &str| s.parse::<Period>().err().map(|e| e.problem);
        assert_eq!(problem("fy2023"), Some(PeriodProblem::Case));
        assert_eq!(problem("FY2023q1"), Some(PeriodProblem::Case));
        assert_eq!(problem("fy0022"), Some(PeriodProblem::Form));
        assert_eq!(problem("2023-13"), Some(PeriodProblem::Month));
        assert_eq!(problem("2023-00"), Some(PeriodProblem::Month));
        assert_eq!(problem("FY2023Q5"), Some(PeriodProblem::Quarter));
        assert_eq!(problem("FY0022"), Some(PeriodProblem::Form));
        assert_eq!(problem("FY1000"), Some(PeriodProblem::Range));
        assert_eq!(
            "fy2023".parse::<Period>().map_err(|e| e.to_string()),
            Err(
                "\"fy2023\" is not a period: FY and Q are written in capitals; expected a \
                 fiscal year (FY2023), a fiscal quarter (FY2023Q1), a month (2023-01) or a \
                 calendar year (2023)"
                    .into()
            )
        );
        assert_eq!(
            "2023-13".parse::<Period>().map_err(|e| e.to_string()),
            Err(
                "\"2023-13\" is not a period: the month must be 01 to 12; expected a fiscal \
                 year (FY2023), a fiscal quarter (FY2023Q1), a month (2023-01) or a calendar \
                 year (2023)"
                    .into()
            )
        );
    }

    #[test]
    fn one_kind_parses_only_that_kind() {
        assert_eq!("FY2023Q1".parse(), Ok(fq(2023, 1)));
        assert_eq!("2023-01".parse(), Ok(month(2023, 1)));
        assert_eq!("2023".parse(), Ok(cy(2023)));
        assert_eq!(
            "2023".parse::<FiscalQuarter>().map_err(|e| e.to_string()),
            Err(
                "\"2023\" is not a fiscal quarter: it is a calendar year; expected a fiscal \
                 quarter such as FY2023Q1"
                    .into()
            )
        );
        assert_eq!(
            "2023-13".parse::<Month>().map_err(|e| e.to_string()),
            Err(
                "\"2023-13\" is not a month: the month must be 01 to 12; expected a month \
                 such as 2023-01"
                    .into()
            )
        );
        let problem = |r: Result<CalendarYear, PeriodError>| r.err().map(|e| e.problem);
        assert_eq!(
            problem("FY2023".parse()),
            Some(PeriodProblem::Kind(PeriodKind::FiscalYear))
        );
        assert!("2023-01".parse::<FiscalQuarter>().is_err());
        assert!("FY2023".parse::<Month>().is_err());
    }

    #[test]
    fn kinds_and_their_names() {
        let kinds = ["FY2023", "FY2023Q1", "2023-01", "2023"].map(|s| p(s).kind());
        assert_eq!(
            kinds,
            [
                PeriodKind::FiscalYear,
                PeriodKind::FiscalQuarter,
                PeriodKind::Month,
                PeriodKind::CalendarYear
            ]
        );
        for kind in kinds {
            assert_eq!(p(kind.example()).kind(), kind);
        }
        assert_eq!(PeriodKind::FiscalQuarter.to_string(), "fiscal quarter");
        assert_eq!(
            serde_json::to_string(&kinds).ok().as_deref(),
            Some(r#"["fiscal-year","fiscal-quarter","month","calendar-year"]"#)
        );
    }

    #[test]
    fn serde_as_the_string_and_schema_as_a_pattern() {
        let list = ["FY2023", "FY2023Q1", "2023-01", "2023"].map(p);
        let json = serde_json::to_string(&list).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(json, r#"["FY2023","FY2023Q1","2023-01","2023"]"#);
        let back: Vec<Period> = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back, list);
        let Err(e) = serde_json::from_str::<Period>(r#""FY2023q1""#) else {
            panic!("FY2023q1 accepted");
        };
        assert!(
            e.to_string().contains("\"FY2023q1\" is not a period"),
            "{e}"
        );
        assert_eq!(
            serde_json::from_str::<Month>(r#""2024-02""#).ok(),
            Some(month(2024, 2))
        );
        let schema =
            serde_json::to_value(schemars::schema_for!(Period)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(schema["type"], "string");
        assert_eq!(
            schema["pattern"],
            "^(FY[1-9][0-9]{3}(Q[1-4])?|[1-9][0-9]{3}(-(0[1-9]|1[0-2]))?)$"
        );
    }

    #[test]
    fn out_of_range_fiscal_years_do_not_panic() {
        for y in [i32::MIN, -5, 0, 1, 10000, i32::MAX] {
            let fy = FiscalYear(y);
            let period = Period::FiscalYear(fy);
            assert!(period.start() <= period.end());
            let _ = (
                fy.quarters(),
                fy.months(),
                period.fiscal_year(),
                period.to_string(),
            );
            for q in fy.quarters() {
                let _ = (
                    q.start(),
                    q.end(),
                    q.months(),
                    q.checked_next(),
                    q.to_string(),
                );
            }
            for m in fy.months() {
                let _ = (m.start(), m.end(), m.fiscal_quarter(), m.checked_previous());
            }
            // Stepping only ever lands inside the range (FY10000 → FY9999).
            for step in [period.checked_previous(), period.checked_next()] {
                assert!(
                    step.is_none_or(|s| s.to_string().parse() == Ok(s)),
                    "{step:?}"
                );
            }
            assert!(period.contains(&period));
            assert_eq!(period.cmp(&period), Ordering::Equal);
        }
        // Both saturate to chrono's last day, yet are different values.
        let (a, b) = (FiscalYear(i32::MAX), FiscalYear(i32::MAX - 1));
        assert_ne!(Period::from(a).cmp(&Period::from(b)), Ordering::Equal);
    }

    fn any_fiscal_year() -> impl Strategy<Value = FiscalYear> {
        (FiscalYear::MIN.0..=FiscalYear::MAX.0).prop_map(FiscalYear)
    }

    fn any_quarter() -> impl Strategy<Value = FiscalQuarter> {
        (any_fiscal_year(), 1u8..=4).prop_map(|(year, quarter)| FiscalQuarter { year, quarter })
    }

    fn any_month() -> impl Strategy<Value = Month> {
        (Month::MIN.index()..=Month::MAX.index()).prop_map(Month::from_index)
    }

    fn any_calendar_year() -> impl Strategy<Value = CalendarYear> {
        (CalendarYear::MIN.0..=CalendarYear::MAX.0).prop_map(CalendarYear)
    }

    fn any_period() -> impl Strategy<Value = Period> {
        prop_oneof![
            any_fiscal_year().prop_map(Period::from),
            any_quarter().prop_map(Period::from),
            any_month().prop_map(Period::from),
            any_calendar_year().prop_map(Period::from),
        ]
    }

    /// Any day from the first to the last of the supported range.
    fn any_day() -> impl Strategy<Value = NaiveDate> {
        let (first, last) = (FiscalYear::MIN.start(), FiscalYear::MAX.end());
        (0..=(last - first).num_days())
            .prop_map(move |n| first + chrono::Days::new(n.unsigned_abs()))
    }

    proptest! {
        #[test]
        fn display_parse_round_trip(period in any_period()) {
            let text = period.to_string();
            prop_assert_eq!(text.parse::<Period>(), Ok(period));
            let json = serde_json::to_string(&period).unwrap_or_else(|e| panic!("{e}"));
            prop_assert_eq!(json, format!("\"{text}\""));
            match period {
                Period::FiscalYear(x) => prop_assert_eq!(text.parse(), Ok(x)),
                Period::FiscalQuarter(x) => prop_assert_eq!(text.parse(), Ok(x)),
                Period::Month(x) => prop_assert_eq!(text.parse(), Ok(x)),
                Period::CalendarYear(x) => prop_assert_eq!(text.parse(), Ok(x)),
            }
        }

        #[test]
        fn accepted_text_is_canonical(text in "[FYQfyq0-9+ -]{0,9}") {
            // Whatever parses prints back as exactly the text it was read from.
            if let Ok(period) = text.parse::<Period>() {
                prop_assert_eq!(period.to_string(), text);
            }
        }

        #[test]
        fn start_is_not_after_end(period in any_period()) {
            prop_assert!(period.start() <= period.end());
            prop_assert!(period.contains(&period));
            prop_assert!(period.overlaps(&period));
            prop_assert!(period.contains_date(period.start()));
            prop_assert!(period.contains_date(period.end()));
            prop_assert!(!period.contains_date(period.end() + chrono::Days::new(1)));
            prop_assert!(!period.contains_date(period.start() - chrono::Days::new(1)));
            if let Some(fy) = period.fiscal_year() {
                prop_assert!(Period::from(fy).contains(&period));
            }
        }

        #[test]
        fn every_month_lies_in_exactly_one_quarter_and_one_fiscal_year(m in any_month()) {
            let month = Period::from(m);
            let fy = m.fiscal_year();
            let years: Vec<FiscalYear> =
                [fy.checked_previous(), Some(fy), fy.checked_next()].into_iter().flatten().collect();
            let in_years: Vec<_> =
                years.iter().filter(|&&y| Period::from(y).contains(&month)).collect();
            prop_assert_eq!(in_years, vec![&fy]);
            let in_quarters: Vec<FiscalQuarter> = years
                .iter()
                .flat_map(|y| y.quarters())
                .filter(|&q| Period::from(q).contains(&month))
                .collect();
            prop_assert_eq!(in_quarters, vec![m.fiscal_quarter()]);
            prop_assert_eq!(m.fiscal_quarter().year(), fy);
            prop_assert_eq!(month.fiscal_year(), Some(fy));
            prop_assert_eq!(fy.months().iter().filter(|&&x| x == m).count(), 1);
            prop_assert_eq!(m.fiscal_quarter().months().iter().filter(|&&x| x == m).count(), 1);
            prop_assert!(Period::from(m.calendar_year()).contains(&month));
        }

        #[test]
        fn previous_and_next_are_adjacent_inverses(period in any_period()) {
            if let Some(next) = period.checked_next() {
                prop_assert_eq!(next.checked_previous(), Some(period));
                prop_assert_eq!(next.kind(), period.kind());
                prop_assert_eq!(next.start(), period.end() + chrono::Days::new(1));
                prop_assert!(next > period);
            }
            if let Some(previous) = period.checked_previous() {
                prop_assert_eq!(previous.checked_next(), Some(period));
                prop_assert_eq!(previous.kind(), period.kind());
                prop_assert_eq!(previous.end() + chrono::Days::new(1), period.start());
                prop_assert!(previous < period);
            }
        }

        #[test]
        fn the_period_of_a_day_contains_it(d in any_day()) {
            for kind in [
                PeriodKind::FiscalYear,
                PeriodKind::FiscalQuarter,
                PeriodKind::Month,
                PeriodKind::CalendarYear,
            ] {
                match Period::of_date(kind, d) {
                    Some(period) => {
                        prop_assert!(period.contains_date(d));
                        prop_assert_eq!(period.kind(), kind);
                    }
                    // Only calendar years stop short of the range's ends.
                    None => prop_assert!(
                        kind == PeriodKind::CalendarYear && !(1001..=9998).contains(&d.year())
                    ),
                }
            }
        }

        #[test]
        fn order_is_by_start_then_end_and_agrees_with_eq(a in any_period(), b in any_period()) {
            let by_dates = (a.start(), a.end()).cmp(&(b.start(), b.end()));
            prop_assert_eq!(a.cmp(&b), by_dates);
            prop_assert_eq!(a.cmp(&b) == Ordering::Equal, a == b);
            prop_assert_eq!(a.contains(&b) && b.contains(&a), a == b);
            prop_assert_eq!(a.overlaps(&b), b.overlaps(&a));
        }
    }
}
