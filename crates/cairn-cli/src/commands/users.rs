//! `cairn user`: local accounts, managed by the trusted operator of the database.

use std::io::BufRead;
use std::process::ExitCode;

use cairn_app::AccountError;
use cairn_core::Role;
use cairn_store::{UserChange, UserUpdate, Username};

use super::{print_json, write_stdout};
use crate::args::{Global, UserCommand};
use crate::db::{self, store_failure};
use crate::input::Failure;
use crate::names;

fn account_failure(e: AccountError) -> Failure {
    match e {
        AccountError::Store(e) => store_failure(e),
        e if e.is_input_fault() => Failure::Input(e.to_string()),
        e => Failure::Environment(e.to_string()),
    }
}

fn username(s: &str) -> Result<Username, Failure> {
    Username::parse(s).map_err(|e| Failure::Environment(e.to_string()))
}

fn role(s: &str) -> Result<Role, Failure> {
    s.parse::<Role>()
        .map_err(|e| Failure::Environment(format!("--role: {e}")))
}

/// The first line of stdin, without its line ending.
fn password_from_stdin() -> Result<String, Failure> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| Failure::Environment(format!("cannot read the password from stdin: {e}")))?;
    let p = line.trim_end_matches(['\n', '\r']).to_string();
    if p.is_empty() {
        return Err(Failure::Input(
            "stdin: no password on the first line".into(),
        ));
    }
    Ok(p)
}

fn show_otp(name: &Username, otp: Option<String>) {
    if let Some(otp) = otp {
        eprintln!("cairn: one-time password for {name}: {otp}");
        eprintln!("cairn: it is shown only now; {name} chooses a new one at first sign-in");
    }
}

pub fn user(g: &Global, command: UserCommand) -> Result<ExitCode, Failure> {
    let actor = names::actor(g.actor.as_deref());
    match command {
        UserCommand::Add {
            name,
            role: r,
            password_stdin,
        } => {
            let name = username(&name)?;
            let r = role(&r)?;
            let password = password_stdin.then(password_from_stdin).transpose()?;
            let store = db::open(&g.db)?;
            let (user, otp) =
                cairn_app::accounts::add_user(&*store, name.clone(), r, password, actor)
                    .map_err(account_failure)?;
            eprintln!("cairn: added {} ({})", user.username, user.role);
            show_otp(&name, otp);
        }
        UserCommand::List { json } => {
            let store = db::open(&g.db)?;
            let users = store.users().map_err(store_failure)?;
            if json {
                print_json(&users)?;
            } else {
                let text: String = users
                    .iter()
                    .map(|u| {
                        let mut state = Vec::new();
                        if u.disabled {
                            state.push("disabled");
                        }
                        if u.must_change_password {
                            state.push("one-time password");
                        }
                        format!("{:<24} {:<9} {}\n", u.username, u.role, state.join(", "))
                    })
                    .collect();
                write_stdout(text.as_bytes())?;
            }
        }
        UserCommand::Disable { name } => change(g, &name, UserUpdate::Disabled(true), actor)?,
        UserCommand::Enable { name } => change(g, &name, UserUpdate::Disabled(false), actor)?,
        UserCommand::SetRole { name, role: r } => {
            change(g, &name, UserUpdate::Role(role(&r)?), actor)?;
        }
        UserCommand::ResetPassword {
            name,
            password_stdin,
        } => {
            let name = username(&name)?;
            let password = password_stdin.then(password_from_stdin).transpose()?;
            let store = db::open(&g.db)?;
            cairn_app::accounts::reset_password(&*store, name.clone(), None, password, actor)
                .map_err(account_failure)
                .map(|(_, otp)| show_otp(&name, otp))?;
            eprintln!("cairn: {name}: password reset; their sessions ended");
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn change(g: &Global, name: &str, update: UserUpdate, actor: String) -> Result<(), Failure> {
    let name = username(name)?;
    let store = db::open(&g.db)?;
    let user = store
        .change_user(UserChange {
            username: name,
            base_version: None,
            update,
            actor,
        })
        .map_err(store_failure)?;
    eprintln!(
        "cairn: {}: {}{}",
        user.username,
        user.role,
        if user.disabled { ", disabled" } else { "" }
    );
    Ok(())
}
