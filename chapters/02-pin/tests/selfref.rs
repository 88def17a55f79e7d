//! The self-referential future is sound when pinned: on the heap, on the
//! stack, dropped before or after its first poll. These run under Miri in
//! CI, which checks every pointer it reads.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Waker};

use pin::SelfRef;

// ANCHOR: selfref_pinned
#[test]
fn pinned_on_the_heap_or_the_stack_it_reads_its_own_buffer() {
    let (heap, stack) = testkit::within("pinned", || {
        let heap = waker::block_on(Box::pin(SelfRef::new([1, 2, 3])));
        let stack = waker::block_on(pin!(SelfRef::new([4, 5, 6])));
        (heap, stack)
    });
    assert_eq!((heap, stack), (3, 9));
}
// ANCHOR_END: selfref_pinned

#[test]
fn moving_it_before_the_first_poll_is_fine() {
    let got = testkit::within("moved before poll", || {
        let futures = vec![SelfRef::new([1, 1, 0]), SelfRef::new([2, 2, 0])];
        // Moved out of the vector (nothing points into them yet), then pinned.
        futures
            .into_iter()
            .map(|f| waker::block_on(Box::pin(f)))
            .collect::<Vec<_>>()
    });
    assert_eq!(got, [2, 4]);
}

#[test]
fn dropping_it_after_the_first_poll_is_fine() {
    testkit::within("dropped while pending", || {
        let mut future = Box::pin(SelfRef::new([1, 2, 3]));
        let mut cx = Context::from_waker(Waker::noop());
        assert!(future.as_mut().poll(&mut cx).is_pending());
        drop(future);
    });
}
