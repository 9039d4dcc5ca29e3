//! Reporting periods. The U.S. fiscal year runs Oct 1 – Sep 30 and is named for the year it ends.

use std::fmt;
use std::str::FromStr;

use schemars::JsonSchema;

/// A U.S. government fiscal year, written `FY2023`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FiscalYear(pub i32);

/// Why a string is not a fiscal year.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a fiscal year: expected FY followed by four digits, e.g. FY2023")]
pub struct FiscalYearError(pub String);

impl fmt::Display for FiscalYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FY{}", self.0)
    }
}

impl FromStr for FiscalYear {
    type Err = FiscalYearError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        // Four digits, no leading zero: "FY0022" would print back as something else.
        let digits = s.strip_prefix("FY").filter(|d| {
            d.len() == 4 && d.bytes().all(|b| b.is_ascii_digit()) && !d.starts_with('0')
        });
        digits
            .and_then(|d| d.parse().ok())
            .map(FiscalYear)
            .ok_or_else(|| FiscalYearError(s.to_string()))
    }
}

crate::serde_as_string!(FiscalYear);

impl JsonSchema for FiscalYear {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "FiscalYear".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string", "pattern": "^FY[0-9]{4}$" })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fiscal_year_round_trip() {
        assert_eq!("FY2019".parse(), Ok(FiscalYear(2019)));
        assert_eq!(FiscalYear(2021).to_string(), "FY2021");
        // "FY0022" was found by the grammar fuzz target: it printed back as "FY22".
        for bad in [
            "FY19", "2019", "FY 2019", "fy2019", "FY20199", "FY0022", "FY+123",
        ] {
            assert!(bad.parse::<FiscalYear>().is_err(), "{bad} accepted");
        }
    }
}
