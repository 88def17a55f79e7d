//! The reactor: one `mio::Poll`, the records of every source registered
//! with it, and the loop step that turns OS events into wakes.
//!
//! It runs on the executor's own thread: it is the executor's [`Park`]. When
//! the run queue is empty the executor parks, which here means "wait in
//! `epoll_wait` until a source is ready or someone unparks us", and then
//! dispatches what the OS reported. No thread of its own, so no cross-thread
//! hop between "the OS said ready" and "the task runs".

use std::any::Any;
use std::fmt;
use std::io;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::Waker;
use std::time::Duration;

use executor::{Current, Park, ParkState, Unpark};
use mio::{Events, Poll, Registry};
use slab::Slab;

use crate::readiness::Ready;
use crate::record::Record;
use crate::token::{self, WAKER};
use crate::trace::{Step, TraceHook};

/// How many events one OS wait collects at most; the rest wait for the next.
const EVENTS_CAPACITY: usize = 1024;

// ANCHOR: shared
/// The part of the reactor that sources and unparkers reach, from any thread.
pub(crate) struct Shared {
    /// Registers and deregisters sources; a clone of the `Poll`'s registry.
    registry: Registry,
    /// The slab of per-source records.
    table: Mutex<Table>,
    /// Makes a blocked `poll` return: the reactor's unpark.
    waker: mio::Waker,
    /// Chapter 3's park-state protocol: whether an unpark must write to
    /// the `mio::Waker`.
    park_state: ParkState,
    /// How many times an unpark wrote to the `mio::Waker` (for tests and
    /// the book: the syscalls the park state saves).
    waker_writes: AtomicU64,
    trace: Option<TraceHook>,
}

pub(crate) struct Table {
    pub(crate) records: Slab<Record>,
    /// The generation the next registration gets.
    next_generation: usize,
    /// Set when the `Reactor` is dropped: nobody will poll the OS again.
    /// It lives under the lock with the wakers, so that "not shut down,
    /// store my waker" and "shut down, wake every stored waker" cannot
    /// interleave: a waiter either sees the flag or is woken by the drain.
    pub(crate) shut_down: bool,
}
// ANCHOR_END: shared

impl Shared {
    pub(crate) fn lock(&self) -> MutexGuard<'_, Table> {
        // The rule of this lock: no waker is woken or dropped while it is
        // held (collect, unlock, then wake or drop), and no hook runs under
        // it, since any of those may run code that takes it again. Cloning
        // the waker to store is the only foreign code it covers. A poisoned
        // lock must not turn one panic into everyone's.
        self.table.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn trace(&self, step: impl FnOnce() -> Step) {
        if let Some(hook) = &self.trace {
            hook(&step());
        }
    }

    // ANCHOR: register
    /// Gives `source` a slot and registers it with the OS, once, for both
    /// directions. Returns its slot and generation.
    pub(crate) fn register(
        &self,
        source: &mut impl mio::event::Source,
    ) -> io::Result<(usize, usize)> {
        let (slot, generation) = {
            let mut table = self.lock();
            if table.records.len() >= token::MAX_SOURCES {
                return Err(io::Error::other(
                    "too many sources registered with one reactor",
                ));
            }
            let generation = table.next_generation;
            table.next_generation = token::next_generation(generation);
            (table.records.insert(Record::new(generation)), generation)
        };
        // The record exists before the OS can report anything for the token.
        let interest = mio::Interest::READABLE | mio::Interest::WRITABLE;
        // Priority (EPOLLPRI: TCP urgent data) suspends the short-read rule
        // (see `Registration::clear`); epoll reports it only if asked.
        #[cfg(any(target_os = "linux", target_os = "android"))]
        let interest = interest | mio::Interest::PRIORITY;
        if let Err(e) = self
            .registry
            .register(source, token::encode(slot, generation), interest)
        {
            self.lock().records.remove(slot);
            return Err(e);
        }
        self.trace(|| Step::Register { slot, generation });
        Ok((slot, generation))
    }

    /// Deregisters `source` from the OS and frees its slot. An event for it
    /// that the OS already handed out carries the old generation, so it
    /// cannot reach whoever gets the slot next.
    pub(crate) fn deregister(
        &self,
        source: &mut impl mio::event::Source,
        slot: usize,
        generation: usize,
    ) -> io::Result<()> {
        let result = self.registry.deregister(source);
        self.free(slot, generation);
        result
    }
    // ANCHOR_END: register

    /// Frees the slot of a registration, whether or not its source is still
    /// registered with the OS. A closed fd leaves epoll only once every fd
    /// that shares its open file description is closed too (epoll(7)), so
    /// events may still come for it; they carry this slot's old generation,
    /// and `dispatch` drops them.
    pub(crate) fn free(&self, slot: usize, generation: usize) {
        let freed = {
            let mut table = self.lock();
            match table.records.get(slot) {
                Some(record) if record.generation == generation => Some(table.records.remove(slot)),
                _ => None,
            }
        };
        // The record's wakers are dropped here, after the lock is released:
        // one may be the last reference to a task whose sources deregister.
        if let Some(record) = freed {
            drop(record);
            self.trace(|| Step::Deregister { slot, generation });
        }
    }

    // ANCHOR: unpark
    /// Makes the executor's current or next park return.
    fn unpark(&self) {
        // Only a park that is (about to be) blocked in the OS needs the
        // syscall. If the executor is running, it looks at its run queue
        // before parking again; the state left behind also tells that park
        // not to block, for an unpark that slips in after the executor's
        // last look.
        if self.park_state.unpark() {
            self.waker_writes.fetch_add(1, Ordering::Relaxed);
            self.waker
                .wake()
                .expect("wake the reactor's poll (eventfd write)");
        }
    }
    // ANCHOR_END: unpark
}

// ANCHOR: handle
/// A cheap, cloneable, `Send` reference to a reactor, for registering
/// sources ([`Async::with_handle`](crate::Async::with_handle)) and for
/// looking at its tables.
#[derive(Clone)]
pub struct Handle {
    pub(crate) shared: Arc<Shared>,
}

impl Handle {
    /// The reactor of the runtime running on this thread.
    ///
    /// # Errors
    /// Outside a runtime's `block_on` and its tasks (nothing entered a
    /// reactor on this thread), with a message that says where to call it.
    pub fn current() -> io::Result<Handle> {
        Current::get(&CURRENT).ok_or_else(|| {
            io::Error::other(
                "no reactor on this thread: create I/O objects inside \
                 reactor::Runtime::block_on (or its tasks), or pass a Handle \
                 to Async::with_handle",
            )
        })
    }

    /// Makes this the current reactor of the thread until the guard is
    /// dropped (what `Runtime::block_on` does; for drivers that wrap the
    /// reactor, such as the timer chapter's).
    pub fn enter(&self) -> EnterGuard {
        Current::enter(&CURRENT, self.clone())
    }

    /// How many sources are registered (slots in use).
    pub fn registered_sources(&self) -> usize {
        self.shared.lock().records.len()
    }

    /// How many slots the slab has allocated room for. It does not shrink,
    /// but freed slots are reused: a steady number of sources keeps it flat.
    pub fn slot_capacity(&self) -> usize {
        self.shared.lock().records.capacity()
    }

    /// How many waiters (tasks waiting, or futures holding a waiter slot)
    /// exist over all sources.
    pub fn waiters(&self) -> usize {
        let table = self.shared.lock();
        table.records.iter().map(|(_, r)| r.waiter_count()).sum()
    }

    /// How many unparks had to write to the reactor's `mio::Waker`.
    pub fn waker_writes(&self) -> u64 {
        self.shared.waker_writes.load(Ordering::Relaxed)
    }
}
// ANCHOR_END: handle

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Handle")
            .field("registered_sources", &self.registered_sources())
            .finish_non_exhaustive()
    }
}

thread_local! {
    /// The reactor of the runtime running on this thread (chapter 3's
    /// `Current`, as the executor keeps its own).
    static CURRENT: Current<Handle> = const { Current::new() };
}

/// Restores the thread's previous current reactor when dropped.
pub type EnterGuard = executor::EnterGuard<Handle>;

// ANCHOR: reactor
/// The reactor. It owns the OS poller and is driven by the executor, as its
/// [`Park`]: `park()` waits for OS events and dispatches them.
pub struct Reactor {
    poll: Poll,
    events: Events,
    shared: Arc<Shared>,
    /// Wakers collected by a dispatch, woken after the lock is released.
    /// Kept between turns so a busy reactor does not allocate.
    to_wake: Vec<Waker>,
}
// ANCHOR_END: reactor

impl Reactor {
    /// A reactor with a fresh OS poller (an epoll or kqueue instance).
    ///
    /// # Errors
    /// When the OS cannot create the poller or its waker (an `eventfd` on
    /// Linux): out of file descriptors (`EMFILE`), or of memory.
    pub fn new() -> io::Result<Reactor> {
        Reactor::build(None)
    }

    /// A reactor that reports each [`Step`] to `hook` (the demo prints them).
    ///
    /// # Errors
    /// As [`Reactor::new`].
    pub fn with_trace(hook: TraceHook) -> io::Result<Reactor> {
        Reactor::build(Some(hook))
    }

    fn build(trace: Option<TraceHook>) -> io::Result<Reactor> {
        let poll = Poll::new()?;
        let shared = Arc::new(Shared {
            registry: poll.registry().try_clone()?,
            table: Mutex::new(Table {
                records: Slab::new(),
                next_generation: 0,
                shut_down: false,
            }),
            waker: mio::Waker::new(poll.registry(), WAKER)?,
            park_state: ParkState::new(),
            waker_writes: AtomicU64::new(0),
            trace,
        });
        Ok(Reactor {
            poll,
            events: Events::with_capacity(EVENTS_CAPACITY),
            shared,
            to_wake: Vec::new(),
        })
    }

    /// A handle for registering sources with this reactor.
    pub fn handle(&self) -> Handle {
        Handle {
            shared: self.shared.clone(),
        }
    }

    // ANCHOR: turn
    /// One turn: wait for OS events (at most `timeout`), then dispatch them.
    fn turn(&mut self, timeout: Option<Duration>) -> io::Result<()> {
        let shared = self.shared.clone();
        // Zero if an unpark came after the executor last looked at its
        // queue: collect events, but do not sleep.
        let timeout = shared.park_state.before_wait(timeout);
        shared.trace(|| Step::Park { timeout });
        let polled = self.poll.poll(&mut self.events, timeout);
        // Awake: from here until the next park, unparks are free.
        shared.park_state.set_running();
        match polled {
            Ok(()) => {}
            // A signal cut the wait short: a spurious wakeup, which `Park`
            // allows. The executor just looks again.
            Err(e) if e.kind() == io::ErrorKind::Interrupted => return Ok(()),
            Err(e) => return Err(e),
        }
        shared.trace(|| Step::Events {
            count: self.events.iter().count(),
        });
        self.dispatch();
        // Wakes made by the dispatch pushed their tasks before they
        // unparked, and the executor looks at its queue before it parks
        // again: their NOTIFIED would only cost a useless extra poll.
        shared.park_state.set_running();
        Ok(())
    }
    // ANCHOR_END: turn

    // ANCHOR: dispatch
    /// Updates the records of the sources the OS reported, then wakes their
    /// waiters, in that order: the wakers are collected under the lock and
    /// called after it is released. A woken task's waker may run any code,
    /// including dropping (deregistering) a source, which takes this lock.
    fn dispatch(&mut self) {
        let shared = &*self.shared;
        let tracing = shared.trace.is_some();
        let mut steps = Vec::new();
        {
            let mut table = shared.lock();
            for event in self.events.iter() {
                if event.token() == WAKER {
                    // Its only job was to end the wait.
                    if tracing {
                        steps.push(Step::Unparked);
                    }
                    continue;
                }
                let (slot, generation) = token::decode(event.token());
                let ready = Ready::from_event(event);
                let step = match table.records.get_mut(slot) {
                    Some(record) if record.generation == generation => {
                        let wakers = record.on_event(ready, &mut self.to_wake);
                        Step::Event {
                            slot,
                            generation,
                            ready,
                            wakers,
                        }
                    }
                    // The source was dropped after the OS queued this event
                    // (and the slot may have a new owner): not theirs.
                    _ => Step::StaleEvent { slot, generation },
                };
                if tracing {
                    steps.push(step);
                }
            }
        }
        for step in &steps {
            shared.trace(|| step.clone());
        }
        if let Some(panic) = wake_all(&mut self.to_wake) {
            panic::resume_unwind(panic);
        }
    }
    // ANCHOR_END: dispatch
}

// ANCHOR: wake_all
/// Wakes every waker in `wakers`, in order, even if one of them panics: a
/// waker runs code the reactor does not control, and one that panics must
/// not leave the rest of its batch asleep for ever (their events are spent;
/// no new edge will come for them). Returns the first panic, for the
/// caller to re-raise once everyone is awake; the panic hook has already
/// reported any later one. Chapter 7's timer driver and chapter 10's
/// io_uring driver wake their batches with it too.
pub fn wake_all(wakers: &mut Vec<Waker>) -> Option<Box<dyn Any + Send>> {
    let mut first = None;
    for waker in wakers.drain(..) {
        // Unwind safety: a waker that panicked is dropped right here, and
        // nothing of the reactor's is borrowed by the call.
        if let Err(panic) = panic::catch_unwind(AssertUnwindSafe(|| waker.wake())) {
            first.get_or_insert(panic);
        }
    }
    first
}
// ANCHOR_END: wake_all

// ANCHOR: park_impl
impl Park for Reactor {
    type Unpark = ReactorUnpark;

    fn unpark(&self) -> ReactorUnpark {
        ReactorUnpark {
            shared: self.shared.clone(),
        }
    }

    fn park(&mut self) -> io::Result<()> {
        self.turn(None)
    }

    fn park_timeout(&mut self, timeout: Duration) -> io::Result<()> {
        self.turn(Some(timeout))
    }
}

/// Wakes the reactor's thread out of its OS wait, from any thread.
#[derive(Clone)]
pub struct ReactorUnpark {
    shared: Arc<Shared>,
}

impl Unpark for ReactorUnpark {
    fn unpark(&self) {
        self.shared.unpark();
    }
}
// ANCHOR_END: park_impl

impl fmt::Debug for ReactorUnpark {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReactorUnpark").finish_non_exhaustive()
    }
}

impl fmt::Debug for Reactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Reactor")
            .field("registered_sources", &self.handle().registered_sources())
            .finish_non_exhaustive()
    }
}

impl Drop for Reactor {
    /// Nobody will poll the OS for these sources again: wake every waiter,
    /// so its next poll sees the shutdown and returns an error instead of
    /// waiting forever.
    fn drop(&mut self) {
        {
            let mut table = self.shared.lock();
            table.shut_down = true;
            for (_, record) in table.records.iter_mut() {
                record.take_all(&mut self.to_wake);
            }
        }
        if let Some(panic) = wake_all(&mut self.to_wake) {
            // Unwinding out of a drop that runs because of another panic
            // would abort the process: then that first panic wins.
            if !std::thread::panicking() {
                panic::resume_unwind(panic);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Async;
    use std::io::{Read, Write};
    use std::sync::atomic::AtomicUsize;
    use std::task::{Context, Wake};

    /// A waker that counts its wakes.
    #[derive(Default)]
    struct Count(AtomicUsize);

    impl Wake for Count {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    // ANCHOR: stale_test
    #[test]
    fn a_reused_slot_gets_no_stale_wake() {
        testkit::within("a_reused_slot_gets_no_stale_wake", || {
            let mut reactor = Reactor::new().unwrap();
            let handle = reactor.handle();
            let (old, mut old_peer) = mio::net::UnixStream::pair().unwrap();
            let old = Async::with_handle(old, &handle).unwrap();
            old_peer.write_all(b"for the old owner").unwrap();
            // The OS hands out the old source's event...
            reactor
                .poll
                .poll(&mut reactor.events, Some(Duration::from_secs(5)))
                .unwrap();
            assert!(!reactor.events.is_empty());
            // ...and before it is dispatched, the source is dropped and a new
            // one takes its slot, and waits to read.
            let slot = old.slot();
            drop(old);
            let (new, _new_peer) = mio::net::UnixStream::pair().unwrap();
            let new = Async::with_handle(new, &handle).unwrap();
            assert_eq!(new.slot(), slot, "the slab reuses the freed slot");
            let count = Arc::new(Count::default());
            let waker = Waker::from(count.clone());
            let mut read = Box::pin(new.read_with(|io| (&*io).read(&mut [0; 64])));
            assert!(
                read.as_mut()
                    .poll(&mut Context::from_waker(&waker))
                    .is_pending()
            );
            reactor.dispatch();
            assert_eq!(
                count.0.load(Ordering::SeqCst),
                0,
                "the new source was woken by the old one's event"
            );
        })
    }
    // ANCHOR_END: stale_test
}
