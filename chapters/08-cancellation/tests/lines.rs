//! The lossy line loop loses the start of a line a tick interrupts; the
//! loop that holds its `read_line` loses nothing. The tick is
//! `yield_now` (ready on its second poll), the reader a script that waits
//! three polls mid-line: the tick always wins there, with no clock.

mod common;

use common::run;

use cancellation::counterexample::lossy_lines::lossy_lines;
use cancellation::held_lines;
use futures::io::BufReader;
use timers::yield_now;

#[test]
fn the_lossy_loop_loses_the_start_of_each_interrupted_line() {
    let report = run("a line loop", || {
        lossy_lines(BufReader::new(common::two_split_lines()), yield_now)
    });
    let report = report.unwrap();
    assert_eq!(report.lines, ["lo", "ld"]);
    assert!(report.ticks >= 2, "{report:?}");
}

#[test]
fn the_held_loop_keeps_every_byte_across_ticks() {
    let report = run("a line loop", || {
        held_lines(BufReader::new(common::two_split_lines()), yield_now)
    });
    let report = report.unwrap();
    assert_eq!(report.lines, ["hello", "world"]);
    assert!(report.ticks >= 2, "the ticks did interrupt: {report:?}");
}
