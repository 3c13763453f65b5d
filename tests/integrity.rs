//! Nothing outside its place: candor writes and removes files only inside
//! its output folder, whatever a manifest or the folder itself says.

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use serde_json::Value;
use tempfile::TempDir;

use common::{bundled_copy, candor, run, snapshot_tree, text, write_file};

/// The manifest's record of a file holding `bytes`.
fn file_entry(bytes: &[u8]) -> Value {
    serde_json::json!({
        "bytes": bytes.len(),
        "sha256": candor::manifest::digest(bytes),
    })
}

/// Adds `files` to the first document of the first case in `out/manifest.json`.
fn plant_in_manifest(root: &Path, files: &[(String, Value)]) {
    let path = root.join("out/manifest.json");
    let mut manifest: Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
    let cases = manifest["cases"].as_object_mut().unwrap();
    let case = cases.values_mut().next().unwrap();
    let documents = case["documents"].as_object_mut().unwrap();
    let document = documents.values_mut().next().unwrap();
    let listed = document["files"].as_object_mut().unwrap();
    for (file, entry) in files {
        listed.insert(file.clone(), entry.clone());
    }
    fs::write(&path, serde_json::to_string(&manifest).unwrap()).unwrap();
}

#[test]
fn a_tampered_manifest_touches_nothing_outside_the_output_folder() {
    let repo = bundled_copy();
    let elsewhere = TempDir::new().unwrap();
    let secret = elsewhere.path().join("precious.txt");
    fs::write(&secret, "not candor's").unwrap();
    run(repo.path(), &["build"], 0);
    // A file of the user's inside the output folder, and an edited one.
    write_file(repo.path(), "out/notes.txt", "ours");
    let first_document = {
        let manifest: Value = serde_json::from_str(
            &fs::read_to_string(repo.path().join("out/manifest.json")).unwrap(),
        )
        .unwrap();
        let case = manifest["cases"]
            .as_object()
            .unwrap()
            .values()
            .next()
            .unwrap()
            .clone();
        let document = case["documents"]
            .as_object()
            .unwrap()
            .values()
            .next()
            .unwrap()
            .clone();
        document["files"]
            .as_object()
            .unwrap()
            .keys()
            .next()
            .unwrap()
            .clone()
    };
    let candor_yaml = fs::read(repo.path().join("candor.yaml")).unwrap();
    // Each entry records the file's true digest, as an attacker would.
    plant_in_manifest(
        repo.path(),
        &[
            (secret.display().to_string(), file_entry(b"not candor's")),
            ("../candor.yaml".to_owned(), file_entry(&candor_yaml)),
            (
                format!("../{}", repo.path().file_name().unwrap().to_string_lossy()),
                file_entry(b""),
            ),
            ("notes.txt".to_owned(), file_entry(b"an older text")),
        ],
    );
    let repo_before = snapshot_tree(&repo.path().join("cases"));
    let elsewhere_before = snapshot_tree(elsewhere.path());

    let (_, err) = run(repo.path(), &["build"], 0);

    assert_eq!(snapshot_tree(elsewhere.path()), elsewhere_before);
    assert_eq!(snapshot_tree(&repo.path().join("cases")), repo_before);
    assert_eq!(
        fs::read(repo.path().join("candor.yaml")).unwrap(),
        candor_yaml
    );
    assert_eq!(
        fs::read_to_string(repo.path().join("out/notes.txt")).unwrap(),
        "ours"
    );
    assert!(repo.path().join("out").join(&first_document).is_file());
    // The build says what it refused, naming each path.
    for (path, reason) in [
        (secret.display().to_string(), "it leaves the output folder"),
        ("../candor.yaml".to_owned(), "it leaves the output folder"),
        ("notes.txt".to_owned(), "it changed since candor wrote it"),
    ] {
        assert!(
            err.contains(&format!(
                "warning: left {path} in place, which the manifest listed for removal: {reason}\n"
            )),
            "{path}: {err}"
        );
    }
    assert!(!err.contains("removed"), "{err}");
    // The new manifest no longer lists what was planted.
    let manifest = fs::read_to_string(repo.path().join("out/manifest.json")).unwrap();
    assert!(!manifest.contains("candor.yaml"), "{manifest}");
    assert!(!manifest.contains("notes.txt"), "{manifest}");
}

#[test]
fn files_an_earlier_build_wrote_are_still_removed_when_unchanged() {
    let repo = bundled_copy();
    run(repo.path(), &["build"], 0);
    let case = "imod-azure-services";
    fs::remove_file(repo.path().join(format!("cases/{case}.yaml"))).unwrap();
    let (_, err) = run(repo.path(), &["build"], 0);
    assert!(
        err.contains("an earlier build wrote and this one does not"),
        "{err}"
    );
    assert!(!repo.path().join("out").join(case).exists());
}

#[cfg(unix)]
#[test]
fn a_removal_through_a_linked_folder_is_refused() {
    let repo = bundled_copy();
    run(repo.path(), &["build"], 0);
    let case = "imod-azure-services";
    // The case's folder becomes a link to a copy of itself elsewhere.
    let elsewhere = TempDir::new().unwrap();
    common::copy_dir(&repo.path().join("out").join(case), elsewhere.path());
    fs::remove_dir_all(repo.path().join("out").join(case)).unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), repo.path().join("out").join(case)).unwrap();
    let before = snapshot_tree(elsewhere.path());
    fs::remove_file(repo.path().join(format!("cases/{case}.yaml"))).unwrap();

    let (_, err) = run(repo.path(), &["build"], 0);

    assert_eq!(snapshot_tree(elsewhere.path()), before);
    assert!(
        err.contains(&format!(
            "in place, which the manifest listed for removal: {case} is a symbolic link"
        )),
        "{err}"
    );
}

/// The roles `candor.yaml` requires to sign off.
const ROLES: [(&str, &str); 2] = [
    ("legal", "Jane Doe <jane@example.com>"),
    ("communications", "Sam Lee <sam@example.com>"),
];

/// A copy of the bundled repository with every case signed off and
/// approved, so that a publishing build publishes them all.
fn approved_bundled_copy() -> TempDir {
    let repo = bundled_copy();
    for case in common::bundled_case_ids() {
        for (role, by) in ROLES {
            run(
                repo.path(),
                &["approve", &case, "--role", role, "--by", by],
                0,
            );
        }
        let file = format!("cases/{case}.yaml");
        common::edit(repo.path(), &file, "status: review", "status: approved");
    }
    repo
}

/// Every string in a JSON value, with the key it is under; but not dates,
/// which a view spells out in words of candor's own.
fn strings<'a>(value: &'a Value, key: &'a str, found: &mut BTreeSet<(&'a str, &'a str)>) {
    match value {
        Value::String(text) => {
            found.insert((key, text));
        }
        Value::Array(items) => items.iter().for_each(|item| strings(item, key, found)),
        Value::Object(fields) if fields.contains_key("iso") => {}
        Value::Object(fields) => fields
            .iter()
            .for_each(|(key, item)| strings(item, key, found)),
        _ => {}
    }
}

/// Keys under which a view holds candor's words about a document or an
/// item — its kind, audience, label, state — rather than a case's text.
const CANDORS_WORDS: &[&str] = &["audience", "kind", "kind_words", "label", "state"];

/// What the internal documents of the repository at `root` are given and
/// no public document is — every internal text and id of its cases — and
/// the ids of the internal document kinds. Taken from the views templates
/// receive, not from the wording of the cases.
fn internal_material(root: &Path) -> (BTreeSet<String>, BTreeSet<String>) {
    let outcome = candor::build(&[root.to_path_buf()], candor::Options::default()).unwrap();
    assert!(!outcome.has_errors(), "{:#?}", outcome.diagnostics);
    let mut internal_views = Vec::new();
    let mut public_views = Vec::new();
    let mut internal_kinds = BTreeSet::new();
    for document in &outcome.documents {
        let view = candor::context(root, &document.case_id, &document.kind, Default::default())
            .unwrap()
            .1
            .unwrap();
        if document.audience == candor::model::Audience::Internal {
            internal_kinds.insert(document.kind.clone());
            internal_views.push(view);
        } else {
            public_views.push(view);
        }
    }
    let mut shown = BTreeSet::new();
    for view in &public_views {
        strings(view, "", &mut shown);
    }
    // Public text, joined: an internal text that only quotes a public one,
    // as a talking point may, is no secret.
    let shown = letters(
        &shown
            .into_iter()
            .map(|(_, text)| text)
            .collect::<Vec<_>>()
            .join("\n"),
    );
    let mut given = BTreeSet::new();
    for view in &internal_views {
        strings(view, "", &mut given);
    }
    let texts: BTreeSet<String> = given
        .into_iter()
        .filter(|(key, text)| {
            !CANDORS_WORDS.contains(key)
                && !letters(text).is_empty()
                && !shown.contains(&letters(text))
        })
        .map(|(_, text)| text.to_owned())
        .collect();
    assert!(!texts.is_empty() && !internal_kinds.is_empty());
    (texts, internal_kinds)
}

/// `text` with only its letters and digits, lowercased: how a text reads
/// whatever escaping or markup a renderer put around it.
fn letters(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

#[test]
fn a_publish_folder_holds_nothing_internal() {
    let repo = approved_bundled_copy();
    let (texts, internal_kinds) = internal_material(repo.path());
    let (_, err) = run(
        repo.path(),
        &["build", "--publish", "--html", "--out", "public"],
        0,
    );
    assert!(!err.contains("held back"), "{err}");
    let files = snapshot_tree(&repo.path().join("public"));
    assert!(files.len() > 1, "{files:?}");
    for kind in &internal_kinds {
        assert!(
            !files
                .keys()
                .any(|path| path.to_string_lossy().contains(kind.as_str())),
            "{kind} written: {:?}",
            files.keys()
        );
    }
    let needles: Vec<(&str, String)> = texts
        .iter()
        .chain(&internal_kinds)
        .map(|text| (text.as_str(), letters(text)))
        .collect();
    let mut leaks = Vec::new();
    for (path, (bytes, _)) in &files {
        let content = String::from_utf8_lossy(bytes);
        let content_letters = letters(&content);
        for (text, text_letters) in &needles {
            let leaked = content.contains(text)
                || (text_letters.chars().count() >= 12 && content_letters.contains(text_letters));
            if leaked {
                leaks.push(format!("{} holds internal {text:?}", path.display()));
            }
        }
    }
    assert!(leaks.is_empty(), "{}", leaks.join("\n"));
}

#[test]
fn a_publish_folder_holds_internal_documents_only_when_asked() {
    let repo = approved_bundled_copy();
    let (_, internal_kinds) = internal_material(repo.path());
    run(
        repo.path(),
        &[
            "build",
            "--publish",
            "--include-internal",
            "--out",
            "public",
        ],
        0,
    );
    let files = snapshot_tree(&repo.path().join("public"));
    for kind in &internal_kinds {
        assert!(
            files
                .keys()
                .any(|path| path.to_string_lossy().contains(kind.as_str())),
            "{kind} not written: {:?}",
            files.keys()
        );
    }
    // Asked for without publishing, it is refused.
    let output = candor(repo.path())
        .args(["build", "--include-internal"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", text(&output.stderr));
}

#[test]
fn a_build_after_a_public_only_one_writes_every_document() {
    let repo = approved_bundled_copy();
    let (_, internal_kinds) = internal_material(repo.path());
    run(repo.path(), &["build", "--publish"], 0);
    run(repo.path(), &["build"], 0);
    let files = snapshot_tree(&repo.path().join("out"));
    for kind in &internal_kinds {
        assert!(
            files
                .keys()
                .any(|path| path.to_string_lossy().contains(kind.as_str())),
            "{kind} not written: {:?}",
            files.keys()
        );
    }
}

#[test]
fn a_publish_manifest_names_no_internal_principle() {
    let repo = common::copy_of_fixture("leaky");
    run(repo.path(), &["build", "--publish", "--out", "public"], 0);
    let files = snapshot_tree(&repo.path().join("public"));
    assert!(
        files.keys().any(|p| p.ends_with("manifest.json")),
        "{files:?}"
    );
    // Every internal text and id of the fixture holds this token.
    for (path, (bytes, _)) in &files {
        assert!(
            !String::from_utf8_lossy(bytes).contains("7f3a"),
            "{} names something internal",
            path.display()
        );
    }
    // Building every document afterwards names it again.
    run(repo.path(), &["build", "--out", "public"], 0);
    let manifest = fs::read_to_string(repo.path().join("public/manifest.json")).unwrap();
    assert!(manifest.contains("internal-principle-7f3a"), "{manifest}");
}

#[test]
fn the_next_build_removes_the_temporary_files_of_a_killed_one() {
    let repo = common::copy_of_fixture("minimal");
    run(repo.path(), &["build"], 0);
    let out = repo.path().join("out");
    // What a build killed mid-write leaves: a temporary file beside a
    // document and beside the manifest, and a manifest that no longer
    // vouches for the case being written.
    write_file(&out, "book-fines/.public-statement.md.999999.tmp", "half");
    write_file(&out, ".manifest.json.999999.tmp", "{");
    fs::remove_file(out.join("manifest.json")).unwrap();
    // Files of the user's that look alike but are not candor's.
    write_file(&out, "book-fines/.notes.tmp", "ours");
    write_file(&out, "book-fines/draft.1.tmp", "ours");

    let (_, err) = run(repo.path(), &["build"], 0);

    assert!(
        err.contains("removed 2 temporary files a build that was stopped left behind"),
        "{err}"
    );
    let left: Vec<String> = snapshot_tree(&out)
        .into_keys()
        .map(|path| path.to_string_lossy().into_owned())
        .filter(|path| path.ends_with(".tmp"))
        .collect();
    assert_eq!(left, ["book-fines/.notes.tmp", "book-fines/draft.1.tmp"]);
}

#[test]
fn an_output_folder_holding_an_input_folder_is_refused() {
    let repo = common::copy_of_fixture("minimal");
    // A case whose id is the name of the templates folder.
    let case = fs::read_to_string(repo.path().join("cases/book-fines.yaml")).unwrap();
    write_file(
        repo.path(),
        "cases/templates.yaml",
        &case.replacen("id: book-fines", "id: templates", 1),
    );
    for out in [".", "cases", "cases/out", "templates", "principles/x"] {
        let (_, err) = run(repo.path(), &["build", "--out", out], 2);
        assert!(err.contains("input folder"), "{out}: {err}");
    }
    let (_, err) = run(repo.path(), &["build", "--check", "--out", "."], 2);
    assert!(err.contains("input folder"), "{err}");
    assert!(!repo.path().join("templates").exists());
    assert!(!repo.path().join("manifest.json").exists());
    // Beside them, it is fine.
    run(repo.path(), &["build", "--out", "cases-out"], 0);
}

#[cfg(unix)]
mod links {
    use std::os::unix::fs::symlink;

    use super::*;

    #[test]
    fn a_template_linked_out_of_the_repository_is_not_read() {
        let repo = common::copy_of_fixture("minimal");
        let elsewhere = TempDir::new().unwrap();
        let secret = elsewhere.path().join("secret.env");
        fs::write(&secret, "TOKEN=hunter2-secret").unwrap();
        fs::create_dir_all(repo.path().join("templates")).unwrap();
        symlink(&secret, repo.path().join("templates/config.md")).unwrap();
        write_file(
            repo.path(),
            "templates/public-statement.md",
            "{% include \"config.md\" %}\n",
        );
        let (out, err) = run(repo.path(), &["build"], 2);
        assert!(
            err.contains("templates/config.md: leads to")
                && err.contains("outside the repository; candor reads nothing outside it"),
            "{err}"
        );
        assert!(!out.contains("hunter2") && !err.contains("hunter2"));
        assert!(!repo.path().join("out").exists());
        // Nor a case file, nor a folder of them.
        fs::remove_dir_all(repo.path().join("templates")).unwrap();
        fs::write(elsewhere.path().join("x.yaml"), "id: x\n").unwrap();
        symlink(
            elsewhere.path().join("x.yaml"),
            repo.path().join("cases/x.yaml"),
        )
        .unwrap();
        let (_, err) = run(repo.path(), &["check"], 2);
        assert!(err.contains("cases/x.yaml: leads to"), "{err}");
        fs::remove_file(repo.path().join("cases/x.yaml")).unwrap();
        symlink(elsewhere.path(), repo.path().join("principles")).unwrap();
        fs::write(elsewhere.path().join("p.yaml"), "id: p\n").unwrap();
        let (_, err) = run(repo.path(), &["check"], 2);
        assert!(err.contains("principles: leads to"), "{err}");
    }

    #[test]
    fn a_link_inside_the_repository_is_followed() {
        let repo = common::copy_of_fixture("minimal");
        let built_in =
            fs::read_to_string(common::bundled_repo().join("templates/public-statement.md"))
                .unwrap();
        write_file(
            repo.path(),
            "shared/public-statement.md",
            &format!("{built_in}\nSHARED-NOTE-TEXT\n"),
        );
        fs::create_dir_all(repo.path().join("templates")).unwrap();
        symlink(
            "../shared/public-statement.md",
            repo.path().join("templates/public-statement.md"),
        )
        .unwrap();
        run(repo.path(), &["build"], 0);
        let statement =
            fs::read_to_string(repo.path().join("out/book-fines/public-statement.md")).unwrap();
        assert!(statement.contains("SHARED-NOTE-TEXT"), "{statement}");
    }

    #[test]
    fn a_link_loop_is_an_error() {
        let repo = common::copy_of_fixture("minimal");
        fs::create_dir_all(repo.path().join("templates")).unwrap();
        symlink("..", repo.path().join("templates/loop")).unwrap();
        let (_, err) = run(repo.path(), &["check"], 2);
        assert!(
            err.contains("templates/loop: a link to a folder that holds it"),
            "{err}"
        );
        fs::remove_file(repo.path().join("templates/loop")).unwrap();
        // Links to each other, which the system itself refuses to resolve.
        symlink("b.md", repo.path().join("templates/a.md")).unwrap();
        symlink("a.md", repo.path().join("templates/b.md")).unwrap();
        let (_, err) = run(repo.path(), &["check"], 2);
        assert!(
            err.starts_with("error: templates/a.md: ")
                || err.starts_with("error: templates/b.md: "),
            "{err}"
        );
    }

    #[test]
    fn a_linked_folder_in_the_output_folder_is_not_written_through() {
        let repo = common::copy_of_fixture("minimal");
        let elsewhere = TempDir::new().unwrap();
        fs::create_dir_all(repo.path().join("out")).unwrap();
        symlink(elsewhere.path(), repo.path().join("out/book-fines")).unwrap();
        let (_, err) = run(repo.path(), &["build"], 2);
        assert!(
            err.contains("refusing to write book-fines/")
                && err.contains(
                    "book-fines is a symbolic link, and candor does not write through links"
                ),
            "{err}"
        );
        assert!(snapshot_tree(elsewhere.path()).is_empty());
    }
}

#[test]
fn editing_a_component_rebuilds_the_documents_calling_it() {
    let repo = common::copy_of_fixture("minimal");
    let built_in =
        fs::read_to_string(common::bundled_repo().join("templates/public-statement.md")).unwrap();
    // Written as Tera allows, with a space after `<`.
    write_file(
        repo.path(),
        "templates/public-statement.md",
        &format!("{built_in}\n{{{{ < Note /> }}}}\n"),
    );
    write_file(
        repo.path(),
        "templates/_note.md",
        "{% component Note() %}FIRST-NOTE{% endcomponent Note %}",
    );
    run(repo.path(), &["build"], 0);
    let statement = repo.path().join("out/book-fines/public-statement.md");
    assert!(
        fs::read_to_string(&statement)
            .unwrap()
            .contains("FIRST-NOTE")
    );

    write_file(
        repo.path(),
        "templates/_note.md",
        "{% component Note() %}SECOND-NOTE{% endcomponent Note %}",
    );
    let (_, err) = run(repo.path(), &["build"], 0);
    assert!(err.contains("wrote 2 files"), "{err}");
    assert!(
        fs::read_to_string(&statement)
            .unwrap()
            .contains("SECOND-NOTE")
    );
    run(repo.path(), &["build", "--check"], 0);
}

#[test]
fn every_output_type_escapes_case_text_its_own_way() {
    let repo = common::copy_of_fixture("minimal");
    write_file(
        repo.path(),
        "candor.yaml",
        "documents:\n\
         \x20 - {id: web-page, template: web.html, audience: public, covers: []}\n\
         \x20 - {id: text-note, template: note.txt, audience: public, covers: []}\n\
         \x20 - {id: data-feed, template: feed.json, audience: public, covers: []}\n",
    );
    for template in ["web.html", "note.txt", "feed.json"] {
        write_file(
            repo.path(),
            &format!("templates/{template}"),
            "[{{ case.summary }}]\n",
        );
    }
    let summary = "<script>alert(1)</script> *bold* & [x](y)";
    common::edit(
        repo.path(),
        "cases/book-fines.yaml",
        "summary: Readers no longer pay fines for books returned late.",
        &format!("summary: '{summary}'"),
    );
    run(repo.path(), &["build"], 0);
    let read =
        |file: &str| fs::read_to_string(repo.path().join("out/book-fines").join(file)).unwrap();
    assert_eq!(
        read("web-page.html"),
        "[&lt;script&gt;alert(1)&lt;/script&gt; *bold* &amp; [x](y)]\n"
    );
    assert_eq!(read("text-note.txt"), format!("[{summary}]\n"));
    // An output type candor does not know is escaped as markdown, never raw.
    let feed = read("data-feed.json");
    assert_eq!(
        feed,
        "[\\<script>alert(1)\\</script> \\*bold\\* & \\[x\\](y)]\n"
    );
}

/// The leaky fixture with `extra` written at the end of its public
/// statement's template: the messages of the leaks `candor check` reports.
fn leaks_with(extra: &str, edit: Option<(&str, &str)>) -> Vec<String> {
    let repo = common::copy_of_fixture("leaky");
    let built_in =
        fs::read_to_string(common::bundled_repo().join("templates/public-statement.md")).unwrap();
    write_file(
        repo.path(),
        "templates/public-statement.md",
        &format!("{built_in}\n{extra}\n"),
    );
    if let Some((from, to)) = edit {
        common::edit(repo.path(), "cases/mixed.yaml", from, to);
    }
    let output = candor(repo.path())
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    text(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap())
        .filter(|d| d["code"] == "leak")
        .map(|d| d["message"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn internal_text_disguised_in_a_public_template_is_still_found() {
    let finding =
        "mixed/public-statement.md contains internal text from finding `internal-finding-7f3a`";
    for disguise in [
        "&#73;NTERNAL-MARKER-7f3a",
        "&#x49;NTERNAL-MARKER-7f3a",
        "INTERNAL\\-MARKER\\-7f3a",
        "INTERNAL-*MARKER*-7f3a",
        "INTERNAL-**MARKER**-_7f3a_",
        "internal-marker-7F3A",
        "INTERNAL-\u{200b}MARKER-7f3a",
        "ＩＮＴＥＲＮＡＬ-MARKER-7f3a",
        "INTER<span></span>NAL-MARKER-7f3a",
        "INTER<!-- x -->NAL-MARKER-7f3a",
        // An autolink's address is shown on the page, not hidden as a tag.
        "<https://example.org/INTERNAL-MARKER-7f3a>",
    ] {
        let leaks = leaks_with(disguise, None);
        assert!(leaks.iter().any(|m| m == finding), "{disguise}: {leaks:?}");
    }
    // The template as it is leaks nothing.
    assert_eq!(leaks_with("", None), Vec::<String>::new());
}

#[test]
fn a_short_internal_text_is_found_as_a_whole_phrase() {
    let short = Some(("text: INTERNAL-THANKS-7f3a.", "text: 300 layoffs."));
    let found = leaks_with("We plan 300 layoffs. Soon.", short);
    assert_eq!(
        found,
        ["mixed/public-statement.md contains internal text from acknowledgements[0]"]
    );
    assert_eq!(leaks_with("We plan 300 **layoffs**.", short).len(), 1);
    // Inside a longer number it is a coincidence, not the phrase.
    assert_eq!(
        leaks_with("We plan 1300 layoffs. Soon.", short),
        Vec::<String>::new()
    );
}

#[test]
fn a_file_of_many_unknown_references_gets_suggestions_for_the_first_two_hundred() {
    let repo = bundled_copy();
    let case = repo.path().join("cases/commons-harassment-network.yaml");
    let original = fs::read_to_string(&case).unwrap();
    let misspelt = vec!["ban-evasion-gaps"; 250].join(", ");
    let edited = original.replacen(
        "findings: [network-confirmed, ban-evasion-gap]",
        &format!("findings: [network-confirmed, {misspelt}]"),
        1,
    );
    assert_ne!(edited, original);
    fs::write(&case, edited).unwrap();

    let output = candor(repo.path())
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let helps: Vec<String> = text(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap())
        .filter(|diagnostic| diagnostic["code"] == "unresolved-reference")
        .map(|diagnostic| diagnostic["help"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(helps.len(), 250);
    let suggested = helps
        .iter()
        .filter(|help| *help == "did you mean `ban-evasion-gap`?")
        .count();
    assert_eq!(suggested, 200, "{helps:?}");
}

/// Every folder under `dir`, by path relative to it.
fn folders(dir: &Path) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                found.insert(
                    path.strip_prefix(dir)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned(),
                );
                pending.push(path);
            }
        }
    }
    found
}

#[test]
fn a_build_whose_last_case_fails_after_others_were_written_leaves_the_output_folder_as_it_was() {
    let repo = common::copy_of_fixture("leaky");
    let mixed = fs::read_to_string(repo.path().join("cases/mixed.yaml")).unwrap();
    // Cases enough that some are written while others still render.
    for name in ["a", "b", "c", "d", "e", "f", "g", "h"] {
        write_file(
            repo.path(),
            &format!("cases/{name}.yaml"),
            &mixed.replacen("id: mixed", &format!("id: {name}"), 1),
        );
    }
    let built_in =
        fs::read_to_string(common::bundled_repo().join("templates/public-statement.md")).unwrap();
    let template = |extra: &str| {
        write_file(
            repo.path(),
            "templates/public-statement.md",
            &format!("{built_in}\nWe plan 300 layoffs. Soon.{extra}\n"),
        );
    };
    template("");
    run(repo.path(), &["build"], 0);
    let out = repo.path().join("out");
    let before = snapshot_tree(&out);
    let folders_before = folders(&out);

    // Every public statement changes, and one case's internal text is
    // now what its statement prints: a leak, found as that case renders.
    template(" Issued today.");
    common::edit(
        repo.path(),
        "cases/mixed.yaml",
        "text: INTERNAL-THANKS-7f3a.",
        "text: 300 layoffs.",
    );
    let (_, err) = run(repo.path(), &["build"], 1);

    assert!(err.contains("contains internal text"), "{err}");
    assert_eq!(snapshot_tree(&out), before);
    assert_eq!(folders(&out), folders_before);
    // Built again with the leak mended, every statement is written.
    common::edit(
        repo.path(),
        "cases/mixed.yaml",
        "text: 300 layoffs.",
        "text: INTERNAL-THANKS-7f3a.",
    );
    let (_, err) = run(repo.path(), &["build"], 0);
    assert!(err.contains("wrote 9 files"), "{err}");
    assert_eq!(folders(&out), folders_before);
}

#[test]
fn a_document_that_would_go_through_a_link_fails_the_build_and_changes_nothing() {
    let repo = common::copy_of_fixture("minimal");
    run(repo.path(), &["build"], 0);
    let out = repo.path().join("out");
    // One case's folder becomes a link to a copy of itself elsewhere.
    let elsewhere = TempDir::new().unwrap();
    common::copy_dir(&out.join("reading-room"), elsewhere.path());
    fs::remove_dir_all(out.join("reading-room")).unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), out.join("reading-room")).unwrap();
    // Both cases' documents change.
    for case in ["book-fines", "reading-room"] {
        common::edit(
            repo.path(),
            &format!("cases/{case}.yaml"),
            "summary: ",
            "summary: Changed. ",
        );
    }
    let before = snapshot_tree(&out);
    let elsewhere_before = snapshot_tree(elsewhere.path());

    let (_, err) = run(repo.path(), &["build"], 2);

    assert!(err.contains("reading-room is a symbolic link"), "{err}");
    assert_eq!(snapshot_tree(&out), before);
    assert_eq!(snapshot_tree(elsewhere.path()), elsewhere_before);
    assert!(!out.join(candor::write::STAGING).exists());
}

#[test]
fn the_next_build_removes_what_a_build_killed_while_rendering_left() {
    let repo = common::copy_of_fixture("minimal");
    run(repo.path(), &["build"], 0);
    let out = repo.path().join("out");
    // A build killed before it finished leaves its staged documents,
    // and nothing else: the manifest still vouches for every case.
    let staged = format!("{}/999999", candor::write::STAGING);
    write_file(&out, &format!("{staged}/0"), "half");
    write_file(&out, &format!("{staged}/1"), "whole");

    let (_, err) = run(repo.path(), &["build"], 0);

    assert!(
        err.contains("removed 2 temporary files a build that was stopped left behind"),
        "{err}"
    );
    assert!(!out.join(candor::write::STAGING).exists());
}
