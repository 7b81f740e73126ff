//! A client for the Mastodon client API, the protocol spoken by Mastodon, Pixelfed, GoToSocial
//! and Akkoma. It is the one code path Facets uses for every server, the demo backend included.
//!
//! - [`MastodonClient`]: one server, optionally with a bearer token.
//! - [`Page`]: a page of results with its `Link` navigation and the rate-limit state.
//! - [`ClientError`]: typed errors that keep the HTTP status and the server's message.

mod error;
mod link;
mod loopback;
mod oauth;
mod rate_limit;
mod streaming;

pub use error::ClientError;
pub use link::{parse_link_header, PageLinks};
pub use loopback::LoopbackRedirect;
pub use oauth::{AppRegistration, Pkce, SignInRedirect, OUT_OF_BAND};
pub use rate_limit::RateLimit;
pub use reqwest::StatusCode;
pub use streaming::{EventStream, StreamEvent, STREAM_SILENCE_LIMIT};

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use facets_wire::{
    Account, Context, Conversation, DirectMessage, DirectThread, DirectThreadRead, Instance, MediaAttachment,
    NewDirectMessage, NewStatus, NodeInfo, NodeInfoLink, NodeInfoLinks, NodeInfoSoftware, PrivacyUpdate, Relationship,
    Status,
};
use reqwest::{header, Method, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use url::Url;

/// A page of results and where to go from it.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Older results (`rel="next"`).
    pub next: Option<Url>,
    /// Newer results (`rel="prev"`).
    pub prev: Option<Url>,
    /// The server answered 206 Partial Content: Mastodon's word that it is still building the
    /// list (a returning user's home feed), so what came is not all there is.
    pub partial: bool,
}

/// Query of the first page of a timeline.
#[derive(Debug, Clone, Default)]
pub struct PageQuery {
    pub max_id: Option<String>,
    pub min_id: Option<String>,
    pub since_id: Option<String>,
    pub limit: Option<u32>,
}

/// Filters of `GET /api/v1/accounts/:id/statuses`.
#[derive(Debug, Clone, Copy, Default)]
pub struct AccountStatusesFilter {
    pub only_media: bool,
    pub exclude_reblogs: bool,
    pub exclude_replies: bool,
}

/// How an uploaded file stands on the server.
#[derive(Debug, Clone)]
pub enum MediaState {
    /// Processed: a post may attach it.
    Ready(MediaAttachment),
    /// Still processing (202 on upload, 206 on a poll, or no URL yet); the server's media id.
    Processing(String),
}

impl MediaState {
    fn new(attachment: MediaAttachment, still_processing: bool) -> MediaState {
        if still_processing || attachment.url.is_none() {
            MediaState::Processing(attachment.id)
        } else {
            MediaState::Ready(attachment)
        }
    }

    pub fn id(&self) -> &str {
        match self {
            MediaState::Ready(attachment) => &attachment.id,
            MediaState::Processing(id) => id,
        }
    }
}

/// How long to wait between polls of a file the server is still processing, within one try.
pub const MEDIA_POLL_DELAYS: [Duration; 5] = [
    Duration::from_millis(100),
    Duration::from_millis(250),
    Duration::from_millis(500),
    Duration::from_secs(1),
    Duration::from_secs(2),
];

/// The longest Facets holds requests back for an empty bucket. A reset further away is a
/// clock out of step or a server's mistake: the request goes, and the server's own answer
/// (a 429 with `Retry-After`) decides.
const MAX_RATE_LIMIT_HOLD: Duration = Duration::from_secs(15 * 60);

/// Mastodon counts some requests in buckets of their own (uploads: 30 per 30 min; posting and
/// deleting: 300 per 3 h) besides the general one; each answer reports the bucket it was
/// counted in, so an empty upload bucket holds back uploads, not timelines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum RateBucket {
    General,
    Media,
    Statuses,
}

impl RateBucket {
    fn of(method: &Method, path: &str) -> RateBucket {
        let path = path.trim_end_matches('/');
        if *method == Method::POST && (path.ends_with("/api/v1/media") || path.ends_with("/api/v2/media")) {
            RateBucket::Media
        } else if (*method == Method::POST && path.ends_with("/api/v1/statuses"))
            || (*method == Method::DELETE && path.contains("/api/v1/statuses/"))
        {
            RateBucket::Statuses
        } else {
            RateBucket::General
        }
    }
}

#[cfg(test)]
mod rate_bucket_tests {
    use super::*;

    #[test]
    fn uploads_and_posting_have_buckets_of_their_own() {
        assert_eq!(RateBucket::of(&Method::POST, "/api/v2/media"), RateBucket::Media);
        assert_eq!(RateBucket::of(&Method::POST, "/feed/api/v1/media"), RateBucket::Media);
        assert_eq!(RateBucket::of(&Method::GET, "/api/v1/media/7"), RateBucket::General);
        assert_eq!(RateBucket::of(&Method::POST, "/api/v1/statuses"), RateBucket::Statuses);
        assert_eq!(RateBucket::of(&Method::DELETE, "/api/v1/statuses/9"), RateBucket::Statuses);
        assert_eq!(RateBucket::of(&Method::POST, "/api/v1/statuses/9/favourite"), RateBucket::General);
        assert_eq!(RateBucket::of(&Method::GET, "/api/v1/timelines/home"), RateBucket::General);
    }
}

/// A client of one server.
#[derive(Clone)]
pub struct MastodonClient {
    http: reqwest::Client,
    base: Url,
    token: Option<String>,
    last_rate_limit: Arc<Mutex<Option<RateLimit>>>,
    /// What each bucket of the server's rate limit had left at its last answer.
    buckets: Arc<Mutex<HashMap<RateBucket, RateLimit>>>,
    /// Shared by every clone of one authenticated client: set, with the server's reason, the
    /// first time the server answers 401 to the token.
    refusal: Arc<tokio::sync::watch::Sender<Option<String>>>,
}

impl std::fmt::Debug for MastodonClient {
    // The token never appears in logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MastodonClient")
            .field("base", &self.base.as_str())
            .field("authenticated", &self.token.is_some())
            .finish()
    }
}

impl MastodonClient {
    /// A client for the server at `base_url` (e.g. `https://mastodon.social`, or a base with a
    /// path such as the demo backend's `http://127.0.0.1:PORT/feed`).
    pub fn new(base_url: &str) -> Result<Self, ClientError> {
        let mut base = Url::parse(base_url).map_err(|_| ClientError::InvalidBaseUrl(base_url.to_owned()))?;
        if !matches!(base.scheme(), "http" | "https") {
            return Err(ClientError::InvalidBaseUrl(base_url.to_owned()));
        }
        if !base.path().ends_with('/') {
            let path = format!("{}/", base.path());
            base.set_path(&path);
        }
        let http = reqwest::Client::builder()
            .user_agent(concat!("Facets/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(60))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(ClientError::Network)?;
        Ok(MastodonClient {
            http,
            base,
            token: None,
            last_rate_limit: Arc::new(Mutex::new(None)),
            buckets: Arc::new(Mutex::new(HashMap::new())),
            refusal: Arc::new(tokio::sync::watch::channel(None).0),
        })
    }

    /// The same server, authenticated with `token`.
    pub fn with_token(&self, token: impl Into<String>) -> Self {
        MastodonClient {
            http: self.http.clone(),
            base: self.base.clone(),
            token: Some(token.into()),
            last_rate_limit: Arc::new(Mutex::new(None)),
            buckets: Arc::new(Mutex::new(HashMap::new())),
            refusal: Arc::new(tokio::sync::watch::channel(None).0),
        }
    }

    /// Whether the server refused this client's token: `Some(reason)` from the first 401 on.
    /// A stopped sign-in shows itself here wherever the request came from (a sync, a stream,
    /// a user's action), so the app can say so instead of failing quietly.
    pub fn token_refusal(&self) -> tokio::sync::watch::Receiver<Option<String>> {
        self.refusal.subscribe()
    }

    pub fn base_url(&self) -> &Url {
        &self.base
    }

    /// The rate-limit state reported by the last response, if the server sends one.
    pub fn last_rate_limit(&self) -> Option<RateLimit> {
        self.last_rate_limit.lock().expect("rate-limit lock poisoned").clone()
    }

    fn endpoint(&self, path: &str) -> Url {
        self.base.join(path.trim_start_matches('/')).expect("static API paths are valid URLs")
    }

    fn request(&self, method: Method, url: Url) -> RequestBuilder {
        let builder = self.http.request(method, url).header(header::ACCEPT, "application/json");
        match &self.token {
            Some(token) => builder.bearer_auth(token),
            None => builder,
        }
    }

    async fn send(&self, builder: RequestBuilder) -> Result<Response, ClientError> {
        let (http, request) = builder.build_split();
        let request = request.map_err(ClientError::Network)?;
        let bucket = RateBucket::of(request.method(), request.url().path());
        // Never into a bucket the server said is empty: it would only answer 429, and count it.
        let exhausted =
            self.buckets.lock().expect("rate-limit lock poisoned").get(&bucket).and_then(|rate| {
                rate.wait(time::OffsetDateTime::now_utc()).filter(|wait| *wait <= MAX_RATE_LIMIT_HOLD)
            });
        if let Some(retry_after) = exhausted {
            return Err(ClientError::RateLimited { retry_after });
        }
        let response = http.execute(request).await.map_err(ClientError::Network)?;
        if let Some(rate) = RateLimit::from_headers(response.headers(), time::OffsetDateTime::now_utc()) {
            self.buckets.lock().expect("rate-limit lock poisoned").insert(bucket, rate.clone());
            *self.last_rate_limit.lock().expect("rate-limit lock poisoned") = Some(rate);
        }
        if response.status().is_success() {
            return Ok(response);
        }
        let error = ClientError::from_response(response).await;
        self.note_refusal(&error);
        Err(error)
    }

    fn note_refusal(&self, error: &ClientError) {
        if !error.is_unauthorized() || self.token.is_none() {
            return;
        }
        let reason = match error {
            ClientError::Http { message: Some(message), .. } => message.clone(),
            _ => "the server no longer accepts this sign-in".to_owned(),
        };
        self.refusal.send_if_modified(|refusal| refusal.is_none() && refusal.replace(reason).is_none());
    }

    async fn json<T: DeserializeOwned>(&self, builder: RequestBuilder) -> Result<T, ClientError> {
        let response = self.send(builder).await?;
        decode(response).await
    }

    async fn page<T: DeserializeOwned>(&self, url: Url) -> Result<Page<T>, ClientError> {
        let response = self.send(self.request(Method::GET, url)).await?;
        let partial = response.status() == StatusCode::PARTIAL_CONTENT;
        let links = response
            .headers()
            .get_all(header::LINK)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(parse_link_header)
            .fold(PageLinks::default(), PageLinks::merge);
        let items: Vec<T> = decode(response).await?;
        Ok(Page {
            items,
            partial,
            next: links.next.and_then(|u| self.same_server(&u)),
            prev: links.prev.and_then(|u| self.same_server(&u)),
        })
    }

    /// A `Link` URL is followed only on the server it came from: a hostile server must not
    /// be able to send our bearer token elsewhere.
    fn same_server(&self, raw: &str) -> Option<Url> {
        let url = self.base.join(raw).ok()?;
        let same = url.scheme() == self.base.scheme()
            && url.host_str() == self.base.host_str()
            && url.port_or_known_default() == self.base.port_or_known_default()
            && url.path().starts_with(self.base.path());
        if !same {
            tracing::warn!(link = %url, "ignoring a pagination link to another server");
        }
        same.then_some(url)
    }

    /// Follows a `next`/`prev` link of an earlier page.
    pub async fn follow<T: DeserializeOwned>(&self, link: &Url) -> Result<Page<T>, ClientError> {
        let checked = self.same_server(link.as_str()).ok_or(ClientError::ForeignLink(link.to_string()))?;
        self.page(checked).await
    }

    // --- Accounts and instance -----------------------------------------------------------

    pub async fn verify_credentials(&self) -> Result<Account, ClientError> {
        self.json(self.request(Method::GET, self.endpoint("api/v1/accounts/verify_credentials"))).await
    }

    pub async fn account(&self, id: &str) -> Result<Account, ClientError> {
        let url = self.endpoint(&format!("api/v1/accounts/{}", encode_segment(id)));
        self.json(self.request(Method::GET, url)).await
    }

    /// `GET /api/v2/instance`: the server's limits. Fields a server omits take Mastodon's
    /// defaults.
    /// Changes privacy settings of the user's account; the answer is the account as the server
    /// now has it (with `source`), which may differ from what was asked.
    pub async fn update_privacy(&self, update: &PrivacyUpdate) -> Result<Account, ClientError> {
        let url = self.endpoint("api/v1/accounts/update_credentials");
        self.json(self.request(Method::PATCH, url).form(&update.form())).await
    }

    /// Accounts waiting for the user to answer their follow request.
    pub async fn follow_requests(&self, query: &PageQuery) -> Result<Page<Account>, ClientError> {
        let mut url = self.endpoint("api/v1/follow_requests");
        query.apply(&mut url);
        self.page(url).await
    }

    /// Approves (`authorize`) or rejects a follow request.
    pub async fn answer_follow_request(&self, account_id: &str, approve: bool) -> Result<Relationship, ClientError> {
        let verb = if approve { "authorize" } else { "reject" };
        let url = self.endpoint(&format!("api/v1/follow_requests/{}/{verb}", encode_segment(account_id)));
        self.json(self.request(Method::POST, url)).await
    }

    pub async fn blocks(&self, query: &PageQuery) -> Result<Page<Account>, ClientError> {
        let mut url = self.endpoint("api/v1/blocks");
        query.apply(&mut url);
        self.page(url).await
    }

    pub async fn mutes(&self, query: &PageQuery) -> Result<Page<Account>, ClientError> {
        let mut url = self.endpoint("api/v1/mutes");
        query.apply(&mut url);
        self.page(url).await
    }

    /// Blocks or unblocks an account.
    pub async fn set_blocked(&self, account_id: &str, blocked: bool) -> Result<Relationship, ClientError> {
        let verb = if blocked { "block" } else { "unblock" };
        let url = self.endpoint(&format!("api/v1/accounts/{}/{verb}", encode_segment(account_id)));
        self.json(self.request(Method::POST, url)).await
    }

    /// Mutes or unmutes an account.
    pub async fn set_muted(&self, account_id: &str, muted: bool) -> Result<Relationship, ClientError> {
        let verb = if muted { "mute" } else { "unmute" };
        let url = self.endpoint(&format!("api/v1/accounts/{}/{verb}", encode_segment(account_id)));
        self.json(self.request(Method::POST, url)).await
    }

    /// `GET /api/v1/accounts/search`: accounts by name or handle, as the server knows them
    /// (without asking other servers: `resolve=false`).
    pub async fn search_accounts(&self, query: &str, limit: u32) -> Result<Vec<Account>, ClientError> {
        let mut url = self.endpoint("api/v1/accounts/search");
        url.query_pairs_mut()
            .append_pair("q", query)
            .append_pair("limit", &limit.to_string())
            .append_pair("resolve", "false");
        self.json(self.request(Method::GET, url)).await
    }

    pub async fn instance(&self) -> Result<Instance, ClientError> {
        self.json(self.request(Method::GET, self.endpoint("api/v2/instance"))).await
    }

    /// Which software the server runs, from its NodeInfo (`mastodon`, `pixelfed`, `gotosocial`,
    /// `akkoma`, …, lowercased), to know its dialect; `None` when it publishes none. The
    /// document is read only from the server itself.
    pub async fn software(&self) -> Result<Option<NodeInfoSoftware>, ClientError> {
        let url = self.endpoint(".well-known/nodeinfo");
        let links: NodeInfoLinks = match self.json(self.request(Method::GET, url)).await {
            Ok(links) => links,
            Err(error) if error.status() == Some(StatusCode::NOT_FOUND) => return Ok(None),
            Err(error) => return Err(error),
        };
        // The newest 2.x schema the server lists.
        let mut schemas: Vec<&NodeInfoLink> = links
            .links
            .iter()
            .filter(|l| l.rel.starts_with("http://nodeinfo.diaspora.software/ns/schema/2."))
            .collect();
        schemas.sort_by(|a, b| b.rel.cmp(&a.rel));
        let Some(document) = schemas.first().and_then(|link| self.same_server(&link.href)) else { return Ok(None) };
        let info: NodeInfo = self.json(self.request(Method::GET, document)).await?;
        let name = info.software.name.trim().to_ascii_lowercase();
        Ok((!name.is_empty()).then_some(NodeInfoSoftware { name, version: info.software.version }))
    }

    // --- Timelines -------------------------------------------------------------------------

    pub async fn home_timeline(&self, query: &PageQuery) -> Result<Page<Status>, ClientError> {
        let mut url = self.endpoint("api/v1/timelines/home");
        query.apply(&mut url);
        self.page(url).await
    }

    /// `GET /api/v1/timelines/public`: the server's public posts; `only_media` keeps those
    /// with pictures.
    pub async fn public_timeline(&self, query: &PageQuery, only_media: bool) -> Result<Page<Status>, ClientError> {
        let mut url = self.endpoint("api/v1/timelines/public");
        query.apply(&mut url);
        if only_media {
            url.query_pairs_mut().append_pair("only_media", "true");
        }
        self.page(url).await
    }

    pub async fn account_statuses(
        &self,
        account_id: &str,
        filter: AccountStatusesFilter,
        query: &PageQuery,
    ) -> Result<Page<Status>, ClientError> {
        let mut url = self.endpoint(&format!("api/v1/accounts/{}/statuses", encode_segment(account_id)));
        {
            let mut pairs = url.query_pairs_mut();
            if filter.only_media {
                pairs.append_pair("only_media", "true");
            }
            if filter.exclude_reblogs {
                pairs.append_pair("exclude_reblogs", "true");
            }
            if filter.exclude_replies {
                pairs.append_pair("exclude_replies", "true");
            }
        }
        query.apply(&mut url);
        self.page(url).await
    }

    // --- Statuses --------------------------------------------------------------------------

    pub async fn status(&self, id: &str) -> Result<Status, ClientError> {
        let url = self.endpoint(&format!("api/v1/statuses/{}", encode_segment(id)));
        self.json(self.request(Method::GET, url)).await
    }

    pub async fn context(&self, id: &str) -> Result<Context, ClientError> {
        let url = self.endpoint(&format!("api/v1/statuses/{}/context", encode_segment(id)));
        self.json(self.request(Method::GET, url)).await
    }

    pub async fn set_favourite(&self, id: &str, favourited: bool) -> Result<Status, ClientError> {
        let action = if favourited { "favourite" } else { "unfavourite" };
        let url = self.endpoint(&format!("api/v1/statuses/{}/{action}", encode_segment(id)));
        self.json(self.request(Method::POST, url)).await
    }

    /// Deletes one of the account's own statuses; the server answers with what it deleted.
    pub async fn delete_status(&self, id: &str) -> Result<Status, ClientError> {
        let url = self.endpoint(&format!("api/v1/statuses/{}", encode_segment(id)));
        self.json(self.request(Method::DELETE, url)).await
    }

    /// Publishes a status. `idempotency_key` must be generated once per logical post and
    /// persisted by the caller, so that a retry after a lost answer cannot publish twice.
    pub async fn post_status(&self, status: &NewStatus, idempotency_key: &str) -> Result<Status, ClientError> {
        let builder = self
            .request(Method::POST, self.endpoint("api/v1/statuses"))
            .header("Idempotency-Key", idempotency_key)
            .json(status);
        self.json(builder).await
    }

    /// Edits one of the account's statuses (Mastodon 3.5+): text, content warning, sensitivity
    /// and, when `media_ids` is not empty, the attachments. Visibility cannot change. Sending
    /// the same edit twice leaves the same post, so a retry is safe without a key.
    pub async fn edit_status(&self, id: &str, edit: &NewStatus) -> Result<Status, ClientError> {
        let url = self.endpoint(&format!("api/v1/statuses/{}", encode_segment(id)));
        self.json(self.request(Method::PUT, url).json(edit)).await
    }

    // --- Media -----------------------------------------------------------------------------

    /// Uploads one file. Small files are usually ready at once; larger ones may come back still
    /// processing (202), to be polled with [`MastodonClient::media`] before a post can use them.
    pub async fn upload_media(
        &self,
        bytes: Vec<u8>,
        file_name: &str,
        mime: &str,
        description: Option<&str>,
    ) -> Result<MediaState, ClientError> {
        let part = reqwest::multipart::Part::bytes(bytes)
            .file_name(file_name.to_owned())
            .mime_str(mime)
            .map_err(|_| ClientError::InvalidMime(mime.to_owned()))?;
        let mut form = reqwest::multipart::Form::new().part("file", part);
        if let Some(description) = description {
            form = form.text("description", description.to_owned());
        }
        let response = self.send(self.request(Method::POST, self.endpoint("api/v2/media")).multipart(form)).await?;
        let accepted = response.status() == StatusCode::ACCEPTED;
        let attachment: MediaAttachment = decode(response).await?;
        Ok(MediaState::new(attachment, accepted))
    }

    /// An uploaded file not yet attached to a post. Mastodon answers 404 once the file is attached,
    /// or after it purged a file left unattached.
    pub async fn media(&self, id: &str) -> Result<MediaState, ClientError> {
        let url = self.endpoint(&format!("api/v1/media/{}", encode_segment(id)));
        let response = self.send(self.request(Method::GET, url)).await?;
        let partial = response.status() == StatusCode::PARTIAL_CONTENT;
        let attachment: MediaAttachment = decode(response).await?;
        Ok(MediaState::new(attachment, partial))
    }

    /// Polls a file still processing, once after each delay, until it is ready or the delays
    /// run out; answers how it stands at the end.
    pub async fn wait_for_media(&self, id: &str, delays: &[Duration]) -> Result<MediaState, ClientError> {
        let mut state = MediaState::Processing(id.to_owned());
        for delay in delays {
            tokio::time::sleep(*delay).await;
            state = self.media(id).await?;
            if let MediaState::Ready(_) = state {
                break;
            }
        }
        Ok(state)
    }

    // --- Conversations ---------------------------------------------------------------------

    pub async fn conversations(&self, query: &PageQuery) -> Result<Page<Conversation>, ClientError> {
        let mut url = self.endpoint("api/v1/conversations");
        query.apply(&mut url);
        self.page(url).await
    }

    pub async fn mark_conversation_read(&self, id: &str) -> Result<Conversation, ClientError> {
        let url = self.endpoint(&format!("api/v1/conversations/{}/read", encode_segment(id)));
        self.json(self.request(Method::POST, url)).await
    }

    // --- Pixelfed's direct messages ---------------------------------------------------------

    /// Pixelfed pages conversations by number (`?page=`, from 1) and sends no `Link` header: a
    /// page shorter than `limit` is the last. Each conversation is one person's, and its id is
    /// not stable (it names the latest message on some databases): [`Self::direct_thread`]
    /// addresses a conversation by the other person's account.
    pub async fn conversations_numbered(&self, page: u32, limit: u32) -> Result<Vec<Conversation>, ClientError> {
        let mut url = self.endpoint("api/v1/conversations");
        url.query_pairs_mut().append_pair("page", &page.to_string()).append_pair("limit", &limit.to_string());
        self.json(self.request(Method::GET, url)).await
    }

    /// Pixelfed: the newest messages with one person (a few per page), or those before the
    /// message `max_id` (a [`DirectMessage::id`], not its status id).
    pub async fn direct_thread(&self, account_id: &str, max_id: Option<&str>) -> Result<DirectThread, ClientError> {
        let mut url = self.endpoint("api/v1.1/direct/thread");
        url.query_pairs_mut().append_pair("pid", account_id);
        if let Some(max_id) = max_id {
            url.query_pairs_mut().append_pair("max_id", max_id);
        }
        self.json(self.request(Method::GET, url)).await
    }

    /// Pixelfed: sends a direct message (its statuses API refuses `visibility=direct`). The
    /// endpoint takes no idempotency key: a caller retrying after a lost answer must look in
    /// the thread first.
    pub async fn send_direct_message(&self, to_account_id: &str, text: &str) -> Result<DirectMessage, ClientError> {
        let body = NewDirectMessage { to_id: to_account_id.to_owned(), message: text.to_owned(), kind: "text".into() };
        self.json(self.request(Method::POST, self.endpoint("api/v1.1/direct/thread/send")).json(&body)).await
    }

    /// Pixelfed: marks read what the person wrote to the user, from the status `from_status_id`
    /// on.
    pub async fn mark_direct_thread_read(&self, account_id: &str, from_status_id: &str) -> Result<(), ClientError> {
        let body = DirectThreadRead { pid: account_id.to_owned(), sid: from_status_id.to_owned() };
        self.send(self.request(Method::POST, self.endpoint("api/v1.1/direct/thread/read")).json(&body)).await?;
        Ok(())
    }
}

impl PageQuery {
    pub fn limit(limit: u32) -> Self {
        PageQuery { limit: Some(limit), ..Default::default() }
    }

    fn apply(&self, url: &mut Url) {
        let mut pairs = url.query_pairs_mut();
        for (name, value) in [("max_id", &self.max_id), ("min_id", &self.min_id), ("since_id", &self.since_id)] {
            if let Some(value) = value {
                pairs.append_pair(name, value);
            }
        }
        if let Some(limit) = self.limit {
            pairs.append_pair("limit", &limit.to_string());
        }
    }
}

fn encode_segment(id: &str) -> String {
    url::form_urlencoded::byte_serialize(id.as_bytes()).collect()
}

async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ClientError> {
    let url = response.url().to_string();
    let body = response.bytes().await.map_err(ClientError::Network)?;
    serde_json::from_slice(&body).map_err(|source| ClientError::Decode { url, source })
}
