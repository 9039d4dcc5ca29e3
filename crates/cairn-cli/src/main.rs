//! `cairn`: the thin binary over Cairn's crates. Data goes to stdout, messages to stderr.
//! Exit 0 on success, 1 when the input is at fault, 2 for usage or environment errors.

mod args;
mod check_report;
mod commands;
mod db;
mod input;
mod names;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    // The server logs every request; other commands stay quiet unless asked.
    let default = if matches!(cli.command, args::Command::Serve { .. }) {
        "info"
    } else {
        "warn"
    };
    init_logging(default);
    match commands::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("cairn: {e:#}");
            ExitCode::from(e.exit_code())
        }
    }
}

/// Structured logs to stderr at `default` level unless `CAIRN_LOG` asks (e.g. `CAIRN_LOG=debug`).
fn init_logging(default: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("CAIRN_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
}
