//! Helpers for the timer tests: a thread's CPU time, and lateness figures.
// Each test file uses a different subset of these helpers.
#![allow(dead_code)]

use std::time::{Duration, Instant};

/// CPU time the calling thread has used so far (user + system), read from
/// the kernel's per-thread clock. The runtime runs on the test's thread, so
/// this measures the runtime alone, not the test harness or other tests.
pub fn thread_cpu_time() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable `timespec`, and
    // CLOCK_THREAD_CPUTIME_ID is a clock every Linux and macOS kernel has.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// Runs `body` and returns its result, the wall time and the CPU time this
/// thread spent in it.
pub fn measure<T>(body: impl FnOnce() -> T) -> (T, Duration, Duration) {
    let wall = Instant::now();
    let cpu = thread_cpu_time();
    let result = body();
    (result, wall.elapsed(), thread_cpu_time() - cpu)
}

/// The median of some durations.
pub fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values[values.len() / 2]
}
