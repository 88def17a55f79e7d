//! A waker is user code, and user code can panic. When one of the wakers
//! the driver fires in a batch panics, the others must still be woken
//! (their timers have left the store: nobody else will ever wake them),
//! and then the panic goes on up to whoever called `park`.

use std::future::Future;
use std::panic::{self, AssertUnwindSafe};
use std::pin::Pin;
use std::task::{Context, Waker};
use std::thread;
use std::time::{Duration, Instant};

use executor::{Park, ThreadPark};
use testkit::wakers;
use timers::{Sleep, TimerDriver, sleep_until};

/// Polls `sleep` once with `waker`: it registers in the store with it.
fn register(sleep: &mut Sleep, waker: Waker) {
    let pending = Pin::new(sleep).poll(&mut Context::from_waker(&waker));
    assert!(pending.is_pending());
}

#[test]
fn a_panicking_waker_does_not_keep_the_rest_of_the_batch_asleep() {
    testkit::within("panicking timer waker", || {
        let mut driver = TimerDriver::new(ThreadPark::new());
        let _enter = driver.handle().enter();
        let (counted, counting) = wakers::Counting::new();
        // One deadline: the timers fire in registration order, so the
        // panicking waker comes first in the batch, before both others.
        let deadline = Instant::now() + Duration::from_millis(5);
        let mut sleeps: Vec<Sleep> = (0..3).map(|_| sleep_until(deadline)).collect();
        register(&mut sleeps[0], wakers::panicking());
        register(&mut sleeps[1], counting.clone());
        register(&mut sleeps[2], counting.clone());
        while Instant::now() <= deadline {
            thread::sleep(Duration::from_millis(1));
        }

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
        assert_eq!(driver.handle().pending(), 0);
    })
}
