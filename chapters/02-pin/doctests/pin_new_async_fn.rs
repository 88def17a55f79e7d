use std::pin::Pin;

let mut future = pin::sum::sum_two(pin::log::Log::new());
let pinned = Pin::new(&mut future);
# drop(pinned);
