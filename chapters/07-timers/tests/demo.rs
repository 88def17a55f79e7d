//! The demo prints what the book shows: the same lines, in the same order,
//! at times that never go backwards. The times themselves vary by a few ms
//! from run to run, so they are checked for order, not compared.

/// Splits `  80 ms | main     | gave up` into (80, "main     | gave up").
fn parse(line: &str) -> (u64, &str) {
    let (time, rest) = line.split_once(" ms | ").expect("a `NN ms | ` prefix");
    (time.trim().parse().expect("a time in ms"), rest)
}

#[test]
fn the_demo_prints_what_the_book_shows() {
    let stdout = testkit::stdout_of(env!("CARGO_BIN_EXE_timers"), &[]);
    let labels =
        |text: &str| -> Vec<String> { text.lines().map(|line| parse(line).1.to_owned()).collect() };
    testkit::assert_capture_as(&stdout, "output/demo.txt", labels);
    let got: Vec<_> = stdout.lines().map(parse).collect();
    for pair in got.windows(2) {
        assert!(pair[0].0 <= pair[1].0, "time went backwards: {pair:?}");
    }
    // The loop's ticks are at least 40 ms apart (a 30 ms sleep, then 10 ms
    // of work): sleeps never end early, so no load can make that false.
    // That the interval's ticks stay on their 30 ms grid instead is not
    // checked here from wall-clock gaps, which a busy machine stretches:
    // tests/interval.rs pins the grid from the deadlines the ticks waited for.
    let times = |who: &str| -> Vec<u64> {
        got.iter()
            .filter(|(_, rest)| rest.starts_with(who))
            .map(|(t, _)| *t)
            .collect()
    };
    let gaps = |t: Vec<u64>| t.windows(2).map(|w| w[1] - w[0]).collect::<Vec<_>>();
    let loop_span: u64 = gaps(times("loop ")).iter().sum();
    assert!(
        loop_span >= 120,
        "the sleep loop's 3 gaps took {loop_span} ms"
    );
}
