//! The light of a scene: time of day and place decide every colour of a landscape or a city.

use super::color::Rgb;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mood {
    Golden,
    BlueHour,
    Dawn,
    Noon,
    Night,
    Snow,
    Desert,
    Forest,
    Ocean,
    Neon,
}

impl Mood {
    pub(crate) const LANDSCAPE: [Mood; 9] = [
        Mood::Golden,
        Mood::BlueHour,
        Mood::Dawn,
        Mood::Noon,
        Mood::Night,
        Mood::Snow,
        Mood::Desert,
        Mood::Forest,
        Mood::Ocean,
    ];
    pub(crate) const CITY: [Mood; 4] = [Mood::Golden, Mood::BlueHour, Mood::Night, Mood::Neon];

    pub(crate) fn code(self) -> &'static str {
        match self {
            Mood::Golden => "golden",
            Mood::BlueHour => "bluehour",
            Mood::Dawn => "dawn",
            Mood::Noon => "noon",
            Mood::Night => "night",
            Mood::Snow => "snow",
            Mood::Desert => "desert",
            Mood::Forest => "forest",
            Mood::Ocean => "ocean",
            Mood::Neon => "neon",
        }
    }

    pub(crate) fn from_code(code: &str) -> Option<Mood> {
        Mood::LANDSCAPE.into_iter().chain([Mood::Neon]).find(|mood| mood.code() == code)
    }

    /// How people would name the light in a caption or an alt text.
    pub(crate) fn light_phrase(self) -> &'static str {
        match self {
            Mood::Golden => "in warm golden-hour light",
            Mood::BlueHour => "in the deep blue after sunset",
            Mood::Dawn => "at a pastel pink dawn",
            Mood::Noon => "under a clear midday sky",
            Mood::Night => "at night under a sky full of stars",
            Mood::Snow => "in cold, bright winter light",
            Mood::Desert => "in dusty desert evening light",
            Mood::Forest => "in soft morning mist",
            Mood::Ocean => "in late afternoon light over the sea",
            Mood::Neon => "glowing magenta and violet after dark",
        }
    }

    pub(crate) fn is_dark(self) -> bool {
        matches!(self, Mood::Night | Mood::BlueHour | Mood::Neon)
    }

    pub(crate) fn palette(self) -> Palette {
        let p = |sky: [u32; 3], light: u32, far: u32, near: u32, haze: u32, water: u32| Palette {
            sky_top: Rgb::hex(sky[0]),
            sky_middle: Rgb::hex(sky[1]),
            sky_horizon: Rgb::hex(sky[2]),
            light: Rgb::hex(light),
            far_land: Rgb::hex(far),
            near_land: Rgb::hex(near),
            haze: Rgb::hex(haze),
            water: Rgb::hex(water),
        };
        match self {
            Mood::Golden => p([0x2c3e70, 0xc7736a, 0xffbe76], 0xfff0c2, 0xb07a86, 0x2a1c2c, 0xf2a987, 0x4d3f62),
            Mood::BlueHour => p([0x081433, 0x2b4d92, 0xd7a6c0], 0xffd9e6, 0x4e62a3, 0x0f1630, 0x8b9fd6, 0x1c2a55),
            Mood::Dawn => p([0x6677b3, 0xc8a5c9, 0xffdcbc], 0xfff5de, 0xa891b8, 0x463b5f, 0xf2cfd3, 0x6f6a97),
            Mood::Noon => p([0x2a67bd, 0x6ea6df, 0xd3e6f5], 0xffffff, 0x87a3c0, 0x2d5634, 0xd0e1ef, 0x2a6a8c),
            Mood::Night => p([0x02040d, 0x0b1733, 0x24406b], 0xe9efff, 0x1b2b4a, 0x04070e, 0x2b3f66, 0x0b1426),
            Mood::Snow => p([0x7aa2d0, 0xbcd3ea, 0xf0f5fb], 0xfffaf0, 0xc6d5e7, 0x6f8296, 0xe7eef7, 0x6d8fae),
            Mood::Desert => p([0x46598c, 0xe0a779, 0xf8d59e], 0xfff0c8, 0xc48459, 0x6e3620, 0xf0c18c, 0x8a6a5a),
            Mood::Forest => p([0x8aa6a0, 0xb8c9bd, 0xe0e7d8], 0xfff8e0, 0x7a958b, 0x172b1f, 0xcfd9cd, 0x3d5a52),
            Mood::Ocean => p([0x356aa3, 0x86b6d8, 0xf4dab3], 0xfff1cf, 0x5b7a8f, 0x1f2b36, 0xc5d5e0, 0x1d587a),
            Mood::Neon => p([0x0a0522, 0x3a0f52, 0xff4fa6], 0xffc2e8, 0x3b1f5e, 0x0b0716, 0xb04a9c, 0x1a0b2e),
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Palette {
    pub sky_top: Rgb,
    pub sky_middle: Rgb,
    pub sky_horizon: Rgb,
    /// The sun, or the moon at night.
    pub light: Rgb,
    pub far_land: Rgb,
    pub near_land: Rgb,
    pub haze: Rgb,
    pub water: Rgb,
}
