//! The book shows a captured run of the demo (`output/demo.txt`). This test
//! runs the demo again and compares, so the page cannot drift from the code.
//! To refresh the capture after changing the demo:
//! `UPDATE_OUTPUT=1 cargo test -p pin --test demo_output`.

mod common;

#[test]
#[cfg_attr(miri, ignore = "Miri cannot start a process")]
fn demo_prints_what_the_book_shows() {
    let fresh = testkit::stdout_of(env!("CARGO_BIN_EXE_pin"), &[]);
    // The demo prints no addresses or durations, so the comparison is exact.
    // The sizes it prints are the compiler's layout: they are compared only
    // when this build's compiler made the capture (CI's does), and left out
    // otherwise, with a note.
    let exact = common::same_compiler_as_the_capture("demo_prints_what_the_book_shows");
    let kept = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|line| exact || !common::is_size_line(line))
            .map(str::to_owned)
            .collect()
    };
    testkit::assert_capture_as(&fresh, "output/demo.txt", kept);
}
