//! Graceful shutdown: stop accepting, tell every connection to finish,
//! wait for them until a deadline, cut the rest, and say how it went.
//!
//! Written once, here, for every TCP server of the book: this chapter's
//! `tcp-echo`, chapter 7's `tcp-echo-timeouts` (with a timer for the
//! deadline), chapter 10's server on io_uring and chapter 11's `ours`. The
//! pieces do not know about sockets: a [`Notice`] is a notice any task
//! can wait for, a [`Drain`] holds the connection tasks, and the deadline
//! is any future the caller likes.

use std::fmt;
use std::pin::{Pin, pin};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use std::io;

use futures::future::{Either, select};
use reactor::{JoinHandle, Signals};
use slab::Slab;

use crate::connections::Connections;
use crate::listener::TcpListener;
use crate::server::{AcceptPolicy, Config, ReadPolicy, serve_until};

/// How long a drain waits for the connections before it cuts them, unless
/// told otherwise: short enough that `kill -TERM` ends a server within a
/// second, long enough for an echo in flight on loopback or a LAN.
pub const DRAIN_TIMEOUT: Duration = Duration::from_millis(500);

// ANCHOR: drain_args
/// The `--drain-timeout` option of every TCP server, for
/// `#[command(flatten)]`.
#[derive(clap::Args, Debug, Clone)]
pub struct DrainArgs {
    /// After SIGTERM or SIGINT, how long open connections get to finish
    /// before they are cut (`500ms`, `10s`); a second signal cuts them at
    /// once.
    #[arg(long, value_name = "DURATION", default_value = "500ms", value_parser = humantime::parse_duration)]
    pub drain_timeout: Duration,
}
// ANCHOR_END: drain_args

// ANCHOR: notice
/// A notice that the server is shutting down, shared by the accept loop and
/// every connection task. Once started it stays started.
#[derive(Clone, Default)]
pub struct Notice {
    inner: Arc<NoticeState>,
}

#[derive(Default)]
struct NoticeState {
    started: AtomicBool,
    /// The wakers of the [`Started`] futures waiting now, each under its key.
    waiters: Mutex<Slab<Waker>>,
}

impl Notice {
    /// A notice nobody has started yet.
    pub fn new() -> Notice {
        Notice::default()
    }

    /// Tells everyone waiting, and everyone who waits from now on.
    pub fn start(&self) {
        self.inner.started.store(true, Ordering::SeqCst);
        // Collect, unlock, then wake: a waker may run code that takes this
        // lock again (chapter 4's rule).
        let waiters: Vec<Waker> = self.inner.lock().drain().collect();
        for waker in waiters {
            waker.wake();
        }
    }

    /// Whether [`start`](Self::start) has been called.
    pub fn is_started(&self) -> bool {
        self.inner.started.load(Ordering::SeqCst)
    }

    /// A future that completes once the shutdown has started (at once if
    /// it has).
    ///
    /// # Cancel safety
    /// Cancel safe: dropping it takes its waker out and loses nothing.
    pub fn started(&self) -> Started<'_> {
        Started {
            notice: &self.inner,
            key: None,
        }
    }
}

impl NoticeState {
    fn lock(&self) -> MutexGuard<'_, Slab<Waker>> {
        self.waiters.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The future of [`Notice::started`].
#[must_use = "futures do nothing unless polled"]
pub struct Started<'a> {
    notice: &'a NoticeState,
    /// Where this future's waker is in `waiters`, once it has left one.
    key: Option<usize>,
}

impl Future for Started<'_> {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let notice = self.notice;
        let mut waiters = notice.lock();
        // Looked at under the lock that `start` drains: either `start` has
        // set the flag before we look, or it finds our waker afterwards.
        if notice.started.load(Ordering::SeqCst) {
            drop(waiters);
            self.key = None;
            return Poll::Ready(());
        }
        match self.key {
            Some(key) if waiters.contains(key) => {
                if !waiters[key].will_wake(cx.waker()) {
                    waiters[key] = cx.waker().clone();
                }
            }
            _ => self.key = Some(waiters.insert(cx.waker().clone())),
        }
        Poll::Pending
    }
}

impl Drop for Started<'_> {
    fn drop(&mut self) {
        if let Some(key) = self.key {
            // `start` may have taken it already. Then the key is free, but
            // nobody can have been given it since: once the flag is set, no
            // `poll` inserts a waker again.
            let removed = self.notice.lock().try_remove(key);
            drop(removed);
        }
    }
}
// ANCHOR_END: notice

// ANCHOR: drain
/// The connection tasks of a server that means to shut down gracefully:
/// each is spawned with a [`Notice`] to watch and a guard in
/// [`Connections`], and its handle is kept, so that a drain can cut it.
pub struct Drain {
    connections: Connections,
    notice: Notice,
    /// The handles of the tasks that have not ended. A task takes its own
    /// handle out when it ends (however it ends: its future is dropped),
    /// because a handle keeps its finished task's memory (chapter 3).
    tasks: Tasks,
}

/// The handles, by key; `None` while a task is being spawned.
type Tasks = Arc<Mutex<Slab<Option<JoinHandle<()>>>>>;

fn lock_tasks(tasks: &Tasks) -> MutexGuard<'_, Slab<Option<JoinHandle<()>>>> {
    tasks.lock().unwrap_or_else(|e| e.into_inner())
}

/// Held by a connection's future: takes the task's handle out of the
/// drain's list when the future is dropped.
struct Forget {
    tasks: Tasks,
    key: usize,
}

impl Drop for Forget {
    fn drop(&mut self) {
        let handle = lock_tasks(&self.tasks).try_remove(self.key);
        // Outside the lock: a handle's drop drops the waker it stored.
        drop(handle);
    }
}

/// How a drain went: connections that ended by themselves after the
/// notice, and those cut at the deadline.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub drained: usize,
    pub aborted: usize,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "drained {}, aborted {}", self.drained, self.aborted)
    }
}

impl Drain {
    /// Tracks the connections counted in `connections`.
    pub fn new(connections: Connections) -> Drain {
        Drain {
            connections,
            notice: Notice::new(),
            tasks: Arc::default(),
        }
    }

    /// The count of open connections.
    pub fn connections(&self) -> &Connections {
        &self.connections
    }

    /// The notice the connections watch.
    pub fn notice(&self) -> &Notice {
        &self.notice
    }

    /// Spawns a connection's task: `connection` gets the notice to watch,
    /// and the task counts as open until it ends (or is cut).
    pub fn spawn<F>(&mut self, connection: impl FnOnce(Notice) -> F)
    where
        F: Future<Output = ()> + Send + 'static,
    {
        let guard = self.connections.open();
        let task = connection(self.notice.clone());
        // The key first, the spawn outside the lock: a spawn refused after
        // shutdown drops the future at once, and with it `Forget`.
        let key = lock_tasks(&self.tasks).insert(None);
        let forget = Forget {
            tasks: self.tasks.clone(),
            key,
        };
        let handle = reactor::spawn(async move {
            let _forget = forget;
            let _guard = guard;
            task.await;
        });
        let mut tasks = lock_tasks(&self.tasks);
        match tasks.get_mut(key) {
            Some(slot) => *slot = Some(handle),
            // Ended already (refused): nothing to keep.
            None => {
                drop(tasks);
                drop(handle);
            }
        }
    }

    /// Tells every connection to finish, waits until they all have or
    /// `give_up` completes, then cuts the rest: an aborted task's future is
    /// dropped, with its socket (closed) and its guard. Returns once no
    /// connection task is left.
    ///
    /// Call it after the accept loop has stopped and the listener is
    /// closed, so that nothing new arrives meanwhile.
    pub async fn drain(self, give_up: impl Future<Output = ()>) -> Report {
        let open = self.connections.live();
        self.notice.start();
        let all_done = pin!(self.connections.until_fewer_than(1));
        let aborted = match select(all_done, pin!(give_up)).await {
            Either::Left(((), _)) => 0,
            Either::Right(((), _)) => {
                // One thread runs every task of this runtime, and none runs
                // while this code does: the count is exact, and every open
                // connection's task is one of those still unfinished.
                let left = self.connections.live();
                // `abort` only queues the task; nothing runs under the lock.
                for task in lock_tasks(&self.tasks)
                    .iter()
                    .filter_map(|(_, task)| task.as_ref())
                {
                    task.abort();
                }
                self.connections.until_fewer_than(1).await;
                left
            }
        };
        Report {
            drained: open - aborted,
            aborted,
        }
    }
}

impl fmt::Debug for Drain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Drain")
            .field("connections", &self.connections)
            .field("started", &self.notice.is_started())
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for Notice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Notice")
            .field("started", &self.is_started())
            .finish()
    }
}

impl fmt::Debug for Started<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Started").field("key", &self.key).finish()
    }
}
// ANCHOR_END: drain

// ANCHOR: serve_then_drain
/// A server's whole life: accept on `listener` until SIGINT or SIGTERM
/// arrives on `signals`, close the listener, drain the connections until
/// `deadline()` completes or a second signal arrives, and report the counts
/// on stderr as `<name>: drained N, aborted M`.
///
/// `deadline` is called when the drain starts, so the time counts from the
/// signal. Returns the accept loop's error if that is what ended it (after
/// the same drain), or `Ok` after a signal.
pub async fn serve_then_drain<A, R, G>(
    name: &str,
    listener: TcpListener,
    config: &Config,
    signals: &Signals,
    accept_policy: A,
    read_policy: R,
    deadline: impl FnOnce() -> G,
) -> io::Result<Report>
where
    A: AcceptPolicy,
    R: ReadPolicy,
    G: Future<Output = ()>,
{
    let mut drain = Drain::new(Connections::default());
    let signalled = async {
        // An error reading the pipe cannot be waited out: stop as if told.
        match signals.recv().await {
            Ok(signal) => eprintln!(
                "{name}: {}: no longer accepting",
                reactor::signal::name(signal)
            ),
            Err(e) => eprintln!("{name}: reading signals failed ({e}): stopping"),
        }
    };
    let stopped = serve_until(
        &listener,
        config,
        &mut drain,
        accept_policy,
        read_policy,
        signalled,
    )
    .await;
    // Closing the listening socket makes the kernel refuse new clients
    // (and reset those still waiting in its backlog), instead of queueing
    // them for a server that will never accept them.
    drop(listener);
    let open = drain.connections().live();
    if open > 0 {
        eprintln!("{name}: draining {open} connections");
    }
    let second_signal = async {
        let _ = signals.recv().await;
    };
    let give_up = async {
        select(pin!(deadline()), pin!(second_signal)).await;
    };
    let report = drain.drain(give_up).await;
    eprintln!("{name}: {report}");
    stopped.map(|()| report)
}

// ANCHOR_END: serve_then_drain

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser, Debug)]
    struct Args {
        #[command(flatten)]
        drain: DrainArgs,
    }

    #[test]
    fn the_option_defaults_to_the_default_deadline() {
        let args = Args::try_parse_from(["server"]).unwrap();
        assert_eq!(args.drain.drain_timeout, DRAIN_TIMEOUT);
    }

    #[test]
    fn a_bad_duration_is_a_clear_error() {
        let args = Args::try_parse_from(["server", "--drain-timeout", "3s"]).unwrap();
        assert_eq!(args.drain.drain_timeout, Duration::from_secs(3));
        for bad in ["3", "s", "3 lightyears", "-1s", ""] {
            let option = format!("--drain-timeout={bad}");
            let error = Args::try_parse_from(["server", option.as_str()]).unwrap_err();
            assert!(
                error.to_string().contains("drain-timeout"),
                "{bad}: {error}"
            );
        }
    }

    #[test]
    fn a_notice_wakes_every_waiter_once_and_stays_started() {
        let notice = Notice::new();
        let (counter, waker) = testkit::wakers::Counting::new();
        let mut cx = Context::from_waker(&waker);
        let mut first = pin!(notice.started());
        let mut second = pin!(notice.started());
        assert!(first.as_mut().poll(&mut cx).is_pending());
        assert!(second.as_mut().poll(&mut cx).is_pending());
        notice.start();
        assert_eq!(counter.get(), 2);
        assert!(first.as_mut().poll(&mut cx).is_ready());
        assert!(second.as_mut().poll(&mut cx).is_ready());
        // Started for good: a new waiter is ready at once.
        assert!(pin!(notice.started()).poll(&mut cx).is_ready());
    }

    #[test]
    fn a_dropped_waiter_leaves_no_waker_behind() {
        let notice = Notice::new();
        let (counter, waker) = testkit::wakers::Counting::new();
        let mut cx = Context::from_waker(&waker);
        {
            let mut gone = pin!(notice.started());
            assert!(gone.as_mut().poll(&mut cx).is_pending());
        }
        assert!(notice.inner.lock().is_empty());
        notice.start();
        assert_eq!(counter.get(), 0);
    }
}
