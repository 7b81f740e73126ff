//! Mastodon's streaming API over server-sent events: `GET /api/v1/streaming/direct`.
//!
//! The stream is read line by line as the server writes it. A connection that stays silent
//! longer than the server's heartbeat allows is taken for dead, so a half-open TCP connection
//! (a laptop that slept, a proxy that dropped it) does not leave the client waiting forever.

use std::time::Duration;

use facets_wire::Conversation;
use reqwest::{header, Response};
use url::Url;

use crate::{ClientError, MastodonClient};

/// Mastodon writes a heartbeat every 15 s; four missed ones mean the connection is gone.
pub const STREAM_SILENCE_LIMIT: Duration = Duration::from_secs(60);

/// No line or event of a sane server is this long; a hostile one cannot make us buffer more.
const MAX_EVENT_BYTES: usize = 1024 * 1024;

/// One event of a stream, the ones Facets uses decoded.
#[derive(Debug, Clone)]
pub enum StreamEvent {
    /// A conversation with a new message (sent by the user or to them).
    Conversation(Box<Conversation>),
    /// Any other event, by name; a newer server may send kinds Facets does not know.
    Other(String),
}

/// An open stream. Dropping it closes the connection.
pub struct EventStream {
    response: Response,
    url: String,
    silence_limit: Duration,
    parser: EventParser,
}

impl MastodonClient {
    /// Opens the stream of the user's direct messages. `streaming_url` is where the server
    /// says its streaming API listens (`configuration.urls.streaming` of the instance); it is
    /// used only on this server's host or a subdomain of it, never over a weaker scheme, so a
    /// hostile answer cannot send the token elsewhere. A server without a streaming API
    /// answers 404 (Pixelfed) and the caller polls instead.
    pub async fn stream_direct(&self, streaming_url: Option<&str>) -> Result<EventStream, ClientError> {
        self.open_stream(streaming_url, STREAM_SILENCE_LIMIT).await
    }

    /// [`MastodonClient::stream_direct`] with a shorter patience, for tests.
    pub async fn open_stream(
        &self,
        streaming_url: Option<&str>,
        silence_limit: Duration,
    ) -> Result<EventStream, ClientError> {
        let url = self.streaming_base(streaming_url).join("api/v1/streaming/direct").expect("a static path joins");
        // The API client's total timeout would cut a stream after a minute; this one only
        // bounds connecting, and silence is watched per read.
        let http = reqwest::Client::builder()
            .user_agent(concat!("Facets/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(ClientError::Network)?;
        let mut request = http.get(url.clone()).header(header::ACCEPT, "text/event-stream");
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        let response = tokio::time::timeout(silence_limit, request.send())
            .await
            .map_err(|_| ClientError::StreamSilent(url.to_string()))?
            .map_err(ClientError::Network)?;
        if !response.status().is_success() {
            let error = ClientError::from_response(response).await;
            self.note_refusal(&error);
            return Err(error);
        }
        Ok(EventStream { response, url: url.to_string(), silence_limit, parser: EventParser::default() })
    }

    fn streaming_base(&self, streaming_url: Option<&str>) -> Url {
        let announced = streaming_url.and_then(|raw| Url::parse(raw).ok()).and_then(|mut url| {
            let scheme = match (url.scheme(), self.base.scheme()) {
                ("wss" | "https", _) => "https",
                ("ws" | "http", "http") => "http",
                _ => return None,
            };
            url.set_scheme(scheme).ok()?;
            let (host, ours) = (url.host_str()?.to_owned(), self.base.host_str()?);
            if host != ours && !host.ends_with(&format!(".{ours}")) {
                tracing::warn!(%url, "ignoring a streaming URL on another server");
                return None;
            }
            if !url.path().ends_with('/') {
                let path = format!("{}/", url.path());
                url.set_path(&path);
            }
            url.set_query(None);
            Some(url)
        });
        announced.unwrap_or_else(|| self.base.clone())
    }
}

impl EventStream {
    /// The next event; `Ok(None)` once the server has ended the stream.
    pub async fn next_event(&mut self) -> Result<Option<StreamEvent>, ClientError> {
        loop {
            match self.parser.next_event() {
                Ok(Some((event, data))) => return Ok(Some(self.decode(event, data))),
                Ok(None) => {}
                Err(TooLong) => return Err(ClientError::StreamTooLong(self.url.clone())),
            }
            let chunk = tokio::time::timeout(self.silence_limit, self.response.chunk())
                .await
                .map_err(|_| ClientError::StreamSilent(self.url.clone()))?
                .map_err(ClientError::Network)?;
            match chunk {
                Some(bytes) => self.parser.push(&bytes),
                None => return Ok(None),
            }
        }
    }

    fn decode(&self, event: String, data: String) -> StreamEvent {
        match event.as_str() {
            "conversation" => match serde_json::from_str(&data) {
                Ok(conversation) => StreamEvent::Conversation(Box::new(conversation)),
                Err(error) => {
                    // One unreadable event is skipped; the next read of the conversations
                    // catches up with whatever it carried.
                    tracing::warn!(url = %self.url, %error, "skipping an unreadable streaming event");
                    StreamEvent::Other(event)
                }
            },
            _ => StreamEvent::Other(event),
        }
    }
}

#[derive(Debug, PartialEq)]
struct TooLong;

/// The `text/event-stream` format: `field: value` lines, `:` comments, a blank line ending
/// each event. Bytes go in as they arrive, split anywhere.
#[derive(Default)]
struct EventParser {
    buffer: Vec<u8>,
    event: String,
    data: String,
}

impl EventParser {
    fn push(&mut self, bytes: &[u8]) {
        self.buffer.extend_from_slice(bytes);
    }

    /// The next complete event as `(name, data)`, if the bytes so far hold one.
    fn next_event(&mut self) -> Result<Option<(String, String)>, TooLong> {
        while let Some(end) = self.buffer.iter().position(|&b| b == b'\n') {
            let line: Vec<u8> = self.buffer.drain(..=end).collect();
            let line = String::from_utf8_lossy(&line[..end]);
            if let Some(event) = self.take_line(line.strip_suffix('\r').unwrap_or(&line))? {
                return Ok(Some(event));
            }
        }
        if self.buffer.len() > MAX_EVENT_BYTES {
            return Err(TooLong);
        }
        Ok(None)
    }

    fn take_line(&mut self, line: &str) -> Result<Option<(String, String)>, TooLong> {
        if line.is_empty() {
            let (event, data) = (std::mem::take(&mut self.event), std::mem::take(&mut self.data));
            return Ok((!data.is_empty() || !event.is_empty()).then_some((event, data)));
        }
        if line.starts_with(':') {
            return Ok(None); // a comment: the heartbeat
        }
        let (field, value) = line.split_once(':').unwrap_or((line, ""));
        let value = value.strip_prefix(' ').unwrap_or(value);
        match field {
            "event" => self.event = value.to_owned(),
            "data" => {
                if !self.data.is_empty() {
                    self.data.push('\n');
                }
                self.data.push_str(value);
                if self.data.len() > MAX_EVENT_BYTES {
                    return Err(TooLong);
                }
            }
            _ => {}
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(chunks: &[&str]) -> Vec<(String, String)> {
        let mut parser = EventParser::default();
        let mut found = Vec::new();
        for chunk in chunks {
            parser.push(chunk.as_bytes());
            while let Some(event) = parser.next_event().unwrap() {
                found.push(event);
            }
        }
        found
    }

    fn event(name: &str, data: &str) -> (String, String) {
        (name.to_owned(), data.to_owned())
    }

    #[test]
    fn events_split_anywhere_come_out_whole() {
        let stream = ":thump\nevent: conversation\ndata: {\"id\":\"1\"}\n\n:thump\n\nevent: delete\ndata: 7\n\n";
        let whole = events(&[stream]);
        assert_eq!(whole, vec![event("conversation", "{\"id\":\"1\"}"), event("delete", "7")]);
        for cut in 0..stream.len() {
            assert_eq!(events(&[&stream[..cut], &stream[cut..]]), whole, "cut at {cut}");
        }
    }

    #[test]
    fn data_lines_join_and_crlf_and_missing_space_are_read() {
        let found = events(&["event:update\r\ndata: one\r\ndata:two\r\n\r\n"]);
        assert_eq!(found, vec![event("update", "one\ntwo")]);
    }

    #[test]
    fn an_event_without_its_blank_line_waits() {
        assert!(events(&["event: conversation\ndata: {}\n"]).is_empty());
    }

    #[test]
    fn an_endless_line_is_refused() {
        let mut parser = EventParser::default();
        parser.push(&vec![b'x'; MAX_EVENT_BYTES + 1]);
        assert_eq!(parser.next_event(), Err(TooLong));
    }
}

#[cfg(test)]
mod base_tests {
    use crate::MastodonClient;

    fn base(api: &str, announced: Option<&str>) -> String {
        MastodonClient::new(api).unwrap().streaming_base(announced).to_string()
    }

    #[test]
    fn the_announced_streaming_url_is_used_only_on_the_same_server() {
        assert_eq!(base("https://social.example", Some("wss://social.example")), "https://social.example/");
        assert_eq!(
            base("https://social.example", Some("wss://streaming.social.example/")),
            "https://streaming.social.example/"
        );
        assert_eq!(base("http://127.0.0.1:9/feed", Some("ws://127.0.0.1:9/feed")), "http://127.0.0.1:9/feed/");
        // Elsewhere, or in the clear from a TLS server: the API's own address instead.
        assert_eq!(base("https://social.example", Some("wss://evil.example")), "https://social.example/");
        assert_eq!(base("https://social.example", Some("wss://evilsocial.example")), "https://social.example/");
        assert_eq!(base("https://social.example", Some("ws://social.example")), "https://social.example/");
        assert_eq!(base("https://social.example", Some("not a url")), "https://social.example/");
        assert_eq!(base("https://social.example", None), "https://social.example/");
    }
}
