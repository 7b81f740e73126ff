//! Landscapes: a sky, ridges of mountains and hills receding into haze, and sometimes a lake
//! that mirrors it all.

use super::canvas::Canvas;
use super::color::{smoothstep, Rgb};
use super::mood::Mood;
use super::noise::{fbm2, noise1, ridge1, CoarseField};
use super::sky::{Sky, SkyPlan};
use super::water::Water;
use crate::rng::Rng;

/// Everything about a landscape that is decided before painting, so that its alt text can say
/// what the picture shows.
pub(crate) struct LandscapePlan {
    mood: Mood,
    seed: u32,
    horizon: f32,
    light_x: f32,
    light_y: f32,
    layers: u32,
    /// Where the lake begins, as a fraction of the height.
    water_line: Option<f32>,
    trees: bool,
    cloudiness: f32,
}

impl LandscapePlan {
    pub(crate) fn new(mood: Mood, seed: u32) -> LandscapePlan {
        let mut rng = Rng::new(u64::from(seed) ^ 0x1A4D);
        let horizon = rng.range_f32(0.42, 0.58);
        let low_light = matches!(mood, Mood::Golden | Mood::Dawn | Mood::Desert | Mood::Ocean);
        let light_y = match mood {
            Mood::Noon | Mood::Snow => rng.range_f32(0.06, 0.2),
            Mood::Night => rng.range_f32(0.1, 0.28),
            Mood::BlueHour => horizon + 0.05,
            _ if low_light => horizon - rng.range_f32(0.02, 0.12),
            _ => rng.range_f32(0.15, 0.35),
        };
        let water = match mood {
            Mood::Ocean => true,
            Mood::Desert => rng.chance(0.15),
            _ => rng.chance(0.5),
        };
        let layers = if mood == Mood::Ocean { 2 } else { rng.range(3, 6) as u32 };
        LandscapePlan {
            mood,
            seed,
            horizon,
            light_x: rng.range_f32(0.2, 0.8),
            light_y,
            layers,
            water_line: water.then(|| horizon + rng.range_f32(0.08, 0.16)),
            trees: matches!(mood, Mood::Forest | Mood::Snow) || (mood != Mood::Desert && rng.chance(0.3)),
            cloudiness: rng.range_f32(0.0, 1.0),
        }
    }

    pub(crate) fn describe(&self) -> String {
        let land = match self.mood {
            Mood::Desert => "Layered desert ridges and mesas",
            Mood::Snow => "Snow-covered mountain ridges",
            Mood::Forest => "Forested hills fading into each other",
            Mood::Ocean => "A low rocky coastline and open sea",
            _ if self.layers >= 5 => "Layer after layer of mountain ridges",
            _ => "Mountain ridges receding into haze",
        };
        let water = match (self.water_line, self.mood) {
            (_, Mood::Ocean) => ", the water catching the light",
            (Some(_), _) => ", mirrored in a still lake",
            (None, _) => "",
        };
        let trees = if self.trees && self.mood != Mood::Forest { ", pine trees along the nearest slope" } else { "" };
        let clouds = if self.cloudiness > 0.7 { " Streaks of cloud cross the sky." } else { "" };
        format!("{land} {}{water}{trees}.{clouds}", self.mood.light_phrase())
    }

    pub(crate) fn paint(&self, width: u32, height: u32) -> Canvas {
        let h = height as f32;
        let palette = self.mood.palette();
        let sky = Sky::new(
            &SkyPlan {
                mood: self.mood,
                horizon: self.horizon + 0.06,
                light_x: self.light_x,
                light_y: self.light_y,
                cloudiness: self.cloudiness,
                seed: self.seed,
            },
            width,
            height,
        );
        let ground_end = self.water_line.unwrap_or(1.0);
        let ridges = self.ridges(width, h, ground_end);
        let texture_step = (height / 270).max(2);
        let texture = CoarseField::new(width, height, texture_step, |x, y| {
            let (u, v) = (x / h, y / h);
            fbm2(u * 9.0 + v * 5.0, v * 16.0 - u * 3.0, 4, self.seed ^ 0x7E)
        });
        let mut rng = Rng::new(u64::from(self.seed) ^ 0x5A0);
        let snow_caps = matches!(self.mood, Mood::Snow | Mood::Dawn | Mood::Noon) || rng.chance(0.2);
        let sun_x = sky.light_x_px();
        let water_row = self.water_line.map_or(height, |line| (line * h) as u32);

        let mut canvas = Canvas::new(width, height);
        canvas.fill(|x, y| {
            if y >= water_row {
                return Rgb::BLACK; // painted below, once the land it reflects exists
            }
            let v = y as f32 / h;
            let Some(layer) = ridges.iter().rposition(|ridge| v >= ridge.top[x as usize]) else {
                return sky.at(x, y);
            };
            let ridge = &ridges[layer];
            let depth = (v - ridge.top[x as usize]) / ridge.amplitude;
            let mut color = ridge.color;

            // Crests facing the light catch a thin rim of it.
            let slope = ridge.slope(x as f32) * h;
            let facing = (slope * (sun_x - x as f32).signum() * 1.5).clamp(0.0, 1.0);
            let rim = facing * (-depth * 14.0).exp() * (1.0 - ridge.nearness * 0.5);
            color = color.lerp(palette.light.lerp(color, 0.3), rim * 0.6);
            // Rock and scree: streaks falling diagonally away from the crest.
            let rock = texture.at(x as f32, y as f32);
            color = color.shade((rock - 0.5) * 0.35 * (1.0 - smoothstep(0.0, 1.2, depth)));

            if snow_caps && ridge.nearness < 0.5 {
                // Snow lies above a wavering snowline, so only the high peaks are white.
                let snowline = ridge.base - ridge.amplitude * 0.5 + (rock - 0.5) * 0.08;
                let snow = smoothstep(snowline + 0.01, snowline - 0.03, v);
                color =
                    color.lerp(palette.light.lerp(palette.haze, 0.5).shade(0.2), snow * 0.85 * (1.0 - ridge.nearness));
            }
            // Mist settles in the valleys, which is what separates one ridge from the next.
            let mist = smoothstep(0.0, 1.3, depth) * (1.0 - ridge.nearness).powf(0.7) * 0.75;
            color = color.lerp(palette.haze, mist);
            if ridge.nearness > 0.5 {
                color = color * (0.86 + 0.28 * texture.at(x as f32, y as f32));
            }
            color
        });
        if let Some(line) = self.water_line {
            Water { line, smear: 0.0, seed: self.seed }.paint(&mut canvas, &sky, &palette);
        }
        canvas
    }

    fn ridges(&self, width: u32, h: f32, ground_end: f32) -> Vec<Ridge> {
        let palette = self.mood.palette();
        let mut rng = Rng::new(u64::from(self.seed) ^ 0x21D6E);
        let span = ground_end - self.horizon;
        (0..self.layers)
            .map(|layer| {
                let nearness = if self.layers == 1 { 1.0 } else { layer as f32 / (self.layers - 1) as f32 };
                let base = self.horizon + span * (layer as f32 + 0.6) / self.layers as f32;
                let amplitude = (0.3 - 0.2 * nearness) * rng.range_f32(0.7, 1.2);
                let frequency = (1.6 - 0.8 * nearness) * rng.range_f32(0.8, 1.2);
                let sharpness = 0.85 - 0.65 * nearness;
                let offset = rng.range_f32(0.0, 100.0);
                let seed = self.seed.wrapping_add(layer * 131);
                let octaves = if nearness > 0.6 { 4 } else { 6 };
                let with_trees = self.trees && nearness > 0.6;
                let top = (0..width)
                    .map(|x| {
                        let u = x as f32 / h;
                        // A broad massif under the detailed ridge gives each range a few real peaks.
                        let massif = (noise1(u * frequency * 0.45 + offset, seed ^ 0x3A55) - 0.5) * 2.2 + 0.5;
                        let detail = ridge1(u * frequency + offset, octaves, sharpness, seed);
                        let mut top = base - amplitude * (0.55 * detail + 0.6 * massif - 0.15);
                        if with_trees {
                            top -= tree_line(u, seed) * (0.6 + nearness * 0.6);
                        }
                        top
                    })
                    .collect();
                let color = palette
                    .far_land
                    .lerp(palette.near_land, nearness.powf(0.8))
                    .lerp(palette.sky_horizon, (1.0 - nearness).powi(2) * 0.3);
                Ridge { top, base, amplitude, nearness, color }
            })
            .collect()
    }
}

struct Ridge {
    /// Per column, the crest as a fraction of the height.
    top: Vec<f32>,
    /// Where the ridge's foot would be on flat ground, as a fraction of the height.
    base: f32,
    amplitude: f32,
    /// 0 for the farthest ridge, 1 for the nearest.
    nearness: f32,
    color: Rgb,
}

impl Ridge {
    /// The crest's slope around column `x`, measured over a few pixels so that the finest
    /// octaves of the ridge do not stripe the mountainside.
    fn slope(&self, x: f32) -> f32 {
        let last = self.top.len() as f32 - 1.0;
        let reach = (self.top.len() as f32 / 200.0).max(2.0);
        let left = (x - reach).clamp(0.0, last) as usize;
        let right = (x + reach).clamp(0.0, last) as usize;
        (self.top[right] - self.top[left]) / (right - left).max(1) as f32
    }
}

/// Conifer silhouettes along a crest: pointed triangles of varied height, spaced irregularly.
fn tree_line(u: f32, seed: u32) -> f32 {
    const SPACING: f32 = 0.011;
    let cell = (u / SPACING).floor() as i64;
    let mut tallest: f32 = 0.0;
    for neighbour in cell - 1..=cell + 1 {
        let mut rng = Rng::new(neighbour as u64 ^ (u64::from(seed) << 20));
        if rng.chance(0.2) {
            continue; // a gap in the forest
        }
        let centre = (neighbour as f32 + rng.range_f32(0.2, 0.8)) * SPACING;
        let height = rng.range_f32(0.02, 0.055);
        let half_width = height * 0.28;
        let profile = height * (1.0 - (u - centre).abs() / half_width);
        tallest = tallest.max(profile);
    }
    tallest
}
