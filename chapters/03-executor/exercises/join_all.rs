//! Exercise 3.1: wait for every task in a list.
//!
//! Goal: `join_all` takes the `JoinHandle`s of tasks that are already
//! running and resolves to their results, in the order of the handles (not
//! the order in which the tasks finish). A task that panicked gives its
//! `Err(JoinError)` in its place; it does not stop the others.

use crate::{JoinError, JoinHandle};

/// Resolves to every task's result, in the order of `handles`.
#[allow(unused_variables)] // remove once you use `handles`
pub async fn join_all<T>(handles: Vec<JoinHandle<T>>) -> Vec<Result<T, JoinError>> {
    // TODO: await the handles and collect their results.
    todo!("join_all")
}
