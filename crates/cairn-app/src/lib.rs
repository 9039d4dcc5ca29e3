//! What Cairn does, written once. The CLI and the server are two doors onto these use cases:
//! each turns its own input (arguments, HTTP requests) into these calls and their errors into
//! its own output (exit codes, status codes).

pub mod accounts;
pub mod db;
pub mod import;
pub mod indicators;
pub mod milestones;
pub mod monitoring;
pub mod revise;
pub mod view;

pub use accounts::AccountError;
pub use db::{DbUrl, OpenError};
pub use import::{Base, ImportError, ImportRequest, Imported};
pub use revise::{EditRequest, ReviseError};
