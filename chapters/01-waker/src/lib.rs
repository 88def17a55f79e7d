//! Chapter 1 of *Async from Scratch*: futures and the `Waker`.
//!
//! - [`raw_waker`]: a waker built by hand from a `RawWakerVTable`;
//! - [`wake_trait`]: the same through `std::task::Wake`;
//! - [`parker`]: sleeping until woken, without losing early or spurious wakes;
//! - [`block_on`](mod@block_on): the smallest executor, built from the three.

pub mod block_on;
pub mod parker;
pub mod raw_waker;
pub mod wake_trait;

pub use block_on::block_on;
pub use parker::{Parker, Unparker};
