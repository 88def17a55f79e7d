//! The chapter's exercises. Each module is the stub in `exercises/` (with
//! `// TODO`s to fill in) unless the `solutions` feature swaps in the
//! reference solution from `solutions/`. Check one with `cargo ex check NAME`.

#[cfg_attr(not(feature = "solutions"), path = "../exercises/oneshot.rs")]
#[cfg_attr(feature = "solutions", path = "../solutions/oneshot.rs")]
pub mod oneshot;

#[cfg_attr(not(feature = "solutions"), path = "../exercises/join2.rs")]
#[cfg_attr(feature = "solutions", path = "../solutions/join2.rs")]
pub mod join2;

#[cfg_attr(not(feature = "solutions"), path = "../exercises/static_waker.rs")]
#[cfg_attr(feature = "solutions", path = "../solutions/static_waker.rs")]
pub mod static_waker;
