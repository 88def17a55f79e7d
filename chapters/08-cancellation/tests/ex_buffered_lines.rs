//! Exercise 8.1 (`cargo ex check buffered-lines`): a line loop that a tick
//! cannot make lose bytes.

mod common;

use cancellation::exercises::buffered_lines::buffered_lines;
use common::{Script, Step, run};
use timers::yield_now;

#[test]
fn a_tick_in_the_middle_of_a_line_loses_no_bytes() {
    let report = run("exercise 8.1", || {
        buffered_lines(common::two_split_lines(), yield_now)
    })
    .unwrap();
    assert_eq!(report.lines, ["hello", "world"]);
    assert!(report.ticks >= 2, "the ticks did interrupt: {report:?}");
}

#[test]
fn many_lines_in_one_read_are_all_kept() {
    let script = Script::new([Step::Data(b"a\nbb\nccc\n")]);
    let report = run("exercise 8.1", || buffered_lines(script, yield_now)).unwrap();
    assert_eq!(report.lines, ["a", "bb", "ccc"]);
}

#[test]
fn a_last_line_without_a_newline_is_still_a_line() {
    let script = Script::new([Step::Data(b"one\ntw"), Step::Wait(3), Step::Data(b"o")]);
    let report = run("exercise 8.1", || buffered_lines(script, yield_now)).unwrap();
    assert_eq!(report.lines, ["one", "two"]);
}
