//! THE COUNTER-EXAMPLE: a read into a *borrowed* buffer. It looks like
//! chapter 6's `read(&mut [u8])` and is a use-after-free.
//!
//! This file is deliberately not compiled: `counterexample.rs` declares it
//! under `#[cfg(any())]`, which is always false. It is here so that the book can
//! show it, and explain why the crate's real API takes buffers by value.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use io_uring::{opcode, types};

use crate::driver::Handle;
use crate::op_table::Key;

// ANCHOR: borrowed_read
/// A read that lends the kernel `buf` for as long as `'a` lasts.
pub struct BorrowedRead<'a> {
    handle: Handle,
    fd: i32,
    buf: &'a mut [u8],
    key: Option<Key>,
}

impl Future for BorrowedRead<'_> {
    type Output = std::io::Result<usize>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        if this.key.is_none() {
            let entry = opcode::Recv::new(
                types::Fd(this.fd),
                this.buf.as_mut_ptr(),
                this.buf.len() as _,
            )
            .build();
            // "SAFETY": the buffer is borrowed for 'a, and we are inside 'a.
            // WRONG: the borrow ends when this future is dropped or
            // forgotten, but the kernel's pointer does not.
            this.key = Some(this.handle.shared.submit(entry));
            return Poll::Pending;
        }
        // ... look up the completion, as `Op::poll` does ...
        todo!()
    }
}
// ANCHOR_END: borrowed_read

// ANCHOR: use_after_free
async fn looks_fine(handle: Handle, fd: i32) {
    let mut buf = [0u8; 4096]; // in this future's state, in the task
    let read = BorrowedRead {
        handle,
        fd,
        buf: &mut buf,
        key: None,
    };
    // Poll it once (a `select!` or a `timeout` does exactly this), then
    // give up on it: the read stays queued in the kernel.
    let _ = timers::timeout(std::time::Duration::from_millis(1), read).await;
    // `buf` is still here, but the *task* may now finish, and its frame
    // (with `buf` in it) is freed. The kernel writes into it whenever the
    // peer sends data: into whatever the allocator put there since.
}
// ANCHOR_END: use_after_free
