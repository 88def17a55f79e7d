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
    a_client_that_shuts_down_writing_gets_every_byte_then_eof,
    a_short_message_and_its_eof_sent_together_get_the_echo_then_eof,
    a_client_that_does_not_read_is_throttled_and_loses_nothing,
    resets_and_abrupt_disconnects_leak_no_descriptors_and_hurt_no_one,
    idle_and_half_sent_connections_do_not_delay_the_others,
    pipelined_messages_on_many_connections_come_back_in_order,
    a_thousand_concurrent_connections_are_all_served,
    at_max_connections_new_clients_wait_until_one_closes,
    out_of_descriptors_pauses_accepts_without_spinning_and_recovers,
    the_server_reports_the_port_the_os_picked,
    a_busy_address_is_a_clear_error_and_exit_status_1,
    an_address_that_is_not_an_address_is_a_usage_error,
    an_address_no_interface_has_is_a_clear_error,
}
