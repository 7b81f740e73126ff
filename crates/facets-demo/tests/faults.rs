//! Trouble on demand: each fault behaves as the real thing would on the wire, and the ledger
//! counts what the servers really accepted.

mod common;

use common::Demo;
use facets_demo::FaultPlan;
use facets_model::Surface;
use facets_wire as wire;
use reqwest::StatusCode;

const HOME: &str = "/api/v1/timelines/home";

async fn post(demo: &Demo, token: &str, text: &str, key: &str) -> reqwest::Result<wire::Status> {
    demo.http
        .post(demo.url(Surface::Feed, "/api/v1/statuses"))
        .bearer_auth(token)
        .header("Idempotency-Key", key)
        .json(&serde_json::json!({ "status": text }))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await
}

#[tokio::test]
async fn failures_answer_the_planned_status_then_the_server_recovers() {
    let demo = Demo::default().await;
    let token = demo.sign_in().await;
    demo.server.set_faults(
        Surface::Feed,
        FaultPlan { fail_next: 2, fail_status: Some(429), retry_after_seconds: 7, ..FaultPlan::default() },
    );
    for _ in 0..2 {
        let refused = demo.get(&token, &demo.url(Surface::Feed, HOME)).await;
        assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(refused.headers()["retry-after"], "7");
        assert_eq!(refused.headers()["x-ratelimit-remaining"], "0");
    }
    assert_eq!(demo.get(&token, &demo.url(Surface::Feed, HOME)).await.status(), StatusCode::OK);
    let other = demo.get(&token, &demo.url(Surface::Visual, HOME)).await;
    assert_eq!(other.status(), StatusCode::OK, "faults are scoped to one server");
}

#[tokio::test]
async fn a_cut_after_commit_loses_the_answer_but_not_the_post() {
    let demo = Demo::default().await;
    let token = demo.sign_in().await;
    demo.server.set_faults(Surface::Feed, FaultPlan { cut_after_commit_next: 1, ..FaultPlan::default() });
    let lost = post(&demo, &token, "did this arrive?", "key-1").await;
    assert!(lost.is_err(), "the client never hears back");
    let ledger = demo.server.ledger();
    assert_eq!(ledger.len(), 1, "yet the server committed it");
    assert_eq!(ledger[0].idempotency_key.as_deref(), Some("key-1"));

    let again = post(&demo, &token, "did this arrive?", "key-1").await.expect("the retry is answered");
    assert_eq!(again.id, ledger[0].status_id, "the same key returns the committed post");
    assert_eq!(demo.server.ledger().len(), 1, "and does not publish it twice");
}

#[tokio::test]
async fn an_outage_cuts_every_request_until_cleared_over_the_admin_api() {
    let demo = Demo::default().await;
    let token = demo.sign_in().await;
    let admin = format!("http://{}/_demo/faults/visual", demo.server.addr());
    let set = demo.http.put(&admin).json(&FaultPlan { outage: true, ..FaultPlan::default() }).send().await.unwrap();
    assert_eq!(set.status(), StatusCode::OK);
    let during = demo.http.get(demo.url(Surface::Visual, HOME)).bearer_auth(&token).send().await;
    let failed = match during {
        Err(_) => true,
        Ok(response) => response.bytes().await.is_err(),
    };
    assert!(failed, "an outage looks like a dead connection");

    demo.http.put(&admin).json(&FaultPlan::default()).send().await.unwrap().error_for_status().unwrap();
    let plan: FaultPlan = demo.http.get(&admin).send().await.unwrap().json().await.unwrap();
    assert_eq!(plan, FaultPlan::default());
    assert_eq!(demo.get(&token, &demo.url(Surface::Visual, HOME)).await.status(), StatusCode::OK);

    let ledger: Vec<facets_demo::LedgerEntry> = demo
        .http
        .get(format!("http://{}/_demo/ledger", demo.server.addr()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(ledger.is_empty(), "nothing was posted");
}
