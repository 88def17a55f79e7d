//! The chapter's exercises. Each module is the stub in `exercises/` (with
//! `// TODO`s to fill in) unless the `solutions` feature swaps in the
//! reference solution from `solutions/`. Check one with `cargo ex check NAME`.

#[cfg_attr(not(feature = "solutions"), path = "../exercises/read_exact.rs")]
#[cfg_attr(feature = "solutions", path = "../solutions/read_exact.rs")]
pub mod read_exact;

#[cfg_attr(not(feature = "solutions"), path = "../exercises/connect.rs")]
#[cfg_attr(feature = "solutions", path = "../solutions/connect.rs")]
pub mod connect;

#[cfg_attr(not(feature = "solutions"), path = "../exercises/kernel_sleep.rs")]
#[cfg_attr(feature = "solutions", path = "../solutions/kernel_sleep.rs")]
pub mod kernel_sleep;
