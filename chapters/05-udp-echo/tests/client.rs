//! The client binary: it checks every echo, counts what was lost, late or
//! corrupt, fails on corruption, and its captured output in `output/`
//! still matches what it prints today.

mod common;

use std::net::{SocketAddr, UdpSocket as StdUdpSocket};
use std::process::{Command, Output};
use std::thread;

use common::{CLIENT, SERVER};
use regex::Regex;
use testkit::ServerProcess;
use udp_echo::cli::DEFAULT_ADDR;

fn run_client(addr: SocketAddr, args: &[&str]) -> Output {
    let mut all = vec!["--addr".to_owned(), addr.to_string()];
    all.extend(args.iter().map(|a| a.to_string()));
    testkit::within("run the client", move || {
        Command::new(CLIENT).args(all).output().unwrap()
    })
}

fn lines(output: &Output) -> Vec<String> {
    String::from_utf8(output.stdout.clone())
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

/// A misbehaving echo server on a thread: for each of the first `n`
/// datagrams it receives, it sends back whatever `answer` returns.
fn fake_server(n: usize, answer: impl Fn(&[u8]) -> Vec<Vec<u8>> + Send + 'static) -> SocketAddr {
    let socket = StdUdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = socket.local_addr().unwrap();
    thread::spawn(move || {
        let mut buf = vec![0u8; udp_echo::MAX_DATAGRAM];
        for _ in 0..n {
            let (len, peer) = socket.recv_from(&mut buf).unwrap();
            for reply in answer(&buf[..len]) {
                socket.send_to(&reply, peer).unwrap();
            }
        }
    });
    addr
}

fn seq(datagram: &[u8]) -> u64 {
    u64::from_be_bytes(datagram[4..12].try_into().unwrap())
}

static LATENCY: &str =
    r"^latency p50 \d+\.\d µs, p99 \d+\.\d µs, p99\.9 \d+\.\d µs, max \d+\.\d µs$";
static RATE: &str = r"^\d+ round trips in \d+\.\d{3} s: \d+ per second$";

#[test]
fn every_echo_from_the_real_server_comes_back_intact() {
    let server = ServerProcess::start(SERVER, &["--addr", "127.0.0.1:0"]);
    let out = run_client(
        server.addr(),
        &["--count", "400", "--size", "1000", "--concurrency", "8"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines = lines(&out);
    assert_eq!(
        lines[1],
        "sent 400, received 400, lost 0, late 0, corrupt 0"
    );
    assert!(
        Regex::new(LATENCY).unwrap().is_match(&lines[2]),
        "{}",
        lines[2]
    );
    assert!(
        Regex::new(RATE).unwrap().is_match(&lines[3]),
        "{}",
        lines[3]
    );
}

#[test]
fn a_corrupted_echo_is_counted_and_fails_the_run() {
    // Flips the last byte of every third echo.
    let addr = fake_server(9, |d| {
        let mut reply = d.to_vec();
        if seq(d) % 3 == 2 {
            *reply.last_mut().unwrap() ^= 0x80;
        }
        vec![reply]
    });
    let out = run_client(
        addr,
        &["--count", "9", "--size", "32", "--concurrency", "1"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        lines(&out)[1],
        "sent 9, received 6, lost 0, late 0, corrupt 3"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err, "error: 3 replies did not match what was sent\n");
}

#[test]
fn a_shortened_echo_is_corrupt_too() {
    let addr = fake_server(2, |d| vec![d[..d.len() - 1].to_vec()]);
    let out = run_client(
        addr,
        &["--count", "2", "--size", "64", "--concurrency", "1"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        lines(&out)[1],
        "sent 2, received 0, lost 0, late 0, corrupt 2"
    );
}

#[test]
fn an_unanswered_datagram_is_lost_and_its_late_echo_is_counted_as_late() {
    // Holds back the echo of request 0 and sends it just before the echo of
    // request 1: request 0 times out (lost), then its echo turns up (late).
    // Request 0's loss does not depend on the clock (with one request in
    // flight, request 1 is only sent once request 0 has timed out); the
    // timeout is long so that request 1's echo, answered at once, is never
    // lost on a busy machine too.
    let addr = fake_server(2, |d| match seq(d) {
        0 => vec![],
        _ => {
            // The echo request 0 would have had: flow 0, sequence 0.
            let mut first = vec![0u8; d.len()];
            udp_echo::payload::fill(&mut first, 0, 0);
            vec![first, d.to_vec()]
        }
    });
    let out = run_client(
        addr,
        &[
            "--count",
            "2",
            "--size",
            "16",
            "--concurrency",
            "1",
            "--timeout-ms",
            "2000",
        ],
    );
    assert!(out.status.success(), "lost is not an error in UDP");
    assert_eq!(
        lines(&out)[1],
        "sent 2, received 1, lost 1, late 1, corrupt 0"
    );
}

#[test]
fn a_closed_port_is_reported_as_connection_refused() {
    let closed = StdUdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let out = run_client(closed, &["--count", "5", "--concurrency", "1"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with(&format!(
            "error: no echo server answering at {closed}: Connection refused"
        )),
        "{err}"
    );
}

// ANCHOR: drift
/// The book shows `output/server.txt` and `output/client.txt`. Their
/// timings are whatever that run measured; everything else is re-run here.
#[test]
fn the_captured_output_in_the_book_matches_what_the_binaries_print() {
    let server_txt = testkit::captured("output/server.txt");
    assert_eq!(server_txt, format!("listening on {DEFAULT_ADDR}\n"));

    let client_txt = testkit::captured("output/client.txt");
    let captured: Vec<&str> = client_txt.lines().collect();
    let header =
        Regex::new(r"^sending (\d+) datagrams of (\d+) bytes to (\S+) over (\d+) flows$").unwrap();
    let caps = header
        .captures(captured[0])
        .expect("the first line of client.txt");
    assert_eq!(&caps[3], DEFAULT_ADDR);
    // The command the page shows is the one that printed those numbers.
    assert_eq!(
        testkit::capture::captured_command("output/client.txt"),
        format!(
            "cargo run --release -p udp-echo --bin udp-echo-client -- \
             --count {} --size {} --concurrency {}",
            &caps[1], &caps[2], &caps[4]
        )
    );

    let server = ServerProcess::start(SERVER, &["--addr", "127.0.0.1:0"]);
    let out = run_client(
        server.addr(),
        &[
            "--count",
            &caps[1],
            "--size",
            &caps[2],
            "--concurrency",
            &caps[4],
        ],
    );
    let now = lines(&out);
    assert_eq!(now.len(), captured.len());
    assert_eq!(
        now[0],
        captured[0].replace(DEFAULT_ADDR, &server.addr().to_string())
    );
    assert_eq!(now[1], captured[1], "the counts line");
    for (pattern, i) in [(LATENCY, 2), (RATE, 3)] {
        let re = Regex::new(pattern).unwrap();
        assert!(re.is_match(captured[i]), "captured: {}", captured[i]);
        assert!(re.is_match(&now[i]), "now: {}", now[i]);
    }
}
// ANCHOR_END: drift
