//! BlurHash (blurha.sh): the few characters from which clients paint a blurred placeholder
//! while an image loads. Mastodon sends one with every attachment.

use image::RgbImage;

const BASE83: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~";
/// Mastodon encodes 4×3 components.
const COMPONENTS: (usize, usize) = (4, 3);

fn base83(value: u32, length: u32, out: &mut String) {
    for digit in (0..length).rev() {
        out.push(BASE83[((value / 83u32.pow(digit)) % 83) as usize] as char);
    }
}

fn to_linear(channel: u8) -> f32 {
    let v = f32::from(channel) / 255.0;
    if v <= 0.04045 {
        v / 12.92
    } else {
        ((v + 0.055) / 1.055).powf(2.4)
    }
}

fn to_srgb(value: f32) -> u32 {
    let v = value.clamp(0.0, 1.0);
    let encoded = if v <= 0.003_130_8 { v * 12.92 } else { 1.055 * v.powf(1.0 / 2.4) - 0.055 };
    (encoded * 255.0 + 0.5) as u32
}

fn sign_pow(value: f32, exponent: f32) -> f32 {
    value.abs().powf(exponent).copysign(value)
}

pub(crate) fn encode(image: &RgbImage) -> String {
    let (width, height) = (image.width() as usize, image.height() as usize);
    let (cx, cy) = COMPONENTS;
    let mut factors = Vec::with_capacity(cx * cy);
    for j in 0..cy {
        for i in 0..cx {
            let normalisation = if i == 0 && j == 0 { 1.0 } else { 2.0 };
            let mut sum = [0.0f32; 3];
            for (x, y, pixel) in image.enumerate_pixels() {
                let basis = (std::f32::consts::PI * i as f32 * x as f32 / width as f32).cos()
                    * (std::f32::consts::PI * j as f32 * y as f32 / height as f32).cos();
                for (total, channel) in sum.iter_mut().zip(pixel.0) {
                    *total += basis * to_linear(channel);
                }
            }
            let scale = normalisation / (width * height) as f32;
            factors.push(sum.map(|total| total * scale));
        }
    }
    let (dc, ac) = factors.split_first().expect("at least the DC component");
    let mut hash = String::with_capacity(28);
    base83(((cx - 1) + (cy - 1) * 9) as u32, 1, &mut hash);
    let largest = ac.iter().flatten().fold(0.0f32, |max, v| max.max(v.abs()));
    let quantised_max = ((largest * 166.0 - 0.5).floor()).clamp(0.0, 82.0) as u32;
    let max_value = (quantised_max + 1) as f32 / 166.0;
    base83(if ac.is_empty() { 0 } else { quantised_max }, 1, &mut hash);
    base83((to_srgb(dc[0]) << 16) + (to_srgb(dc[1]) << 8) + to_srgb(dc[2]), 4, &mut hash);
    for component in ac {
        let quantise = |v: f32| ((sign_pow(v / max_value, 0.5) * 9.0 + 9.5).floor()).clamp(0.0, 18.0) as u32;
        base83(quantise(component[0]) * 19 * 19 + quantise(component[1]) * 19 + quantise(component[2]), 2, &mut hash);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_average(hash: &str) -> [u32; 3] {
        let value =
            hash[2..6].bytes().fold(0u32, |acc, b| acc * 83 + BASE83.iter().position(|c| *c == b).unwrap() as u32);
        [value >> 16, (value >> 8) & 255, value & 255]
    }

    fn quantised_max(hash: &str) -> usize {
        BASE83.iter().position(|c| *c == hash.as_bytes()[1]).unwrap()
    }

    #[test]
    fn the_hash_carries_the_size_and_the_average_colour() {
        let image = RgbImage::from_pixel(16, 12, image::Rgb([200, 100, 50]));
        let hash = encode(&image);
        assert_eq!(hash.len(), 28, "4×3 components make 28 characters");
        assert!(hash.starts_with('L'), "the size flag of 4×3 components is L: {hash}");
        assert_eq!(decode_average(&hash), [200, 100, 50]);
    }

    #[test]
    fn detail_raises_the_ac_energy() {
        let flat = encode(&RgbImage::from_pixel(16, 12, image::Rgb([90, 90, 90])));
        let gradient = encode(&RgbImage::from_fn(16, 12, |x, _| image::Rgb([(x * 16) as u8, 0, 255 - (x * 16) as u8])));
        assert!(quantised_max(&gradient) > quantised_max(&flat), "{gradient} vs {flat}");
    }
}
