//! Exercise 8.3, solved: a group that stops at its first failure.

use std::future::Future;
use std::sync::{Arc, Mutex};

use crate::token::CancellationToken;
use crate::tracker::TaskTracker;

pub async fn run_group<J, F>(parent: &CancellationToken, jobs: Vec<J>) -> Result<usize, String>
where
    J: FnOnce(CancellationToken) -> F,
    F: Future<Output = Result<(), String>> + Send + 'static,
{
    // The group's own token: cancelled with `parent`, and cancellable alone.
    let group = parent.child_token();
    let tracker = TaskTracker::new();
    let first_error = Arc::new(Mutex::new(None));
    let count = jobs.len();
    for job in jobs {
        let job = job(group.clone());
        let group = group.clone();
        let first_error = first_error.clone();
        tracker.spawn(async move {
            if let Err(error) = job.await {
                first_error.lock().unwrap().get_or_insert(error);
                group.cancel();
            }
        });
    }
    tracker.close();
    tracker.wait().await;
    match first_error.lock().unwrap().take() {
        Some(error) => Err(error),
        None => Ok(count),
    }
}
