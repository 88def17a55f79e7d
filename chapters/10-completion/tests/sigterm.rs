//! `kill -TERM` (and `Ctrl-C`) on the real `uring-echo` binary: the same
//! drain as chapter 6's server (chapter 6's `Drain`, fed by this chapter's
//! accept loop and echo), with the signal pipe read through io_uring.

mod common;

use std::time::Duration;

use common::uring_test;
use testkit::sigterm::{GiveUp, tcp_drain, tcp_idle};

const SERVER: &str = env!("CARGO_BIN_EXE_uring-echo");

#[test]
fn sigterm_drains_the_connections_and_exits_0() {
    uring_test("uring-echo drains", Duration::from_secs(60), || {
        let args = ["--addr", "127.0.0.1:0", "--drain-timeout", "1h"];
        tcp_drain(SERVER, &args, "TERM", GiveUp::SecondSignal);
    })
}

#[test]
fn the_drain_deadline_cuts_a_client_that_never_reads() {
    uring_test(
        "uring-echo's drain deadline",
        Duration::from_secs(60),
        || {
            let args = ["--addr", "127.0.0.1:0", "--drain-timeout", "3s"];
            tcp_drain(SERVER, &args, "TERM", GiveUp::Deadline);
        },
    )
}

#[test]
fn sigint_with_nothing_open_exits_0_at_once() {
    uring_test(
        "uring-echo stops on SIGINT",
        Duration::from_secs(10),
        || {
            tcp_idle(SERVER, &["--addr", "127.0.0.1:0"], "INT");
        },
    )
}
