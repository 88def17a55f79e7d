//! The chapter's demo: watch `block_on` poll, park, get woken, and poll again.
//!
//! Run it with `cargo run -p waker`. Every line is tagged with the thread
//! that printed it. The output is deterministic (the book includes a captured
//! run, and a test compares it with a fresh one): each scene orders its
//! threads either by a long enough sleep or by joining the other thread.

use std::future;
use std::task::Poll;
use std::thread;
use std::time::{Duration, Instant};

use waker::trace::Trace;
use waker::{Delay, Parker, block_on};

fn main() {
    two_delays();
    wake_during_poll();
    spurious_unparks();
}

// ANCHOR: scene_delays
/// Scene 1: an `async` block awaits two `Delay`s. Each `Pending` parks the
/// main thread; each timer thread's wake unparks it for the next poll.
fn two_delays() {
    println!("== 1. block_on drives an async block that awaits two Delays ==");
    let future = Trace::new(async {
        Delay::new(Duration::from_millis(100)).await;
        Delay::new(Duration::from_millis(100)).await;
        42
    });
    let stats = future.stats();
    let answer = block_on(future);
    println!(
        "block_on returned {answer} after {} polls and {} wakes\n",
        stats.polls(),
        stats.wakes()
    );
}
// ANCHOR_END: scene_delays

// ANCHOR: scene_early_wake
/// Scene 2: the wake comes from another thread *while the future is being
/// polled*, before `block_on` gets to park. The parker remembers it, so the
/// park returns at once and the second poll follows immediately.
fn wake_during_poll() {
    println!("== 2. a wake that arrives before block_on parks is not lost ==");
    let mut woken = false;
    let future = Trace::new(future::poll_fn(move |cx| {
        if woken {
            return Poll::Ready("done");
        }
        woken = true;
        let waker = cx.waker().clone();
        // Joined before we return `Pending`: the wake has certainly happened
        // by the time `block_on` parks.
        thread::Builder::new()
            .name("helper".into())
            .spawn(move || waker.wake())
            .expect("spawn helper")
            .join()
            .expect("helper thread");
        Poll::Pending
    }));
    let stats = future.stats();
    let output = block_on(future);
    println!(
        "block_on returned {output:?} after {} polls and {} wake\n",
        stats.polls(),
        stats.wakes()
    );
}
// ANCHOR_END: scene_early_wake

// ANCHOR: scene_spurious
/// Scene 3: the parker on its own. A hundred raw `Thread::unpark` calls (what
/// a spurious wakeup looks like to `park`) do not end a park; one
/// `Unparker::unpark` does, even when it comes before the park.
fn spurious_unparks() {
    println!("== 3. spurious unparks do not end a park; a real one does ==");
    let parker = Parker::new();
    let main_thread = thread::current();
    let pest = thread::spawn(move || {
        for _ in 0..100 {
            main_thread.unpark();
            thread::sleep(Duration::from_millis(1));
        }
    });
    let notified = parker.park_timeout(Duration::from_millis(300));
    pest.join().expect("unparking thread");
    println!("park_timeout(300ms) during 100 raw Thread::unpark calls: notified = {notified}");

    parker.unparker().unpark();
    let start = Instant::now();
    let notified = parker.park_timeout(Duration::from_secs(5));
    let at_once = start.elapsed() < Duration::from_secs(1);
    println!(
        "Unparker::unpark, then park_timeout(5s): notified = {notified}, returned at once = {at_once}"
    );
}
// ANCHOR_END: scene_spurious
