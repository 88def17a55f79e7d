//! The completion driver in this process: operations complete and hand
//! their buffers back, dropped operations keep theirs until the kernel is
//! done, unparks and timeouts end the wait, and a flood of completions is
//! not lost. Each test skips (saying why) only where io_uring is missing.

mod common;

use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::Poll;
use std::thread;
use std::time::{Duration, Instant};

use common::{Tracked, uring_test};
use completion::{Op, Runtime, TcpListener, TcpStream, Uring};
use executor::Park;
use io_uring::{opcode, types};
use testkit::poll_once;

const LIMIT: Duration = Duration::from_secs(10);

/// A receive into `tracked`'s buffer, as the book's `TcpStream::read` does
/// it, but with a buffer whose drop the test can see.
fn recv(handle: &completion::Handle, fd: i32, mut tracked: Tracked) -> Op<Tracked> {
    let entry = opcode::Recv::new(
        types::Fd(fd),
        tracked.buf.as_mut_ptr(),
        tracked.buf.len() as u32,
    )
    .build();
    // SAFETY: the entry points into `tracked.buf`'s heap allocation, which
    // the op owns (and which does not move with it); the test keeps the
    // socket open for longer than the op lives.
    unsafe { Op::submit(handle, entry, tracked) }
}

// ANCHOR: recv_in_kernel
/// A receive of `capacity` bytes on `fd`, submitted and handed to the
/// kernel: from here on the kernel holds a pointer into its buffer. Returns
/// the pending op and the flag its buffer's drop sets.
fn recv_in_kernel(driver: &mut Uring, fd: i32, capacity: usize) -> (Op<Tracked>, Arc<AtomicBool>) {
    let (tracked, freed) = Tracked::new(capacity);
    let mut read = recv(&driver.handle(), fd, tracked);
    assert!(poll_once(Pin::new(&mut read)).is_pending());
    driver.park_timeout(Duration::ZERO).unwrap();
    (read, freed)
}
// ANCHOR_END: recv_in_kernel

/// Turns the driver until `done` holds (each turn waits 10 ms at most). A
/// driver that never gets there turns until the test's watchdog fails it.
fn turn_until(driver: &mut Uring, mut done: impl FnMut() -> bool) {
    while !done() {
        driver.park_timeout(Duration::from_millis(10)).unwrap();
    }
}

#[test]
fn a_read_completes_with_the_bytes_and_hands_the_buffer_back() {
    uring_test("read completes", LIMIT, || {
        let mut runtime = Runtime::new().unwrap();
        let echoed = runtime.block_on(async {
            let listener = TcpListener::bind("127.0.0.1:0".parse().unwrap()).unwrap();
            let addr = listener.local_addr().unwrap();
            let client = thread::spawn(move || {
                let mut stream = std::net::TcpStream::connect(addr).unwrap();
                stream.write_all(b"completed, not ready").unwrap();
            });
            let stream = listener.accept().await.unwrap();
            let buf = Vec::with_capacity(64);
            let ptr = buf.as_ptr();
            let (n, buf) = stream.read(buf).await;
            client.join().unwrap();
            assert_eq!(n.unwrap(), 20);
            assert_eq!(buf.as_ptr(), ptr, "the same allocation comes back");
            buf
        });
        assert_eq!(echoed, b"completed, not ready");
        assert_eq!(runtime.uring().in_flight(), 0);
    })
}

// ANCHOR: abandon_test
#[test]
fn a_dropped_read_keeps_its_buffer_until_the_kernel_is_done() {
    uring_test("dropped read", LIMIT, || {
        let mut driver = Uring::new().unwrap();
        let handle = driver.handle();
        let (ours, mut peer) = UnixStream::pair().unwrap();
        let (read, freed) = recv_in_kernel(&mut driver, ours.as_raw_fd(), 4096);
        assert_eq!(handle.in_flight(), 1);

        drop(read);
        // The future is gone, but the kernel may still write: the buffer
        // must live on, in the driver's slot.
        assert!(
            !freed.load(Ordering::SeqCst),
            "freed while the kernel owns it"
        );
        assert_eq!(handle.in_flight(), 1, "the slot holds the abandoned buffer");

        // The next turns submit the cancellation and reap both completions:
        // only then is the buffer freed and the slot back in the slab.
        turn_until(&mut driver, || handle.in_flight() == 0);
        assert!(freed.load(Ordering::SeqCst), "never freed: a leak");

        // The cancelled read took nothing: what the peer sends now is
        // still there for the next reader.
        peer.write_all(b"after the cancel").unwrap();
        let mut got = [0u8; 16];
        (&ours).read_exact(&mut got).unwrap();
        assert_eq!(&got, b"after the cancel");
    })
}
// ANCHOR_END: abandon_test

// ANCHOR: race_test
#[test]
fn a_cancelled_read_that_lost_the_race_consumed_its_bytes() {
    uring_test("cancel race", LIMIT, || {
        let mut driver = Uring::new().unwrap();
        let handle = driver.handle();
        let (ours, mut peer) = UnixStream::pair().unwrap();
        let (read, freed) = recv_in_kernel(&mut driver, ours.as_raw_fd(), 4096);
        // The data arrives while the read waits in the kernel: the kernel
        // completes it, but the driver has not reaped that completion when
        // the read is dropped.
        // The cancellation goes in with the next park, and finds nothing
        // left to cancel.
        peer.write_all(b"lost").unwrap();
        drop(read);
        turn_until(&mut driver, || handle.in_flight() == 0);
        assert!(freed.load(Ordering::SeqCst));

        // With readiness, dropping a read loses nothing: nothing was read.
        // With completion, the kernel finished the read into a buffer that
        // nobody will look at: those four bytes are gone.
        peer.write_all(b"kept").unwrap();
        drop(peer);
        let mut rest = Vec::new();
        (&ours).read_to_end(&mut rest).unwrap();
        assert_eq!(rest, b"kept");
    })
}
// ANCHOR_END: race_test

// ANCHOR: unsubmitted_test
#[test]
fn a_read_dropped_before_it_was_submitted_is_removed_and_takes_nothing() {
    uring_test("dropped before submission", LIMIT, || {
        let mut driver = Uring::new().unwrap();
        let handle = driver.handle();
        let (ours, mut peer) = UnixStream::pair().unwrap();
        peer.write_all(b"kept").unwrap();
        let (tracked, freed) = Tracked::new(4096);
        let mut read = recv(&handle, ours.as_raw_fd(), tracked);
        assert!(poll_once(Pin::new(&mut read)).is_pending());
        // Dropped while its entry still waits in the driver's queue: the
        // kernel has never seen it, so there is nothing to cancel. It
        // leaves the queue and the table at once, and frees its buffer.
        drop(read);
        assert_eq!(handle.in_flight(), 0, "the slot is free without a park");
        assert!(freed.load(Ordering::SeqCst));
        driver.park_timeout(Duration::ZERO).unwrap();

        // Nothing was read: the bytes are all there for the next reader.
        peer.write_all(b" too").unwrap();
        drop(peer);
        let mut rest = Vec::new();
        (&ours).read_to_end(&mut rest).unwrap();
        assert_eq!(rest, b"kept too");
    })
}
// ANCHOR_END: unsubmitted_test

#[test]
fn dropping_the_runtime_frees_the_buffers_of_reads_still_in_flight() {
    uring_test("runtime drop", LIMIT, || {
        let (ours, _peer) = UnixStream::pair().unwrap();
        let (tracked, freed) = Tracked::new(4096);
        let mut runtime = Runtime::new().unwrap();
        let fd = ours.as_raw_fd();
        let reading = runtime.handle().spawn(async move {
            let handle = completion::Handle::current().unwrap();
            recv(&handle, fd, tracked).await
        });
        runtime.block_on(timers::sleep(Duration::from_millis(20)));
        assert_eq!(runtime.uring().in_flight(), 1);
        assert!(!freed.load(Ordering::SeqCst));
        // The executor cancels the task (dropping its read), then the
        // driver cancels the read in the kernel and waits for it to end.
        drop(runtime);
        assert!(
            freed.load(Ordering::SeqCst),
            "the buffer outlived the runtime"
        );
        drop(reading);
    })
}

// ANCHOR: unpark_test
#[test]
fn an_unpark_from_another_thread_ends_the_wait() {
    uring_test("unpark", LIMIT, || {
        let mut driver = Uring::new().unwrap();
        // Twice: the second proves that the eventfd read was re-armed.
        for _ in 0..2 {
            let unpark = driver.unpark();
            let start = Instant::now();
            let waker = thread::spawn(move || {
                thread::sleep(Duration::from_millis(50));
                executor::Unpark::unpark(&unpark);
            });
            // No timeout: only the eventfd read can end this wait.
            driver.park().unwrap();
            assert!(start.elapsed() >= Duration::from_millis(40));
            waker.join().unwrap();
        }
    })
}
// ANCHOR_END: unpark_test

#[test]
fn park_timeout_returns_after_its_timeout_with_nothing_to_do() {
    uring_test("park timeout", LIMIT, || {
        let mut driver = Uring::new().unwrap();
        let start = Instant::now();
        driver.park_timeout(Duration::from_millis(30)).unwrap();
        let waited = start.elapsed();
        assert!(
            waited >= Duration::from_millis(25),
            "returned after {waited:?}"
        );
        // A wait that ignored its timeout, with nothing to complete, would
        // never return: the watchdog fails it. (An upper bound in wall time
        // would fail a busy machine instead.)
    })
}

// ANCHOR: timers_test
#[test]
fn sleep_and_timeout_from_chapter_6_work_on_the_ring() {
    uring_test("timers on io_uring", LIMIT, || {
        let mut runtime = Runtime::new().unwrap();
        let start = Instant::now();
        runtime.block_on(timers::sleep(Duration::from_millis(50)));
        assert!(start.elapsed() >= Duration::from_millis(50));

        let (ours, _peer) = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| {
                let client = std::net::TcpStream::connect(l.local_addr()?)?;
                Ok((client, l.accept()?.0))
            })
            .unwrap();
        let elapsed = runtime.block_on(async {
            let stream = TcpStream::from_std(ours).unwrap();
            // Nobody writes: the read can only end by the timeout.
            timers::timeout(
                Duration::from_millis(30),
                stream.read(Vec::with_capacity(16)),
            )
            .await
        });
        assert!(elapsed.is_err(), "the read completed with nothing sent");
        // The timeout dropped the read: one more turn reaps its cancel.
        runtime.block_on(timers::sleep(Duration::from_millis(10)));
        assert_eq!(runtime.uring().in_flight(), 0);
    })
}
// ANCHOR_END: timers_test

// ANCHOR: overflow_test
#[test]
fn more_completions_than_the_rings_hold_are_all_delivered() {
    uring_test("completion queue overflow", LIMIT, || {
        let mut runtime = Runtime::new().unwrap();
        // 5,000 operations at once: more than the submission queue (1,024)
        // and the completion queue (2,048) hold. The driver submits when
        // the submission queue fills, without reaping in between, so the
        // completion queue overflows and the kernel keeps the rest.
        let results = runtime.block_on(async {
            let handle = completion::Handle::current().unwrap();
            let nops: Vec<Op<()>> = (0..5000)
                // SAFETY: a NOP points to no memory and no descriptor.
                .map(|_| unsafe { Op::submit(&handle, opcode::Nop::new().build(), ()) })
                .collect();
            futures::future::join_all(nops).await
        });
        assert_eq!(results.len(), 5000);
        assert!(results.iter().all(|&(res, ())| res == 0));
        assert_eq!(runtime.uring().in_flight(), 0);
    })
}
// ANCHOR_END: overflow_test

#[test]
fn an_operation_polled_from_a_moved_future_wakes_its_new_task() {
    uring_test("new waker", LIMIT, || {
        let mut runtime = Runtime::new().unwrap();
        let (ours, mut peer) = UnixStream::pair().unwrap();
        let fd = ours.as_raw_fd();
        let got = runtime.block_on(async move {
            let handle = completion::Handle::current().unwrap();
            let (tracked, _) = Tracked::new(8);
            let mut read = recv(&handle, fd, tracked);
            // Polled once here, with the main future's waker...
            assert!(poll_once(Pin::new(&mut read)).is_pending());
            // ...then moved into a task: the completion must wake the task.
            let task = executor::spawn(read);
            thread::spawn(move || {
                thread::sleep(Duration::from_millis(20));
                peer.write_all(b"moved").unwrap();
            });
            let (res, tracked) = task.await.unwrap();
            tracked.buf[..res as usize].to_vec()
        });
        assert_eq!(got, b"moved");
        drop(ours);
    })
}

#[test]
fn a_read_that_outlives_its_driver_completes_as_cancelled() {
    uring_test("outlives the driver", LIMIT, || {
        let mut driver = Uring::new().unwrap();
        let handle = driver.handle();
        let (ours, _peer) = UnixStream::pair().unwrap();
        let (mut read, freed) = recv_in_kernel(&mut driver, ours.as_raw_fd(), 64);
        // The driver cancels the read and waits for the kernel to confirm;
        // the read's future is still alive and owns its buffer.
        // A drop that waited for a confirmation that never comes gives up
        // only after 10 s, and the 10 s watchdog fails the test first.
        drop(driver);
        assert!(!freed.load(Ordering::SeqCst));
        let Poll::Ready((res, tracked)) = poll_once(Pin::new(&mut read)) else {
            panic!("an operation of a dropped driver still pending")
        };
        assert_eq!(res, -libc::ECANCELED);
        drop(tracked);
        assert!(freed.load(Ordering::SeqCst));
        // Submitting to a dropped driver fails at once, too.
        let (tracked, _) = Tracked::new(64);
        let mut late = recv(&handle, ours.as_raw_fd(), tracked);
        assert!(
            matches!(poll_once(Pin::new(&mut late)), Poll::Ready((res, _)) if res == -libc::ECANCELED)
        );
    })
}

#[test]
fn a_read_dropped_on_another_thread_wakes_the_parked_driver_to_cancel_it() {
    uring_test("cross-thread cancel", LIMIT, || {
        let mut driver = Uring::new().unwrap();
        let handle = driver.handle();
        let (ours, _peer) = UnixStream::pair().unwrap();
        let (read, freed) = recv_in_kernel(&mut driver, ours.as_raw_fd(), 64);
        let dropper = thread::spawn(move || {
            thread::sleep(Duration::from_millis(30));
            drop(read);
        });
        // Blocked in the kernel with nothing to complete: only the other
        // thread's drop, which queues a cancel and must wake us to submit
        // it, can end this (a lost wake is a hang, caught by the watchdog).
        while !freed.load(Ordering::SeqCst) {
            driver.park().unwrap();
        }
        dropper.join().unwrap();
        assert_eq!(handle.in_flight(), 0);
    })
}
