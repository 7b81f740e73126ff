//! The store's hot paths under criterion, for comparing one change with the next
//! (`cargo bench -p facets-bench`); `cargo xtask bench` prints the table against the goals.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use facets_bench::generate::World;
use facets_model::{Surface, TimelineKind};
use facets_store::{Store, TimelineCursor};
use facets_wire::Status;

fn ingest_a_page(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("cache.sqlite")).unwrap();
    let mut world = World::new(1, 500);
    c.bench_function("ingest a page of 40 (parse, sanitise, upsert)", |b| {
        b.iter_batched(
            || world.next_page_json(40),
            |json| {
                let page: Vec<Status> = serde_json::from_str(&json).unwrap();
                store.ingest_statuses(Surface::Feed, Some(TimelineKind::Home), &page, None, 0).unwrap();
            },
            BatchSize::SmallInput,
        )
    });
}

fn timeline_page(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("cache.sqlite")).unwrap();
    let mut world = World::new(2, 500);
    let mut middle = None;
    for page in 0..250 {
        let statuses: Vec<Status> = (0..40).map(|_| world.next_status()).collect();
        if page == 125 {
            let s = &statuses[0];
            let sort_at = time::OffsetDateTime::parse(&s.created_at, &time::format_description::well_known::Rfc3339)
                .unwrap()
                .unix_timestamp();
            middle = Some(TimelineCursor { sort_at, post_id: s.id.clone() });
        }
        store.ingest_statuses(Surface::Feed, Some(TimelineKind::Home), &statuses, None, 0).unwrap();
    }
    let middle = middle.unwrap();
    c.bench_function("timeline page of 40 in the middle of 10k", |b| {
        b.iter(|| store.timeline_page(Surface::Feed, TimelineKind::Home, Some(&middle), 40).unwrap())
    });
}

criterion_group!(benches, ingest_a_page, timeline_page);
criterion_main!(benches);
