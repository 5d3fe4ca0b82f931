//! Any line a client can send: it parses or is refused with a code, never panics; what
//! parses survives a round trip.
#![no_main]
use libfuzzer_sys::fuzz_target;
use limber_core::protocol::parse_request;

fuzz_target!(|data: &[u8]| {
    let Ok(line) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(request) = parse_request(line) {
        let again = serde_json::to_string(&request).expect("a request serialises");
        let back = parse_request(&again).expect("a serialised request parses");
        assert_eq!(back, request);
    }
});
