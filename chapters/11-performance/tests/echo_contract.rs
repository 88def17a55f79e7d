//! Every server the benchmark compares is an echo server, and a benchmark
//! of a server that drops, reorders or buffers without bound measures
//! nothing: each is held to the contract of every TCP echo server in the
//! book (`testkit::echo_contract`), through `bench-server --runtime NAME`.
//!
//! None takes `--max-connections`, so that contract is left out. Running
//! out of descriptors is claimed only by the servers built on chapter 6's
//! accept loop (`ours`, `ours-threaded`). The others log a failed `accept`
//! and try again, since a benchmark never runs out of descriptors
//! (`src/servers/tokio_rt.rs`, `src/servers/mio_loop.rs`,
//! `src/servers/before.rs`); `ours-before` then fails the contract for
//! real: its accept loop retries at once, without yielding, and starves
//! the connections it has (the open ones are no longer served).

use testkit::echo_contract::EchoServer;

fn bench(runtime: &str) -> EchoServer {
    EchoServer::new(env!("CARGO_BIN_EXE_bench-server")).args(&["--runtime", runtime])
}

/// The contracts every benchmarked server keeps, for `mod $name`.
macro_rules! every_bench_server_keeps {
    ($name:ident: $server:expr $(, $more:ident)*) => {
        testkit::echo_contract_tests! {
            mod $name: $server =>
            a_client_that_shuts_down_writing_gets_every_byte_then_eof,
            a_short_message_and_its_eof_sent_together_get_the_echo_then_eof,
            a_client_that_does_not_read_is_throttled_and_loses_nothing,
            resets_and_abrupt_disconnects_leak_no_descriptors_and_hurt_no_one,
            idle_and_half_sent_connections_do_not_delay_the_others,
            pipelined_messages_on_many_connections_come_back_in_order,
            a_thousand_concurrent_connections_are_all_served,
            the_server_reports_the_port_the_os_picked,
            a_busy_address_is_a_clear_error_and_exit_status_1,
            an_address_that_is_not_an_address_is_a_usage_error,
            an_address_no_interface_has_is_a_clear_error,
            $($more),*
        }
    };
}

every_bench_server_keeps!(
    ours: bench("ours").says_when_out_of_descriptors("pausing accepts"),
    out_of_descriptors_pauses_accepts_without_spinning_and_recovers
);
every_bench_server_keeps!(
    ours_threaded: bench("ours-threaded").says_when_out_of_descriptors("pausing accepts"),
    out_of_descriptors_pauses_accepts_without_spinning_and_recovers
);
every_bench_server_keeps!(ours_before: bench("ours-before"));
every_bench_server_keeps!(tokio: bench("tokio"));
every_bench_server_keeps!(mio: bench("mio"));
