//! Still water below a line: the scene above mirrored, broken by ripples, with the light's
//! glitter path. Used by landscapes (lakes) and cities (harbours).

use super::canvas::Canvas;
use super::color::smoothstep;
use super::mood::Palette;
use super::noise::fbm2;
use super::sky::Sky;

pub(crate) struct Water {
    /// Where the water begins, as a fraction of the height.
    pub line: f32,
    /// How far reflections are smeared downwards: lights on a harbour become long streaks.
    pub smear: f32,
    pub seed: u32,
}

impl Water {
    pub(crate) fn paint(&self, canvas: &mut Canvas, sky: &Sky, palette: &Palette) {
        let (width, height) = (canvas.width, canvas.height);
        let h = height as f32;
        let sun_x = sky.light_x_px() / h;
        let light_visible = sky.light_visible();
        for y in (self.line * h) as u32..height {
            let v = y as f32 / h;
            let dv = v - self.line;
            // Perspective: the distance on the water plane shrinks quickly below the line.
            let distance = 0.08 / (dv + 0.006);
            let fresnel = 0.18 + 0.5 * smoothstep(0.0, 0.45, dv);
            for x in 0..width {
                let u = x as f32 / h;
                let ripple = fbm2(u * distance * 3.0, distance * 9.0, 2, self.seed ^ 0x3A7E);
                let shift = (ripple - 0.5) * h * 0.05 * (0.2 + dv * 2.5);
                let smear = (ripple - 0.5) * h * self.smear * dv;
                let source_x = (x as f32 + shift).clamp(0.0, width as f32 - 1.0) as u32;
                let source_y = ((2.0 * self.line - v) * h + smear).max(0.0) as u32;
                let reflected = canvas.get(source_x, source_y.min((self.line * h) as u32 - 1)) * 0.82;
                let mut color = reflected.lerp(palette.water, fresnel).shade((ripple - 0.5) * 0.25);
                if light_visible {
                    let path = (-((u - sun_x) / (0.015 + dv * 0.45)).powi(2)).exp();
                    color = color + palette.light * (smoothstep(0.55, 0.75, ripple) * path * 0.8);
                }
                canvas.set(x, y, color);
            }
        }
    }
}
