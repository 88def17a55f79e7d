//! The chapter's exercises. Each module is the stub in `exercises/` (with
//! `// TODO`s to fill in) unless the `solutions` feature swaps in the
//! reference solution from `solutions/`. Check one with `cargo ex check NAME`.

#[cfg_attr(not(feature = "solutions"), path = "../exercises/desugar.rs")]
#[cfg_attr(feature = "solutions", path = "../solutions/desugar.rs")]
pub mod desugar;

#[cfg_attr(not(feature = "solutions"), path = "../exercises/join_pinned.rs")]
#[cfg_attr(feature = "solutions", path = "../solutions/join_pinned.rs")]
pub mod join_pinned;

#[cfg_attr(not(feature = "solutions"), path = "../exercises/not_unpin.rs")]
#[cfg_attr(feature = "solutions", path = "../solutions/not_unpin.rs")]
pub mod not_unpin;
