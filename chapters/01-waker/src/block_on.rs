//! The smallest executor: run one future to completion on this thread.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll};

use crate::parker::Parker;

// ANCHOR: block_on
/// Polls `future` until it is ready, sleeping in between.
///
/// The waker given to the future unparks this thread. Because the parker
/// remembers a notification, a wake that happens *during* `poll` (before we
/// get to `park`) makes `park` return at once instead of being lost; because
/// `park` loops on that notification, a spurious OS wakeup does not cause a
/// pointless poll.
///
/// ```
/// use std::time::Duration;
/// use waker::{Delay, block_on};
///
/// let answer = block_on(async {
///     Delay::new(Duration::from_millis(10)).await;
///     6 * 7
/// });
/// assert_eq!(answer, 42);
/// ```
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let parker = Parker::new();
    let waker = parker.unparker().waker();
    let mut cx = Context::from_waker(&waker);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        parker.park();
    }
}
// ANCHOR_END: block_on
