//! Exercise 7.3: `debounce` returns the last event of a burst, once the
//! source has been quiet long enough.

use std::collections::VecDeque;
use std::future::{Future, poll_fn};
use std::pin::{Pin, pin};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use timers::exercises::debounce::debounce;
use timers::{Runtime, sleep_until};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

type Next = Pin<Box<dyn Future<Output = Option<u32>> + Send>>;

/// A source of events: event `i` arrives `at[i]` after `start`. After the
/// last one it stays silent forever, or ends, as `then_end` says. Dropping a
/// pending `next()` loses nothing: the event is still delivered by the
/// next call.
fn source(start: Instant, at: &[u64], then_end: bool) -> impl FnMut() -> Next {
    source_and_queue(start, at, then_end).0
}

/// The events not yet delivered.
type Queue = Arc<Mutex<VecDeque<(u32, Instant)>>>;

/// [`source`], and its queue of events not yet delivered, to look at.
fn source_and_queue(start: Instant, at: &[u64], then_end: bool) -> (impl FnMut() -> Next, Queue) {
    let events: Queue = Arc::new(Mutex::new(
        at.iter()
            .enumerate()
            .map(|(i, &t)| (i as u32, start + ms(t)))
            .collect(),
    ));
    let queue = events.clone();
    let next = move || {
        let events = events.clone();
        Box::pin(async move {
            let front = events.lock().unwrap().front().copied();
            match front {
                Some((event, when)) => {
                    sleep_until(when).await;
                    events.lock().unwrap().pop_front();
                    Some(event)
                }
                None if then_end => None,
                None => std::future::pending().await,
            }
        }) as Next
    };
    (next, queue)
}

#[test]
fn a_burst_becomes_its_last_event_after_the_quiet_period() {
    testkit::within("debounce burst", || {
        let mut rt = Runtime::new().unwrap();
        let start = Instant::now();
        // Four events 10 ms apart, then a pause; a quiet period of 30 ms.
        let events = source(start, &[20, 30, 40, 50, 200], false);
        let latest = rt.block_on(debounce(ms(30), events));
        let elapsed = start.elapsed();
        assert_eq!(latest, Some(3), "not the last event of the burst");
        // Event 3 came at 50 ms: quiet until 80 ms, and no later than 200.
        assert!(elapsed >= ms(80), "returned after only {elapsed:?}");
        // (Waiting into the next burst, at 200 ms, would return event 4:
        // the first assertion says it did not, whatever the machine's load.)
        assert_eq!(rt.timers().pending(), 0, "a timer was left behind");
    })
}

#[test]
fn the_first_event_may_take_longer_than_the_quiet_period() {
    testkit::within("debounce slow start", || {
        let mut rt = Runtime::new().unwrap();
        let start = Instant::now();
        let latest = rt.block_on(debounce(ms(20), source(start, &[60], false)));
        assert_eq!(latest, Some(0));
        assert!(start.elapsed() >= ms(80), "{:?}", start.elapsed());
    })
}

#[test]
fn an_ending_source_returns_its_latest_event_at_once() {
    testkit::within("debounce end", || {
        let mut rt = Runtime::new().unwrap();
        let start = Instant::now();
        let (events, queue) = source_and_queue(start, &[10, 20], true);
        let mut debouncing = pin!(debounce(ms(500), events));
        // Once both events are delivered the source has ended: the next call
        // returns `None` at once, so `debounce` has nothing left to wait for.
        let mut waited_after_the_end = 0;
        let latest = rt.block_on(poll_fn(|cx| {
            let poll = debouncing.as_mut().poll(cx);
            if poll.is_pending() && queue.lock().unwrap().is_empty() {
                waited_after_the_end += 1;
            }
            poll
        }));
        assert_eq!(latest, Some(1));
        assert_eq!(
            waited_after_the_end, 0,
            "waited out the quiet period after the source ended"
        );
        let none = rt.block_on(debounce(ms(500), source(Instant::now(), &[], true)));
        assert_eq!(none, None);
    })
}
