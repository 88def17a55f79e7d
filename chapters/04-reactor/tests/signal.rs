//! Signals through the reactor: each signal the process gets becomes one
//! wake-up of the task that waits for it, by way of the pipe and
//! `epoll_wait`, with no thread polling anything.
//!
//! The handlers are process-wide and every test here runs in one process,
//! so each test uses signals of its own.

use std::io::ErrorKind;
use std::pin::pin;
use std::thread;
use std::time::Duration;

use reactor::{Runtime, Signals};
use testkit::poll_once;

fn raise(signal: libc::c_int) {
    // SAFETY: `raise` sends a signal to the calling thread; every signal
    // raised here has the book's handler installed first. With a handler,
    // `raise` returns only after the handler has (raise(3)).
    assert_eq!(unsafe { libc::raise(signal) }, 0);
}

// ANCHOR: raised
#[test]
fn each_raised_signal_is_one_wake_up() {
    testkit::within("signals raised in-process", || {
        let mut runtime = Runtime::new().unwrap();
        runtime.block_on(async {
            let signals = Signals::new(&[libc::SIGTERM]).unwrap();
            for _ in 0..3 {
                raise(libc::SIGTERM);
            }
            let mut received = 0;
            for _ in 0..3 {
                assert_eq!(signals.recv().await.unwrap(), libc::SIGTERM);
                received += 1;
            }
            assert_eq!(received, 3, "one recv per signal, none lost");
            // And not one more: the next recv waits.
            let more = poll_once(pin!(signals.recv()));
            assert!(more.is_pending(), "a fourth signal appeared from nowhere");
        });
    })
}
// ANCHOR_END: raised

// ANCHOR: from_outside
#[test]
fn a_signal_from_another_thread_wakes_the_parked_runtime_through_epoll() {
    testkit::within("a signal wakes epoll_wait", || {
        let mut runtime = Runtime::new().unwrap();
        let reactor = runtime.reactor().clone();
        let signal = runtime.block_on(async {
            let signals = Signals::new(&[libc::SIGINT]).unwrap();
            // The runtime is about to park in `epoll_wait` (nothing else is
            // ready); the signal comes to the whole process, as `kill`
            // sends it, and any thread may run the handler.
            let sender = thread::spawn(|| {
                thread::sleep(Duration::from_millis(50));
                // SAFETY: kill(2) on our own pid, with a signal whose
                // handler `Signals::new` installed.
                assert_eq!(unsafe { libc::kill(libc::getpid(), libc::SIGINT) }, 0);
            });
            let signal = signals.recv().await.unwrap();
            sender.join().unwrap();
            signal
        });
        assert_eq!(signal, libc::SIGINT);
        // The pipe woke the OS wait: no unpark, no thread writing to the
        // reactor's own waker.
        assert_eq!(reactor.waker_writes(), 0);
    })
}
// ANCHOR_END: from_outside

#[test]
fn every_listener_for_a_signal_hears_it_and_no_other_does() {
    testkit::within("several listeners", || {
        let mut runtime = Runtime::new().unwrap();
        runtime.block_on(async {
            let first = Signals::new(&[libc::SIGUSR1]).unwrap();
            let second = Signals::new(&[libc::SIGUSR1, libc::SIGUSR2]).unwrap();
            let other = Signals::new(&[libc::SIGUSR2]).unwrap();
            raise(libc::SIGUSR1);
            assert_eq!(first.recv().await.unwrap(), libc::SIGUSR1);
            assert_eq!(second.recv().await.unwrap(), libc::SIGUSR1);
            assert!(poll_once(pin!(other.recv())).is_pending());
        });
    })
}

#[test]
fn a_full_pipe_never_blocks_the_handler_and_signals_still_arrive_after() {
    testkit::within("a flood of signals", || {
        let mut runtime = Runtime::new().unwrap();
        runtime.block_on(async {
            let signals = Signals::new(&[libc::SIGWINCH]).unwrap();
            // More signals than a pipe holds bytes (65536 on Linux,
            // pipe(7)): the handler's writes fail with EAGAIN past that,
            // and the process goes on.
            for _ in 0..70_000 {
                raise(libc::SIGWINCH);
            }
            let mut received = 0u32;
            while poll_once(pin!(signals.recv())).is_ready() {
                received += 1;
            }
            assert!(received > 0);
            assert!(received < 70_000, "the pipe held {received} bytes");
            raise(libc::SIGWINCH);
            assert_eq!(signals.recv().await.unwrap(), libc::SIGWINCH);
        });
    })
}

#[test]
fn a_signal_that_cannot_be_caught_is_refused() {
    let mut runtime = Runtime::new().unwrap();
    runtime.block_on(async {
        for signal in [libc::SIGKILL, libc::SIGSTOP, 0, 64] {
            let error = Signals::new(&[signal]).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::InvalidInput, "signal {signal}");
        }
    });
}

#[test]
fn a_dropped_listener_gives_its_slot_back() {
    let mut runtime = Runtime::new().unwrap();
    runtime.block_on(async {
        // More listeners than there are slots, one after the other.
        for _ in 0..100 {
            drop(Signals::new(&[libc::SIGUSR2]).unwrap());
        }
    });
}
