//! THE COUNTER-EXAMPLE: moving a self-referential future after its first
//! poll. This is undefined behaviour on purpose, and it exists only to show
//! that Miri catches it. It is compiled only under Miri (`cfg(miri)`) and is
//! `#[ignore]`d even there, so `cargo miri test -p pin` skips it; `.ci/run`
//! runs it alone and *requires* Miri to report "Undefined Behavior":
//!
//! ```text
//! cargo +nightly miri test -p pin --test moved_after_poll -- --ignored
//! ```
//!
//! Nothing outside this file can do this: `SelfRef` is `!Unpin`, so moving
//! it out of its pin takes the `unsafe` call below.
#![cfg(miri)]

use std::future::Future;
use std::pin::{Pin, pin};
use std::task::{Context, Waker};

use pin::SelfRef;

// ANCHOR: moved_after_poll
#[test]
#[ignore = "undefined behaviour on purpose: .ci/run expects Miri to report it"]
fn moving_it_out_of_its_box_after_the_first_poll_is_use_after_free() {
    let mut cx = Context::from_waker(Waker::noop());
    let mut boxed = Box::pin(SelfRef::new([1, 2, 3]));
    // The first poll points the future into its own buffer, in the box.
    assert!(boxed.as_mut().poll(&mut cx).is_pending());
    // SAFETY: none. This breaks the promise `Pin` made: it moves the future
    // out of the box, which frees the box, so the pointer now dangles.
    let moved: SelfRef = *unsafe { Pin::into_inner_unchecked(boxed) };
    let moved = pin!(moved);
    // Miri stops here: the poll reads the freed box through the pointer.
    let _ = moved.poll(&mut cx);
}
// ANCHOR_END: moved_after_poll
