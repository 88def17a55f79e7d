//! The practical limit for one thread: a hand-written, edge-triggered mio
//! loop with no tasks, no wakers and no run queue. An event names a
//! connection; the loop serves that connection right there until the
//! kernel says `WouldBlock`, and goes back to `epoll_wait`.
//!
//! It keeps the same handler as every other server here: read into the
//! connection's buffer, write all of it back, read again; while a write is
//! incomplete, stop reading (backpressure). And it uses the one trick a
//! careful hand-written loop uses (tokio does too): a TCP read that returns
//! less than the buffer has emptied the socket, so the loop waits for the
//! next edge instead of making a `read` that can only say `WouldBlock`.

use std::io::{self, Read, Write};
use std::net::SocketAddr;

use mio::net::{TcpListener, TcpStream, UdpSocket};
use mio::{Events, Interest, Poll, Token};
use slab::Slab;
use udp_echo::cli;

use super::Bound;

const LISTENER: Token = Token(usize::MAX);

/// Serves until the process is killed.
pub fn serve(socket: Bound) -> anyhow::Result<()> {
    match socket {
        Bound::Tcp(listener) => {
            listener.set_nonblocking(true)?;
            tcp(TcpListener::from_std(listener))
        }
        Bound::Udp(socket) => {
            socket.set_nonblocking(true)?;
            udp(UdpSocket::from_std(socket))
        }
    }
}

// ANCHOR: conn
/// One connection: its socket and its buffer, in which `buf[start..end]`
/// has been read and not yet written back.
struct Conn {
    stream: TcpStream,
    buf: Box<[u8]>,
    start: usize,
    end: usize,
    /// The last read returned less than the buffer: the receive queue was
    /// empty after it (a byte stream hands out all it has).
    drained: bool,
    /// An event said the peer shut down its writing half (`FIN`). Its edge
    /// may come before the read that returns the last bytes short, and no
    /// edge follows it: from then on only a read that returns 0 proves the
    /// queue empty. tokio keeps this "read closed" readiness for the same
    /// reason when it clears the rest.
    read_closed: bool,
}

/// What serving a connection left it as.
enum After {
    /// Waiting for the next edge (readable, or writable to finish a write).
    Wait,
    /// EOF or an error: close it.
    Close,
}

impl Conn {
    /// Echoes until the kernel says `WouldBlock` (the edge-triggered
    /// contract: the next event comes only after that), or until a short
    /// read proved the queue empty (the same thing, one system call
    /// cheaper), or the peer is done.
    fn serve(&mut self) -> After {
        loop {
            while self.start < self.end {
                match self.stream.write(&self.buf[self.start..self.end]) {
                    Ok(n) => self.start += n,
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                        // Data may arrive while we wait to write, and its
                        // edge is spent on this wait: read for real next.
                        self.drained = false;
                        return After::Wait;
                    }
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(_) => return After::Close,
                }
            }
            if self.drained && !self.read_closed {
                // The last read emptied the receive queue: reading again
                // now would only return `WouldBlock`. New data brings a new
                // edge, so waiting for it is safe (an end of file does not).
                self.drained = false;
                return After::Wait;
            }
            match self.stream.read(&mut self.buf) {
                Ok(0) => {
                    let _ = self.stream.shutdown(std::net::Shutdown::Write);
                    return After::Close;
                }
                Ok(n) => {
                    (self.start, self.end) = (0, n);
                    // Shorter than the buffer: the kernel had no more.
                    self.drained = n < self.buf.len();
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return After::Wait,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => return After::Close,
            }
        }
    }
}
// ANCHOR_END: conn

// ANCHOR: tcp_loop
fn tcp(mut listener: TcpListener) -> anyhow::Result<()> {
    let mut poll = Poll::new()?;
    poll.registry()
        .register(&mut listener, LISTENER, Interest::READABLE)?;
    cli::announce(listener.local_addr()?)?;
    let mut conns: Slab<Conn> = Slab::new();
    let mut events = Events::with_capacity(1024);
    loop {
        match poll.poll(&mut events, None) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            other => other?,
        }
        for event in events.iter() {
            if event.token() == LISTENER {
                accept_all(&listener, &poll, &mut conns)?;
                continue;
            }
            let key = event.token().0;
            // An event for a connection closed earlier in this batch.
            let Some(conn) = conns.get_mut(key) else {
                continue;
            };
            conn.read_closed |= event.is_read_closed();
            if let After::Close = conn.serve() {
                let mut conn = conns.remove(key);
                poll.registry().deregister(&mut conn.stream)?;
            }
        }
    }
}

fn accept_all(listener: &TcpListener, poll: &Poll, conns: &mut Slab<Conn>) -> io::Result<()> {
    loop {
        let mut stream = match listener.accept() {
            Ok((stream, _)) => stream,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(()),
            Err(e) => {
                eprintln!("mio echo: accept: {e}");
                return Ok(());
            }
        };
        let entry = conns.vacant_entry();
        poll.registry().register(
            &mut stream,
            Token(entry.key()),
            Interest::READABLE | Interest::WRITABLE,
        )?;
        entry.insert(Conn {
            stream,
            buf: vec![0; tcp_echo::server::BUFFER_SIZE].into_boxed_slice(),
            start: 0,
            end: 0,
            drained: false,
            read_closed: false,
        });
    }
}
// ANCHOR_END: tcp_loop

// ANCHOR: udp_loop
fn udp(mut socket: UdpSocket) -> anyhow::Result<()> {
    let mut poll = Poll::new()?;
    let token = Token(0);
    poll.registry()
        .register(&mut socket, token, Interest::READABLE | Interest::WRITABLE)?;
    cli::announce(socket.local_addr()?)?;
    let mut buf = vec![0u8; udp_echo::MAX_DATAGRAM];
    // A reply the kernel had no room for: sent first when writable again.
    let mut unsent: Option<(usize, SocketAddr)> = None;
    let mut events = Events::with_capacity(16);
    loop {
        match poll.poll(&mut events, None) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            other => other?,
        }
        loop {
            let (n, peer) = match unsent.take() {
                Some(reply) => reply,
                None => match socket.recv_from(&mut buf) {
                    Ok(got) => got,
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                    Err(e) => {
                        eprintln!("mio echo: receive: {e}");
                        continue;
                    }
                },
            };
            match socket.send_to(&buf[..n], peer) {
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    unsent = Some((n, peer));
                    break;
                }
                Err(e) => eprintln!("mio echo: send to {peer}: {e}"),
            }
        }
    }
}
// ANCHOR_END: udp_loop
