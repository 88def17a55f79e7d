//! The client's datagrams: a header saying which flow and which request it
//! is, then a pattern computed from both. An echo is checked byte for byte
//! against the datagram that was sent, so a reply that is truncated, padded,
//! corrupted, or meant for another client cannot pass for a good one.

/// Bytes before the pattern: the flow (4, big-endian) and the sequence
/// number (8, big-endian).
pub const HEADER: usize = 12;

// ANCHOR: payload
/// Fills `datagram` (all of it) with the request `seq` of flow `flow`.
///
/// # Panics
/// If `datagram` is shorter than [`HEADER`].
pub fn fill(datagram: &mut [u8], flow: u32, seq: u64) {
    let (header, pattern) = datagram.split_at_mut(HEADER);
    header[..4].copy_from_slice(&flow.to_be_bytes());
    header[4..].copy_from_slice(&seq.to_be_bytes());
    for (i, byte) in pattern.iter_mut().enumerate() {
        *byte = pattern_byte(flow, seq, i);
    }
}

/// What a reply turned out to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Echo {
    /// Exactly the datagram sent as request `seq` of this flow.
    Of(u64),
    /// Anything else: wrong length, wrong flow, or a byte that differs.
    Corrupt,
}

/// Checks `reply` against what flow `flow` sends with datagrams of `size`
/// bytes; the sequence number is read from the header, then every byte is
/// compared.
pub fn check(reply: &[u8], size: usize, flow: u32) -> Echo {
    if reply.len() != size || size < HEADER {
        return Echo::Corrupt;
    }
    let (header, pattern) = reply.split_at(HEADER);
    let seq = u64::from_be_bytes(header[4..].try_into().expect("8 bytes"));
    let flow_ok = header[..4] == flow.to_be_bytes();
    let pattern_ok = pattern
        .iter()
        .enumerate()
        .all(|(i, &byte)| byte == pattern_byte(flow, seq, i));
    if flow_ok && pattern_ok {
        Echo::Of(seq)
    } else {
        Echo::Corrupt
    }
}

/// A byte that depends on the flow, the request and the position, so that a
/// reply with bytes from another request, another flow or another offset
/// does not match.
fn pattern_byte(flow: u32, seq: u64, i: usize) -> u8 {
    let mix = (seq ^ (u64::from(flow) << 32)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (mix >> ((i % 8) * 8)) as u8 ^ (i as u8).wrapping_mul(31)
}
// ANCHOR_END: payload

#[cfg(test)]
mod tests {
    use super::*;

    fn datagram(size: usize, flow: u32, seq: u64) -> Vec<u8> {
        let mut d = vec![0; size];
        fill(&mut d, flow, seq);
        d
    }

    #[test]
    fn an_untouched_echo_passes_with_its_sequence_number() {
        assert_eq!(check(&datagram(64, 3, 41), 64, 3), Echo::Of(41));
        assert_eq!(check(&datagram(HEADER, 0, 0), HEADER, 0), Echo::Of(0));
    }

    #[test]
    fn any_changed_byte_is_corrupt() {
        let good = datagram(40, 1, 7);
        for i in 0..good.len() {
            let mut bad = good.clone();
            bad[i] ^= 0x01;
            assert_ne!(check(&bad, 40, 1), Echo::Of(7), "byte {i} flipped");
        }
    }

    #[test]
    fn a_truncated_or_padded_echo_is_corrupt() {
        let good = datagram(40, 1, 7);
        assert_eq!(check(&good[..39], 40, 1), Echo::Corrupt);
        let mut padded = good.clone();
        padded.push(0);
        assert_eq!(check(&padded, 40, 1), Echo::Corrupt);
    }

    #[test]
    fn another_flows_echo_is_corrupt() {
        assert_eq!(check(&datagram(40, 2, 7), 40, 1), Echo::Corrupt);
    }

    #[test]
    fn a_different_request_has_a_different_pattern() {
        let mut spliced = datagram(40, 1, 8);
        spliced[HEADER..].copy_from_slice(&datagram(40, 1, 7)[HEADER..]);
        assert_eq!(check(&spliced, 40, 1), Echo::Corrupt);
    }
}
