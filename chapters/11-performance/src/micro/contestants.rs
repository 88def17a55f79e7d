//! The runtimes in the race, each behind [`Rt`], and the measurement of
//! one of them on one benchmark (what a child process of `micro-bench`
//! does).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
use std::time::{Duration, Instant};

use async_executor::LocalExecutor;
use serde::{Deserialize, Serialize};

use super::workload::{Bench, Rt, Size, Tally};

/// Who runs. `tokio-again` and `smol-again` are second copies of the
/// peers, in the same run: how far apart identical runtimes land is the
/// noise band.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Contestant {
    /// Chapter 4's `reactor::Runtime`: the executor parked on the reactor.
    Ours,
    /// Chapter 3's `executor::Runtime`, parked on a thread parker.
    Executor,
    /// tokio's `current_thread` runtime, with its I/O driver.
    Tokio,
    /// smol's `async_executor::LocalExecutor`, driven by
    /// `futures_lite::future::block_on`.
    Smol,
    TokioAgain,
    SmolAgain,
}

impl Contestant {
    /// One round, in this order.
    pub const ALL: [Contestant; 6] = [
        Contestant::Ours,
        Contestant::Executor,
        Contestant::Tokio,
        Contestant::Smol,
        Contestant::TokioAgain,
        Contestant::SmolAgain,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Contestant::Ours => "ours",
            Contestant::Executor => "executor",
            Contestant::Tokio => "tokio",
            Contestant::Smol => "smol",
            Contestant::TokioAgain => "tokio-again",
            Contestant::SmolAgain => "smol-again",
        }
    }

    /// Runs `bench` once on a fresh runtime of this kind, and checks that
    /// all of its work was done.
    pub fn run_once(self, bench: Bench, size: Size) -> anyhow::Result<Tally> {
        self.with_runtime(|rt| rt.once(bench, size))?
    }

    /// What a child process does: on one fresh runtime, one warm-up run,
    /// then timed runs (each checked) until `budget` is spent (at least
    /// [`MIN_RUNS`]), then one more run with `allocations` counting.
    pub fn measure(
        self,
        bench: Bench,
        size: Size,
        budget: Duration,
        allocations: &CountingAlloc,
    ) -> anyhow::Result<Sample> {
        self.with_runtime(|rt| rt.measure(bench, size, budget, allocations))?
    }

    fn with_runtime<T>(self, body: impl FnOnce(&mut dyn Runner) -> T) -> anyhow::Result<T> {
        Ok(match self {
            Contestant::Ours => body(&mut Ours(reactor::Runtime::new()?)),
            Contestant::Executor => body(&mut Bare(executor::Runtime::new())),
            Contestant::Tokio | Contestant::TokioAgain => body(&mut Tokio(
                tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()?,
            )),
            Contestant::Smol | Contestant::SmolAgain => {
                body(&mut Smol(Rc::new(LocalExecutor::new())))
            }
        })
    }
}

impl std::fmt::Display for Contestant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A child's figures: the median time of one run, and the allocations of
/// one run.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sample {
    pub median_nanos: f64,
    pub timed_runs: usize,
    pub allocations: u64,
    pub tally: Tally,
}

/// The fewest timed runs a sample is the median of.
pub const MIN_RUNS: usize = 5;

/// [`Rt`] is generic (its `spawn` takes any future), so it cannot be a
/// trait object; this is the object-safe part the measurement needs.
trait Runner {
    fn once(&mut self, bench: Bench, size: Size) -> anyhow::Result<Tally>;

    fn measure(
        &mut self,
        bench: Bench,
        size: Size,
        budget: Duration,
        allocations: &CountingAlloc,
    ) -> anyhow::Result<Sample> {
        self.once(bench, size)?; // warm-up: caches, the allocator's pools
        let start = Instant::now();
        let mut times = Vec::new();
        while times.len() < MIN_RUNS || start.elapsed() < budget {
            let run = Instant::now();
            self.once(bench, size)?;
            times.push(run.elapsed().as_nanos() as f64);
        }
        allocations.start();
        let tally = self.once(bench, size);
        let counted = allocations.stop();
        times.sort_by(f64::total_cmp);
        Ok(Sample {
            median_nanos: times[times.len() / 2],
            timed_runs: times.len(),
            allocations: counted,
            tally: tally?,
        })
    }
}

impl<R: Rt> Runner for R {
    fn once(&mut self, bench: Bench, size: Size) -> anyhow::Result<Tally> {
        bench.run_checked(self, size)
    }
}

// ANCHOR: contestants
/// The book's full runtime: `executor::spawn` finds it while it runs.
struct Ours(reactor::Runtime);

impl Rt for Ours {
    fn block_on<F: Future>(&mut self, future: F) -> F::Output {
        self.0.block_on(future)
    }

    fn spawn<F: Future<Output = ()> + Send + 'static>(future: F) {
        drop(executor::spawn(future));
    }
}

/// Chapter 3's executor alone.
struct Bare(executor::Runtime);

impl Rt for Bare {
    fn block_on<F: Future>(&mut self, future: F) -> F::Output {
        self.0.block_on(future)
    }

    fn spawn<F: Future<Output = ()> + Send + 'static>(future: F) {
        drop(executor::spawn(future));
    }
}

struct Tokio(tokio::runtime::Runtime);

impl Rt for Tokio {
    fn block_on<F: Future>(&mut self, future: F) -> F::Output {
        self.0.block_on(future)
    }

    fn spawn<F: Future<Output = ()> + Send + 'static>(future: F) {
        drop(tokio::spawn(future));
    }
}

/// smol's executor has no "current executor" of its own: a task reaches it
/// through this thread-local, set while `block_on` runs.
struct Smol(Rc<LocalExecutor<'static>>);

thread_local! {
    static SMOL: RefCell<Option<Rc<LocalExecutor<'static>>>> = const { RefCell::new(None) };
}

impl Rt for Smol {
    fn block_on<F: Future>(&mut self, future: F) -> F::Output {
        SMOL.with(|current| *current.borrow_mut() = Some(self.0.clone()));
        let output = futures_lite::future::block_on(self.0.run(future));
        SMOL.with(|current| current.borrow_mut().take());
        output
    }

    fn spawn<F: Future<Output = ()> + Send + 'static>(future: F) {
        SMOL.with(|current| {
            let current = current.borrow();
            let executor = current.as_ref().expect("spawn inside Smol::block_on");
            // A smol `Task` cancels its future when dropped: detach it.
            executor.spawn(future).detach();
        });
    }
}
// ANCHOR_END: contestants

// ANCHOR: counting_alloc
/// The system allocator, counting allocations while switched on. The
/// benchmark binary installs it as its `#[global_allocator]`; it counts
/// only in the one run after the timed ones, so the count costs the timed
/// runs one relaxed load per allocation, and every contestant the same.
#[derive(Debug)]
pub struct CountingAlloc {
    on: AtomicBool,
    count: AtomicU64,
}

impl CountingAlloc {
    pub const fn new() -> CountingAlloc {
        CountingAlloc {
            on: AtomicBool::new(false),
            count: AtomicU64::new(0),
        }
    }

    fn start(&self) {
        self.count.store(0, Relaxed);
        self.on.store(true, Relaxed);
    }

    fn stop(&self) -> u64 {
        self.on.store(false, Relaxed);
        self.count.load(Relaxed)
    }
}

impl Default for CountingAlloc {
    fn default() -> Self {
        CountingAlloc::new()
    }
}

// SAFETY: every call is forwarded unchanged to `System`, which upholds
// `GlobalAlloc`'s contract; the counter neither allocates nor panics.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if self.on.load(Relaxed) {
            self.count.fetch_add(1, Relaxed);
        }
        // SAFETY: the caller's contract for `alloc` is passed on as is.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System` (every allocation goes there).
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if self.on.load(Relaxed) {
            self.count.fetch_add(1, Relaxed);
        }
        // SAFETY: as for `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if self.on.load(Relaxed) {
            self.count.fetch_add(1, Relaxed);
        }
        // SAFETY: `ptr` came from `System`; the rest of the caller's
        // contract is passed on as is.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}
// ANCHOR_END: counting_alloc
