//! Colours as three `f32` channels in display (sRGB-encoded) space, 0..1.

use std::ops::{Add, Mul};

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rgb {
    pub r: f32,
    pub g: f32,
    pub b: f32,
}

impl Rgb {
    pub(crate) const BLACK: Rgb = Rgb { r: 0.0, g: 0.0, b: 0.0 };
    pub(crate) const WHITE: Rgb = Rgb { r: 1.0, g: 1.0, b: 1.0 };

    /// `0xRRGGBB`, as designers write palettes.
    pub(crate) const fn hex(value: u32) -> Rgb {
        Rgb {
            r: ((value >> 16) & 0xFF) as f32 / 255.0,
            g: ((value >> 8) & 0xFF) as f32 / 255.0,
            b: (value & 0xFF) as f32 / 255.0,
        }
    }

    pub(crate) fn lerp(self, other: Rgb, t: f32) -> Rgb {
        Rgb {
            r: self.r + (other.r - self.r) * t,
            g: self.g + (other.g - self.g) * t,
            b: self.b + (other.b - self.b) * t,
        }
    }

    /// Lighter (`amount` > 0) or darker (< 0), keeping the hue.
    pub(crate) fn shade(self, amount: f32) -> Rgb {
        if amount >= 0.0 {
            self.lerp(Rgb::WHITE, amount)
        } else {
            self * (1.0 + amount)
        }
    }

    pub(crate) fn to_bytes(self) -> [u8; 3] {
        let byte = |v: f32| (v.clamp(0.0, 1.0) * 255.0 + 0.5) as u8;
        [byte(self.r), byte(self.g), byte(self.b)]
    }
}

impl Add for Rgb {
    type Output = Rgb;
    fn add(self, o: Rgb) -> Rgb {
        Rgb { r: self.r + o.r, g: self.g + o.g, b: self.b + o.b }
    }
}

impl Mul<f32> for Rgb {
    type Output = Rgb;
    fn mul(self, k: f32) -> Rgb {
        Rgb { r: self.r * k, g: self.g * k, b: self.b * k }
    }
}

impl Mul<Rgb> for Rgb {
    type Output = Rgb;
    fn mul(self, o: Rgb) -> Rgb {
        Rgb { r: self.r * o.r, g: self.g * o.g, b: self.b * o.b }
    }
}

/// A gradient through evenly spaced stops.
pub(crate) fn ramp(stops: &[Rgb], t: f32) -> Rgb {
    let t = t.clamp(0.0, 1.0) * (stops.len() - 1) as f32;
    let index = (t as usize).min(stops.len() - 2);
    stops[index].lerp(stops[index + 1], t - index as f32)
}

pub(crate) fn smoothstep(edge0: f32, edge1: f32, x: f32) -> f32 {
    let t = ((x - edge0) / (edge1 - edge0)).clamp(0.0, 1.0);
    t * t * (3.0 - 2.0 * t)
}
