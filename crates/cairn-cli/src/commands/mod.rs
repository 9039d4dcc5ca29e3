//! What each subcommand does: `document` reads files, `store` works on missions and
//! revisions, `monitoring` on indicators and their data, `milestones` on milestones, `admin`
//! on the audit trail and the database.

mod admin;
mod document;
mod milestones;
mod monitoring;
mod serve;
mod store;
mod users;

use std::io::Write;
use std::process::ExitCode;

use crate::args::{Cli, Command, DataCommand, IndicatorCommand, MilestoneCommand};
use crate::input::Failure;

pub fn run(cli: Cli) -> Result<ExitCode, Failure> {
    let g = cli.global;
    match cli.command {
        Command::Parse { file } => document::parse(&file),
        Command::Check { target, rev, json } => document::check(&g, &target, rev, json),
        Command::Render {
            file,
            format,
            public,
            output,
        } => document::render(&file, format, public, output.as_deref()),
        Command::Schema => {
            print_json(&cairn_core::strategy_schema())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Import {
            file,
            mission,
            bureau,
            message,
            base,
            json,
        } => store::import(&g, &file, mission, bureau, message, base, json),
        Command::List { json } => store::list(&g, json),
        Command::Show { mission, rev, json } => store::show(&g, &mission, rev, json),
        Command::History { mission, json } => store::history(&g, &mission, json),
        Command::Diff {
            mission,
            from,
            to,
            json,
        } => store::diff(&g, &mission, from, to, json),
        Command::Revert {
            mission,
            rev,
            message,
        } => store::revert(&g, &mission, rev, message),
        Command::Mission { command } => store::mission(&g, command),
        Command::Audit { command } => admin::audit(&g, command),
        Command::Db { command } => admin::db(&g, command),
        Command::Edit {
            mission,
            node,
            field,
            value,
            message,
            base,
        } => store::edit(&g, &mission, &node, &field, value, message, base),
        Command::Serve {
            addr,
            demo,
            secure_cookies,
        } => serve::serve(&g, &addr, demo, secure_cookies),
        Command::User { command } => users::user(&g, command),
        Command::Indicator { command } => match command {
            IndicatorCommand::Import { file, dry_run } => monitoring::import_sheet(
                &g,
                &file,
                dry_run,
                "indicators",
                cairn_app::monitoring::import_indicators,
            ),
            IndicatorCommand::FromFigure {
                mission,
                figure,
                code,
                title,
                element,
                period,
                direction,
                json,
            } => monitoring::from_figure(
                &g,
                &mission,
                monitoring::FigureArgs {
                    figure,
                    code,
                    title,
                    element,
                    period,
                    direction,
                },
                json,
            ),
        },
        Command::Data { command } => match command {
            DataCommand::Import {
                file,
                message,
                dry_run,
            } => monitoring::import_data(&g, &file, message, dry_run),
            DataCommand::History {
                mission,
                indicator,
                json,
            } => monitoring::history(&g, &mission, &indicator, json),
            DataCommand::Export { mission, output } => {
                monitoring::export_data(&g, mission.as_deref(), output.as_deref())
            }
        },
        Command::Milestone { command } => match command {
            MilestoneCommand::Import { file, dry_run } => monitoring::import_sheet(
                &g,
                &file,
                dry_run,
                "milestones",
                cairn_app::milestones::import_milestones,
            ),
            MilestoneCommand::Export { mission, output } => {
                milestones::export(&g, mission.as_deref(), output.as_deref())
            }
            MilestoneCommand::List { mission, fy, json } => {
                milestones::list(&g, &mission, fy, json)
            }
        },
        Command::Status { mission, fy, json } => monitoring::status(&g, &mission, fy, json),
    }
}

pub fn print_json(value: &impl serde::Serialize) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| Failure::Environment(format!("cannot write JSON: {e}")))?;
    write_stdout(format!("{text}\n").as_bytes())
}

pub fn write_stdout(bytes: &[u8]) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        // A closed pipe (`cairn parse x | head`) is the reader's choice, not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => r.map_err(|e| Failure::Environment(format!("cannot write to stdout: {e}"))),
    }
}
