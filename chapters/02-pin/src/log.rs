//! A shared, single-threaded log that the chapter's futures write to, so a
//! test can compare what two futures did and the demo can print it.
//!
//! Entries are of two kinds: what the leaf futures saw (each poll and its
//! result, each drop), which an `async fn` and its hand-written twin must
//! produce identically, and the state transitions that only the hand-written
//! machine can report (the compiler's states have no names we can print).

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

/// One line of the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// A leaf future was polled or dropped.
    Leaf(String),
    /// The hand-written state machine moved from one state to another.
    State(String),
}

impl fmt::Display for Entry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Entry::Leaf(text) => write!(f, "  {text}"),
            Entry::State(text) => write!(f, "state {text}"),
        }
    }
}

/// A cheap handle to one log; clones share it.
#[derive(Debug, Clone, Default)]
pub struct Log(Rc<RefCell<Vec<Entry>>>);

impl Log {
    /// An empty log.
    pub fn new() -> Log {
        Log::default()
    }

    /// Records what a leaf future did.
    pub fn leaf(&self, text: impl Into<String>) {
        self.0.borrow_mut().push(Entry::Leaf(text.into()));
    }

    /// Records a state transition of a hand-written machine.
    pub fn state(&self, text: impl Into<String>) {
        self.0.borrow_mut().push(Entry::State(text.into()));
    }

    /// Every entry so far.
    pub fn entries(&self) -> Vec<Entry> {
        self.0.borrow().clone()
    }

    /// Only the leaf entries: the trace both versions of a future must share.
    pub fn leaf_trace(&self) -> Vec<String> {
        self.0
            .borrow()
            .iter()
            .filter_map(|e| match e {
                Entry::Leaf(text) => Some(text.clone()),
                Entry::State(_) => None,
            })
            .collect()
    }

    /// How many handles to this log exist (its `Rc` count): a test's way to
    /// see that a dropped future released the one it held.
    pub fn handles(&self) -> usize {
        Rc::strong_count(&self.0)
    }

    /// Forgets every entry (so a test can look at what happens next).
    pub fn clear(&self) {
        self.0.borrow_mut().clear();
    }
}
