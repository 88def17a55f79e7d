//! `cargo run -p reactor`: one read, followed through every step.
//!
//! A pipe: its reading end is registered with the reactor, a reader task
//! reads from it twice. The first message is written by another task, the
//! second by another thread once the reactor is asleep in `epoll_wait`. The
//! reactor's trace hook prints what the reactor does; a small wrapper prints
//! each time the executor polls a task; the tasks print their own
//! operations. Nothing here depends on timing, so the output is the same on
//! every run (a test compares it with `output/demo.txt`).

use std::future::Future;
use std::io::{self, Read, Write};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::task::{Context, Poll};
use std::thread;

use mio::unix::pipe;
use reactor::{Async, Reactor, Runtime, Step, spawn};

fn say(who: &str, what: impl std::fmt::Display) {
    println!("{who:>8} | {what}");
}

// ANCHOR: traced
/// Prints each time the executor polls the wrapped future.
struct Traced<F> {
    name: &'static str,
    future: Pin<Box<F>>,
}

impl<F: Future> Future for Traced<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        say("executor", format_args!("poll task `{}`", self.name));
        let polled = self.future.as_mut().poll(cx);
        if polled.is_pending() {
            say("executor", format_args!("`{}` returned Pending", self.name));
        }
        polled
    }
}

fn traced<F: Future>(name: &'static str, future: F) -> Traced<F> {
    Traced {
        name,
        future: Box::pin(future),
    }
}
// ANCHOR_END: traced

/// One `read_with`, printing what the `read` system call returned.
async fn read_once(rx: &Async<pipe::Receiver>) -> io::Result<String> {
    let mut buf = [0u8; 64];
    let n = rx
        .read_with(|mut io| {
            let result = io.read(&mut buf);
            match &result {
                Ok(n) => say("reader", format_args!("read() -> {n} bytes")),
                Err(e) => say("reader", format_args!("read() -> {:?}", e.kind())),
            }
            result
        })
        .await?;
    Ok(String::from_utf8_lossy(&buf[..n]).into_owned())
}

fn main() -> io::Result<()> {
    // ANCHOR: hook
    // The second message is written by a thread, once the reactor is about
    // to sleep with no timeout after the first message was read: the hook
    // tells it when. (The reactor also parks with no timeout before that,
    // while `hello` is already waiting in the pipe; a write then would
    // arrive together with `hello`.)
    let (asleep, wait_for_sleep) = mpsc::channel::<()>();
    let asleep = Mutex::new(asleep);
    let first_read = Arc::new(AtomicBool::new(false));
    let read_once_done = first_read.clone();
    let reactor = Reactor::with_trace(Arc::new(move |step: &Step| {
        say("reactor", step);
        if let Step::Park { timeout: None } = step
            && first_read.load(Ordering::SeqCst)
        {
            let _ = asleep.lock().unwrap().send(());
        }
    }))?;
    // ANCHOR_END: hook
    let mut rt = Runtime::with_reactor(reactor);
    let thread = rt.block_on(async {
        say("main", "create a pipe; register its reading end");
        let (tx, rx) = pipe::new()?;
        let rx = Async::new(rx)?;
        let writer = spawn(traced("writer", async move {
            let n = (&tx).write(b"hello")?;
            say("writer", format_args!("write(\"hello\") -> {n} bytes"));
            say("writer", "start a thread for the second message");
            Ok::<_, io::Error>(thread::spawn(move || {
                wait_for_sleep.recv().expect("the reactor parks");
                say("thread", "the reactor sleeps: write(\"world\")");
                (&tx).write_all(b"world").expect("write to the pipe");
                tx // keep the pipe open: no EOF event to race the reader
            }))
        }));
        let reader = traced("reader", async {
            for _ in 0..2 {
                let message = read_once(&rx).await?;
                say("reader", format_args!("got {message:?}"));
                read_once_done.store(true, Ordering::SeqCst);
            }
            Ok::<_, io::Error>(())
        });
        reader.await?;
        let thread = writer.await.expect("the writer task panicked")?;
        say("main", "done: drop the reading end");
        drop(rx);
        Ok::<_, io::Error>(thread)
    })?;
    drop(thread.join().expect("the writer thread panicked"));
    Ok(())
}
