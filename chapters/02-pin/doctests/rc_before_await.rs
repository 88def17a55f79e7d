use std::rc::Rc;
use std::time::Duration;

let task = pin::spawn(async {
    let six = {
        let shared = Rc::new(5);
        *shared + 1
    };
    waker::Delay::new(Duration::from_millis(1)).await;
    six
});
assert_eq!(task.join().unwrap(), 6);
