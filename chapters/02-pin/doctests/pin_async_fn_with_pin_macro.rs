use std::pin::pin;

let mut future = pin!(pin::sum::sum_two(pin::log::Log::new()));
let pinned = future.as_mut();
# drop(pinned);
