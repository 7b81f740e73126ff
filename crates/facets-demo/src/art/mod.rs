//! The picture generator: deterministic photographs and artworks, painted per pixel.
//!
//! A picture is named by an [`ArtSpec`] — subject, aspect ratio, seed — whose [`ArtSpec::code`]
//! is part of its URL, so a URL always means the same picture and can be cached forever.
//! Pictures are painted at the size asked for only; nothing here does I/O.

mod canvas;
mod city;
mod color;
mod landscape;
mod mood;
mod noise;
mod painting;
mod portrait;
mod sky;
mod still_life;
mod water;

use image::codecs::jpeg::JpegEncoder;
use image::RgbImage;

pub(crate) use mood::Mood;

use canvas::Canvas;
use city::CityPlan;
use landscape::LandscapePlan;
use painting::{Marbling, Orbs, Poster};
use portrait::Portrait;
use still_life::StillLife;

pub(crate) const MARBLE_PALETTES: u8 = painting::PALETTE_COUNT;
pub(crate) const STILL_LIFE_SETTINGS: u8 = still_life::SETTING_COUNT;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Subject {
    Landscape(Mood),
    City(Mood),
    Marbling(u8),
    Poster(u8),
    StillLife(u8),
    Orbs(u8),
    Portrait,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Aspect {
    Landscape3x2,
    Portrait4x5,
    Square,
    Portrait2x3,
    Banner3x1,
}

impl Aspect {
    fn code(self) -> &'static str {
        match self {
            Aspect::Landscape3x2 => "3x2",
            Aspect::Portrait4x5 => "4x5",
            Aspect::Square => "1x1",
            Aspect::Portrait2x3 => "2x3",
            Aspect::Banner3x1 => "3x1",
        }
    }

    fn ratio(self) -> (u32, u32) {
        match self {
            Aspect::Landscape3x2 => (3, 2),
            Aspect::Portrait4x5 => (4, 5),
            Aspect::Square => (1, 1),
            Aspect::Portrait2x3 => (2, 3),
            Aspect::Banner3x1 => (3, 1),
        }
    }

    const ALL: [Aspect; 5] =
        [Aspect::Landscape3x2, Aspect::Portrait4x5, Aspect::Square, Aspect::Portrait2x3, Aspect::Banner3x1];
}

/// The renditions a picture is served in, by the length of its long side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Size {
    /// A post's full-size image.
    Original,
    /// A post's preview in a grid or timeline.
    Small,
    Avatar,
    Header,
}

impl Size {
    fn long_side(self) -> u32 {
        match self {
            Size::Original => 1080,
            Size::Small => 480,
            Size::Avatar => 256,
            Size::Header => 1500,
        }
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Size::Original => "original",
            Size::Small => "small",
            Size::Avatar => "avatar",
            Size::Header => "header",
        }
    }

    pub(crate) fn from_name(name: &str) -> Option<Size> {
        [Size::Original, Size::Small, Size::Avatar, Size::Header].into_iter().find(|size| size.name() == name)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ArtSpec {
    pub subject: Subject,
    pub aspect: Aspect,
    pub seed: u32,
}

impl ArtSpec {
    /// `subject-variant-aspect-seed`, e.g. `landscape-golden-3x2-00c0ffee`.
    pub(crate) fn code(&self) -> String {
        let (subject, variant) = match self.subject {
            Subject::Landscape(mood) => ("landscape", mood.code().to_owned()),
            Subject::City(mood) => ("city", mood.code().to_owned()),
            Subject::Marbling(palette) => ("marbling", palette.to_string()),
            Subject::Poster(palette) => ("poster", palette.to_string()),
            Subject::StillLife(setting) => ("stilllife", setting.to_string()),
            Subject::Orbs(palette) => ("orbs", palette.to_string()),
            Subject::Portrait => ("portrait", "0".to_owned()),
        };
        format!("{subject}-{variant}-{}-{:08x}", self.aspect.code(), self.seed)
    }

    pub(crate) fn from_code(code: &str) -> Option<ArtSpec> {
        let mut parts = code.split('-');
        let (subject, variant, aspect, seed) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        let number = || variant.parse::<u8>().ok();
        let subject = match subject {
            "landscape" => Subject::Landscape(Mood::from_code(variant)?),
            "city" => Subject::City(Mood::from_code(variant)?),
            "marbling" => Subject::Marbling(number()?),
            "poster" => Subject::Poster(number()?),
            "stilllife" => Subject::StillLife(number()?),
            "orbs" => Subject::Orbs(number()?),
            "portrait" => Subject::Portrait,
            _ => return None,
        };
        let aspect = Aspect::ALL.into_iter().find(|a| a.code() == aspect)?;
        let seed = u32::from_str_radix(seed, 16).ok()?;
        Some(ArtSpec { subject, aspect, seed })
    }

    pub(crate) fn dimensions(&self, size: Size) -> (u32, u32) {
        let (w, h) = self.aspect.ratio();
        let long = size.long_side();
        if w >= h {
            (long, (long * h + w / 2) / w)
        } else {
            ((long * w + h / 2) / h, long)
        }
    }

    /// Alt text, as a careful poster would write it.
    pub(crate) fn describe(&self) -> String {
        let seed = self.seed;
        match self.subject {
            Subject::Landscape(mood) => LandscapePlan::new(mood, seed).describe(),
            Subject::City(mood) => CityPlan::new(mood, seed).describe(),
            Subject::Marbling(palette) => Marbling { palette, seed }.describe(),
            Subject::Poster(palette) => Poster { palette, seed }.describe(),
            Subject::StillLife(setting) => StillLife { setting, seed }.describe(),
            Subject::Orbs(palette) => Orbs { palette, seed }.describe(),
            Subject::Portrait => "A stylised portrait of a person on a gradient background.".to_owned(),
        }
    }

    pub(crate) fn render(&self, size: Size) -> RgbImage {
        let (width, height) = self.dimensions(size);
        self.render_at(width, height)
    }

    /// The picture's BlurHash, from a render twenty pixels wide: enough for a placeholder.
    pub(crate) fn blurhash(&self) -> String {
        let (width, height) = self.dimensions(Size::Original);
        let scale = 20.0 / width.max(height) as f32;
        let tiny = |side: u32| ((side as f32 * scale).round() as u32).max(4);
        crate::blurhash::encode(&self.render_at(tiny(width), tiny(height)))
    }

    fn render_at(&self, width: u32, height: u32) -> RgbImage {
        let seed = self.seed;
        let canvas: Canvas = match self.subject {
            Subject::Landscape(mood) => LandscapePlan::new(mood, seed).paint(width, height),
            Subject::City(mood) => CityPlan::new(mood, seed).paint(width, height),
            Subject::Marbling(palette) => Marbling { palette, seed }.paint(width, height),
            Subject::Poster(palette) => Poster { palette, seed }.paint(width, height),
            Subject::StillLife(setting) => StillLife { setting, seed }.paint(width, height),
            Subject::Orbs(palette) => Orbs { palette, seed }.paint(width, height),
            Subject::Portrait => Portrait { seed }.paint(width, height),
        };
        let photographic = matches!(self.subject, Subject::Landscape(_) | Subject::City(_) | Subject::StillLife(_));
        let (vignette, grain) = if photographic { (0.35, 0.035) } else { (0.12, 0.03) };
        canvas.finish(vignette, grain, seed)
    }

    pub(crate) fn render_jpeg(&self, size: Size) -> Vec<u8> {
        encode_jpeg(&self.render(size))
    }
}

pub(crate) fn encode_jpeg(image: &RgbImage) -> Vec<u8> {
    let mut bytes = Vec::new();
    JpegEncoder::new_with_quality(&mut bytes, 85)
        .encode_image(image)
        .expect("encoding an in-memory RGB image as JPEG cannot fail");
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_subjects() -> Vec<Subject> {
        let mut subjects: Vec<Subject> = Mood::LANDSCAPE.into_iter().map(Subject::Landscape).collect();
        subjects.extend(Mood::CITY.into_iter().map(Subject::City));
        subjects.extend([
            Subject::Marbling(1),
            Subject::Poster(2),
            Subject::StillLife(3),
            Subject::Orbs(4),
            Subject::Portrait,
        ]);
        subjects
    }

    #[test]
    fn codes_round_trip() {
        for subject in all_subjects() {
            for aspect in Aspect::ALL {
                let spec = ArtSpec { subject, aspect, seed: 0xc0ffee };
                assert_eq!(ArtSpec::from_code(&spec.code()), Some(spec), "code {}", spec.code());
            }
        }
        assert_eq!(ArtSpec::from_code("landscape-golden-3x2"), None);
        assert_eq!(ArtSpec::from_code("landscape-purple-3x2-00000001"), None);
    }

    #[test]
    fn renders_have_the_size_asked_for() {
        let spec = ArtSpec { subject: Subject::Landscape(Mood::Golden), aspect: Aspect::Portrait4x5, seed: 9 };
        assert_eq!(spec.render(Size::Small).dimensions(), (384, 480));
        assert_eq!(spec.dimensions(Size::Original), (864, 1080));
    }

    /// Every subject must have texture and tonal range, not a flat block of colour.
    #[test]
    fn every_subject_renders_a_varied_picture() {
        for subject in all_subjects() {
            let spec = ArtSpec { subject, aspect: Aspect::Landscape3x2, seed: 77 };
            let image = spec.render(Size::Avatar);
            let lumas: Vec<f32> = image
                .pixels()
                .map(|p| 0.2126 * f32::from(p[0]) + 0.7152 * f32::from(p[1]) + 0.0722 * f32::from(p[2]))
                .map(|l| l / 255.0)
                .collect();
            let mean = lumas.iter().sum::<f32>() / lumas.len() as f32;
            let deviation = (lumas.iter().map(|l| (l - mean).powi(2)).sum::<f32>() / lumas.len() as f32).sqrt();
            assert!(deviation > 0.04, "{} is too flat: luma deviation {deviation}", spec.code());
        }
    }

    #[test]
    fn rendering_is_deterministic() {
        let spec = ArtSpec { subject: Subject::City(Mood::Neon), aspect: Aspect::Square, seed: 5 };
        assert_eq!(spec.render(Size::Avatar), spec.render(Size::Avatar));
    }
}
