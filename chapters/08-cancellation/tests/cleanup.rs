//! The two replacements for an async `Drop`, and what each costs.

mod common;

use common::run;

use std::io::Read;
use std::net::SocketAddr;

use cancellation::{CloseOnDrop, Session, TaskTracker};
use tcp_echo::{TcpListener, TcpStream};

/// A session to a plain peer socket, which reads what it gets until EOF.
async fn session() -> (Session, std::net::TcpStream) {
    let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).unwrap();
    let peer = std::net::TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let (ours, _): (TcpStream, _) = listener.accept().await.unwrap();
    (Session::new(ours), peer)
}

fn read_all(mut peer: std::net::TcpStream) -> String {
    let mut text = String::new();
    peer.read_to_string(&mut text).unwrap();
    text
}

#[test]
fn an_awaited_close_has_said_goodbye_when_it_returns() {
    let peer = run("a clean-up test", || async {
        let (session, peer) = session().await;
        session.send("hi").await.unwrap();
        session.close().await.unwrap();
        peer
    });
    assert_eq!(read_all(peer), "hi\nbye\n");
}

#[test]
fn a_guard_spawns_the_goodbye_which_runs_after_drop_returns() {
    let peer = run("a clean-up test", || async {
        let tracker = TaskTracker::new();
        let (session, peer) = session().await;
        let guard = CloseOnDrop::new(session, &tracker);
        guard.session().send("hi").await.unwrap();
        drop(guard);
        // Dropped, but not closed yet: the clean-up is a task, still queued.
        assert_eq!(tracker.len(), 1);
        tracker.close();
        tracker.wait().await;
        peer
    });
    assert_eq!(read_all(peer), "hi\nbye\n");
}

#[test]
fn a_session_dropped_without_close_sends_no_goodbye() {
    let peer = run("a clean-up test", || async {
        let (session, peer) = session().await;
        session.send("hi").await.unwrap();
        drop(session); // an early return, a lost select, a panic...
        peer
    });
    assert_eq!(read_all(peer), "hi\n");
}
