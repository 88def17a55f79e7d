//! Exercise 6.1, solved: a line protocol that shouts back.

use std::io;
use std::net::Shutdown;

use futures::StreamExt;
use futures::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

use crate::TcpStream;

/// Serves the shouting protocol on `stream` until the client is done.
pub async fn shout_lines(stream: TcpStream) -> io::Result<u64> {
    // The reader and the writer each hold a `&TcpStream`: `BufReader` keeps
    // what it read past a newline for the next line, the writer writes
    // straight to the socket.
    let mut lines = BufReader::new(&stream).lines();
    let mut answered = 0;
    while let Some(line) = lines.next().await {
        let answer = format!("{}\n", line?.to_uppercase());
        (&stream).write_all(answer.as_bytes()).await?;
        answered += 1;
    }
    stream.shutdown(Shutdown::Write)?;
    Ok(answered)
}
