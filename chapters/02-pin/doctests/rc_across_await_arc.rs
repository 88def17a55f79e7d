use std::sync::Arc;
use std::time::Duration;

let task = pin::spawn(async {
    let shared = Arc::new(5);
    waker::Delay::new(Duration::from_millis(1)).await;
    *shared + 1
});
assert_eq!(task.join().unwrap(), 6);
