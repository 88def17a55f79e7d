//! The chapter's exercises. Each module is the stub in `exercises/`, or the
//! reference solution in `solutions/` with `--features solutions`.

#[cfg_attr(not(feature = "solutions"), path = "../exercises/read_to_end.rs")]
#[cfg_attr(feature = "solutions", path = "../solutions/read_to_end.rs")]
pub mod read_to_end;

#[cfg_attr(not(feature = "solutions"), path = "../exercises/write_all.rs")]
#[cfg_attr(feature = "solutions", path = "../solutions/write_all.rs")]
pub mod write_all;

#[cfg_attr(not(feature = "solutions"), path = "../exercises/event_tally.rs")]
#[cfg_attr(feature = "solutions", path = "../solutions/event_tally.rs")]
pub mod event_tally;
