use executor::{Runtime, spawn, yield_now};
#[test]
fn smoke() {
    testkit::within("smoke", || {
        let mut rt = Runtime::new();
        let h = rt.handle();
        let v = rt.block_on(async {
            let a = spawn(async { yield_now().await; 1 });
            let b = spawn(async { panic!("boom") });
            let t = std::thread::spawn(move || h.spawn(async { 5 }));
            let c = t.join().unwrap();
            (a.await.unwrap(), b.await.unwrap_err().message().map(str::to_owned), c.await.unwrap())
        });
        assert_eq!(v, (1, Some("boom".into()), 5));
        assert_eq!(rt.handle().live_tasks(), 0);
    })
}
