//! The echo servers the harness compares. Every one binds with chapter 6's
//! `listen` (same backlog, same options), prints chapter 5's
//! `listening on <addr>` line, and serves one thread's worth of clients
//! with the same handler: read into a buffer, write all of it back.

use std::fmt;
use std::net::{SocketAddr, UdpSocket};
use std::time::Duration;

use clap::ValueEnum;
use completion::Setup;
use serde::Serialize;

use crate::counterexample::read_until_would_block;

pub mod mio_loop;
pub mod ours;
pub mod tokio_rt;
pub mod uring;

/// Which server.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, ValueEnum, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ServerKind {
    /// The book's runtime: the executor polls epoll itself (chapter 4's
    /// `Runtime::new`).
    Ours,
    /// The book's servers on the seed's design: the reactor on a thread of
    /// its own (chapter 4's `Runtime::threaded`).
    OursThreaded,
    /// tokio, `Builder::new_current_thread()`.
    Tokio,
    /// The same tokio server again, as a separate entry: tokio against
    /// itself measures the run's noise (the band every verdict must clear).
    TokioAgain,
    /// A hand-written edge-triggered mio loop: no tasks, no wakers.
    Mio,
    /// Chapter 10's io_uring server (`completion::server`): completion
    /// instead of readiness. TCP only.
    Uring,
    /// A reference for the many-core chapter: tokio's multi-threaded
    /// runtime with one worker, on the server's core like the others.
    #[value(name = "tokio-mt1")]
    TokioMt1,
    /// tokio's multi-threaded runtime with two workers, allowed every core
    /// (on a two-core machine, the load generator's too).
    #[value(name = "tokio-mt2")]
    TokioMt2,
    /// `uring` on a ring set up with `IORING_SETUP_COOP_TASKRUN`
    /// (chapter 10's `Setup`): one flag measured at a time.
    UringCoop,
    /// `uring` on a ring set up with `IORING_SETUP_DEFER_TASKRUN` and
    /// `SINGLE_ISSUER`.
    UringDefer,
    /// `uring-defer`, and every receive with `IORING_RECVSEND_POLL_FIRST`.
    #[value(name = "uring-pollfirst")]
    #[serde(rename = "uring-pollfirst")]
    UringPollFirst,
    /// Run only when named: `ours` as it was before this chapter's change,
    /// reading TCP until `WouldBlock` (see `counterexample::read_until_would_block`).
    OursBefore,
}

impl ServerKind {
    /// All of them, in the order the harness runs them.
    pub const ALL: [ServerKind; 11] = [
        ServerKind::Ours,
        ServerKind::OursThreaded,
        ServerKind::Tokio,
        ServerKind::Mio,
        ServerKind::Uring,
        ServerKind::UringCoop,
        ServerKind::UringDefer,
        ServerKind::UringPollFirst,
        ServerKind::TokioMt1,
        ServerKind::TokioMt2,
        ServerKind::TokioAgain,
    ];

    /// [`ALL`](Self::ALL), less the io_uring rows where io_uring cannot
    /// run (an old kernel, a seccomp sandbox), saying so on stderr.
    pub fn available() -> Vec<ServerKind> {
        let uring = completion::probe();
        if let Err(why) = &uring {
            eprintln!("echo-bench: io_uring unavailable ({why}): no uring rows");
        }
        (ServerKind::ALL.into_iter())
            .filter(|kind| kind.uring_setup().is_none() || uring.is_ok())
            .collect()
    }

    /// The name on the command line and in the results.
    pub fn name(self) -> &'static str {
        match self {
            ServerKind::Ours => "ours",
            ServerKind::OursThreaded => "ours-threaded",
            ServerKind::Tokio => "tokio",
            ServerKind::TokioAgain => "tokio-again",
            ServerKind::Mio => "mio",
            ServerKind::Uring => "uring",
            ServerKind::UringCoop => "uring-coop",
            ServerKind::UringDefer => "uring-defer",
            ServerKind::UringPollFirst => "uring-pollfirst",
            ServerKind::TokioMt1 => "tokio-mt1",
            ServerKind::TokioMt2 => "tokio-mt2",
            ServerKind::OursBefore => "ours-before",
        }
    }

    /// Whether this server has a `proto` version: chapter 10 built no UDP
    /// server, so `uring` has none, and the harness leaves it out there.
    pub fn serves(self, proto: Proto) -> bool {
        self.uring_setup().is_none() || proto == Proto::Tcp
    }

    // ANCHOR: uring_setup
    /// For chapter 10's server, how its ring is set up: one row per
    /// choice, so that each is measured against tokio in the same run.
    pub fn uring_setup(self) -> Option<Setup> {
        let default = Setup::default();
        match self {
            ServerKind::Uring => Some(default),
            ServerKind::UringCoop => Some(Setup {
                coop_taskrun: true,
                ..default
            }),
            ServerKind::UringDefer => Some(Setup {
                defer_taskrun: true,
                ..default
            }),
            ServerKind::UringPollFirst => Some(Setup {
                defer_taskrun: true,
                recv_poll_first: true,
                ..default
            }),
            _ => None,
        }
    }
    // ANCHOR_END: uring_setup

    /// Whether the harness pins this server to one core, the server's:
    /// all but `tokio-mt2`, whose second worker needs a second core.
    pub fn on_one_core(self) -> bool {
        self != ServerKind::TokioMt2
    }
}

impl fmt::Display for ServerKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// TCP or UDP.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Proto {
    Tcp,
    Udp,
}

impl fmt::Display for Proto {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Proto::Tcp => "tcp",
            Proto::Udp => "udp",
        })
    }
}

/// A socket bound before any runtime starts, so a bad address is the first
/// thing reported, whatever the server.
#[derive(Debug)]
pub enum Bound {
    Tcp(std::net::TcpListener),
    Udp(UdpSocket),
}

impl Bound {
    /// Binds `addr` the way chapter 5's and chapter 6's servers do.
    pub fn bind(proto: Proto, addr: SocketAddr) -> anyhow::Result<Bound> {
        let name = proto.to_string().to_uppercase();
        Ok(match proto {
            Proto::Tcp => Bound::Tcp(
                tcp_echo::listen(addr).map_err(|e| udp_echo::cli::bind_error(&name, addr, e))?,
            ),
            Proto::Udp => Bound::Udp(
                UdpSocket::bind(addr).map_err(|e| udp_echo::cli::bind_error(&name, addr, e))?,
            ),
        })
    }
}

// ANCHOR: serve
/// Runs `kind`'s server on `socket` until SIGTERM or SIGINT (or until the
/// process is killed, as the harness does); a TCP server then drains its
/// connections for at most `drain_timeout`. All of them do, the yardsticks
/// (`tokio*`, `mio`) too; only `ours-before`'s TCP loop, a counter-example
/// run only when named, dies of the signal.
pub fn serve(kind: ServerKind, socket: Bound, drain_timeout: Duration) -> anyhow::Result<()> {
    match kind {
        ServerKind::Ours => ours::serve_draining(reactor::Runtime::new()?, socket, drain_timeout),
        ServerKind::OursThreaded => {
            ours::serve_draining(reactor::Runtime::threaded()?, socket, drain_timeout)
        }
        ServerKind::Tokio | ServerKind::TokioAgain => tokio_rt::serve(socket, drain_timeout),
        ServerKind::TokioMt1 => tokio_rt::serve_multi_thread(socket, 1, drain_timeout),
        ServerKind::TokioMt2 => tokio_rt::serve_multi_thread(socket, 2, drain_timeout),
        ServerKind::Uring
        | ServerKind::UringCoop
        | ServerKind::UringDefer
        | ServerKind::UringPollFirst => {
            let setup = kind.uring_setup().unwrap_or_default();
            uring::serve(socket, setup, drain_timeout)
        }
        ServerKind::Mio => mio_loop::serve(socket, drain_timeout),
        ServerKind::OursBefore => read_until_would_block::serve(socket),
    }
}
// ANCHOR_END: serve
