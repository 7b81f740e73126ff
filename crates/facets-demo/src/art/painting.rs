//! Non-figurative art: flowing domain-warped "marbling", mid-century geometric posters, and soft
//! mesh-gradient orbs.

use super::canvas::Canvas;
use super::color::{smoothstep, Rgb};
use super::noise::{fbm2, CoarseField};
use crate::rng::Rng;

/// Four-colour palettes, dark to light, for the marbling.
const MARBLE_PALETTES: [([u32; 4], &str); 8] = [
    ([0x0d1b2a, 0x1b998b, 0xf4d35e, 0xee964b], "teal, saffron and orange"),
    ([0x1a0b2e, 0x7b2cbf, 0xff6d00, 0xffe8d6], "violet and burning orange"),
    ([0x081c15, 0x2d6a4f, 0x95d5b2, 0xf1faee], "deep greens and mint"),
    ([0x03071e, 0x9d0208, 0xe85d04, 0xffba08], "black, crimson and gold"),
    ([0x0b132b, 0x3a506b, 0x5bc0be, 0xfdfdfd], "ink blue, aqua and white"),
    ([0x2b2d42, 0x8d99ae, 0xef233c, 0xedf2f4], "slate grey with a streak of red"),
    ([0x22223b, 0x4a4e69, 0xc9ada7, 0xf2e9e4], "dusky rose and plum"),
    ([0x1b1035, 0x3d348b, 0xf18701, 0xf7b801], "indigo and amber"),
];

pub(crate) const PALETTE_COUNT: u8 = MARBLE_PALETTES.len() as u8;

/// Domain-warped noise: noise whose coordinates are pushed around by more noise, twice, which
/// reads as paint flowing or marbled paper.
pub(crate) struct Marbling {
    pub palette: u8,
    pub seed: u32,
}

impl Marbling {
    pub(crate) fn describe(&self) -> String {
        let (_, colours) = MARBLE_PALETTES[usize::from(self.palette) % MARBLE_PALETTES.len()];
        format!("Abstract digital painting: swirling, marbled currents of {colours}.")
    }

    pub(crate) fn paint(&self, width: u32, height: u32) -> Canvas {
        let (codes, _) = MARBLE_PALETTES[usize::from(self.palette) % MARBLE_PALETTES.len()];
        let colors = codes.map(Rgb::hex);
        let mut rng = Rng::new(u64::from(self.seed));
        let scale = rng.range_f32(1.6, 3.2);
        let (ox, oy) = (rng.range_f32(0.0, 50.0), rng.range_f32(0.0, 50.0));
        let warp = rng.range_f32(3.0, 4.5);
        let seed = self.seed;
        let h = height as f32;
        let step = (height / 240).max(2);
        let field = CoarseField::new(width, height, step, |x, y| {
            let (px, py) = (x / h * scale + ox, y / h * scale + oy);
            let q = (fbm2(px, py, 4, seed), fbm2(px + 5.2, py + 1.3, 4, seed));
            let r = (
                fbm2(px + warp * q.0 + 1.7, py + warp * q.1 + 9.2, 4, seed),
                fbm2(px + warp * q.0 + 8.3, py + warp * q.1 + 2.8, 4, seed),
            );
            let f = fbm2(px + warp * r.0, py + warp * r.1, 4, seed);
            let mut color = colors[0].lerp(colors[1], (f * f * 3.5).clamp(0.0, 1.0));
            color = color.lerp(colors[2], ((q.0 * q.0 + q.1 * q.1).sqrt() * 1.4 - 0.55).clamp(0.0, 1.0));
            color = color.lerp(colors[3], (r.0 * r.0 * 2.2 - 0.45).clamp(0.0, 1.0));
            color * (0.55 + 1.1 * (f * f * f + 0.6 * f * f + 0.5 * f))
        });
        let mut canvas = Canvas::new(width, height);
        canvas.fill(|x, y| field.at(x as f32, y as f32));
        canvas
    }
}

const POSTER_PALETTES: [([u32; 5], &str); 6] = [
    ([0xf1e9da, 0xe4572e, 0x29335c, 0xf3a712, 0x669bbc], "vermilion, navy and mustard on cream"),
    ([0xefe6dd, 0x1d3557, 0xe63946, 0xa8dadc, 0x457b9d], "red and blues on off-white"),
    ([0x264653, 0xe9c46a, 0xf4a261, 0xe76f51, 0x2a9d8f], "sand, coral and teal on dark green"),
    ([0xf8f4e3, 0x2d3142, 0xbfc0c0, 0xef8354, 0x4f5d75], "charcoal and tangerine on paper"),
    ([0x1f1f1f, 0xf2c14e, 0xf78154, 0x5fad56, 0x4d9078], "yellow, orange and greens on black"),
    ([0xfaf0ca, 0x0d3b66, 0xee964b, 0xf95738, 0xf4d35e], "deep blue, orange and yellow on cream"),
];

/// Mid-century geometric poster: a sun, arcs, bars and half-discs in flat inks on paper.
pub(crate) struct Poster {
    pub palette: u8,
    pub seed: u32,
}

enum Shape {
    Disc { x: f32, y: f32, r: f32 },
    Ring { x: f32, y: f32, r: f32, thickness: f32 },
    Bar { x0: f32, y0: f32, x1: f32, y1: f32 },
    HalfDisc { x: f32, y: f32, r: f32, upward: bool },
}

impl Shape {
    /// Signed distance in height units: negative inside.
    fn distance(&self, u: f32, v: f32) -> f32 {
        match *self {
            Shape::Disc { x, y, r } => ((u - x).powi(2) + (v - y).powi(2)).sqrt() - r,
            Shape::Ring { x, y, r, thickness } => {
                (((u - x).powi(2) + (v - y).powi(2)).sqrt() - r).abs() - thickness / 2.0
            }
            Shape::Bar { x0, y0, x1, y1 } => {
                let dx = (x0 - u).max(u - x1);
                let dy = (y0 - v).max(v - y1);
                dx.max(dy)
            }
            Shape::HalfDisc { x, y, r, upward } => {
                let disc = ((u - x).powi(2) + (v - y).powi(2)).sqrt() - r;
                let side = if upward { v - y } else { y - v };
                disc.max(side)
            }
        }
    }
}

impl Poster {
    pub(crate) fn describe(&self) -> String {
        let (_, colours) = POSTER_PALETTES[usize::from(self.palette) % POSTER_PALETTES.len()];
        format!("Geometric print in the mid-century style: a large sun disc, arcs and bars in {colours}, with a grainy paper texture.")
    }

    pub(crate) fn paint(&self, width: u32, height: u32) -> Canvas {
        let (codes, _) = POSTER_PALETTES[usize::from(self.palette) % POSTER_PALETTES.len()];
        let colors = codes.map(Rgb::hex);
        let h = height as f32;
        let aspect = width as f32 / h;
        let mut rng = Rng::new(u64::from(self.seed) ^ 0x905);
        let mut shapes: Vec<(Shape, Rgb)> = Vec::new();
        let horizon = rng.range_f32(0.55, 0.75);
        shapes.push((Shape::Bar { x0: -1.0, y0: horizon, x1: aspect + 1.0, y1: 2.0 }, colors[2]));
        let sun_r = rng.range_f32(0.16, 0.28);
        let sun_x = rng.range_f32(0.3, 0.7) * aspect;
        shapes.push((Shape::Disc { x: sun_x, y: horizon - sun_r * rng.range_f32(0.2, 0.9), r: sun_r }, colors[1]));
        for _ in 0..rng.range(2, 5) {
            let color = colors[1 + rng.below(4)];
            let shape = match rng.below(4) {
                0 => Shape::Ring {
                    x: rng.range_f32(0.0, aspect),
                    y: rng.range_f32(0.1, 0.9),
                    r: rng.range_f32(0.08, 0.3),
                    thickness: rng.range_f32(0.015, 0.05),
                },
                1 => {
                    let (x, y) = (rng.range_f32(-0.1, aspect), rng.range_f32(0.05, 0.95));
                    Shape::Bar { x0: x, y0: y, x1: x + rng.range_f32(0.1, 0.6), y1: y + rng.range_f32(0.02, 0.08) }
                }
                2 => Shape::HalfDisc {
                    x: rng.range_f32(0.1, aspect - 0.1),
                    y: if rng.chance(0.5) { horizon } else { 1.0 },
                    r: rng.range_f32(0.1, 0.3),
                    upward: true,
                },
                _ => Shape::Disc {
                    x: rng.range_f32(0.0, aspect),
                    y: rng.range_f32(0.05, 0.95),
                    r: rng.range_f32(0.03, 0.1),
                },
            };
            shapes.push((shape, color));
        }
        let seed = self.seed;
        let texture = CoarseField::new(width, height, 3, |x, y| fbm2(x / h * 40.0, y / h * 40.0, 3, seed));
        let pixel = 1.0 / h;
        let mut canvas = Canvas::new(width, height);
        canvas.fill(|x, y| {
            let (u, v) = (x as f32 / h, y as f32 / h);
            let ink_texture = texture.at(x as f32, y as f32);
            let mut color = colors[0].shade((ink_texture - 0.5) * 0.08);
            for (shape, ink) in &shapes {
                let coverage = smoothstep(pixel, -pixel, shape.distance(u, v));
                if coverage > 0.0 {
                    // Flat inks print unevenly: a little of the paper shows through.
                    let printed = ink.lerp(colors[0], smoothstep(0.6, 0.85, ink_texture) * 0.15);
                    color = color.lerp(printed, coverage);
                }
            }
            color
        });
        canvas
    }
}

/// Soft blobs of colour melting into each other, like a mesh gradient.
pub(crate) struct Orbs {
    pub palette: u8,
    pub seed: u32,
}

impl Orbs {
    pub(crate) fn describe(&self) -> String {
        let (_, colours) = MARBLE_PALETTES[usize::from(self.palette) % MARBLE_PALETTES.len()];
        format!("Soft, blurred orbs of {colours} melting into each other.")
    }

    pub(crate) fn paint(&self, width: u32, height: u32) -> Canvas {
        let (codes, _) = MARBLE_PALETTES[usize::from(self.palette) % MARBLE_PALETTES.len()];
        let colors = codes.map(Rgb::hex);
        let h = height as f32;
        let aspect = width as f32 / h;
        let mut rng = Rng::new(u64::from(self.seed) ^ 0x0B5);
        let orbs: Vec<(f32, f32, f32, Rgb)> = (0..5)
            .map(|i| {
                let color = colors[i % colors.len()];
                (rng.range_f32(-0.1, aspect + 0.1), rng.range_f32(-0.1, 1.1), rng.range_f32(0.18, 0.4), color)
            })
            .collect();
        let background = colors[3].lerp(colors[2], 0.4);
        let field = CoarseField::new(width, height, 4, |x, y| {
            let (u, v) = (x / h, y / h);
            let (mut sum, mut weight) = (background * 0.15, 0.15);
            for &(ox, oy, r, color) in &orbs {
                let w = (-((u - ox).powi(2) + (v - oy).powi(2)) / (r * r)).exp().powi(2) * 4.0;
                sum = sum + color * w;
                weight += w;
            }
            sum * (1.0 / weight)
        });
        let mut canvas = Canvas::new(width, height);
        canvas.fill(|x, y| field.at(x as f32, y as f32));
        canvas
    }
}
