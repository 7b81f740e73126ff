//! The browser's way back to Facets after the user approves it (RFC 8252, section 7.3): a
//! one-shot HTTP listener on 127.0.0.1, opened *before* the app is registered, so the exact
//! redirect URI (with its port) is what the server knows.
//!
//! Only a request to the callback path carrying the expected `state` ends the wait; anything
//! else (a favicon request, a stale tab of an earlier attempt) is answered and ignored.

use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::ClientError;

const CALLBACK_PATH: &str = "/facets/oauth-callback";
/// A request head larger than this is not a browser coming back.
const MAX_HEAD: usize = 16 * 1024;
/// How long one connection may take to send its request.
const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// What the browser brought back.
#[derive(Debug, PartialEq, Eq)]
enum Callback {
    Code(String),
    /// The user (or the server) said no: `error` and its description.
    Denied(String),
    /// Not for us: another path, or another attempt's state.
    Ignored,
}

pub struct LoopbackRedirect {
    listener: TcpListener,
    redirect_uri: String,
}

impl LoopbackRedirect {
    /// Listens on a free port of 127.0.0.1 (never on other interfaces).
    pub async fn open() -> std::io::Result<LoopbackRedirect> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let port = listener.local_addr()?.port();
        Ok(LoopbackRedirect { listener, redirect_uri: format!("http://127.0.0.1:{port}{CALLBACK_PATH}") })
    }

    pub fn redirect_uri(&self) -> &str {
        &self.redirect_uri
    }

    /// Waits for the browser to come back with the authorization code for `expected_state`,
    /// answers it with a page saying it can be closed, and returns the code. Each connection
    /// is read on its own, so an idle one (a browser's preconnect) holds up nothing. The caller
    /// bounds the wait (the user may never come back).
    pub async fn wait_for_code(self, expected_state: &str) -> Result<String, ClientError> {
        let (found, mut callbacks) = tokio::sync::mpsc::channel::<Callback>(4);
        let expected: Arc<str> = expected_state.into();
        loop {
            tokio::select! {
                accepted = self.listener.accept() => {
                    let (stream, _) = accepted.map_err(ClientError::Loopback)?;
                    let (found, expected) = (found.clone(), expected.clone());
                    tokio::spawn(async move {
                        match tokio::time::timeout(READ_TIMEOUT, answer(stream, &expected)).await {
                            Ok(Ok(Callback::Ignored)) => {}
                            Ok(Ok(callback)) => {
                                let _ = found.send(callback).await;
                            }
                            Ok(Err(error)) => tracing::debug!(%error, "a loopback connection failed"),
                            Err(_) => tracing::debug!("a loopback connection sent nothing in time"),
                        }
                    });
                }
                Some(callback) = callbacks.recv() => match callback {
                    Callback::Code(code) => return Ok(code),
                    Callback::Denied(reason) => return Err(ClientError::AuthorizationDenied(reason)),
                    Callback::Ignored => {}
                },
            }
        }
    }
}

/// Reads one request, answers it, and says what it brought.
async fn answer(mut stream: TcpStream, expected_state: &str) -> std::io::Result<Callback> {
    let mut head = Vec::with_capacity(1024);
    let mut buffer = [0u8; 1024];
    let target = loop {
        let read = stream.read(&mut buffer).await?;
        if read == 0 {
            return Ok(Callback::Ignored);
        }
        head.extend_from_slice(&buffer[..read]);
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut request = httparse::Request::new(&mut headers);
        match request.parse(&head) {
            Ok(httparse::Status::Complete(_)) => break request.path.unwrap_or("/").to_owned(),
            Ok(httparse::Status::Partial) if head.len() < MAX_HEAD => continue,
            _ => {
                respond(&mut stream, "400 Bad Request", "Facets could not read that request.").await?;
                return Ok(Callback::Ignored);
            }
        }
    };
    let callback = read_callback(&target, expected_state);
    let (status, message) = match &callback {
        Callback::Code(_) => ("200 OK", "Facets is signed in. You can close this window and go back to Facets."),
        Callback::Denied(_) => ("200 OK", "Facets was not given access. You can close this window."),
        Callback::Ignored => ("404 Not Found", "Nothing here."),
    };
    respond(&mut stream, status, message).await?;
    Ok(callback)
}

fn read_callback(target: &str, expected_state: &str) -> Callback {
    let Ok(url) = url::Url::parse(&format!("http://127.0.0.1{target}")) else { return Callback::Ignored };
    if url.path() != CALLBACK_PATH {
        return Callback::Ignored;
    }
    let (mut code, mut state, mut error, mut description) = (None, None, None, None);
    for (name, value) in url.query_pairs() {
        match name.as_ref() {
            "code" => code = Some(value.into_owned()),
            "state" => state = Some(value.into_owned()),
            "error" => error = Some(value.into_owned()),
            "error_description" => description = Some(value.into_owned()),
            _ => {}
        }
    }
    if state.as_deref() != Some(expected_state) {
        return Callback::Ignored;
    }
    match (code, error) {
        (Some(code), None) if !code.is_empty() => Callback::Code(code),
        (_, Some(error)) => Callback::Denied(description.unwrap_or(error)),
        _ => Callback::Ignored,
    }
}

async fn respond(stream: &mut TcpStream, status: &str, message: &str) -> std::io::Result<()> {
    let body = format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Facets</title></head>\
         <body style=\"font-family: sans-serif; margin: 3em\"><p>{message}</p></body></html>"
    );
    let response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(response.as_bytes()).await?;
    stream.shutdown().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_callback_with_our_state_counts() {
        assert_eq!(read_callback("/facets/oauth-callback?code=abc&state=s1", "s1"), Callback::Code("abc".into()));
        assert_eq!(read_callback("/facets/oauth-callback?code=abc&state=old", "s1"), Callback::Ignored);
        assert_eq!(read_callback("/favicon.ico", "s1"), Callback::Ignored);
        assert_eq!(read_callback("/facets/oauth-callback?code=&state=s1", "s1"), Callback::Ignored);
        assert_eq!(
            read_callback("/facets/oauth-callback?error=access_denied&error_description=No%20thanks&state=s1", "s1"),
            Callback::Denied("No thanks".into())
        );
    }

    #[tokio::test]
    async fn a_stray_request_is_answered_and_the_wait_goes_on_until_the_code_comes() {
        let redirect = LoopbackRedirect::open().await.unwrap();
        let uri = redirect.redirect_uri().to_owned();
        assert!(uri.starts_with("http://127.0.0.1:") && uri.ends_with(CALLBACK_PATH));
        let waiting = tokio::spawn(redirect.wait_for_code("s1"));
        let origin = uri.trim_end_matches(CALLBACK_PATH).to_owned();
        // A connection that says nothing (a browser's preconnect) must hold up nothing: all of
        // this is over long before such a connection times out.
        let _idle = tokio::net::TcpStream::connect(origin.trim_start_matches("http://")).await.unwrap();
        let browser = async {
            let http = reqwest::Client::new();
            let stray = http.get(format!("{origin}/favicon.ico")).send().await.unwrap();
            assert_eq!(stray.status(), 404);
            let stale = http.get(format!("{uri}?code=old&state=s0")).send().await.unwrap();
            assert_eq!(stale.status(), 404);
            let page = http.get(format!("{uri}?code=fresh&state=s1")).send().await.unwrap();
            assert!(page.text().await.unwrap().contains("You can close this window"));
            waiting.await.unwrap().unwrap()
        };
        let code = tokio::time::timeout(READ_TIMEOUT / 2, browser).await.expect("no connection waits on another");
        assert_eq!(code, "fresh");
    }
}
