//! The demo prints exactly what the book shows: every step of it is
//! deterministic (a socket pair, one read at a time).

mod common;

use std::time::Duration;

use common::uring_test;

#[test]
fn the_demo_prints_what_the_book_shows() {
    uring_test("the demo", Duration::from_secs(20), || {
        let fresh = testkit::stdout_of(env!("CARGO_BIN_EXE_uring-demo"), &[]);
        testkit::assert_capture(&fresh, "output/demo.txt");
    })
}
