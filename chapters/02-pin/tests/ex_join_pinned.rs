//! Exercise 2.2 (`cargo ex check join-pinned`): `Join` without a `Box`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::future::{self, Future};
use std::pin::{Pin, pin};
use std::task::{Context, Poll, Waker};

use pin::exercises::join_pinned::join;

/// Counts this thread's allocations, so a test can see whether polling
/// allocates.
struct CountingAlloc;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: forwards every call to `System` unchanged; it only counts.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|n| n.set(n.get() + 1));
        // SAFETY: the caller keeps `GlobalAlloc::alloc`'s contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller keeps `GlobalAlloc::dealloc`'s contract.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: CountingAlloc = CountingAlloc;

fn allocations() -> usize {
    ALLOCATIONS.with(Cell::get)
}

/// Pending `left` times (waking itself each time), then `Ready(value)`;
/// counts its polls in `polls` and panics if polled after it completed.
struct Countdown<'a> {
    left: usize,
    value: u32,
    done: bool,
    polls: &'a Cell<usize>,
}

impl Future for Countdown<'_> {
    type Output = u32;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u32> {
        assert!(!self.done, "polled after it completed");
        self.polls.set(self.polls.get() + 1);
        if self.left == 0 {
            self.done = true;
            return Poll::Ready(self.value);
        }
        self.left -= 1;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

fn countdown(left: usize, value: u32, polls: &Cell<usize>) -> Countdown<'_> {
    Countdown {
        left,
        value,
        done: false,
        polls,
    }
}

/// An `async` block that keeps a borrow of its own local across an
/// `.await`: not `Unpin`, so it can only be polled pinned.
async fn self_borrowing(value: u32) -> u32 {
    let local = [value, 1];
    let first = &local[0];
    future::ready(()).await;
    let polls = Cell::new(0);
    countdown(2, 0, &polls).await;
    *first
}

#[test]
fn yields_both_outputs_of_futures_that_are_not_unpin() {
    let got = testkit::within("not unpin", || {
        assert!(!pin::is_unpin!(self_borrowing(1)));
        waker::block_on(join(self_borrowing(7), self_borrowing(8)))
    });
    assert_eq!(got, (7, 8));
}

#[test]
fn never_polls_a_finished_future_again() {
    let polls = testkit::within("finished not repolled", || {
        let (quick, slow) = (Cell::new(0), Cell::new(0));
        let got = waker::block_on(join(countdown(0, 1, &quick), countdown(3, 2, &slow)));
        assert_eq!(got, (1, 2));
        (quick.get(), slow.get())
    });
    // One poll for the one that is ready at once; four (three times
    // Pending, then Ready) for the other.
    assert_eq!(polls, (1, 4));
}

#[test]
fn polls_both_futures_in_place_without_allocating() {
    let allocated = testkit::within("no allocation", || {
        let left = Cell::new(0);
        let mut joined = pin!(join(countdown(2, 1, &left), self_borrowing(5)));
        let mut cx = Context::from_waker(Waker::noop());
        let before = allocations();
        let mut output = None;
        for _ in 0..10 {
            if let Poll::Ready(both) = joined.as_mut().poll(&mut cx) {
                output = Some(both);
                break;
            }
        }
        let allocated = allocations() - before;
        assert_eq!(output, Some((1, 5)));
        allocated
    });
    assert_eq!(
        allocated, 0,
        "polling Join allocated: are the futures boxed?"
    );
}

#[test]
fn it_is_unpin_only_when_both_futures_are() {
    let polls = Cell::new(0);
    assert!(pin::is_unpin!(join(
        countdown(0, 1, &polls),
        future::ready(2)
    )));
    assert!(!pin::is_unpin!(join(self_borrowing(1), future::ready(2))));
    assert!(!pin::is_unpin!(join(future::ready(2), self_borrowing(1))));
}
