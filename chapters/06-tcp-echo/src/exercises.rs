//! The chapter's exercises. Each module is the stub in `exercises/`, or the
//! reference solution in `solutions/` with `--features solutions`.

#[cfg_attr(not(feature = "solutions"), path = "../exercises/upper_lines.rs")]
#[cfg_attr(feature = "solutions", path = "../solutions/upper_lines.rs")]
pub mod upper_lines;

#[cfg_attr(not(feature = "solutions"), path = "../exercises/frames.rs")]
#[cfg_attr(feature = "solutions", path = "../solutions/frames.rs")]
pub mod frames;

#[cfg_attr(not(feature = "solutions"), path = "../exercises/graceful.rs")]
#[cfg_attr(feature = "solutions", path = "../solutions/graceful.rs")]
pub mod graceful;
