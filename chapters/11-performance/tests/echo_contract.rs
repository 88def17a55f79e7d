//! Every server the benchmark compares is an echo server, and a benchmark
//! of a server that drops, reorders or buffers without bound measures
//! nothing: each is held to the contract of every TCP echo server in the
//! book (`testkit::echo_contract`), through `bench-server --runtime NAME`.
//!
//! None takes `--max-connections`, so that contract is left out. Running
//! out of descriptors is claimed only by the book's own accept loops:
//! chapter 6's (`ours`, `ours-threaded`) and chapter 10's (`uring`, which
//! is skipped, saying why, where io_uring is unavailable). The others log a failed `accept`
//! and try again, since a benchmark never runs out of descriptors
//! (`src/servers/tokio_rt.rs`, `src/servers/mio_loop.rs`,
//! `src/counterexample/read_until_would_block.rs`); `ours-before` then fails the contract for
//! real: its accept loop retries at once, without yielding, and starves
//! the connections it has (the open ones are no longer served).

use testkit::echo_contract::EchoServer;

fn bench(runtime: &str) -> EchoServer {
    EchoServer::new(env!("CARGO_BIN_EXE_bench-server")).args(&["--runtime", runtime])
}

testkit::echo_contract_tests! {
    mod ours: bench("ours").says_when_out_of_descriptors("pausing accepts") =>
    core + out_of_descriptors_pauses_accepts_without_spinning_and_recovers
}
testkit::echo_contract_tests! {
    mod ours_threaded: bench("ours-threaded").says_when_out_of_descriptors("pausing accepts") =>
    core + out_of_descriptors_pauses_accepts_without_spinning_and_recovers
}
testkit::echo_contract_tests! {
    mod uring: bench("uring")
        .only_where(completion::available_or_skip)
        .says_when_out_of_descriptors("pausing accepts") =>
    core + out_of_descriptors_pauses_accepts_without_spinning_and_recovers
}
testkit::echo_contract_tests! {
    mod uring_pollfirst: bench("uring-pollfirst")
        .only_where(completion::available_or_skip)
        .says_when_out_of_descriptors("pausing accepts") =>
    core + out_of_descriptors_pauses_accepts_without_spinning_and_recovers
}
testkit::echo_contract_tests!(mod ours_before: bench("ours-before") => core);
testkit::echo_contract_tests!(mod tokio: bench("tokio") => core);
testkit::echo_contract_tests!(mod mio: bench("mio") => core);
testkit::echo_contract_tests!(mod tokio_mt1: bench("tokio-mt1") => core);
testkit::echo_contract_tests!(mod tokio_mt2: bench("tokio-mt2") => core);
