//! The command-line contract, through the binaries: bad addresses and busy
//! ports are clear messages on stderr with a non-zero exit, never a panic.

mod common;

use std::net::UdpSocket as StdUdpSocket;
use std::process::{Command, Output};

use common::{CLIENT, SERVER};

fn run(binary: &str, args: &[&str]) -> Output {
    testkit::within("run a binary", {
        let (binary, args) = (
            binary.to_owned(),
            args.iter().map(|a| a.to_string()).collect::<Vec<_>>(),
        );
        move || Command::new(binary).args(args).output().unwrap()
    })
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn an_address_that_does_not_parse_is_a_usage_error() {
    let out = run(SERVER, &["--addr", "nonsense"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = stderr(&out);
    assert!(
        err.contains("invalid value 'nonsense' for '--addr <IP:PORT>'"),
        "{err}"
    );
    // The book shows this message: `output/bad-addr.txt` must still be it.
    testkit::assert_capture(&err, "output/bad-addr.txt");
}

#[test]
fn a_port_out_of_range_is_a_usage_error() {
    let out = run(SERVER, &["--addr", "127.0.0.1:99999"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("invalid value '127.0.0.1:99999'"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn an_address_in_use_is_a_clear_error_and_exit_status_1() {
    let taken = StdUdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let out = run(SERVER, &["--addr", &addr]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out.stdout.is_empty(),
        "no `listening on` line for a failed bind"
    );
    let err = stderr(&out);
    assert!(
        err.starts_with(&format!("error: cannot bind a UDP socket to {addr}: ")),
        "{err}"
    );
    assert!(err.contains("another program is using that port"), "{err}");
    assert_eq!(err.lines().count(), 1, "one line, no backtrace: {err}");
    // The book shows the same message for the default address.
    let for_the_default = err.replace(&addr, udp_echo::cli::DEFAULT_ADDR);
    testkit::assert_capture(&for_the_default, "output/addr-in-use.txt");
}

#[test]
fn an_address_no_interface_has_is_a_clear_error() {
    // 192.0.2.0/24 is reserved for documentation: no host has it.
    let out = run(SERVER, &["--addr", "192.0.2.1:7007"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("no network interface here has that address"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn help_describes_the_addr_option_and_its_loopback_default() {
    for binary in [SERVER, CLIENT] {
        let out = run(binary, &["--help"]);
        assert!(out.status.success());
        let help = String::from_utf8(out.stdout).unwrap();
        assert!(help.contains("--addr <IP:PORT>"), "{help}");
        assert!(help.contains("[default: 127.0.0.1:7007]"), "{help}");
    }
}

#[test]
fn the_default_address_is_on_loopback() {
    let addr: std::net::SocketAddr = udp_echo::cli::DEFAULT_ADDR.parse().unwrap();
    assert!(addr.ip().is_loopback());
}
