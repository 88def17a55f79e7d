//! Out of file descriptors: the accept loop backs off with a sleep, and
//! recovers by itself once a descriptor is free, even when none of its own
//! connections is open to give one back.
//!
//! The test lowers the process's descriptor limit (`RLIMIT_NOFILE`), which
//! every thread shares: that is why it is alone in its test binary, and why
//! its two tests take turns. Counting the free descriptors is only exact
//! while no other thread opens or closes one, so a turn lasts until the
//! test's server is stopped and its thread has closed everything it had (a
//! server left running closed its last connection while the next test
//! counted), and the count starts only once the server waits in `epoll`
//! (Linux's `accept` takes a descriptor number before it looks at the
//! backlog and gives it back on `EAGAIN`: one running during the count hid
//! a free descriptor). Either race let the server accept the client it
//! should have failed on.

use std::future::{Future, poll_fn};
use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::pin::pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use tcp_echo::server::{AcceptPolicy, PauseUntilClose};
use tcp_echo::{Config, Connections, Drain, Notice, TcpListener, serve_until};
use timers::Runtime;
use timers::server::{BackoffOnExhaustion, IdleTimeout};

static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

const BACKOFF: Duration = Duration::from_millis(50);

/// An accept policy that counts the errors it is handed.
struct Counting<P> {
    inner: P,
    errors: Arc<AtomicUsize>,
}

impl<P: AcceptPolicy> AcceptPolicy for Counting<P> {
    async fn on_error(&mut self, error: io::Error, connections: &Connections) -> io::Result<()> {
        self.errors.fetch_add(1, Ordering::SeqCst);
        self.inner.on_error(error, connections).await
    }
}

fn nofile_limit() -> libc::rlimit {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `limit` is a valid, writable `rlimit`.
    let rc = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) };
    assert_eq!(rc, 0, "getrlimit(RLIMIT_NOFILE)");
    limit
}

fn set_nofile_limit(limit: libc::rlimit) {
    // SAFETY: `limit` is a valid `rlimit`; lowering the soft limit and
    // raising it back up to the unchanged hard limit needs no privilege.
    let rc = unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &limit) };
    assert_eq!(rc, 0, "setrlimit(RLIMIT_NOFILE)");
}

/// The lowest descriptor number not in use: the next one the OS hands out.
fn lowest_free_fd() -> libc::rlim_t {
    let probe = std::fs::File::open("/dev/null").unwrap();
    use std::os::fd::AsRawFd;
    probe.as_raw_fd() as libc::rlim_t
}

/// A server on a thread of its own, with its own runtime.
struct Server {
    addr: std::net::SocketAddr,
    /// What the accept loop returned: it only returns on an error, or once
    /// stopped.
    result: mpsc::Receiver<io::Result<()>>,
    stop: Notice,
    thread: Option<JoinHandle<()>>,
}

impl Drop for Server {
    /// Stops the accept loop and waits for the thread: its runtime, and
    /// with it the listener, the epoll instance and every connection, is
    /// gone when this returns.
    fn drop(&mut self) {
        self.stop.start();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Starts a server with `policy` and waits until it has every descriptor it
/// needs (its epoll and its listener) and is waiting for a connection.
fn start<P: AcceptPolicy + Send + 'static>(policy: P) -> Server {
    let listener = tcp_echo::listen("127.0.0.1:0".parse().unwrap()).unwrap();
    let addr = listener.local_addr().unwrap();
    let (done, result) = mpsc::channel();
    let (ready, is_ready) = mpsc::channel();
    let stop = Notice::new();
    let stopped = stop.clone();
    let thread = thread::spawn(move || {
        let mut rt = Runtime::new().unwrap();
        let served = rt.block_on(async {
            let listener = TcpListener::from_std(listener)?;
            let config = Config::default();
            let idle = IdleTimeout(Duration::from_secs(10));
            let mut drain = Drain::new(Connections::default());
            let stop = stopped.started();
            let mut serve = pin!(serve_until(
                &listener, &config, &mut drain, policy, idle, stop
            ));
            // Ready only after the loop's first poll, whose `accept` finds
            // the backlog empty: an `accept` reserves a descriptor number
            // while it runs, so one still running would make the test count
            // a descriptor too few.
            let mut ready = Some(ready);
            poll_fn(|cx| {
                let poll = serve.as_mut().poll(cx);
                if let Some(ready) = ready.take() {
                    ready.send(()).unwrap();
                }
                poll
            })
            .await
        });
        let _ = done.send(served);
    });
    is_ready.recv().expect("the server thread started");
    Server {
        addr,
        result,
        stop,
        thread: Some(thread),
    }
}

/// Lowers the limit so that exactly one more descriptor can be opened,
/// then connects (the client takes it): the server's `accept` has none
/// left and fails with `EMFILE`. Returns the client and the old limit.
fn connect_with_no_descriptor_left(addr: std::net::SocketAddr) -> (TcpStream, libc::rlimit) {
    let old = nofile_limit();
    let free = lowest_free_fd();
    set_nofile_limit(libc::rlimit {
        rlim_cur: free + 1,
        rlim_max: old.rlim_max,
    });
    let client = TcpStream::connect(addr);
    let client = match client {
        Ok(client) => client,
        Err(e) => {
            set_nofile_limit(old);
            panic!("connect: {e}");
        }
    };
    (client, old)
}

// ANCHOR: emfile_test
#[test]
fn after_emfile_the_accept_loop_sleeps_then_recovers_by_itself() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    testkit::within("after_emfile_the_accept_loop_recovers", || {
        let errors = Arc::new(AtomicUsize::new(0));
        let policy = Counting {
            inner: BackoffOnExhaustion::new(BACKOFF),
            errors: errors.clone(),
        };
        let server = start(policy);
        let (mut client, old) = connect_with_no_descriptor_left(server.addr);
        let start = Instant::now();
        // At least three failed accepts (with no EMFILE at all the watchdog
        // fails the test), then half a second more of them.
        while errors.load(Ordering::SeqCst) < 3 {
            thread::sleep(Duration::from_millis(5));
        }
        thread::sleep(Duration::from_millis(500));
        let failed_accepts = errors.load(Ordering::SeqCst);
        let waited = start.elapsed();
        set_nofile_limit(old);
        // A retry per backoff, not a spin: about one per 50 ms, and never
        // more often (a busy machine only makes the retries later). A spin
        // retries thousands of times.
        let most = 2 * (waited.as_millis() / BACKOFF.as_millis()) as usize + 2;
        assert!(
            failed_accepts <= most,
            "{failed_accepts} accepts in {waited:?}: spinning"
        );
        assert!(server.result.try_recv().is_err(), "the server gave up");
        // With descriptors back, the next retry accepts the waiting client.
        client
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        client.write_all(b"served at last").unwrap();
        let mut echo = [0; 14];
        client.read_exact(&mut echo).expect("the echo");
        assert_eq!(&echo, b"served at last");
    })
}

#[test]
fn chapter_5s_policy_gives_up_when_no_connection_of_its_own_is_open() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    testkit::within("chapter_5s_policy_gives_up", || {
        let server = start(PauseUntilClose);
        let (_client, old) = connect_with_no_descriptor_left(server.addr);
        let outcome = server.result.recv_timeout(Duration::from_secs(5));
        set_nofile_limit(old);
        let error = outcome.expect("the server is still waiting").unwrap_err();
        assert_eq!(error.raw_os_error(), None, "{error}");
        assert!(
            error.to_string().contains("no connection of ours"),
            "{error}"
        );
    })
}
// ANCHOR_END: emfile_test
