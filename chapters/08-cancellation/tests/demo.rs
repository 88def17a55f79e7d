//! The demo is deterministic (the writer waits for the reader and a tick
//! between the halves of each line), so its output is compared whole with
//! the capture the book includes (`UPDATE_OUTPUT=1` rewrites it).

#[test]
fn the_demo_prints_what_the_book_shows() {
    let output = testkit::stdout_of(env!("CARGO_BIN_EXE_cancellation"), &[]);
    testkit::assert_capture(&output, "output/demo.txt");
}
