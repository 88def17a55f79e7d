//! The four benchmark bodies, written once for every runtime.
//!
//! Their shapes are those of tokio's scheduler benchmarks
//! (`benches/rt_multi_threaded.rs` in tokio's repository), run here on one
//! thread: spawned tasks are detached, and the last one to finish tells
//! the main future through a oneshot channel (tokio's main thread blocks on
//! a `std` channel instead, which a single thread cannot do). Everything the bodies
//! use besides `spawn` is runtime-neutral (the `futures` crate's oneshot,
//! a hand-written yield), so a difference between two contestants is a
//! difference between their schedulers. Every task counts what it did in
//! [`Counts`], and every run is checked against [`Bench::expected`]: a
//! benchmark that skipped work would look fast.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use futures::channel::oneshot;
use serde::{Deserialize, Serialize};

// ANCHOR: rt
/// What a benchmark needs of a runtime: run a main future on this thread,
/// and, from inside it, spawn a detached task.
pub trait Rt {
    /// Runs `future` to completion, and the tasks it spawns meanwhile.
    fn block_on<F: Future>(&mut self, future: F) -> F::Output;

    /// Spawns `future` onto the runtime running on this thread, detached:
    /// nobody awaits its handle.
    fn spawn<F>(future: F)
    where
        F: Future<Output = ()> + Send + 'static;
}
// ANCHOR_END: rt

/// One of the four benchmarks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
#[value(rename_all = "snake_case")]
pub enum Bench {
    /// The main future spawns `n` tasks, each does nothing but finish.
    SpawnMany,
    /// `n` tasks each yield `k` times.
    YieldMany,
    /// `n` pairs of tasks, each pair bouncing one message there and back
    /// over two oneshot channels.
    PingPong,
    /// Each task spawns the next, `n` deep.
    ChainedSpawn,
}

impl Bench {
    pub const ALL: [Bench; 4] = [
        Bench::SpawnMany,
        Bench::YieldMany,
        Bench::PingPong,
        Bench::ChainedSpawn,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Bench::SpawnMany => "spawn_many",
            Bench::YieldMany => "yield_many",
            Bench::PingPong => "ping_pong",
            Bench::ChainedSpawn => "chained_spawn",
        }
    }

    /// Tokio's sizes: 10 000 spawns; 200 tasks × 1 000 yields; 1 000 ping
    /// pongs; a chain 1 000 deep.
    pub fn default_size(self) -> Size {
        match self {
            Bench::SpawnMany => Size { n: 10_000, k: 1 },
            Bench::YieldMany => Size { n: 200, k: 1_000 },
            Bench::PingPong => Size { n: 1_000, k: 1 },
            Bench::ChainedSpawn => Size { n: 1_000, k: 1 },
        }
    }

    /// What a complete run of this benchmark must have counted.
    pub fn expected(self, size: Size) -> Tally {
        let Size { n, k } = size;
        match self {
            Bench::SpawnMany => Tally {
                spawned: n,
                finished: n,
                ..Tally::default()
            },
            Bench::YieldMany => Tally {
                spawned: n,
                finished: n,
                yields: n * k,
                ..Tally::default()
            },
            // One task spawns the pingers; each pinger spawns its ponger.
            Bench::PingPong => Tally {
                spawned: 1 + 2 * n,
                finished: 1 + 2 * n,
                pongs: n,
                ..Tally::default()
            },
            Bench::ChainedSpawn => Tally {
                spawned: n,
                finished: n,
                depth: n,
                ..Tally::default()
            },
        }
    }

    /// Runs the benchmark once on `rt` and returns what its tasks counted.
    pub fn run<R: Rt>(self, rt: &mut R, size: Size) -> Tally {
        let counts = Arc::new(Counts::default());
        let c = counts.clone();
        match self {
            Bench::SpawnMany => rt.block_on(spawn_many::<R>(c, size.n)),
            Bench::YieldMany => rt.block_on(yield_many::<R>(c, size.n, size.k)),
            Bench::PingPong => rt.block_on(ping_pong::<R>(c, size.n)),
            Bench::ChainedSpawn => rt.block_on(chained_spawn::<R>(c, size.n)),
        }
        counts.tally()
    }

    /// [`run`](Bench::run), then an error if any work is missing.
    pub fn run_checked<R: Rt>(self, rt: &mut R, size: Size) -> anyhow::Result<Tally> {
        let tally = self.run(rt, size);
        let expected = self.expected(size);
        anyhow::ensure!(
            tally == expected,
            "{}: the tasks counted {tally:?}, expected {expected:?}",
            self.name()
        );
        Ok(tally)
    }
}

impl std::fmt::Display for Bench {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// How big a run is: `n` tasks (or pairs, or links), and for `yield_many`
/// `k` yields per task.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Size {
    pub n: usize,
    pub k: usize,
}

/// What the tasks of one run did, counted as they did it.
#[derive(Debug, Default)]
pub struct Counts {
    spawned: AtomicUsize,
    finished: AtomicUsize,
    yields: AtomicUsize,
    pongs: AtomicUsize,
    depth: AtomicUsize,
}

/// [`Counts`], read once the run is over.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    /// Tasks spawned.
    pub spawned: usize,
    /// Tasks that ran to their end (each counts itself once, on its last
    /// line: a task polled again after finishing would panic, not count).
    pub finished: usize,
    /// Yields returned from, over all tasks.
    pub yields: usize,
    /// Pings answered.
    pub pongs: usize,
    /// Links of the chain that ran.
    pub depth: usize,
}

impl Counts {
    fn tally(&self) -> Tally {
        Tally {
            spawned: self.spawned.load(Relaxed),
            finished: self.finished.load(Relaxed),
            yields: self.yields.load(Relaxed),
            pongs: self.pongs.load(Relaxed),
            depth: self.depth.load(Relaxed),
        }
    }
}

/// Spawns `body` as a counted task.
fn spawn<R: Rt>(counts: &Arc<Counts>, body: impl Future<Output = ()> + Send + 'static) {
    counts.spawned.fetch_add(1, Relaxed);
    let counts = counts.clone();
    R::spawn(async move {
        body.await;
        counts.finished.fetch_add(1, Relaxed);
    });
}

/// Counts down from `n`; the last count-down sends on the channel the main
/// future waits on.
struct Latch {
    remaining: AtomicUsize,
    done: Mutex<Option<oneshot::Sender<()>>>,
}

impl Latch {
    fn new(n: usize) -> (Arc<Latch>, oneshot::Receiver<()>) {
        assert!(n > 0, "a latch of zero would never be released");
        let (tx, rx) = oneshot::channel();
        let latch = Latch {
            remaining: AtomicUsize::new(n),
            done: Mutex::new(Some(tx)),
        };
        (Arc::new(latch), rx)
    }

    fn count_down(&self) {
        if self.remaining.fetch_sub(1, Relaxed) == 1 {
            let tx = self.done.lock().unwrap().take();
            if let Some(tx) = tx {
                let _ = tx.send(());
            }
        }
    }
}

// ANCHOR: spawn_many
async fn spawn_many<R: Rt>(counts: Arc<Counts>, n: usize) {
    let (latch, done) = Latch::new(n);
    for _ in 0..n {
        let latch = latch.clone();
        spawn::<R>(&counts, async move { latch.count_down() });
    }
    done.await.expect("the last task sends");
}
// ANCHOR_END: spawn_many

/// Wakes itself and returns `Pending` once: the same yield for every
/// runtime (tokio's own `yield_now` defers its wake until the driver has
/// been polled, which would time a different thing).
struct YieldOnce(bool);

impl Future for YieldOnce {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            return Poll::Ready(());
        }
        self.0 = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

// ANCHOR: yield_many
async fn yield_many<R: Rt>(counts: Arc<Counts>, n: usize, k: usize) {
    let (latch, done) = Latch::new(n);
    for _ in 0..n {
        let (latch, counts_here) = (latch.clone(), counts.clone());
        spawn::<R>(&counts, async move {
            let mut yields = 0;
            for _ in 0..k {
                YieldOnce(false).await;
                yields += 1;
            }
            counts_here.yields.fetch_add(yields, Relaxed);
            latch.count_down();
        });
    }
    done.await.expect("the last task sends");
}
// ANCHOR_END: yield_many

// ANCHOR: ping_pong
async fn ping_pong<R: Rt>(counts: Arc<Counts>, n: usize) {
    let (latch, done) = Latch::new(n);
    let outer = counts.clone();
    spawn::<R>(&outer, async move {
        for _ in 0..n {
            let (latch, counts_here) = (latch.clone(), counts.clone());
            spawn::<R>(&counts, async move {
                let (ping, pinged) = oneshot::channel::<()>();
                let (pong, ponged) = oneshot::channel::<()>();
                spawn::<R>(&counts_here, async move {
                    pinged.await.expect("pinged");
                    pong.send(()).expect("the pinger waits");
                });
                ping.send(()).expect("the ponger waits");
                ponged.await.expect("ponged");
                counts_here.pongs.fetch_add(1, Relaxed);
                latch.count_down();
            });
        }
    });
    done.await.expect("the last pair sends");
}
// ANCHOR_END: ping_pong

// ANCHOR: chained_spawn
async fn chained_spawn<R: Rt>(counts: Arc<Counts>, n: usize) {
    fn link<R: Rt>(counts: Arc<Counts>, done: oneshot::Sender<()>, left: usize) {
        if left == 0 {
            let _ = done.send(());
            return;
        }
        let next = counts.clone();
        spawn::<R>(&counts, async move {
            next.depth.fetch_add(1, Relaxed);
            link::<R>(next, done, left - 1);
        });
    }
    let (tx, rx) = oneshot::channel();
    link::<R>(counts, tx, n);
    rx.await.expect("the last link sends");
}
// ANCHOR_END: chained_spawn
