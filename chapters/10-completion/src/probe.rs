//! Is io_uring usable here? Old kernels lack it (`ENOSYS`), container
//! sandboxes often forbid it with seccomp (`EPERM`), and Linux 6.6+ can
//! switch it off with the `kernel.io_uring_disabled` sysctl. The chapter's
//! tests call [`probe`] first and skip, saying why, only in those cases.

use io_uring::IoUring;

// ANCHOR: probe
/// `Ok` if this process can create an io_uring instance with what the
/// driver needs; otherwise why not.
pub fn probe() -> Result<(), String> {
    match IoUring::new(2) {
        Ok(ring) if ring.params().is_feature_ext_arg() => Ok(()),
        Ok(_) => Err("the kernel's io_uring lacks IORING_FEAT_EXT_ARG (Linux 5.11)".into()),
        // Only these mean "not here": no such system call, or forbidden
        // (seccomp, or the sysctl). Any other failure (out of memory, too
        // many rings) is a real error, and the test that meets it in
        // `Runtime::new` must fail, not be skipped.
        Err(e)
            if !matches!(
                e.raw_os_error(),
                Some(libc::ENOSYS | libc::EPERM | libc::EACCES)
            ) =>
        {
            Ok(())
        }
        Err(e) => {
            let sysctl = std::fs::read_to_string("/proc/sys/kernel/io_uring_disabled")
                .map(|v| format!(", kernel.io_uring_disabled = {}", v.trim()))
                .unwrap_or_default();
            Err(format!("io_uring_setup failed: {e}{sysctl}"))
        }
    }
}

/// For tests: `true` if io_uring works; otherwise prints
/// `skipped: io_uring unavailable: <why>` and returns `false`.
pub fn available_or_skip(test: &str) -> bool {
    match probe() {
        Ok(()) => true,
        Err(why) => {
            eprintln!("{test}: skipped: io_uring unavailable: {why}");
            false
        }
    }
}
// ANCHOR_END: probe
