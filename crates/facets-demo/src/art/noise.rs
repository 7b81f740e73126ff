//! Gradient noise, fractal sums of it, and a coarse grid to evaluate smooth fields cheaply.

use super::color::Rgb;
use crate::rng::mix;

fn hash2(ix: i32, iy: i32, seed: u32) -> u64 {
    mix(((ix as u32 as u64) << 32 | iy as u32 as u64) ^ (u64::from(seed) << 17).wrapping_mul(0x9E37_79B9))
}

fn fade(t: f32) -> f32 {
    t * t * t * (t * (t * 6.0 - 15.0) + 10.0)
}

/// Unit gradients at multiples of 22.5°; sixteen directions keep the lattice from showing.
const H: f32 = std::f32::consts::FRAC_1_SQRT_2;
const GRADIENTS: [(f32, f32); 16] = [
    (1.0, 0.0),
    (0.9239, 0.3827),
    (H, H),
    (0.3827, 0.9239),
    (0.0, 1.0),
    (-0.3827, 0.9239),
    (-H, H),
    (-0.9239, 0.3827),
    (-1.0, 0.0),
    (-0.9239, -0.3827),
    (-H, -H),
    (-0.3827, -0.9239),
    (0.0, -1.0),
    (0.3827, -0.9239),
    (H, -H),
    (0.9239, -0.3827),
];

fn corner(ix: i32, iy: i32, dx: f32, dy: f32, seed: u32) -> f32 {
    let (gx, gy) = GRADIENTS[(hash2(ix, iy, seed) & 15) as usize];
    gx * dx + gy * dy
}

/// Perlin-style gradient noise in about `[0, 1]`, 0.5 on average.
pub(crate) fn noise2(x: f32, y: f32, seed: u32) -> f32 {
    let (fx, fy) = (x.floor(), y.floor());
    let (ix, iy) = (fx as i32, fy as i32);
    let (dx, dy) = (x - fx, y - fy);
    let (u, v) = (fade(dx), fade(dy));
    let a = corner(ix, iy, dx, dy, seed);
    let b = corner(ix + 1, iy, dx - 1.0, dy, seed);
    let c = corner(ix, iy + 1, dx, dy - 1.0, seed);
    let d = corner(ix + 1, iy + 1, dx - 1.0, dy - 1.0, seed);
    let top = a + (b - a) * u;
    let bottom = c + (d - c) * u;
    0.5 + (top + (bottom - top) * v) * 0.7
}

/// Fractal sum of `octaves` layers of noise, normalised to about `[0, 1]`.
pub(crate) fn fbm2(mut x: f32, mut y: f32, octaves: u32, seed: u32) -> f32 {
    let (mut sum, mut amplitude, mut total) = (0.0, 1.0, 0.0);
    for octave in 0..octaves {
        sum += amplitude * noise2(x, y, seed.wrapping_add(octave * 101));
        total += amplitude;
        amplitude *= 0.5;
        // Rotating each octave hides the lattice's axis alignment.
        let (rx, ry) = (0.8 * x - 0.6 * y, 0.6 * x + 0.8 * y);
        x = rx * 2.03 + 17.1;
        y = ry * 2.03 + 3.7;
    }
    sum / total
}

/// One-dimensional gradient noise in about `[0, 1]`.
pub(crate) fn noise1(x: f32, seed: u32) -> f32 {
    let fx = x.floor();
    let i = fx as i32;
    let d = x - fx;
    let slope = |i: i32| (hash2(i, 0, seed) >> 40) as f32 / (1u64 << 24) as f32 * 2.0 - 1.0;
    let a = slope(i) * d;
    let b = slope(i + 1) * (d - 1.0);
    0.5 + (a + (b - a) * fade(d)) * 0.9
}

/// A mountain ridge profile: sharp peaks from folded noise, softened by smooth octaves.
pub(crate) fn ridge1(x: f32, octaves: u32, sharpness: f32, seed: u32) -> f32 {
    let (mut sum, mut amplitude, mut frequency, mut total) = (0.0, 1.0, 1.0, 0.0);
    for octave in 0..octaves {
        let n = noise1(x * frequency, seed.wrapping_add(octave * 7919));
        let folded = 1.0 - (n * 2.0 - 1.0).abs();
        sum += amplitude * (folded * sharpness + n * (1.0 - sharpness));
        total += amplitude;
        amplitude *= 0.48;
        frequency *= 2.1;
    }
    sum / total
}

/// A stateless hash of a pixel, uniform in `[0, 1)`, for grain and star fields.
pub(crate) fn pixel_hash(x: u32, y: u32, seed: u32) -> f32 {
    (hash2(x as i32, y as i32, seed ^ 0x5bd1_e995) >> 40) as f32 / (1u64 << 24) as f32
}

/// Values that can be interpolated: what a [`CoarseField`] can hold.
pub(crate) trait Blend: Copy {
    fn blend(self, other: Self, t: f32) -> Self;
}

impl Blend for f32 {
    fn blend(self, other: f32, t: f32) -> f32 {
        self + (other - self) * t
    }
}

impl Blend for Rgb {
    fn blend(self, other: Rgb, t: f32) -> Rgb {
        self.lerp(other, t)
    }
}

/// A smooth field evaluated every `step` pixels and interpolated in between: the picture's
/// large, soft structures (clouds, haze, paint swirls) need no per-pixel evaluation.
pub(crate) struct CoarseField<T: Blend> {
    columns: usize,
    step: f32,
    values: Vec<T>,
}

impl<T: Blend> CoarseField<T> {
    pub(crate) fn new(width: u32, height: u32, step: u32, f: impl Fn(f32, f32) -> T) -> CoarseField<T> {
        let columns = (width / step + 2) as usize;
        let rows = (height / step + 2) as usize;
        let mut values = Vec::with_capacity(columns * rows);
        for row in 0..rows {
            for column in 0..columns {
                values.push(f((column as u32 * step) as f32, (row as u32 * step) as f32));
            }
        }
        CoarseField { columns, step: step as f32, values }
    }

    pub(crate) fn at(&self, x: f32, y: f32) -> T {
        let (gx, gy) = (x / self.step, y / self.step);
        let (cx, cy) = (gx as usize, gy as usize);
        let (tx, ty) = (gx - cx as f32, gy - cy as f32);
        let index = cy * self.columns + cx;
        let below = index + self.columns;
        let top = self.values[index].blend(self.values[index + 1], tx);
        let bottom = self.values[below].blend(self.values[below + 1], tx);
        top.blend(bottom, ty)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noise_stays_near_the_unit_range_and_varies() {
        let (mut low, mut high) = (f32::MAX, f32::MIN);
        for i in 0..2000 {
            let v = fbm2(i as f32 * 0.137, i as f32 * 0.071, 4, 3);
            low = low.min(v);
            high = high.max(v);
        }
        assert!(low > -0.1 && high < 1.1, "fbm drifted out of range: {low}..{high}");
        assert!(high - low > 0.3, "fbm is too flat: {low}..{high}");
    }

    #[test]
    fn the_coarse_field_matches_the_function_on_its_grid() {
        let field = CoarseField::new(40, 30, 4, |x, y| x + 2.0 * y);
        assert!((field.at(8.0, 12.0) - 32.0).abs() < 1e-4);
        assert!((field.at(9.0, 13.0) - 35.0).abs() < 1e-4, "linear functions interpolate exactly");
    }
}
