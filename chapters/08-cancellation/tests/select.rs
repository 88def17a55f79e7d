//! `select`: the winner's output, the loser dropped inside the poll that
//! decided, and a start that moves so no branch starves.

use std::future::{pending, ready};
use std::pin::pin;
use std::sync::atomic::Ordering;
use std::task::Poll;

use cancellation::{Either, select, select_all, select_biased};
use testkit::{DropFlag, poll_once};

#[test]
fn the_loser_is_dropped_before_select_returns() {
    let (loser, dropped) = DropFlag::new();
    let a = async move {
        let _loser = loser;
        pending::<()>().await
    };
    let mut race = pin!(select(a, ready(5)));
    assert_eq!(poll_once(race.as_mut()), Poll::Ready(Either::Right(5)));
    // The `Select` itself still exists: the loser went inside the poll.
    assert!(dropped.load(Ordering::SeqCst), "the loser is still alive");
}

#[test]
fn select_all_drops_every_loser_before_returning() {
    let (guards, dropped): (Vec<_>, Vec<_>) = (0..4).map(|_| DropFlag::new()).unzip();
    let branches = guards.into_iter().enumerate().map(|(i, guard)| async move {
        let _guard = guard;
        if i == 2 {
            return i;
        }
        pending().await
    });
    let mut race = pin!(select_all(branches));
    assert_eq!(poll_once(race.as_mut()), Poll::Ready((2, 2)));
    let dropped: Vec<bool> = dropped.iter().map(|d| d.load(Ordering::SeqCst)).collect();
    assert_eq!(dropped, [true; 4]);
}

#[test]
fn two_always_ready_branches_both_win_often() {
    let mut wins = [0; 2];
    for _ in 0..1000 {
        let mut race = pin!(select(ready(()), ready(())));
        match poll_once(race.as_mut()) {
            Poll::Ready(Either::Left(())) => wins[0] += 1,
            Poll::Ready(Either::Right(())) => wins[1] += 1,
            Poll::Pending => unreachable!(),
        }
    }
    // About 500 each; a biased select would give [1000, 0].
    assert!(wins.iter().all(|w| (400..=600).contains(w)), "{wins:?}");
}

#[test]
fn select_all_starts_at_every_branch() {
    let mut wins = [0; 3];
    for _ in 0..300 {
        let mut race = pin!(select_all([ready(()), ready(()), ready(())]));
        if let Poll::Ready((i, ())) = poll_once(race.as_mut()) {
            wins[i] += 1;
        }
    }
    // About 100 each.
    assert!(wins.iter().all(|w| (60..=140).contains(w)), "{wins:?}");
}

#[test]
fn a_biased_select_always_polls_the_first_branch_first() {
    for _ in 0..100 {
        let mut race = pin!(select_biased(ready(1), ready(2)));
        assert_eq!(poll_once(race.as_mut()), Poll::Ready(Either::Left(1)));
    }
}

#[test]
fn a_select_nested_in_a_select_does_not_starve_either_side() {
    // An outer poll that reaches the inner select moves the start on twice,
    // one that does not, once: a start that merely counted polls locks the
    // outer select onto its inner branch after the first turn (it won 1 of
    // 1000 that way).
    let mut outer_left = 0;
    for _ in 0..1000 {
        let mut race = pin!(select(ready(()), select(ready(()), ready(()))));
        if let Poll::Ready(Either::Left(())) = poll_once(race.as_mut()) {
            outer_left += 1;
        }
    }
    assert!(
        (300..=700).contains(&outer_left),
        "the outer select's first branch won {outer_left} of 1000"
    );
}
