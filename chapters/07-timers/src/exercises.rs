//! The chapter's exercises. Each module is the stub in `exercises/` (with
//! `// TODO`s to fill in) unless the `solutions` feature swaps in the
//! reference solution from `solutions/`. Check one with `cargo ex check NAME`.

#[cfg_attr(not(feature = "solutions"), path = "../exercises/backoff.rs")]
#[cfg_attr(feature = "solutions", path = "../solutions/backoff.rs")]
pub mod backoff;

#[cfg_attr(not(feature = "solutions"), path = "../exercises/select_deadline.rs")]
#[cfg_attr(feature = "solutions", path = "../solutions/select_deadline.rs")]
pub mod select_deadline;

#[cfg_attr(not(feature = "solutions"), path = "../exercises/debounce.rs")]
#[cfg_attr(feature = "solutions", path = "../solutions/debounce.rs")]
pub mod debounce;
