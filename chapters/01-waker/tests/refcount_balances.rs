//! Every waker owns exactly one strong count of the `Arc` behind it, whatever
//! is done with it: cloned, woken by value, woken by reference, dropped, in
//! any order. One count too few is a use-after-free (caught by valgrind in
//! CI, or by a count that drops below the model here); one too many is a
//! leak (the count stays above the model, and the probe is never freed).
//!
//! The test tries every sequence of operations up to a length (6 by default,
//! `WAKER_SEQUENCE_LEN` to change it), on the oldest or the newest live
//! waker, and compares `Arc::strong_count` with a model after every step.

// ANCHOR: probe
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Wake, Waker};
use std::time::Duration;

use waker::raw_waker::{self, ArcWake};

/// What the wakers point at: counts its wakes, and reports its own drop.
struct Probe {
    wakes: AtomicUsize,
    dropped: Arc<AtomicUsize>,
}

impl ArcWake for Probe {
    fn wake_by_ref(self: &Arc<Self>) {
        self.wakes.fetch_add(1, Ordering::SeqCst);
    }
}

impl Wake for Probe {
    fn wake(self: Arc<Self>) {
        self.wakes.fetch_add(1, Ordering::SeqCst);
    }
}

impl Drop for Probe {
    fn drop(&mut self) {
        self.dropped.fetch_add(1, Ordering::SeqCst);
    }
}
// ANCHOR_END: probe

// ANCHOR: ops
#[derive(Debug, Clone, Copy)]
enum Op {
    Clone,
    Wake,
    WakeByRef,
    Drop,
}

/// Which of the live wakers an operation applies to.
#[derive(Debug, Clone, Copy)]
enum Which {
    Oldest,
    Newest,
}

/// Every sequence of `len` steps that never acts on a waker that does not
/// exist, starting from one live waker.
fn all_sequences(len: usize) -> Vec<Vec<(Op, Which)>> {
    fn extend(
        prefix: &mut Vec<(Op, Which)>,
        live: usize,
        len: usize,
        out: &mut Vec<Vec<(Op, Which)>>,
    ) {
        if prefix.len() == len || live == 0 {
            out.push(prefix.clone());
            return;
        }
        for op in [Op::Clone, Op::Wake, Op::WakeByRef, Op::Drop] {
            for which in [Which::Oldest, Which::Newest] {
                let live_after = match op {
                    Op::Clone => live + 1,
                    Op::WakeByRef => live,
                    Op::Wake | Op::Drop => live - 1,
                };
                prefix.push((op, which));
                extend(prefix, live_after, len, out);
                prefix.pop();
            }
        }
    }
    let mut out = Vec::new();
    extend(&mut Vec::new(), 1, len, &mut out);
    out
}
// ANCHOR_END: ops

// ANCHOR: replay
/// Runs one sequence on real wakers made by `make`, checking the count
/// against the model after every step and the probe's drop at the end.
fn replay(sequence: &[(Op, Which)], make: fn(Arc<Probe>) -> Waker) {
    let dropped = Arc::new(AtomicUsize::new(0));
    let probe = Arc::new(Probe {
        wakes: AtomicUsize::new(0),
        dropped: Arc::clone(&dropped),
    });
    let mut live = vec![make(Arc::clone(&probe))];
    let mut expected_wakes = 0;

    for (step, &(op, which)) in sequence.iter().enumerate() {
        let index = match which {
            Which::Oldest => 0,
            Which::Newest => live.len() - 1,
        };
        match op {
            Op::Clone => live.push(live[index].clone()),
            Op::Wake => {
                live.remove(index).wake();
                expected_wakes += 1;
            }
            Op::WakeByRef => {
                live[index].wake_by_ref();
                expected_wakes += 1;
            }
            Op::Drop => drop(live.remove(index)),
        }
        // The test's own `probe` plus one per live waker.
        assert_eq!(
            Arc::strong_count(&probe),
            1 + live.len(),
            "strong count wrong after step {step} of {sequence:?}"
        );
        assert_eq!(probe.wakes.load(Ordering::SeqCst), expected_wakes);
    }

    drop(live);
    assert_eq!(Arc::strong_count(&probe), 1, "leak after {sequence:?}");
    drop(probe);
    assert_eq!(dropped.load(Ordering::SeqCst), 1, "probe not freed once");
}
// ANCHOR_END: replay

fn sequence_len() -> usize {
    std::env::var("WAKER_SEQUENCE_LEN")
        .ok()
        .and_then(|len| len.parse().ok())
        .unwrap_or(DEFAULT_LEN)
}

/// Length 6 is 50,268 sequences; under Miri, which interprets every step,
/// length 4 (1,212 sequences) keeps the check, every operation in every
/// order up to four steps, within minutes.
const DEFAULT_LEN: usize = if cfg!(miri) { 4 } else { 6 };

fn check_every_sequence(make: fn(Arc<Probe>) -> Waker) -> usize {
    let sequences = all_sequences(sequence_len());
    for sequence in &sequences {
        replay(sequence, make);
    }
    sequences.len()
}

/// Under valgrind everything is about fifty times slower: allow for it.
const LIMIT: Duration = Duration::from_secs(120);

// ANCHOR: raw_test
#[test]
fn raw_vtable_waker_count_balances_in_every_order() {
    let tried = testkit::watchdog("raw vtable refcount", LIMIT, || {
        check_every_sequence(raw_waker::waker)
    });
    // With the default length 6 that is 50,268 sequences; make sure
    // the generator did not quietly produce nothing.
    assert!(tried >= 8, "only {tried} sequences tried");
}
// ANCHOR_END: raw_test

#[test]
fn wake_trait_waker_count_balances_in_every_order() {
    let tried = testkit::watchdog("std Wake refcount", LIMIT, || {
        check_every_sequence(Waker::from)
    });
    assert!(tried >= 8, "only {tried} sequences tried");
}

#[test]
fn the_generator_covers_every_sequence_of_the_given_length() {
    // From one waker: 2 ways to pick x 4 ops = 8 first steps; after a Wake or
    // Drop of the only waker the sequence ends. Length 2: Clone (2) and
    // WakeByRef (2) continue with 8 each, Wake/Drop (4) stop: 4*8 + 4 = 36.
    assert_eq!(all_sequences(1).len(), 8);
    assert_eq!(all_sequences(2).len(), 36);
}

/// A borrowed waker owns no count: using it, cloning it and dropping the
/// clone, then dropping it, leaves the count where it was, and the probe
/// is freed with its last `Arc`.
#[test]
fn a_borrowed_waker_owns_no_count() {
    let dropped = Arc::new(AtomicUsize::new(0));
    let probe = Arc::new(Probe {
        wakes: AtomicUsize::new(0),
        dropped: dropped.clone(),
    });
    {
        let borrowed = raw_waker::waker_ref(&probe);
        assert_eq!(Arc::strong_count(&probe), 1);
        borrowed.wake_by_ref();
        let owned: Waker = (*borrowed).clone();
        assert_eq!(Arc::strong_count(&probe), 2);
        owned.wake();
        assert_eq!(Arc::strong_count(&probe), 1);
    }
    assert_eq!(Arc::strong_count(&probe), 1, "the borrow released a count");
    assert_eq!(probe.wakes.load(Ordering::SeqCst), 2);
    drop(probe);
    assert_eq!(dropped.load(Ordering::SeqCst), 1, "the probe leaked");
}
