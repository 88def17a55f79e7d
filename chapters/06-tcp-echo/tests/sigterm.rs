//! `kill -TERM` (and `Ctrl-C`) on the real `tcp-echo` binary: it stops
//! accepting, lets every connection finish what it has in flight, cuts
//! the rest, reports the counts and exits 0. The checks are shared by
//! every TCP server of the book (`testkit::sigterm`).

use std::time::Duration;

use testkit::sigterm::{GiveUp, tcp_drain, tcp_idle};

const SERVER: &str = env!("CARGO_BIN_EXE_tcp-echo");

#[test]
fn sigterm_drains_the_connections_and_exits_0() {
    testkit::watchdog(
        "tcp-echo drains on SIGTERM",
        Duration::from_secs(60),
        || {
            // A drain deadline no test waits for: the second signal ends it.
            let args = ["--addr", "127.0.0.1:0", "--drain-timeout", "1h"];
            tcp_drain(SERVER, &args, "TERM", GiveUp::SecondSignal);
        },
    )
}

#[test]
fn the_drain_deadline_cuts_a_client_that_never_reads() {
    testkit::watchdog("tcp-echo's drain deadline", Duration::from_secs(60), || {
        let args = ["--addr", "127.0.0.1:0", "--drain-timeout", "3s"];
        tcp_drain(SERVER, &args, "TERM", GiveUp::Deadline);
    })
}

#[test]
fn sigint_with_nothing_open_exits_0_at_once() {
    testkit::within("tcp-echo stops on SIGINT", || {
        tcp_idle(SERVER, &["--addr", "127.0.0.1:0"], "INT");
    })
}

#[test]
fn sigterm_with_nothing_open_exits_0_at_once() {
    testkit::within("tcp-echo stops on SIGTERM", || {
        tcp_idle(SERVER, &["--addr", "127.0.0.1:0"], "TERM");
    })
}
