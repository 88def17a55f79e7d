//! A spawned task is one heap allocation: its future, its state, its join
//! slot and the waiter of its `JoinHandle` live in one block. This test
//! binary installs a counting allocator of its own, so it counts exactly the
//! allocations `spawn` makes.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use executor::{Runtime, spawn, yield_now};

/// Counts the allocations of the threads that switched counting on.
struct CountingAlloc;

thread_local! {
    /// Whether this thread counts (another test's thread must not).
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

fn count() {
    if COUNTING.with(Cell::get) {
        ALLOCATIONS.with(|n| n.set(n.get() + 1));
    }
}

// SAFETY: forwards every call to `System` unchanged; it only counts, in
// thread-locals that need no allocation (const-initialised `Cell`s).
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: the caller keeps `GlobalAlloc::alloc`'s contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller keeps `GlobalAlloc::dealloc`'s contract.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: as for `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // A growing queue or task list counts too: it is an allocation
        // that this spawn caused.
        count();
        // SAFETY: the caller keeps `GlobalAlloc::realloc`'s contract.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: CountingAlloc = CountingAlloc;

/// The allocations `f` makes on this thread.
fn allocations_of<T>(f: impl FnOnce() -> T) -> (T, usize) {
    ALLOCATIONS.with(|n| n.set(0));
    COUNTING.with(|on| on.set(true));
    let value = f();
    COUNTING.with(|on| on.set(false));
    (value, ALLOCATIONS.with(Cell::get))
}

// ANCHOR: one_allocation
#[test]
fn spawning_a_task_is_one_allocation() {
    const TASKS: usize = 8;
    let counts = testkit::within("one allocation per spawn", || {
        let mut runtime = Runtime::new();
        runtime.block_on(async {
            // Warm up: the run queue and the task list grow to hold
            // TASKS tasks, and keep that capacity when they are done.
            let warm: Vec<_> = (0..TASKS).map(|i| spawn(async move { i })).collect();
            for handle in warm {
                handle.await.unwrap();
            }
            // Now each spawn allocates only what is new: the task.
            let mut counts = Vec::new();
            let mut handles = Vec::new();
            for i in 0..TASKS {
                let (handle, allocations) = allocations_of(|| spawn(async move { i }));
                counts.push(allocations);
                handles.push(handle);
            }
            yield_now().await;
            for (i, handle) in handles.into_iter().enumerate() {
                assert_eq!(handle.await.unwrap(), i);
            }
            counts
        })
    });
    assert_eq!(
        counts,
        vec![1; TASKS],
        "heap allocations per spawn: the future, its state and its join slot \
         belong in one block"
    );
}
// ANCHOR_END: one_allocation
