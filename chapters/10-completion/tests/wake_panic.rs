//! A waker that panics while the driver wakes a batch of completions must
//! not leave the rest of the batch unwoken: their completions are recorded,
//! nobody else will wake those tasks. The driver wakes them all, then lets
//! the panic go on to whoever called `park`.

mod common;

use std::future::Future;
use std::panic::{self, AssertUnwindSafe};
use std::pin::Pin;
use std::task::{Context, Waker};
use std::time::Duration;

use common::uring_test;
use completion::{Op, Uring};
use executor::Park;
use io_uring::opcode;
use testkit::wakers;

/// A no-op submitted to `driver` and polled once with `waker`.
fn nop(driver: &Uring, waker: Waker) -> Op<()> {
    // SAFETY: a no-op points to no memory and names no descriptor.
    let mut op = unsafe { Op::submit(&driver.handle(), opcode::Nop::new().build(), ()) };
    let pending = Pin::new(&mut op).poll(&mut Context::from_waker(&waker));
    assert!(pending.is_pending());
    op
}

#[test]
fn a_panicking_waker_does_not_keep_the_rest_of_the_batch_asleep() {
    uring_test("panicking uring waker", Duration::from_secs(10), || {
        let mut driver = Uring::new().unwrap();
        let (counted, counting) = wakers::Counting::new();
        // Submitted in this order, completed in this order (a no-op
        // completes as it is submitted): the panicking waker comes first.
        let _ops = [
            nop(&driver, wakers::panicking()),
            nop(&driver, counting.clone()),
            nop(&driver, counting.clone()),
        ];
        let turn = panic::catch_unwind(AssertUnwindSafe(|| driver.park_timeout(Duration::ZERO)));
        assert!(
            turn.is_err(),
            "the waker's panic reaches the caller of park"
        );
        assert_eq!(
            counted.get(),
            2,
            "both wakers after the panicking one were woken"
        );
    })
}
