//! The demo prints exactly what the book shows: every step of it is
//! deterministic (a socket pair, one read at a time).

mod common;

use std::time::Duration;

use common::uring_test;

#[test]
fn the_demo_prints_what_the_book_shows() {
    uring_test("the demo", Duration::from_secs(20), || {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_uring-demo"))
            .output()
            .expect("run the demo");
        assert!(output.status.success(), "the demo failed: {output:?}");
        testkit::assert_capture(&String::from_utf8_lossy(&output.stdout), "output/demo.txt");
    })
}
