//! Command-line grammar.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Cairn turns a mission's Integrated Country Strategy into a living, measurable plan.
#[derive(Debug, Parser)]
#[command(name = "cairn", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read a strategy document (text or Markdown) and print it as JSON.
    Parse {
        /// The document: text extracted from the published PDF, or Markdown.
        file: PathBuf,
    },
    /// Report what is wrong with a strategy document, like a compiler.
    Check {
        file: PathBuf,
        /// Print {"diagnostics": [...]} instead of human-readable lines.
        #[arg(long)]
        json: bool,
    },
    /// Render a strategy in its official layout.
    Render {
        file: PathBuf,
        #[arg(long, value_enum)]
        format: Format,
        /// Refuse unless the whole output may be released to the public.
        #[arg(long)]
        public: bool,
        /// Write here instead of stdout (atomically: all or nothing).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Print the JSON Schema of `cairn parse` output.
    Schema,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Md,
    Html,
    Pdf,
}
