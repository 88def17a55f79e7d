//! Chapter 6's echo server, given the two timers it was missing.
//!
//! Chapter 6 left two seams in its server for this chapter: how each read
//! is awaited ([`ReadPolicy`]) and what the accept loop does after an error
//! ([`AcceptPolicy`]). Its own policies needed no clock, and it shows:
//!
//! - `WaitForever`: a client that connects and says nothing keeps its
//!   descriptor, its buffer and its task for as long as it likes. Enough of
//!   them use up the server's descriptors without sending a byte;
//! - `PauseUntilClose`: after `EMFILE` the accept loop waits for one of its
//!   connections to close. When none of them is open (the descriptors went
//!   elsewhere in the process), no close will come, and it gives up.
//!
//! Here are the two policies with a timer.

use std::io;
use std::time::{Duration, Instant};

use tcp_echo::Connections;
use tcp_echo::server::{AcceptPolicy, PauseUntilClose, ReadPolicy, is_out_of_resources};

use crate::timeout;

// ANCHOR: idle_timeout
/// Closes a connection whose client sends nothing for `idle`: each read
/// gets `idle` to complete, measured from the moment it starts waiting.
/// An active client never meets it; an idle one gets a `TimedOut` error,
/// which ends the echo loop and closes the connection.
#[derive(Clone, Copy, Debug)]
pub struct IdleTimeout(pub Duration);

impl ReadPolicy for IdleTimeout {
    fn read<F>(&mut self, read: F) -> impl Future<Output = io::Result<usize>> + Send
    where
        F: Future<Output = io::Result<usize>> + Send,
    {
        let idle = self.0;
        // `?` turns `Elapsed` into an `io::Error` of kind `TimedOut`. A read
        // that wins drops the timeout's sleep, which leaves the store: one
        // entry per connection at any time, however many reads it makes.
        async move { timeout(idle, read).await? }
    }
}
// ANCHOR_END: idle_timeout

// ANCHOR: timeouts
/// [`IdleTimeout`] for the reads, and a bound on each write: a client that
/// sends but never reads fills its receive buffer and our send buffer, and
/// then `write_all` waits for it for as long as it likes, holding the
/// connection's task, buffer and descriptor. `write` gets `write` to put
/// one buffer back into the kernel; past that, `TimedOut` ends the
/// connection. A slow reader that takes its bytes within `write` is never
/// cut.
#[derive(Clone, Copy, Debug)]
pub struct Timeouts {
    pub idle: Duration,
    pub write: Duration,
}

impl ReadPolicy for Timeouts {
    fn read<F>(&mut self, read: F) -> impl Future<Output = io::Result<usize>> + Send
    where
        F: Future<Output = io::Result<usize>> + Send,
    {
        let idle = self.idle;
        async move { timeout(idle, read).await? }
    }

    fn write<F>(&mut self, write: F) -> impl Future<Output = io::Result<()>> + Send
    where
        F: Future<Output = io::Result<()>> + Send,
    {
        let limit = self.write;
        async move { timeout(limit, write).await? }
    }
}
// ANCHOR_END: timeouts

// ANCHOR: backoff
/// After `EMFILE` (or any error that says the process is out of
/// resources), waits until one of our connections closes or `backoff` has
/// passed, whichever comes first, then lets the loop try again. Other
/// errors are left to chapter 6's policy.
#[derive(Clone, Copy, Debug)]
pub struct BackoffOnExhaustion {
    backoff: Duration,
    /// When the last "out of descriptors" line was printed: a server that
    /// retries ten times a second should not print ten lines a second.
    reported: Option<Instant>,
}

impl BackoffOnExhaustion {
    /// Retries after at most `backoff`.
    pub fn new(backoff: Duration) -> Self {
        BackoffOnExhaustion {
            backoff,
            reported: None,
        }
    }
}

impl AcceptPolicy for BackoffOnExhaustion {
    async fn on_error(&mut self, error: io::Error, connections: &Connections) -> io::Result<()> {
        if !is_out_of_resources(&error) {
            // Only exhaustion needs a timer: a per-connection error is
            // skipped and anything else stops the server, as in chapter 6.
            return PauseUntilClose.on_error(error, connections).await;
        }
        let open = connections.live();
        if self
            .reported
            .is_none_or(|at| at.elapsed() >= Duration::from_secs(1))
        {
            self.reported = Some(Instant::now());
            eprintln!(
                "accept: {error}; {open} connections open; retrying within {:?}",
                self.backoff
            );
        }
        // Not retrying at once: the connection that failed is still in the
        // backlog, the listener still readable, and an immediate retry fails
        // the same way, at 100% CPU. A close gives a descriptor back, so it
        // is worth retrying right then; but the descriptors may be held by
        // something else in the process, so the sleep bounds the wait. With
        // no connection open, `until_fewer_than(0)` never completes and
        // only the sleep ends it.
        let _ = timeout(self.backoff, connections.until_fewer_than(open)).await;
        Ok(())
    }
}
// ANCHOR_END: backoff
