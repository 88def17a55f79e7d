//! The book shows a captured run of the demo (`output/demo.txt`). This test
//! runs the demo again and compares, so the page cannot drift from the code.
//! To refresh the capture after changing the demo:
//! `UPDATE_OUTPUT=1 cargo test -p waker --test demo_output`.

#[test]
#[cfg_attr(
    miri,
    ignore = "starts the demo binary as a process, which Miri cannot do"
)]
fn demo_prints_what_the_book_shows() {
    let fresh = testkit::stdout_of(env!("CARGO_BIN_EXE_waker"), &[]);
    // Nothing in the demo's output depends on timing or machine (it prints
    // no durations it measured), so the comparison is exact, line by line.
    testkit::assert_capture(&fresh, "output/demo.txt");
}
