//! Exercise 3.1, solved: wait for every task in a list.

use crate::{JoinError, JoinHandle};

/// Resolves to every task's result, in the order of `handles`.
pub async fn join_all<T>(handles: Vec<JoinHandle<T>>) -> Vec<Result<T, JoinError>> {
    let mut results = Vec::with_capacity(handles.len());
    // Awaiting in order is not running in order: every task is already on
    // the run queue. A task that finishes early just has its output waiting
    // in its handle when we get to it.
    for handle in handles {
        results.push(handle.await);
    }
    results
}
