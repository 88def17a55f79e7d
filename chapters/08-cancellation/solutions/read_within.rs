//! Exercise 8.2, solved: a timeout that reports partial progress.

use std::io;
use std::time::Duration;

use futures::io::{AsyncRead, AsyncReadExt};

/// Why `buf` is not full.
#[derive(Debug)]
pub enum Incomplete {
    /// The deadline passed; `filled` bytes had arrived.
    TimedOut { filled: usize },
    /// The reader ended after `filled` bytes.
    Eof { filled: usize },
    /// The reader failed.
    Io(io::Error),
}

pub async fn read_within<R: AsyncRead + Unpin>(
    reader: &mut R,
    buf: &mut [u8],
    limit: Duration,
) -> Result<(), Incomplete> {
    // The progress lives out here: the future below only borrows it, so
    // when the timeout drops that future, the count survives.
    let mut filled = 0;
    let reading = async {
        while filled < buf.len() {
            let n = reader.read(&mut buf[filled..]).await?;
            if n == 0 {
                return Ok(false);
            }
            filled += n;
        }
        Ok::<bool, io::Error>(true)
    };
    match timers::timeout(limit, reading).await {
        Ok(Ok(true)) => Ok(()),
        Ok(Ok(false)) => Err(Incomplete::Eof { filled }),
        Ok(Err(e)) => Err(Incomplete::Io(e)),
        Err(_elapsed) => Err(Incomplete::TimedOut { filled }),
    }
}
