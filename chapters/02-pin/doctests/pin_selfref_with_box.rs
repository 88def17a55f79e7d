let pinned = Box::pin(pin::SelfRef::new([1, 2, 3]));
assert_eq!(waker::block_on(pinned), 3);
