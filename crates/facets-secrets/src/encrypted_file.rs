//! Secrets in a file encrypted with a key derived from the user's passphrase, for machines with
//! no keychain (a headless Linux without a Secret Service) where the user would rather not sign
//! in at every start.
//!
//! The key is derived with Argon2id (salt kept in the file) and the secrets are sealed with
//! XChaCha20-Poly1305 under a fresh random nonce at every write, so a wrong passphrase or a
//! changed byte is refused rather than read as garbage. Every operation reads the file anew and
//! every change is written whole and renamed into place under a lock, so the app and the
//! command line can share one file.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, Zeroizing};

use crate::{Secret, SecretError, SecretStore, StoreKind};

const FORMAT: &str = "facets-secrets/1";
/// Argon2id costs, as OWASP's password-storage guidance recommends (19 MiB, 2 passes). A file
/// asking for less is refused (it would make guessing cheap), and so is one asking for more
/// than [`MAX_MEMORY_KIB`] (it would make opening it a denial of service).
const MEMORY_KIB: u32 = 19 * 1024;
const PASSES: u32 = 2;
const LANES: u32 = 1;
const MAX_MEMORY_KIB: u32 = 256 * 1024;
const MAX_PASSES: u32 = 10;
const MAX_LANES: u32 = 4;

#[derive(Serialize, Deserialize)]
struct Sealed {
    format: String,
    kdf: Kdf,
    nonce: String,
    ciphertext: String,
}

#[derive(Serialize, Deserialize, Clone, PartialEq, Eq)]
struct Kdf {
    algorithm: String,
    memory_kib: u32,
    passes: u32,
    lanes: u32,
    salt: String,
}

/// Secrets sealed in one file with a passphrase.
pub struct EncryptedFile {
    path: PathBuf,
    kdf: Kdf,
    key: Zeroizing<[u8; 32]>,
}

impl EncryptedFile {
    /// Opens the file with the passphrase, or creates it (empty) with a new salt. Done under
    /// the file's lock, so two processes starting at once agree on one salt. A wrong
    /// passphrase is [`SecretError::WrongPassphrase`].
    pub fn open(path: &Path, passphrase: &str) -> Result<EncryptedFile, SecretError> {
        if passphrase.is_empty() {
            return Err(SecretError::WrongPassphrase);
        }
        let _lock = lock(path)?;
        match read_sealed(path)? {
            Some(sealed) => {
                let key = derive_key(&sealed.kdf, passphrase)?;
                let store = EncryptedFile { path: path.to_owned(), kdf: sealed.kdf.clone(), key };
                // Proves the passphrase now rather than at the first secret.
                store.unseal(&sealed)?;
                Ok(store)
            }
            None => {
                let mut salt = [0u8; 16];
                rand::thread_rng().fill_bytes(&mut salt);
                let kdf = Kdf {
                    algorithm: "argon2id".into(),
                    memory_kib: MEMORY_KIB,
                    passes: PASSES,
                    lanes: LANES,
                    salt: BASE64.encode(salt),
                };
                let key = derive_key(&kdf, passphrase)?;
                let store = EncryptedFile { path: path.to_owned(), kdf, key };
                store.write(&BTreeMap::new())?;
                Ok(store)
            }
        }
    }

    /// Whether a secrets file exists there (so the passphrase asked for is an existing one).
    pub fn exists(path: &Path) -> bool {
        path.exists()
    }

    fn unseal(&self, sealed: &Sealed) -> Result<BTreeMap<String, String>, SecretError> {
        let damaged = |what: &str| SecretError::Damaged(format!("{}: {what}", self.path.display()));
        let nonce = BASE64.decode(&sealed.nonce).map_err(|_| damaged("bad nonce"))?;
        if nonce.len() != 24 {
            return Err(damaged("bad nonce"));
        }
        let ciphertext = BASE64.decode(&sealed.ciphertext).map_err(|_| damaged("bad ciphertext"))?;
        let cipher = XChaCha20Poly1305::new(self.key.as_ref().into());
        let payload = Payload { msg: &ciphertext, aad: &header(&sealed.format, &sealed.kdf) };
        let plain = Zeroizing::new(
            cipher.decrypt(XNonce::from_slice(&nonce), payload).map_err(|_| SecretError::WrongPassphrase)?,
        );
        serde_json::from_slice(&plain).map_err(|_| damaged("unreadable contents"))
    }

    fn read(&self) -> Result<BTreeMap<String, String>, SecretError> {
        match read_sealed(&self.path)? {
            None => Ok(BTreeMap::new()),
            Some(sealed) if sealed.kdf != self.kdf => Err(SecretError::Damaged(format!(
                "{} was replaced by another passphrase's file; open it again",
                self.path.display()
            ))),
            Some(sealed) => self.unseal(&sealed),
        }
    }

    /// Reads, changes and writes the secrets under the file's lock.
    fn change(&self, edit: impl FnOnce(&mut BTreeMap<String, String>)) -> Result<(), SecretError> {
        let _lock = lock(&self.path)?;
        let mut secrets = self.read()?;
        edit(&mut secrets);
        let written = self.write(&secrets);
        for value in secrets.values_mut() {
            value.zeroize();
        }
        written
    }

    /// Seals the secrets under a fresh nonce, the header bound in as associated data, and
    /// renames the new file over the old so a crash leaves one or the other whole. The caller
    /// holds the lock.
    fn write(&self, secrets: &BTreeMap<String, String>) -> Result<(), SecretError> {
        let failed = |e: std::io::Error| SecretError::File(format!("{}: {e}", self.path.display()));
        let plain = Zeroizing::new(serde_json::to_vec(secrets).expect("a map of strings serialises"));
        let mut nonce = [0u8; 24];
        rand::thread_rng().fill_bytes(&mut nonce);
        let cipher = XChaCha20Poly1305::new(self.key.as_ref().into());
        let payload = Payload { msg: plain.as_ref(), aad: &header(FORMAT, &self.kdf) };
        let ciphertext = cipher
            .encrypt(XNonce::from_slice(&nonce), payload)
            .map_err(|_| SecretError::File("could not encrypt the secrets".into()))?;
        let sealed = Sealed {
            format: FORMAT.into(),
            kdf: self.kdf.clone(),
            nonce: BASE64.encode(nonce),
            ciphertext: BASE64.encode(ciphertext),
        };
        let json = serde_json::to_vec_pretty(&sealed).expect("the sealed file serialises");
        let temporary = self.path.with_extension("tmp");
        let mut file = private_file(&temporary).map_err(failed)?;
        file.write_all(&json).and_then(|()| file.sync_all()).map_err(failed)?;
        std::fs::rename(&temporary, &self.path).map_err(failed)?;
        Ok(())
    }
}

/// What the ciphertext is bound to: a changed format or key setting fails to decrypt.
fn header(format: &str, kdf: &Kdf) -> Vec<u8> {
    format!("{format}|{}|{}|{}|{}|{}", kdf.algorithm, kdf.memory_kib, kdf.passes, kdf.lanes, kdf.salt).into_bytes()
}

/// The secrets file's lock, held while it is read and rewritten (released when dropped).
fn lock(path: &Path) -> Result<File, SecretError> {
    let failed = |e: std::io::Error| SecretError::File(format!("{}: {e}", path.display()));
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(failed)?;
    }
    let file = private_file_keeping(&path.with_extension("lock")).map_err(failed)?;
    file.lock().map_err(failed)?;
    Ok(file)
}

impl SecretStore for EncryptedFile {
    fn kind(&self) -> StoreKind {
        StoreKind::EncryptedFile
    }

    fn get(&self, name: &str) -> Result<Option<Secret>, SecretError> {
        let mut secrets = self.read()?;
        let found = secrets.remove(name).map(Secret::new);
        for value in secrets.values_mut() {
            value.zeroize();
        }
        Ok(found)
    }

    fn set(&self, name: &str, secret: &Secret) -> Result<(), SecretError> {
        self.change(|secrets| {
            secrets.insert(name.to_owned(), secret.expose().to_owned());
        })
    }

    fn delete(&self, name: &str) -> Result<(), SecretError> {
        self.change(|secrets| {
            secrets.remove(name);
        })
    }

    fn names_kept(&self) -> Result<Option<Vec<String>>, SecretError> {
        let mut secrets = self.read()?;
        let names = secrets.keys().cloned().collect();
        for value in secrets.values_mut() {
            value.zeroize();
        }
        Ok(Some(names))
    }
}

fn read_sealed(path: &Path) -> Result<Option<Sealed>, SecretError> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(SecretError::File(format!("{}: {e}", path.display()))),
    };
    let sealed: Sealed = serde_json::from_slice(&bytes)
        .map_err(|e| SecretError::Damaged(format!("{}: not a Facets secrets file ({e})", path.display())))?;
    if sealed.format != FORMAT || sealed.kdf.algorithm != "argon2id" {
        return Err(SecretError::Damaged(format!("{}: written by an unknown version of Facets", path.display())));
    }
    Ok(Some(sealed))
}

fn derive_key(kdf: &Kdf, passphrase: &str) -> Result<Zeroizing<[u8; 32]>, SecretError> {
    let damaged = |what: String| SecretError::Damaged(format!("the secrets file's key settings: {what}"));
    let salt = BASE64.decode(&kdf.salt).map_err(|e| damaged(e.to_string()))?;
    let in_range = (MEMORY_KIB..=MAX_MEMORY_KIB).contains(&kdf.memory_kib)
        && (PASSES..=MAX_PASSES).contains(&kdf.passes)
        && (LANES..=MAX_LANES).contains(&kdf.lanes);
    if !in_range || salt.len() < 16 {
        return Err(damaged("costs or salt out of range".into()));
    }
    let params =
        argon2::Params::new(kdf.memory_kib, kdf.passes, kdf.lanes, Some(32)).map_err(|e| damaged(e.to_string()))?;
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut key = Zeroizing::new([0u8; 32]);
    argon.hash_password_into(passphrase.as_bytes(), &salt, key.as_mut()).map_err(|e| damaged(e.to_string()))?;
    Ok(key)
}

/// A new file only its owner can read.
fn private_file(path: &Path) -> std::io::Result<File> {
    private_file_with(path, true)
}

/// The lock file: created if missing, never emptied.
fn private_file_keeping(path: &Path) -> std::io::Result<File> {
    private_file_with(path, false)
}

fn private_file_with(path: &Path, truncate: bool) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(truncate);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_survive_reopening_with_the_passphrase_and_nothing_is_readable_in_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secrets.enc");
        let store = EncryptedFile::open(&path, "correct horse").unwrap();
        assert_eq!(store.kind(), StoreKind::EncryptedFile);
        store.set("sign-in:1/access-token", &Secret::new("token-value-1234567890")).unwrap();
        store.set("sign-in:1/client-secret", &Secret::new("client-secret-abcdef")).unwrap();
        store.delete("sign-in:1/client-secret").unwrap();
        store.delete("never-there").unwrap();

        let bytes = std::fs::read(&path).unwrap();
        for plain in [&b"token-value-1234567890"[..], b"client-secret-abcdef", b"sign-in:1"] {
            assert!(!bytes.windows(plain.len()).any(|w| w == plain), "{:?} is in the file", plain);
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }

        let reopened = EncryptedFile::open(&path, "correct horse").unwrap();
        assert_eq!(reopened.get("sign-in:1/access-token").unwrap().unwrap().expose(), "token-value-1234567890");
        assert_eq!(reopened.get("sign-in:1/client-secret").unwrap(), None);
        // A second process writing the same file: each sees the other's secrets.
        reopened.set("sign-in:2/access-token", &Secret::new("second")).unwrap();
        assert_eq!(store.get("sign-in:2/access-token").unwrap().unwrap().expose(), "second");
    }

    #[test]
    fn a_wrong_passphrase_or_a_changed_byte_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secrets.enc");
        EncryptedFile::open(&path, "right").unwrap().set("a", &Secret::new("b")).unwrap();
        assert!(matches!(EncryptedFile::open(&path, "wrong"), Err(SecretError::WrongPassphrase)));
        assert!(matches!(EncryptedFile::open(&path, ""), Err(SecretError::WrongPassphrase)));

        let mut sealed: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        let mut ciphertext = BASE64.decode(sealed["ciphertext"].as_str().unwrap()).unwrap();
        ciphertext[0] ^= 1;
        sealed["ciphertext"] = BASE64.encode(ciphertext).into();
        std::fs::write(&path, serde_json::to_vec(&sealed).unwrap()).unwrap();
        assert!(EncryptedFile::open(&path, "right").is_err(), "a tampered file is not read");

        let mut weakened: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        weakened["ciphertext"] = sealed["ciphertext"].clone();
        weakened["kdf"]["memory_kib"] = 8.into();
        std::fs::write(&path, serde_json::to_vec(&weakened).unwrap()).unwrap();
        assert!(matches!(EncryptedFile::open(&path, "right"), Err(SecretError::Damaged(_))), "cheap key settings");

        std::fs::write(&path, b"plain text").unwrap();
        assert!(matches!(EncryptedFile::open(&path, "right"), Err(SecretError::Damaged(_))));
    }
}
