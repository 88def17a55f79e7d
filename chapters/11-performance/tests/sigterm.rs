//! `kill -TERM` on `bench-server`: the book's own servers (`ours`,
//! `ours-threaded`, `uring`) drain and exit 0 like chapter 6's and chapter 5's
//! binaries, since they are the same code. The harness itself stops its
//! servers with SIGKILL and does not rely on this.

use std::time::Duration;

use testkit::sigterm::{GiveUp, Signalled, tcp_drain, tcp_idle};

const SERVER: &str = env!("CARGO_BIN_EXE_bench-server");

#[test]
fn ours_drains_on_sigterm_and_exits_0() {
    testkit::watchdog("ours drains", Duration::from_secs(60), || {
        let args = [
            "--runtime",
            "ours",
            "--addr",
            "127.0.0.1:0",
            "--drain-timeout",
            "1h",
        ];
        tcp_drain(SERVER, &args, "TERM", GiveUp::SecondSignal);
    })
}

#[test]
fn uring_drains_on_sigterm_and_exits_0() {
    if !completion::available_or_skip("uring drains") {
        return;
    }
    testkit::watchdog("uring drains", Duration::from_secs(60), || {
        let args = [
            "--runtime",
            "uring",
            "--addr",
            "127.0.0.1:0",
            "--drain-timeout",
            "1h",
        ];
        tcp_drain(SERVER, &args, "TERM", GiveUp::SecondSignal);
    })
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
