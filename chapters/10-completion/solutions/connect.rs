//! Exercise 10.2: `connect` as an io_uring operation (solution).

use std::io;
use std::net::SocketAddr;
use std::os::fd::AsRawFd;

use io_uring::{opcode, types};
use socket2::{Domain, SockAddr, Socket, Type};

use crate::op_future::{Op, result};
use crate::{Handle, TcpStream};

/// Connects to `addr`; `ConnectionRefused` if nobody listens there.
///
/// # Cancel safety
/// Dropped before it completes, the connection attempt is abandoned: the
/// socket is closed once the kernel is done with the operation, whether
/// the handshake finished or not. Connect again to retry.
pub async fn connect(addr: SocketAddr) -> io::Result<TcpStream> {
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, None)?;
    let address = Box::new(SockAddr::from(addr));
    let entry = opcode::Connect::new(
        types::Fd(socket.as_raw_fd()),
        address.as_ptr(),
        address.len(),
    )
    .build();
    // SAFETY: the entry points to the boxed address, whose heap allocation
    // moves with the op unchanged; the socket travels with it, so its
    // descriptor stays open until the kernel has finished.
    let (res, (_address, socket)) =
        unsafe { Op::submit(&Handle::current()?, entry, (address, socket)) }.await;
    result(res)?;
    TcpStream::from_std(socket.into())
}
