//! The echo server: an accept loop that spawns a task per connection, and
//! the per-connection loop that reads into a fixed buffer and writes it all
//! back before it reads again.
//!
//! Both loops have a seam for chapter 7, which adds timers: how a read is
//! awaited ([`ReadPolicy`]; chapter 7 wraps it in a timeout, for idle
//! connections) and what to do when `accept` fails ([`AcceptPolicy`];
//! chapter 7 sleeps before retrying). The defaults here need no timer.

use std::convert::Infallible;
use std::io;
use std::net::Shutdown;
use std::num::NonZeroUsize;

use futures::future::{Either, select};
use futures::io::AsyncWriteExt;
use std::pin::pin;

use crate::connections::Connections;
use crate::listener::TcpListener;
use crate::shutdown::{Drain, Notice};
use crate::stream::TcpStream;

/// The per-connection buffer: what one read takes at most, and all the
/// memory a connection holds in user space.
pub const BUFFER_SIZE: usize = 16 * 1024;

/// Echo rounds in a row before a connection's task lets the others run
/// (the budget of chapter 5, for the same reason: on loopback a busy peer
/// can keep a socket readable for ever).
pub const ROUNDS_PER_TURN: u32 = 32;

/// Accepts in a row before the accept loop lets the other tasks run.
pub const ACCEPTS_PER_TURN: u32 = 64;

/// What the server is asked to do.
#[derive(Clone, Debug)]
pub struct Config {
    /// Stop accepting while this many connections are open.
    pub max_connections: Option<NonZeroUsize>,
    /// The size of each connection's buffer.
    pub buffer_size: usize,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            max_connections: None,
            buffer_size: BUFFER_SIZE,
        }
    }
}

// ANCHOR: read_policy
/// How the echo loop awaits each read: the seam where chapter 7 puts its
/// idle timeout. `read` gets the read future and returns the future the
/// loop awaits instead; a policy may give up on the read (return an error,
/// such as `TimedOut`), which ends the connection.
pub trait ReadPolicy: Clone + Send + 'static {
    fn read<F>(&mut self, read: F) -> impl Future<Output = io::Result<usize>> + Send
    where
        F: Future<Output = io::Result<usize>> + Send;

    /// The same seam for the writes, where chapter 7 puts its write
    /// timeout: a client that never reads holds the loop in `write_all`
    /// for as long as it likes otherwise. The default waits for ever.
    fn write<F>(&mut self, write: F) -> impl Future<Output = io::Result<()>> + Send
    where
        F: Future<Output = io::Result<()>> + Send,
    {
        write
    }
}

/// This chapter's policy: wait as long as it takes. An idle client keeps
/// its connection (and its descriptor and buffer) for ever.
#[derive(Clone, Copy, Debug, Default)]
pub struct WaitForever;

impl ReadPolicy for WaitForever {
    fn read<F>(&mut self, read: F) -> impl Future<Output = io::Result<usize>> + Send
    where
        F: Future<Output = io::Result<usize>> + Send,
    {
        read
    }
}
// ANCHOR_END: read_policy

// ANCHOR: echo
/// Echoes everything `stream` sends until it closes its writing half, then
/// closes ours. Returns how many bytes went round.
///
/// One buffer, and one rule: read, then write *all* of it, then read again.
/// While the write waits (the peer does not read, so its receive buffer and
/// our send buffer are full), nothing is read: the kernel buffers fill up
/// and TCP's flow control stops the client. That is backpressure, and it is
/// what keeps the server's memory at one buffer per connection.
pub async fn echo<R: ReadPolicy>(stream: &TcpStream, buf: &mut [u8], policy: R) -> io::Result<u64> {
    echo_until(stream, buf, policy, &Notice::new()).await
}

/// [`echo`], until told to finish: once `notice` has started, the loop
/// closes the connection as soon as a read would wait, which is at once for
/// an idle client. Bytes already read are written back first, and so are
/// bytes that are already waiting in the socket (the read is polled before
/// the notice), so an echo in flight comes back whole.
pub async fn echo_until<R: ReadPolicy>(
    stream: &TcpStream,
    buf: &mut [u8],
    mut policy: R,
    notice: &Notice,
) -> io::Result<u64> {
    let mut echoed = 0;
    let mut rounds = 0;
    loop {
        // Dropping the read when the notice wins loses nothing: a read
        // takes bytes out of the socket only when it returns them.
        let n = {
            let read = pin!(policy.read(stream.read(buf)));
            match select(read, notice.started()).await {
                Either::Left((read, _)) => read?,
                // Told to finish, with nothing in flight: end as at EOF.
                Either::Right(((), _)) => 0,
            }
        };
        if n == 0 {
            // End of file (the client shut down its writing half, and
            // everything it sent has been written back), or the notice.
            // Say we are done too.
            stream.shutdown(Shutdown::Write)?;
            return Ok(echoed);
        }
        // `write` may take only part of the buffer; `write_all` (from the
        // `futures` crate, through our `AsyncWrite`) loops until all of it
        // is in the kernel, waiting for writability in between.
        policy.write((&mut &*stream).write_all(&buf[..n])).await?;
        echoed += n as u64;
        rounds += 1;
        if rounds == ROUNDS_PER_TURN {
            rounds = 0;
            reactor::yield_now().await;
        }
    }
}
// ANCHOR_END: echo

// ANCHOR: accept_policy
/// What the accept loop does when `accept` fails: the seam where chapter 7
/// puts a sleep-and-retry. Return `Ok(())` when the loop should try again
/// (after waiting as long as the policy sees fit), or an error to stop the
/// server with it.
pub trait AcceptPolicy {
    fn on_error(
        &mut self,
        error: io::Error,
        connections: &Connections,
    ) -> impl Future<Output = io::Result<()>>;
}

/// What a failed `accept` means for the accept loop.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AcceptError {
    /// The error concerns only the connection `accept` was taking: skip
    /// it, the next one may be fine.
    PerConnection,
    /// The process or the system is out of descriptors or memory: `accept`
    /// will fail the same way until something is freed.
    OutOfResources,
    /// The listener itself is unusable (not a socket, not listening, a bad
    /// descriptor): retrying cannot help.
    Fatal,
}

/// Sorts an `accept` error; both this chapter's server and chapter 10's
/// (on io_uring) decide with it. The errors come from `man 2 accept`:
///
/// - per connection: `ECONNABORTED` (the client gave up while in the
///   backlog), `EPERM` (a firewall refused it; `EACCES` too, the other
///   "permission denied"), `EINTR`, and the errors
///   already pending on the new socket, which Linux hands to `accept`
///   and which a TCP server should retry after as after `EAGAIN`
///   ("Error handling": `ENETDOWN`, `EPROTO`, `ENOPROTOOPT`, `EHOSTDOWN`,
///   `ENONET`, `EHOSTUNREACH`, `EOPNOTSUPP`, `ENETUNREACH`). A reset
///   (`ECONNRESET`) is one connection's too. `EOPNOTSUPP` also means "not
///   a stream socket", which our listeners, always TCP, never are;
/// - out of resources: `EMFILE`, `ENFILE` (descriptors), `ENOBUFS`,
///   `ENOMEM` (memory, often socket buffer limits);
/// - anything else (`EBADF`, `EINVAL`, `ENOTSOCK`, `EFAULT`, ...): fatal.
pub fn classify(error: &io::Error) -> AcceptError {
    match error.raw_os_error() {
        Some(
            libc::ECONNABORTED
            | libc::ECONNRESET
            | libc::EPERM
            | libc::EACCES
            | libc::EINTR
            | libc::ENETDOWN
            | libc::EPROTO
            | libc::ENOPROTOOPT
            | libc::EHOSTDOWN
            | libc::ENONET
            | libc::EHOSTUNREACH
            | libc::EOPNOTSUPP
            | libc::ENETUNREACH,
        ) => AcceptError::PerConnection,
        Some(libc::EMFILE | libc::ENFILE | libc::ENOBUFS | libc::ENOMEM) => {
            AcceptError::OutOfResources
        }
        // Errors made in Rust rather than by the kernel have only a kind.
        None if matches!(
            error.kind(),
            io::ErrorKind::ConnectionAborted
                | io::ErrorKind::ConnectionReset
                | io::ErrorKind::Interrupted
        ) =>
        {
            AcceptError::PerConnection
        }
        _ => AcceptError::Fatal,
    }
}

/// Whether `error` means the process or the system is out of descriptors
/// or memory ([`classify`]'s `OutOfResources`).
pub fn is_out_of_resources(error: &io::Error) -> bool {
    classify(error) == AcceptError::OutOfResources
}

/// Whether `error` concerns only the connection `accept` was taking
/// ([`classify`]'s `PerConnection`).
pub fn is_per_connection(error: &io::Error) -> bool {
    classify(error) == AcceptError::PerConnection
}

/// This chapter's policy. A per-connection error: try the next one at once.
/// Out of descriptors: wait until one of *our* connections closes and gives
/// a descriptor back; meanwhile new clients wait in the kernel's backlog.
/// Anything else stops the server.
///
/// Retrying at once after `EMFILE` would spin: the failed `accept` left the
/// connection in the backlog, so the listener stays readable, and every
/// retry fails again, at 100% CPU, starving the very tasks that would close
/// connections. The limit of this policy: with none of our connections
/// open, no close will ever come, so it gives up; a timer (chapter 7) can
/// retry later instead.
#[derive(Clone, Copy, Debug, Default)]
pub struct PauseUntilClose;

impl AcceptPolicy for PauseUntilClose {
    async fn on_error(&mut self, error: io::Error, connections: &Connections) -> io::Result<()> {
        match classify(&error) {
            AcceptError::PerConnection => return Ok(()),
            AcceptError::Fatal => return Err(error),
            AcceptError::OutOfResources => {}
        }
        let open = connections.live();
        if open == 0 {
            return Err(io::Error::new(
                error.kind(),
                format!("accept: {error}, and no connection of ours is open to free one"),
            ));
        }
        eprintln!(
            "tcp-echo: accept: {error}; pausing accepts until one of {open} connections closes"
        );
        connections.until_fewer_than(open).await;
        Ok(())
    }
}
// ANCHOR_END: accept_policy

// ANCHOR: serve
/// Serves for ever with this chapter's policies.
pub async fn serve(
    listener: &TcpListener,
    config: &Config,
    connections: &Connections,
) -> io::Result<Infallible> {
    serve_with(listener, config, connections, PauseUntilClose, WaitForever).await
}

/// The accept loop, for ever: [`serve_until`] with a stop that never comes.
/// Returns only when the accept policy gives up.
pub async fn serve_with<A, R>(
    listener: &TcpListener,
    config: &Config,
    connections: &Connections,
    accept_policy: A,
    read_policy: R,
) -> io::Result<Infallible>
where
    A: AcceptPolicy,
    R: ReadPolicy,
{
    let mut drain = Drain::new(connections.clone());
    let stop = std::future::pending();
    serve_until(
        listener,
        config,
        &mut drain,
        accept_policy,
        read_policy,
        stop,
    )
    .await?;
    unreachable!("`pending()` never completes, so only an error ends the loop")
}

/// The accept loop: a task per connection (spawned on `drain`, which keeps
/// it), at most `max_connections` at a time, until `stop` completes
/// (`Ok`) or the accept policy gives up (`Err`). It never waits for the
/// connections: that is the drain's job.
pub async fn serve_until<A, R>(
    listener: &TcpListener,
    config: &Config,
    drain: &mut Drain,
    mut accept_policy: A,
    read_policy: R,
    stop: impl Future<Output = ()>,
) -> io::Result<()>
where
    A: AcceptPolicy,
    R: ReadPolicy,
{
    let mut stop = pin!(stop);
    let mut accepts = 0;
    loop {
        let round = async {
            if let Some(max) = config.max_connections {
                // At the limit, do not accept: the kernel completes
                // handshakes and queues them in the backlog, and the
                // clients wait there.
                drain.connections().until_fewer_than(max.get()).await;
            }
            match listener.accept().await {
                Ok((stream, _peer)) => {
                    let policy = read_policy.clone();
                    spawn_connection(drain, stream, config.buffer_size, policy);
                    Ok(())
                }
                Err(error) => accept_policy.on_error(error, drain.connections()).await,
            }
        };
        // `stop` first, so that it wins over a connection ready at the same
        // time. Whatever the round was waiting for when `stop` wins, it is
        // safe to drop: an `accept` that has not returned took nothing, and
        // the policies' waits hold nothing either.
        match select(stop.as_mut(), pin!(round)).await {
            Either::Left(((), _)) => return Ok(()),
            Either::Right((result, _)) => result?,
        }
        // The budget of chapter 5: with a full backlog `accept` never says
        // `WouldBlock`, and without a yield the loop would take the whole
        // backlog (a thousand connections) before the tasks it spawned, or
        // any other, ran once. Failed accepts count too: a per-connection
        // error is retried at once, and must not starve anyone either.
        accepts += 1;
        if accepts == ACCEPTS_PER_TURN {
            accepts = 0;
            reactor::yield_now().await;
        }
    }
}

/// Runs [`echo_until`] on a task of `drain`'s. The task owns the stream,
/// the buffer and the drain's guard, so however it ends (EOF, reset, a
/// policy's error, the notice, an abort), all three are dropped: the
/// descriptor is closed, the reactor slot freed, the count lowered.
pub fn spawn_connection<R: ReadPolicy>(
    drain: &mut Drain,
    stream: TcpStream,
    buffer_size: usize,
    read_policy: R,
) {
    let connections = drain.connections().clone();
    drain.spawn(|notice| async move {
        let mut buf = vec![0; buffer_size];
        if echo_until(&stream, &mut buf, read_policy, &notice)
            .await
            .is_err()
        {
            connections.count_failure();
        }
    });
}
// ANCHOR_END: serve

#[cfg(test)]
mod tests {
    use super::*;

    fn os(errno: i32) -> io::Error {
        io::Error::from_raw_os_error(errno)
    }

    #[test]
    fn running_out_of_descriptors_is_out_of_resources_not_per_connection() {
        for errno in [libc::EMFILE, libc::ENFILE, libc::ENOBUFS, libc::ENOMEM] {
            assert!(is_out_of_resources(&os(errno)), "errno {errno}");
            assert!(!is_per_connection(&os(errno)), "errno {errno}");
        }
    }

    #[test]
    fn a_client_that_gave_up_concerns_only_its_connection() {
        for errno in [libc::ECONNABORTED, libc::EINTR, libc::EPROTO, libc::EPERM] {
            assert!(is_per_connection(&os(errno)), "errno {errno}");
            assert!(!is_out_of_resources(&os(errno)), "errno {errno}");
        }
    }

    /// `accept(2)`, "Error handling": Linux passes errors already pending
    /// on the new socket to `accept`, and a TCP server should retry after
    /// them as after `EAGAIN`. `EPERM` is a firewall refusing that client.
    const PENDING_ON_THE_NEW_SOCKET: [i32; 8] = [
        libc::ENETDOWN,
        libc::EPROTO,
        libc::ENOPROTOOPT,
        libc::EHOSTDOWN,
        libc::ENONET,
        libc::EHOSTUNREACH,
        libc::EOPNOTSUPP,
        libc::ENETUNREACH,
    ];

    #[test]
    fn errors_accept_2_says_belong_to_the_new_socket_concern_only_it() {
        for errno in PENDING_ON_THE_NEW_SOCKET.into_iter().chain([
            libc::ECONNABORTED,
            libc::EPERM,
            libc::EINTR,
        ]) {
            assert!(is_per_connection(&os(errno)), "errno {errno}");
            assert!(!is_out_of_resources(&os(errno)), "errno {errno}");
        }
    }

    #[test]
    fn accept_errors_sort_into_per_connection_exhaustion_and_fatal() {
        use AcceptError::*;
        let cases = PENDING_ON_THE_NEW_SOCKET
            .into_iter()
            .map(|errno| (errno, PerConnection))
            .chain([
                (libc::ECONNABORTED, PerConnection),
                (libc::ECONNRESET, PerConnection),
                (libc::EPERM, PerConnection),
                (libc::EACCES, PerConnection),
                (libc::EINTR, PerConnection),
                (libc::EMFILE, OutOfResources),
                (libc::ENFILE, OutOfResources),
                (libc::ENOBUFS, OutOfResources),
                (libc::ENOMEM, OutOfResources),
                (libc::EBADF, Fatal),
                (libc::EINVAL, Fatal),
                (libc::ENOTSOCK, Fatal),
                (libc::EFAULT, Fatal),
            ]);
        for (errno, expected) in cases {
            assert_eq!(classify(&os(errno)), expected, "errno {errno}");
        }
        let made_in_rust = io::Error::from(io::ErrorKind::ConnectionAborted);
        assert_eq!(classify(&made_in_rust), PerConnection);
        assert_eq!(classify(&io::Error::other("?")), Fatal);
    }

    #[test]
    fn the_default_policy_keeps_serving_after_a_per_connection_error() {
        let mut runtime = reactor::Runtime::new().unwrap();
        let connections = Connections::default();
        for errno in PENDING_ON_THE_NEW_SOCKET
            .into_iter()
            .chain([libc::ECONNABORTED])
        {
            let retry = runtime.block_on(PauseUntilClose.on_error(os(errno), &connections));
            assert!(retry.is_ok(), "errno {errno} stopped the server");
        }
    }

    #[test]
    fn the_default_policy_stops_on_an_error_it_does_not_know() {
        let mut policy = PauseUntilClose;
        let connections = Connections::default();
        let error = reactor::Runtime::new()
            .unwrap()
            .block_on(policy.on_error(os(libc::EBADF), &connections))
            .unwrap_err();
        assert_eq!(error.raw_os_error(), Some(libc::EBADF));
    }

    #[test]
    fn out_of_descriptors_with_nothing_of_ours_open_gives_up() {
        let mut policy = PauseUntilClose;
        let connections = Connections::default();
        let result = reactor::Runtime::new()
            .unwrap()
            .block_on(policy.on_error(os(libc::EMFILE), &connections));
        assert!(result.is_err(), "waiting here would wait for ever");
    }
}
