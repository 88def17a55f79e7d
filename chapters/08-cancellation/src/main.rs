//! `cargo run -p cancellation`: the lossy and the held line loop, side by
//! side, over a real TCP connection on the book's runtime.
//!
//! A writer task sends `hello\nworld\n`, each line in two halves, and
//! between the halves waits until the reader has taken the first half out
//! of the socket *and* a tick has fired since. So the tick always wins while
//! a half line is inside the `read_line` future, on every run and under any
//! load: the output is the same every time (a test compares it with
//! `output/demo.txt`).

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use cancellation::counterexample::lossy_lines::lossy_lines;
use cancellation::{Report, held_lines};
use futures::io::{AsyncRead, AsyncWriteExt, BufReader};
use tcp_echo::{TcpListener, TcpStream};
use timers::{Runtime, sleep, spawn};

const TEXT: &str = "hello\nworld\n";

/// A reader that counts the bytes it hands out, for the writer to see.
struct Counting<R> {
    inner: R,
    taken: Arc<AtomicUsize>,
}

impl<R: AsyncRead + Unpin> AsyncRead for Counting<R> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.inner).poll_read(cx, buf);
        if let Poll::Ready(Ok(n)) = poll {
            self.taken.fetch_add(n, Ordering::SeqCst);
        }
        poll
    }
}

async fn until(condition: impl Fn() -> bool) {
    while !condition() {
        sleep(Duration::from_millis(1)).await;
    }
}

/// Sends [`TEXT`] line by line, each in two halves with a tick between.
async fn write_halves(client: TcpStream, taken: Arc<AtomicUsize>, ticks: Arc<AtomicUsize>) {
    let mut client = &client;
    let mut sent = 0;
    for line in TEXT.split_inclusive('\n') {
        let (first, second) = line.split_at(3);
        client.write_all(first.as_bytes()).await.expect("write");
        sent += first.len();
        until(|| taken.load(Ordering::SeqCst) >= sent).await;
        let seen = ticks.load(Ordering::SeqCst);
        until(|| ticks.load(Ordering::SeqCst) > seen).await;
        client.write_all(second.as_bytes()).await.expect("write");
        sent += second.len();
        println!(
            "  sent     {:?} in two halves, a tick between them",
            line.trim_end()
        );
    }
}

type LineLoop = fn(
    BufReader<Counting<TcpStream>>,
    Box<dyn FnMut() -> Pin<Box<dyn Future<Output = ()>>>>,
) -> Pin<Box<dyn Future<Output = io::Result<Report>>>>;

async fn run(line_loop: LineLoop) -> io::Result<()> {
    let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))?;
    let client = TcpStream::connect(listener.local_addr()?).await?;
    let (server, _) = listener.accept().await?;
    let taken = Arc::new(AtomicUsize::new(0));
    let ticks = Arc::new(AtomicUsize::new(0));
    let writer = spawn(write_halves(client, taken.clone(), ticks.clone()));
    let reader = BufReader::new(Counting {
        inner: server,
        taken,
    });
    // ANCHOR: tick
    let tick = move || {
        let ticks = ticks.clone();
        Box::pin(async move {
            sleep(Duration::from_millis(5)).await;
            ticks.fetch_add(1, Ordering::SeqCst);
        }) as Pin<Box<dyn Future<Output = ()>>>
    };
    // ANCHOR_END: tick
    let report = line_loop(reader, Box::new(tick)).await?;
    writer.await.expect("the writer panicked");
    let kept: usize = report.lines.iter().map(|line| line.len() + 1).sum();
    println!(
        "  received {:?}: {} of {} bytes lost",
        report.lines,
        TEXT.len() - kept,
        TEXT.len()
    );
    Ok(())
}

fn main() -> io::Result<()> {
    let mut rt = Runtime::new()?;
    rt.block_on(async {
        println!("lossy loop (a new read_line every turn):");
        run(|reader, tick| Box::pin(lossy_lines(reader, tick))).await?;
        println!("held loop (one read_line until it completes):");
        run(|reader, tick| Box::pin(held_lines(reader, tick))).await
    })
}
