//! The pixel buffer pictures are painted into, and the photographic finish applied at the end.

use image::RgbImage;

use super::color::Rgb;
use super::noise::pixel_hash;

pub(crate) struct Canvas {
    pub width: u32,
    pub height: u32,
    pixels: Vec<Rgb>,
}

impl Canvas {
    pub(crate) fn new(width: u32, height: u32) -> Canvas {
        Canvas { width, height, pixels: vec![Rgb::BLACK; (width * height) as usize] }
    }

    /// Paints every pixel from `paint(x, y)`, row by row.
    pub(crate) fn fill(&mut self, mut paint: impl FnMut(u32, u32) -> Rgb) {
        let width = self.width;
        for (index, pixel) in self.pixels.iter_mut().enumerate() {
            *pixel = paint(index as u32 % width, index as u32 / width);
        }
    }

    pub(crate) fn get(&self, x: u32, y: u32) -> Rgb {
        self.pixels[(y.min(self.height - 1) * self.width + x.min(self.width - 1)) as usize]
    }

    pub(crate) fn set(&mut self, x: u32, y: u32, color: Rgb) {
        self.pixels[(y * self.width + x) as usize] = color;
    }

    /// A lens's vignette and a film's grain, then quantisation: what makes a render read as a
    /// photograph rather than a vector drawing.
    pub(crate) fn finish(self, vignette: f32, grain: f32, seed: u32) -> RgbImage {
        let (width, height) = (self.width, self.height);
        let (half_w, half_h) = (width as f32 / 2.0, height as f32 / 2.0);
        let mut image = RgbImage::new(width, height);
        for (index, (pixel, out)) in self.pixels.iter().zip(image.pixels_mut()).enumerate() {
            let (x, y) = (index as u32 % width, index as u32 / width);
            let (dx, dy) = ((x as f32 - half_w) / half_w, (y as f32 - half_h) / half_h);
            let edge = (dx * dx + dy * dy) * 0.5;
            let darkening = 1.0 - vignette * edge * edge.sqrt();
            let noise = (pixel_hash(x, y, seed) - 0.5) * grain;
            let graded = *pixel * darkening + Rgb { r: noise, g: noise, b: noise };
            out.0 = graded.to_bytes();
        }
        image
    }
}
