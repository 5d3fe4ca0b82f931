//! Time as a value: the shells read the clocks, the core only compares what it is given.

use chrono::{DateTime, TimeZone};

/// One reading of both clocks, taken by the shell and passed into the core.
///
/// `mono_ms` comes from a monotonic clock (milliseconds from an origin the shell chooses);
/// on Linux it stops while the machine is suspended, the wall clock does not, so a gap
/// between the two is time the machine was away. `wall` carries the local time zone, so
/// working hours and "until tomorrow" are computed in the user's local time.
#[derive(Clone, Debug, PartialEq)]
pub struct Now<Tz: TimeZone> {
    pub mono_ms: u64,
    pub wall: DateTime<Tz>,
}

impl<Tz: TimeZone> Now<Tz> {
    pub fn new(mono_ms: u64, wall: DateTime<Tz>) -> Self {
        Self { mono_ms, wall }
    }
}
