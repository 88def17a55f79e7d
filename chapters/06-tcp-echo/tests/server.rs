//! End-to-end tests of the echo server binary, on `127.0.0.1:0`: what bad
//! clients, heavy load and bad command lines do to it, measured from
//! outside through `/proc`. The contract is written once, in
//! `testkit::echo_contract`, and every TCP echo server of the book is held
//! to it; this server was the first, and keeps all of it.

use testkit::echo_contract::EchoServer;

testkit::echo_contract_tests! {
    EchoServer::new(env!("CARGO_BIN_EXE_tcp-echo"))
        .says_when_out_of_descriptors("pausing accepts") =>
    core
        + at_max_connections_new_clients_wait_until_one_closes
        + out_of_descriptors_pauses_accepts_without_spinning_and_recovers
}
