//! Still life: fruit-like spheres and a vase on a table against a wall, lit from a window, with
//! soft shadows; shaded analytically, so it reads as a rendered or painted photograph.

use super::canvas::Canvas;
use super::color::{smoothstep, Rgb};
use super::noise::{fbm2, CoarseField};
use crate::rng::Rng;

struct Setting {
    wall: u32,
    table: u32,
    objects: [u32; 4],
    words: &'static str,
}

const SETTINGS: [Setting; 5] = [
    Setting {
        wall: 0xe8dccb,
        table: 0x8c5a3c,
        objects: [0xe07a2e, 0xe9c46a, 0x6d597a, 0x84a98c],
        words: "an orange, a lemon, a plum and a sage-green vase",
    },
    Setting {
        wall: 0x9fb4c7,
        table: 0xd9c8b0,
        objects: [0xd1495b, 0xedae49, 0x00798c, 0xf3f1ee],
        words: "red, yellow and teal forms and a white vase",
    },
    Setting {
        wall: 0x2b2d2f,
        table: 0x4a3b30,
        objects: [0xc44536, 0xe9c46a, 0xb7b7a4, 0x6b705c],
        words: "ripe fruit and a stoneware vase in low, moody light",
    },
    Setting {
        wall: 0xd8e2dc,
        table: 0xffe5d9,
        objects: [0xf4acb7, 0x9d8189, 0xffcad4, 0x7d8f69],
        words: "pastel pink spheres and an olive vase",
    },
    Setting {
        wall: 0x3d405b,
        table: 0xe07a5f,
        objects: [0xf2cc8f, 0x81b29a, 0xf4f1de, 0xe07a5f],
        words: "cream and sage spheres on a terracotta tabletop",
    },
];

pub(crate) const SETTING_COUNT: u8 = SETTINGS.len() as u8;

enum Form {
    Sphere,
    Vase { height: f32 },
}

struct Object {
    x: f32,
    /// Where it touches the table, as a fraction of the height.
    base: f32,
    radius: f32,
    form: Form,
    color: Rgb,
}

pub(crate) struct StillLife {
    pub setting: u8,
    pub seed: u32,
}

impl StillLife {
    pub(crate) fn describe(&self) -> String {
        let setting = &SETTINGS[usize::from(self.setting) % SETTINGS.len()];
        format!("Still life on a table by a window: {}, casting soft shadows.", setting.words)
    }

    pub(crate) fn paint(&self, width: u32, height: u32) -> Canvas {
        let setting = &SETTINGS[usize::from(self.setting) % SETTINGS.len()];
        let (wall, table) = (Rgb::hex(setting.wall), Rgb::hex(setting.table));
        let h = height as f32;
        let aspect = width as f32 / h;
        let mut rng = Rng::new(u64::from(self.seed) ^ 0x571);
        let table_line = rng.range_f32(0.52, 0.66);
        let light_side = if rng.chance(0.5) { -1.0 } else { 1.0 };
        let light = normalise([-0.6 * light_side, -0.65, 0.5]);

        let count = rng.range(2, 5) as usize;
        let mut objects: Vec<Object> = (0..count)
            .map(|i| {
                let radius = rng.range_f32(0.07, 0.13);
                let vase = i == 0 && rng.chance(0.7);
                Object {
                    x: aspect * (0.2 + 0.6 * (i as f32 + rng.range_f32(0.2, 0.8)) / count as f32),
                    base: table_line + rng.range_f32(0.08, 0.3),
                    radius: if vase { radius * 0.8 } else { radius },
                    form: if vase { Form::Vase { height: rng.range_f32(0.25, 0.4) } } else { Form::Sphere },
                    color: Rgb::hex(setting.objects[(i + rng.below(4)) % 4]),
                }
            })
            .collect();
        // Painter's order: what stands further back is drawn first.
        objects.sort_by(|a, b| a.base.total_cmp(&b.base));

        let seed = self.seed;
        let texture = CoarseField::new(width, height, 3, |x, y| fbm2(x / h * 9.0, y / h * 9.0, 3, seed));
        let window_x = if light_side < 0.0 { 0.15 * aspect } else { 0.85 * aspect };
        let mut canvas = Canvas::new(width, height);
        canvas.fill(|x, y| {
            let (u, v) = (x as f32 / h, y as f32 / h);
            let grain = texture.at(x as f32, y as f32) - 0.5;
            let mut color = if v < table_line {
                // Window light falls on the wall as a broad, soft patch.
                let patch = (-((u - window_x).powi(2) / 0.12 + (v - 0.3).powi(2) / 0.08)).exp();
                wall.shade(-0.25 + patch * 0.35 + grain * 0.05)
            } else {
                let depth = (v - table_line) / (1.0 - table_line);
                let edge = smoothstep(0.012, 0.0, v - table_line) * 0.15;
                table.shade(-0.1 - depth * 0.25 + edge + grain * 0.08)
            };
            for object in &objects {
                color = shade_shadow(object, u, v, light_side, color);
            }
            for object in &objects {
                if let Some(lit) = shade_object(object, u, v, light, table) {
                    color = lit;
                }
            }
            color
        });
        canvas
    }
}

fn normalise(v: [f32; 3]) -> [f32; 3] {
    let length = (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]).sqrt();
    [v[0] / length, v[1] / length, v[2] / length]
}

fn dot(a: [f32; 3], b: [f32; 3]) -> f32 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

/// The soft contact shadow an object casts on the table, away from the light.
fn shade_shadow(object: &Object, u: f32, v: f32, light_side: f32, color: Rgb) -> Rgb {
    let cx = object.x - light_side * object.radius * 0.8;
    let (rx, ry) = (object.radius * 1.5, object.radius * 0.28);
    let distance = ((u - cx) / rx).powi(2) + ((v - object.base) / ry).powi(2);
    if v < object.base - ry {
        return color;
    }
    color.shade(-0.45 * smoothstep(1.0, 0.15, distance))
}

/// Lambert diffuse, a Blinn highlight, and light bounced up from the table.
fn shade_object(object: &Object, u: f32, v: f32, light: [f32; 3], table: Rgb) -> Option<Rgb> {
    let r = object.radius;
    let normal = match object.form {
        Form::Sphere => {
            let (dx, dy) = ((u - object.x) / r, (v - (object.base - r)) / r);
            let d2 = dx * dx + dy * dy;
            if d2 > 1.0 {
                return None;
            }
            [dx, dy, (1.0 - d2).sqrt()]
        }
        Form::Vase { height } => {
            // A cylinder that swells in the middle, with elliptical top and bottom rims.
            let t = ((object.base - v) / height).clamp(0.0, 1.0);
            let swell = r * (0.75 + 0.35 * (t * std::f32::consts::PI).sin());
            let dx = (u - object.x) / swell;
            if dx.abs() > 1.0 {
                return None;
            }
            let rim = (1.0 - dx * dx).sqrt() * r * 0.22;
            if v > object.base + rim || v < object.base - height - rim {
                return None;
            }
            if v < object.base - height + rim {
                return Some(object.color.shade(-0.55)); // looking into the opening
            }
            [dx, 0.0, (1.0 - dx * dx).sqrt()]
        }
    };
    let diffuse = dot(normal, light).max(0.0);
    let half = normalise([light[0], light[1], light[2] + 1.0]);
    let highlight = dot(normal, half).max(0.0).powi(48);
    let bounce = normal[1].max(0.0) * 0.25;
    Some(object.color * (0.22 + 0.85 * diffuse) + table * bounce * 0.4 + Rgb::WHITE * (highlight * 0.55))
}
