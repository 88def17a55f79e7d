//! Watching the poll/wake cycle: a future adapter and a waker wrapper that
//! print what happens, so the library itself stays free of prints.
//!
//! [`Trace`] wraps any future. Each poll prints a line; the waker it hands
//! to the inner future is a [`TraceWake`] that prints the wake (and the
//! thread it comes from) before passing it on to the real waker. The demo
//! (`cargo run -p waker`) wraps the futures it gives to `block_on` in it.
//!
//! The messages assume a `block_on`-style executor, where the thread that
//! polls is also the thread that parks and that the waker unparks.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll, Wake, Waker};
use std::thread;

/// The current thread's name, for the start of each line.
fn thread_name() -> String {
    thread::current().name().unwrap_or("unnamed").to_owned()
}

/// Prints one line, tagged with the thread that prints it.
fn say(message: fmt::Arguments<'_>) {
    println!("[{:>6}] {message}", thread_name());
}

// ANCHOR: trace_wake
/// A waker that reports every wake, then forwards it to the waker it wraps.
#[derive(Debug)]
pub struct TraceWake {
    inner: Waker,
    /// The thread that polled: the one the inner waker will unpark.
    poller: String,
    stats: Arc<TraceStats>,
}

impl Wake for TraceWake {
    fn wake(self: Arc<Self>) {
        self.report("wake()");
        // We own only one of possibly several references to `self`, so the
        // inner waker cannot be moved out: wake it by reference.
        self.inner.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.report("wake_by_ref()");
        self.inner.wake_by_ref();
    }
}

impl TraceWake {
    fn report(&self, how: &str) {
        self.stats.wakes.fetch_add(1, Ordering::SeqCst);
        say(format_args!("{how:<14} -> unpark `{}`", self.poller));
    }
}
// ANCHOR_END: trace_wake

// ANCHOR: trace_future
/// A future adapter that prints each poll and its result.
pub struct Trace<F> {
    inner: Pin<Box<F>>,
    stats: Arc<TraceStats>,
    /// The waker we made for the last poll, and the one it wraps. Reused
    /// while the executor keeps passing the same waker, so that the inner
    /// future sees an unchanged waker too (and can skip its clone).
    waker: Option<(Waker, Waker)>,
}

impl<F: Future> Trace<F> {
    /// Wraps `future`.
    pub fn new(future: F) -> Self {
        Trace {
            inner: Box::pin(future),
            stats: Arc::default(),
            waker: None,
        }
    }

    /// The poll and wake counts, still readable after `block_on` has
    /// consumed the future.
    pub fn stats(&self) -> Arc<TraceStats> {
        Arc::clone(&self.stats)
    }
}

/// How often a [`Trace`]d future was polled and woken.
#[derive(Debug, Default)]
pub struct TraceStats {
    polls: AtomicUsize,
    wakes: AtomicUsize,
}

impl TraceStats {
    /// Polls so far.
    pub fn polls(&self) -> usize {
        self.polls.load(Ordering::SeqCst)
    }

    /// Wakes (by value or by reference) so far.
    pub fn wakes(&self) -> usize {
        self.wakes.load(Ordering::SeqCst)
    }
}

impl<F> Future for Trace<F>
where
    F: Future,
    F::Output: fmt::Debug,
{
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        // `Trace` is `Unpin` (the inner future is boxed), so plain `&mut`.
        let this = &mut *self;
        let poll = this.stats.polls.fetch_add(1, Ordering::SeqCst) + 1;
        let fresh = !matches!(&this.waker, Some((_, seen)) if seen.will_wake(cx.waker()));
        if fresh {
            let traced = Waker::from(Arc::new(TraceWake {
                inner: cx.waker().clone(),
                poller: thread_name(),
                stats: Arc::clone(&this.stats),
            }));
            this.waker = Some((traced, cx.waker().clone()));
        }
        let note = if fresh { "new waker" } else { "same waker" };
        say(format_args!("poll #{poll:<8} ({note})"));

        let (traced, _) = this.waker.as_ref().expect("set just above");
        let result = this.inner.as_mut().poll(&mut Context::from_waker(traced));
        match &result {
            Poll::Pending => say(format_args!("  -> Pending; `{}` parks", thread_name())),
            Poll::Ready(output) => say(format_args!("  -> Ready({output:?})")),
        }
        result
    }
}
// ANCHOR_END: trace_future

impl<F> fmt::Debug for Trace<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Trace")
            .field("stats", &self.stats)
            .finish_non_exhaustive()
    }
}
