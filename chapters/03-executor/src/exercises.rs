//! The chapter's exercises. Each module is the stub in `exercises/` (which
//! you edit), or the reference solution in `solutions/` when the crate is
//! built with `--features solutions`. Check one with `cargo ex check NAME`.

#[cfg_attr(not(feature = "solutions"), path = "../exercises/join_all.rs")]
#[cfg_attr(feature = "solutions", path = "../solutions/join_all.rs")]
pub mod join_all;

#[cfg_attr(not(feature = "solutions"), path = "../exercises/count_polls.rs")]
#[cfg_attr(feature = "solutions", path = "../solutions/count_polls.rs")]
pub mod count_polls;

#[cfg_attr(not(feature = "solutions"), path = "../exercises/race.rs")]
#[cfg_attr(feature = "solutions", path = "../solutions/race.rs")]
pub mod race;
