//! Cityscapes at dusk and after dark: three layers of skyline, lit windows, sometimes a harbour
//! full of reflected light.

use super::canvas::Canvas;
use super::color::{smoothstep, Rgb};
use super::mood::Mood;
use super::noise::pixel_hash;
use super::sky::{Sky, SkyPlan};
use super::water::Water;
use crate::rng::Rng;

pub(crate) struct CityPlan {
    mood: Mood,
    seed: u32,
    /// Where the buildings stand, as a fraction of the height.
    ground: f32,
    harbour: bool,
    light_x: f32,
    cloudiness: f32,
    /// Share of windows with the lights on.
    lit_share: f32,
}

impl CityPlan {
    pub(crate) fn new(mood: Mood, seed: u32) -> CityPlan {
        let mut rng = Rng::new(u64::from(seed) ^ 0xC17);
        let harbour = rng.chance(0.6);
        CityPlan {
            mood,
            seed,
            ground: if harbour { rng.range_f32(0.6, 0.72) } else { rng.range_f32(0.82, 0.95) },
            harbour,
            light_x: rng.range_f32(0.15, 0.85),
            cloudiness: rng.range_f32(0.0, 0.9),
            lit_share: if mood.is_dark() { rng.range_f32(0.35, 0.6) } else { rng.range_f32(0.12, 0.3) },
        }
    }

    pub(crate) fn describe(&self) -> String {
        let water = if self.harbour { ", their lights reflected in the harbour below" } else { "" };
        format!("A city skyline {}, towers dotted with lit windows{water}.", self.mood.light_phrase())
    }

    pub(crate) fn paint(&self, width: u32, height: u32) -> Canvas {
        let h = height as f32;
        let palette = self.mood.palette();
        let sky = Sky::new(
            &SkyPlan {
                mood: self.mood,
                horizon: self.ground,
                light_x: self.light_x,
                light_y: self.ground + 0.03,
                cloudiness: self.cloudiness,
                seed: self.seed,
            },
            width,
            height,
        );
        let layers: Vec<Skyline> = (0..3).map(|layer| Skyline::generate(self, layer, width, h)).collect();
        let glow = palette.light.lerp(palette.sky_horizon, 0.5);
        let ground_row = if self.harbour { (self.ground * h) as u32 } else { height };

        let mut canvas = Canvas::new(width, height);
        canvas.fill(|x, y| {
            if y >= ground_row {
                return Rgb::BLACK; // the harbour is painted once the skyline exists
            }
            let v = y as f32 / h;
            for skyline in layers.iter().rev() {
                if let Some(building) = skyline.building_at(x) {
                    if v >= building.top_at(x as f32 / h) {
                        let color = skyline.shade(building, x, y, h, self.lit_share);
                        // The street-level glow of a city rises into its lower floors.
                        let haze = smoothstep(self.ground - 0.12, self.ground, v) * 0.35;
                        return color.lerp(glow, haze * (1.0 - skyline.nearness * 0.5));
                    }
                }
            }
            sky.at(x, y)
        });
        if self.harbour {
            Water { line: self.ground, smear: 0.35, seed: self.seed }.paint(&mut canvas, &sky, &palette);
        }
        canvas
    }
}

#[derive(Clone, Copy)]
enum Roof {
    Flat,
    Stepped,
    Spire,
    Antenna,
}

struct Building {
    /// Left and right edges, in height units.
    left: f32,
    right: f32,
    top: f32,
    roof: Roof,
    facade: Rgb,
    seed: u32,
}

impl Building {
    fn top_at(&self, u: f32) -> f32 {
        let width = self.right - self.left;
        let centre = self.left + width / 2.0;
        let from_centre = (u - centre).abs() / (width / 2.0);
        match self.roof {
            Roof::Flat => self.top,
            Roof::Stepped if from_centre > 0.6 => self.top + width * 0.5,
            Roof::Stepped => self.top,
            Roof::Spire if from_centre < 0.3 => self.top - width * 1.2 * (1.0 - from_centre / 0.3),
            Roof::Spire => self.top,
            Roof::Antenna if (u - centre).abs() < 0.0012 => self.top - width * 0.9,
            Roof::Antenna => self.top,
        }
    }
}

struct Skyline {
    buildings: Vec<Building>,
    /// For each pixel column, the building standing there.
    columns: Vec<Option<usize>>,
    nearness: f32,
    /// Window cell size in pixels.
    cell: (f32, f32),
}

impl Skyline {
    fn generate(plan: &CityPlan, layer: u32, width: u32, h: f32) -> Skyline {
        let palette = plan.mood.palette();
        let mut rng = Rng::new(u64::from(plan.seed) ^ (0xB1D6 + u64::from(layer)));
        let nearness = layer as f32 / 2.0;
        let base = palette.far_land.lerp(palette.near_land, nearness).lerp(palette.haze, (1.0 - nearness) * 0.35);
        let max_height = (plan.ground - 0.12) * (0.95 - nearness * 0.45);
        let mut buildings = Vec::new();
        let mut u = -rng.range_f32(0.0, 0.05);
        let right_edge = width as f32 / h;
        while u < right_edge {
            let building_width = rng.range_f32(0.035, 0.09) * (1.0 + nearness * 0.6);
            let tall = rng.unit().powf(2.2);
            let height = max_height * (0.15 + 0.85 * tall);
            let roof = match rng.below(10) {
                0 | 1 => Roof::Stepped,
                2 if tall > 0.5 => Roof::Spire,
                3 | 4 if tall > 0.3 => Roof::Antenna,
                _ => Roof::Flat,
            };
            buildings.push(Building {
                left: u,
                right: u + building_width,
                top: plan.ground - height,
                roof,
                facade: base.shade(rng.range_f32(-0.15, 0.1)),
                seed: rng.next_u32(),
            });
            u += building_width + if rng.chance(0.3) { rng.range_f32(0.0, 0.03) } else { 0.0 };
        }
        let columns = (0..width)
            .map(|x| {
                let u = x as f32 / h;
                buildings.iter().position(|b| u >= b.left && u < b.right)
            })
            .collect();
        let scale = 0.6 + nearness * 0.7;
        Skyline { buildings, columns, nearness, cell: (h * 0.009 * scale, h * 0.013 * scale) }
    }

    fn building_at(&self, x: u32) -> Option<&Building> {
        self.columns[x as usize].map(|index| &self.buildings[index])
    }

    fn shade(&self, building: &Building, x: u32, y: u32, h: f32, lit_share: f32) -> Rgb {
        let local_x = x as f32 - building.left * h;
        let local_y = y as f32 - building.top * h;
        // Facades pick up a little sky light towards their tops.
        let mut color = building.facade.shade(0.08 * (-(local_y / h) * 6.0).exp());
        if local_x < self.cell.0 * 0.6 || local_y < self.cell.1 * 0.8 {
            return color;
        }
        let (column, row) = ((local_x / self.cell.0) as u32, (local_y / self.cell.1) as u32);
        let (fx, fy) = (local_x / self.cell.0 - column as f32, local_y / self.cell.1 - row as f32);
        if fx < 0.55 && fy < 0.5 {
            let floor_dark = pixel_hash(row, 7, building.seed) < 0.25;
            let on = pixel_hash(column, row, building.seed);
            color = if !floor_dark && on < lit_share {
                let warmth = pixel_hash(column, row, building.seed ^ 0xFACE);
                let lamp = if warmth < 0.6 {
                    Rgb::hex(0xffd27a)
                } else if warmth < 0.85 {
                    Rgb::hex(0xfff1d6)
                } else {
                    Rgb::hex(0xa9d4ff)
                };
                lamp * (0.55 + 0.45 * on / lit_share) * (0.6 + self.nearness * 0.4)
            } else {
                color.shade(-0.12)
            };
        }
        color
    }
}
