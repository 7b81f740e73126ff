//! Benchmarks of the data and media paths at the scale of years of history.
//!
//! - [`generate`]: a seeded generator of realistic statuses (length, links, mentions, hashtags,
//!   emoji, several languages and scripts, pictures), the people who wrote them, and
//!   conversations with their messages, as a server's JSON pages.
//! - [`measure`]: timing samples and their percentiles.
//! - The `facets-bench` binary (`cargo xtask bench`) runs every scenario and prints one table,
//!   the goal beside each figure; `benches/` has the same paths under criterion.

pub mod generate;
pub mod measure;
