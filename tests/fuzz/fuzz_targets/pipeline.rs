//! Any bytes as a case file, beside the bundled settings and principles,
//! through the whole pipeline with HTML: it must end in documents or
//! diagnostics, never a panic or a hang.

#![no_main]

use std::fs;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

const SETTINGS: &str = include_str!("../../../candor.yaml");
const PRINCIPLES: &[(&str, &str)] = &[
    (
        "customer-privacy.yaml",
        include_str!("../../../principles/customer-privacy.yaml"),
    ),
    (
        "no-mass-surveillance.yaml",
        include_str!("../../../principles/no-mass-surveillance.yaml"),
    ),
];

/// One repository reused by every run: only the case file changes.
fn repository() -> &'static tempfile::TempDir {
    static REPOSITORY: OnceLock<tempfile::TempDir> = OnceLock::new();
    REPOSITORY.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temporary folder");
        fs::write(dir.path().join("candor.yaml"), SETTINGS).expect("settings");
        fs::create_dir(dir.path().join("principles")).expect("principles folder");
        for (name, text) in PRINCIPLES {
            fs::write(dir.path().join("principles").join(name), text).expect("a principle");
        }
        fs::create_dir(dir.path().join("cases")).expect("cases folder");
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let root = repository().path();
    if fs::write(root.join("cases/fuzzed.yaml"), data).is_err() {
        return;
    }
    let options = candor::Options {
        html: true,
        ..candor::Options::default()
    };
    let _ = candor::build(&[root.to_path_buf()], options);
});
