//! A loom model of the park-state protocol: no lost wake-up. An unpark that
//! races a park, in any interleaving loom can make, either keeps the
//! driver from sleeping or wakes it.
//!
//! It compiles the executor's real protocol, `src/park_state.rs`, with
//! loom's atomics (through `src/sync.rs`); the stand-ins are the run queue
//! (a loom `Mutex`, as `Shared::push` has) and the OS wait with its
//! `eventfd` (a loom `Notify`: `wait` blocks until `notify`, a `notify`
//! that comes first is kept, as an `eventfd`'s counter keeps a write, and
//! `wait` may also return spuriously, as `epoll_wait` may). A lost wake-up leaves the driver blocked in `wait` with every
//! other thread finished, which loom reports as a deadlock. Run it with
//!
//! ```text
//! RUSTFLAGS="--cfg loom" LOOM_MAX_PREEMPTIONS=3 \
//!     cargo test -p executor --release --test loom_park_state
//! ```
#![cfg(loom)]

#[allow(dead_code)] // the model uses only part of the shim
#[path = "../src/sync.rs"]
mod sync;

#[path = "../src/park_state.rs"]
mod park_state;

use std::time::Duration;

use loom::sync::atomic::{AtomicUsize, Ordering};
use loom::sync::{Arc, Mutex, Notify};
use loom::thread;

use park_state::ParkState;

/// A driver as the executor and the reactor see it: a run queue, the
/// park state, and an OS wait that only a "system call" ends.
struct Model {
    queue: Mutex<usize>,
    state: ParkState,
    eventfd: Notify,
    /// How many unparks made the system call.
    syscalls: AtomicUsize,
}

impl Model {
    fn new() -> Arc<Model> {
        Arc::new(Model {
            queue: Mutex::new(0),
            state: ParkState::new(),
            eventfd: Notify::new(),
            syscalls: AtomicUsize::new(0),
        })
    }

    /// What `Shared::push` does: queue, unlock, then unpark (the reactor's
    /// and the ring's `unpark`: the system call only if `PARKED`).
    fn push(&self) {
        *self.queue.lock().unwrap() += 1;
        if self.state.unpark() {
            self.syscalls.fetch_add(1, Ordering::Relaxed);
            self.eventfd.notify();
        }
    }

    /// Chapter 10's submission: queue, then wake the driver only if it is
    /// parked (`nudge`: `is_parked`, then `unpark`).
    fn submit(&self) {
        *self.queue.lock().unwrap() += 1;
        if self.state.is_parked() && self.state.unpark() {
            self.syscalls.fetch_add(1, Ordering::Relaxed);
            self.eventfd.notify();
        }
    }

    /// Chapter 10's `turn`, until it has taken one submission:
    /// `before_wait`, take the queue, then wait (if it committed to it and
    /// found nothing), then `set_running`.
    fn run_ring(&self) {
        loop {
            let timeout = self.state.before_wait(None);
            let taken = std::mem::take(&mut *self.queue.lock().unwrap());
            if taken == 0 && timeout.is_none() {
                self.eventfd.wait();
            }
            self.state.set_running();
            if taken > 0 {
                return;
            }
        }
    }

    /// What `block_on` does until it has run `tasks` tasks: take what is
    /// queued, and park (wait with no timeout) when nothing is. The park is
    /// the reactor's `turn`: `before_wait`, the OS wait, `set_running`.
    fn run(&self, tasks: usize) {
        let mut ran = 0;
        while ran < tasks {
            let queued = std::mem::take(&mut *self.queue.lock().unwrap());
            if queued > 0 {
                ran += queued;
                continue;
            }
            match self.state.before_wait(None) {
                // Committed to the wait: only an unpark's system call ends
                // it. If that unpark was lost, this blocks for ever.
                None => self.eventfd.wait(),
                // NOTIFIED: collect events without sleeping.
                Some(timeout) => assert_eq!(timeout, Duration::ZERO),
            }
            self.state.set_running();
        }
    }
}

/// Runs `f` on a new loom thread with its own reference to `model`.
fn on_thread(model: &Arc<Model>, f: fn(&Model)) -> thread::JoinHandle<()> {
    let model = model.clone();
    thread::spawn(move || f(&model))
}

#[test]
fn an_unpark_racing_a_park_is_never_lost() {
    loom::model(|| {
        let model = Model::new();
        let waker = on_thread(&model, Model::push);
        model.run(1);
        waker.join().unwrap();
    });
}

#[test]
fn two_unparks_from_two_threads_are_never_lost() {
    loom::model(|| {
        let model = Model::new();
        let wakers: Vec<_> = (0..2).map(|_| on_thread(&model, Model::push)).collect();
        model.run(2);
        for waker in wakers {
            waker.join().unwrap();
        }
    });
}

#[test]
fn an_unpark_while_running_makes_no_system_call() {
    loom::model(|| {
        let model = Model::new();
        // The driver's own thread wakes a task while it runs (a dispatch
        // waking tasks): the state is RUNNING, so no system call, and the
        // NOTIFIED left behind keeps the next park from sleeping.
        model.push();
        assert_eq!(model.syscalls.load(Ordering::Relaxed), 0);
        assert_eq!(model.state.before_wait(None), Some(Duration::ZERO));
        model.state.set_running();
        // Back to RUNNING: the next park commits to the wait.
        assert_eq!(model.state.before_wait(None), None);
        assert!(model.state.is_parked());
        model.state.set_running();
        // A zero timeout never sleeps, so it commits to nothing.
        assert_eq!(
            model.state.before_wait(Some(Duration::ZERO)),
            Some(Duration::ZERO)
        );
        assert!(!model.state.is_parked());
    });
}

/// Chapter 10's variant: a submission wakes the driver only if it is
/// parked, because the running driver takes the queued submissions
/// itself, after `before_wait` and before it enters the kernel. A
/// submission that slips in after that take must then find `PARKED`.
#[test]
fn a_submission_racing_a_park_is_never_lost() {
    loom::model(|| {
        let model = Model::new();
        let submitter = on_thread(&model, Model::submit);
        model.run_ring();
        submitter.join().unwrap();
    });
}
