//! The corpus of bad input: hostile, broken and odd-but-valid files, each
//! with the exact outcome it must get.
//!
//! `tests/corpus/` is a small candor repository. Every `cases/NAME.yaml` is
//! checked on its own (`candor check cases/NAME.yaml --format json`) and
//! must come out as `cases/NAME.expected` says. Inputs too big or too
//! hostile to commit (10 MB, alias bombs, 100,000 nested brackets) are
//! generated into a temporary copy of the repository by [`generated`].
//!
//! # The `.expected` format
//!
//! One statement a line; `#` starts a comment. Indented lines refine the
//! statement above them.
//!
//! ```text
//! # What the file tests, in a sentence.
//! exit 1
//! error invalid-date 3:7                 severity, code, line:column
//!   message `2025-02-30` is not a date: February 2025 has 28 days
//!   help did you mean `summary`?
//! error file-too-large file              a file-level diagnostic: no line
//! warning file-name-mismatch 1:5
//! render public-statement                `candor render` must succeed…
//!   contains \<script\>                  …and print this text
//! ```
//!
//! The diagnostics listed are all the run may report, in any order; each
//! must be in the case file itself. `message` and `help` are compared
//! exactly when given. Every run must also end without a panic and write
//! no file.
//!
//! A file whose right outcome needs a fix outside the loader is listed in
//! [`KNOWN_GAPS`] with the reason: its `.expected` says what it SHOULD get,
//! and the suite stays green while it does not. Once it passes, the suite
//! fails until it is taken off the list.
//!
//! `tests/corpus-timing.sh` times every file, generated ones included, with
//! the release binary.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use assert_cmd::Command;
use serde_json::Value;

/// Corpus files whose expected outcome needs a fix outside `src/load.rs`,
/// `src/model/date.rs` and `src/model/id.rs`: (file stem, what is wrong).
const KNOWN_GAPS: &[(&str, &str)] = &[];

fn corpus_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

/// What a corpus file must get.
#[derive(Debug, Default)]
struct Expected {
    exit: Option<i32>,
    diagnostics: Vec<ExpectedDiagnostic>,
    renders: Vec<ExpectedRender>,
}

#[derive(Debug)]
struct ExpectedDiagnostic {
    severity: String,
    code: String,
    /// Line and column; `None` for a file-level diagnostic.
    at: Option<(u64, u64)>,
    message: Option<String>,
    help: Option<String>,
}

#[derive(Debug)]
struct ExpectedRender {
    doc: String,
    contains: Vec<String>,
}

impl Expected {
    fn parse(text: &str) -> Result<Expected, String> {
        let mut expected = Expected::default();
        // Which statement indented lines refine.
        enum Last {
            Nothing,
            Diagnostic,
            Render,
        }
        let mut last = Last::Nothing;
        for (index, raw) in text.lines().enumerate() {
            let number = index + 1;
            if raw.trim().is_empty() || raw.trim_start().starts_with('#') {
                continue;
            }
            let indented = raw.starts_with(' ') || raw.starts_with('\t');
            let line = raw.trim();
            let (word, rest) = line.split_once(' ').unwrap_or((line, ""));
            let rest = rest.trim();
            let bad = |what: &str| format!("line {number}: {what}: `{raw}`");
            match (indented, word, &last) {
                (false, "exit", _) => {
                    expected.exit = Some(rest.parse().map_err(|_| bad("exit needs a number"))?);
                    last = Last::Nothing;
                }
                (false, "error" | "warning", _) => {
                    let mut parts = rest.split_whitespace();
                    let code = parts.next().ok_or_else(|| bad("missing code"))?;
                    let at = match parts.next().ok_or_else(|| bad("missing position"))? {
                        "file" => None,
                        position => {
                            let (line, column) = position
                                .split_once(':')
                                .and_then(|(l, c)| Some((l.parse().ok()?, c.parse().ok()?)))
                                .ok_or_else(|| bad("position is LINE:COLUMN or `file`"))?;
                            Some((line, column))
                        }
                    };
                    expected.diagnostics.push(ExpectedDiagnostic {
                        severity: word.to_owned(),
                        code: code.to_owned(),
                        at,
                        message: None,
                        help: None,
                    });
                    last = Last::Diagnostic;
                }
                (false, "render", _) => {
                    expected.renders.push(ExpectedRender {
                        doc: rest.to_owned(),
                        contains: Vec::new(),
                    });
                    last = Last::Render;
                }
                (true, "message", Last::Diagnostic) => {
                    if let Some(d) = expected.diagnostics.last_mut() {
                        d.message = Some(rest.to_owned());
                    }
                }
                (true, "help", Last::Diagnostic) => {
                    if let Some(d) = expected.diagnostics.last_mut() {
                        d.help = Some(rest.to_owned());
                    }
                }
                (true, "contains", Last::Render) => {
                    if let Some(r) = expected.renders.last_mut() {
                        r.contains.push(rest.to_owned());
                    }
                }
                _ => return Err(bad("not understood")),
            }
        }
        if expected.exit.is_none() {
            return Err("no `exit` line".to_owned());
        }
        Ok(expected)
    }
}

/// Runs candor in `root` with `args`, failing on a panic. Returns the exit
/// code, stdout and stderr.
fn run(root: &Path, args: &[&str]) -> Result<(i32, String, String), String> {
    let output = Command::cargo_bin("candor")
        .map_err(|e| e.to_string())?
        .current_dir(root)
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .map_err(|e| e.to_string())?;
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let code = output.status.code().unwrap_or(-1);
    if code == 101 || stderr.contains("panicked") {
        return Err(format!(
            "`candor {}` panicked (exit {code}):\n{stderr}",
            args.join(" ")
        ));
    }
    Ok((code, stdout, stderr))
}

/// Checks one case file of the repository at `root` against `expected`.
/// `extra` are arguments given before the path, such as limits. Returns
/// every difference found.
fn check_case(root: &Path, case: &str, extra: &[&str], expected: &Expected) -> Vec<String> {
    let mut problems = Vec::new();
    let mut args = vec!["check"];
    args.extend_from_slice(extra);
    args.extend(["--format", "json", case]);
    let (code, stdout, stderr) = match run(root, &args) {
        Ok(done) => done,
        Err(panic) => return vec![panic],
    };
    if Some(code) != expected.exit {
        problems.push(format!(
            "exit {code}, expected {}; stderr: {}",
            expected.exit.unwrap_or_default(),
            stderr.trim()
        ));
    }

    let mut actual: Vec<Value> = Vec::new();
    for line in stdout.lines().filter(|l| !l.trim().is_empty()) {
        match serde_json::from_str::<Value>(line) {
            Ok(value) => actual.push(value),
            Err(e) => problems.push(format!("stdout line is not JSON ({e}): {line}")),
        }
    }
    let describe = |d: &Value| {
        let field = |name: &str| d.get(name).map(|v| v.to_string()).unwrap_or_default();
        format!(
            "{} {} {} {}:{} {} (help: {})",
            field("file"),
            field("severity"),
            field("code"),
            field("line"),
            field("column"),
            field("message"),
            field("help"),
        )
    };
    let (mut unmatched, elsewhere): (Vec<&Value>, Vec<&Value>) = actual
        .iter()
        .partition(|d| d.get("file").and_then(Value::as_str) == Some(case));
    for d in elsewhere {
        problems.push(format!("diagnostic in another file: {}", describe(d)));
    }

    for want in &expected.diagnostics {
        let position = unmatched.iter().position(|d| {
            let at = match (
                d.get("line").and_then(Value::as_u64),
                d.get("column").and_then(Value::as_u64),
            ) {
                (Some(line), Some(column)) => Some((line, column)),
                _ => None,
            };
            d.get("severity").and_then(Value::as_str) == Some(want.severity.as_str())
                && d.get("code").and_then(Value::as_str) == Some(want.code.as_str())
                && at == want.at
        });
        let Some(index) = position else {
            let at = want
                .at
                .map_or("file".to_owned(), |(l, c)| format!("{l}:{c}"));
            problems.push(format!("missing: {} {} {at}", want.severity, want.code));
            continue;
        };
        let got = unmatched.remove(index);
        let text = |name: &str| got.get(name).and_then(Value::as_str).map(str::to_owned);
        if let Some(message) = &want.message
            && text("message").as_deref() != Some(message.as_str())
        {
            problems.push(format!(
                "{} message is {:?}, expected {message:?}",
                want.code,
                text("message")
            ));
        }
        if let Some(help) = &want.help
            && text("help").as_deref() != Some(help.as_str())
        {
            problems.push(format!(
                "{} help is {:?}, expected {help:?}",
                want.code,
                text("help")
            ));
        }
    }
    for extra in unmatched {
        problems.push(format!("unexpected: {}", describe(extra)));
    }

    for render in &expected.renders {
        let mut args = vec!["render", case, "--doc", render.doc.as_str(), "--repo", "."];
        args.splice(1..1, extra.iter().copied());
        match run(root, &args) {
            Err(panic) => problems.push(panic),
            Ok((0, stdout, _)) => {
                for text in &render.contains {
                    if !stdout.contains(text.as_str()) {
                        problems.push(format!(
                            "{} does not contain {text:?}; it reads:\n{stdout}",
                            render.doc
                        ));
                    }
                }
            }
            Ok((code, _, stderr)) => problems.push(format!(
                "render {} exited {code}: {}",
                render.doc,
                stderr.trim()
            )),
        }
    }
    problems
}

/// Every file under `root` with its size and modification time, to prove
/// that no run wrote anything.
fn snapshot(root: &Path) -> BTreeMap<PathBuf, (u64, Option<SystemTime>)> {
    let mut files = BTreeMap::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let metadata = fs::metadata(&path).unwrap();
            if metadata.is_dir() {
                pending.push(path.clone());
            }
            files.insert(path, (metadata.len(), metadata.modified().ok()));
        }
    }
    files
}

/// The outcome of checking a set of cases: what failed, and how the known
/// gaps fared.
#[derive(Default)]
struct Report {
    failures: String,
    gaps: String,
    checked: usize,
}

impl Report {
    fn record(&mut self, name: &str, problems: Vec<String>) {
        self.checked += 1;
        let gap = KNOWN_GAPS.iter().find(|(stem, _)| *stem == name);
        let panicked = problems.iter().any(|p| p.contains("panicked"));
        match (gap, problems.is_empty()) {
            (None, true) => {}
            (Some(_), true) => {
                let _ = writeln!(
                    self.failures,
                    "\n{name}: now gets its expected outcome; take it off KNOWN_GAPS"
                );
            }
            (Some((_, reason)), false) if !panicked => {
                let _ = writeln!(self.gaps, "\n{name} (known gap: {reason}):");
                for problem in problems {
                    let _ = writeln!(self.gaps, "  - {problem}");
                }
            }
            _ => {
                let _ = writeln!(self.failures, "\n{name}:");
                for problem in problems {
                    let _ = writeln!(self.failures, "  - {problem}");
                }
            }
        }
    }

    fn finish(self, what: &str) {
        if !self.gaps.is_empty() {
            eprintln!(
                "known gaps in {what}, not counted as failures:{}",
                self.gaps
            );
        }
        assert!(
            self.failures.is_empty(),
            "{what}: outcomes differ from the expectations:{}",
            self.failures
        );
    }
}

#[test]
fn every_corpus_file_gets_its_expected_outcome() {
    let root = corpus_root();
    let cases = root.join("cases");
    let before = snapshot(&root);

    let mut names: Vec<String> = fs::read_dir(&cases)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(
        names.len() >= 40,
        "the corpus holds only {} files",
        names.len()
    );

    let mut report = Report::default();
    for name in &names {
        let expected_file = cases.join(format!("{name}.expected"));
        let problems = match fs::read_to_string(&expected_file) {
            Err(e) => vec![format!("cannot read {}: {e}", expected_file.display())],
            Ok(text) => match Expected::parse(&text) {
                Err(e) => vec![format!("{}: {e}", expected_file.display())],
                Ok(expected) => check_case(&root, &format!("cases/{name}.yaml"), &[], &expected),
            },
        };
        report.record(name, problems);
    }
    // An expectation without its file is a file someone forgot to add.
    for entry in fs::read_dir(&cases).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "expected")
            && !path.with_extension("yaml").is_file()
        {
            let _ = writeln!(
                report.failures,
                "\n{}: no case file beside it",
                path.display()
            );
        }
    }
    for (stem, _) in KNOWN_GAPS {
        if !names.iter().any(|n| n == stem) {
            let _ = writeln!(
                report.failures,
                "\nKNOWN_GAPS names `{stem}`, which is not in the corpus"
            );
        }
    }

    assert_eq!(before, snapshot(&root), "a run wrote into the corpus");
    report.finish("the corpus");
}

/// A hostile input made by the test: (file name, contents, extra arguments,
/// expected outcome in the `.expected` format).
struct Generated {
    name: &'static str,
    contents: Vec<u8>,
    args: &'static [&'static str],
    expected: String,
}

fn baseline() -> String {
    fs::read_to_string(corpus_root().join("cases/valid-baseline.yaml")).unwrap()
}

/// The baseline case under the id `name`.
fn case_named(name: &str) -> String {
    baseline().replacen("id: valid-baseline", &format!("id: {name}"), 1)
}

/// The hostile inputs too big to commit.
fn generated() -> Vec<Generated> {
    const MIB: usize = 1024 * 1024;
    let summary = "summary: We ended a contract after a review.";
    let mut cases = Vec::new();

    // 10 MB: refused by size before it is read.
    let mut huge = case_named("huge-10mb");
    huge.push_str("# ");
    huge.push_str(&"x".repeat(10 * MIB));
    huge.push('\n');
    cases.push(Generated {
        name: "huge-10mb",
        contents: huge.into_bytes(),
        args: &[],
        expected: "exit 1\n\
                   error file-too-large file\n  \
                   help split the file, or raise the limit with --max-file-size\n"
            .into(),
    });

    // The size limit is configurable, both ways.
    let mut over = case_named("over-configured-limit");
    over.push_str(&"# A comment that takes the file over the limit.\n".repeat(50));
    let over = over.into_bytes();
    let over_message = format!(
        "exit 1\nerror file-too-large file\n  message file is {} bytes, more than the limit of 2000 bytes\n",
        over.len()
    );
    cases.push(Generated {
        name: "over-configured-limit",
        contents: over,
        args: &["--max-file-size", "2000"],
        expected: over_message,
    });
    let mut raised = case_named("under-raised-limit");
    raised.push_str("# ");
    raised.push_str(&"x".repeat(MIB + MIB / 2));
    raised.push('\n');
    cases.push(Generated {
        name: "under-raised-limit",
        contents: raised.into_bytes(),
        args: &["--max-file-size", "2000000"],
        expected: "exit 0\n".into(),
    });

    // The classic billion laughs: nine times nine times… "lol". candor
    // reads the first key, knows no such field, and stops.
    let mut laughs = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (previous, name) in ('a'..='i').zip('b'..='j') {
        let refs = vec![format!("*{previous}"); 9].join(",");
        let _ = writeln!(laughs, "{name}: &{name} [{refs}]");
    }
    cases.push(Generated {
        name: "alias-bomb-classic",
        contents: laughs.clone().into_bytes(),
        args: &[],
        expected: "exit 1\nerror unknown-field 1:1\n".into(),
    });
    // The same bomb where a list is expected: stopped at its first element.
    let mut in_list = case_named("alias-bomb-in-list");
    in_list.push_str("talking_points:\n");
    for line in laughs.lines() {
        let _ = writeln!(in_list, "  - {line}");
    }
    cases.push(Generated {
        name: "alias-bomb-in-list",
        contents: in_list.into_bytes(),
        args: &[],
        expected: "exit 1\nerror unknown-field 47:5\n".into(),
    });
    // A bomb the case model does accept: one 300 KB text, aliased 99 times.
    let mut text_bomb = case_named("alias-bomb-text");
    text_bomb = text_bomb.replacen(
        summary,
        &format!("summary: &big {}", "lol ".repeat(75_000)),
        1,
    );
    text_bomb.push_str("talking_points:\n");
    text_bomb.push_str(&"  - text: *big\n".repeat(99));
    cases.push(Generated {
        name: "alias-bomb-text",
        contents: text_bomb.into_bytes(),
        args: &[],
        expected: "exit 1\nerror parse-budget 59:11\n".into(),
    });
    // Merge keys that double at every step: 2^30 entries if expanded.
    let mut merges = case_named("alias-bomb-merge");
    merges.push_str("faq:\n  - &m0 {question: q, answer: a}\n");
    for step in 1..30 {
        let _ = writeln!(
            merges,
            "  - &m{step} {{<<: [*m{previous}, *m{previous}]}}",
            previous = step - 1
        );
    }
    cases.push(Generated {
        name: "alias-bomb-merge",
        contents: merges.into_bytes(),
        args: &[],
        expected: "exit 1\nerror parse-budget 56:20\n  message file exceeds the parse budget: more than 1000 merge keys\n".into(),
    });
    // Many aliases of one small item.
    let mut fan_out = case_named("alias-fan-out");
    fan_out.push_str("faq:\n  - &q {question: q, answer: a}\n");
    fan_out.push_str(&"  - *q\n".repeat(5_000));
    cases.push(Generated {
        name: "alias-fan-out",
        contents: fan_out.into_bytes(),
        args: &[],
        expected: "exit 1\nerror parse-budget 1048:5\n  message file exceeds the parse budget: more than 1000 aliases\n".into(),
    });

    // 100,000 nested brackets, as a value and as the whole file.
    let brackets = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    cases.push(Generated {
        name: "nested-brackets-in-value",
        contents: case_named("nested-brackets-in-value")
            .replacen("title: Ending a contract", &format!("title: {brackets}"), 1)
            .into_bytes(),
        args: &[],
        expected: "exit 1\nerror invalid-value 2:8\n  message expected text, found a list\n".into(),
    });
    cases.push(Generated {
        name: "nested-brackets-file",
        contents: format!("{brackets}\n").into_bytes(),
        args: &[],
        expected: "exit 1\nerror parse-budget 1:65\n  message file exceeds the parse budget: collections nested too deep\n".into(),
    });
    cases.push(Generated {
        name: "nested-braces-unclosed",
        contents: case_named("nested-braces-unclosed")
            .replacen(summary, &format!("summary: {}", "{".repeat(100_000)), 1)
            .into_bytes(),
        args: &[],
        expected: "exit 1\nerror invalid-value 6:10\n  message expected text, found a mapping\n"
            .into(),
    });
    // A list nested 100,000 deep where a list of findings is expected.
    cases.push(Generated {
        name: "nested-brackets-in-list",
        contents: case_named("nested-brackets-in-list")
            .replacen(
                "findings:\n",
                &format!("findings: {brackets}\nunused:\n"),
                1,
            )
            .into_bytes(),
        args: &[],
        expected: "exit 1\nerror parse-budget 28:75\n".into(),
    });
    // Block mappings nested 500 deep.
    let mut nested = String::new();
    for depth in 0..500 {
        let _ = writeln!(nested, "{}k{depth}:", "  ".repeat(depth + 2));
    }
    let deep = case_named("deep-block-nesting").replacen(
        "  opened: 2025-02\n",
        &format!("  opened:\n{nested}"),
        1,
    );
    cases.push(Generated {
        name: "deep-block-nesting",
        contents: deep.into_bytes(),
        args: &[],
        expected: "exit 1\nerror invalid-value 19:5\n  message expected text, found a mapping\n"
            .into(),
    });

    // A case the model accepts, with more values than the budget allows.
    let mut many = case_named("many-values");
    many.push_str("next_steps: [");
    many.push_str(&vec!["{text: a}"; 40_000].join(","));
    many.push_str("]\n");
    cases.push(Generated {
        name: "many-values",
        contents: many.into_bytes(),
        args: &[],
        expected: "exit 1\nerror parse-budget 46:333014\n  message file exceeds the parse budget: more than 100000 values\n".into(),
    });
    // Many anchors, each used once.
    let mut anchors = case_named("many-anchors");
    anchors.push_str("talking_points:\n");
    for n in 0..1_100 {
        let _ = writeln!(anchors, "  - text: &t{n} point {n}");
    }
    cases.push(Generated {
        name: "many-anchors",
        contents: anchors.into_bytes(),
        args: &[],
        expected: "exit 1\nerror parse-budget 1047:18\n  message file exceeds the parse budget: more than 1000 anchors\n".into(),
    });
    // Document markers only, 100,000 of them: nothing in the file.
    cases.push(Generated {
        name: "many-document-markers",
        contents: "---\n".repeat(100_000).into_bytes(),
        args: &[],
        expected: "exit 1\nerror empty-file 1:1\n".into(),
    });
    // 50,000 documents.
    cases.push(Generated {
        name: "many-documents",
        contents: "--- a\n".repeat(50_000).into_bytes(),
        args: &[],
        expected: "exit 1\nerror invalid-value 1:5\n".into(),
    });
    // One 900 KB line of text: odd, but valid.
    cases.push(Generated {
        name: "long-line",
        contents: case_named("long-line")
            .replacen(summary, &format!("summary: {}", "word ".repeat(180_000)), 1)
            .into_bytes(),
        args: &[],
        expected: "exit 0\n".into(),
    });
    // A key longer than YAML looks ahead for.
    cases.push(Generated {
        name: "long-key",
        contents: format!("{}\n{}: x\n", case_named("long-key"), "k".repeat(100_000)).into_bytes(),
        args: &[],
        expected: "exit 1\nerror yaml-syntax 47:1\n".into(),
    });
    // Binary noise: every byte value in turn, four times over.
    let noise: Vec<u8> = (0..4).flat_map(|_| 0..=255_u8).collect();
    cases.push(Generated {
        name: "binary-noise",
        contents: noise,
        args: &[],
        expected: "exit 1\nerror not-utf8 2:118\n".into(),
    });
    cases
}

/// A copy of the corpus repository with no cases, in a temporary folder.
fn empty_repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = corpus_root();
    fs::copy(root.join("candor.yaml"), dir.path().join("candor.yaml")).unwrap();
    fs::create_dir(dir.path().join("principles")).unwrap();
    for entry in fs::read_dir(root.join("principles")).unwrap() {
        let path = entry.unwrap().path();
        fs::copy(
            &path,
            dir.path()
                .join("principles")
                .join(path.file_name().unwrap()),
        )
        .unwrap();
    }
    fs::create_dir(dir.path().join("cases")).unwrap();
    dir
}

#[test]
fn every_generated_hostile_file_gets_its_expected_outcome() {
    let dir = empty_repository();
    let root = dir.path();
    let cases = generated();
    for case in &cases {
        fs::write(
            root.join("cases").join(format!("{}.yaml", case.name)),
            &case.contents,
        )
        .unwrap();
    }
    let before = snapshot(root);
    let mut report = Report::default();
    for case in &cases {
        let problems = match Expected::parse(&case.expected) {
            Err(e) => vec![format!("expectation: {e}")],
            Ok(expected) => check_case(
                root,
                &format!("cases/{}.yaml", case.name),
                case.args,
                &expected,
            ),
        };
        report.record(case.name, problems);
    }
    assert_eq!(before, snapshot(root), "a run wrote into the repository");
    report.finish("the generated files");
}

/// Writes the generated files into `$CANDOR_CORPUS_OUT/cases`, for
/// `tests/corpus-timing.sh`.
#[test]
#[ignore = "run by tests/corpus-timing.sh"]
fn write_generated_files() {
    let Some(out) = std::env::var_os("CANDOR_CORPUS_OUT") else {
        panic!("set CANDOR_CORPUS_OUT to the folder to write into");
    };
    let cases = Path::new(&out).join("cases");
    fs::create_dir_all(&cases).unwrap();
    for case in generated() {
        fs::write(cases.join(format!("{}.yaml", case.name)), &case.contents).unwrap();
    }
}
