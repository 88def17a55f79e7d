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
        let registered_late = rt.block_on(async {
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
            let mut late = 0;
            for task in tasks {
                late += usize::from(task.await.unwrap());
            }
            late
        });
        // The premise: every sleep was waiting before the first deadline.
        assert_eq!(registered_late, 0, "tasks started after their deadline");
        let completed = completed.lock().unwrap();
        assert_eq!(completed.len(), SLEEPS);
        for pair in completed.windows(2) {
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
