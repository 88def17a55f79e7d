//! Exercise 10.3: a sleep the kernel times (solution).

use std::io;
use std::time::Duration;

use io_uring::{opcode, types};

use crate::Handle;
use crate::op_future::{Op, result};

/// Completes after `duration`, timed by the kernel.
pub async fn kernel_sleep(duration: Duration) -> io::Result<()> {
    let timespec = Box::new(types::Timespec::from(duration));
    let entry = opcode::Timeout::new(&*timespec as *const types::Timespec).build();
    // SAFETY: the entry points to the boxed timespec, whose heap allocation
    // the op owns and does not move; no descriptor is involved.
    let (res, _timespec) = unsafe { Op::submit(&Handle::current()?, entry, timespec) }.await;
    if res == -libc::ETIME {
        return Ok(());
    }
    result(res).map(drop)
}
