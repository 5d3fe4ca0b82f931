//! The core's one integration-test binary: the scheduler over simulated months, sessions
//! with late wake-ups, and the words of the Guide against the seed pages.

mod content;
mod readme;
mod schedule;
mod sessions;
