//! Exercise 11.3: `echo` echoes every byte, with at most one read and one
//! write per round trip of 512 bytes; `given_echo` is measured first, so
//! that the reader sees where its calls go.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use performance::counted::{Counted, Counts, Snapshot};
use performance::exercises::syscalls::echo;
use performance::given::given_echo;
use reactor::{Async, Runtime};

const ROUND_TRIPS: u64 = 200;
const SIZE: usize = 512;

#[derive(Clone, Copy)]
enum Handler {
    Given,
    Fixed,
}

/// A server thread that accepts one connection and runs `handler` on it,
/// with each write cut to at most `write_limit` bytes; returns the
/// address to connect to and the thread, which returns what the handler
/// returned, with the counts.
fn serve_one(
    handler: Handler,
    write_limit: usize,
) -> (std::net::SocketAddr, thread::JoinHandle<(u64, Snapshot)>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server = thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        // Without it, Nagle's algorithm holds each small write of
        // `given_echo` back until the client's delayed acknowledgement of
        // the one before: tens of milliseconds per round trip, which would
        // hide the system calls behind waiting.
        stream.set_nodelay(true).unwrap();
        stream.set_nonblocking(true).unwrap();
        let stream = mio::net::TcpStream::from_std(stream);
        let (counted, counts): (_, Arc<Counts>) = Counted::with_write_limit(stream, write_limit);
        let mut rt = Runtime::new().unwrap();
        let echoed = rt.block_on(async {
            let stream = Async::new(counted).unwrap();
            match handler {
                Handler::Given => given_echo(&stream).await,
                Handler::Fixed => echo(&stream).await,
            }
        });
        (echoed.expect("the handler failed"), counts.snapshot())
    });
    (addr, server)
}

/// `ROUND_TRIPS` round trips of `SIZE` bytes, one at a time, each echo
/// checked; then the client closes. Returns the handler's counts.
fn measure(handler: Handler) -> Snapshot {
    testkit::within("ex_syscalls round trips", move || {
        let (addr, server) = serve_one(handler, usize::MAX);
        let mut client = TcpStream::connect(addr).unwrap();
        client
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let mut echo = [0u8; SIZE];
        for i in 0..ROUND_TRIPS {
            let message = [i as u8; SIZE];
            client.write_all(&message).unwrap();
            client.read_exact(&mut echo).expect("the echo");
            assert_eq!(echo, message, "round trip {i} came back changed");
        }
        drop(client);
        let (echoed, counts) = server.join().unwrap();
        assert_eq!(echoed, ROUND_TRIPS * SIZE as u64);
        counts
    })
}

fn per_round_trip(n: u64) -> f64 {
    n as f64 / ROUND_TRIPS as f64
}

fn describe(counts: Snapshot) -> String {
    format!(
        "{:.2} reads per round trip ({:.2} of them WouldBlock), {:.2} writes",
        per_round_trip(counts.reads),
        per_round_trip(counts.would_block),
        per_round_trip(counts.writes),
    )
}

#[test]
fn the_given_handler_is_measured() {
    let counts = measure(Handler::Given);
    eprintln!("given_echo: {}", describe(counts));
    // The counter works: a 64-byte buffer needs eight reads and eight
    // writes for each 512-byte message, whatever else it wastes.
    assert!(counts.reads >= 8 * ROUND_TRIPS && counts.writes >= 8 * ROUND_TRIPS);
}

#[test]
fn echo_takes_one_read_and_one_write_per_round_trip() {
    let counts = measure(Handler::Fixed);
    eprintln!("echo: {}", describe(counts));
    // One read per message and the one that sees the client close; a few
    // spare for the rare message the kernel hands over in two pieces.
    let spare = ROUND_TRIPS / 20;
    assert!(
        counts.reads <= ROUND_TRIPS + 1 + spare && counts.writes <= ROUND_TRIPS + spare,
        "echo: {} (at most one read and one write per round trip)",
        describe(counts)
    );
    assert!(
        counts.would_block <= spare,
        "echo: {}: a read that says WouldBlock is a system call that found nothing",
        describe(counts)
    );
}

#[test]
fn echo_sends_back_every_byte_of_a_message_bigger_than_any_buffer() {
    // A quarter of a megabyte at once, and every write of the server cut
    // to 1,000 bytes (as a kernel may cut it): each read's bytes take
    // several writes. The client reads while it writes.
    testkit::within("ex_syscalls big message", || {
        let (addr, server) = serve_one(Handler::Fixed, 1000);
        let client = TcpStream::connect(addr).unwrap();
        client
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let message: Vec<u8> = (0..256 << 10).map(|i: u32| (i % 251) as u8).collect();
        let mut writer = client.try_clone().unwrap();
        let sent = message.clone();
        let writing = thread::spawn(move || {
            writer.write_all(&sent).unwrap();
            writer.shutdown(std::net::Shutdown::Write).unwrap();
        });
        let mut back = Vec::new();
        let read = (&client).read_to_end(&mut back);
        writing.join().unwrap();
        assert!(read.is_ok(), "reading the echo: {read:?}");
        assert_eq!(back.len(), message.len(), "bytes echoed");
        assert!(back == message, "the echo came back changed");
        let (echoed, counts) = server.join().unwrap();
        assert_eq!(echoed, message.len() as u64);
        // The test's own premise, or it would not check the write loop.
        assert!(
            counts.partial_writes > 0,
            "no write was partial: {counts:?}"
        );
    })
}
