//! Many sleeps at once: every one completes, in deadline order.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use timers::{Runtime, sleep_until, spawn};

const SLEEPS: usize = 100_000;
/// The deadlines are spread over this window, in microsecond steps.
const SPREAD_MICROS: u64 = 200_000;
/// Time to spawn and first-poll every task before the first deadline.
const MARGIN: Duration = Duration::from_millis(1500);

// ANCHOR: order_test
#[test]
fn a_hundred_thousand_sleeps_complete_in_deadline_order() {
    testkit::watchdog("100k sleeps in order", Duration::from_secs(60), || {
        let mut rt = Runtime::new().unwrap();
        let timers = rt.timers().clone();
        let completed = Arc::new(Mutex::new(Vec::with_capacity(SLEEPS)));
        let base = Instant::now() + MARGIN;
        // A shuffle without a random crate: 104,729 is prime, so i -> offset
        // is one-to-one on 0..200,000 and the deadlines come in no order.
        let deadline =
            move |i: usize| base + Duration::from_micros((i as u64 * 104_729) % SPREAD_MICROS);
        let late = rt.block_on(async {
            let tasks: Vec<_> = (0..SLEEPS)
                .map(|i| {
                    let completed = completed.clone();
                    spawn(async move {
                        let late = Instant::now() >= deadline(i);
                        sleep_until(deadline(i)).await;
                        completed.lock().unwrap().push(i);
                        late
                    })
                })
                .collect();
            let mut late = Vec::with_capacity(SLEEPS);
            for task in tasks {
                late.push(task.await.unwrap());
            }
            late
        });
        let completed = completed.lock().unwrap();
        assert_eq!(completed.len(), SLEEPS);
        // A task first polled after its deadline (a busy machine can be that
        // slow to start a hundred thousand) completes at once, and says
        // nothing about the order: every other one must keep it.
        let in_time: Vec<usize> = completed.iter().copied().filter(|&i| !late[i]).collect();
        for pair in in_time.windows(2) {
            assert!(
                deadline(pair[0]) <= deadline(pair[1]),
                "sleep {} completed before sleep {}, whose deadline is earlier",
                pair[0],
                pair[1]
            );
        }
        assert_eq!(timers.pending(), 0);
    })
}
// ANCHOR_END: order_test
