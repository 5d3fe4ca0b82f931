//! Any settings file: settings or a reason, never a panic; what loads is saved and loads
//! back the same.
#![no_main]
use libfuzzer_sys::fuzz_target;
use limber_core::settings::Settings;
use limber_core::store::settings_file::parse_settings;

fuzz_target!(|data: &[u8]| {
    if let Ok(settings) = parse_settings(data) {
        let file = settings.to_file_map();
        assert_eq!(Settings::from_file_map(&file), Ok(settings));
    }
});
