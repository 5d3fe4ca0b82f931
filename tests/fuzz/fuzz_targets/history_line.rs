//! Any history line: an event, nothing, or a reason, never a panic; an event counts in the
//! figures and round-trips through its line.
#![no_main]
use libfuzzer_sys::fuzz_target;
use limber_core::history::{parse_line, to_line};
use limber_core::stats::HistoryIndex;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut index = HistoryIndex::default();
    for line in text.lines() {
        if let Ok(Some(event)) = parse_line(line) {
            let again = to_line(&event).expect("an event serialises");
            assert_eq!(parse_line(&again), Ok(Some(event.clone())));
            index.add(&event);
            let _ = index.stats(event.at.date_naive());
        }
    }
});
