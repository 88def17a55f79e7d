//! The captured output the book shows (`output/*.txt`) against fresh runs:
//! what does not depend on timing or on the ports the OS picked must be
//! the same, so the book cannot drift from the code.

mod common;

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::Shutdown;
use std::process::Command;

use common::{CLIENT, DEMO, SERVER, client};
use regex::Regex;
use testkit::capture::{captured_command, session};
use testkit::{ServerProcess, assert_capture_as, captured};

/// Each `[actor]`'s lines in order, with ports replaced by `PORT`. The
/// actors run concurrently, so only each one's own order is fixed; the
/// server's lines are sorted, since it serves bob and carol in whichever
/// order their connections complete.
fn by_actor(text: &str) -> BTreeMap<String, Vec<String>> {
    let port = Regex::new(r"127\.0\.0\.1:\d+").unwrap();
    let mut actors: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in text.lines().filter(|l| l.starts_with('[')) {
        let line = port.replace_all(line, "127.0.0.1:PORT").into_owned();
        let actor = line[..line.find(']').unwrap() + 1].to_string();
        actors.entry(actor).or_default().push(line);
    }
    actors.get_mut("[server]").unwrap().sort();
    actors
}

#[test]
fn the_demo_output_in_the_book_matches_a_fresh_run() {
    testkit::within("demo output", || {
        let fresh = testkit::stdout_of(DEMO, &[]);
        assert_capture_as(&fresh, "output/demo.txt", by_actor);
    })
}

#[test]
fn the_server_output_in_the_book_is_the_default_address() {
    assert_eq!(
        captured_command("output/server.txt"),
        "cargo run -p tcp-echo --release"
    );
    assert_eq!(
        captured("output/server.txt"),
        format!("listening on {}\n", udp_echo::cli::DEFAULT_ADDR)
    );
}

/// Runs each client command of `file` against a fresh server and compares
/// the lines that do not depend on timing.
fn check_client_commands(file: &str, compare: impl Fn(&str, &str, &str)) {
    let server = ServerProcess::start(SERVER, &["--addr", "127.0.0.1:0"]);
    let addr = server.addr().to_string();
    for (command, shown) in session(&format!("output/{file}")) {
        let args: Vec<&str> = command
            .split(" -- ")
            .nth(1)
            .unwrap()
            .split_whitespace()
            .collect();
        let output = Command::new(CLIENT)
            .args(["--addr", &addr])
            .args(&args)
            .output()
            .unwrap();
        assert!(output.status.success(), "{command}");
        let fresh = String::from_utf8(output.stdout).unwrap();
        compare(&command, shown.trim_end(), fresh.trim_end());
    }
}

#[test]
fn the_client_output_in_the_book_matches_a_fresh_run() {
    testkit::watchdog("client output", std::time::Duration::from_secs(60), || {
        check_client_commands("client.txt", |command, shown, fresh| {
            let (shown, fresh): (Vec<&str>, Vec<&str>) =
                (shown.lines().collect(), fresh.lines().collect());
            assert_eq!(shown.len(), fresh.len());
            // The configuration line; the count line when the run is
            // bounded by messages (a timed run checks a different count).
            assert_eq!(shown[0], fresh[0]);
            let count =
                Regex::new(r"^checked \d+ echoes \(\d+ bytes each way\), all correct$").unwrap();
            assert!(count.is_match(shown[1]) && count.is_match(fresh[1]));
            if command.contains("--messages") {
                assert_eq!(shown[1], fresh[1]);
            }
            let rate =
                Regex::new(r"^\d+ round trips/s, [\d.]+ MB/s each way, over [\d.]+ s$").unwrap();
            let latency = Regex::new(
                r"^latency p50 [\d.]+ µs, p99 [\d.]+ µs, p99.9 [\d.]+ µs, max [\d.]+ µs$",
            )
            .unwrap();
            for lines in [&shown, &fresh] {
                assert!(rate.is_match(lines[2]), "{}", lines[2]);
                assert!(latency.is_match(lines[3]), "{}", lines[3]);
            }
        });
        check_client_commands("client-json.txt", |_, shown, fresh| {
            let shown: serde_json::Value = serde_json::from_str(shown).unwrap();
            let fresh: serde_json::Value = serde_json::from_str(fresh).unwrap();
            for key in ["connections", "size", "pipeline", "round_trips", "bytes"] {
                assert_eq!(shown[key], fresh[key], "{key}");
            }
            let keys =
                |v: &serde_json::Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
            assert_eq!(keys(&shown), keys(&fresh));
        });
    })
}

#[test]
fn the_nc_sessions_in_the_book_match_what_the_server_does() {
    testkit::within("nc output", || {
        let server = ServerProcess::start(SERVER, &["--addr", "127.0.0.1:0"]);
        let printf = Regex::new(r"^printf '([^']*)' \| nc -N 127\.0\.0\.1 7007$").unwrap();
        // Sessions: a `$ printf ... | nc` line, then what nc printed.
        let sessions = session("output/nc.txt");
        for (command, shown) in &sessions {
            let sent = printf.captures(command).unwrap()[1].replace("\\n", "\n");
            // What `nc -N` does: send stdin, shut down writing at its end,
            // print what comes back until the server closes.
            let mut stream = client(server.addr());
            stream.write_all(sent.as_bytes()).unwrap();
            stream.shutdown(Shutdown::Write).unwrap();
            let mut back = String::new();
            stream.read_to_string(&mut back).unwrap();
            assert_eq!(back.trim_end(), shown.trim_end(), "{command}");
        }
        assert_eq!(sessions.len(), 2);
    })
}
