//! `spawn` with the bounds of a multi-threaded runtime.
//!
//! A runtime with worker threads may poll a task on any of them, and keeps
//! it for as long as it runs, long after the caller of `spawn` has returned.
//! So its `spawn` asks for `F: Send + 'static` (tokio's does; so does
//! chapter 3's). This one is the smallest honest version: it moves the
//! future to a new thread and runs it there with chapter 1's `block_on`.
//! The crate docs show what those two bounds reject, and why.

use std::future::Future;
use std::thread;

// ANCHOR: spawn
/// Runs `future` to completion on a new thread.
pub fn spawn<F>(future: F) -> thread::JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    thread::spawn(move || waker::block_on(future))
}
// ANCHOR_END: spawn
