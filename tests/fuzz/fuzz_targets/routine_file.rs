//! Any routine file: a routine or an error naming where, never a panic; a routine written
//! out reads back the same.
#![no_main]
use libfuzzer_sys::fuzz_target;
use limber_core::catalog::{parse_routine, routine_to_file, Catalog};
use limber_core::routine::Origin;
use std::sync::OnceLock;

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| Catalog::builtin().expect("the built-in catalog"))
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let exercises = &catalog().exercises;
    if let Ok(routine) = parse_routine(&text, "fuzz", exercises, Origin::BuiltIn) {
        let again = routine_to_file(&routine).to_string();
        let back = parse_routine(&again, "fuzz", exercises, Origin::BuiltIn).expect("reads back");
        assert_eq!(back, routine);
    }
});
