//! Exercise 8.3: stop a group of tasks at its first failure.
//!
//! Goal: run every job as a task of its own, each given a token. When a job
//! fails, the others must be told to stop (through their tokens); cancelling
//! `parent` must stop them too. But a failure in the group must not cancel
//! `parent`: it belongs to the caller, and other groups may hang from it.
//! Return only once every job's task is over (finished or stopped), with
//! the first error, or `Ok(n)` when all `n` jobs succeeded.

use std::future::Future;

use crate::token::CancellationToken;

pub async fn run_group<J, F>(parent: &CancellationToken, jobs: Vec<J>) -> Result<usize, String>
where
    J: FnOnce(CancellationToken) -> F,
    F: Future<Output = Result<(), String>> + Send + 'static,
{
    // TODO: a child token for the group, a `TaskTracker` to spawn the jobs
    // on and wait for, and a place for the first error.
    let _ = (parent, jobs);
    todo!()
}
