//! The token tree and its races.

use std::pin::pin;

use cancellation::CancellationToken;
use testkit::wakers::Counting;
use testkit::{poll_once, poll_with};

#[test]
fn cancelling_a_parent_cancels_every_descendant() {
    let root = CancellationToken::new();
    let child = root.child_token();
    let grandchild = child.child_token();
    // The token between them is dropped: the grandchild is still reached.
    drop(child);
    let mut waiting = pin!(grandchild.cancelled());
    assert!(poll_once(waiting.as_mut()).is_pending());
    root.cancel();
    assert!(grandchild.is_cancelled());
    assert!(poll_once(waiting.as_mut()).is_ready());
}

#[test]
fn cancelling_a_child_leaves_its_parent_and_siblings_alone() {
    let root = CancellationToken::new();
    let (a, b) = (root.child_token(), root.child_token());
    a.cancel();
    assert!(a.is_cancelled());
    assert!(!root.is_cancelled());
    assert!(!b.is_cancelled());
}

#[test]
fn a_child_made_after_its_parent_was_cancelled_is_cancelled_at_once() {
    let root = CancellationToken::new();
    root.cancel();
    let child = root.child_token();
    assert!(child.is_cancelled());
    assert!(poll_once(pin!(child.cancelled())).is_ready());
}

#[test]
fn waiters_dropped_before_the_cancel_leave_nothing_behind() {
    let token = CancellationToken::new();
    for _ in 0..100 {
        let mut waiting = pin!(token.cancelled());
        assert!(poll_once(waiting.as_mut()).is_pending());
        assert!(poll_once(waiting.as_mut()).is_pending()); // same slot again
    }
    assert_eq!(token.waiters(), 0);
}

#[test]
fn dropped_children_do_not_pile_up_in_their_parent() {
    let root = CancellationToken::new();
    for _ in 0..1000 {
        drop(root.child_token());
    }
    // A `Vec` starts at 4 slots; it is pruned whenever it is full.
    assert!(root.listed_children() <= 4, "{}", root.listed_children());
}

#[test]
fn a_cancel_racing_a_waiter_that_registers_always_reaches_it() {
    testkit::within("the register/cancel race", || {
        for _ in 0..2000 {
            let token = CancellationToken::new();
            let canceller = {
                let token = token.clone();
                std::thread::spawn(move || token.cancel())
            };
            let (count, waker) = Counting::new();
            let mut waiting = pin!(token.cancelled());
            let first = poll_with(waiting.as_mut(), &waker);
            canceller.join().unwrap();
            // Either it saw the cancel, or the cancel found its waker.
            assert!(first.is_ready() || count.get() == 1);
            assert!(poll_once(waiting.as_mut()).is_ready());
        }
    });
}
