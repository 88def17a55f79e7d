//! Tokens: how an OS event finds the record of its source, and only that one.
//!
//! mio hands every event back with the `Token` the source was registered
//! with, one `usize`. The reactor keeps its records in a slab, so the slot
//! index alone would find the record, but slots are reused: a socket is
//! dropped, a new one gets the same slot, and an event for the old socket
//! that was already on its way (in the `Events` buffer of a poll running on
//! another thread, say) would land on the new one. So the token also carries
//! the *generation* of the registration, and the reactor ignores an event
//! whose generation is not the one in the slot.

use mio::Token;

// ANCHOR: token
/// Low bits: the slot in the reactor's slab. High bits: the generation.
const SLOT_BITS: u32 = 24;
const SLOT_MASK: usize = (1 << SLOT_BITS) - 1;
const GENERATION_MASK: usize = usize::MAX >> SLOT_BITS;

/// At most this many sources at once. The last slot index is never used, so
/// no source's token can equal [`WAKER`], whatever its generation.
pub(crate) const MAX_SOURCES: usize = SLOT_MASK;

/// The token of the reactor's own `mio::Waker` (its unpark).
pub(crate) const WAKER: Token = Token(usize::MAX);

/// The token for the registration `generation` of `slot`.
pub(crate) fn encode(slot: usize, generation: usize) -> Token {
    debug_assert!(slot < MAX_SOURCES);
    Token(((generation & GENERATION_MASK) << SLOT_BITS) | slot)
}

/// The slot and generation a token was made from.
pub(crate) fn decode(token: Token) -> (usize, usize) {
    (token.0 & SLOT_MASK, token.0 >> SLOT_BITS)
}

/// The generation after `generation`, wrapping within the bits a token has.
pub(crate) fn next_generation(generation: usize) -> usize {
    generation.wrapping_add(1) & GENERATION_MASK
}
// ANCHOR_END: token

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_decodes_to_its_slot_and_generation() {
        for (slot, generation) in [(0, 0), (5, 1), (MAX_SOURCES - 1, GENERATION_MASK)] {
            assert_eq!(decode(encode(slot, generation)), (slot, generation));
        }
    }

    #[test]
    fn no_source_token_equals_the_waker_token() {
        assert_ne!(encode(MAX_SOURCES - 1, GENERATION_MASK), WAKER);
    }

    #[test]
    fn the_same_slot_in_two_generations_has_two_tokens() {
        assert_ne!(encode(3, 7), encode(3, next_generation(7)));
        assert_eq!(next_generation(GENERATION_MASK), 0);
    }
}
