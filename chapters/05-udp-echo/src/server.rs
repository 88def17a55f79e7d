//! The echo server: receive a datagram, send it back to whoever sent it,
//! forever, one datagram at a time.
//!
//! Two things make it more than the loop the seed runtime sketched. It
//! never stops on an error, because in UDP an error belongs to one datagram
//! (or one peer), not to the socket. And it yields to the other tasks after
//! a bounded number of datagrams, because on loopback a busy socket almost
//! never says `WouldBlock`, and a task that never returns `Pending` never
//! lets anything else run.

use std::convert::Infallible;
use std::future::poll_fn;
use std::io;
use std::net::SocketAddr;
use std::pin::pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::Poll;

use crate::MAX_DATAGRAM;
use crate::socket::UdpSocket;

/// Datagrams served (or failed) in a row before the server yields.
pub const DEFAULT_BUDGET: usize = 64;

/// A budget so large it is never spent: the server only gives the thread
/// back when its socket runs dry. Only for showing why the budget exists.
pub const UNLIMITED: usize = usize::MAX;

/// What the server has done so far, readable from other tasks and threads.
#[derive(Debug, Default)]
pub struct Stats {
    received: AtomicU64,
    replied: AtomicU64,
    dropped: AtomicU64,
    errors: AtomicU64,
    yields: AtomicU64,
}

impl Stats {
    /// A new set of counters, all zero.
    pub fn new() -> Stats {
        Stats::default()
    }

    /// Datagrams received.
    pub fn received(&self) -> u64 {
        self.received.load(Ordering::Relaxed)
    }

    /// Replies sent.
    pub fn replied(&self) -> u64 {
        self.replied.load(Ordering::Relaxed)
    }

    /// Datagrams the handler chose not to answer.
    pub fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }

    /// Receives and sends that failed (and were survived).
    pub fn errors(&self) -> u64 {
        self.errors.load(Ordering::Relaxed)
    }

    /// Times the server gave the thread back because its budget was spent.
    pub fn yields(&self) -> u64 {
        self.yields.load(Ordering::Relaxed)
    }

    fn count(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    // ANCHOR: error
    /// An error concerns one datagram or one peer: report it and go on.
    fn survive(&self, what: &str, peer: Option<SocketAddr>, error: &io::Error) {
        Stats::count(&self.errors);
        match peer {
            Some(peer) => eprintln!("udp-echo: {what} {peer} failed: {error}; still serving"),
            None => eprintln!("udp-echo: {what} failed: {error}; still serving"),
        }
    }
    // ANCHOR_END: error
}

// ANCHOR: budget
/// How many datagrams the server may handle before it lets the other tasks
/// run, whether or not the socket has more.
struct Budget {
    per_turn: usize,
    left: usize,
}

impl Budget {
    fn new(per_turn: usize) -> Budget {
        assert!(per_turn > 0, "a budget of 0 would never serve anything");
        Budget {
            per_turn,
            left: per_turn,
        }
    }

    /// Spends one unit; when none is left, yields once and refills. The
    /// yield puts the task at the back of the run queue, and lets the
    /// executor collect OS events before it comes round again.
    async fn spend(&mut self, stats: &Stats) {
        self.left -= 1;
        if self.left == 0 {
            self.left = self.per_turn;
            Stats::count(&stats.yields);
            reactor::yield_now().await;
        }
    }
}
// ANCHOR_END: budget

// ANCHOR: serve
/// Echoes every datagram back to its sender, forever.
pub async fn serve(socket: &UdpSocket, budget: usize, stats: &Stats) -> Infallible {
    serve_with(socket, budget, stats, |datagram, _peer| {
        Some(datagram.len())
    })
    .await
}

/// The server loop, with `reply` deciding the answer to each datagram: it
/// may rewrite the datagram in place, and returns how many of its bytes to
/// send back (at most its length), or `None` to send nothing.
pub async fn serve_with<F>(socket: &UdpSocket, budget: usize, stats: &Stats, reply: F) -> Infallible
where
    F: FnMut(&mut [u8], SocketAddr) -> Option<usize>,
{
    serve_until(socket, budget, stats, reply, std::future::pending()).await;
    unreachable!("`pending()` never completes")
}

/// [`serve_with`] until `stop` completes. The stop is looked at only while
/// the server waits for a datagram: one in hand is answered first, so no
/// client that was sent a reply's worth of work misses its reply.
pub async fn serve_until<F>(
    socket: &UdpSocket,
    budget: usize,
    stats: &Stats,
    mut reply: F,
    stop: impl Future<Output = ()>,
) where
    F: FnMut(&mut [u8], SocketAddr) -> Option<usize>,
{
    // On the heap, not in the future: 64 KiB in every poll's state machine
    // would be copied around each time the future moves.
    let mut buf = vec![0u8; MAX_DATAGRAM];
    let mut budget = Budget::new(budget);
    let mut stop = pin!(stop);
    loop {
        let received = {
            let mut recv = pin!(socket.recv_from(&mut buf));
            // `stop` first, so that it wins over a datagram ready at the
            // same time. Dropping the receive then loses nothing: a
            // datagram leaves the socket only with the call that returns it.
            poll_fn(|cx| match stop.as_mut().poll(cx) {
                Poll::Ready(()) => Poll::Ready(None),
                Poll::Pending => recv.as_mut().poll(cx).map(Some),
            })
            .await
        };
        let Some(received) = received else {
            return;
        };
        match received {
            Ok((len, peer)) => {
                Stats::count(&stats.received);
                let datagram = &mut buf[..len];
                match reply(datagram, peer) {
                    Some(n) => match socket.send_to(&datagram[..n], peer).await {
                        Ok(_) => Stats::count(&stats.replied),
                        Err(e) => stats.survive("reply to", Some(peer), &e),
                    },
                    None => Stats::count(&stats.dropped),
                }
            }
            Err(e) => stats.survive("receive", None, &e),
        }
        // Failures spend the budget too: a socket that fails on every call
        // must not starve the runtime either.
        budget.spend(stats).await;
    }
}
// ANCHOR_END: serve
