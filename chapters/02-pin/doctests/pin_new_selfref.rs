use std::pin::Pin;

let mut future = pin::SelfRef::new([1, 2, 3]);
let pinned = Pin::new(&mut future);
# drop(pinned);
