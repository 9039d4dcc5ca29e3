//! Local accounts: passwords hashed with argon2id, one-time passwords for new and reset
//! accounts, and the rules both the CLI and the server apply when users change.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use cairn_core::Role;
use cairn_store::{
    Credentials, NewUser, Store, StoreError, User, UserChange, UserUpdate, Username,
};

/// The shortest password accepted (NIST SP 800-63B asks at least 8; we ask more).
pub const MIN_PASSWORD: usize = 12;

/// Why an account change was refused.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("{0}")]
    WeakPassword(String),
    #[error("{0}")]
    SelfLockout(&'static str),
    #[error("no randomness available: {0}")]
    Random(String),
    #[error("cannot hash the password: {0}")]
    Hash(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl AccountError {
    pub fn is_input_fault(&self) -> bool {
        match self {
            Self::WeakPassword(_) | Self::SelfLockout(_) => true,
            Self::Store(e) => e.is_input_fault(),
            Self::Random(_) | Self::Hash(_) => false,
        }
    }
}

/// Fills a buffer from the operating system's random source.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], AccountError> {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).map_err(|e| AccountError::Random(e.to_string()))?;
    Ok(b)
}

/// Hashes a password with argon2id (the crate's defaults: 19 MiB, 2 passes) and a random salt.
pub fn hash_password(password: &str) -> Result<String, AccountError> {
    let salt = SaltString::encode_b64(&random_bytes::<16>()?)
        .map_err(|e| AccountError::Hash(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AccountError::Hash(e.to_string()))
}

/// Whether the password matches the stored hash. A malformed hash never matches.
pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// A hash of a random password no one knows, verified against for unknown users so that a
/// sign-in takes as long whether the user exists or not.
pub fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        let secret = one_time_password().unwrap_or_default();
        hash_password(&secret).unwrap_or_default()
    })
}

/// Why a new password is refused, if it is.
pub fn password_problem(username: &str, password: &str) -> Option<String> {
    if password.chars().count() < MIN_PASSWORD {
        return Some(format!(
            "a password needs at least {MIN_PASSWORD} characters"
        ));
    }
    if password.len() > 1024 {
        return Some("a password is at most 1024 bytes".into());
    }
    if password.eq_ignore_ascii_case(username) {
        return Some("a password cannot be the user name".into());
    }
    None
}

/// A one-time password: 20 characters from an alphabet without look-alikes (~98 bits).
pub fn one_time_password() -> Result<String, AccountError> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let bytes = random_bytes::<20>()?;
    let mut out = String::new();
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 && i % 5 == 0 {
            out.push('-');
        }
        // 256 is not a multiple of 31: reject the top to keep the choice uniform.
        let mut v = *b;
        while usize::from(v) >= 248 {
            v = random_bytes::<1>()?[0];
        }
        out.push(char::from(ALPHABET[usize::from(v) % ALPHABET.len()]));
    }
    Ok(out)
}

/// The password a user gets: the one given (checked), or a one-time password they must change
/// at first sign-in (returned so it can be shown once).
fn password_for(
    username: &Username,
    given: Option<String>,
) -> Result<(String, bool, Option<String>), AccountError> {
    match given {
        Some(p) => {
            if let Some(problem) = password_problem(username.as_str(), &p) {
                return Err(AccountError::WeakPassword(problem));
            }
            Ok((hash_password(&p)?, false, None))
        }
        None => {
            let otp = one_time_password()?;
            Ok((hash_password(&otp)?, true, Some(otp)))
        }
    }
}

/// Adds a user. Without a password, returns the one-time password to hand over.
pub fn add_user(
    store: &dyn Store,
    username: Username,
    role: Role,
    password: Option<String>,
    actor: String,
) -> Result<(User, Option<String>), AccountError> {
    let (password_hash, must_change_password, otp) = password_for(&username, password)?;
    let user = store.add_user(NewUser {
        username,
        role,
        password_hash,
        must_change_password,
        actor,
    })?;
    Ok((user, otp))
}

/// Sets a new password for a user: the one given, or a one-time password (returned).
pub fn reset_password(
    store: &dyn Store,
    username: Username,
    base_version: Option<u32>,
    password: Option<String>,
    actor: String,
) -> Result<(User, Option<String>), AccountError> {
    let (hash, must_change, otp) = password_for(&username, password)?;
    let user = store.change_user(UserChange {
        username,
        base_version,
        update: UserUpdate::Password { hash, must_change },
        actor,
    })?;
    Ok((user, otp))
}

/// A user's own password change, which needs their current password.
pub fn change_own_password(
    store: &dyn Store,
    username: &Username,
    current: &str,
    new: &str,
) -> Result<Option<User>, AccountError> {
    let Some(c) = store.credentials(username)? else {
        return Ok(None);
    };
    if !verify_password(&c.password_hash, current) {
        return Ok(None);
    }
    if let Some(problem) = password_problem(username.as_str(), new) {
        return Err(AccountError::WeakPassword(problem));
    }
    if verify_password(&c.password_hash, new) {
        return Err(AccountError::WeakPassword(
            "the new password must differ from the current one".into(),
        ));
    }
    let user = store.change_user(UserChange {
        username: username.clone(),
        base_version: None,
        update: UserUpdate::Password {
            hash: hash_password(new)?,
            must_change: false,
        },
        actor: username.to_string(),
    })?;
    Ok(Some(user))
}

/// The user whose name and password these are, when they match an enabled account.
pub fn authenticate(
    store: &dyn Store,
    username: &str,
    password: &str,
) -> Result<Option<User>, StoreError> {
    let found: Option<Credentials> = match Username::parse(username) {
        Ok(u) => store.credentials(&u)?,
        Err(_) => None,
    };
    match found {
        Some(c) if verify_password(&c.password_hash, password) && !c.user.disabled => {
            Ok(Some(c.user))
        }
        Some(_) => Ok(None),
        None => {
            // Same work as for a real account, so timing does not tell which names exist.
            verify_password(dummy_hash(), password);
            Ok(None)
        }
    }
}

/// Refuses a change an administrator makes to their own account that would lock them out.
pub fn check_not_self(
    actor: &str,
    target: &Username,
    update: &UserUpdate,
) -> Result<(), AccountError> {
    if actor != target.as_str() {
        return Ok(());
    }
    match update {
        UserUpdate::Disabled(true) => Err(AccountError::SelfLockout(
            "you cannot disable your own account",
        )),
        UserUpdate::Role(r) if *r != Role::Admin => Err(AccountError::SelfLockout(
            "you cannot take the admin role from yourself",
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let h = hash_password("correct horse battery").unwrap_or_default();
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(verify_password(&h, "correct horse battery"));
        assert!(!verify_password(&h, "correct horse batterY"));
        assert!(!verify_password("not a hash", "x"));
        assert!(dummy_hash().starts_with("$argon2id$"));
    }

    #[test]
    fn one_time_passwords_are_long_and_acceptable() {
        let p = one_time_password().unwrap_or_default();
        assert_eq!(p.len(), 23, "{p}");
        assert_ne!(p, one_time_password().unwrap_or_default());
        assert!(password_problem("ana", &p).is_none());
        assert!(password_problem("ana", "short").is_some());
        assert!(password_problem("administrator1", "Administrator1").is_some());
    }
}
