//! The command-line contract of the server and the load generator: `--help`
//! and the load generator's summary and errors. The server's address errors
//! are part of every echo server's contract (`tests/server.rs`).

mod common;

use std::net::TcpListener as StdTcpListener;
use std::process::Command;

use common::{CLIENT, SERVER};
use testkit::ServerProcess;

fn run(binary: &str, args: &[&str]) -> (i32, String, String) {
    let output = Command::new(binary).args(args).output().unwrap();
    (
        output.status.code().expect("exited normally"),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn help_says_what_happens_at_max_connections() {
    let (code, stdout, _) = run(SERVER, &["--help"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("--max-connections <N>"), "{stdout}");
    assert!(
        stdout.contains("stops accepting until a connection closes"),
        "{stdout}"
    );
    assert!(stdout.contains("[default: 127.0.0.1:7007]"), "{stdout}");
}

// ANCHOR: client_tests
/// Runs the load generator with `args` against a fresh server; its stdout.
fn client_against_a_fresh_server(args: &[&str]) -> String {
    let server = ServerProcess::start(SERVER, &["--addr", "127.0.0.1:0"]);
    let addr = server.addr().to_string();
    let mut all = vec!["--addr", &addr];
    all.extend_from_slice(args);
    let (code, stdout, stderr) = run(CLIENT, &all);
    assert_eq!(code, 0, "{stderr}");
    stdout
}

#[test]
fn the_client_checks_every_echo_and_says_so() {
    testkit::within("client summary", || {
        let args = "--connections 8 --messages 250 --pipeline 3";
        let stdout = client_against_a_fresh_server(&args.split(' ').collect::<Vec<_>>());
        let lines: Vec<&str> = stdout.lines().collect();
        assert_eq!(
            lines[0],
            "8 connections, 64-byte messages, pipeline depth 3"
        );
        assert_eq!(
            lines[1],
            "checked 2000 echoes (128000 bytes each way), all correct"
        );
        assert!(lines[2].contains(" round trips/s, "), "{stdout}");
        assert!(lines[3].starts_with("latency p50 "), "{stdout}");
    })
}

#[test]
fn the_client_drives_a_thousand_connections_on_one_thread() {
    let limit = std::time::Duration::from_secs(60);
    testkit::watchdog("client, 1,000 connections", limit, || {
        let args = "--connections 1000 --messages 5 --json";
        let stdout = client_against_a_fresh_server(&args.split(' ').collect::<Vec<_>>());
        let summary: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
        assert_eq!(summary["connections"], 1000);
        assert_eq!(summary["round_trips"], 5000);
        assert!(summary["latency_us"]["p99"].as_f64().unwrap() > 0.0);
    })
}

#[test]
fn the_client_without_a_server_says_nobody_listens() {
    let port = StdTcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let (code, _, stderr) = run(CLIENT, &["--addr", &port.to_string(), "--messages", "1"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains(&format!("no echo server listening at {port}")),
        "{stderr}"
    );
}
// ANCHOR_END: client_tests
