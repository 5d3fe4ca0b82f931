//! Tray icons: PNGs from `icons/`, decoded once into the ARGB32 pixmaps that the
//! StatusNotifierItem protocol carries (so no icon theme or GTK is needed).

use limber_core::schedule::State;
use std::sync::OnceLock;

const NORMAL: &[u8] = include_bytes!("../../../icons/tray.png");
const PAUSED: &[u8] = include_bytes!("../../../icons/tray-paused.png");
const DUE: &[u8] = include_bytes!("../../../icons/tray-due.png");

/// Decodes an 8-bit RGBA PNG into ARGB32 (network byte order).
pub fn decode_argb(png_bytes: &[u8]) -> Result<ksni::Icon, String> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().map_err(|e| e.to_string())?;
    let mut buffer = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buffer).map_err(|e| e.to_string())?;
    if info.color_type != png::ColorType::Rgba {
        return Err(format!("expected an RGBA PNG, got {:?}", info.color_type));
    }
    let data = buffer[..info.buffer_size()]
        .chunks_exact(4)
        .flat_map(|px| [px[3], px[0], px[1], px[2]])
        .collect();
    Ok(ksni::Icon {
        width: i32::try_from(info.width).map_err(|e| e.to_string())?,
        height: i32::try_from(info.height).map_err(|e| e.to_string())?,
        data,
    })
}

fn cached(cell: &'static OnceLock<Vec<ksni::Icon>>, bytes: &'static [u8]) -> Vec<ksni::Icon> {
    cell.get_or_init(|| match decode_argb(bytes) {
        Ok(icon) => vec![icon],
        Err(e) => {
            log::error!("tray icon could not be decoded: {e}");
            Vec::new()
        }
    })
    .clone()
}

pub fn tray_icon(state: State) -> Vec<ksni::Icon> {
    static NORMAL_ICON: OnceLock<Vec<ksni::Icon>> = OnceLock::new();
    static PAUSED_ICON: OnceLock<Vec<ksni::Icon>> = OnceLock::new();
    static DUE_ICON: OnceLock<Vec<ksni::Icon>> = OnceLock::new();
    match state {
        State::Paused | State::OffHours => cached(&PAUSED_ICON, PAUSED),
        State::Due => cached(&DUE_ICON, DUE),
        _ => cached(&NORMAL_ICON, NORMAL),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_tray_icon_decodes_to_square_argb() {
        for state in [State::Active, State::Paused, State::Due] {
            let icons = tray_icon(state);
            assert_eq!(icons.len(), 1, "{state:?}");
            let icon = &icons[0];
            assert_eq!(icon.width, icon.height);
            assert_eq!(icon.data.len(), (icon.width * icon.height * 4) as usize);
            assert!(
                icon.data.chunks(4).any(|px| px[0] == 255),
                "{state:?} has opaque pixels"
            );
        }
        assert!(decode_argb(b"not a png").is_err());
    }
}
