//! `candor serve` in a real browser: headless Chromium, driven through
//! chromedriver's WebDriver protocol (plain HTTP and JSON), opens the
//! preview, a case file is edited, and the new text must appear in the open
//! page without a reload and without losing its scroll position. A
//! screenshot of the page is saved for people to look at.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`.ci/run` installs
//! them). Without them the test is reported ignored, with the reason,
//! unless `CI` is set: in CI a missing browser is a failure. The test
//! decides that as it runs, so it has its own harness (libtest-mimic)
//! rather than `#[test]`, which cannot ignore a test at run time.

#![allow(clippy::unwrap_used)]

mod common;
mod served;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use served::{Served, bundled_copy};

/// The program named by `env`, else the first of `candidates` that exists,
/// else the program on `PATH`; none when the one found is not a file.
fn find(env: &str, candidates: &[&str], program: &str) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(env) {
        return Some(PathBuf::from(path)).filter(|path| path.is_file());
    }
    let on_path = std::env::var_os("PATH")
        .map(|paths| {
            std::env::split_paths(&paths)
                .map(|dir| dir.join(program))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    candidates
        .iter()
        .map(PathBuf::from)
        .chain(on_path)
        .find(|path| path.is_file())
}

/// chromedriver, listening on a free port, stopped when dropped.
struct Driver {
    child: Child,
    url: String,
    agent: ureq::Agent,
}

impl Driver {
    fn start(chromedriver: &Path) -> Driver {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .new_agent();
        let driver = Driver {
            child,
            url: format!("http://127.0.0.1:{port}"),
            agent,
        };
        let started = Instant::now();
        while driver
            .agent
            .get(&format!("{}/status", driver.url))
            .call()
            .is_err()
        {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "chromedriver did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        driver
    }

    fn send(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}{path}", self.url);
        let mut response = match (method, body) {
            ("GET", _) => self.agent.get(&url).call(),
            ("DELETE", _) => self.agent.delete(&url).call(),
            (_, body) => self.agent.post(&url).send_json(body.unwrap_or(json!({}))),
        }
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let status = response.status();
        let answer: Value = response.body_mut().read_json().unwrap();
        assert!(status.is_success(), "{method} {path}: {status} {answer}");
        answer["value"].clone()
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A browser window, closed when dropped.
struct Browser<'d> {
    driver: &'d Driver,
    session: String,
}

impl<'d> Browser<'d> {
    fn open(driver: &'d Driver, chromium: &Path, profile: &Path) -> Browser<'d> {
        let args = [
            "--headless=new".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-quic".to_owned(),
            "--no-first-run".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-component-update".to_owned(),
            "--disable-sync".to_owned(),
            "--disable-dev-shm-usage".to_owned(),
            "--window-size=1600,1000".to_owned(),
            format!("--user-data-dir={}", profile.display()),
        ];
        let created = driver.send(
            "POST",
            "/session",
            Some(json!({
                "capabilities": { "alwaysMatch": {
                    "browserName": "chrome",
                    "goog:chromeOptions": { "binary": chromium, "args": args }
                }}
            })),
        );
        Browser {
            driver,
            session: created["sessionId"].as_str().unwrap().to_owned(),
        }
    }

    fn go(&self, url: &str) {
        self.driver.send(
            "POST",
            &format!("/session/{}/url", self.session),
            Some(json!({ "url": url })),
        );
    }

    fn run(&self, script: &str) -> Value {
        self.driver.send(
            "POST",
            &format!("/session/{}/execute/sync", self.session),
            Some(json!({ "script": script, "args": [] })),
        )
    }

    /// Runs `script` until it returns `true`; how long that took.
    fn wait_until(&self, script: &str, limit: Duration) -> Duration {
        let started = Instant::now();
        loop {
            if self.run(script) == json!(true) {
                return started.elapsed();
            }
            assert!(started.elapsed() < limit, "still not true: {script}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Resizes the window, as a reviewer with a smaller screen has it.
    fn resize(&self, width: u32, height: u32) {
        self.driver.send(
            "POST",
            &format!("/session/{}/window/rect", self.session),
            Some(json!({ "width": width, "height": height })),
        );
    }

    fn screenshot(&self) -> Vec<u8> {
        let png = self.driver.send(
            "GET",
            &format!("/session/{}/screenshot", self.session),
            None,
        );
        base64_decode(png.as_str().unwrap())
    }
}

impl Drop for Browser<'_> {
    fn drop(&mut self) {
        let _ = self
            .driver
            .agent
            .delete(&format!("{}/session/{}", self.driver.url, self.session))
            .call();
    }
}

fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    let digits: Vec<u8> = text
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
        .map(value)
        .collect();
    let mut bytes = Vec::with_capacity(digits.len() * 3 / 4);
    for group in digits.chunks(4) {
        let n = group
            .iter()
            .enumerate()
            .fold(0_u32, |n, (i, d)| n | (u32::from(*d) << (18 - 6 * i)));
        let [_, a, b, c] = n.to_be_bytes();
        bytes.extend_from_slice(&[a, b, c][..group.len() - 1]);
    }
    bytes
}

fn main() {
    let arguments = libtest_mimic::Arguments::from_args();
    let trials = vec![libtest_mimic::Trial::ignorable_test(
        "an_edit_appears_in_the_open_page_without_a_reload",
        || Ok(an_edit_appears_in_the_open_page_without_a_reload()),
    )];
    libtest_mimic::run(&arguments, trials).exit();
}

fn an_edit_appears_in_the_open_page_without_a_reload() -> libtest_mimic::Completion {
    let chromium = find(
        "CANDOR_CHROMIUM",
        &["/usr/bin/chromium", "/usr/bin/chromium-browser"],
        "chromium",
    );
    let chromedriver = find(
        "CANDOR_CHROMEDRIVER",
        &["/usr/bin/chromedriver"],
        "chromedriver",
    );
    let (Some(chromium), Some(chromedriver)) = (chromium, chromedriver) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but chromium or chromedriver is missing: \
             apt-get install chromium chromium-driver (.ci/run does)"
        );
        return libtest_mimic::Completion::ignored_with(
            "needs chromium and chromedriver (apt-get install chromium chromium-driver)",
        );
    };

    let repo = bundled_copy();
    // Signed off and committed, so an edit shows as a redline.
    for (role, by) in [("legal", "Jane Doe"), ("communications", "Sam Lee")] {
        common::candor(repo.path())
            .args(["approve", "imod-azure-services", "--role", role, "--by", by])
            .assert()
            .success();
    }
    for args in [
        &["init", "-q"][..],
        &["add", "-A"],
        &[
            "-c",
            "user.name=T",
            "-c",
            "user.email=t@example.com",
            "commit",
            "-qm",
            "signed off",
        ],
    ] {
        assert!(
            Command::new("git")
                .args(args)
                .current_dir(repo.path())
                .status()
                .unwrap()
                .success()
        );
    }
    let served = Served::start(repo.path());
    let driver = Driver::start(&chromedriver);
    let profile = tempfile::TempDir::new().unwrap();
    let browser = Browser::open(&driver, &chromium, profile.path());
    browser.go(&format!("{}?case=imod-azure-services", served.url));
    browser.wait_until(
        "return document.querySelectorAll('.document').length >= 3",
        Duration::from_secs(20),
    );

    // The documents stand side by side: same top, each to the right of the last.
    let boxes = browser.run(
        "return Array.from(document.querySelectorAll('.document'), d => {\
           const r = d.getBoundingClientRect(); return [d.dataset.kind, r.left, r.top, r.width]; })",
    );
    let boxes = boxes.as_array().unwrap();
    assert_eq!(boxes[0][0], "employee-memo");
    assert_eq!(boxes[1][0], "public-statement");
    let (first, second) = (&boxes[0], &boxes[1]);
    assert_eq!(first[2], second[2], "{boxes:?}");
    assert!(
        second[1].as_f64().unwrap() >= first[1].as_f64().unwrap() + first[3].as_f64().unwrap(),
        "{boxes:?}"
    );
    assert!(
        browser.run("return document.body.innerText.includes('Why each action was taken')")
            == json!(true)
    );

    // Something a reload would wipe, and a scroll position to keep.
    let scrolled = browser.run(
        "window.candorMarker = 'still here';\
         const memo = document.querySelector('[data-keep-scroll=\"doc-employee-memo\"]');\
         memo.scrollTop = 150; return memo.scrollTop;",
    );
    assert!(scrolled.as_f64().unwrap() > 0.0, "{scrolled}");

    let file = repo.path().join("cases/imod-azure-services.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    let edited = text.replacen(
        "title: Ceasing and disabling",
        "title: Edited in the browser test, ceasing and disabling",
        1,
    );
    assert_ne!(text, edited);
    std::fs::write(&file, edited).unwrap();
    let took = browser.wait_until(
        "return document.querySelector('main h2').textContent.startsWith('Edited in the browser test')",
        Duration::from_secs(10),
    );
    eprintln!("the edit appeared in the page {took:?} after it was saved");
    assert!(took < Duration::from_secs(3), "{took:?}");
    assert_eq!(
        browser.run("return window.candorMarker"),
        json!("still here"),
        "the page reloaded"
    );
    assert_eq!(
        browser.run(
            "return document.querySelector('[data-keep-scroll=\"doc-employee-memo\"]').scrollTop"
        ),
        scrolled,
        "the memo lost its scroll position"
    );
    assert!(
        browser
            .run("return document.querySelectorAll('.document h1')[0].textContent")
            .as_str()
            .unwrap()
            .starts_with("Edited in the browser test"),
    );

    // The edit voided both sign-offs: the list and the case say so, and the
    // redline shows the change.
    browser.wait_until(
        "return document.querySelector('.redline ins') !== null",
        Duration::from_secs(10),
    );
    let state = browser.run("return document.querySelector('nav [aria-current]').parentElement.querySelector('.state').textContent");
    assert!(
        state
            .as_str()
            .unwrap()
            .starts_with("in review · awaiting legal (void"),
        "{state}"
    );

    // At 1,400 px every document is whole: none reaches past the page's
    // right edge, and none is wider than its box.
    browser.resize(1400, 1000);
    std::thread::sleep(Duration::from_millis(300));
    let clipped = browser.run(
        "const main = document.querySelector('main').getBoundingClientRect();\
         return Array.from(document.querySelectorAll('.document'), d => {\
           const r = d.getBoundingClientRect();\
           return [d.dataset.kind, r.left >= main.left - 1 && r.right <= main.right + 1\
             && d.scrollWidth <= d.clientWidth + 1];\
         }).filter(([, whole]) => !whole).map(([kind]) => kind);",
    );
    assert_eq!(clipped, json!([]), "cut off at 1,400 px");
    assert_eq!(
        browser.run("return document.documentElement.scrollWidth <= window.innerWidth"),
        json!(true)
    );

    let png = browser.screenshot();
    assert!(png.starts_with(b"\x89PNG"), "not a PNG");
    let saved = Path::new(env!("CARGO_TARGET_TMPDIR")).join("serve-preview.png");
    std::fs::write(&saved, &png).unwrap();
    eprintln!("screenshot: {}", saved.display());
    browser.run("document.querySelector('.documents').scrollIntoView()");
    let saved = Path::new(env!("CARGO_TARGET_TMPDIR")).join("serve-preview-documents.png");
    std::fs::write(&saved, browser.screenshot()).unwrap();
    eprintln!("screenshot: {}", saved.display());
    libtest_mimic::Completion::Completed
}
