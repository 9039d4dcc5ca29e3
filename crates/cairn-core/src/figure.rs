//! Key figures: quantities stated in the narrative ("$132 million in FY 2019").

use std::fmt;
use std::str::FromStr;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::Number;
use crate::period::FiscalYear;

/// A quantity found in the narrative, with what it counts and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Figure {
    /// The quantity as written ("$132 million", "4.8%").
    pub text: String,
    /// The value in base units ("$132 million" → 132000000; "4.8%" → 4.8).
    pub value: f64,
    pub unit: Unit,
    /// What is counted ("people"), when the text says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// The calendar year the sentence ties the figure to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// The U.S. fiscal year the sentence ties the figure to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fiscal_year: Option<FiscalYear>,
    /// The sentence the figure was read from.
    pub sentence: String,
    /// Where in the strategy the sentence stands.
    pub node: Node,
}

/// The unit of a figure's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum Unit {
    #[serde(rename = "USD")]
    Usd,
    #[serde(rename = "percent")]
    Percent,
    #[serde(rename = "count")]
    Count,
}

/// A place in the strategy that holds narrative: `priorities`, `goal:1`, `objective:3.2`,
/// `management:1`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Node {
    Priorities,
    Goal(Number),
    Objective(Number),
    Management(Number),
}

/// Why a string is not a node reference.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a node: expected priorities, goal:N, objective:N.N or management:N")]
pub struct NodeError(pub String);

impl fmt::Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Priorities => f.write_str("priorities"),
            Self::Goal(n) => write!(f, "goal:{n}"),
            Self::Objective(n) => write!(f, "objective:{n}"),
            Self::Management(n) => write!(f, "management:{n}"),
        }
    }
}

impl FromStr for Node {
    type Err = NodeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || NodeError(s.to_string());
        if s == "priorities" {
            return Ok(Self::Priorities);
        }
        let (kind, num) = s.split_once(':').ok_or_else(err)?;
        let n = Number::parse(num).map_err(|_| err())?;
        match kind {
            "goal" => Ok(Self::Goal(n)),
            "objective" => Ok(Self::Objective(n)),
            "management" => Ok(Self::Management(n)),
            _ => Err(err()),
        }
    }
}

crate::serde_as_string!(Node);

impl JsonSchema for Node {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Node".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^(priorities|(goal|objective|management):[0-9.]+)$"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_round_trip() {
        for s in [
            "priorities",
            "goal:1",
            "objective:3.2",
            "objective:1.2.3",
            "management:1",
        ] {
            let n: Node = s.parse().unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(n.to_string(), s);
        }
        for s in ["", "goal", "goal:", "risk:1", "objective:x"] {
            assert!(s.parse::<Node>().is_err(), "{s} accepted");
        }
    }
}
