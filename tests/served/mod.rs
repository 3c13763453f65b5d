//! A `candor serve` run for a test: started on a free port of 127.0.0.1,
//! stopped when dropped.

#![allow(dead_code, clippy::unwrap_used)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// A copy of the bundled repository: settings, principles, cases, templates.
pub(crate) fn bundled_copy() -> TempDir {
    let repo = TempDir::new().unwrap();
    let bundled = super::common::bundled_repo();
    std::fs::copy(bundled.join("candor.yaml"), repo.path().join("candor.yaml")).unwrap();
    for folder in ["principles", "cases", "templates"] {
        super::common::copy_dir(&bundled.join(folder), &repo.path().join(folder));
    }
    repo
}

/// A running `candor serve`.
pub(crate) struct Served {
    child: Child,
    /// Where the page is: `http://127.0.0.1:PORT/`.
    pub(crate) url: String,
}

impl Served {
    /// Starts `candor serve` on `repo`, on a port the system picks, and
    /// waits until it says where it listens.
    pub(crate) fn start(repo: &Path) -> Served {
        let mut child = Command::new(env!("CARGO_BIN_EXE_candor"))
            .args(["serve", "--port", "0", "--repo"])
            .arg(repo)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut line = String::new();
        stderr.read_line(&mut line).unwrap();
        let url = line
            .split_whitespace()
            .find(|word| word.starts_with("http://"))
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .to_owned();
        // Keep reading, so the server never blocks on a full pipe.
        std::thread::spawn(move || {
            let mut rest = String::new();
            while stderr.read_line(&mut rest).is_ok_and(|n| n > 0) {
                eprint!("serve: {rest}");
                rest.clear();
            }
        });
        Served { child, url }
    }

    /// `127.0.0.1:PORT`.
    pub(crate) fn address(&self) -> String {
        self.url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_owned()
    }

    /// Waits until the version is past `before`, and returns it.
    pub(crate) fn wait_for_version_after(&self, before: u64, limit: Duration) -> u64 {
        let started = Instant::now();
        loop {
            let now: u64 = get(&format!("{}version", self.url)).trim().parse().unwrap();
            if now > before {
                return now;
            }
            assert!(
                started.elapsed() < limit,
                "the version stayed at {before} for {limit:?}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The body of a successful GET.
pub(crate) fn get(url: &str) -> String {
    ureq::get(url)
        .call()
        .unwrap_or_else(|e| panic!("GET {url}: {e}"))
        .body_mut()
        .read_to_string()
        .unwrap()
}
