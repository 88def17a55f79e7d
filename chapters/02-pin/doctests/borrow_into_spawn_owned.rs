use std::time::Duration;

let name = String::from("pin");
let owned = name;
let task = pin::spawn(async move {
    waker::Delay::new(Duration::from_millis(1)).await;
    owned.len()
});
assert_eq!(task.join().unwrap(), 3);
