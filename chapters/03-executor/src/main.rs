//! `cargo run -p executor`: several tasks on one thread, printing who runs
//! when, so you can watch the run queue at work.
//!
//! Everything here is deterministic: one thread, a first-in first-out queue,
//! and no timing. `tests/demo.rs` runs this binary and compares its output
//! with `output/demo.txt`, the capture shown in the book.

use std::panic;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

use executor::{JoinHandle, Runtime, spawn, yield_now};

/// Prints one numbered line: the number is the order in which things ran.
fn say(who: &str, what: &str) {
    static STEP: AtomicUsize = AtomicUsize::new(1);
    let step = STEP.fetch_add(1, Ordering::Relaxed);
    println!("{step:>3}  {who:<10} {what}");
}

// ANCHOR: counter
/// Counts to `steps`, yielding after each step so the others get a turn.
async fn counter(name: &'static str, steps: u32) -> u32 {
    for step in 1..=steps {
        say(name, &format!("step {step} of {steps}, then yield"));
        yield_now().await;
    }
    say(name, "done");
    steps
}
// ANCHOR_END: counter

// ANCHOR: parent
/// Spawns a task from inside a task, and waits for it.
async fn parent() -> u32 {
    say("parent", "spawns child and awaits its JoinHandle");
    let child = spawn(async {
        say("child", "runs, returns 40");
        40
    });
    let value = child.await.expect("the child does not panic");
    say(
        "parent",
        &format!("got {value} from child, returns {}", value + 2),
    );
    value + 2
}
// ANCHOR_END: parent

fn main() {
    // The default hook would print the doomed task's panic, with a file and
    // line, to stderr. The panic is not lost: it reaches the JoinHandle.
    panic::set_hook(Box::new(|_| {}));

    // ANCHOR: main
    let mut runtime = Runtime::new();

    // A Handle spawns from anywhere, here from another thread before the
    // runtime even runs: the task waits in the shared queue.
    let handle = runtime.handle();
    thread::spawn(move || {
        handle.spawn(async {
            say("remote", "spawned from another thread, runs after those");
        })
    })
    .join()
    .expect("the spawning thread does not panic");

    let mut forever: Option<JoinHandle<()>> = None;
    runtime.block_on(async {
        say("main", "spawns counter-a, counter-b, parent, doomed");
        let a = spawn(counter("counter-a", 3));
        let b = spawn(counter("counter-b", 2));
        let family = spawn(parent());
        let doomed = spawn(async {
            say("doomed", "panics");
            panic!("doomed gives up");
        });
        say("main", "awaits counter-a");
        let a = a.await.expect("counter-a does not panic");
        say("main", &format!("counter-a gave {a}; awaits the others"));
        let b = b.await.expect("counter-b does not panic");
        let family = family.await.expect("parent does not panic");
        say("main", &format!("counter-b gave {b}, parent gave {family}"));
        match doomed.await {
            Ok(()) => say("main", "doomed returned?!"),
            Err(error) => say("main", &format!("doomed's JoinHandle: Err({error})")),
        }
        say("main", "spawns forever, which never finishes, and returns");
        forever = Some(spawn(std::future::pending()));
    });

    let live = runtime.handle().live_tasks();
    say("after", &format!("block_on returned; live tasks: {live}"));
    drop(runtime);
    // Chapter 1's block_on can await a JoinHandle too: it is just a future.
    let forever = forever.expect("block_on ran to the end");
    match waker::block_on(forever) {
        Ok(()) => say("after", "forever finished?!"),
        Err(error) => say("after", &format!("runtime dropped; forever: Err({error})")),
    }
    // ANCHOR_END: main
}
