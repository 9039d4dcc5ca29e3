//! Cairn's domain core: the shape of a strategy and the rules that make one valid.
//!
//! Pure by design: no IO, no async, no database or HTTP types. Adapters (importer, store,
//! renderer, server, CLI) depend on this crate, never the other way round.

pub mod assemble;
pub mod bureau;
pub mod diagnostic;
pub mod figure;
pub mod link;
pub mod number;
pub mod period;
pub mod strategy;
pub mod title;

pub use assemble::{Draft, DraftElement, Heading, assemble};
pub use diagnostic::{Code, Diagnostic, Severity};
pub use figure::{Figure, Node, Unit};
pub use link::{Link, Relation, Target};
pub use number::Number;
pub use strategy::{ElementKind, Goal, ManagementObjective, Objective, Strategy, StrategyKind};

/// The JSON Schema of [`Strategy`], as `cairn schema` prints it.
pub fn strategy_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(Strategy)).unwrap_or_default()
}
