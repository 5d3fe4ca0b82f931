//! Any pause length a user can type: a length or a reason, never a panic; a length's text
//! form parses back to it.
#![no_main]
use libfuzzer_sys::fuzz_target;
use limber_core::schedule::PauseLength;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(length) = PauseLength::parse(&text) {
        assert_eq!(PauseLength::parse(&length.to_string()), Ok(length));
    }
});
