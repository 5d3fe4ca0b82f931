//! Tray icons: PNGs from `icons/`, decoded once into the ARGB32 pixmaps that the
//! StatusNotifierItem protocol carries (so no icon theme or GTK is needed).

use limber_core::schedule::State;
use std::sync::OnceLock;

/// One state's icon at every size the agent sends (16-24 px from a master drawn for small
/// sizes, 32-64 px from the full drawing; `scripts/render-icons.sh` makes them). The host
/// picks the size that fits its panel instead of shrinking a large one.
macro_rules! sizes {
    ($state:literal) => {
        [
            include_bytes!(concat!("../../../icons/tray/", $state, "-16.png")).as_slice(),
            include_bytes!(concat!("../../../icons/tray/", $state, "-22.png")).as_slice(),
            include_bytes!(concat!("../../../icons/tray/", $state, "-24.png")).as_slice(),
            include_bytes!(concat!("../../../icons/tray/", $state, "-32.png")).as_slice(),
            include_bytes!(concat!("../../../icons/tray/", $state, "-48.png")).as_slice(),
            include_bytes!(concat!("../../../icons/tray/", $state, "-64.png")).as_slice(),
        ]
    };
}

const ACTIVE: [&[u8]; 6] = sizes!("active");
const PAUSED: [&[u8]; 6] = sizes!("paused");
const DUE: [&[u8]; 6] = sizes!("due");

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

fn cached(cell: &'static OnceLock<Vec<ksni::Icon>>, pngs: &[&[u8]]) -> Vec<ksni::Icon> {
    cell.get_or_init(|| {
        pngs.iter()
            .filter_map(|bytes| match decode_argb(bytes) {
                Ok(icon) => Some(icon),
                Err(e) => {
                    log::error!("a tray icon could not be decoded: {e}");
                    None
                }
            })
            .collect()
    })
    .clone()
}

pub fn tray_icon(state: State) -> Vec<ksni::Icon> {
    static ACTIVE_ICON: OnceLock<Vec<ksni::Icon>> = OnceLock::new();
    static PAUSED_ICON: OnceLock<Vec<ksni::Icon>> = OnceLock::new();
    static DUE_ICON: OnceLock<Vec<ksni::Icon>> = OnceLock::new();
    match state {
        State::Paused | State::OffHours => cached(&PAUSED_ICON, &PAUSED),
        State::Due => cached(&DUE_ICON, &DUE),
        _ => cached(&ACTIVE_ICON, &ACTIVE),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_tray_icon_decodes_to_square_argb() {
        for state in [State::Active, State::Paused, State::Due] {
            let icons = tray_icon(state);
            let sizes: Vec<i32> = icons.iter().map(|i| i.width).collect();
            assert_eq!(sizes, [16, 22, 24, 32, 48, 64], "{state:?}");
            for icon in &icons {
                assert_eq!(icon.width, icon.height);
                assert_eq!(icon.data.len(), (icon.width * icon.height * 4) as usize);
                assert!(
                    icon.data.chunks(4).any(|px| px[0] == 255),
                    "{state:?} has opaque pixels"
                );
            }
        }
        assert!(decode_argb(b"not a png").is_err());
    }
}
