//! `cargo run -p timers`: sleeps, a timeout and an interval, on one thread.
//!
//! Each line starts with the time since the program started, cut down to a
//! multiple of 10 ms (timers fire a little after their deadline, never
//! before, so the cut hides the lateness and the lines read the same on
//! every run). A test compares the lines, without their times, with
//! `output/demo.txt`, and checks that the times never go backwards.

use std::io;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use timers::{Runtime, interval, sleep, spawn, timeout};

static START: OnceLock<Instant> = OnceLock::new();

fn say(who: &str, what: impl std::fmt::Display) {
    let ms = START.get_or_init(Instant::now).elapsed().as_millis() / 10 * 10;
    println!("{ms:>4} ms | {who:<8} | {what}");
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// Something slow to wait for: answers after `delay`.
async fn query(delay: Duration) -> &'static str {
    sleep(delay).await;
    "42"
}

fn main() -> io::Result<()> {
    let mut rt = Runtime::new()?;
    let timers = rt.timers().clone();
    say("main", "start");
    rt.block_on(async {
        // ANCHOR: demo_sleeps
        say("main", "spawn sleepers for 30, 10 and 20 ms");
        let sleepers: Vec<_> = [30, 10, 20]
            .into_iter()
            .map(|n| {
                spawn(async move {
                    sleep(ms(n)).await;
                    say("sleeper", format_args!("{n} ms are up"));
                })
            })
            .collect();
        for sleeper in sleepers {
            sleeper.await.expect("a sleeper panicked");
        }
        // ANCHOR_END: demo_sleeps

        // ANCHOR: demo_timeout
        say("main", "timeout(50 ms, a query that takes 80 ms)");
        match timeout(ms(50), query(ms(80))).await {
            Ok(answer) => say("main", format_args!("answer: {answer}")),
            Err(elapsed) => say("main", format_args!("gave up: {elapsed}")),
        }
        say("main", "timeout(50 ms, a query that takes 20 ms)");
        match timeout(ms(50), query(ms(20))).await {
            Ok(answer) => say("main", format_args!("answer: {answer}")),
            Err(elapsed) => say("main", format_args!("gave up: {elapsed}")),
        }
        say(
            "main",
            format_args!("timers left in the store: {}", timers.pending()),
        );
        // ANCHOR_END: demo_timeout

        // ANCHOR: demo_interval
        say("main", "sleep(30 ms) then 10 ms of work, 4 times:");
        for n in 1..=4 {
            sleep(ms(30)).await;
            say("loop", format_args!("tick {n}"));
            sleep(ms(10)).await; // the work
        }
        say("main", "interval(30 ms) with the same work, 4 ticks:");
        let mut ticks = interval(ms(30));
        for n in 1..=4 {
            ticks.tick().await;
            say("interval", format_args!("tick {n}"));
            sleep(ms(10)).await; // the work
        }
        // ANCHOR_END: demo_interval
    });
    say("main", "done");
    Ok(())
}
