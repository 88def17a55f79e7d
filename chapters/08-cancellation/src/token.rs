//! `CancellationToken`: a flag that can be raised once, awaited, and
//! inherited.
//!
//! Dropping a future cancels it, but only its owner can do that. A token is
//! how code that does not own a task asks it to stop: the task awaits
//! `token.cancelled()` beside its work (in a `select`) and winds down in its
//! own way, at a point it chose, with its clean-up. Tokens form a tree: a
//! child is cancelled with its parent (a server's shutdown reaches every
//! connection), but cancelling a child leaves the parent alone (one
//! connection's failure stops only that connection's helpers).
//!
//! The tree holds strong references upwards and weak ones downwards: a
//! child keeps its parent's node alive (so a grandchild is still reached
//! when the token between them was dropped), and a parent does not keep
//! dropped children alive.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, Weak};
use std::task::{Context, Poll};

use crate::waiters::{WaitFor, Waiters, lock};

// ANCHOR: token
/// A cancellation flag shared by clones, with child tokens below it.
#[derive(Clone)]
pub struct CancellationToken {
    node: Arc<Node>,
}

struct Node {
    state: Mutex<State>,
    /// Keeps the ancestors alive for as long as this node lives; never read.
    _parent: Option<Arc<Node>>,
}

struct State {
    /// Set once, never cleared: a token cannot be un-cancelled.
    cancelled: bool,
    /// The `cancelled()` futures waiting now.
    waiters: Waiters,
    /// The children, weakly. Pruned of dead entries as it grows.
    children: Vec<Weak<Node>>,
}
// ANCHOR_END: token

impl Node {
    fn new(cancelled: bool, parent: Option<Arc<Node>>) -> Arc<Node> {
        Arc::new(Node {
            state: Mutex::new(State {
                cancelled,
                waiters: Waiters::default(),
                children: Vec::new(),
            }),
            _parent: parent,
        })
    }

    // ANCHOR: cancel
    fn cancel(&self) {
        let (wakers, children) = {
            let mut state = lock(&self.state);
            if state.cancelled {
                return;
            }
            state.cancelled = true;
            (
                state.waiters.take_all(),
                std::mem::take(&mut state.children),
            )
        };
        // Outside the lock: a woken waiter may poll at once, on another
        // thread, and take this lock. The children are cancelled one by one,
        // each under its own lock only, never under ours: no lock order to
        // get wrong, whatever the depth of the tree.
        for waker in wakers {
            waker.wake();
        }
        for child in children {
            if let Some(child) = child.upgrade() {
                child.cancel();
            }
        }
    }
    // ANCHOR_END: cancel
}

impl CancellationToken {
    /// A new token, not cancelled, with no parent.
    pub fn new() -> CancellationToken {
        CancellationToken {
            node: Node::new(false, None),
        }
    }

    // ANCHOR: child
    /// A token that is cancelled when this one is (or at once, if this one
    /// already is), and that can be cancelled alone without touching this
    /// one.
    pub fn child_token(&self) -> CancellationToken {
        let mut state = lock(&self.node.state);
        // Decided under the parent's lock, which `cancel` takes to set the
        // flag and take the children: the child is either listed before the
        // parent's cancel takes the list, or born cancelled. No child can
        // slip between the two and miss its parent's cancel.
        let child = Node::new(state.cancelled, Some(self.node.clone()));
        if !state.cancelled {
            if state.children.len() == state.children.capacity() {
                // Before the list would grow, drop the dead: it stays
                // within twice the live children, at O(1) per child.
                state.children.retain(|child| child.strong_count() > 0);
            }
            state.children.push(Arc::downgrade(&child));
        }
        CancellationToken { node: child }
    }
    // ANCHOR_END: child

    /// Cancels this token and, through them, all its descendants; wakes
    /// every `cancelled()` future of each. Cancelling twice does nothing.
    pub fn cancel(&self) {
        self.node.cancel();
    }

    /// Whether this token (or an ancestor, before this was asked) has been
    /// cancelled.
    pub fn is_cancelled(&self) -> bool {
        lock(&self.node.state).cancelled
    }

    /// A future that completes once the token is cancelled.
    ///
    /// # Cancel safety
    /// Cancel safe. The cancellation is state, not a message: dropping
    /// this future loses nothing, and a new one completes at once if the
    /// token was cancelled meanwhile. Dropping it frees its waker's slot.
    pub fn cancelled(&self) -> Cancelled<'_> {
        Cancelled(WaitFor::new(
            &self.node.state,
            |state| state.cancelled,
            |state| &mut state.waiters,
        ))
    }

    /// How many `cancelled()` futures are waiting on this token now.
    pub fn waiters(&self) -> usize {
        lock(&self.node.state).waiters.len()
    }

    /// How many children this token has listed (live ones, plus dead ones
    /// not yet pruned). A cancelled token lists none.
    pub fn listed_children(&self) -> usize {
        lock(&self.node.state).children.len()
    }
}

impl Default for CancellationToken {
    fn default() -> Self {
        CancellationToken::new()
    }
}

// ANCHOR: cancelled
/// The future returned by [`CancellationToken::cancelled`]: waits in the
/// token's list until `cancel` sets the flag (and empties the list).
pub struct Cancelled<'a>(WaitFor<'a, State>);

impl Future for Cancelled<'_> {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        Pin::new(&mut self.0).poll(cx)
    }
}
// ANCHOR_END: cancelled

impl fmt::Debug for CancellationToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CancellationToken")
            .field("cancelled", &self.is_cancelled())
            .finish()
    }
}

impl fmt::Debug for Cancelled<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cancelled")
            .field("waiting", &self.0.is_waiting())
            .finish()
    }
}
