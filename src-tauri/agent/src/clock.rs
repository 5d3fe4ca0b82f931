//! The agent's only clock reads.

use chrono::{DateTime, Local};
use limber_core::Now;

/// Where the driver gets `now` from; tests substitute a clock that follows tokio's paused
/// time.
pub trait Clock: Send + 'static {
    fn now(&self) -> Now<Local>;
}

/// Real clocks: tokio's monotonic instant (stops during suspend on Linux) and the wall
/// clock in the local time zone.
pub struct SystemClock {
    origin: tokio::time::Instant,
}

impl SystemClock {
    pub fn new() -> Self {
        Self {
            origin: tokio::time::Instant::now(),
        }
    }
}

impl Default for SystemClock {
    fn default() -> Self {
        Self::new()
    }
}

fn mono_ms(origin: tokio::time::Instant) -> u64 {
    u64::try_from(origin.elapsed().as_millis()).unwrap_or(u64::MAX)
}

impl Clock for SystemClock {
    fn now(&self) -> Now<Local> {
        Now::new(mono_ms(self.origin), Local::now())
    }
}

/// A clock whose wall time advances with tokio's (possibly paused) time: for tests that
/// jump hours ahead with `tokio::time::advance`.
pub struct TokioClock {
    origin: tokio::time::Instant,
    origin_wall: DateTime<Local>,
}

impl TokioClock {
    pub fn starting_at(origin_wall: DateTime<Local>) -> Self {
        Self {
            origin: tokio::time::Instant::now(),
            origin_wall,
        }
    }
}

impl Clock for TokioClock {
    fn now(&self) -> Now<Local> {
        let elapsed = self.origin.elapsed();
        let wall = self.origin_wall
            + chrono::Duration::from_std(elapsed).unwrap_or(chrono::Duration::zero());
        Now::new(mono_ms(self.origin), wall)
    }
}
