//! Revisions, for the incremental mode: Sentinel logs a new row for every change of an alert
//! or an incident, and each row becomes a document of its own.
//!
//! A revision is named by its key (`SystemAlertId` of an alert, `IncidentName` of an incident)
//! and its revision time (`LastModifiedTime` of an incident, `TimeGenerated` of an alert, as
//! the query API writes it): its `_id` is `key@time`, so a revision read twice is written once.
//! The revision time as a count of 100 ns ticks since the epoch is the external version of the
//! "latest" index, where Elasticsearch keeps, for each key, the revision with the greatest
//! version whatever order they arrive in.

use crate::date::time_value;
use crate::json::value::Value;

/// How each document's `_id` is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Ids {
    /// `SystemAlertId`, else `IncidentName`, as the original flow: the first version is kept,
    /// every later one is refused as a duplicate (409).
    #[default]
    First,
    /// `key@time`: every revision is its own document.
    Revision,
}

/// The `_id` of a revision: `key@time`, both as written (decoded JSON strings).
pub fn revision_id(key: &[u8], time: &[u8]) -> Vec<u8> {
    let mut id = Vec::with_capacity(key.len() + time.len() + 1);
    id.extend_from_slice(key);
    id.push(b'@');
    id.extend_from_slice(time);
    id
}

/// The revision time as 100 ns ticks since the epoch, for an ISO-8601 date-time such as
/// `2025-11-19T10:00:00.1234567Z`; `None` for an invalid date or one before 1970 (Elasticsearch
/// versions are not negative).
pub fn version_ticks(time: &[u8]) -> Option<u64> {
    let ms = time_value(&Value::String(time.to_vec()))?;
    if ms < 0.0 {
        return None;
    }
    // The digits after the milliseconds (the query API writes seven fraction digits).
    let fraction = time.iter().position(|&b| b == b'.').map_or(&[][..], |dot| {
        let digits = &time[dot + 1..];
        &digits[..digits.iter().take_while(|b| b.is_ascii_digit()).count()]
    });
    let sub_ms = (0..4).fold(0u64, |acc, i| acc * 10 + fraction.get(3 + i).map_or(0, |d| u64::from(d - b'0')));
    Some(ms as u64 * 10_000 + sub_ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_name_the_key_and_the_revision_time() {
        assert_eq!(revision_id(b"inc-1", b"2025-11-19T10:00:00.1234567Z"), b"inc-1@2025-11-19T10:00:00.1234567Z".to_vec());
    }

    #[test]
    fn versions_count_ticks_and_keep_the_order_of_times() {
        let cases: [(&[u8], Option<u64>); 6] = [
            (b"1970-01-01T00:00:00Z", Some(0)),
            (b"1970-01-01T00:00:00.0000001Z", Some(1)),
            (b"2025-11-19T10:00:00.1234567Z", Some(1_763_546_400_123 * 10_000 + 4_567)),
            (b"2025-11-19T10:00:00.123Z", Some(1_763_546_400_123 * 10_000)),
            (b"1969-12-31T23:59:59Z", None),
            (b"not a date", None),
        ];
        for (time, expected) in cases {
            assert_eq!(version_ticks(time), expected, "{}", String::from_utf8_lossy(time));
        }
        let earlier = version_ticks(b"2025-11-19T10:00:00.1234567Z").unwrap();
        let later = version_ticks(b"2025-11-19T10:00:00.1234568Z").unwrap();
        assert!(later > earlier);
    }
}
