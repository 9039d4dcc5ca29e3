//! `cairn user`, `cairn edit` and `cairn serve` from the outside.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

use crate::support::{Scratch, cairn, json_of, path_arg, seed, stderr};

fn with_stdin(s: &Scratch, args: &[&str], input: &str) -> std::process::Output {
    let url = s.url();
    let mut child = Command::new(env!("CARGO_BIN_EXE_cairn"))
        .args(["--db", url.as_str(), "--actor", "alice"])
        .args(args)
        .env_remove("CAIRN_DATABASE_URL")
        .env_remove("CAIRN_ACTOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    child
        .stdin
        .take()
        .map(|mut i| i.write_all(input.as_bytes()))
        .transpose()
        .unwrap_or_else(|e| panic!("{e}"));
    child.wait_with_output().unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn users_are_added_listed_changed_and_audited() {
    let s = Scratch::new();
    let out = s.ok(&["user", "add", "ana", "--role", "editor"]);
    let err = stderr(&out);
    assert!(err.contains("one-time password for ana: "), "{err}");
    let out = with_stdin(
        &s,
        &["user", "add", "ben", "--password-stdin"],
        "a long enough secret\n",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("one-time"), "{}", stderr(&out));

    let users = json_of(&s.ok(&["user", "list", "--json"]));
    let names: Vec<(&str, &str, bool)> = users
        .as_array()
        .into_iter()
        .flatten()
        .map(|u| {
            (
                u["username"].as_str().unwrap_or_default(),
                u["role"].as_str().unwrap_or_default(),
                u["must_change_password"].as_bool().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(names, [("ana", "editor", true), ("ben", "viewer", false)]);
    let text = String::from_utf8_lossy(&s.ok(&["user", "list"]).stdout).into_owned();
    assert!(text.contains("one-time password"), "{text}");

    s.ok(&["user", "set-role", "ben", "approver"]);
    s.ok(&["user", "disable", "ben"]);
    let out = s.ok(&["user", "reset-password", "ana"]);
    assert!(
        stderr(&out).contains("one-time password for ana"),
        "{}",
        stderr(&out)
    );
    let users = json_of(&s.ok(&["user", "list", "--json"]));
    assert_eq!(users[1]["role"], "approver");
    assert_eq!(users[1]["disabled"], true);

    // Every change is in the audit trail with its actor; no password hash appears there.
    let log = json_of(&s.ok(&["audit", "log", "--json"]));
    let actions: Vec<String> = log
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            format!(
                "{} {} {}",
                e["actor"].as_str().unwrap_or_default(),
                e["action"].as_str().unwrap_or_default(),
                e["object"].as_str().unwrap_or_default()
            )
        })
        .collect();
    for want in [
        "alice user.add user/ana",
        "alice user.role user/ben",
        "alice user.disable user/ben",
        "alice user.password user/ana",
    ] {
        assert!(
            actions.iter().any(|a| a == want),
            "{want} not in {actions:?}"
        );
    }
    assert!(
        !log.to_string().contains("$argon2"),
        "a hash leaked into the audit log"
    );
    s.ok(&["audit", "verify"]);
}

#[test]
fn bad_user_input_is_refused_with_a_reason() {
    let s = Scratch::new();
    s.ok(&["user", "add", "ana"]);
    let dup = s.run(&["user", "add", "ana"]);
    assert_eq!(dup.status.code(), Some(1), "{}", stderr(&dup));
    assert!(stderr(&dup).contains("already exists"), "{}", stderr(&dup));
    let bad_role = s.run(&["user", "add", "cy", "--role", "root"]);
    assert_eq!(bad_role.status.code(), Some(2));
    assert!(
        stderr(&bad_role).contains("\"root\" is not a role"),
        "{}",
        stderr(&bad_role)
    );
    let bad_name = s.run(&["user", "add", "Not Valid"]);
    assert_eq!(bad_name.status.code(), Some(2), "{}", stderr(&bad_name));
    let weak = with_stdin(&s, &["user", "add", "dee", "--password-stdin"], "short\n");
    assert_eq!(weak.status.code(), Some(1));
    assert!(
        stderr(&weak).contains("at least 12 characters"),
        "{}",
        stderr(&weak)
    );
    let unknown = s.run(&["user", "disable", "nobody"]);
    assert_ne!(unknown.status.code(), Some(0));
    assert!(
        stderr(&unknown).contains("no user nobody"),
        "{}",
        stderr(&unknown)
    );
    let users = json_of(&s.ok(&["user", "list", "--json"]));
    assert_eq!(
        users.as_array().map(Vec::len),
        Some(1),
        "nothing else was written"
    );
}

#[test]
fn edit_changes_one_field_as_a_new_revision() {
    let s = Scratch::new();
    s.ok(&["import", path_arg(&seed())]);
    s.ok(&[
        "edit",
        "mali",
        "objective:1.1",
        "justification",
        "--value",
        "A new justification about zanzibarite.",
        "-m",
        "sharpen 1.1",
    ]);
    let show = json_of(&s.ok(&["show", "mali", "--json"]));
    assert_eq!(show["rev"], 2);
    assert_eq!(
        show["goals"][0]["objectives"][0]["justification"],
        "A new justification about zanzibarite."
    );
    let diff = json_of(&s.ok(&["diff", "mali", "1", "2", "--json"]));
    assert_eq!(diff["blocks"].as_array().map(Vec::len), Some(1), "{diff}");
    assert!(
        diff["elements"].as_array().is_some_and(Vec::is_empty),
        "{diff}"
    );
    let stale = s.run(&[
        "edit",
        "mali",
        "objective:1.1",
        "risks",
        "--value",
        "x",
        "-m",
        "m",
        "--base",
        "1",
    ]);
    assert_eq!(stale.status.code(), Some(1), "{}", stderr(&stale));
    assert!(
        stderr(&stale).contains("changed since revision 1"),
        "{}",
        stderr(&stale)
    );
    let bad = s.run(&[
        "edit",
        "mali",
        "objective:9.9",
        "risks",
        "--value",
        "x",
        "-m",
        "m",
    ]);
    assert_eq!(bad.status.code(), Some(1), "{}", stderr(&bad));
    assert!(
        stderr(&bad).contains("no objective:9.9"),
        "{}",
        stderr(&bad)
    );
    let bad = s.run(&[
        "edit", "mali", "goal:1", "colour", "--value", "x", "-m", "m",
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("not a field"), "{}", stderr(&bad));
}

/// One HTTP/1.1 GET over a plain socket: the status line and the body.
fn get(addr: &str, path: &str) -> (String, String) {
    let mut stream = TcpStream::connect(addr).unwrap_or_else(|e| panic!("{addr}: {e}"));
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let mut text = String::new();
    stream
        .read_to_string(&mut text)
        .unwrap_or_else(|e| panic!("{e}"));
    let status = text.lines().next().unwrap_or_default().to_string();
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

#[test]
fn serve_demo_seeds_once_answers_and_stops_on_sigterm() {
    let s = Scratch::new();
    let url = s.url();
    let mut child = Command::new(env!("CARGO_BIN_EXE_cairn"))
        .args([
            "--db",
            url.as_str(),
            "serve",
            "--demo",
            "--addr",
            "127.0.0.1:0",
        ])
        .env_remove("CAIRN_DATABASE_URL")
        .env("CAIRN_LOG", "warn")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let stderr_pipe = child.stderr.take().unwrap_or_else(|| panic!("no stderr"));
    let mut lines = BufReader::new(stderr_pipe).lines();
    let mut password = None;
    let mut addr = None;
    for line in lines.by_ref() {
        let line = line.unwrap_or_else(|e| panic!("{e}"));
        if let Some(p) = line.strip_prefix("cairn: demo: one-time password for admin: ") {
            password = Some(p.to_string());
        }
        if let Some(a) = line.strip_prefix("cairn: serving http://") {
            addr = a.split('/').next().map(str::to_string);
            break;
        }
    }
    let addr = addr.unwrap_or_else(|| panic!("the server never said where it listens"));
    let password = password.unwrap_or_else(|| panic!("no one-time password printed"));
    assert_eq!(password.len(), 23, "{password}");

    assert_eq!(get(&addr, "/healthz").0, "HTTP/1.1 200 OK");
    assert_eq!(get(&addr, "/readyz").0, "HTTP/1.1 200 OK");
    let (status, body) = get(&addr, "/api/v1/missions");
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(body.contains("\"slug\":\"mali\""), "{body}");

    let pid = child.id().to_string();
    let killed = Command::new("kill").args(["-TERM", &pid]).status();
    assert!(killed.is_ok_and(|s| s.success()));
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    let status = child.wait().unwrap_or_else(|e| panic!("{e}"));
    assert!(status.success(), "exit {status:?}; stderr: {rest:?}");
    assert!(rest.iter().any(|l| l == "cairn: stopped"), "{rest:?}");

    // A second --demo start finds data and adds nothing: the password was printed once.
    let again = cairn(&["--db", url.as_str(), "user", "list", "--json"]);
    assert_eq!(json_of(&again).as_array().map(Vec::len), Some(1));
    // The demo's illustrative indicators and data came with it.
    let status = cairn(&[
        "--db",
        url.as_str(),
        "status",
        "mali",
        "--fy",
        "2023",
        "--json",
    ]);
    assert_eq!(
        json_of(&status)["rating"],
        "below-target",
        "{}",
        stderr(&status)
    );
}

#[test]
fn serve_refuses_an_address_it_cannot_use() {
    let s = Scratch::new();
    let out = s.run(&["serve", "--addr", "not-an-address"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("--addr not-an-address"),
        "{}",
        stderr(&out)
    );
}
