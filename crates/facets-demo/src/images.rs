//! A bounded in-memory cache of encoded pictures. Painting a picture costs tens of milliseconds;
//! a timeline shows dozens, and clients fetch the same ones again on every scroll.

use std::collections::HashMap;
use std::sync::Mutex;

use axum::body::Bytes;

pub(crate) struct ImageCache {
    budget_bytes: usize,
    inner: Mutex<Entries>,
}

#[derive(Default)]
struct Entries {
    by_key: HashMap<String, (Bytes, u64)>,
    used_bytes: usize,
    clock: u64,
}

impl ImageCache {
    pub(crate) fn new(budget_bytes: usize) -> ImageCache {
        ImageCache { budget_bytes, inner: Mutex::new(Entries::default()) }
    }

    pub(crate) fn get(&self, key: &str) -> Option<Bytes> {
        let mut entries = self.inner.lock().expect("image cache lock");
        entries.clock += 1;
        let now = entries.clock;
        let (bytes, last_used) = entries.by_key.get_mut(key)?;
        *last_used = now;
        Some(bytes.clone())
    }

    /// Stores a picture, evicting the least recently used ones to stay within the budget.
    pub(crate) fn put(&self, key: String, bytes: Bytes) {
        let mut entries = self.inner.lock().expect("image cache lock");
        entries.clock += 1;
        let now = entries.clock;
        entries.used_bytes += bytes.len();
        if let Some((old, _)) = entries.by_key.insert(key, (bytes, now)) {
            entries.used_bytes -= old.len();
        }
        while entries.used_bytes > self.budget_bytes && entries.by_key.len() > 1 {
            let oldest = entries.by_key.iter().min_by_key(|(_, (_, used))| *used).map(|(key, _)| key.clone());
            let Some(oldest) = oldest else { break };
            if let Some((evicted, _)) = entries.by_key.remove(&oldest) {
                entries.used_bytes -= evicted.len();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_least_recently_used_picture_goes_first() {
        let cache = ImageCache::new(10);
        cache.put("a".into(), Bytes::from(vec![0; 4]));
        cache.put("b".into(), Bytes::from(vec![0; 4]));
        assert!(cache.get("a").is_some());
        cache.put("c".into(), Bytes::from(vec![0; 4]));
        assert!(cache.get("b").is_none(), "b was used least recently");
        assert!(cache.get("a").is_some() && cache.get("c").is_some());
    }
}
