//! `abort` from another thread, racing the executor's run of the same task:
//! bounded stress, next to the loom model that proves it
//! (`tests/loom_task_state.rs`).

mod common;

use std::sync::{Arc, Barrier};
use std::thread;

use common::{spawn_waiting, wake};
use executor::{Runtime, yield_now};

/// Rounds of the race; each is one runtime, one task, one thread.
const ROUNDS: usize = if cfg!(miri) { 5 } else { 2_000 };

// ANCHOR: abort_race
#[test]
fn an_abort_racing_a_run_is_never_lost() {
    testkit::within("abort racing run", || {
        let mut lost = 0;
        for _ in 0..ROUNDS {
            let mut runtime = Runtime::new();
            let waiting = spawn_waiting(&mut runtime);
            let start = Arc::new(Barrier::new(2));
            let task = waiting.task;
            let aborter = {
                let start = start.clone();
                thread::spawn(move || {
                    start.wait();
                    task.abort();
                    task
                })
            };
            // Queue the task and run it while the other thread aborts it.
            start.wait();
            wake(&waiting.slot);
            runtime.block_on(yield_now());
            let task = aborter.join().unwrap();
            // `abort` has returned: the executor must now end the task
            // without waiting for anything else.
            runtime.block_on(async {
                for _ in 0..3 {
                    yield_now().await;
                }
            });
            if !task.is_finished() {
                lost += 1;
            }
        }
        assert_eq!(lost, 0, "{lost} of {ROUNDS} aborts were lost");
    });
}
// ANCHOR_END: abort_race
