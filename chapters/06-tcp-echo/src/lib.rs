//! Chapter 6 of *Async from Scratch*: TCP echo, on chapter 4's reactor.
//!
//! - [`stream`]: `TcpStream`, with a non-blocking `connect`, and the
//!   `futures` crate's `AsyncRead` and `AsyncWrite`;
//! - [`listener`]: `TcpListener` and its `accept`;
//! - [`connections`]: the count of open connections, which the accept loop
//!   waits on;
//! - [`server`]: the echo loop and the accept loop, with the policies
//!   chapter 7 replaces;
//! - [`shutdown`]: the graceful shutdown every TCP server of the book
//!   shares: a notice, the connection tasks, a drain with a deadline;
//! - [`load`]: the load generator's measuring core (chapter 11 reuses it);
//! - [`exercises`]: the chapter's exercises.

pub mod connections;
pub mod exercises;
pub mod listener;
pub mod load;
pub mod server;
pub mod shutdown;
pub mod stream;

pub use connections::{ConnectionGuard, Connections};
pub use listener::{TcpListener, listen};
pub use server::{
    AcceptError, AcceptPolicy, Config, PauseUntilClose, ReadPolicy, WaitForever, classify, echo,
    echo_until, serve, serve_until, serve_with,
};
pub use shutdown::{Drain, Notice, Report};
pub use stream::TcpStream;
