//! `spawn` runs its future on another thread and hands back the output.

use std::thread;
use std::time::Duration;

#[test]
fn spawn_runs_the_future_on_another_thread() {
    let (output, here) = testkit::within("spawn", || {
        let task = pin::spawn(async {
            waker::Delay::new(Duration::from_millis(1)).await;
            thread::current().id()
        });
        (task.join().expect("the task"), thread::current().id())
    });
    assert_ne!(output, here);
}
