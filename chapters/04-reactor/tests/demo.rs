//! The demo's output is deterministic: it must match the capture the book
//! shows, `output/demo.txt` (refresh it with
//! `UPDATE_OUTPUT=1 cargo test -p reactor --test demo`).

#[test]
fn the_demo_prints_what_the_book_shows() {
    let fresh = testkit::stdout_of(env!("CARGO_BIN_EXE_reactor"), &[]);
    testkit::assert_capture(&fresh, "output/demo.txt");
}
