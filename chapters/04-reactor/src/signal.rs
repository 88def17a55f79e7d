//! Signals as a reactor source: the self-pipe trick.
//!
//! A signal handler runs on whatever thread the kernel interrupts, between
//! any two instructions, perhaps while that thread holds the allocator's or
//! the reactor's lock. So it may do almost nothing: only the functions
//! `signal-safety(7)` lists, and `write(2)` is one of them. The handler here
//! writes one byte, the signal's number, to a non-blocking pipe, and the
//! pipe's read end is registered with the reactor like any socket. A signal
//! then wakes the task that waits for it the way a datagram wakes a
//! receiver: through `epoll_wait`, with no thread that polls a flag.
//!
//! The handler is process-wide, and every [`Signals`] has its own pipe: the
//! handler writes to each pipe whose owner asked for that signal. A slot
//! table of write ends, read by the handler without a lock, connects the two.

use std::fmt;
use std::io::{self, Read};
use std::os::fd::AsRawFd;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI32, AtomicU64, AtomicUsize, Ordering};

use mio::unix::pipe;

use crate::async_io::Async;
use crate::reactor::Handle;

/// The signals a server stops on: `Ctrl-C` in a terminal, and what `kill`,
/// systemd or a container runtime send first.
pub const SHUTDOWN: [libc::c_int; 2] = [libc::SIGINT, libc::SIGTERM];

/// `SIGTERM` for 15: what a reader expects to see in a message.
pub fn name(signal: libc::c_int) -> String {
    match signal {
        libc::SIGINT => "SIGINT".to_string(),
        libc::SIGTERM => "SIGTERM".to_string(),
        other => format!("signal {other}"),
    }
}

/// How many [`Signals`] may exist at once in a process.
const SLOTS: usize = 32;

// ANCHOR: table
/// The write end of each listener's pipe, or -1 for a free slot.
static WRITE_ENDS: [AtomicI32; SLOTS] = [const { AtomicI32::new(-1) }; SLOTS];
/// Which signals each slot's owner asked for: bit `n` for signal `n`.
static WANTED: [AtomicU64; SLOTS] = [const { AtomicU64::new(0) }; SLOTS];
/// How many handlers are running right now, on any thread. A slot's pipe is
/// closed only when this is 0, so a handler never writes to a descriptor
/// number that was closed (and perhaps reused for a file) under it.
static IN_HANDLER: AtomicUsize = AtomicUsize::new(0);
/// Taken by `Signals::new` and `drop`, never by the handler: two threads
/// creating listeners must not pick the same free slot.
static SLOT_LOCK: Mutex<()> = Mutex::new(());
// ANCHOR_END: table

// ANCHOR: handler
/// The signal handler. Everything it calls is async-signal-safe: atomics
/// (lock-free, no allocation), `write(2)`, and `errno` saved on entry and
/// restored before returning, as `signal-safety(7)` requires of a handler
/// that calls anything that may set it.
extern "C" fn on_signal(signal: libc::c_int) {
    // SAFETY: `__errno_location` returns this thread's errno; reading it is
    // what "save errno on entry" means.
    let saved_errno = unsafe { *libc::__errno_location() };
    IN_HANDLER.fetch_add(1, Ordering::SeqCst);
    let byte = signal as u8;
    for (fd, wanted) in WRITE_ENDS.iter().zip(&WANTED) {
        let fd = fd.load(Ordering::SeqCst);
        if fd >= 0 && wanted.load(Ordering::SeqCst) & (1 << signal) != 0 {
            // One byte, the signal's number. A full pipe fails with EAGAIN
            // (the pipe is non-blocking, so the handler never waits): its
            // reader already has bytes to wake up for, and this signal
            // merges with those, as the kernel merges a standard signal
            // that is already pending (`signal(7)`). Nothing else can fail
            // here that the handler could do anything about.
            // SAFETY: `byte` is one readable byte; `fd` is an open pipe's
            // write end, since `Signals::drop` closes it only after marking
            // the slot free and seeing no handler running.
            let _ = unsafe { libc::write(fd, (&raw const byte).cast(), 1) };
        }
    }
    IN_HANDLER.fetch_sub(1, Ordering::SeqCst);
    // SAFETY: as above; restoring errno is the other half of the rule.
    unsafe { *libc::__errno_location() = saved_errno };
}
// ANCHOR_END: handler

// ANCHOR: install
/// Makes `on_signal` the handler of `signal`, for the rest of the process.
///
/// `SA_RESTART`: a read or write that the signal interrupts on another
/// thread is restarted instead of failing with `EINTR` (`signal(7)` lists
/// which calls; `epoll_wait` is never restarted, and the reactor treats its
/// `EINTR` as a spurious wakeup). The handler is never removed: a signal
/// that arrives while no `Signals` listens for it is dropped, the same
/// choice tokio makes ("the underlying libc signal handler is never
/// unregistered"). Putting the default action back when the last listener
/// goes would race with a listener being created on another thread.
fn install(signal: libc::c_int) -> io::Result<()> {
    // SAFETY: an all-zero `sigaction` is a valid value of the C struct (no
    // handler, empty mask, no flags); every field we rely on is set below.
    let mut action: libc::sigaction = unsafe { std::mem::zeroed() };
    action.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
    action.sa_flags = libc::SA_RESTART;
    // SAFETY: `sa_mask` is a valid `sigset_t` owned by `action`. An empty
    // mask blocks nothing more than the signal itself while the handler
    // runs (no SA_NODEFER, `sigaction(2)`).
    unsafe { libc::sigemptyset(&mut action.sa_mask) };
    // SAFETY: `action` is fully initialised and its handler only calls
    // async-signal-safe functions; a null `oldact` is allowed.
    if unsafe { libc::sigaction(signal, &action, std::ptr::null_mut()) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}
// ANCHOR_END: install

// ANCHOR: signals
/// A listener for some signals: each one that arrives becomes a byte in
/// its pipe, and [`recv`](Signals::recv) returns them one at a time.
///
/// Signals of one kind that arrive faster than they are received may be
/// merged, as the kernel merges them itself.
pub struct Signals {
    /// Owns the slot and the write end; its read end is `receiver`.
    pipe: SignalPipe,
    receiver: Async<pipe::Receiver>,
}

impl Signals {
    /// Listens for `signals` (for example [`SHUTDOWN`]) on the reactor of
    /// the runtime running on this thread.
    ///
    /// # Errors
    /// Outside a runtime; when `signals` names a signal that cannot be
    /// caught (`SIGKILL`, `SIGSTOP`) or that does not exist; when the
    /// process has no descriptor left for the pipe; when 32 listeners
    /// already exist.
    pub fn new(signals: &[libc::c_int]) -> io::Result<Signals> {
        Signals::with_handle(signals, &Handle::current()?)
    }

    /// [`new`](Signals::new), on the reactor behind `handle`.
    pub fn with_handle(signals: &[libc::c_int], handle: &Handle) -> io::Result<Signals> {
        let mut pipe = SignalPipe::open(signals)?;
        let receiver = pipe.receiver.take().expect("a new pipe has its read end");
        Ok(Signals {
            receiver: Async::with_handle(receiver, handle)?,
            pipe,
        })
    }

    /// Waits for the next signal and returns its number.
    ///
    /// # Cancel safety
    /// Cancel safe: a signal's byte is taken out of the pipe only by the
    /// read that returns it.
    pub async fn recv(&self) -> io::Result<libc::c_int> {
        let mut byte = [0u8; 1];
        self.receiver
            .read_with(|pipe| (&*pipe).read(&mut byte))
            .await?;
        Ok(libc::c_int::from(byte[0]))
    }
}
// ANCHOR_END: signals

impl fmt::Debug for Signals {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signals")
            .field("slot", &self.pipe.slot)
            .finish_non_exhaustive()
    }
}

/// The pipe of a listener, not yet registered with any reactor: for a
/// driver that reads the pipe its own way (chapter 10 reads it through
/// io_uring). Dropping it stops the listening.
pub struct SignalPipe {
    slot: usize,
    /// Kept open while the slot holds its descriptor (see `Drop`).
    _sender: pipe::Sender,
    /// `None` once `Signals` has registered it with a reactor.
    receiver: Option<pipe::Receiver>,
}

impl SignalPipe {
    /// Listens for `signals`; the signals' bytes arrive on
    /// [`receiver`](SignalPipe::receiver). Errors as for [`Signals::new`].
    pub fn open(signals: &[libc::c_int]) -> io::Result<SignalPipe> {
        let mut mask = 0u64;
        for &signal in signals {
            if !(1..64).contains(&signal) || signal == libc::SIGKILL || signal == libc::SIGSTOP {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("signal {signal} cannot be caught"),
                ));
            }
            mask |= 1 << signal;
        }
        // mio's pipe is created with O_NONBLOCK and O_CLOEXEC on both ends:
        // the handler must never block in `write`.
        let (sender, receiver) = pipe::new()?;
        let slot = claim(sender.as_raw_fd(), mask)?;
        let pipe = SignalPipe {
            slot,
            _sender: sender,
            receiver: Some(receiver),
        };
        // After the slot is filled: a signal from now on finds the pipe.
        for &signal in signals {
            install(signal)?;
        }
        Ok(pipe)
    }

    /// The read end: one byte per signal, its number.
    pub fn receiver(&self) -> &pipe::Receiver {
        self.receiver.as_ref().expect("taken only by Signals")
    }
}

impl Drop for SignalPipe {
    fn drop(&mut self) {
        // Free the slot before the fields drop: the handler must not be able
        // to find the write end once it is closed.
        free(self.slot);
    }
}

impl fmt::Debug for SignalPipe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignalPipe")
            .field("slot", &self.slot)
            .finish_non_exhaustive()
    }
}

// ANCHOR: slots
/// Puts a pipe's write end in a free slot. The mask is stored before the
/// descriptor, so a handler that sees the descriptor sees the mask too.
fn claim(fd: libc::c_int, mask: u64) -> io::Result<usize> {
    let _lock = SLOT_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let slot = WRITE_ENDS
        .iter()
        .position(|end| end.load(Ordering::SeqCst) < 0)
        .ok_or_else(|| io::Error::other(format!("more than {SLOTS} signal listeners")))?;
    WANTED[slot].store(mask, Ordering::SeqCst);
    WRITE_ENDS[slot].store(fd, Ordering::SeqCst);
    Ok(slot)
}

/// Empties a slot, then waits until no handler can still be using its old
/// descriptor; the caller closes the pipe after this returns. A handler
/// that started before the swap may have read the descriptor and be about
/// to write to it; one that starts after sees -1.
fn free(slot: usize) {
    let _lock = SLOT_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    WRITE_ENDS[slot].store(-1, Ordering::SeqCst);
    WANTED[slot].store(0, Ordering::SeqCst);
    // A handler is a few system calls long. If it interrupted this very
    // thread, it has returned before this loop runs again.
    while IN_HANDLER.load(Ordering::SeqCst) != 0 {
        std::thread::yield_now();
    }
}
// ANCHOR_END: slots
