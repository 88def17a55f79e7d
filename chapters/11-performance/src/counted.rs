//! A socket that counts the system calls made through it: every
//! [`Counted::read`] and [`Counted::write`] is one `recvfrom` or `sendto`
//! (mio's `TcpStream` hands each call straight to the kernel), so the
//! counts are the server's socket calls without strace or perf. Exercise
//! 11.3 measures an echo handler with it. It can also make writes partial
//! ([`Counted::with_write_limit`]), as a kernel may: on loopback Linux
//! takes a whole write of a few kilobytes into one buffer even when the
//! send buffer is nearly full, so a handler that ignores a partial write
//! would seldom be caught by a real socket alone.

use std::io::{self, Read, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use mio::event::Source;
use mio::{Interest, Registry, Token};

/// What went through a [`Counted`] socket so far.
#[derive(Debug, Default)]
pub struct Counts {
    reads: AtomicU64,
    would_block: AtomicU64,
    writes: AtomicU64,
    partial_writes: AtomicU64,
}

/// [`Counts`] read at one moment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Snapshot {
    /// Read calls, `WouldBlock` ones included.
    pub reads: u64,
    /// Read calls that found nothing and said `WouldBlock`.
    pub would_block: u64,
    /// Write calls, `WouldBlock` ones included.
    pub writes: u64,
    /// Write calls that took some of the bytes but not all.
    pub partial_writes: u64,
}

impl Counts {
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            reads: self.reads.load(Ordering::Relaxed),
            would_block: self.would_block.load(Ordering::Relaxed),
            writes: self.writes.load(Ordering::Relaxed),
            partial_writes: self.partial_writes.load(Ordering::Relaxed),
        }
    }
}

/// `S`, with its read and write calls counted in a shared [`Counts`].
#[derive(Debug)]
pub struct Counted<S> {
    inner: S,
    counts: Arc<Counts>,
    /// The most bytes one write hands to the kernel.
    write_limit: usize,
}

impl<S> Counted<S>
where
    for<'a> &'a S: Read + Write,
{
    /// `inner`, and the counts to read while it is in use.
    pub fn new(inner: S) -> (Counted<S>, Arc<Counts>) {
        Counted::with_write_limit(inner, usize::MAX)
    }

    /// [`new`](Self::new), with every write cut to at most `limit` bytes:
    /// a write of more returns `limit`, as a partial write would.
    pub fn with_write_limit(inner: S, limit: usize) -> (Counted<S>, Arc<Counts>) {
        let counts = Arc::new(Counts::default());
        let counted = Counted {
            inner,
            counts: counts.clone(),
            write_limit: limit.max(1),
        };
        (counted, counts)
    }

    /// One read system call.
    pub fn read(&self, buf: &mut [u8]) -> io::Result<usize> {
        self.counts.reads.fetch_add(1, Ordering::Relaxed);
        let result = (&self.inner).read(buf);
        if matches!(&result, Err(e) if e.kind() == io::ErrorKind::WouldBlock) {
            self.counts.would_block.fetch_add(1, Ordering::Relaxed);
        }
        result
    }

    /// One write system call.
    pub fn write(&self, buf: &[u8]) -> io::Result<usize> {
        self.counts.writes.fetch_add(1, Ordering::Relaxed);
        let offered = &buf[..buf.len().min(self.write_limit)];
        let result = (&self.inner).write(offered);
        if matches!(result, Ok(n) if n < buf.len()) {
            self.counts.partial_writes.fetch_add(1, Ordering::Relaxed);
        }
        result
    }

    pub fn get_ref(&self) -> &S {
        &self.inner
    }
}

/// Registered as the socket it wraps.
impl<S: Source> Source for Counted<S> {
    fn register(
        &mut self,
        registry: &Registry,
        token: Token,
        interests: Interest,
    ) -> io::Result<()> {
        self.inner.register(registry, token, interests)
    }

    fn reregister(
        &mut self,
        registry: &Registry,
        token: Token,
        interests: Interest,
    ) -> io::Result<()> {
        self.inner.reregister(registry, token, interests)
    }

    fn deregister(&mut self, registry: &Registry) -> io::Result<()> {
        self.inner.deregister(registry)
    }
}
