//! Choosing where sign-ins are kept on a computer without a keychain: secrets move with the
//! choice, the choice is remembered, and a sealed file is opened only by its passphrase.

use facets_app::profiles::Profiles;
use facets_app::sign_ins::{change_secret_store, secret_storage, MemoryOnly, SecretStore, SecretsChoice};
use facets_app::ErrorKind;
use facets_secrets::Secret;

fn kept(store: &dyn SecretStore) -> Vec<(String, String)> {
    let mut names = store.names_kept().unwrap().expect("this store lists its names");
    names.sort();
    names.into_iter().map(|n| (n.clone(), store.get(&n).unwrap().unwrap().expose().to_owned())).collect()
}

#[test]
fn sign_ins_move_between_memory_and_a_sealed_file_and_the_choice_is_remembered() {
    if std::env::var_os("FACETS_SECRETS").is_some() {
        panic!("FACETS_SECRETS is set in this environment; it decides instead of the settings");
    }
    let root = tempfile::tempdir().unwrap();
    let mut profiles = Profiles::open(root.path()).unwrap();
    let memory = MemoryOnly::new();
    memory.set("signin-1.access-token", &Secret::new("token-one".to_owned())).unwrap();
    memory.set("signin-1.client-secret", &Secret::new("secret-one".to_owned())).unwrap();
    let before = kept(&memory);

    let short = change_secret_store(&mut profiles, &memory, SecretsChoice::EncryptedFile, Some("short"))
        .map(|_| ())
        .unwrap_err();
    assert_eq!(short.kind(), ErrorKind::Invalid);
    assert!(short.human_message().contains("at least 8"), "{}", short.human_message());
    assert!(!root.path().join("secrets.enc").exists(), "nothing made from a refused passphrase");
    assert_eq!(profiles.secrets_choice(), SecretsChoice::Keychain, "nor the choice kept");

    let sealed =
        change_secret_store(&mut profiles, &memory, SecretsChoice::EncryptedFile, Some("tide tables at six")).unwrap();
    assert_eq!(kept(&*sealed), before, "every sign-in went into the file");
    assert!(memory.names().is_empty(), "and none is left in memory");
    let on_disk = std::fs::read(root.path().join("secrets.enc")).unwrap();
    assert!(!on_disk.windows(9).any(|w| w == b"token-one"), "sealed, not written out");
    assert_eq!(Profiles::open(root.path()).unwrap().secrets_choice(), SecretsChoice::EncryptedFile, "remembered");

    let open = secret_storage(&profiles, &*sealed);
    assert_eq!((open.kept_in, open.locked, open.file_exists), ("encryptedFile", false, true));
    // The next run, before the passphrase is given, keeps new sign-ins in memory: locked.
    let waiting = MemoryOnly::new();
    let locked = secret_storage(&profiles, &waiting);
    assert_eq!((locked.choice, locked.kept_in, locked.locked), (SecretsChoice::EncryptedFile, "memoryOnly", true));

    // Unlocking: a wrong passphrase opens nothing; the right one brings what was made meanwhile.
    waiting.set("signin-2.access-token", &Secret::new("token-two".to_owned())).unwrap();
    let wrong = change_secret_store(&mut profiles, &waiting, SecretsChoice::EncryptedFile, Some("low tide at five"))
        .map(|_| ())
        .unwrap_err();
    assert_eq!(wrong.human_message(), "That passphrase does not open Facets' secrets. Try again.");
    let unlocked =
        change_secret_store(&mut profiles, &waiting, SecretsChoice::EncryptedFile, Some("tide tables at six")).unwrap();
    let all = kept(&*unlocked);
    let names: Vec<&str> = all.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["signin-1.access-token", "signin-1.client-secret", "signin-2.access-token"]);
    assert!(waiting.names().is_empty());
    let again =
        change_secret_store(&mut profiles, &*unlocked, SecretsChoice::EncryptedFile, Some("tide tables at six"))
            .map(|_| ())
            .unwrap_err();
    assert!(again.human_message().contains("already"), "{}", again.human_message());

    // And back to memory only: everything comes along, nothing stays in the file, and the
    // choice changes.
    let memory_again = change_secret_store(&mut profiles, &*unlocked, SecretsChoice::MemoryOnly, None).unwrap();
    assert_eq!(kept(&*memory_again), all);
    assert!(kept(&*unlocked).is_empty(), "the sealed file keeps nothing the user moved out");
    assert_eq!(profiles.secrets_choice(), SecretsChoice::MemoryOnly);
}
