//! The book shows a captured run of `cargo run -p executor`: this test makes
//! sure the capture is still what the program prints (refresh it with
//! `UPDATE_OUTPUT=1 cargo test -p executor --test demo`).

#[test]
#[cfg_attr(
    miri,
    ignore = "starts the demo binary as a process, which Miri cannot do"
)]
fn demo_prints_the_captured_output() {
    let fresh = testkit::stdout_of(env!("CARGO_BIN_EXE_executor"), &[]);
    testkit::assert_capture(&fresh, "output/demo.txt");
}
