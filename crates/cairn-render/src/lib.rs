//! Renders a strategy in the official layout: cover with marking, table of contents, the four
//! sections.
//!
//! Both outputs follow PRODUCT.md §2 "Document layout as published": the cover (title, country
//! in capitals, banner, approval date), the table of contents, then 1. Chief of Mission
//! Priorities, 2. Mission Strategic Framework (the compact outline), 3. Mission Goals and
//! Objectives (the detail) and 4. Management Objective(s). The Markdown is written so that the
//! importer reads it back into the same strategy; the HTML is one standalone page.

pub mod chart;
mod diff;
mod html;
mod markdown;
mod outline;

pub use diff::diff_text;
pub use html::html;
pub use markdown::markdown;
