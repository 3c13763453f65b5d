//! Signed sign-offs: SSH signatures over approval files, checked against
//! an allowed signers file, interoperable with OpenSSH in both directions.
//!
//! Keys are generated here with `ssh-keygen` (Debian's openssh-client).
//! Without it these tests say so and pass, unless `CI` is set: in CI a
//! missing `ssh-keygen` is a failure, never a silent skip.

#![allow(clippy::unwrap_used)]

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::{bundled_copy, candor, edit, text, write_file};
use tempfile::TempDir;

const CASE: &str = "imod-azure-services";
const CASE_FILE: &str = "cases/imod-azure-services.yaml";
const FOLDER: &str = "cases/imod-azure-services.approvals";
const SIGNERS: &str = ".candor/allowed_signers";

/// Whether `ssh-keygen` can be run; in CI it must be.
fn has_ssh_keygen() -> bool {
    let found = Command::new("ssh-keygen")
        .arg("-V")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok();
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but ssh-keygen is missing: apt-get install openssh-client (.ci/run does)"
        );
        eprintln!("SKIPPED: signing tests need ssh-keygen (apt-get install openssh-client)");
    }
    found
}

/// A copy of the bundled repository requiring signed sign-offs: Jane may
/// sign as legal, Sam and Lee as communications; Mallory's key is not
/// listed. The keys live outside the repository.
struct Signed {
    repo: TempDir,
    keys: TempDir,
}

impl Signed {
    fn new() -> Signed {
        Signed::with_signers(|keys| {
            format!(
                "# Who may sign candor sign-offs.\njane@example.com {}\nsam@example.com {}\nlee@example.com {}\n",
                keys.public("jane"),
                keys.public("sam"),
                keys.public("lee")
            )
        })
    }

    fn with_signers(signers: impl Fn(&Signed) -> String) -> Signed {
        let signed = Signed {
            repo: bundled_copy(),
            keys: TempDir::new().unwrap(),
        };
        for name in ["jane", "sam", "lee", "mallory"] {
            keygen(&signed.key(name), "");
        }
        write_file(signed.root(), SIGNERS, &signers(&signed));
        edit(
            signed.root(),
            "candor.yaml",
            "approvals:\n  required: [legal, communications]\n",
            "approvals:\n  required: [legal, communications]\n  signers: .candor/allowed_signers\n  \
             roles:\n    legal: [jane@example.com]\n    communications: [sam@example.com, lee@example.com]\n",
        );
        signed
    }

    fn root(&self) -> &Path {
        self.repo.path()
    }

    fn key(&self, name: &str) -> PathBuf {
        self.keys.path().join(name)
    }

    fn public(&self, name: &str) -> String {
        fs::read_to_string(self.key(name).with_extension("pub"))
            .unwrap()
            .trim()
            .to_owned()
    }

    fn file(&self, name: &str) -> PathBuf {
        self.root().join(FOLDER).join(name)
    }

    fn read(&self, name: &str) -> String {
        fs::read_to_string(self.file(name)).unwrap()
    }

    /// `candor approve CASE --role ROLE --key KEY`, expecting success.
    fn approve(&self, role: &str, key: &str) -> String {
        let key = self.key(key);
        run(
            self.root(),
            &[
                "approve",
                CASE,
                "--role",
                role,
                "--key",
                key.to_str().unwrap(),
            ],
            0,
        )
        .1
    }

    /// Both roles signed off, and the case marked approved.
    fn approved() -> Signed {
        let signed = Signed::new();
        signed.approve("legal", "jane");
        signed.approve("communications", "sam");
        edit(
            signed.root(),
            CASE_FILE,
            "status: review",
            "status: approved",
        );
        signed
    }

    /// `ssh-keygen -Y sign` over the approval file `name`, by hand, as a
    /// signer would without candor: the signature replaces `ROLE.sig`.
    fn sign_by_hand(&self, name: &str, key: &str) {
        let file = self.file(name);
        let status = Command::new("ssh-keygen")
            .args(["-q", "-Y", "sign", "-n", "candor", "-f"])
            .arg(self.key(key))
            .arg(&file)
            .status()
            .unwrap();
        assert!(status.success());
        let made = PathBuf::from(format!("{}.sig", file.display()));
        fs::rename(made, file.with_extension("sig")).unwrap();
    }

    /// `ssh-keygen -Y verify` of the sign-off `role` as `principal`.
    fn verifies_with_openssh(&self, role: &str, principal: &str) -> bool {
        let output = Command::new("ssh-keygen")
            .args(["-Y", "verify", "-n", "candor", "-f"])
            .arg(self.root().join(SIGNERS))
            .args(["-I", principal, "-s"])
            .arg(self.file(&format!("{role}.sig")))
            .stdin(fs::File::open(self.file(&format!("{role}.yaml"))).unwrap())
            .output()
            .unwrap();
        output.status.success()
    }
}

/// An ed25519 key pair at `path` and `path.pub`, protected by `passphrase`.
fn keygen(path: &Path, passphrase: &str) {
    let status = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", passphrase, "-C", "test", "-f"])
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success());
}

/// Runs candor in `root`, expecting `code`; returns (stdout, stderr).
fn run(root: &Path, args: &[&str], code: i32) -> (String, String) {
    run_with(candor(root).args(args), code)
}

fn run_with(command: &mut assert_cmd::Command, code: i32) -> (String, String) {
    let output = command.output().unwrap();
    let (out, err) = (text(&output.stdout), text(&output.stderr));
    assert_eq!(
        output.status.code(),
        Some(code),
        "stdout:\n{out}\nstderr:\n{err}"
    );
    (out, err)
}

fn published(signed: &Signed) -> bool {
    signed
        .root()
        .join("public/imod-azure-services/public-statement.md")
        .exists()
}

#[test]
fn candors_signatures_verify_with_openssh_and_the_sign_offs_count() {
    if !has_ssh_keygen() {
        return;
    }
    let signed = Signed::new();
    // Signed by ssh-keygen, which candor finds on PATH.
    let said = signed.approve("legal", "jane");
    assert!(
        said.starts_with("jane@example.com signed off as legal on content ")
            && said.contains(", signed in ")
            && said.contains("legal.sig\n"),
        "{said:?}"
    );
    // Signed in-process: no ssh-keygen on PATH.
    let sam = signed.key("sam");
    let (_, said) = run_with(
        candor(signed.root()).env("PATH", "").args([
            "approve",
            CASE,
            "--role",
            "communications",
            "--key",
            sam.to_str().unwrap(),
            "--by",
            "Sam Lee",
        ]),
        0,
    );
    assert!(
        said.starts_with("sam@example.com signed off as communications"),
        "{said}"
    );

    let legal = signed.read("legal.yaml");
    assert!(legal.contains("\nrole: legal\n"), "{legal}");
    assert!(
        legal.contains("\nby: \"jane@example.com\"\nprincipal: \"jane@example.com\"\nat: "),
        "{legal}"
    );
    assert!(legal.contains("\npolicy: "), "{legal}");
    let comms = signed.read("communications.yaml");
    assert!(
        comms.contains("\nby: \"Sam Lee\"\nprincipal: \"sam@example.com\"\n"),
        "{comms}"
    );

    assert!(signed.verifies_with_openssh("legal", "jane@example.com"));
    assert!(signed.verifies_with_openssh("communications", "sam@example.com"));
    // OpenSSH holds each signature to its principal and namespace.
    assert!(!signed.verifies_with_openssh("legal", "sam@example.com"));

    edit(
        signed.root(),
        CASE_FILE,
        "status: review",
        "status: approved",
    );
    let (_, clean) = run(signed.root(), &["check", "--deny-warnings"], 0);
    assert_eq!(
        clean, "checked 5 cases (22 documents)\n",
        "signed sign-offs get no note"
    );
    run(signed.root(), &["build", "--publish", "--out", "public"], 0);
    assert!(published(&signed));
}

#[test]
fn a_signature_made_by_hand_with_ssh_keygen_is_accepted() {
    if !has_ssh_keygen() {
        return;
    }
    let signed = Signed::approved();
    fs::remove_file(signed.file("legal.sig")).unwrap();
    signed.sign_by_hand("legal.yaml", "jane");
    run(signed.root(), &["check", "--deny-warnings"], 0);
    run(signed.root(), &["build", "--publish", "--out", "public"], 0);
    assert!(published(&signed));
}

#[test]
fn an_unsigned_or_copied_sign_off_does_not_count_once_signers_is_set() {
    if !has_ssh_keygen() {
        return;
    }
    let signed = Signed::approved();
    let (_, err) = run(
        signed.root(),
        &[
            "approve",
            CASE,
            "--role",
            "legal",
            "--by",
            "Jane Doe <jane@example.com>",
        ],
        2,
    );
    assert!(
        err.starts_with(
            "error: candor.yaml requires signed sign-offs (`approvals.signers: .candor/allowed_signers`): \
             sign with --key PATH"
        ),
        "{err}"
    );

    // A sign-off without its signature: written by hand, or its .sig lost.
    fs::remove_file(signed.file("legal.sig")).unwrap();
    let (_, report) = run(signed.root(), &["check"], 1);
    assert!(
        report.contains(
            "error[signature-missing]: the legal sign-off on `imod-azure-services` is not signed, \
             and `approvals.signers` is set: it does not count\n \
             --> cases/imod-azure-services.approvals/legal.yaml:5:7"
        ),
        "{report}"
    );
    assert!(report.contains("error[not-approved]"), "{report}");
    let (_, err) = run(signed.root(), &["build", "--publish", "--out", "public"], 1);
    assert!(err.contains("error[signature-missing]"), "{err}");
    assert!(!published(&signed));

    // Another sign-off's signature copied beside it.
    fs::copy(signed.file("communications.sig"), signed.file("legal.sig")).unwrap();
    let (_, report) = run(signed.root(), &["check"], 1);
    assert!(
        report.contains(
            "error[signature-invalid]: the signature in legal.sig does not verify: the signature \
             does not match the file's bytes; the approval file or its signature was altered\n \
             --> cases/imod-azure-services.approvals/legal.yaml:1:1"
        ),
        "{report}"
    );
    run(signed.root(), &["build", "--publish", "--out", "public"], 1);
    assert!(!published(&signed));

    // A signature over the same bytes, made for something other than candor.
    let status = Command::new("ssh-keygen")
        .args(["-q", "-Y", "sign", "-n", "git", "-f"])
        .arg(signed.key("jane"))
        .arg(signed.file("legal.yaml"))
        .status()
        .unwrap();
    assert!(status.success());
    fs::rename(
        signed.root().join(FOLDER).join("legal.yaml.sig"),
        signed.file("legal.sig"),
    )
    .unwrap();
    let (_, report) = run(signed.root(), &["check"], 1);
    assert!(
        report.contains(
            "error[signature-invalid]: the signature in legal.sig does not verify: the signature \
             was made for `git`, not for candor (namespace `candor`)"
        ),
        "{report}"
    );
}

#[test]
fn one_byte_changed_in_a_signed_sign_off_invalidates_it() {
    if !has_ssh_keygen() {
        return;
    }
    let signed = Signed::approved();
    let original = signed.read("legal.yaml");
    // The time is outside every digest: only the signature covers it.
    let at = original.lines().find(|l| l.starts_with("at: ")).unwrap();
    let last = at.chars().rev().nth(1).unwrap();
    let other = if last == '0' { '1' } else { '0' };
    let mut moved = at.to_owned();
    moved.replace_range(at.len() - 2..at.len() - 1, &other.to_string());
    assert_eq!(moved.len(), at.len());
    write_file(
        signed.root(),
        &format!("{FOLDER}/legal.yaml"),
        &original.replace(at, &moved),
    );
    let (_, report) = run(signed.root(), &["check"], 1);
    assert!(
        report.contains("error[signature-invalid]: the signature in legal.sig does not verify"),
        "{report}"
    );
    run(signed.root(), &["build", "--publish", "--out", "public"], 1);
    assert!(!published(&signed));

    // So does one byte of the signature.
    write_file(signed.root(), &format!("{FOLDER}/legal.yaml"), &original);
    run(signed.root(), &["check"], 0);
    let signature = signed.read("legal.sig");
    let line = signature.lines().nth(3).unwrap();
    let flipped: String = line
        .chars()
        .enumerate()
        .map(|(i, c)| {
            if i == 10 {
                if c == 'A' { 'B' } else { 'A' }
            } else {
                c
            }
        })
        .collect();
    write_file(
        signed.root(),
        &format!("{FOLDER}/legal.sig"),
        &signature.replace(line, &flipped),
    );
    let (_, report) = run(signed.root(), &["check"], 1);
    assert!(report.contains("error[signature-invalid]"), "{report}");
}

#[test]
fn a_key_must_be_allowed_and_allowed_in_its_role() {
    if !has_ssh_keygen() {
        return;
    }
    let signed = Signed::approved();
    let mallory = signed.key("mallory");
    let (_, err) = run(
        signed.root(),
        &[
            "approve",
            CASE,
            "--role",
            "legal",
            "--key",
            mallory.to_str().unwrap(),
        ],
        2,
    );
    assert!(
        err.starts_with("error: the key SHA256:")
            && err.contains("is not in the allowed signers file .candor/allowed_signers"),
        "{err}"
    );
    let sam = signed.key("sam");
    let (_, err) = run(
        signed.root(),
        &[
            "approve",
            CASE,
            "--role",
            "legal",
            "--key",
            sam.to_str().unwrap(),
        ],
        2,
    );
    assert!(
        err.contains("belongs to sam@example.com, who may not sign as `legal`"),
        "{err}"
    );

    // The same sign-offs made by hand, past candor approve.
    let legal = signed.read("legal.yaml");
    signed.sign_by_hand("legal.yaml", "mallory");
    let (_, report) = run(signed.root(), &["check"], 1);
    assert!(
        report.contains("error[signer-unknown]: the key that signed it (SHA256:")
            && report.contains(") is not in allowed signers\n --> cases/imod-azure-services.approvals/legal.yaml:7:12"),
        "{report}"
    );
    run(signed.root(), &["build", "--publish", "--out", "public"], 1);
    assert!(!published(&signed));

    // Sam's key, claiming to be Jane.
    signed.sign_by_hand("legal.yaml", "sam");
    let (_, report) = run(signed.root(), &["check"], 1);
    assert!(
        report.contains("error[signer-unknown]: the key that signed it (SHA256:")
            && report.contains(") is in allowed signers, but not for `jane@example.com`"),
        "{report}"
    );

    // Sam, as himself, signing as legal: allowed only for communications.
    write_file(
        signed.root(),
        &format!("{FOLDER}/legal.yaml"),
        &legal.replace("\"jane@example.com\"", "\"sam@example.com\""),
    );
    fs::remove_file(signed.file("communications.yaml")).unwrap();
    fs::remove_file(signed.file("communications.sig")).unwrap();
    signed.sign_by_hand("legal.yaml", "sam");
    let (_, report) = run(signed.root(), &["check"], 1);
    assert!(
        report.contains(
            "error[signer-not-authorised]: sam@example.com may not sign as `legal`: \
             `approvals.roles.legal` does not list them\n --> cases/imod-azure-services.approvals/legal.yaml:7:12"
        ),
        "{report}"
    );
    run(signed.root(), &["build", "--publish", "--out", "public"], 1);
    assert!(!published(&signed));
}

#[test]
fn one_principal_or_one_key_fills_one_role_however_it_is_spelt() {
    if !has_ssh_keygen() {
        return;
    }
    // Jane may sign in both roles; her key also answers for the legal team.
    let signed = Signed::with_signers(|keys| {
        format!(
            "jane@example.com,legal-team@example.com {}\nsam@example.com {}\n",
            keys.public("jane"),
            keys.public("sam")
        )
    });
    edit(
        signed.root(),
        "candor.yaml",
        "communications: [sam@example.com, lee@example.com]",
        "communications: [sam@example.com, jane@example.com, legal-team@example.com]",
    );
    let jane = signed.key("jane");
    let jane = jane.to_str().unwrap();
    run(
        signed.root(),
        &[
            "approve",
            CASE,
            "--role",
            "legal",
            "--key",
            jane,
            "--by",
            "Jane Doe <jane@example.com>",
        ],
        0,
    );
    let (_, err) = run(
        signed.root(),
        &[
            "approve",
            CASE,
            "--role",
            "communications",
            "--key",
            jane,
            "--by",
            "J. Doe (comms)",
        ],
        2,
    );
    assert!(
        err.starts_with(
            "error: jane@example.com already signed off on `imod-azure-services` as `legal`; \
             one person, or one key, cannot fill two roles"
        ),
        "{err}"
    );
    // By hand: the legal sign-off copied to communications, re-spelt and
    // signed by Jane as the legal team.
    let legal = signed.read("legal.yaml");
    write_file(
        signed.root(),
        &format!("{FOLDER}/communications.yaml"),
        &legal
            .replace("role: legal", "role: communications")
            .replace(
                "by: \"Jane Doe <jane@example.com>\"",
                "by: \"The legal team\"",
            )
            .replace("\"jane@example.com\"", "\"legal-team@example.com\""),
    );
    signed.sign_by_hand("communications.yaml", "jane");
    edit(
        signed.root(),
        CASE_FILE,
        "status: review",
        "status: approved",
    );
    let (_, report) = run(signed.root(), &["check"], 1);
    assert!(
        report.contains(
            "error[same-approver]: legal-team@example.com signs off as both `communications` and \
             `legal`; one person, or one key, cannot fill two roles"
        ) || report.contains(
            "error[same-approver]: jane@example.com signs off as both `communications` and `legal`"
        ),
        "{report}"
    );
    run(signed.root(), &["build", "--publish", "--out", "public"], 1);
    assert!(!published(&signed));
}

#[test]
fn weakening_the_policy_after_signed_sign_offs_holds_the_case_back() {
    if !has_ssh_keygen() {
        return;
    }
    for (what, from, to) in [
        (
            "a role removed",
            "required: [legal, communications]",
            "required: [legal]",
        ),
        (
            "a role's list widened",
            "legal: [jane@example.com]",
            "legal: [jane@example.com, sam@example.com]",
        ),
        (
            "signers removed",
            "  signers: .candor/allowed_signers\n",
            "",
        ),
    ] {
        let signed = Signed::approved();
        run(signed.root(), &["check", "--deny-warnings"], 0);
        edit(signed.root(), "candor.yaml", from, to);
        if what == "a role removed" {
            edit(
                signed.root(),
                "candor.yaml",
                "    communications: [sam@example.com, lee@example.com]\n",
                "",
            );
        }
        let (_, report) = run(signed.root(), &["check"], 1);
        for role in ["legal", "communications"] {
            assert!(
                report.contains(&format!(
                    "warning[approval-policy-changed]: the {role} sign-off on `imod-azure-services`"
                )) && report.contains(
                    "no longer counts: the sign-off policy (`approvals` in candor.yaml) has \
                     changed since it was given"
                ),
                "{what}:\n{report}"
            );
        }
        assert!(report.contains("error[not-approved]"), "{what}:\n{report}");
        let (_, err) = run(signed.root(), &["build", "--publish", "--out", "public"], 1);
        assert!(err.contains("`imod-azure-services`"), "{what}:\n{err}");
        assert!(!published(&signed), "{what}");
    }
}

#[test]
fn signing_without_ssh_keygen_needs_an_unencrypted_key() {
    if !has_ssh_keygen() {
        return;
    }
    let signed = Signed::new();
    let locked = signed.keys.path().join("locked");
    keygen(&locked, "a passphrase");
    let signers = fs::read_to_string(signed.root().join(SIGNERS)).unwrap();
    let public = fs::read_to_string(locked.with_extension("pub")).unwrap();
    write_file(
        signed.root(),
        SIGNERS,
        &format!("{signers}jane@example.com {public}"),
    );
    let (_, err) = run_with(
        candor(signed.root()).env("PATH", "").args([
            "approve",
            CASE,
            "--role",
            "legal",
            "--key",
            locked.to_str().unwrap(),
        ]),
        2,
    );
    assert!(
        err.contains("is protected by a passphrase; install ssh-keygen (Debian's openssh-client)"),
        "{err}"
    );
    assert!(!signed.file("legal.yaml").exists(), "nothing is written");
}

#[test]
fn an_allowed_signers_file_candor_cannot_use_is_reported_where_it_is() {
    if !has_ssh_keygen() {
        return;
    }
    let signed = Signed::new();
    let signers = fs::read_to_string(signed.root().join(SIGNERS)).unwrap();
    write_file(
        signed.root(),
        SIGNERS,
        &format!(
            "{signers}ops@example.com valid-before=\"20300101\" {}\n",
            signed.public("lee")
        ),
    );
    let (_, report) = run(signed.root(), &["check"], 1);
    assert!(
        report.contains(
            "error[invalid-value]: candor does not support the option `valid-before` (only \
             `namespaces`); list plain keys for candor\n --> .candor/allowed_signers:5:1"
        ),
        "{report}"
    );
    fs::remove_file(signed.root().join(SIGNERS)).unwrap();
    let (_, report) = run(signed.root(), &["check"], 1);
    assert!(
        report.contains(
            "error[unresolved-reference]: the allowed signers file `.candor/allowed_signers` does not exist\n  --> candor.yaml:"
        ),
        "{report}"
    );
    edit(
        signed.root(),
        "candor.yaml",
        "legal: [jane@example.com]\n",
        "",
    );
    let (_, report) = run(signed.root(), &["check"], 1);
    assert!(
        report.contains(
            "error[missing-field]: `approvals.signers` is set, but `approvals.roles` does not say who may sign as `legal`"
        ),
        "{report}"
    );
}

#[test]
fn moving_to_signed_sign_offs_one_role_at_a_time() {
    if !has_ssh_keygen() {
        return;
    }
    let signed = Signed::new();
    let line = "  signers: .candor/allowed_signers\n";
    edit(signed.root(), "candor.yaml", line, "");
    for (role, by) in [("legal", "Jane Doe"), ("communications", "Sam Lee")] {
        run(
            signed.root(),
            &["approve", CASE, "--role", role, "--by", by],
            0,
        );
    }
    edit(
        signed.root(),
        "candor.yaml",
        "  roles:\n",
        &format!("{line}  roles:\n"),
    );
    // Requiring signatures is a change of policy: the unsigned sign-offs
    // no longer count, and do not stop anyone signing.
    signed.approve("legal", "jane");
    let (_, report) = run(signed.root(), &["check"], 0);
    assert!(
        report.contains("warning[approval-policy-changed]: the communications sign-off"),
        "{report}"
    );
    assert!(!report.contains("the legal sign-off"), "{report}");
    signed.approve("communications", "lee");
    run(signed.root(), &["check", "--deny-warnings"], 0);
    // Nor does a sign-off that is in error stop another role signing.
    fs::remove_file(signed.file("communications.sig")).unwrap();
    run(signed.root(), &["check"], 1);
    signed.approve("legal", "jane");
    signed.approve("communications", "lee");
    run(signed.root(), &["check", "--deny-warnings"], 0);

    // An incremental build sees a signature go.
    run(signed.root(), &["build"], 0);
    let memo = signed
        .root()
        .join("out/imod-azure-services/employee-memo.md");
    assert!(!fs::read_to_string(&memo).unwrap().starts_with("> **DRAFT"));
    fs::remove_file(signed.file("legal.sig")).unwrap();
    let (_, err) = run(signed.root(), &["build"], 1);
    assert!(err.contains("error[signature-missing]"), "{err}");
}

/// `ssh-agent` on a socket of its own, stopped when dropped.
struct Agent {
    child: std::process::Child,
    socket: PathBuf,
}

impl Agent {
    fn start(dir: &Path) -> Agent {
        let socket = dir.join("agent.sock");
        let child = Command::new("ssh-agent")
            .arg("-D")
            .arg("-a")
            .arg(&socket)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        for _ in 0..200 {
            if socket.exists() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        assert!(socket.exists(), "ssh-agent did not start");
        Agent { child, socket }
    }
}

impl Drop for Agent {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn a_key_held_by_ssh_agent_signs_through_its_public_half() {
    if !has_ssh_keygen() {
        return;
    }
    let signed = Signed::new();
    let agent = Agent::start(signed.keys.path());
    let status = Command::new("ssh-add")
        .arg("-q")
        .arg(signed.key("jane"))
        .env("SSH_AUTH_SOCK", &agent.socket)
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    // Only the agent holds the private half now.
    fs::remove_file(signed.key("jane")).unwrap();
    let public = signed.key("jane").with_extension("pub");
    run_with(
        candor(signed.root())
            .env("SSH_AUTH_SOCK", &agent.socket)
            .args([
                "approve",
                CASE,
                "--role",
                "legal",
                "--key",
                public.to_str().unwrap(),
            ]),
        0,
    );
    assert!(signed.verifies_with_openssh("legal", "jane@example.com"));
    let (_, report) = run(signed.root(), &["check"], 0);
    assert!(!report.contains("legal"), "{report}");
}
