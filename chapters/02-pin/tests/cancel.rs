//! Dropping a future cancels it: what is dropped is exactly what the state
//! it was suspended in holds. Counted per state, for both versions.

mod common;

use common::drop_after;
use pin::{SumTwo, sum_two};

// ANCHOR: drops_per_state
#[test]
fn dropping_in_each_state_drops_that_states_fields() {
    let results = testkit::within("drop per state", || {
        (0..3)
            .map(|polls| (drop_after(polls, sum_two), drop_after(polls, SumTwo::new)))
            .collect::<Vec<_>>()
    });
    // Not started: only the argument. At the first `.await`: step `a`. At
    // the second: step `b` (`a` was dropped when its `.await` finished).
    let expected: [&[&str]; 3] = [&[], &["drop a"], &["drop b"]];
    for (polls, ((compiled, left_a), (by_hand, left_b))) in results.into_iter().enumerate() {
        assert_eq!(
            compiled, expected[polls],
            "async fn, dropped after {polls} poll(s)"
        );
        assert_eq!(
            by_hand, expected[polls],
            "SumTwo, dropped after {polls} poll(s)"
        );
        // And the `Log` argument, held in every state, was dropped too.
        assert_eq!(
            (left_a, left_b),
            (1, 1),
            "a Log handle leaked after {polls} poll(s)"
        );
    }
}
// ANCHOR_END: drops_per_state
