//! `kill -TERM` (and `Ctrl-C`) on the real `tcp-echo-timeouts` binary:
//! chapter 6's drain, with this chapter's timer for its deadline; and the
//! write timeout, which cuts a client that never reads even without a
//! signal.

use std::time::Duration;

use testkit::sigterm::{GiveUp, Signalled, stuck_client, tcp_drain, tcp_idle};

const SERVER: &str = env!("CARGO_BIN_EXE_tcp-echo-timeouts");

#[test]
fn sigterm_drains_the_connections_and_exits_0() {
    testkit::watchdog("drain on SIGTERM", Duration::from_secs(60), || {
        let args = ["--addr", "127.0.0.1:0", "--drain-timeout", "1h"];
        tcp_drain(SERVER, &args, "TERM", GiveUp::SecondSignal);
    })
}

#[test]
fn the_drain_deadline_is_a_timer_that_cuts_a_client_that_never_reads() {
    testkit::watchdog("drain deadline", Duration::from_secs(60), || {
        let args = ["--addr", "127.0.0.1:0", "--drain-timeout", "3s"];
        tcp_drain(SERVER, &args, "TERM", GiveUp::Deadline);
    })
}

#[test]
fn sigint_with_nothing_open_exits_0_at_once() {
    testkit::within("stop on SIGINT", || {
        tcp_idle(SERVER, &["--addr", "127.0.0.1:0"], "INT");
    })
}

// ANCHOR: write_timeout_test
#[test]
fn the_write_timeout_cuts_a_client_that_never_reads() {
    testkit::watchdog("write timeout", Duration::from_secs(60), || {
        let args = ["--addr", "127.0.0.1:0", "--write-timeout", "300ms"];
        let server = Signalled::start(SERVER, &args);
        // Returns once the server has cut the client: no signal, no drain,
        // only the write that waited too long.
        let (_stuck, flood) = stuck_client(&server);
        flood.join().unwrap();
    })
}
// ANCHOR_END: write_timeout_test
