//! Avatars: a stylised head-and-shoulders figure on a gradient, lit from one side with a rim of
//! light, in a range of skin tones, hair and clothing colours.

use super::canvas::Canvas;
use super::color::{smoothstep, Rgb};
use crate::rng::Rng;

const SKIN: [u32; 8] = [0x8d5524, 0xc68642, 0xe0ac69, 0xf1c27d, 0xffdbac, 0x5c3a21, 0xa86b45, 0xd9a066];
const HAIR: [u32; 6] = [0x1c1412, 0x3b2a20, 0x6a4e3b, 0xb5835a, 0xd8c9a8, 0x7a2e2e];
const BACKDROPS: [(u32, u32); 8] = [
    (0xff9a8b, 0xff6a88),
    (0x84fab0, 0x8fd3f4),
    (0xa18cd1, 0xfbc2eb),
    (0xf6d365, 0xfda085),
    (0x43cea2, 0x185a9d),
    (0x667eea, 0x764ba2),
    (0xfccb90, 0xd57eeb),
    (0x2af598, 0x009efd),
];
const CLOTHES: [u32; 6] = [0x264653, 0xe76f51, 0x2a9d8f, 0xf4f1de, 0x3d405b, 0x9b2226];

pub(crate) struct Portrait {
    pub seed: u32,
}

impl Portrait {
    pub(crate) fn paint(&self, width: u32, height: u32) -> Canvas {
        let mut rng = Rng::new(u64::from(self.seed) ^ 0xFACE);
        let (from, to) = *rng.pick(&BACKDROPS);
        let (from, to) = (Rgb::hex(from), Rgb::hex(to));
        let skin = Rgb::hex(*rng.pick(&SKIN));
        let hair = Rgb::hex(*rng.pick(&HAIR));
        let clothes = Rgb::hex(*rng.pick(&CLOTHES));
        let long_hair = rng.chance(0.5);
        let light_side = if rng.chance(0.5) { -1.0 } else { 1.0 };
        let (head_x, head_y, head_r) = (0.5 + rng.range_f32(-0.04, 0.04), 0.42, rng.range_f32(0.16, 0.2));
        let rim = from.lerp(Rgb::WHITE, 0.5);
        let (w, h) = (width as f32, height as f32);
        let mut canvas = Canvas::new(width, height);
        canvas.fill(|x, y| {
            let (u, v) = (x as f32 / w, y as f32 / h);
            let mut color = from.lerp(to, (u * 0.4 + v * 0.6).clamp(0.0, 1.0));
            let pixel = 1.5 / h;

            // Shoulders: a wide ellipse rising from the bottom edge.
            let shoulders = ((u - 0.5) / 0.42).powi(2) + ((v - 1.02) / 0.3).powi(2) - 1.0;
            let neck = ((u - head_x).abs() - head_r * 0.42).max(head_y - v).max(v - 0.85);
            let head = ((u - head_x).powi(2) + ((v - head_y) * 0.92).powi(2)).sqrt() - head_r;
            let hair_back = if long_hair {
                let crown = ((u - head_x).powi(2) + (v - head_y + 0.02).powi(2)).sqrt() - head_r * 1.15;
                crown.min(((u - head_x).abs() - head_r * 1.1).max(head_y - v).max(v - 0.72))
            } else {
                ((u - head_x).powi(2) + (v - head_y + head_r * 0.35).powi(2)).sqrt() - head_r * 1.05
            };

            let layer = |color: Rgb, distance: f32, paint: Rgb| color.lerp(paint, smoothstep(pixel, -pixel, distance));
            let side = (u - head_x) * light_side;
            color = layer(color, hair_back, hair.shade(side * 0.8));
            color = layer(color, neck, skin.shade(-0.25));
            color = layer(color, shoulders / 4.0, clothes.shade(side * 0.6 - (v - 0.8) * 0.5));
            if head < pixel {
                let (dx, dy) = ((u - head_x) / head_r, (v - head_y) / head_r);
                let nz = (1.0 - (dx * dx + dy * dy).min(1.0)).sqrt();
                let diffuse = (dx * light_side * 0.7 - dy * 0.4 + nz * 0.6).max(0.0);
                let face = skin * (0.45 + 0.65 * diffuse);
                color = layer(color, head, face);
                // A fringe of hair across the top of the head.
                let fringe = head.max(v - (head_y - head_r * 0.55 + (dx * 3.0).sin() * 0.03 + dx * 0.06 * light_side));
                color = layer(color, fringe, hair.shade(side * 0.6));
            }
            // Rim light where the light side's silhouette meets the backdrop.
            let silhouette = head.min(shoulders / 4.0).min(hair_back);
            let edge = smoothstep(-0.02, 0.0, silhouette) * smoothstep(0.004, 0.0, silhouette);
            color.lerp(rim, edge * (side * 6.0).clamp(0.0, 1.0) * 0.6)
        });
        canvas
    }
}
