//! The chapter's demo: an `async fn` and its hand-written twin, polled by
//! chapter 1's `block_on`, with the hand-written machine's state transitions,
//! the sizes the two futures take, which futures are `Unpin`, and what
//! dropping a future in each state drops.
//!
//! Run it with `cargo run -p pin`. The output is deterministic (the book
//! includes a captured run, and a test compares it with a fresh one).

use std::future::Future;
use std::mem::{size_of, size_of_val};
use std::pin::{Pin, pin};
use std::task::{Context, Waker};

use pin::sum::{sum_two_block, sum_two_unborrowed};
use pin::{Log, Map, MapLite, SelfRef, Step, SumTwo, is_unpin, sum_two};

fn main() {
    run_both();
    sizes();
    unpin();
    self_ref();
    cancel();
}

fn print_log(log: &Log) {
    for entry in log.entries() {
        println!("{entry}");
    }
}

// ANCHOR: scene_run
/// Scenes 1 and 2: both versions, run to completion by `block_on`.
fn run_both() {
    println!("== 1. the async fn, run by block_on ==");
    let log = Log::new();
    let sum = waker::block_on(sum_two(log.clone()));
    print_log(&log);
    println!("sum_two returned {sum}\n");
    let compiled = log.leaf_trace();

    println!("== 2. the hand-written state machine, run by block_on ==");
    let log = Log::new();
    let sum = waker::block_on(SumTwo::new(log.clone()));
    print_log(&log);
    println!("SumTwo returned {sum}");
    println!(
        "same leaf trace as the async fn: {}\n",
        log.leaf_trace() == compiled
    );
}
// ANCHOR_END: scene_run

// ANCHOR: scene_sizes
/// Scene 3: how big each future is, and the parts it is made of.
fn sizes() {
    println!("== 3. sizes, in bytes ==");
    println!("as laid out by {}", pin::RUSTC_VERSION);
    let log = Log::new();
    let compiled = sum_two(log.clone());
    println!(
        "size_of_val(&sum_two(log))            = {}",
        size_of_val(&compiled)
    );
    let block = sum_two_block(log.clone());
    println!(
        "size_of_val(&sum_two_block(log))      = {}",
        size_of_val(&block)
    );
    let unborrowed = sum_two_unborrowed(log.clone());
    println!(
        "size_of_val(&sum_two_unborrowed(log)) = {}",
        size_of_val(&unborrowed)
    );
    println!(
        "size_of::<SumTwo>()                   = {}",
        size_of::<SumTwo>()
    );
    println!(
        "the parts: Step {}, Log {}, [u32; 3] {}, u32 {}, &[u32] {}\n",
        size_of::<Step>(),
        size_of::<Log>(),
        size_of::<[u32; 3]>(),
        size_of::<u32>(),
        size_of::<&[u32]>(),
    );
}
// ANCHOR_END: scene_sizes

// ANCHOR: scene_unpin
/// Scene 4: which of the chapter's futures are `Unpin`.
fn unpin() {
    println!("== 4. which futures are Unpin ==");
    let log = Log::new();
    let step = Step::new("a", 1, &log);
    println!("Step:                    {}", is_unpin!(step));
    println!(
        "SumTwo:                  {}",
        is_unpin!(SumTwo::new(log.clone()))
    );
    println!(
        "sum_two(log):            {}",
        is_unpin!(sum_two(log.clone()))
    );
    println!("async {{}}:                {}", is_unpin!(async {}));
    println!(
        "SelfRef:                 {}",
        is_unpin!(SelfRef::new([1, 2, 3]))
    );
    println!(
        "Box::pin(SelfRef):       {}",
        is_unpin!(Box::pin(SelfRef::new([1, 2, 3])))
    );
    let double = |x: u32| x * 2;
    println!(
        "Map<Step, _>:            {}",
        is_unpin!(Map::new(Step::new("m", 1, &log), double))
    );
    println!(
        "Map<SelfRef, _>:         {}",
        is_unpin!(Map::new(SelfRef::new([1, 2, 3]), double))
    );
    println!(
        "MapLite<Step, _>:        {}",
        is_unpin!(MapLite::new(Step::new("m", 1, &log), double))
    );
    println!(
        "MapLite<SelfRef, _>:     {}\n",
        is_unpin!(MapLite::new(SelfRef::new([1, 2, 3]), double))
    );
    log.clear();
}
// ANCHOR_END: scene_unpin

// ANCHOR: scene_selfref
/// Scene 5: the self-referential future, pinned on the heap and on the stack.
fn self_ref() {
    println!("== 5. a future that points into itself, pinned ==");
    let on_heap = waker::block_on(Box::pin(SelfRef::new([1, 2, 3])));
    let mut on_stack = pin!(SelfRef::new([4, 5, 6]));
    let on_stack = waker::block_on(on_stack.as_mut());
    println!("Box::pin: {on_heap}, pin!: {on_stack}\n");
}
// ANCHOR_END: scene_selfref

// ANCHOR: scene_cancel
/// Scene 6: poll each version `polls` times, then drop it: what gets dropped
/// is what the state it was suspended in holds.
fn cancel() {
    println!("== 6. dropping a future cancels it ==");
    for polls in 0..3 {
        let compiled = dropped_after(polls, sum_two);
        let by_hand = dropped_after(polls, SumTwo::new);
        println!(
            "dropped after {polls} poll(s): async fn drops {compiled:?}, SumTwo drops {by_hand:?}"
        );
    }
}

/// What the future logs while it is dropped after `polls` polls.
fn dropped_after<F: Future>(polls: usize, make: impl FnOnce(Log) -> F) -> Vec<String> {
    let log = Log::new();
    let mut future = Box::pin(make(log.clone()));
    let mut cx = Context::from_waker(Waker::noop());
    for _ in 0..polls {
        assert!(future.as_mut().poll(&mut cx).is_pending());
    }
    log.clear();
    drop::<Pin<Box<F>>>(future);
    log.leaf_trace()
}
// ANCHOR_END: scene_cancel
