//! Exercise 6.2: echo length-prefixed frames.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::{ErrorKind, Read, Write};
use std::net::Shutdown;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use common::{client, serve_each};
use tcp_echo::exercises::frames::{MAX_FRAME, echo_frames};

/// The system allocator, noting the largest allocation bigger than any
/// legal frame needs (`4 + MAX_FRAME` bytes), to see that an over-long
/// length is refused before anything trusts it.
struct NotesHugeAllocations;

static LARGEST_OVER_A_FRAME: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is passed on to `System` unchanged; the bookkeeping
// only reads the layout's size.
unsafe impl GlobalAlloc for NotesHugeAllocations {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        // SAFETY: the caller's contract for `alloc` is `System`'s.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        // SAFETY: the caller's contract for `alloc_zeroed` is `System`'s.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note(new_size);
        // SAFETY: the caller's contract for `realloc` is `System`'s.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract for `dealloc` is `System`'s.
        unsafe { System.dealloc(ptr, layout) }
    }
}

fn note(size: usize) {
    if size > 4 + MAX_FRAME {
        LARGEST_OVER_A_FRAME.fetch_max(size, Ordering::SeqCst);
    }
}

#[global_allocator]
static ALLOCATOR: NotesHugeAllocations = NotesHugeAllocations;

/// Held by the tests that move frames near `MAX_FRAME`, so that one test's
/// big buffers are never counted against another.
static BIG_FRAMES: Mutex<()> = Mutex::new(());

fn frame(body: &[u8]) -> Vec<u8> {
    let mut frame = (body.len() as u32).to_be_bytes().to_vec();
    frame.extend_from_slice(body);
    frame
}

fn reversed(body: &[u8]) -> Vec<u8> {
    let mut copy = body.to_vec();
    copy.reverse();
    copy
}

#[test]
fn every_frame_comes_back_reversed() {
    testkit::within("frames", || {
        let (addr, results) = serve_each(echo_frames);
        let mut stream = client(addr);
        let bodies: [&[u8]; 3] = [b"hello", b"", b"frames!"];
        let sent: Vec<u8> = bodies.iter().flat_map(|b| frame(b)).collect();
        stream.write_all(&sent).unwrap(); // three frames in one write
        stream.shutdown(Shutdown::Write).unwrap();
        let mut back = Vec::new();
        stream.read_to_end(&mut back).unwrap();
        let expected: Vec<u8> = bodies.iter().flat_map(|b| frame(&reversed(b))).collect();
        assert_eq!(back, expected);
        assert_eq!(results.recv().unwrap().unwrap(), 3);
    })
}

#[test]
fn a_frame_that_arrives_a_byte_at_a_time_is_still_one_frame() {
    testkit::within("trickle", || {
        let (addr, _) = serve_each(echo_frames);
        let mut stream = client(addr);
        stream.set_nodelay(true).unwrap();
        for byte in frame(b"slowly") {
            stream.write_all(&[byte]).unwrap();
            thread::sleep(Duration::from_millis(5));
        }
        let mut back = vec![0u8; 10];
        stream.read_exact(&mut back).unwrap();
        assert_eq!(back, frame(b"ylwols"));
    })
}

#[test]
fn the_largest_frame_is_echoed_whole() {
    testkit::within("largest frame", || {
        let _alone = BIG_FRAMES.lock().unwrap_or_else(|e| e.into_inner());
        let (addr, _) = serve_each(echo_frames);
        let mut stream = client(addr);
        let body: Vec<u8> = (0..MAX_FRAME).map(|i| (i % 253) as u8).collect();
        let mut writer = stream.try_clone().unwrap();
        let sending = {
            let frame = frame(&body);
            thread::spawn(move || writer.write_all(&frame).unwrap())
        };
        let mut back = vec![0u8; 4 + MAX_FRAME];
        stream.read_exact(&mut back).unwrap();
        sending.join().unwrap();
        assert!(back == frame(&reversed(&body)));
    })
}

#[test]
fn a_length_over_the_limit_is_refused_without_waiting_for_the_body() {
    testkit::within("oversized", || {
        let _alone = BIG_FRAMES.lock().unwrap_or_else(|e| e.into_inner());
        LARGEST_OVER_A_FRAME.store(0, Ordering::SeqCst);
        let (addr, results) = serve_each(echo_frames);
        let mut stream = client(addr);
        stream
            .write_all(&((MAX_FRAME + 1) as u32).to_be_bytes())
            .unwrap();
        // No body follows: a server that tries to read it waits for ever.
        let result = results
            .recv_timeout(Duration::from_secs(3))
            .expect("the server is still waiting for the body");
        assert_eq!(result.unwrap_err().kind(), ErrorKind::InvalidData);
        let largest = LARGEST_OVER_A_FRAME.load(Ordering::SeqCst);
        assert_eq!(
            largest, 0,
            "allocated {largest} bytes, more than any legal frame needs, for a length \
             that is over the limit: check the length before allocating the body"
        );
    })
}

#[test]
fn a_close_inside_a_frame_is_an_unexpected_eof() {
    testkit::within("eof inside a frame", || {
        let (addr, results) = serve_each(echo_frames);
        for cut in [
            frame(b"abcdef")[..2].to_vec(),
            frame(b"abcdef")[..7].to_vec(),
        ] {
            let mut stream = client(addr);
            stream.write_all(&cut).unwrap();
            stream.shutdown(Shutdown::Write).unwrap();
            let result = results.recv().unwrap();
            assert_eq!(
                result.unwrap_err().kind(),
                ErrorKind::UnexpectedEof,
                "cut after {} bytes",
                cut.len()
            );
        }
    })
}
