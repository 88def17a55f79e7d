//! `spawn`: from inside tasks, from other threads, and by the hundred thousand.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use executor::{JoinHandle, Runtime, spawn, yield_now};

// ANCHOR: spawn_inside
/// Spawns a chain: each task spawns the next one and awaits it.
fn chain(depth: u32) -> JoinHandle<u32> {
    spawn(async move {
        if depth == 0 {
            return 0;
        }
        let below = chain(depth - 1).await.expect("no panic below");
        below + 1
    })
}

#[test]
fn spawn_from_inside_a_task() {
    testkit::within("spawn inside", || {
        let mut runtime = Runtime::new();
        let depth = runtime.block_on(async { chain(50).await });
        assert_eq!(depth.unwrap(), 50);
        assert_eq!(runtime.handle().live_tasks(), 0);
    });
}
// ANCHOR_END: spawn_inside

#[test]
fn spawn_through_a_handle_from_another_thread() {
    testkit::within("spawn from a thread", || {
        let mut runtime = Runtime::new();
        let handle = runtime.handle();
        let task = std::thread::spawn(move || handle.spawn(async { 6 * 7 }))
            .join()
            .unwrap();
        assert_eq!(runtime.block_on(task).unwrap(), 42);
    });
}

#[test]
#[should_panic(expected = "no runtime on this thread")]
fn spawn_outside_a_runtime_panics_with_a_clear_message() {
    testkit::within("spawn outside", || {
        drop(spawn(async {}));
    });
}

// ANCHOR: many_tasks
#[test]
fn hundred_thousand_spawned_tasks_complete() {
    testkit::within("100,000 tasks", || {
        // A thousand under Miri, which interprets every step: the same
        // check, at a size it finishes in seconds.
        const TASKS: usize = if cfg!(miri) { 1_000 } else { 100_000 };
        let mut runtime = Runtime::new();
        let done = Arc::new(AtomicUsize::new(0));
        let sum = runtime.block_on({
            let done = done.clone();
            async move {
                let handles: Vec<_> = (0..TASKS)
                    .map(|i| {
                        let done = done.clone();
                        spawn(async move {
                            yield_now().await; // every task is queued twice
                            done.fetch_add(1, Ordering::Relaxed);
                            i
                        })
                    })
                    .collect();
                let mut sum = 0;
                for handle in handles {
                    sum += handle.await.expect("no task panics");
                }
                sum
            }
        });
        assert_eq!(done.load(Ordering::Relaxed), TASKS);
        assert_eq!(sum, TASKS * (TASKS - 1) / 2);
        assert_eq!(runtime.handle().live_tasks(), 0, "finished tasks are freed");
    });
}
// ANCHOR_END: many_tasks
