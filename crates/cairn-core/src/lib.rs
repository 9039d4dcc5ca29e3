//! Cairn's domain core: the shape of a strategy and the rules that make one valid.
//!
//! Pure by design: no IO, no async, no database or HTTP types. Adapters (importer, store,
//! renderer, server, CLI) depend on this crate, never the other way round.

/// Serializes a type as the string its `Display` prints, and reads it back with `FromStr`, so
/// that its JSON is the canonical text form ("1.2", "AF-JRS/goal/1", "FY2019").
#[macro_export]
macro_rules! serde_as_string {
    ($t:ty) => {
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }

        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                <String as serde::Deserialize>::deserialize(d)?
                    .parse()
                    .map_err(serde::de::Error::custom)
            }
        }
    };
}

pub mod access;
pub mod assemble;
pub mod block;
pub mod bureau;
pub mod context;
pub mod diagnostic;
pub mod diff;
pub mod figure;
pub mod identity;
pub mod indicator;
pub mod link;
pub mod number;
pub mod period;
pub mod portfolio;
pub mod rating;
pub mod status;
pub mod strategy;
pub mod title;

pub use access::{Permission, Role};
pub use assemble::{Draft, DraftElement, Heading, assemble};
pub use block::{Block, EditError, Field};
pub use diagnostic::{Code, Diagnostic, Severity};
pub use figure::{Figure, Node, Unit};
pub use identity::{ElementId, Identity};
pub use indicator::{
    Indicator, IndicatorCode, Milestone, MilestoneCode, MilestoneStatus, Observation,
    ObservationKind,
};
pub use link::{Link, Relation, Target};
pub use number::Number;
pub use period::{CalendarYear, FiscalQuarter, FiscalYear, Month, Period, PeriodError, PeriodKind};
pub use rating::{Direction, Rating, Scheme};
pub use strategy::{ElementKind, Goal, ManagementObjective, Objective, Strategy, StrategyKind};

/// The JSON Schema of [`Strategy`], as `cairn schema` prints it.
pub fn strategy_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(Strategy)).unwrap_or_default()
}
