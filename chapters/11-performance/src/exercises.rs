//! The chapter's exercises. Each module is the stub in `exercises/` (with
//! `// TODO`s to fill in) unless the `solutions` feature swaps in the
//! reference solution from `solutions/`. Check one with `cargo ex check NAME`.

#[cfg_attr(not(feature = "solutions"), path = "../exercises/open_loop.rs")]
#[cfg_attr(feature = "solutions", path = "../solutions/open_loop.rs")]
pub mod open_loop;

#[cfg_attr(not(feature = "solutions"), path = "../exercises/bootstrap.rs")]
#[cfg_attr(feature = "solutions", path = "../solutions/bootstrap.rs")]
pub mod bootstrap;

#[cfg_attr(not(feature = "solutions"), path = "../exercises/syscalls.rs")]
#[cfg_attr(feature = "solutions", path = "../solutions/syscalls.rs")]
pub mod syscalls;
