//! Chapter 1 of *Async from Scratch*: futures and the `Waker`.
//!
//! - [`delay`]: a future written by hand, completed by another thread;
//! - [`raw_waker`]: a waker built by hand from a `RawWakerVTable`;
//! - [`wake_trait`]: the same through `std::task::Wake`;
//! - [`parker`]: sleeping until woken, without losing early or spurious wakes;
//! - [`block_on`](mod@block_on): the smallest executor, built from the three;
//! - [`trace`]: wrappers that print the poll/wake cycle, for the demo;
//! - [`exercises`]: the chapter's exercises (stubs, or with the `solutions`
//!   feature, the reference solutions).

pub mod block_on;
pub mod delay;
pub mod exercises;
pub mod parker;
pub mod raw_waker;
pub mod trace;
pub mod wake_trait;

pub use block_on::block_on;
pub use delay::Delay;
pub use parker::{Parker, Unparker};
