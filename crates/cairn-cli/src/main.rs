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
    let serving = matches!(cli.command, args::Command::Serve { .. });
    // The server logs every request; other commands stay quiet unless asked. The server's
    // lines are written by a thread of their own, off the request path (measured: writing
    // them inline cost a fifth of serving a cached strategy); the guard flushes them at exit.
    let _flush = init_logging(if serving { "info" } else { "warn" }, serving);
    match commands::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("cairn: {e:#}");
            ExitCode::from(e.exit_code())
        }
    }
}

/// Structured logs to stderr at `default` level unless `CAIRN_LOG` asks (e.g. `CAIRN_LOG=debug`).
fn init_logging(
    default: &str,
    background: bool,
) -> Option<tracing_appender::non_blocking::WorkerGuard> {
    let filter = tracing_subscriber::EnvFilter::try_from_env("CAIRN_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(ansi);
    if background {
        let (writer, guard) = tracing_appender::non_blocking(std::io::stderr());
        builder.with_writer(writer).init();
        Some(guard)
    } else {
        builder.with_writer(std::io::stderr).init();
        None
    }
}
