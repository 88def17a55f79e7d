//! `kill -TERM` on `bench-server`: every server it runs drains and exits 0
//! like chapter 6's and chapter 5's binaries. The book's own (`ours`,
//! `ours-threaded`, `uring`) are the same code as those binaries; the
//! yardsticks (`tokio`, `tokio-mt1`, `tokio-mt2`, `mio`) are held to the
//! same checks, with tokio's and signal-hook's signal handling. The harness
//! itself stops its servers with SIGKILL and does not rely on this.

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use testkit::sigterm::{GiveUp, Signalled, tcp_drain, tcp_idle};

const SERVER: &str = env!("CARGO_BIN_EXE_bench-server");

/// Held by every `tcp_drain` check of this file, so that one runs at a time.
/// Each floods a client until the server is stuck writing to it (see
/// `testkit::sigterm::stuck_client`); six floods at once on a two-core
/// machine starve the servers and the flood threads alike, and make that
/// wait longer and its judgement harder, for no more coverage.
fn one_flood_at_a_time() -> MutexGuard<'static, ()> {
    static FLOODS: Mutex<()> = Mutex::new(());
    FLOODS.lock().unwrap_or_else(PoisonError::into_inner)
}

/// `bench-server --runtime <runtime> --drain-timeout <drain_timeout>`, over TCP.
fn tcp_args<'a>(runtime: &'a str, drain_timeout: &'a str) -> [&'a str; 6] {
    [
        "--runtime",
        runtime,
        "--addr",
        "127.0.0.1:0",
        "--drain-timeout",
        drain_timeout,
    ]
}

/// Chapter 8's drain check (`tcp_drain`) of `runtime` over TCP, one flood
/// at a time, under the watchdog. A drain timeout of `1h` is one no test
/// waits for: the second signal ends it.
fn drain_check(
    what: &str,
    runtime: &'static str,
    drain_timeout: &'static str,
    signal: &'static str,
    give_up: GiveUp,
) {
    let _flood = one_flood_at_a_time();
    testkit::watchdog(what, Duration::from_secs(60), move || {
        tcp_drain(SERVER, &tcp_args(runtime, drain_timeout), signal, give_up);
    })
}

#[test]
fn ours_drains_on_sigterm_and_exits_0() {
    drain_check("ours drains", "ours", "1h", "TERM", GiveUp::SecondSignal);
}

#[test]
fn uring_drains_on_sigterm_and_exits_0() {
    if !completion::available_or_skip("uring drains") {
        return;
    }
    drain_check("uring drains", "uring", "1h", "TERM", GiveUp::SecondSignal);
}

#[test]
fn uring_over_udp_is_refused_with_a_clear_error() {
    testkit::within("uring over UDP", || {
        let out = std::process::Command::new(SERVER)
            .args([
                "--runtime",
                "uring",
                "--proto",
                "udp",
                "--addr",
                "127.0.0.1:0",
            ])
            .output()
            .unwrap();
        assert!(!out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("TCP only"), "{stderr}");
    })
}

#[test]
fn ours_threaded_stops_on_sigint_and_exits_0() {
    testkit::within("ours-threaded stops", || {
        tcp_idle(
            SERVER,
            &["--runtime", "ours-threaded", "--addr", "127.0.0.1:0"],
            "INT",
        );
    })
}

#[test]
fn ours_over_udp_stops_on_sigterm_and_exits_0() {
    testkit::within("ours over UDP stops", || {
        let args = [
            "--runtime",
            "ours",
            "--proto",
            "udp",
            "--addr",
            "127.0.0.1:0",
        ];
        let server = Signalled::start(SERVER, &args);
        server.signal("TERM");
        let exit = server.wait();
        assert!(exit.status.success(), "{}: {}", exit.status, exit.stderr);
    })
}

#[test]
fn tokio_drains_on_sigterm_and_exits_0() {
    drain_check("tokio drains", "tokio", "1h", "TERM", GiveUp::SecondSignal);
}

#[test]
fn tokio_mt2_drain_deadline_cuts_a_client_that_never_reads() {
    let what = "tokio-mt2's drain deadline";
    drain_check(what, "tokio-mt2", "3s", "TERM", GiveUp::Deadline);
}

#[test]
fn tokio_mt1_stops_on_sigint_and_exits_0() {
    testkit::within("tokio-mt1 stops", || {
        tcp_idle(
            SERVER,
            &["--runtime", "tokio-mt1", "--addr", "127.0.0.1:0"],
            "INT",
        );
    })
}

#[test]
fn mio_drains_on_sigint_and_exits_0() {
    drain_check("mio drains", "mio", "1h", "INT", GiveUp::SecondSignal);
}

#[test]
fn mio_drain_deadline_cuts_a_client_that_never_reads() {
    let what = "mio's drain deadline";
    drain_check(what, "mio", "3s", "TERM", GiveUp::Deadline);
}

#[test]
fn mio_stops_on_sigterm_when_idle_and_exits_0() {
    testkit::within("mio stops", || {
        tcp_idle(
            SERVER,
            &["--runtime", "mio", "--addr", "127.0.0.1:0"],
            "TERM",
        );
    })
}

/// Starts `runtime`'s UDP server, has one datagram echoed, sends `signal`
/// and expects exit status 0.
fn udp_stops(runtime: &str, signal: &str) {
    let args = [
        "--runtime",
        runtime,
        "--proto",
        "udp",
        "--addr",
        "127.0.0.1:0",
    ];
    let server = Signalled::start(SERVER, &args);
    let client = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    client
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    client.send_to(b"one datagram", server.addr()).unwrap();
    let mut echo = [0u8; 64];
    let (n, _) = client
        .recv_from(&mut echo)
        .expect("an echo before the signal");
    assert_eq!(&echo[..n], b"one datagram");
    server.signal(signal);
    let exit = server.wait();
    assert!(
        exit.status.success(),
        "{runtime} over UDP: exit status {} after SIG{signal}; stderr: {}",
        exit.status,
        exit.stderr
    );
}

#[test]
fn tokio_over_udp_stops_on_sigterm_and_exits_0() {
    testkit::within("tokio over UDP stops", || udp_stops("tokio", "TERM"));
}

#[test]
fn tokio_mt2_over_udp_stops_on_sigint_and_exits_0() {
    testkit::within("tokio-mt2 over UDP stops", || udp_stops("tokio-mt2", "INT"));
}

#[test]
fn mio_over_udp_stops_on_sigterm_and_exits_0() {
    testkit::within("mio over UDP stops", || udp_stops("mio", "TERM"));
}
