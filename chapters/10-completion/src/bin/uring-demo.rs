//! `cargo run -p completion --bin uring-demo`: one operation's life on the
//! ring, step by step, with the driver's table and the buffer's fate shown
//! at each step: a read that completes, then a read that is dropped while
//! the kernel holds its buffer.

use std::io::Write;
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Waker};
use std::time::Duration;

use completion::{Op, Uring};
use executor::Park;
use io_uring::{opcode, types};

/// A buffer that says when it is freed.
struct Buffer {
    bytes: Vec<u8>,
    freed: Arc<AtomicBool>,
}

impl Drop for Buffer {
    fn drop(&mut self) {
        self.freed.store(true, Ordering::SeqCst);
        println!("    (buffer freed)");
    }
}

fn recv(handle: &completion::Handle, fd: i32) -> (Op<Buffer>, Arc<AtomicBool>) {
    let freed = Arc::new(AtomicBool::new(false));
    let mut buffer = Buffer {
        bytes: vec![0; 64],
        freed: freed.clone(),
    };
    let entry = opcode::Recv::new(types::Fd(fd), buffer.bytes.as_mut_ptr(), 64).build();
    // SAFETY: the entry points into `buffer.bytes`' heap allocation, owned
    // by the op; `main` keeps the socket open until the end.
    (unsafe { Op::submit(handle, entry, buffer) }, freed)
}

fn main() -> std::io::Result<()> {
    let mut driver = Uring::new()?;
    let handle = driver.handle();
    let (ours, mut peer) = UnixStream::pair()?;
    let mut cx = Context::from_waker(Waker::noop());

    println!("1. a read that completes");
    let (mut read, _) = recv(&handle, ours.as_raw_fd());
    println!("   queued:     in flight = {}", handle.in_flight());
    assert!(std::pin::Pin::new(&mut read).poll(&mut cx).is_pending());
    driver.park_timeout(Duration::ZERO)?;
    println!("   submitted:  the kernel holds the buffer; poll = Pending");
    peer.write_all(b"hello")?;
    driver.park_timeout(Duration::from_secs(1))?;
    let std::task::Poll::Ready((n, buffer)) = std::pin::Pin::new(&mut read).poll(&mut cx) else {
        unreachable!("the read completed")
    };
    println!(
        "   completed:  result = {n}, buffer back with {:?}, in flight = {}",
        String::from_utf8_lossy(&buffer.bytes[..n as usize]),
        handle.in_flight()
    );
    drop(buffer);

    println!("2. a read dropped while the kernel holds its buffer");
    let (mut read, freed) = recv(&handle, ours.as_raw_fd());
    assert!(std::pin::Pin::new(&mut read).poll(&mut cx).is_pending());
    driver.park_timeout(Duration::ZERO)?;
    drop(read);
    println!(
        "   dropped:    in flight = {}, buffer freed = {} (the slot keeps it)",
        handle.in_flight(),
        freed.load(Ordering::SeqCst)
    );
    driver.park_timeout(Duration::from_secs(1))?;
    println!(
        "   cancelled:  in flight = {}, buffer freed = {}",
        handle.in_flight(),
        freed.load(Ordering::SeqCst)
    );
    Ok(())
}
