//! The demo is deterministic (the writer waits for the reader and a tick
//! between the halves of each line), so its output is compared whole with
//! the capture the book includes.

#[test]
fn the_demo_prints_what_the_book_shows() {
    let output = testkit::within("the demo", || {
        std::process::Command::new(env!("CARGO_BIN_EXE_cancellation"))
            .output()
            .expect("run the demo")
    });
    assert!(output.status.success(), "the demo failed: {output:?}");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        include_str!("../output/demo.txt")
    );
}
