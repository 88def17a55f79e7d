//! An error on one datagram does not stop the server.
//!
//! What really happens on Linux when the server replies to a port nobody
//! listens on: the kernel gets an ICMP "port unreachable" back, and for an
//! unconnected socket (the server's) it drops it. The server never hears
//! of it. Only with the `IP_RECVERR` option does the error reach the socket,
//! as `ConnectionRefused` on its next receive. Both are tested: the binary
//! as it runs, and the error path itself with `IP_RECVERR` turned on.

mod common;

use std::net::UdpSocket as StdUdpSocket;
use std::os::fd::AsRawFd;

use common::{SERVER, client, round_trip, spawn_server};
use testkit::ServerProcess;
use udp_echo::server::{DEFAULT_BUDGET, serve};

/// Sends one datagram to `server` from a socket that will refuse the echo.
///
/// A client that closes its socket right after sending would race the
/// echo (which is often back before the close). This socket is connected to
/// another peer instead, so the kernel delivers it nothing from `server`:
/// the echo finds no socket that takes it, exactly as at a closed port, and
/// the kernel answers with ICMP "port unreachable". Keep it alive until the
/// echo has come back.
fn refusing_sender(server: std::net::SocketAddr) -> StdUdpSocket {
    let socket = StdUdpSocket::bind("127.0.0.1:0").unwrap();
    socket.connect("127.0.0.1:9").unwrap();
    // Linux lets a connected UDP socket send elsewhere with `sendto`.
    socket.send_to(b"reply to nobody", server).unwrap();
    socket
}

#[test]
fn the_server_binary_keeps_serving_after_its_replies_are_refused() {
    testkit::within("binary: reply to a closed port", || {
        let mut server = ServerProcess::start(SERVER, &["--addr", "127.0.0.1:0"]);
        let _refusing: Vec<_> = (0..10).map(|_| refusing_sender(server.addr())).collect();
        let alive = client();
        assert_eq!(
            round_trip(&alive, server.addr(), b"still there?"),
            b"still there?"
        );
        assert!(server.is_running());
        let (_, stderr) = server.stop();
        // Without IP_RECVERR the kernel keeps the ICMP error to itself.
        assert_eq!(stderr, "", "Linux reports nothing to an unconnected socket");
    });
}

// ANCHOR: recverr
/// Turns on `IP_RECVERR`: ICMP errors for this socket are reported to it.
fn receive_icmp_errors(socket: &impl AsRawFd) {
    let on: libc::c_int = 1;
    // SAFETY: the fd is open for the whole call (we borrow `socket`), and
    // the option value points to a live `c_int` whose size we pass.
    let rc = unsafe {
        libc::setsockopt(
            socket.as_raw_fd(),
            libc::IPPROTO_IP,
            libc::IP_RECVERR,
            (&on as *const libc::c_int).cast(),
            size_of::<libc::c_int>() as libc::socklen_t,
        )
    };
    assert_eq!(
        rc,
        0,
        "setsockopt(IP_RECVERR): {}",
        std::io::Error::last_os_error()
    );
}

#[test]
fn a_connection_refused_error_on_receive_does_not_stop_the_server() {
    testkit::within("server survives ConnectionRefused", || {
        let (addr, stats) = spawn_server(|socket, stats| async move {
            receive_icmp_errors(socket.as_async().get_ref());
            serve(&socket, DEFAULT_BUDGET, &stats).await
        });
        let _refusing = refusing_sender(addr);
        let alive = client();
        // The refused echo comes back as an ICMP error, which the server's
        // next receive returns. It must count it and go on.
        for i in 0..100u32 {
            let datagram = i.to_be_bytes();
            assert_eq!(round_trip(&alive, addr, &datagram), datagram);
            if stats.errors() > 0 {
                break;
            }
        }
        assert_eq!(stats.errors(), 1, "the ICMP error reached the server once");
        assert_eq!(round_trip(&alive, addr, b"after"), b"after");
    });
}
// ANCHOR_END: recverr
