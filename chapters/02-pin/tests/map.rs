//! `Map` (projection by hand) and `MapLite` (by `pin-project-lite`) poll an
//! inner future in place, even one that is not `Unpin`, and are `Unpin`
//! exactly when that future is.

use std::future;

use pin::{Log, Map, MapLite, SelfRef, Step, is_unpin, sum_two};

#[test]
fn map_applies_its_function_to_a_pinned_inner_future() {
    let got = testkit::within("map", || {
        (
            waker::block_on(Map::new(SelfRef::new([1, 2, 3]), |x| x * 10)),
            waker::block_on(Map::new(sum_two(Log::new()), |x| x + 1)),
        )
    });
    assert_eq!(got, (30, 34));
}

#[test]
fn map_lite_does_the_same_without_unsafe() {
    let got = testkit::within("map lite", || {
        (
            waker::block_on(MapLite::new(SelfRef::new([1, 2, 3]), |x| x * 10)),
            waker::block_on(MapLite::new(sum_two(Log::new()), |x| x + 1)),
        )
    });
    assert_eq!(got, (30, 34));
}

/// A closure that captures something `!Unpin` by value, and so is itself
/// `!Unpin`. (Made in its own function: `is_unpin!` cannot look into a
/// closure whose captures the same function is still deciding.)
fn pinned_closure() -> impl FnOnce(u32) -> u32 + Copy {
    let pinned = std::marker::PhantomPinned;
    move |x| {
        let _ = &pinned;
        x
    }
}

#[test]
fn both_are_unpin_exactly_when_the_inner_future_is() {
    let log = Log::new();
    let f = pinned_closure();
    // The closure is `!Unpin`; it must not matter, since it is never pinned.
    assert!(!is_unpin!(f));
    assert!(is_unpin!(Map::new(Step::new("s", 1, &log), f)));
    assert!(is_unpin!(MapLite::new(future::ready(1), f)));
    assert!(!is_unpin!(Map::new(SelfRef::new([1, 2, 3]), f)));
    assert!(!is_unpin!(MapLite::new(SelfRef::new([1, 2, 3]), f)));
}
