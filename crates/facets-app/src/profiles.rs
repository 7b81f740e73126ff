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
const PROFILES_LOCK: &str = "profiles.lock";
/// What a data directory from before identities held of the demo's (see `move_old_demo_cache`).
const OLD_DEMO_ENTRIES: [&str; 7] =
    ["cache.sqlite", "cache.sqlite-wal", "cache.sqlite-shm", "media", "drafts", "demo-server", "outbox.lock"];
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
    /// Where the user chose to keep sign-ins; unset is the keychain.
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
        let file = match read_file(root)? {
            Some(file) => file,
            None => {
                move_old_demo_cache(root)?;
                ProfilesFile::default()
            }
        };
        Ok(Profiles { root: root.to_owned(), file })
    }

    /// Changes the list as it is on disk now (the app and the command line may both have
    /// changed it since this one was read), under a lock, and keeps the result.
    fn update<T>(&mut self, edit: impl FnOnce(&mut ProfilesFile) -> Result<T, AppError>) -> Result<T, AppError> {
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(self.root.join(PROFILES_LOCK))
            .map_err(|e| io("lock the list of identities", e))?;
        lock.lock().map_err(|e| io("lock the list of identities", e))?;
        let mut file = read_file(&self.root)?.unwrap_or_default();
        let answer = edit(&mut file)?;
        save(&self.root, &file)?;
        self.file = file;
        Ok(answer)
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
        self.update(|file| {
            file.identities.push(IdentityEntry { id, handles: Vec::new(), created_at: now() });
            Ok(())
        })?;
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
            [] => Err(AppError::Invalid(format!("No identity is called “{name}”. `facets accounts` lists them."))),
            _ => Err(AppError::Invalid(format!("More than one identity answers to “{name}”; give more of its id."))),
        }
    }

    pub fn set_active(&mut self, profile: &Profile) -> Result<(), AppError> {
        self.update(|file| {
            file.active = match profile {
                Profile::Demo => None,
                Profile::Identity(id) => {
                    if !file.identities.iter().any(|i| &i.id == id) {
                        return Err(AppError::NotFound);
                    }
                    Some(id.clone())
                }
            };
            Ok(())
        })
    }

    /// Where secrets are kept: `FACETS_SECRETS` if set, else the user's choice, else the
    /// keychain.
    pub fn secrets_choice(&self) -> SecretsChoice {
        SecretsChoice::from_env().or(self.file.secrets).unwrap_or(SecretsChoice::Keychain)
    }

    /// Remembers where the user chose to keep sign-ins.
    pub fn set_secrets_choice(&mut self, choice: SecretsChoice) -> Result<(), AppError> {
        self.update(|file| {
            file.secrets = Some(choice);
            Ok(())
        })
    }

    /// Notes the handles an identity's accounts go by.
    pub fn set_handles(&mut self, profile: &Profile, handles: Vec<String>) -> Result<(), AppError> {
        let Profile::Identity(id) = profile else { return Ok(()) };
        self.update(|file| {
            if let Some(entry) = file.identities.iter_mut().find(|i| &i.id == id) {
                entry.handles = handles;
            }
            Ok(())
        })
    }

    /// Removes an identity and its whole cache from this computer. The caller revokes its
    /// sign-ins first; the demo is part of Facets and is never removed.
    pub fn remove_identity(&mut self, profile: &Profile) -> Result<(), AppError> {
        let Profile::Identity(id) = profile else {
            return Err(AppError::Invalid("The demo is part of Facets and cannot be removed.".into()));
        };
        self.update(|file| {
            let before = file.identities.len();
            file.identities.retain(|i| &i.id != id);
            if file.identities.len() == before {
                return Err(AppError::NotFound);
            }
            if file.active.as_ref() == Some(id) {
                file.active = None;
            }
            Ok(())
        })?;
        match std::fs::remove_dir_all(self.dir(profile)) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(io("remove the identity's cache", e)),
        }
    }
}

fn read_file(root: &Path) -> Result<Option<ProfilesFile>, AppError> {
    let path = root.join(PROFILES_FILE);
    match std::fs::read(&path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map(Some).map_err(|e| {
            AppError::internal(format!("{} is damaged ({e}); move it aside to start afresh", path.display()))
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io("read the list of identities", e)),
    }
}

/// Written whole to a temporary file, then renamed over the old one: a crash leaves the old
/// list or the new, never half of one.
fn save(root: &Path, file: &ProfilesFile) -> Result<(), AppError> {
    let json = serde_json::to_vec_pretty(file).map_err(|e| AppError::internal(e.to_string()))?;
    let temporary = root.join(format!("{PROFILES_FILE}.{}.tmp", std::process::id()));
    let write = || -> std::io::Result<()> {
        use std::io::Write;
        let mut written = std::fs::File::create(&temporary)?;
        written.write_all(&json)?;
        written.sync_all()?;
        std::fs::rename(&temporary, root.join(PROFILES_FILE))
    };
    write().map_err(|e| io("save the list of identities", e))
}

/// Moves a demo cache kept at the top of the data directory (before identities) into `demo/`.
fn move_old_demo_cache(root: &Path) -> Result<(), AppError> {
    // Checked at every start until the list exists, so a move cut short is finished next time.
    if !root.join("cache.sqlite").exists() {
        return Ok(());
    }
    let demo = root.join(DEMO_DIR);
    std::fs::create_dir_all(&demo).map_err(|e| io("create the demo's folder", e))?;
    // Only what the demo's cache was made of: the folder may hold other things (the webview's).
    for name in OLD_DEMO_ENTRIES {
        let old = root.join(name);
        if old.exists() {
            std::fs::rename(&old, demo.join(name)).map_err(|e| io("move the demo's cache", e))?;
        }
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
        std::fs::create_dir(root.path().join("EBWebView")).unwrap();
        let profiles = Profiles::open(root.path()).unwrap();
        let demo = profiles.dir(&Profile::Demo);
        assert_eq!(std::fs::read(demo.join("cache.sqlite")).unwrap(), b"old demo");
        assert!(demo.join("media").is_dir());
        assert!(!root.path().join("cache.sqlite").exists());
        assert!(root.path().join("EBWebView").is_dir(), "what is not the demo's stays");
    }

    #[test]
    fn two_writers_of_the_list_keep_each_others_changes() {
        let root = tempfile::tempdir().unwrap();
        let mut app = Profiles::open(root.path()).unwrap();
        let mut command_line = Profiles::open(root.path()).unwrap();
        let first = app.add_identity().unwrap();
        let second = command_line.add_identity().unwrap();
        app.set_active(&second).expect("the other writer's identity is seen");
        let listed: Vec<Profile> =
            Profiles::open(root.path()).unwrap().identities().iter().map(|i| Profile::Identity(i.id.clone())).collect();
        assert_eq!(listed, [first, second]);
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
