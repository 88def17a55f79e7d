//! The chapter's exercises. Each module is the stub in `exercises/` (with
//! `// TODO`s to fill in) unless the `solutions` feature swaps in the
//! reference solution from `solutions/`. Check one with `cargo ex check NAME`.

#[cfg_attr(not(feature = "solutions"), path = "../exercises/buffered_lines.rs")]
#[cfg_attr(feature = "solutions", path = "../solutions/buffered_lines.rs")]
pub mod buffered_lines;

#[cfg_attr(not(feature = "solutions"), path = "../exercises/read_within.rs")]
#[cfg_attr(feature = "solutions", path = "../solutions/read_within.rs")]
pub mod read_within;

#[cfg_attr(not(feature = "solutions"), path = "../exercises/first_failure.rs")]
#[cfg_attr(feature = "solutions", path = "../solutions/first_failure.rs")]
pub mod first_failure;
