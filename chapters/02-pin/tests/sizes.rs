//! The book explains the size of `sum_two`'s future by three differences,
//! all measured by the demo. These assertions pin them, so a compiler that
//! lays the future out differently fails here (and the explanation on the
//! page must be revisited) instead of silently disagreeing with it. They
//! compare only with the compiler that made the book's capture (see
//! `common`): CI builds with it.

mod common;

use std::mem::{size_of, size_of_val};

use pin::sum::{sum_two_block, sum_two_unborrowed};
use pin::{Log, SumTwo, sum_two};

#[test]
fn the_borrow_kept_across_the_awaits_is_stored_in_the_future() {
    if !common::same_compiler_as_the_capture(
        "the_borrow_kept_across_the_awaits_is_stored_in_the_future",
    ) {
        return;
    }
    let log = Log::new();
    assert_eq!(
        size_of_val(&sum_two(log.clone())) - size_of_val(&sum_two_unborrowed(log)),
        size_of::<&[u32]>()
    );
}

#[test]
fn an_async_fn_argument_used_across_an_await_is_stored_twice() {
    if !common::same_compiler_as_the_capture(
        "an_async_fn_argument_used_across_an_await_is_stored_twice",
    ) {
        return;
    }
    let log = Log::new();
    assert_eq!(
        size_of_val(&sum_two(log.clone())) - size_of_val(&sum_two_block(log)),
        size_of::<Log>()
    );
}

#[test]
fn without_both_the_compilers_future_is_as_big_as_the_hand_written_enum() {
    if !common::same_compiler_as_the_capture(
        "without_both_the_compilers_future_is_as_big_as_the_hand_written_enum",
    ) {
        return;
    }
    let log = Log::new();
    assert_eq!(
        size_of_val(&sum_two(log)) - size_of::<&[u32]>() - size_of::<Log>(),
        size_of::<SumTwo>()
    );
}
