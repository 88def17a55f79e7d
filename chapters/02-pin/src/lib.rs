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
#![doc = include_str!("../doctests/rc_across_await.rs")]
//! ```
//!
//! The fix for shared ownership across threads is `Arc`:
//!
//! ```
#![doc = include_str!("../doctests/rc_across_await_arc.rs")]
//! ```
//!
//! An `Rc` that is gone before the `.await` is not part of the future's
//! state there, so the same future with the `Rc` in a block compiles too:
//!
//! ```
#![doc = include_str!("../doctests/rc_before_await.rs")]
//! ```
//!
//! A borrow of a local of the caller, kept across an `.await`, makes the
//! future only as long-lived as that local; `spawn` wants `'static`, because
//! the task may outlive the caller.
//!
//! ```compile_fail,E0597
#![doc = include_str!("../doctests/borrow_into_spawn.rs")]
//! ```
//!
//! The fix is to give the task its own copy (here: move the `String` in):
//!
//! ```
#![doc = include_str!("../doctests/borrow_into_spawn_owned.rs")]
//! ```
//!
//! # What `Pin` refuses
//!
//! `Pin::new` works only for `Unpin` targets. A compiler-generated future is
//! not `Unpin`, so it cannot be pinned this way (which would let it be moved
//! again after a poll):
//!
//! ```compile_fail,E0277
#![doc = include_str!("../doctests/pin_new_async_fn.rs")]
//! ```
//!
//! It must be pinned where it will stay, on the stack with `pin!` or on the
//! heap with `Box::pin`:
//!
//! ```
#![doc = include_str!("../doctests/pin_async_fn_with_pin_macro.rs")]
//! ```
//!
//! The same holds for the hand-written self-referential [`SelfRef`], which
//! opts out of `Unpin` with `PhantomPinned`:
//!
//! ```compile_fail,E0277
#![doc = include_str!("../doctests/pin_new_selfref.rs")]
//! ```
//!
//! ```
#![doc = include_str!("../doctests/pin_selfref_with_box.rs")]
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

/// The compiler that built this crate (`rustc --version`), printed by the
/// demo beside the sizes it measures: a future's layout is the compiler's
/// choice, and another version may lay it out differently.
pub const RUSTC_VERSION: &str = env!("PIN_RUSTC_VERSION");
