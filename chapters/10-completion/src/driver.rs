//! The completion driver: an io_uring instance as the executor's `Park`.
//!
//! Chapter 4's reactor asked the kernel "tell me when this socket may be
//! read", then the task read it. Here the task asks "read this socket into
//! this buffer", and the driver's park waits until the kernel says "done:
//! n bytes". The executor of chapter 3 and the timer driver of chapter 7 do
//! not see the difference: they only call `park`, `park_timeout` and
//! `unpark`.
//!
//! Only the driver's thread touches the ring. Futures (which may be dropped
//! on any thread) put their submission entries in a queue under the table's
//! lock; `park` moves them into the ring's submission queue and submits the
//! whole batch with the same system call that waits for completions.

use std::fmt;
use std::fs::File;
use std::io::{self, Write};
use std::mem::ManuallyDrop;
use std::os::fd::{AsRawFd, FromRawFd};
use std::panic;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::Waker;
use std::time::{Duration, Instant};

use executor::{Current, Park, ParkState, Unpark};
use io_uring::{IoUring, opcode, squeue, types};

use crate::op_table::{CANCEL, Key, Leftover, Lifecycle, Ops, UNPARK};

/// Submission queue entries; the completion queue gets twice as many.
const ENTRIES: u32 = 1024;

// ANCHOR: shared
/// What futures and unparkers reach, from any thread.
pub(crate) struct Shared {
    inner: Mutex<Inner>,
    /// The eventfd the driver keeps a read in flight on: writing to it
    /// completes that read, which ends the driver's wait.
    eventfd: File,
    /// Chapter 3's park-state protocol, as in chapter 4's reactor: an
    /// unpark costs a system call only when the driver is (about to be)
    /// blocked in the kernel.
    park_state: ParkState,
    /// Set when the driver is dropped: nobody will submit or reap again.
    shut_down: AtomicBool,
    /// The `ioprio` of every receive: `Setup::recv_poll_first`'s flag, or 0.
    pub(crate) recv_ioprio: u16,
}

pub(crate) struct Inner {
    pub(crate) ops: Ops,
    /// Entries waiting to be moved into the ring by the driver's thread.
    pending: Vec<squeue::Entry>,
}
// ANCHOR_END: shared

impl Shared {
    pub(crate) fn lock(&self) -> MutexGuard<'_, Inner> {
        // No user code runs under this lock (wakes and drops happen after
        // it is released), but one panic must not poison every task.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    // ANCHOR: submit
    /// Gives `entry` a slot and queues it for the next park. The caller
    /// owns the memory the entry points to and keeps it alive, at a fixed
    /// address, until the operation's completion has been taken, or hands
    /// it to the slot with [`Shared::abandon`].
    pub(crate) fn submit(&self, entry: squeue::Entry) -> Key {
        let mut inner = self.lock();
        let key = inner.ops.insert();
        if self.shut_down.load(Ordering::Acquire) {
            // Nobody will ever submit it: it fails at once, and its
            // resources come straight back.
            if let Some(entry) = inner.ops.get_mut(key) {
                entry.lifecycle = Lifecycle::Completed(-libc::ECANCELED);
            }
            return key;
        }
        inner.pending.push(entry.user_data(key.user_data()));
        drop(inner);
        self.nudge();
        key
    }
    // ANCHOR_END: submit

    // ANCHOR: abandon
    /// The future waiting for `key` is being dropped. If the operation has
    /// completed, the slot is freed and `leftover` finished at once, with
    /// the result nobody took. If its entry still waits in the queue, it is
    /// taken out, and the slot freed, likewise. Otherwise the kernel has it:
    /// `leftover` (the buffer, the socket, the cleanup) moves into the slot
    /// and a cancellation is queued; the slot is freed, and `leftover`
    /// finished, only when the kernel reports the operation over, cancelled
    /// or not.
    pub(crate) fn abandon(&self, key: Key, leftover: Leftover) {
        let mut guard = self.lock();
        let inner = &mut *guard;
        let Some(entry) = inner.ops.get_mut(key) else {
            // Unreachable: only this `Op`'s poll or drop removes its slot
            // while it still owns `keep`. Should it ever happen, leaking is
            // the one choice that cannot free memory the kernel uses.
            drop(guard);
            std::mem::forget(leftover);
            return;
        };
        match entry.lifecycle {
            Lifecycle::Completed(result) => {
                inner.ops.remove(key);
                drop(guard);
                leftover.finish(result);
            }
            Lifecycle::Waiting(_) => {
                let queued = inner
                    .pending
                    .iter()
                    .position(|queued| queued.get_user_data() == key.user_data());
                if let Some(at) = queued {
                    // Never submitted: the kernel has not seen it, so there
                    // is nothing to cancel. Submitting it only to cancel it
                    // would let it run first (a read with data waiting would
                    // consume the data); it just leaves the queue.
                    inner.pending.remove(at);
                    inner.ops.remove(key);
                    drop(guard);
                    leftover.finish(-libc::ECANCELED);
                    return;
                }
                entry.lifecycle = Lifecycle::Abandoned(leftover);
                let cancel = opcode::AsyncCancel::new(key.user_data())
                    .build()
                    .user_data(CANCEL);
                inner.pending.push(cancel);
                drop(guard);
                self.nudge();
            }
            Lifecycle::Abandoned(_) => unreachable!("an operation abandoned twice"),
        }
    }
    // ANCHOR_END: abandon

    // ANCHOR: nudge
    /// After queueing an entry: a driver that is running (the usual case:
    /// tasks submit while the executor polls them) moves the queue into
    /// the ring before it next waits, so it needs no wake, and must not
    /// get one (a NOTIFIED park would not sleep, and cost an extra system
    /// call per batch). Only a driver already blocked in the kernel, with
    /// its queue taken, must be woken to submit this entry.
    fn nudge(&self) {
        if self.park_state.is_parked() {
            self.unpark();
        }
    }

    /// Chapter 3's protocol, with the eventfd write as its system call.
    fn unpark(&self) {
        if self.park_state.unpark() {
            // A full eventfd counter (2^64 - 2) cannot happen here: the
            // driver drains it on every wake.
            (&self.eventfd)
                .write_all(&1u64.to_ne_bytes())
                .expect("write to the io_uring driver's eventfd");
        }
    }
    // ANCHOR_END: nudge
}

// ANCHOR: handle
/// A cheap, cloneable, `Send` reference to a driver, for submitting
/// operations and for looking at its table.
#[derive(Clone)]
pub struct Handle {
    pub(crate) shared: Arc<Shared>,
}

impl Handle {
    /// The driver of the runtime running on this thread.
    ///
    /// # Errors
    /// Outside `completion::Runtime::block_on` and its tasks (no driver is
    /// current on this thread), with a message that says so.
    pub fn current() -> io::Result<Handle> {
        Current::get(&CURRENT).ok_or_else(|| {
            io::Error::other(
                "no io_uring driver on this thread: use it inside \
                     completion::Runtime::block_on",
            )
        })
    }

    /// Makes this the thread's current driver until the guard is dropped.
    pub fn enter(&self) -> EnterGuard {
        Current::enter(&CURRENT, self.clone())
    }

    /// How many operations hold a slot: submitted and not yet taken by
    /// their future, or abandoned and not yet completed by the kernel.
    pub fn in_flight(&self) -> usize {
        self.shared.lock().ops.len()
    }
}
// ANCHOR_END: handle

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Handle")
            .field("in_flight", &self.in_flight())
            .finish()
    }
}

thread_local! {
    /// The driver of the runtime running on this thread (chapter 3's
    /// `Current`, as the executor, the reactor and the timers keep theirs).
    static CURRENT: Current<Handle> = const { Current::new() };
}

/// Puts back the thread's previous driver, if any, when dropped: runtimes
/// nest (a test may run one inside another's `block_on`). Like every
/// `EnterGuard` since chapter 3 it is not `Send`: it must be dropped on the
/// thread that entered.
pub type EnterGuard = executor::EnterGuard<Handle>;

// ANCHOR: uring
/// The driver: the ring, and the executor's [`Park`] on top of it.
pub struct Uring {
    /// Dropped by hand in `drop`, and only once the kernel is done with
    /// every buffer (otherwise leaked).
    ring: ManuallyDrop<IoUring>,
    shared: Arc<Shared>,
    /// Where the eventfd read writes its 8 bytes. Boxed so that its address
    /// stays put when the `Uring` moves; freed only after the read is over.
    unpark_buf: Box<[u8; 8]>,
    /// Wakers and abandoned operations' leftovers (with their results)
    /// collected by a reap, woken and finished after the lock is released.
    /// Kept to avoid allocating.
    to_wake: Vec<Waker>,
    to_free: Vec<(Leftover, i32)>,
    /// Set up with `Setup::defer_taskrun`: completions need asking for.
    defer_taskrun: bool,
}
// ANCHOR_END: uring

// ANCHOR: setup
/// How the ring is set up: who runs the kernel's share of a completion
/// (its "task work": copying a received packet into the buffer, posting
/// the completion entry), and when. The default is io_uring's own: the
/// kernel interrupts this thread to run it as soon as it is ready.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Setup {
    /// `IORING_SETUP_COOP_TASKRUN` (Linux 5.19): no interruption; the work
    /// runs at the thread's next entry into the kernel, whichever system
    /// call that is. With `IORING_SETUP_TASKRUN_FLAG`, which makes the
    /// ring say when work waits, so that a turn that does not wait still
    /// enters to collect it.
    pub coop_taskrun: bool,
    /// `IORING_SETUP_DEFER_TASKRUN` (Linux 6.1): the work runs only when
    /// this thread enters `io_uring_enter` asking for completions, that is,
    /// in the driver's turn, all of it at once. It requires
    /// `IORING_SETUP_SINGLE_ISSUER` (Linux 6.0), which this sets too: the
    /// kernel then takes `io_uring_enter` from one thread only, and refuses
    /// the others (`EEXIST`). Build the runtime on the thread that runs it.
    pub defer_taskrun: bool,
    /// `IORING_RECVSEND_POLL_FIRST` (Linux 5.19) on every receive: the
    /// kernel waits for data before its first attempt, instead of trying
    /// at once. An echo server's next read comes right after its write,
    /// before the client can have answered, so that first try can only
    /// find the socket empty. Where data is there after all, the wait ends
    /// at once and the receive proceeds.
    pub recv_poll_first: bool,
}
// ANCHOR_END: setup

/// `IORING_RECVSEND_POLL_FIRST` in `include/uapi/linux/io_uring.h`, set in
/// a receive's `ioprio` field (the `io-uring` crate does not export it).
const IORING_RECVSEND_POLL_FIRST: u16 = 1 << 0;

impl Uring {
    /// A driver with a fresh ring, set up as io_uring is by default.
    ///
    /// # Errors
    /// As [`Uring::with_setup`].
    pub fn new() -> io::Result<Uring> {
        Uring::with_setup(Setup::default())
    }

    /// A driver with a fresh ring, set up with `setup`.
    ///
    /// # Errors
    /// Where io_uring is not available (see [`probe`](crate::probe()): no
    /// kernel support, or a seccomp filter that refuses it), or lacks what
    /// this driver needs (`Unsupported`: no `IORING_FEAT_EXT_ARG`); and when
    /// the ring or its eventfd cannot be created (`EMFILE`, `ENOMEM`); a
    /// kernel older than a flag of `setup` refuses the ring (`EINVAL`).
    pub fn with_setup(setup: Setup) -> io::Result<Uring> {
        // ANCHOR: with_setup
        let mut builder = IoUring::builder();
        if setup.coop_taskrun {
            builder.setup_coop_taskrun().setup_taskrun_flag();
        }
        if setup.defer_taskrun {
            builder.setup_single_issuer().setup_defer_taskrun();
        }
        let ring = builder.build(ENTRIES)?;
        // ANCHOR_END: with_setup
        if !ring.params().is_feature_ext_arg() {
            // `park_timeout` waits with a timeout argument (Linux 5.11).
            return Err(io::Error::new(
                io::ErrorKind::Unsupported,
                "this kernel's io_uring cannot wait with a timeout (IORING_FEAT_EXT_ARG, Linux 5.11)",
            ));
        }
        // SAFETY: `eventfd` returns a new descriptor that nothing else owns
        // (or -1, checked first); `File` takes ownership and closes it.
        let eventfd = unsafe {
            let fd = libc::eventfd(0, libc::EFD_CLOEXEC);
            if fd < 0 {
                return Err(io::Error::last_os_error());
            }
            File::from_raw_fd(fd)
        };
        let mut driver = Uring {
            ring: ManuallyDrop::new(ring),
            shared: Arc::new(Shared {
                inner: Mutex::new(Inner {
                    ops: Ops::default(),
                    pending: Vec::new(),
                }),
                eventfd,
                park_state: ParkState::new(),
                shut_down: AtomicBool::new(false),
                recv_ioprio: if setup.recv_poll_first {
                    IORING_RECVSEND_POLL_FIRST
                } else {
                    0
                },
            }),
            unpark_buf: Box::new([0; 8]),
            to_wake: Vec::new(),
            to_free: Vec::new(),
            defer_taskrun: setup.defer_taskrun,
        };
        driver.arm_unpark();
        Ok(driver)
    }

    /// A handle for submitting operations to this driver.
    pub fn handle(&self) -> Handle {
        Handle {
            shared: self.shared.clone(),
        }
    }

    // ANCHOR: arm_unpark
    /// Keeps one read of the eventfd in flight. An unpark from any thread
    /// writes to the eventfd, the read completes, and the wait ends. The
    /// alternative, `IORING_OP_MSG_RING`, posts a completion straight into
    /// this ring, but must be submitted from another ring: a plain thread
    /// calling `Waker::wake` has none.
    fn arm_unpark(&mut self) {
        let read = opcode::Read::new(
            types::Fd(self.shared.eventfd.as_raw_fd()),
            self.unpark_buf.as_mut_ptr(),
            8,
        )
        .build()
        .user_data(UNPARK);
        self.push(&read);
    }
    // ANCHOR_END: arm_unpark

    /// Puts one entry in the ring's submission queue, submitting what is
    /// there first if it is full.
    fn push(&mut self, entry: &squeue::Entry) {
        loop {
            // SAFETY: every entry pushed here points only to memory that
            // stays valid until its completion: buffers owned by a future
            // or an abandoned slot (see `Shared::submit`), `unpark_buf`
            // (freed only after the driver drained the ring, in `drop`),
            // or nothing (cancellations).
            if unsafe { self.ring.submission().push(entry) }.is_ok() {
                return;
            }
            // Full: hand the batch to the kernel, which frees the queue.
            // `EBUSY` (completions backed up) is fine: the reap follows.
            match self.ring.submit() {
                Ok(_) => {}
                Err(e) if e.raw_os_error() == Some(libc::EBUSY) => {
                    self.reap();
                }
                Err(e) => panic!("io_uring submit failed: {e}"),
            }
        }
    }

    // ANCHOR: turn
    /// One turn: submit what futures queued, wait for a completion (or the
    /// timeout, or an unpark), then reap every completion there is.
    fn turn(&mut self, timeout: Option<Duration>) -> io::Result<()> {
        // Zero if woken after the executor's last look at its queue.
        let timeout = self.shared.park_state.before_wait(timeout);
        // After PARKED: a future dropped on another thread from here on
        // queues its cancellation *and* writes to the eventfd, so the wait
        // below ends and the next turn submits it.
        let pending = std::mem::take(&mut self.shared.lock().pending);
        for entry in &pending {
            self.push(entry);
        }
        let waited = match timeout {
            // With `defer_taskrun` (see `Setup`) the kernel finishes
            // completions only when asked for one: a turn that must not
            // wait asks all the same, with a zero timeout, or a runtime
            // whose tasks keep it busy would never see a completion.
            Some(Duration::ZERO) if !self.defer_taskrun => self.ring.submit(),
            None => self.ring.submit_and_wait(1),
            Some(timeout) => {
                let timespec = types::Timespec::from(timeout);
                let args = types::SubmitArgs::new().timespec(&timespec);
                self.ring.submitter().submit_with_args(1, &args)
            }
        };
        self.shared.park_state.set_running();
        match waited {
            Ok(_) => {}
            // The timeout passed, a signal came, or completions are backed
            // up in the kernel (the reap below makes room): all fine.
            Err(e)
                if matches!(
                    e.raw_os_error(),
                    Some(libc::ETIME | libc::EINTR | libc::EBUSY)
                ) => {}
            Err(e) => return Err(e),
        }
        self.reap();
        // Wake after the lock is released (pitfall 8): a woken task may be
        // polled, or dropped, right here, and either takes the lock. Every
        // waker of the batch, even if one of them panics (chapter 4's
        // `wake_all`); the panic is raised again once the batch is done.
        let panicked = reactor::wake_all(&mut self.to_wake);
        // What abandoned operations left, now that the kernel is done.
        self.finish_abandoned();
        if let Some(panic) = panicked {
            panic::resume_unwind(panic);
        }
        Ok(())
    }
    // ANCHOR_END: turn

    /// Cleans up after the abandoned operations the last reap found over,
    /// and frees what they kept alive.
    fn finish_abandoned(&mut self) {
        for (leftover, result) in self.to_free.drain(..) {
            leftover.finish(result);
        }
    }

    // ANCHOR: reap
    /// Takes every completion from the ring and records it in the table.
    fn reap(&mut self) {
        loop {
            if self.take_completions() {
                self.arm_unpark();
            }
            // With IORING_FEAT_NODROP the kernel keeps completions that did
            // not fit in a full queue, and hands them over on the next
            // enter: get them now rather than on the next turn.
            if !self.ring.submission().cq_overflow() {
                return;
            }
            // Err: EBUSY again only if still overflowing; loop and reap.
            let _ = self.ring.submit();
        }
    }

    /// Records the completions in the queue now, under one lock; collects
    /// the wakers to wake and the resources to free. Returns whether the
    /// eventfd read was among them (an unpark: it must be re-armed).
    fn take_completions(&mut self) -> bool {
        let mut unparked = false;
        let mut inner = self.shared.lock();
        for cqe in self.ring.completion() {
            match cqe.user_data() {
                UNPARK => unparked = true,
                CANCEL => {}
                user_data => {
                    let key = Key::from_user_data(user_data);
                    if let Some(waker) = inner.ops.complete(key, cqe.result(), &mut self.to_free) {
                        self.to_wake.push(waker);
                    }
                }
            }
        }
        unparked
    }
    // ANCHOR_END: reap
}

// ANCHOR: park_impl
impl Park for Uring {
    /// The handle that submits operations also wakes the driver: both
    /// only need the shared half, from any thread.
    type Unpark = Handle;

    fn unpark(&self) -> Handle {
        self.handle()
    }

    fn park(&mut self) -> io::Result<()> {
        self.turn(None)
    }

    fn park_timeout(&mut self, timeout: Duration) -> io::Result<()> {
        self.turn(Some(timeout))
    }
}

impl Unpark for Handle {
    /// Ends the driver's current or next wait in the kernel.
    fn unpark(&self) {
        self.shared.unpark();
    }
}
// ANCHOR_END: park_impl

impl fmt::Debug for Uring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Uring")
            .field("in_flight", &self.handle().in_flight())
            .finish_non_exhaustive()
    }
}

// ANCHOR: drop
impl Drop for Uring {
    /// Memory the kernel may still write to must outlive the ring's
    /// operations: cancel everything, and wait until the kernel has
    /// reported each one finished. Only then can buffers be freed.
    fn drop(&mut self) {
        self.shared.shut_down.store(true, Ordering::Release);
        let keys: Vec<Key> = self.shared.lock().ops.keys().collect();
        let cancels = keys
            .iter()
            .map(|key| {
                opcode::AsyncCancel::new(key.user_data())
                    .build()
                    .user_data(CANCEL)
            })
            .chain([opcode::AsyncCancel::new(UNPARK).build().user_data(CANCEL)]);
        let pending = std::mem::take(&mut self.shared.lock().pending);
        for entry in pending.iter().chain(cancels.collect::<Vec<_>>().iter()) {
            self.push(entry);
        }
        // Cancelling a socket operation completes it at once; give slower
        // ones (a disk read in a kernel worker) a generous bound.
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut unpark_done = false;
        while Instant::now() < deadline && (self.shared.lock().ops.unfinished() > 0 || !unpark_done)
        {
            let timespec = types::Timespec::from(Duration::from_millis(100));
            let args = types::SubmitArgs::new().timespec(&timespec);
            let _ = self.ring.submitter().submit_with_args(1, &args);
            unpark_done |= self.take_completions();
        }
        let leftover = self.shared.lock().ops.unfinished();
        if leftover > 0 || !unpark_done {
            // The kernel still holds pointers into memory we cannot free.
            // Leaking it (and the ring, so nothing is unmapped) is the only
            // safe choice left.
            eprintln!(
                "io_uring driver dropped with {leftover} operations unfinished: leaking them"
            );
            std::mem::forget(std::mem::replace(&mut self.unpark_buf, Box::new([0; 8])));
            // The table, with what abandoned operations keep alive.
            std::mem::forget(self.shared.clone());
        } else {
            // SAFETY: the ring is dropped once, here, and not used after.
            unsafe { ManuallyDrop::drop(&mut self.ring) };
        }
        // Futures still alive find their operations completed (cancelled).
        self.finish_abandoned();
        if let Some(panic) = reactor::wake_all(&mut self.to_wake) {
            panic::resume_unwind(panic);
        }
    }
}
// ANCHOR_END: drop
