//! The sky shared by landscapes and cities: a graded dome, the sun's or moon's glow, clouds lit
//! from the side of the light, and stars at night.

use super::color::{ramp, smoothstep, Rgb};
use super::mood::{Mood, Palette};
use super::noise::{fbm2, pixel_hash, CoarseField};

pub(crate) struct Sky {
    palette: Palette,
    height: f32,
    horizon: f32,
    /// The light's centre in height units (x) and as a fraction of the height (y).
    light: (f32, f32),
    light_radius: f32,
    glow: f32,
    stars: bool,
    clouds: CoarseField<f32>,
    seed: u32,
}

pub(crate) struct SkyPlan {
    pub mood: Mood,
    pub horizon: f32,
    pub light_x: f32,
    pub light_y: f32,
    pub cloudiness: f32,
    pub seed: u32,
}

impl Sky {
    pub(crate) fn new(plan: &SkyPlan, width: u32, height: u32) -> Sky {
        let h = height as f32;
        let aspect = width as f32 / h;
        let horizon = plan.horizon;
        let cloudiness = plan.cloudiness;
        let seed = plan.seed;
        // Clouds are soft: a coarse grid is indistinguishable from per-pixel evaluation.
        let step = (height / 160).max(2);
        let clouds = CoarseField::new(width, height, step, |x, y| {
            let (u, v) = (x / h, y / h);
            if v > horizon {
                return 0.0;
            }
            let n = fbm2(u * 2.4 + 11.0, v * 7.5, 5, seed ^ 0xC10D);
            let density = smoothstep(0.62 - cloudiness * 0.22, 0.82, n);
            density * smoothstep(horizon, horizon - 0.08, v)
        });
        let dark = matches!(plan.mood, Mood::Night | Mood::Neon);
        Sky {
            palette: plan.mood.palette(),
            height: h,
            horizon,
            light: (plan.light_x * aspect, plan.light_y),
            light_radius: if plan.mood == Mood::Night { 0.022 } else { 0.035 },
            glow: match plan.mood {
                Mood::Night => 0.35,
                Mood::BlueHour | Mood::Neon => 0.45,
                Mood::Noon => 0.5,
                _ => 1.0,
            },
            stars: dark,
            clouds,
            seed,
        }
    }

    pub(crate) fn light_x_px(&self) -> f32 {
        self.light.0 * self.height
    }

    pub(crate) fn light_visible(&self) -> bool {
        self.light.1 < self.horizon
    }

    pub(crate) fn at(&self, x: u32, y: u32) -> Rgb {
        let p = &self.palette;
        let (u, v) = (x as f32 / self.height, y as f32 / self.height);
        let t = (v / self.horizon).clamp(0.0, 1.0);
        let mut color = ramp(&[p.sky_top, p.sky_middle, p.sky_horizon], t.powf(1.25));

        let d = ((u - self.light.0).powi(2) + (v - self.light.1).powi(2)).sqrt();
        let glow = 0.5 * (-d * d / 0.003).exp() + 0.28 * (-d / 0.14).exp() + 0.12 * (-d / 0.5).exp();
        color = color + p.light * (glow * self.glow);

        let cloud = self.clouds.at(x as f32, y as f32);
        if cloud > 0.0 {
            // Clouds near the light catch it on their edges; far ones are the sky's shadow colour.
            let lit = (-d / 0.35).exp();
            let shadow = p.sky_top.lerp(p.sky_horizon, 0.45).shade(-0.25);
            let cloud_color = shadow.lerp(p.light.lerp(p.sky_horizon, 0.4), lit * 0.85 + 0.1);
            color = color.lerp(cloud_color, cloud * 0.85);
        }

        if d < self.light_radius {
            let edge = smoothstep(self.light_radius, self.light_radius * 0.8, d);
            color = color.lerp(p.light.shade(0.3), edge * (1.0 - cloud * 0.7));
        }

        if self.stars && cloud < 0.3 {
            let h = pixel_hash(x, y, self.seed);
            if h > 0.9975 {
                let brightness = (h - 0.9975) / 0.0025;
                color = color + Rgb::WHITE * (brightness * brightness * (1.0 - t) * 0.9);
            }
        }
        color
    }
}
