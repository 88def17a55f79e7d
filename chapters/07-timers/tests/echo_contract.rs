//! `tcp-echo-timeouts` is chapter 6's echo server with timers added: it
//! keeps the whole contract of every TCP echo server in the book
//! (`testkit::echo_contract`). Two things it does its own way:
//!
//! - it closes a client that is silent for `--idle-timeout`. The contracts
//!   keep clients silent for a few seconds at most, so they run with a
//!   timeout far longer than that (the default, a minute, said here
//!   explicitly); `tests/idle_timeout.rs` tests the closing itself;
//! - out of descriptors, it retries `accept` after a backoff instead of
//!   waiting for a connection to close, and says so differently.

use testkit::echo_contract::EchoServer;

testkit::echo_contract_tests! {
    EchoServer::new(env!("CARGO_BIN_EXE_tcp-echo-timeouts"))
        .args(&["--idle-timeout", "60s"])
        .says_when_out_of_descriptors("retrying within") =>
    core
        + at_max_connections_new_clients_wait_until_one_closes
        + out_of_descriptors_pauses_accepts_without_spinning_and_recovers
}
