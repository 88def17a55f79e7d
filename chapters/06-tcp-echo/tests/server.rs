//! End-to-end tests of the echo server binary, on `127.0.0.1:0`: what bad
//! clients, heavy load and bad command lines do to it, measured from
//! outside through `/proc`. The contract is written once, in
//! `testkit::echo_contract`, and every TCP echo server of the book is held
//! to it; this server was the first, and keeps all of it.

use testkit::echo_contract::EchoServer;

testkit::echo_contract_tests! {
    EchoServer::new(env!("CARGO_BIN_EXE_tcp-echo"))
        .says_when_out_of_descriptors("pausing accepts") =>
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
