//! The chapter's exercises. Each module is the stub in `exercises/`, or the
//! reference solution in `solutions/` with `--features solutions`.

#[cfg_attr(not(feature = "solutions"), path = "../exercises/reverse_echo.rs")]
#[cfg_attr(feature = "solutions", path = "../solutions/reverse_echo.rs")]
pub mod reverse_echo;

#[cfg_attr(not(feature = "solutions"), path = "../exercises/rate_limit.rs")]
#[cfg_attr(feature = "solutions", path = "../solutions/rate_limit.rs")]
pub mod rate_limit;

#[cfg_attr(not(feature = "solutions"), path = "../exercises/truncation.rs")]
#[cfg_attr(feature = "solutions", path = "../solutions/truncation.rs")]
pub mod truncation;
