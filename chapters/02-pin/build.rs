//! Records which compiler built the crate. The sizes of compiler-generated
//! futures are that compiler's layout, not a language rule: the demo prints
//! the version beside them, and the tests compare sizes exactly only when
//! the compiler is the one the book's captured run was made with.

use std::process::Command;

fn main() {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned());
    let version = Command::new(rustc)
        .arg("--version")
        .output()
        .ok()
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "an unknown rustc".to_owned());
    println!("cargo:rustc-env=PIN_RUSTC_VERSION={version}");
    // Cargo reruns build scripts when the compiler changes; nothing else
    // here can change the answer.
    println!("cargo:rerun-if-changed=build.rs");
}
