//! Exercise 6.1: a line protocol that shouts back.
//!
//! Goal: serve one connection of a line-based protocol. For every line the
//! client sends, answer the line upper-cased (`str::to_uppercase`, so
//! `straße` becomes `STRASSE`) and a `\n`. Lines end with `\n` or `\r\n`;
//! a last line with no newline is answered too. When the client shuts down
//! its writing half, answer what is left, close our writing half, and
//! return how many lines were answered. A line that is not UTF-8 ends the
//! connection with an `InvalidData` error.

use std::io;

use crate::TcpStream;

/// Serves the shouting protocol on `stream` until the client is done.
pub async fn shout_lines(stream: TcpStream) -> io::Result<u64> {
    // TODO: `futures::io::BufReader::new(&stream).lines()` is a stream of
    // lines (`futures::StreamExt::next`); answer each one through another
    // `&stream` with `futures::io::AsyncWriteExt::write_all`.
    let _ = stream;
    todo!("answer each line upper-cased")
}
