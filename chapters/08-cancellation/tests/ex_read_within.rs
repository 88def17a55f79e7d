//! Exercise 8.2 (`cargo ex check read-within`): a timeout that says how
//! far the read got.

mod common;

use std::time::Duration;

use cancellation::exercises::read_within::{Incomplete, read_within};
use common::{Script, Step, run};

#[test]
fn a_deadline_reports_the_bytes_that_did_arrive() {
    let (result, buf) = run("exercise 8.2", || async {
        // 3 bytes, then 2 more after a wait, then nothing for ever.
        let mut script =
            Script::new([Step::Data(b"abc"), Step::Wait(2), Step::Data(b"de")]).hanging();
        let mut buf = [0; 8];
        let result = read_within(&mut script, &mut buf, Duration::from_millis(20)).await;
        (result, buf)
    });
    match result {
        Err(Incomplete::TimedOut { filled }) => assert_eq!(filled, 5),
        other => panic!("expected TimedOut {{ filled: 5 }}, got {other:?}"),
    }
    assert_eq!(&buf[..5], b"abcde");
}

#[test]
fn a_read_that_completes_in_time_is_ok() {
    let (result, buf) = run("exercise 8.2", || async {
        let mut script = Script::new([Step::Data(b"abcd"), Step::Wait(2), Step::Data(b"efgh")]);
        let mut buf = [0; 8];
        let result = read_within(&mut script, &mut buf, Duration::from_secs(5)).await;
        (result, buf)
    });
    assert!(result.is_ok(), "{result:?}");
    assert_eq!(&buf, b"abcdefgh");
}

#[test]
fn an_early_end_of_file_reports_the_bytes_too() {
    let result = run("exercise 8.2", || async {
        let mut script = Script::new([Step::Data(b"ab")]);
        read_within(&mut script, &mut [0; 8], Duration::from_secs(5)).await
    });
    match result {
        Err(Incomplete::Eof { filled }) => assert_eq!(filled, 2),
        other => panic!("expected Eof {{ filled: 2 }}, got {other:?}"),
    }
}
