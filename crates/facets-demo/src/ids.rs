//! Snowflake-like ids, as Mastodon makes them: milliseconds since the Unix epoch in the high bits,
//! a 16-bit sequence in the low bits, written as 18 zero-padded decimal digits so that sorting the
//! strings sorts by time.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

const SEQUENCE_BITS: u32 = 16;
const WIDTH: usize = 18;
const DIRECT_MESSAGE_OFFSET: u64 = 1_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Id(u64);

impl Id {
    pub(crate) fn at(unix_ms: i64, sequence: u16) -> Id {
        debug_assert!(unix_ms >= 0, "ids start at the Unix epoch");
        Id(((unix_ms as u64) << SEQUENCE_BITS) | u64::from(sequence))
    }

    pub(crate) fn unix_ms(self) -> i64 {
        (self.0 >> SEQUENCE_BITS) as i64
    }

    /// The same entity moved in time by `delta_ms`, keeping its sequence.
    pub(crate) fn shifted(self, delta_ms: i64) -> Id {
        Id::at(self.unix_ms() + delta_ms, (self.0 & 0xFFFF) as u16)
    }

    /// The next id after `self`, used to keep ids issued within one millisecond increasing.
    pub(crate) fn successor(self) -> Id {
        Id(self.0 + 1)
    }

    /// The number Pixelfed gives the direct message this status carries. Pixelfed numbers
    /// messages apart from their statuses; the demo's differ from the status id by a constant,
    /// so a client that takes one for the other is caught.
    pub(crate) fn direct_message_number(self) -> u64 {
        self.0 + DIRECT_MESSAGE_OFFSET
    }
}

/// How a server writes ids: Mastodon's (and Pixelfed's, Akkoma's) decimal snowflakes, or
/// GoToSocial's ULIDs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IdStyle {
    Snowflake,
    Ulid,
}

tokio::task_local! {
    /// The style of the server answering the request being handled.
    static STYLE: IdStyle;
}

/// Runs `future` (a request's handling) with ids written in `style`; ids are decimal outside.
pub(crate) async fn written_as<F: std::future::Future>(style: IdStyle, future: F) -> F::Output {
    STYLE.scope(style, future).await
}

/// Crockford's base 32, the alphabet of ULIDs.
const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const ULID_LENGTH: usize = 26;

impl Id {
    /// As a ULID: the milliseconds in the 48-bit time, the sequence as the "random" part. ULIDs
    /// sort as text in the order of the ids.
    fn ulid(self) -> String {
        let value = (u128::from(self.0 >> SEQUENCE_BITS) << 80) | u128::from(self.0 & 0xFFFF);
        (0..ULID_LENGTH).map(|i| CROCKFORD[((value >> (125 - 5 * i)) & 31) as usize] as char).collect()
    }

    fn from_ulid(text: &str) -> Option<Id> {
        if text.len() != ULID_LENGTH {
            return None;
        }
        let mut value: u128 = 0;
        for (i, byte) in text.bytes().enumerate() {
            let digit = CROCKFORD.iter().position(|c| *c == byte.to_ascii_uppercase())? as u128;
            if i == 0 && digit > 7 {
                return None;
            }
            value = (value << 5) | digit;
        }
        let (millis, random) = ((value >> 80) as u64, value & ((1 << 80) - 1));
        // Only ULIDs this server handed out: the random part is a 16-bit sequence.
        (random <= 0xFFFF && millis < 1 << 48).then_some(Id((millis << SEQUENCE_BITS) | random as u64))
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match STYLE.try_with(|style| *style).unwrap_or(IdStyle::Snowflake) {
            IdStyle::Snowflake => write!(f, "{:0width$}", self.0, width = WIDTH),
            IdStyle::Ulid => f.write_str(&self.ulid()),
        }
    }
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not an id")]
pub(crate) struct BadId(pub String);

impl FromStr for Id {
    type Err = BadId;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        // Either style: a server reads back what it wrote, and saved state is decimal.
        s.parse::<u64>().ok().map(Id).or_else(|| Id::from_ulid(s)).ok_or_else(|| BadId(s.to_owned()))
    }
}

/// Saved state is always decimal, whichever server's request saved it.
impl Serialize for Id {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&format_args!("{:0width$}", self.0, width = WIDTH))
    }
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// Issues ids for things created while the server runs: from the clock, strictly increasing.
#[derive(Debug)]
pub(crate) struct IdIssuer {
    last: Id,
}

impl IdIssuer {
    pub(crate) fn new(floor: Id) -> IdIssuer {
        IdIssuer { last: floor }
    }

    /// Makes sure later ids sort after `id`, one issued before a restart.
    pub(crate) fn raise_floor(&mut self, id: Id) {
        self.last = self.last.max(id);
    }

    pub(crate) fn issue(&mut self, now_ms: i64) -> Id {
        let candidate = Id::at(now_ms, 0);
        self.last = if candidate > self.last { candidate } else { self.last.successor() };
        self.last
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_of_the_last_decades_have_equal_width_and_sort_by_time() {
        let old = Id::at(1_300_000_000_000, 5); // 2011
        let new = Id::at(1_800_000_000_000, 0); // 2027
        assert_eq!(old.to_string().len(), 18);
        assert_eq!(new.to_string().len(), 18);
        assert!(old.to_string() < new.to_string(), "lexical order must be time order");
        assert_eq!(old.to_string().parse::<Id>(), Ok(old));
    }

    #[tokio::test]
    async fn as_ulids_ids_keep_their_time_sort_as_text_and_read_back() {
        let old = Id::at(1_300_000_000_000, 5);
        let new = Id::at(1_800_000_000_000, 0);
        let (old_ulid, new_ulid) = written_as(IdStyle::Ulid, async { (old.to_string(), new.to_string()) }).await;
        assert_eq!(old_ulid.len(), 26);
        assert!(old_ulid.bytes().all(|b| CROCKFORD.contains(&b)), "{old_ulid}");
        assert!(old_ulid < new_ulid, "lexical order is time order");
        // The first ten characters are the time, as in any ULID: 1_300_000_000_000 ms.
        assert_eq!(&old_ulid[..10], "015TQ0KJ00", "{old_ulid}");
        assert_eq!(old_ulid.parse::<Id>(), Ok(old));
        assert_eq!(old_ulid.to_lowercase().parse::<Id>(), Ok(old), "ULIDs read in either case");
        assert_eq!(old.to_string().len(), 18, "outside a request, decimal");
        assert!("01ARZ3NDEKTSV4RRFFQ69G5FAV".parse::<Id>().is_err(), "a random part we never issue");
        assert!("80000000000000000000000000".parse::<Id>().is_err(), "more than 128 bits");
    }

    #[test]
    fn shifting_keeps_the_sequence_and_moves_the_time() {
        let id = Id::at(1_700_000_000_000, 42);
        let moved = id.shifted(1_000);
        assert_eq!(moved.unix_ms(), 1_700_000_001_000);
        assert_eq!(moved.shifted(-1_000), id);
    }

    #[test]
    fn the_issuer_never_repeats_within_a_millisecond() {
        let mut issuer = IdIssuer::new(Id::at(10, 0));
        let a = issuer.issue(100);
        let b = issuer.issue(100);
        let c = issuer.issue(99);
        assert!(a < b && b < c, "{a} {b} {c} must increase");
    }
}
