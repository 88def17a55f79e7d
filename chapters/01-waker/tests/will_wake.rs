//! `Waker::will_wake` tells a future whether the waker it stored still wakes
//! the same task, so it can skip replacing it. It must be true for clones of
//! one waker and false for a waker of another task.

use std::sync::Arc;

use waker::Parker;
use waker::raw_waker::{self, ArcWake};

struct Task;

impl ArcWake for Task {
    fn wake_by_ref(self: &Arc<Self>) {}
}

#[test]
fn will_wake_is_true_for_a_clone() {
    testkit::within("clone", || {
        let waker = raw_waker::waker(Arc::new(Task));
        let clone = waker.clone();
        assert!(waker.will_wake(&clone));
        assert!(clone.will_wake(&waker));
        assert!(waker.will_wake(&clone.clone()));
    });
}

#[test]
fn will_wake_is_false_for_a_different_task() {
    testkit::within("different task", || {
        let one = raw_waker::waker(Arc::new(Task));
        let other = raw_waker::waker(Arc::new(Task));
        assert!(!one.will_wake(&other));
        assert!(!other.will_wake(&one));
    });
}

#[test]
fn wakers_of_one_parker_will_wake_each_other() {
    testkit::within("one parker", || {
        let parker = Parker::new();
        let unparker = parker.unparker();
        // Two separately built wakers for the same thread: same data pointer,
        // same vtable, so a future that stored one may keep it.
        assert!(unparker.waker().will_wake(&parker.unparker().waker()));
        let other = Parker::new();
        assert!(!unparker.waker().will_wake(&other.unparker().waker()));
    });
}
