//! Chapter 2 of *Async from Scratch*: what an `async fn` compiles to, and
//! why `poll` takes `Pin<&mut Self>`.
//!
//! - [`sum`]: an `async fn` with two `.await`s, and the same future written
//!   by hand as an enum state machine;
//! - [`step`]: the leaf future both of them await, and [`log`], where they
//!   write what happens;
//! - [`selfref`]: a future that points into itself, sound only when pinned;
//! - [`map`]: structural pinning, a pin projection by hand and with
//!   `pin-project-lite`;
//! - [`spawn`](mod@spawn): `spawn` with a multi-threaded runtime's bounds;
//! - [`unpin`]: `is_unpin!`, the compiler's answer as a `bool`;
//! - [`exercises`]: the chapter's exercises (stubs, or with the `solutions`
//!   feature, the reference solutions).
//!
//! # What `spawn` refuses, and why
//!
//! Each example below is checked by `cargo test` (as a doc-test): the ones
//! marked `compile_fail` must fail to compile, and each is followed by a
//! twin that differs only in the fix and compiles, so the failure can only
//! come from what the fix changes. Where the compiler gives the error a code,
//! the example names it, and a nightly `rustdoc` (which `.ci/run` uses for
//! this crate) also checks that the code is the one reported. The "not
//! `Send`" error has no code.
//!
//! An `Rc` alive across an `.await` is stored in the future, and `Rc` is not
//! `Send`: its count is not atomic, so the future may not move to another
//! thread.
//!
//! ```compile_fail
//! use std::rc::Rc;
//! use std::time::Duration;
//!
//! let task = pin::spawn(async {
//!     let shared = Rc::new(5);
//!     waker::Delay::new(Duration::from_millis(1)).await;
//!     *shared + 1
//! });
//! assert_eq!(task.join().unwrap(), 6);
//! ```
//!
//! The fix for shared ownership across threads is `Arc`:
//!
//! ```
//! use std::sync::Arc;
//! use std::time::Duration;
//!
//! let task = pin::spawn(async {
//!     let shared = Arc::new(5);
//!     waker::Delay::new(Duration::from_millis(1)).await;
//!     *shared + 1
//! });
//! assert_eq!(task.join().unwrap(), 6);
//! ```
//!
//! An `Rc` that is gone before the `.await` is not part of the future's
//! state there, so the same future with the `Rc` in a block compiles too:
//!
//! ```
//! use std::rc::Rc;
//! use std::time::Duration;
//!
//! let task = pin::spawn(async {
//!     let six = {
//!         let shared = Rc::new(5);
//!         *shared + 1
//!     };
//!     waker::Delay::new(Duration::from_millis(1)).await;
//!     six
//! });
//! assert_eq!(task.join().unwrap(), 6);
//! ```
//!
//! A borrow of a local of the caller, kept across an `.await`, makes the
//! future only as long-lived as that local; `spawn` wants `'static`, because
//! the task may outlive the caller.
//!
//! ```compile_fail,E0597
//! use std::time::Duration;
//!
//! let name = String::from("pin");
//! let borrowed = &name;
//! let task = pin::spawn(async move {
//!     waker::Delay::new(Duration::from_millis(1)).await;
//!     borrowed.len()
//! });
//! assert_eq!(task.join().unwrap(), 3);
//! ```
//!
//! The fix is to give the task its own copy (here: move the `String` in):
//!
//! ```
//! use std::time::Duration;
//!
//! let name = String::from("pin");
//! let owned = name;
//! let task = pin::spawn(async move {
//!     waker::Delay::new(Duration::from_millis(1)).await;
//!     owned.len()
//! });
//! assert_eq!(task.join().unwrap(), 3);
//! ```
//!
//! # What `Pin` refuses
//!
//! `Pin::new` works only for `Unpin` targets. A compiler-generated future is
//! not `Unpin`, so it cannot be pinned this way (which would let it be moved
//! again after a poll):
//!
//! ```compile_fail,E0277
//! use std::pin::Pin;
//!
//! let mut future = pin::sum::sum_two(pin::log::Log::new());
//! let pinned = Pin::new(&mut future);
//! # drop(pinned);
//! ```
//!
//! It must be pinned where it will stay, on the stack with `pin!` or on the
//! heap with `Box::pin`:
//!
//! ```
//! use std::pin::pin;
//!
//! let mut future = pin!(pin::sum::sum_two(pin::log::Log::new()));
//! let pinned = future.as_mut();
//! # drop(pinned);
//! ```
//!
//! The same holds for the hand-written self-referential [`SelfRef`], which
//! opts out of `Unpin` with `PhantomPinned`:
//!
//! ```compile_fail,E0277
//! use std::pin::Pin;
//!
//! let mut future = pin::SelfRef::new([1, 2, 3]);
//! let pinned = Pin::new(&mut future);
//! # drop(pinned);
//! ```
//!
//! ```
//! let pinned = Box::pin(pin::SelfRef::new([1, 2, 3]));
//! assert_eq!(waker::block_on(pinned), 3);
//! ```

pub mod exercises;
pub mod log;
pub mod map;
pub mod selfref;
pub mod spawn;
pub mod step;
pub mod sum;
pub mod unpin;

pub use log::Log;
pub use map::{Map, MapLite};
pub use selfref::SelfRef;
pub use spawn::spawn;
pub use step::Step;
pub use sum::{SumTwo, sum_two};
