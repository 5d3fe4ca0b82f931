//! Prepares the tray icons at build time: each PNG in `icons/tray/` becomes the raw ARGB32
//! pixmap (network byte order) that the StatusNotifierItem protocol carries, so the agent
//! holds no PNG decoder and decodes nothing at start.

use std::path::{Path, PathBuf};

const STATES: [&str; 3] = ["active", "paused", "due"];
/// Keep in step with `src/icons.rs`, which includes one file per state and size.
const SIZES: [u32; 6] = [16, 22, 24, 32, 48, 64];

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let source = manifest.join("../../icons/tray");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("set by cargo"));
    println!("cargo:rerun-if-changed={}", source.display());
    for state in STATES {
        for size in SIZES {
            let png = source.join(format!("{state}-{size}.png"));
            println!("cargo:rerun-if-changed={}", png.display());
            let argb = argb_of(&png, size);
            let target = out.join(format!("{state}-{size}.argb"));
            if let Err(e) = std::fs::write(&target, argb) {
                panic!("cannot write {}: {e}", target.display());
            }
        }
    }
}

/// The pixels of an 8-bit RGBA PNG of `size`×`size`, reordered to ARGB. A wrong file stops
/// the build with its name (scripts/render-icons.sh draws them).
fn argb_of(path: &Path, size: u32) -> Vec<u8> {
    let fail = |why: String| -> ! { panic!("tray icon {}: {why}", path.display()) };
    let file = std::fs::File::open(path).unwrap_or_else(|e| fail(e.to_string()));
    let mut decoder = png::Decoder::new(std::io::BufReader::new(file));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().unwrap_or_else(|e| fail(e.to_string()));
    let mut buffer = vec![0; reader.output_buffer_size()];
    let info = reader
        .next_frame(&mut buffer)
        .unwrap_or_else(|e| fail(e.to_string()));
    if info.color_type != png::ColorType::Rgba {
        fail(format!("expected RGBA, got {:?}", info.color_type));
    }
    if (info.width, info.height) != (size, size) {
        fail(format!(
            "expected {size}x{size}, got {}x{}",
            info.width, info.height
        ));
    }
    buffer[..info.buffer_size()]
        .chunks_exact(4)
        .flat_map(|px| [px[3], px[0], px[1], px[2]])
        .collect()
}
