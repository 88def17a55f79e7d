//! `cargo run -p tcp-echo --bin tcp-echo-demo`: an echo server and three
//! clients on one runtime, in one thread, saying what they do.
//!
//! - alice sends two words, one at a time, then shuts down her writing half
//!   and still gets both back, then end of file;
//! - bob sends three lines in one write and reads them back one line at a
//!   time through the `futures` crate's `BufReader`;
//! - carol sends a mebibyte with `write_all` while reading the echo at the
//!   same time, and compares every byte.
//!
//! Bob and carol run at the same time; the server sees their connections in
//! whichever order the kernel completes them.

use std::io;
use std::net::{Shutdown, SocketAddr};

use futures::TryStreamExt;
use futures::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use reactor::Runtime;
use tcp_echo::{Connections, TcpListener, TcpStream, WaitForever, echo};

// ANCHOR: server
/// Accepts `clients` connections, echoes each on its own task, and returns
/// once all of them have closed.
async fn server(listener: TcpListener, clients: usize) -> io::Result<()> {
    let connections = Connections::default();
    for _ in 0..clients {
        let (stream, peer) = listener.accept().await?;
        println!("[server] accepted {peer}");
        let guard = connections.open();
        drop(reactor::spawn(async move {
            let _guard = guard;
            let mut buf = vec![0; 4096];
            match echo(&stream, &mut buf, WaitForever).await {
                Ok(n) => println!("[server] {peer}: end of file after {n} bytes; closed"),
                Err(e) => println!("[server] {peer}: {e}"),
            }
        }));
    }
    connections.until_fewer_than(1).await;
    println!("[server] all {clients} connections closed");
    Ok(())
}
// ANCHOR_END: server

// ANCHOR: alice
async fn alice(addr: SocketAddr) -> io::Result<()> {
    let mut stream = TcpStream::connect(addr).await?;
    println!("[alice] connected from {}", stream.local_addr()?);
    for word in ["hello", "world"] {
        stream.write_all(word.as_bytes()).await?;
        let mut echo = [0u8; 5];
        stream.read_exact(&mut echo).await?;
        println!(
            "[alice] sent {word:?}, got {:?}",
            String::from_utf8_lossy(&echo)
        );
    }
    stream.write_all(b"bye").await?;
    stream.shutdown(Shutdown::Write)?;
    println!("[alice] sent \"bye\" and shut down writing");
    let mut rest = Vec::new();
    stream.read_to_end(&mut rest).await?;
    println!(
        "[alice] got {:?}, then end of file",
        String::from_utf8_lossy(&rest)
    );
    Ok(())
}
// ANCHOR_END: alice

// ANCHOR: bob
async fn bob(addr: SocketAddr) -> io::Result<()> {
    let stream = TcpStream::connect(addr).await?;
    println!("[bob] connected from {}", stream.local_addr()?);
    (&stream).write_all(b"one\ntwo\nthree\n").await?;
    stream.shutdown(Shutdown::Write)?;
    println!("[bob] sent three lines in one write");
    let lines: Vec<String> = BufReader::new(&stream).lines().try_collect().await?;
    println!("[bob] read back {} lines: {lines:?}", lines.len());
    Ok(())
}
// ANCHOR_END: bob

// ANCHOR: carol
async fn carol(addr: SocketAddr) -> io::Result<()> {
    let stream = TcpStream::connect(addr).await?;
    println!("[carol] connected from {}", stream.local_addr()?);
    let sent: Vec<u8> = (0..1 << 20).map(|i: u32| (i % 251) as u8).collect();
    // Write and read at once: the server echoes as it reads, and stops
    // reading when we do not read, so writing everything first would stall
    // once the buffers in between are full.
    let write = async {
        (&stream).write_all(&sent).await?;
        stream.shutdown(Shutdown::Write)
    };
    let read = async {
        let mut back = Vec::new();
        (&stream).read_to_end(&mut back).await?;
        Ok(back)
    };
    let ((), back) = futures::future::try_join(write, read).await?;
    println!(
        "[carol] sent {} bytes, got {} back, identical: {}",
        sent.len(),
        back.len(),
        back == sent
    );
    Ok(())
}
// ANCHOR_END: carol

// ANCHOR: main
fn main() -> io::Result<()> {
    let mut runtime = Runtime::new()?;
    runtime.block_on(async {
        let listener = TcpListener::bind("127.0.0.1:0".parse().unwrap())?;
        let addr = listener.local_addr()?;
        println!("[server] listening on {addr}");
        let server = reactor::spawn(server(listener, 3));
        alice(addr).await?;
        let (b, c) = futures::join!(bob(addr), carol(addr));
        b?;
        c?;
        server
            .await
            .map_err(|e| io::Error::other(e.to_string()))??;
        // The reactor's tables are empty again: every socket deregistered.
        let sources = reactor::Handle::current()?.registered_sources();
        println!("[main] done; sources still registered with the reactor: {sources}");
        Ok(())
    })
}
// ANCHOR_END: main
