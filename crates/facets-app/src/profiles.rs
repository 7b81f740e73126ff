//! Where each identity's data lives, and which one is in use.
//!
//! The data directory (`FACETS_DATA_DIR`, else the platform's app-data folder) holds one folder
//! per identity, each a complete cache of its own (SQLite, media, drafts), so the demo's world
//! and a real account's never share a table or a file:
//!
//! ```text
//! <root>/profiles.json        which identities exist and which one is in use
//! <root>/demo/                the demo's cache and its servers' state
//! <root>/identities/<id>/     one identity's cache: its Feed and Visual accounts
//! ```
//!
//! The app and the command line read the same file, so an account added by `facets login` is
//! the one the app opens next.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::sign_ins::SecretsChoice;
use crate::{now, AppError, Mode};

const PROFILES_FILE: &str = "profiles.json";
const DEMO_DIR: &str = "demo";
const IDENTITIES_DIR: &str = "identities";

/// One of the identities: the demo, or one the user added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "camelCase")]
pub enum Profile {
    Demo,
    Identity(String),
}

impl Profile {
    pub fn mode(&self) -> Mode {
        match self {
            Profile::Demo => Mode::Demo,
            Profile::Identity(_) => Mode::Accounts,
        }
    }
}

/// An identity the user added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IdentityEntry {
    pub id: String,
    /// The handles of its accounts, as last linked (`alice@mastodon.social`), for choosing
    /// between identities without opening their caches.
    #[serde(default)]
    pub handles: Vec<String>,
    pub created_at: i64,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ProfilesFile {
    /// The identity in use; `None` is the demo.
    #[serde(default)]
    active: Option<String>,
    #[serde(default)]
    identities: Vec<IdentityEntry>,
    /// Where the user chose to keep secrets; `None` is the keychain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    secrets: Option<SecretsChoice>,
}

pub struct Profiles {
    root: PathBuf,
    file: ProfilesFile,
}

impl Profiles {
    /// Reads the identities of a data directory. A data directory from before identities
    /// had their own folders held the demo's cache at its top: that moves into `demo/`.
    pub fn open(root: &Path) -> Result<Profiles, AppError> {
        std::fs::create_dir_all(root).map_err(|e| io("create the data directory", e))?;
        let path = root.join(PROFILES_FILE);
        let file = match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
                AppError::internal(format!("{} is damaged ({e}); move it aside to start afresh", path.display()))
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                move_old_demo_cache(root)?;
                ProfilesFile::default()
            }
            Err(e) => return Err(io("read the list of identities", e)),
        };
        Ok(Profiles { root: root.to_owned(), file })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn active(&self) -> Profile {
        match &self.file.active {
            Some(id) if self.file.identities.iter().any(|i| &i.id == id) => Profile::Identity(id.clone()),
            _ => Profile::Demo,
        }
    }

    pub fn identities(&self) -> &[IdentityEntry] {
        &self.file.identities
    }

    /// The folder of a profile's cache.
    pub fn dir(&self, profile: &Profile) -> PathBuf {
        match profile {
            Profile::Demo => self.root.join(DEMO_DIR),
            Profile::Identity(id) => self.root.join(IDENTITIES_DIR).join(id),
        }
    }

    /// A new, empty identity (not yet in use).
    pub fn add_identity(&mut self) -> Result<Profile, AppError> {
        let id = uuid::Uuid::new_v4().simple().to_string();
        let profile = Profile::Identity(id.clone());
        std::fs::create_dir_all(self.dir(&profile)).map_err(|e| io("create the identity's folder", e))?;
        self.file.identities.push(IdentityEntry { id, handles: Vec::new(), created_at: now() });
        self.save()?;
        Ok(profile)
    }

    /// The profile an identity is known by: its id, or the start of it, or one of its handles.
    pub fn find(&self, name: &str) -> Result<Profile, AppError> {
        let name = name.trim().trim_start_matches('@');
        if name == "demo" {
            return Ok(Profile::Demo);
        }
        let matches: Vec<&IdentityEntry> = self
            .file
            .identities
            .iter()
            .filter(|i| {
                i.id == name || (name.len() >= 4 && i.id.starts_with(name)) || i.handles.iter().any(|h| h == name)
            })
            .collect();
        match matches[..] {
            [one] => Ok(Profile::Identity(one.id.clone())),
            [] => Err(AppError::Invalid(format!("No identity is called “{name}”."))),
            _ => Err(AppError::Invalid(format!("More than one identity answers to “{name}”; give more of its id."))),
        }
    }

    pub fn set_active(&mut self, profile: &Profile) -> Result<(), AppError> {
        self.file.active = match profile {
            Profile::Demo => None,
            Profile::Identity(id) => {
                if !self.file.identities.iter().any(|i| &i.id == id) {
                    return Err(AppError::NotFound);
                }
                Some(id.clone())
            }
        };
        self.save()
    }

    /// Where secrets are kept: `FACETS_SECRETS` if set, else the user's choice, else the
    /// keychain.
    pub fn secrets_choice(&self) -> SecretsChoice {
        SecretsChoice::from_env().or(self.file.secrets).unwrap_or(SecretsChoice::Keychain)
    }

    pub fn set_secrets_choice(&mut self, choice: SecretsChoice) -> Result<(), AppError> {
        self.file.secrets = Some(choice);
        self.save()
    }

    /// Notes the handles an identity's accounts go by.
    pub fn set_handles(&mut self, profile: &Profile, handles: Vec<String>) -> Result<(), AppError> {
        if let Profile::Identity(id) = profile {
            if let Some(entry) = self.file.identities.iter_mut().find(|i| &i.id == id) {
                entry.handles = handles;
                return self.save();
            }
        }
        Ok(())
    }

    /// Removes an identity and its whole cache from this computer. The caller revokes its
    /// sign-ins first; the demo is part of Facets and is never removed.
    pub fn remove_identity(&mut self, profile: &Profile) -> Result<(), AppError> {
        let Profile::Identity(id) = profile else {
            return Err(AppError::Invalid("The demo is part of Facets and cannot be removed.".into()));
        };
        let before = self.file.identities.len();
        self.file.identities.retain(|i| &i.id != id);
        if self.file.identities.len() == before {
            return Err(AppError::NotFound);
        }
        if self.file.active.as_ref() == Some(id) {
            self.file.active = None;
        }
        self.save()?;
        match std::fs::remove_dir_all(self.dir(profile)) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(io("remove the identity's cache", e)),
        }
    }

    /// Written whole to a temporary file, then renamed over the old one: a crash leaves the old
    /// list or the new, never half of one.
    fn save(&self) -> Result<(), AppError> {
        let json = serde_json::to_vec_pretty(&self.file).map_err(|e| AppError::internal(e.to_string()))?;
        let path = self.root.join(PROFILES_FILE);
        let temporary = self.root.join(format!("{PROFILES_FILE}.{}.tmp", std::process::id()));
        let write = || -> std::io::Result<()> {
            use std::io::Write;
            let mut file = std::fs::File::create(&temporary)?;
            file.write_all(&json)?;
            file.sync_all()?;
            std::fs::rename(&temporary, &path)
        };
        write().map_err(|e| io("save the list of identities", e))
    }
}

/// Moves a demo cache kept at the top of the data directory (before identities) into `demo/`.
fn move_old_demo_cache(root: &Path) -> Result<(), AppError> {
    if !root.join("cache.sqlite").exists() || root.join(DEMO_DIR).exists() {
        return Ok(());
    }
    let demo = root.join(DEMO_DIR);
    std::fs::create_dir_all(&demo).map_err(|e| io("create the demo's folder", e))?;
    let entries = std::fs::read_dir(root).map_err(|e| io("read the data directory", e))?;
    for entry in entries {
        let entry = entry.map_err(|e| io("read the data directory", e))?;
        let name = entry.file_name();
        if name == DEMO_DIR || name == IDENTITIES_DIR || name == PROFILES_FILE {
            continue;
        }
        std::fs::rename(entry.path(), demo.join(&name)).map_err(|e| io("move the demo's cache", e))?;
    }
    tracing::info!(to = %demo.display(), "moved the demo's cache into its own folder");
    Ok(())
}

fn io(doing: &str, error: std::io::Error) -> AppError {
    AppError::internal(format!("could not {doing}: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identities_are_added_chosen_found_and_removed_with_their_cache() {
        let root = tempfile::tempdir().unwrap();
        let mut profiles = Profiles::open(root.path()).unwrap();
        assert_eq!(profiles.active(), Profile::Demo, "a new data directory starts in the demo");
        let added = profiles.add_identity().unwrap();
        assert_eq!(profiles.active(), Profile::Demo, "adding is not switching");
        profiles.set_active(&added).unwrap();
        profiles.set_handles(&added, vec!["alice@example.org".into()]).unwrap();
        std::fs::write(profiles.dir(&added).join("cache.sqlite"), b"x").unwrap();

        let reread = Profiles::open(root.path()).unwrap();
        assert_eq!(reread.active(), added, "the choice is kept for the next start (and the CLI)");
        assert_eq!(reread.find("alice@example.org").unwrap(), added);
        assert_eq!(reread.find("@alice@example.org").unwrap(), added);
        let Profile::Identity(id) = &added else { unreachable!() };
        assert_eq!(reread.find(&id[..6]).unwrap(), added);
        assert!(reread.find("bob@example.org").is_err());
        assert_ne!(reread.dir(&added), reread.dir(&Profile::Demo));

        let mut profiles = reread;
        assert!(profiles.remove_identity(&Profile::Demo).is_err());
        profiles.remove_identity(&added).unwrap();
        assert_eq!(profiles.active(), Profile::Demo, "removing the identity in use goes back to the demo");
        assert!(!profiles.dir(&added).exists(), "its cache is gone");
        assert!(profiles.identities().is_empty());
    }

    #[test]
    fn a_demo_cache_from_before_identities_moves_into_the_demo_folder() {
        let root = tempfile::tempdir().unwrap();
        std::fs::write(root.path().join("cache.sqlite"), b"old demo").unwrap();
        std::fs::create_dir(root.path().join("media")).unwrap();
        let profiles = Profiles::open(root.path()).unwrap();
        let demo = profiles.dir(&Profile::Demo);
        assert_eq!(std::fs::read(demo.join("cache.sqlite")).unwrap(), b"old demo");
        assert!(demo.join("media").is_dir());
        assert!(!root.path().join("cache.sqlite").exists());
    }

    #[test]
    fn a_damaged_list_is_reported_not_replaced() {
        let root = tempfile::tempdir().unwrap();
        std::fs::write(root.path().join(PROFILES_FILE), b"{not json").unwrap();
        let error = Profiles::open(root.path()).err().unwrap();
        assert!(error.to_string().contains("damaged"), "{error}");
        assert_eq!(std::fs::read(root.path().join(PROFILES_FILE)).unwrap(), b"{not json");
    }
}
