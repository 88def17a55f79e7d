//! What the OS has said about a source: readiness bits, and which bits let
//! a read or a write make progress.

use std::fmt;

// ANCHOR: ready
/// A set of readiness bits, as last reported by the OS for one source.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub struct Ready(u8);

impl Ready {
    /// Nothing known.
    pub const EMPTY: Ready = Ready(0);
    /// A read would not block (data, or EOF, or an error, is there).
    pub const READABLE: Ready = Ready(1);
    /// A write would not block (there is room in the send buffer).
    pub const WRITABLE: Ready = Ready(1 << 1);
    /// The peer closed its writing half: reads return EOF from now on.
    pub const READ_CLOSED: Ready = Ready(1 << 2);
    /// Our writing half is closed: writes fail from now on.
    pub const WRITE_CLOSED: Ready = Ready(1 << 3);
    /// The source has a pending error (the next operation returns it).
    pub const ERROR: Ready = Ready(1 << 4);
    /// Priority data (`EPOLLPRI`): on a TCP socket, urgent data has come,
    /// and `recv` stops at its mark. A short read proves nothing then:
    /// until a read sees `WouldBlock`, the short-read rule is suspended.
    pub const PRIORITY: Ready = Ready(1 << 5);

    /// The bits of one mio event.
    pub fn from_event(event: &mio::event::Event) -> Ready {
        let mut ready = Ready::EMPTY;
        for (set, bit) in [
            (event.is_readable(), Ready::READABLE),
            (event.is_writable(), Ready::WRITABLE),
            (event.is_read_closed(), Ready::READ_CLOSED),
            (write_closed(event), Ready::WRITE_CLOSED),
            (event.is_error(), Ready::ERROR),
            (event.is_priority(), Ready::PRIORITY),
        ] {
            if set {
                ready = ready | bit;
            }
        }
        ready
    }

    /// Whether any bit of `other` is set in `self`.
    pub fn intersects(self, other: Ready) -> bool {
        self.0 & other.0 != 0
    }

    /// The bits set in both.
    pub fn and(self, other: Ready) -> Ready {
        Ready(self.0 & other.0)
    }

    /// `self` without the bits of `other`.
    pub fn without(self, other: Ready) -> Ready {
        Ready(self.0 & !other.0)
    }

    /// Whether no bit is set.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

// ANCHOR: write_closed
/// Whether the event says the write half has hung up, for good.
///
/// mio's `is_write_closed` is true on epoll for `EPOLLHUP`, and also for
/// `EPOLLERR` alone or with `EPOLLOUT`, which is how a pipe reports that its
/// reader has gone. But `EPOLLOUT | EPOLLERR` is also what a connected UDP
/// socket reports when an ICMP error (say, "port unreachable") is pending:
/// one error, which the next `send` returns and clears, not a closed half.
/// The reactor keeps closed bits for ever, so it must only take a hang-up:
/// with an error, write-closed counts only when mio says the read half is
/// closed too (`EPOLLHUP`, both halves gone, or the peer's FIN), which a
/// pending ICMP error alone never is. A pipe whose reader has gone still
/// wakes its writers, through the error bit, and their `write` fails with
/// `EPIPE`.
fn write_closed(event: &mio::event::Event) -> bool {
    event.is_write_closed() && (!event.is_error() || event.is_read_closed())
}
// ANCHOR_END: write_closed

impl std::ops::BitOr for Ready {
    type Output = Ready;

    fn bitor(self, other: Ready) -> Ready {
        Ready(self.0 | other.0)
    }
}
// ANCHOR_END: ready

impl fmt::Debug for Ready {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Display for Ready {
    /// `readable | read-closed`, or `-` for none.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names = [
            (Ready::READABLE, "readable"),
            (Ready::WRITABLE, "writable"),
            (Ready::READ_CLOSED, "read-closed"),
            (Ready::WRITE_CLOSED, "write-closed"),
            (Ready::ERROR, "error"),
            (Ready::PRIORITY, "priority"),
        ];
        let mut first = true;
        for (bit, name) in names {
            if self.intersects(bit) {
                write!(f, "{}{name}", if first { "" } else { " | " })?;
                first = false;
            }
        }
        if first {
            write!(f, "-")?;
        }
        Ok(())
    }
}

// ANCHOR: direction
/// Which way an operation goes. Readers and writers of one source wait apart:
/// room in the send buffer must not wake a task waiting for data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// `read`, `recv`, `accept`.
    Read,
    /// `write`, `send`, `connect`.
    Write,
}

impl Direction {
    /// The bits that let an operation in this direction go ahead: it makes
    /// progress, or returns EOF or the error, but does not block.
    pub fn wakes_on(self) -> Ready {
        match self {
            Direction::Read => {
                Ready::READABLE | Ready::READ_CLOSED | Ready::ERROR | Ready::PRIORITY
            }
            Direction::Write => Ready::WRITABLE | Ready::WRITE_CLOSED | Ready::ERROR,
        }
    }

    /// The bits a `WouldBlock` in this direction proves stale. The closed
    /// bits are final (a closed half never reopens), so they stay.
    pub(crate) fn cleared_by_would_block(self) -> Ready {
        match self {
            Direction::Read => Ready::READABLE | Ready::ERROR | Ready::PRIORITY,
            Direction::Write => Ready::WRITABLE | Ready::ERROR,
        }
    }
}
// ANCHOR_END: direction

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Direction::Read => "read",
            Direction::Write => "write",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closed_halves_survive_a_would_block() {
        let ready = Ready::READABLE | Ready::READ_CLOSED;
        let left = ready.without(Direction::Read.cleared_by_would_block());
        assert_eq!(left, Ready::READ_CLOSED);
        assert!(left.intersects(Direction::Read.wakes_on()));
    }

    #[test]
    fn writability_does_not_concern_readers() {
        assert!(!Ready::WRITABLE.intersects(Direction::Read.wakes_on()));
        assert!(!Ready::READABLE.intersects(Direction::Write.wakes_on()));
    }

    #[test]
    fn displays_the_names_of_its_bits() {
        assert_eq!(
            (Ready::READABLE | Ready::ERROR).to_string(),
            "readable | error"
        );
        assert_eq!(Ready::EMPTY.to_string(), "-");
    }
}
