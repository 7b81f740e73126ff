use facets_client::ClientError;
use facets_model::Surface;
use serde::Serialize;

/// What the UI can do about an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ErrorKind {
    /// The server could not be reached: cached data still works; try again later.
    Offline,
    /// The server refused or failed.
    Server,
    /// The sign-in stopped working: sign in again.
    Unauthorized,
    NotFound,
    /// The request cannot be carried out as it stands; the message says what to change.
    Invalid,
    Internal,
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    Client(#[from] ClientError),
    #[error("{0}")]
    Store(#[from] facets_store::StoreError),
    #[error("{0}")]
    Media(#[from] facets_media::MediaError),
    #[error("no account is linked to {0}")]
    NotLinked(Surface),
    #[error("you signed out of {0}")]
    SignedOut(Surface),
    #[error("the {0} server no longer accepts Facets' sign-in")]
    SignInRefused(Surface),
    #[error("{0}")]
    Secrets(#[from] facets_secrets::SecretError),
    #[error("Facets cannot read the {0} sign-in's token")]
    SecretsUnreadable(Surface),
    #[error("that post is not in the cache")]
    NotFound,
    #[error("{0}")]
    BadKey(#[from] facets_model::MalformedPostKey),
    #[error("signing in failed: {0}")]
    SignIn(String),
    #[error("{0}")]
    Offline(String),
    #[error("the demo server could not start: {0}")]
    Demo(String),
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Internal(String),
}

impl AppError {
    pub(crate) fn internal(message: impl Into<String>) -> AppError {
        AppError::Internal(message.into())
    }

    pub fn kind(&self) -> ErrorKind {
        match self {
            AppError::Client(e) if e.is_unauthorized() => ErrorKind::Unauthorized,
            AppError::SignedOut(_) | AppError::SignInRefused(_) | AppError::SecretsUnreadable(_) => {
                ErrorKind::Unauthorized
            }
            AppError::Client(ClientError::Network(_)) | AppError::Offline(_) => ErrorKind::Offline,
            AppError::Client(e) if e.status() == Some(reqwest_status_not_found()) => ErrorKind::NotFound,
            AppError::Client(_) | AppError::SignIn(_) => ErrorKind::Server,
            AppError::NotFound | AppError::NotLinked(_) | AppError::BadKey(_) => ErrorKind::NotFound,
            AppError::Invalid(_)
            | AppError::Secrets(
                facets_secrets::SecretError::WrongPassphrase | facets_secrets::SecretError::Damaged(_),
            ) => ErrorKind::Invalid,
            AppError::Store(_)
            | AppError::Media(_)
            | AppError::Secrets(_)
            | AppError::Demo(_)
            | AppError::Internal(_) => ErrorKind::Internal,
        }
    }

    /// The media cache failed at its own work (its disk, its thumbnail worker): unlike a
    /// missing file or no network, a fault of Facets' to log.
    pub fn is_media_cache_fault(&self) -> bool {
        matches!(self, AppError::Media(facets_media::MediaError::Io(_) | facets_media::MediaError::Worker(_)))
    }

    /// A sentence for people, with a way forward.
    pub fn human_message(&self) -> String {
        match self.kind() {
            ErrorKind::Offline => "Facets can't reach the server right now. What's cached is still here; try again when you're back online.".into(),
            ErrorKind::Unauthorized => match self {
                AppError::SignedOut(surface) => format!(
                    "You signed out of {}. Sign in again from Privacy › Connected apps to keep it in sync.",
                    surface.title()
                ),
                AppError::SecretsUnreadable(surface) => format!(
                    "Facets can't read {}'s sign-in from where it keeps secrets (a locked keychain, a sealed file not unlocked yet, or memory that ended when Facets last quit). Unlock the file in Privacy › Connected apps, or sign in again.",
                    surface.title()
                ),
                _ => "This account's sign-in has stopped working. Sign in again to keep it in sync.".into(),
            },
            ErrorKind::NotFound => match self {
                AppError::NotLinked(surface) => format!(
                    "No account is linked to {0}. Add one (`facets login SERVER --to {1}`).",
                    surface.title(),
                    surface.as_str()
                ),
                _ => "That isn't available any more. It may have been deleted.".into(),
            },
            ErrorKind::Invalid => match self {
                AppError::Secrets(facets_secrets::SecretError::Damaged(_)) => {
                    format!("{self}. Move the file aside and sign in again.")
                }
                _ => self.to_string(),
            },
            ErrorKind::Server => format!("The server couldn't do that ({self}). Try again in a moment."),
            ErrorKind::Internal => format!("Something went wrong inside Facets ({self}). Restarting the app usually helps."),
        }
    }
}

fn reqwest_status_not_found() -> facets_client::StatusCode {
    facets_client::StatusCode::NOT_FOUND
}
