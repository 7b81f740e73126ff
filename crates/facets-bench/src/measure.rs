//! Timing samples and their percentiles.

use std::time::{Duration, Instant};

/// The times one operation took, sorted.
#[derive(Debug, Clone)]
pub struct Samples(Vec<Duration>);

impl Samples {
    /// Runs `operation` `count` times (after `warmup` runs not kept) and keeps each time.
    pub fn collect(count: usize, warmup: usize, mut operation: impl FnMut(usize)) -> Samples {
        for i in 0..warmup {
            operation(i);
        }
        let mut times: Vec<Duration> = (0..count)
            .map(|i| {
                let started = Instant::now();
                operation(i);
                started.elapsed()
            })
            .collect();
        times.sort();
        Samples(times)
    }

    /// The time `fraction` of the samples stay within (nearest rank).
    pub fn percentile(&self, fraction: f64) -> Duration {
        assert!(!self.0.is_empty(), "no samples");
        let rank = ((fraction * self.0.len() as f64).ceil() as usize).clamp(1, self.0.len());
        self.0[rank - 1]
    }

    pub fn p50(&self) -> Duration {
        self.percentile(0.50)
    }

    pub fn p99(&self) -> Duration {
        self.percentile(0.99)
    }
}

pub fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_nearest_rank() {
        let samples = Samples((1..=100).map(Duration::from_millis).collect());
        assert_eq!(samples.p50(), Duration::from_millis(50));
        assert_eq!(samples.p99(), Duration::from_millis(99));
        assert_eq!(samples.percentile(1.0), Duration::from_millis(100));
        let one = Samples(vec![Duration::from_millis(7)]);
        assert_eq!((one.p50(), one.p99()), (Duration::from_millis(7), Duration::from_millis(7)));
    }
}
