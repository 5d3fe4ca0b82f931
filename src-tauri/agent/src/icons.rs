//! Tray icons: the ARGB32 pixmaps that the StatusNotifierItem protocol carries (so no icon
//! theme or GTK is needed), prepared from `icons/tray/*.png` by the build script and
//! included as they are, so the agent decodes nothing and the pixmaps stay in the
//! read-only pages of the program until a host asks for them.

use limber_core::schedule::State;

/// One state's icon at every size the agent sends (16-24 px from a master drawn for small
/// sizes, 32-64 px from the full drawing; `scripts/render-icons.sh` makes them). The host
/// picks the size that fits its panel instead of shrinking a large one.
macro_rules! sizes {
    ($state:literal: $($size:literal),+) => {
        [$((
            $size,
            include_bytes!(concat!(env!("OUT_DIR"), "/", $state, "-", $size, ".argb")).as_slice(),
        )),+]
    };
}

type Pixmaps = [(i32, &'static [u8]); 6];
const ACTIVE: Pixmaps = sizes!("active": 16, 22, 24, 32, 48, 64);
const PAUSED: Pixmaps = sizes!("paused": 16, 22, 24, 32, 48, 64);
const DUE: Pixmaps = sizes!("due": 16, 22, 24, 32, 48, 64);

/// The icon for a schedule state, at every size. The copies live only while the tray
/// service sends them.
pub fn tray_icon(state: State) -> Vec<ksni::Icon> {
    let pixmaps = match state {
        State::Paused | State::OffHours => &PAUSED,
        State::Due => &DUE,
        _ => &ACTIVE,
    };
    pixmaps
        .iter()
        .map(|&(size, argb)| ksni::Icon {
            width: size,
            height: size,
            data: argb.to_vec(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_tray_icon_is_a_square_argb_pixmap_with_opaque_pixels() {
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
    }

    #[test]
    fn the_states_look_different() {
        let active = tray_icon(State::Active);
        let paused = tray_icon(State::Paused);
        let due = tray_icon(State::Due);
        assert_ne!(active[0].data, paused[0].data);
        assert_ne!(active[0].data, due[0].data);
        assert_eq!(tray_icon(State::OffHours)[0].data, paused[0].data);
    }
}
