//! Async clean-up without an async `Drop`.
//!
//! `Drop::drop` is a plain function: it cannot `.await`, so it cannot wait
//! for a socket to become writable to send a goodbye, and a destructor
//! that blocked the thread instead would stop every other task on it.
//! Stable Rust has no async `Drop`: among other problems, a value can be
//! dropped in code that is not async, where nothing could await an
//! asynchronous destructor (without.boats, "Asynchronous clean-up").
//!
//! Two patterns take its place, each with a price:
//!
//! - an explicit [`Session::close`], awaited by the owner: the clean-up is
//!   finished when it returns and its error is the caller's to handle, but
//!   every path that drops the session without it (an early `?`, a lost
//!   `select`, a panic) skips the clean-up;
//! - a drop guard, [`CloseOnDrop`], whose `Drop` *spawns* the clean-up on
//!   the runtime: it runs on every path, but later (after `drop` returned),
//!   with no one to report an error to, only if the runtime still runs to
//!   do it, and only for a `Send + 'static` value. Spawning it under a
//!   [`TaskTracker`] gives the shutdown something to wait for.

use std::fmt;
use std::io;
use std::net::Shutdown;

use executor::Handle;
use futures::io::AsyncWriteExt;
use tcp_echo::TcpStream;

use crate::tracker::TaskTracker;

// ANCHOR: session
/// A connection with a goodbye: the peer expects `bye\n` and then end of
/// file, not a bare close.
#[derive(Debug)]
pub struct Session {
    stream: TcpStream,
}

impl Session {
    /// A session on `stream`, whose peer expects the goodbye.
    pub fn new(stream: TcpStream) -> Session {
        Session { stream }
    }

    /// Sends one line.
    ///
    /// # Errors
    /// The stream's write error; part of the line may have been sent.
    ///
    /// # Cancel safety
    /// Not cancel safe: it is two `write_all`s, and a dropped `write_all`
    /// may have sent bytes it never reported (the cancel-safety table), so
    /// after a cancel the peer may hold part of a line.
    pub async fn send(&self, line: &str) -> io::Result<()> {
        let mut stream = &self.stream;
        stream.write_all(line.as_bytes()).await?;
        stream.write_all(b"\n").await
    }

    /// The clean-up: says goodbye and closes the writing half. Awaited, it
    /// is over when this returns, and its error is the caller's.
    ///
    /// # Errors
    /// The stream's write or `shutdown` error: the goodbye may be partly
    /// sent, and the session is gone either way.
    ///
    /// # Cancel safety
    /// Not cancel safe: the session moved into this future, so dropping it
    /// drops the connection with the goodbye unsent or partly sent, the very
    /// clean-up it is for. The close a [`CloseOnDrop`] guard spawns has
    /// the same limit when the runtime is dropped before that task is done.
    pub async fn close(self) -> io::Result<()> {
        let mut stream = &self.stream;
        stream.write_all(b"bye\n").await?;
        self.stream.shutdown(Shutdown::Write)
    }
}
// ANCHOR_END: session

// ANCHOR: guard
/// A [`Session`] whose drop spawns its [`close`](Session::close) on the
/// runtime it was created on, counted by `tracker`.
pub struct CloseOnDrop {
    session: Option<Session>,
    runtime: Handle,
    tracker: TaskTracker,
}

impl CloseOnDrop {
    /// Guards `session`; must be called inside a runtime, whose handle the
    /// guard keeps: a destructor may run anywhere, even on a thread that has
    /// no runtime, and must still find one to spawn on.
    ///
    /// # Panics
    /// Outside a runtime, like [`Handle::current`].
    pub fn new(session: Session, tracker: &TaskTracker) -> CloseOnDrop {
        CloseOnDrop {
            session: Some(session),
            runtime: Handle::current(),
            tracker: tracker.clone(),
        }
    }

    /// The session, to use while the guard holds it.
    pub fn session(&self) -> &Session {
        self.session
            .as_ref()
            .expect("the session is only taken by drop")
    }
}

impl Drop for CloseOnDrop {
    fn drop(&mut self) {
        if let Some(session) = self.session.take() {
            // Nobody awaits this: an error can only be dropped (or logged).
            // If the runtime has shut down, `spawn` drops the future unpolled
            // and the goodbye is never sent: the price of not awaiting it.
            let close = self.tracker.track_future(async move {
                let _ = session.close().await;
            });
            drop(self.runtime.spawn(close));
        }
    }
}
// ANCHOR_END: guard

impl fmt::Debug for CloseOnDrop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CloseOnDrop")
            .field("session", &self.session)
            .finish_non_exhaustive()
    }
}
