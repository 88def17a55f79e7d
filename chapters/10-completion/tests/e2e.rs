//! The `uring-echo` binary from outside, held to what every TCP echo
//! server in the book promises (`testkit::echo_contract`, written for
//! chapter 6's server): half-close, backpressure in bounded memory, no
//! descriptor leaked by resets, a thousand connections at once, a pause
//! when out of descriptors, clear command-line errors. And every byte back
//! under load, checked by chapter 6's load generator.

mod common;

use std::time::Duration;

use common::uring_test;
use tcp_echo::load::{self, Stop};
use testkit::ServerProcess;
use testkit::echo_contract::EchoServer;

const SERVER: &str = env!("CARGO_BIN_EXE_uring-echo");

fn start() -> ServerProcess {
    ServerProcess::start(SERVER, &["--addr", "127.0.0.1:0"])
}

// ANCHOR: load_test
#[test]
fn many_pipelined_connections_get_every_byte_back() {
    uring_test("load", Duration::from_secs(60), || {
        let server = start();
        let config = load::Config {
            addr: server.addr(),
            connections: 50,
            size: 512,
            stop: Stop::Messages(200),
            pipeline: 4,
            warmup: Duration::ZERO,
        };
        // Chapter 6's load generator, on chapter 4's reactor, as the
        // client: it checks every byte of every echo.
        let mut client = reactor::Runtime::new().unwrap();
        let report = client.block_on(load::run(&config)).unwrap();
        assert_eq!(report.round_trips + report.warmup_round_trips, 50 * 200);
    })
}
// ANCHOR_END: load_test

// Every contract but the connection limit: this server has no
// `--max-connections` (its accept loop keeps no count of connections).
testkit::echo_contract_tests! {
    EchoServer::new(SERVER)
        .only_where(completion::available_or_skip)
        .says_when_out_of_descriptors("pausing accepts") =>
    core + out_of_descriptors_pauses_accepts_without_spinning_and_recovers
}
