//! Exercise 3.1: `join_all` resolves to every result, in the handles' order.

use std::sync::{Arc, Mutex};

use executor::exercises::join_all::join_all;
use executor::{Runtime, spawn, yield_now};

#[test]
fn join_all_keeps_the_order_of_the_handles() {
    testkit::within("join_all order", || {
        let mut runtime = Runtime::new();
        let finished = Arc::new(Mutex::new(Vec::new()));
        let results = runtime.block_on({
            let finished = finished.clone();
            async move {
                // Task i yields 5 - i times: they finish in reverse order.
                let handles = (0..5)
                    .map(|i| {
                        let finished = finished.clone();
                        spawn(async move {
                            for _ in i..5 {
                                yield_now().await;
                            }
                            finished.lock().unwrap().push(i);
                            i * 10
                        })
                    })
                    .collect();
                join_all(handles).await
            }
        });
        assert_eq!(*finished.lock().unwrap(), [4, 3, 2, 1, 0]);
        let values: Vec<_> = results.into_iter().map(Result::unwrap).collect();
        assert_eq!(values, [0, 10, 20, 30, 40]);
    });
}

#[test]
fn join_all_reports_a_panic_in_its_place() {
    testkit::within("join_all panic", || {
        let mut runtime = Runtime::new();
        let results = runtime.block_on(async {
            let handles = vec![
                spawn(async { 1 }),
                spawn(async { panic!("the middle one fails") }),
                spawn(async {
                    yield_now().await;
                    3
                }),
            ];
            join_all(handles).await
        });
        assert_eq!(results.len(), 3);
        assert_eq!(*results[0].as_ref().unwrap(), 1);
        assert_eq!(
            results[1].as_ref().unwrap_err().message(),
            Some("the middle one fails")
        );
        assert_eq!(*results[2].as_ref().unwrap(), 3);
    });
}

#[test]
fn join_all_of_nothing_is_empty() {
    testkit::within("join_all empty", || {
        let mut runtime = Runtime::new();
        let results = runtime.block_on(join_all(Vec::<executor::JoinHandle<u8>>::new()));
        assert!(results.is_empty());
    });
}
