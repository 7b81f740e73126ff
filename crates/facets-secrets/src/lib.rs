//! Where Facets keeps its secrets (access tokens, OAuth client secrets).
//!
//! - [`Keychain`]: the operating system's store (Secret Service on Linux, Keychain on macOS,
//!   Credential Manager on Windows), through the `keyring` crate.
//! - [`EncryptedFile`]: a file sealed with the user's passphrase, where there is no keychain.
//! - [`MemoryOnly`]: nothing is written anywhere; sessions end when Facets quits. For machines
//!   without a keychain when the user chooses it, and for tests.
//!
//! Secrets never touch SQLite, plain files or logs: the cache stores only the *name* of an entry.
//! [`Secret`] prints as `Secret(…)` so a stray `{:?}` cannot leak one.

mod encrypted_file;

use std::collections::HashMap;
use std::sync::Mutex;

pub use encrypted_file::EncryptedFile;

/// The keychain's service name: every Facets entry is filed under it.
pub const SERVICE: &str = "app.facets.desktop";

#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error("the system keychain is not available: {0}")]
    Unavailable(String),
    #[error("the system keychain refused: {0}")]
    Refused(String),
    #[error("could not use Facets' secrets file: {0}")]
    File(String),
    #[error("That passphrase does not open Facets' secrets. Try again.")]
    WrongPassphrase,
    #[error("Facets' secrets file is damaged ({0})")]
    Damaged(String),
}

/// A secret value. Its `Debug` never shows the value.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

/// Which store holds the secrets, as the settings name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreKind {
    Keychain,
    MemoryOnly,
    EncryptedFile,
}

impl StoreKind {
    pub fn as_str(self) -> &'static str {
        match self {
            StoreKind::Keychain => "keychain",
            StoreKind::MemoryOnly => "memoryOnly",
            StoreKind::EncryptedFile => "encryptedFile",
        }
    }
}

/// A place to keep secrets under names. Absent names are not errors: `get` answers `None`,
/// `delete` succeeds.
pub trait SecretStore: Send + Sync {
    fn kind(&self) -> StoreKind;
    fn get(&self, name: &str) -> Result<Option<Secret>, SecretError>;
    fn set(&self, name: &str, secret: &Secret) -> Result<(), SecretError>;
    fn delete(&self, name: &str) -> Result<(), SecretError>;
    /// Every name kept, where the store can list them (a keychain cannot: `None`), so that
    /// secrets can move to another store.
    fn names_kept(&self) -> Result<Option<Vec<String>>, SecretError>;
}

/// The operating system's keychain.
pub struct Keychain {
    _private: (),
}

impl Keychain {
    /// The keychain, if this machine has one that answers (a headless Linux without a Secret
    /// Service has none).
    pub fn open() -> Result<Keychain, SecretError> {
        if let Err(e) = keyring::Entry::store_status() {
            return Err(SecretError::Unavailable(e.to_string()));
        }
        let keychain = Keychain { _private: () };
        // A store can be configured yet not answer (no Secret Service on the bus): ask once.
        keychain.get("probe").map_err(|e| SecretError::Unavailable(e.to_string()))?;
        Ok(keychain)
    }

    fn entry(name: &str) -> Result<keyring::Entry, SecretError> {
        keyring::Entry::new(SERVICE, name).map_err(refused)
    }
}

fn refused(error: keyring::Error) -> SecretError {
    match error {
        keyring::Error::NoDefaultStore | keyring::Error::PlatformFailure(_) | keyring::Error::NoStorageAccess(_) => {
            SecretError::Unavailable(error.to_string())
        }
        other => SecretError::Refused(other.to_string()),
    }
}

impl SecretStore for Keychain {
    fn kind(&self) -> StoreKind {
        StoreKind::Keychain
    }

    fn get(&self, name: &str) -> Result<Option<Secret>, SecretError> {
        match Self::entry(name)?.get_password() {
            Ok(value) => Ok(Some(Secret::new(value))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(refused(e)),
        }
    }

    fn set(&self, name: &str, secret: &Secret) -> Result<(), SecretError> {
        Self::entry(name)?.set_password(secret.expose()).map_err(refused)
    }

    fn names_kept(&self) -> Result<Option<Vec<String>>, SecretError> {
        Ok(None)
    }

    fn delete(&self, name: &str) -> Result<(), SecretError> {
        match Self::entry(name)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(refused(e)),
        }
    }
}

/// Secrets kept in this process only.
#[derive(Default)]
pub struct MemoryOnly {
    entries: Mutex<HashMap<String, Secret>>,
}

impl MemoryOnly {
    pub fn new() -> MemoryOnly {
        MemoryOnly::default()
    }

    /// The names held, sorted (for tests that check what is kept).
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.lock().keys().cloned().collect();
        names.sort();
        names
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Secret>> {
        self.entries.lock().expect("secret store lock poisoned")
    }
}

impl SecretStore for MemoryOnly {
    fn kind(&self) -> StoreKind {
        StoreKind::MemoryOnly
    }

    fn get(&self, name: &str) -> Result<Option<Secret>, SecretError> {
        Ok(self.lock().get(name).cloned())
    }

    fn set(&self, name: &str, secret: &Secret) -> Result<(), SecretError> {
        self.lock().insert(name.to_owned(), secret.clone());
        Ok(())
    }

    fn names_kept(&self) -> Result<Option<Vec<String>>, SecretError> {
        Ok(Some(self.names()))
    }

    fn delete(&self, name: &str) -> Result<(), SecretError> {
        self.lock().remove(name);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_never_prints_its_value() {
        let secret = Secret::new("hunter2-token");
        assert_eq!(format!("{secret:?}"), "Secret(…)");
        assert_eq!(secret.expose(), "hunter2-token");
    }

    #[test]
    fn memory_only_keeps_deletes_and_answers_none_for_absent_names() {
        let store = MemoryOnly::new();
        assert!(store.get("a").unwrap().is_none());
        store.set("a", &Secret::new("one")).unwrap();
        store.set("a", &Secret::new("two")).unwrap();
        assert_eq!(store.get("a").unwrap().unwrap().expose(), "two");
        store.delete("a").unwrap();
        store.delete("a").unwrap();
        assert!(store.get("a").unwrap().is_none());
        assert!(store.names().is_empty());
    }
}

/// Against the machine's real keychain. Ignored by default (a build machine may have none);
/// `cargo xtask test` runs it inside a private D-Bus session with gnome-keyring.
#[cfg(test)]
mod keychain_tests {
    use super::*;

    #[test]
    #[ignore = "needs a Secret Service; cargo xtask test provides one"]
    fn the_system_keychain_keeps_replaces_and_forgets_a_secret() {
        let keychain = Keychain::open().expect("a keychain answers in this session");
        let name = format!("test-{}", std::process::id());
        assert!(keychain.get(&name).unwrap().is_none());
        keychain.set(&name, &Secret::new("first")).unwrap();
        keychain.set(&name, &Secret::new("second")).unwrap();
        assert_eq!(keychain.get(&name).unwrap().unwrap().expose(), "second");
        keychain.delete(&name).unwrap();
        keychain.delete(&name).unwrap();
        assert!(keychain.get(&name).unwrap().is_none());
    }
}
