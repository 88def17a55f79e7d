//! The demo's output is deterministic: it must match the capture the book
//! shows, `output/demo.txt` (refresh it with
//! `UPDATE_OUTPUT=1 cargo test -p reactor --test demo`).

#[test]
fn the_demo_prints_what_the_book_shows() {
    let output = testkit::within("the demo", || {
        std::process::Command::new(env!("CARGO_BIN_EXE_reactor"))
            .output()
            .expect("run the demo")
    });
    assert!(output.status.success(), "the demo failed: {output:?}");
    testkit::assert_capture(&String::from_utf8_lossy(&output.stdout), "output/demo.txt");
}
