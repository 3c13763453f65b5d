//! Signed sign-offs: SSH signatures in the `sshsig` format of
//! `ssh-keygen -Y sign` (the format git's SSH-signed commits use), made in
//! the namespace `candor` over the exact bytes of an approval file, and
//! checked against an OpenSSH allowed signers file.
//!
//! Verifying is done here, in-process, with the `ssh-key` crate. Signing
//! prefers `ssh-keygen` itself, as git does, so keys held by ssh-agent,
//! passphrase-protected keys and hardware keys work; without it, an
//! unencrypted key file is used directly.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use ssh_key::{HashAlg, LineEnding, PrivateKey, PublicKey, SshSig};

/// The namespace every candor signature is made in, so a signature made
/// for another purpose (a git commit, a file) never counts as a sign-off.
pub const NAMESPACE: &str = "candor";

/// One line of an allowed signers file: who may sign with which key.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The 1-based line it is on.
    pub line: u32,
    /// The principals' patterns, as written: `jane@example.com`,
    /// `*@example.com`, `!mallory@example.com`.
    pub principals: Vec<String>,
    /// The namespaces the key may sign in, when the line restricts them.
    pub namespaces: Option<Vec<String>>,
    /// The key.
    pub key: PublicKey,
}

impl Entry {
    /// Whether the line lets `principal` sign: OpenSSH's pattern list,
    /// where a negated pattern that matches refuses outright.
    pub fn allows(&self, principal: &str) -> bool {
        let mut allowed = false;
        for pattern in &self.principals {
            match pattern.strip_prefix('!') {
                Some(negated) if glob(negated, principal) => return false,
                Some(_) => {}
                None => allowed |= glob(pattern, principal),
            }
        }
        allowed
    }

    /// Whether the line lets its key sign in candor's namespace.
    fn signs_for_candor(&self) -> bool {
        self.namespaces
            .as_ref()
            .is_none_or(|names| names.iter().any(|n| glob(n, NAMESPACE)))
    }

    /// The principals the line names outright: no pattern, no negation.
    pub fn literal_principals(&self) -> impl Iterator<Item = &str> {
        self.principals
            .iter()
            .map(String::as_str)
            .filter(|p| !p.starts_with('!') && !p.contains(['*', '?']))
    }
}

/// An allowed signers file, as read.
#[derive(Debug, Clone, Default)]
pub struct AllowedSigners {
    /// Its lines with a key, in file order.
    pub entries: Vec<Entry>,
}

/// A line of an allowed signers file candor cannot use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadLine {
    /// The 1-based line.
    pub line: u32,
    /// What is wrong with it.
    pub message: String,
}

impl AllowedSigners {
    /// Reads the text of an allowed signers file: one `principals
    /// [options] key` per line; blank lines and `#` comments are skipped.
    /// Lines that cannot be used are returned, not skipped silently:
    /// candor refuses what it would otherwise read more loosely than
    /// `ssh-keygen -Y verify`.
    pub fn parse(text: &str) -> (AllowedSigners, Vec<BadLine>) {
        let mut signers = AllowedSigners::default();
        let mut bad = Vec::new();
        for (index, line) in text.lines().enumerate() {
            let number = u32::try_from(index + 1).unwrap_or(u32::MAX);
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            match parse_entry(line, number) {
                Ok(entry) => signers.entries.push(entry),
                Err(message) => bad.push(BadLine {
                    line: number,
                    message,
                }),
            }
        }
        (signers, bad)
    }

    /// The lines listing `key` that let it sign for candor.
    pub fn entries_for<'a>(&'a self, key: &'a PublicKey) -> impl Iterator<Item = &'a Entry> {
        self.entries
            .iter()
            .filter(move |e| e.key.key_data() == key.key_data() && e.signs_for_candor())
    }
}

/// One line, split OpenSSH's way: principals, then options unless the
/// next word is a key type, then the key and its comment.
fn parse_entry(line: &str, number: u32) -> Result<Entry, String> {
    let (principals, rest) = next_field(line);
    let principals = principals.trim_matches('"');
    if principals.is_empty() {
        return Err("the line names no principal".to_owned());
    }
    let rest = rest.trim_start();
    let mut namespaces = None;
    let key_text = if starts_with_key_type(rest) {
        rest
    } else {
        let (options, after) = next_field(rest);
        for option in split_outside_quotes(options, ',') {
            let (name, value) = option.split_once('=').unwrap_or((option, ""));
            match name.to_ascii_lowercase().as_str() {
                "namespaces" => {
                    namespaces = Some(
                        value
                            .trim_matches('"')
                            .split(',')
                            .map(str::to_owned)
                            .collect(),
                    );
                }
                other => {
                    return Err(format!(
                        "candor does not support the option `{other}` (only `namespaces`); \
                         list plain keys for candor"
                    ));
                }
            }
        }
        after.trim_start()
    };
    let key = PublicKey::from_openssh(key_text)
        .map_err(|error| format!("the key cannot be read ({error})"))?;
    Ok(Entry {
        line: number,
        principals: principals.split(',').map(str::to_owned).collect(),
        namespaces,
        key,
    })
}

fn starts_with_key_type(text: &str) -> bool {
    ["ssh-", "ecdsa-", "sk-", "rsa-"]
        .iter()
        .any(|prefix| text.starts_with(prefix))
}

/// The text up to the first whitespace outside double quotes, and the rest.
fn next_field(text: &str) -> (&str, &str) {
    let mut quoted = false;
    for (index, c) in text.char_indices() {
        match c {
            '"' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => return (&text[..index], &text[index..]),
            _ => {}
        }
    }
    (text, "")
}

fn split_outside_quotes(text: &str, separator: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut quoted = false;
    let mut start = 0;
    for (index, c) in text.char_indices() {
        if c == '"' {
            quoted = !quoted;
        } else if c == separator && !quoted {
            parts.push(&text[start..index]);
            start = index + c.len_utf8();
        }
    }
    parts.push(&text[start..]);
    parts
}

/// OpenSSH's wildcard match: `*` any run, `?` any one character.
fn glob(pattern: &str, text: &str) -> bool {
    let pattern: Vec<char> = pattern.chars().collect();
    let text: Vec<char> = text.chars().collect();
    // Iterative, with one backtrack point: linear in practice, never
    // exponential.
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && (pattern[p] == '?' || pattern[p] == text[t]) {
            p += 1;
            t += 1;
        } else if p < pattern.len() && pattern[p] == '*' {
            star = Some((p, t));
            p += 1;
        } else if let Some((star_p, star_t)) = star {
            p = star_p + 1;
            t = star_t + 1;
            star = Some((star_p, star_t + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|c| *c == '*')
}

/// A signature that checked out: made by `key` over the message, in
/// candor's namespace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The signing key's SHA-256 fingerprint, `SHA256:…`.
    pub fingerprint: String,
}

/// Why a signature does not count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The signature is malformed, made in another namespace, or does not
    /// match the bytes: the file or the signature was altered.
    Invalid(String),
    /// The key that made it is not in allowed signers for `principal`.
    UnknownSigner {
        /// The key's fingerprint.
        fingerprint: String,
        /// Whether the key is listed at all, for another principal.
        listed: bool,
    },
}

/// Checks `armored` (an `-----BEGIN SSH SIGNATURE-----` block) as a
/// signature over `message` by a key `signers` lists for `principal`.
pub fn verify(
    message: &[u8],
    armored: &str,
    principal: &str,
    signers: &AllowedSigners,
) -> Result<Verified, Failure> {
    let signature = SshSig::from_pem(armored.trim_start_matches('\u{feff}'))
        .map_err(|error| Failure::Invalid(format!("the signature cannot be read ({error})")))?;
    if signature.namespace() != NAMESPACE {
        return Err(Failure::Invalid(format!(
            "the signature was made for `{}`, not for candor (namespace `{NAMESPACE}`)",
            signature.namespace()
        )));
    }
    let key = PublicKey::from(signature.public_key().clone());
    let fingerprint = key.fingerprint(HashAlg::Sha256).to_string();
    key.verify(NAMESPACE, message, &signature).map_err(|_| {
        Failure::Invalid("the signature does not match the file's bytes".to_owned())
    })?;
    let mut listed = false;
    for entry in signers.entries_for(&key) {
        listed = true;
        if entry.allows(principal) {
            return Ok(Verified { fingerprint });
        }
    }
    Err(Failure::UnknownSigner {
        fingerprint,
        listed,
    })
}

/// Why signing failed, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignError(pub String);

/// The public half of the key at `path`: `path` itself when it is a public
/// key (its private half perhaps in ssh-agent or on a hardware key), else
/// `path.pub`, else the public half of the private key file.
pub fn public_key_of(path: &Path) -> Result<PublicKey, SignError> {
    let read = |file: &Path| std::fs::read_to_string(file).ok();
    let text = read(path).ok_or_else(|| SignError(format!("cannot read {}", path.display())))?;
    if let Ok(key) = PublicKey::from_openssh(text.trim()) {
        return Ok(key);
    }
    let beside = PathBuf::from(format!("{}.pub", path.display()));
    if let Some(key) = read(&beside).and_then(|t| PublicKey::from_openssh(t.trim()).ok()) {
        return Ok(key);
    }
    PrivateKey::from_openssh(text.trim())
        .map(|key| key.public_key().clone())
        .map_err(|_| SignError(format!("{} is not an OpenSSH key", path.display())))
}

/// Signs `message` with the key at `path` in candor's namespace, and
/// returns the armored signature: with `ssh-keygen -Y sign` when it is
/// installed, else in-process, which needs an unencrypted private key.
pub fn sign(path: &Path, message: &[u8]) -> Result<String, SignError> {
    match sign_with_ssh_keygen(path, message) {
        Some(result) => result,
        None => sign_in_process(path, message),
    }
}

/// `None` when `ssh-keygen` is not installed.
fn sign_with_ssh_keygen(path: &Path, message: &[u8]) -> Option<Result<String, SignError>> {
    let child = Command::new("ssh-keygen")
        .args(["-q", "-Y", "sign", "-n", NAMESPACE, "-f"])
        .arg(path)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return None,
        Err(error) => return Some(Err(SignError(format!("cannot run ssh-keygen: {error}")))),
    };
    let written = child.stdin.take().map(|mut stdin| stdin.write_all(message));
    let output = match child.wait_with_output() {
        Ok(output) => output,
        Err(error) => return Some(Err(SignError(format!("ssh-keygen failed: {error}")))),
    };
    let said = String::from_utf8_lossy(&output.stderr).trim().to_owned();
    if !output.status.success() || !matches!(written, Some(Ok(()))) {
        return Some(Err(SignError(format!(
            "ssh-keygen could not sign with {}: {said}",
            path.display()
        ))));
    }
    Some(
        String::from_utf8(output.stdout)
            .map_err(|_| SignError("ssh-keygen wrote a signature that is not text".to_owned())),
    )
}

fn sign_in_process(path: &Path, message: &[u8]) -> Result<String, SignError> {
    let key = PrivateKey::read_openssh_file(path).map_err(|_| {
        SignError(format!(
            "{} is not an OpenSSH private key; without ssh-keygen (Debian's openssh-client), \
             candor signs only with a private key file",
            path.display()
        ))
    })?;
    if key.is_encrypted() {
        return Err(SignError(format!(
            "{} is protected by a passphrase; install ssh-keygen (Debian's openssh-client) \
             to sign with it",
            path.display()
        )));
    }
    let signature = key
        .sign(NAMESPACE, HashAlg::Sha512, message)
        .map_err(|error| SignError(format!("cannot sign with {}: {error}", path.display())))?;
    signature
        .to_pem(LineEnding::LF)
        .map_err(|error| SignError(format!("cannot write the signature: {error}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE2yy1BQoqcdbChyqtwwn+iMHr4W06Alk6f2HPfVlOP0";

    #[test]
    fn lines_are_read_as_openssh_reads_them() {
        let text = format!(
            "# who signs\n\njane@example.com {KEY} jane's laptop\n\
             \"sam@example.com,lee@example.com\" namespaces=\"git,candor\" {KEY}\n\
             *@example.com,!mallory@example.com {KEY}\n\
             ops@example.com namespaces=\"git\" {KEY}\n\
             old@example.com valid-before=20200101 {KEY}\n\
             broken@example.com ssh-ed25519 AAAA\n"
        );
        let (signers, bad) = AllowedSigners::parse(&text);
        assert_eq!(signers.entries.len(), 4);
        assert_eq!(signers.entries[0].line, 3);
        assert_eq!(
            signers.entries[1].principals,
            ["sam@example.com", "lee@example.com"]
        );
        assert!(signers.entries[2].allows("anyone@example.com"));
        assert!(!signers.entries[2].allows("mallory@example.com"));
        assert!(!signers.entries[0].allows("jane@example.org"));
        assert_eq!(
            bad.iter().map(|b| b.line).collect::<Vec<_>>(),
            [7, 8],
            "{bad:?}"
        );
        // A key restricted to git's namespace does not sign for candor.
        let key = &signers.entries[0].key;
        assert_eq!(signers.entries_for(key).count(), 3);
    }

    /// A key made from a fixed seed, and allowed signers listing it for
    /// Jane.
    fn jane() -> (PrivateKey, AllowedSigners) {
        let key = PrivateKey::from(ssh_key::private::Ed25519Keypair::from_seed(&[7; 32]));
        let public = key.public_key().to_openssh().unwrap();
        let (signers, bad) = AllowedSigners::parse(&format!("jane@example.com {public}\n"));
        assert!(bad.is_empty());
        (key, signers)
    }

    fn armored(key: &PrivateKey, namespace: &str, message: &[u8]) -> String {
        key.sign(namespace, HashAlg::Sha512, message)
            .unwrap()
            .to_pem(LineEnding::LF)
            .unwrap()
    }

    #[test]
    fn a_signature_holds_only_for_its_bytes_namespace_and_principal() {
        let (key, signers) = jane();
        let message = b"role: legal\n";
        let signature = armored(&key, NAMESPACE, message);
        assert!(verify(message, &signature, "jane@example.com", &signers).is_ok());
        assert!(matches!(
            verify(b"role: legal \n", &signature, "jane@example.com", &signers),
            Err(Failure::Invalid(_))
        ));
        assert_eq!(
            verify(message, &signature, "sam@example.com", &signers),
            Err(Failure::UnknownSigner {
                fingerprint: key.public_key().fingerprint(HashAlg::Sha256).to_string(),
                listed: true,
            })
        );
        let for_git = armored(&key, "git", message);
        assert!(matches!(
            verify(message, &for_git, "jane@example.com", &signers),
            Err(Failure::Invalid(why)) if why.contains("`git`")
        ));
    }

    proptest::proptest! {
        // Signing and verifying are slow in debug builds.
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        /// Any byte of the message or the signature changed: never a
        /// panic, and a changed message never verifies.
        #[test]
        fn mangled_signatures_never_panic_or_verify(
            at in 0usize..2000,
            byte in proptest::prelude::any::<u8>(),
            in_signature in proptest::prelude::any::<bool>(),
        ) {
            static SIGNED: std::sync::OnceLock<(AllowedSigners, Vec<u8>, String)> =
                std::sync::OnceLock::new();
            let (signers, message, signature) = SIGNED.get_or_init(|| {
                let (key, signers) = jane();
                let message = b"case: a\nrole: legal\nat: 2026-12-01T09:00:00Z\n".to_vec();
                let signature = armored(&key, NAMESPACE, &message);
                (signers, message, signature)
            });
            if in_signature {
                let mut bytes = signature.clone().into_bytes();
                let at = at % bytes.len();
                bytes[at] = byte;
                let mangled = String::from_utf8_lossy(&bytes).into_owned();
                let _ = verify(message, &mangled, "jane@example.com", signers);
            } else {
                let mut mangled = message.clone();
                let at = at % mangled.len();
                proptest::prop_assume!(mangled[at] != byte);
                mangled[at] = byte;
                proptest::prop_assert!(
                    verify(&mangled, signature, "jane@example.com", signers).is_err()
                );
            }
        }
    }

    #[test]
    fn wildcards_match_as_in_openssh() {
        assert!(glob("*@example.com", "jane@example.com"));
        assert!(glob("j?ne@*", "jane@example.com"));
        assert!(!glob("*@example.com", "jane@example.org"));
        assert!(glob("*", ""));
        assert!(!glob(&"*a".repeat(40), &"a".repeat(30)));
    }
}
