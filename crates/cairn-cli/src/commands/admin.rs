//! The audit trail and the database itself.

use std::process::ExitCode;

use cairn_store::{DUMP_FORMAT, Dump, Verification, verify};

use super::document::write_atomically;
use super::{print_json, write_stdout};
use crate::args::{AuditCommand, DbCommand, Global};
use crate::db::{self, store_failure};
use crate::input::{self, Failure};

pub fn audit(g: &Global, command: AuditCommand) -> Result<ExitCode, Failure> {
    let store = db::open(&g.db)?;
    match command {
        AuditCommand::Log { json } => {
            let log = store.audit_log().map_err(store_failure)?;
            if json {
                print_json(&log)?;
            } else {
                let text: String = log
                    .iter()
                    .map(|e| {
                        format!(
                            "{:>6}  {}  {:<16} {:<12} {}  {}\n",
                            e.seq,
                            e.at.format("%Y-%m-%d %H:%M:%S UTC"),
                            e.actor,
                            e.action,
                            e.object,
                            &e.hash[..12.min(e.hash.len())]
                        )
                    })
                    .collect();
                write_stdout(text.as_bytes())?;
            }
            Ok(ExitCode::SUCCESS)
        }
        AuditCommand::Verify { head } => match verify(&*store).map_err(store_failure)? {
            Verification::Intact {
                entries,
                head: actual,
            } => {
                if let Some(expected) = head
                    && !store
                        .audit_log()
                        .map_err(store_failure)?
                        .iter()
                        .any(|e| e.hash == expected)
                {
                    return Err(Failure::Input(format!(
                        "audit trail: the recorded head {expected} is not in the chain: entries were cut off or replaced"
                    )));
                }
                println!(
                    "audit trail intact: {entries} entries, head {}",
                    actual.as_deref().unwrap_or("(empty)")
                );
                Ok(ExitCode::SUCCESS)
            }
            Verification::Broken(b) => Err(Failure::Input(format!(
                "audit trail broken at entry {}: {}",
                b.seq, b.reason
            ))),
        },
    }
}

pub fn db(g: &Global, command: DbCommand) -> Result<ExitCode, Failure> {
    let store = db::open(&g.db)?;
    match command {
        DbCommand::Migrate => {
            eprintln!("cairn: {} is at the current schema", store.describe());
            Ok(ExitCode::SUCCESS)
        }
        DbCommand::Check => {
            let mut problems = store.integrity().map_err(store_failure)?;
            if let Verification::Broken(b) = verify(&*store).map_err(store_failure)? {
                problems.push(format!(
                    "audit trail broken at entry {}: {}",
                    b.seq, b.reason
                ));
            }
            if problems.is_empty() {
                println!(
                    "{}: integrity, references and audit chain hold",
                    store.describe()
                );
                Ok(ExitCode::SUCCESS)
            } else {
                for p in &problems {
                    println!("{p}");
                }
                Err(Failure::Input(format!(
                    "{}: {} problem(s) found",
                    store.describe(),
                    problems.len()
                )))
            }
        }
        DbCommand::Backup { file } => {
            let dump = store.dump().map_err(store_failure)?;
            let text = serde_json::to_vec(&dump)
                .map_err(|e| Failure::Environment(format!("cannot encode the backup: {e}")))?;
            write_atomically(&file, &text)?;
            eprintln!(
                "cairn: wrote {} ({} missions, {} revisions, {} audit entries)",
                file.display(),
                dump.missions.len(),
                dump.revisions.len(),
                dump.audit.len()
            );
            Ok(ExitCode::SUCCESS)
        }
        DbCommand::Restore { file } => {
            let bytes = input::read(&file)?;
            let dump: Dump = serde_json::from_slice(&bytes).map_err(|e| {
                Failure::Input(format!(
                    "{}: not a Cairn backup (line {}, column {}: {e})",
                    file.display(),
                    e.line(),
                    e.column()
                ))
            })?;
            if dump.format > DUMP_FORMAT {
                return Err(Failure::Environment(format!(
                    "{}: written by a newer Cairn (backup format {}; this build reads up to {DUMP_FORMAT})",
                    file.display(),
                    dump.format
                )));
            }
            store.load(&dump).map_err(store_failure)?;
            eprintln!(
                "cairn: restored {} into {}",
                file.display(),
                store.describe()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}
