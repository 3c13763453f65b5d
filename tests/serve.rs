//! `candor serve` as a client sees it: the page, its updates as files
//! change, errors shown in the page, and odd requests answered, not fatal.
//! The real-browser test is in `browser.rs`.

#![allow(clippy::unwrap_used)]

mod common;
mod served;

use std::fs;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use served::{Served, bundled_copy, get};

#[test]
fn the_page_lists_the_cases_and_shows_each_ones_documents_trace_and_diagnostics() {
    let repo = bundled_copy();
    let served = Served::start(repo.path());
    let page = get(&served.url);
    assert!(page.contains("<script src=\"/preview.js\""), "{page}");
    for id in common::bundled_case_ids() {
        assert!(page.contains(&format!("href=\"/?case={id}\"")), "{id}");
    }
    let case = get(&format!("{}?case=imod-azure-services", served.url));
    for kind in ["employee-memo", "public-statement", "press-qa"] {
        assert!(case.contains(&format!("data-kind=\"{kind}\"")), "{kind}");
    }
    assert!(case.contains("<section class=\"trace\">"));
    // The trace as two tables under their own headings, sources named in
    // words rather than by their raw footnote marker.
    assert!(
        case.contains("<h3>Why each action was taken</h3>"),
        "{case}"
    );
    assert!(case.contains("<h3>Where each item is cited</h3>"));
    assert!(
        case.contains("<b>source 1</b> guardian-2025-08-06"),
        "{case}"
    );
    assert!(!case.contains("[^1]"));
    // Each document's footnote links stay within it.
    assert!(case.contains("id=\"employee-memo-fn-1\""), "{case}");
    assert!(case.contains("href=\"#public-statement-fn-1\""));
    assert!(!case.contains("id=\"fn-1\""));
    // A case with warnings lists them; the bundled ones are clean.
    assert!(!case.contains("class=\"diagnostics\""));
    assert!(get(&format!("{}preview.js", served.url)).contains("/version"));
}

#[test]
fn each_document_links_to_the_print_ready_page_build_html_writes() {
    let repo = bundled_copy();
    common::run(repo.path(), &["build", "--html"], 0);
    let served = Served::start(repo.path());
    let case = get(&format!("{}?case=imod-azure-services", served.url));
    for kind in ["employee-memo", "public-statement", "press-qa"] {
        let link = format!("href=\"/page?case=imod-azure-services&amp;doc={kind}\"");
        assert!(case.contains(&link), "{kind}: {case}");
        let page = get(&format!(
            "{}page?case=imod-azure-services&doc={kind}",
            served.url
        ));
        let built = fs::read_to_string(
            repo.path()
                .join(format!("out/imod-azure-services/{kind}.html")),
        )
        .unwrap();
        assert_eq!(page, built, "{kind}");
    }
    let missing = raw(
        &served,
        format!(
            "GET /page?case=imod-azure-services&doc=no-such-kind HTTP/1.1\r\nHost: {}\r\n\r\n",
            served.address()
        )
        .as_bytes(),
    );
    assert!(missing.starts_with("HTTP/1.1 404"), "{missing}");
}

#[test]
fn each_case_shows_where_it_stands_in_review_and_its_redline_since_sign_off() {
    let repo = bundled_copy();
    // Nobody has signed off on anything: no case is shown as done.
    let served = Served::start(repo.path());
    let page = get(&served.url);
    assert!(!page.contains("clean"), "{page}");
    assert_eq!(
        page.matches("class=\"state\">in review · awaiting legal and communications<")
            .count(),
        common::bundled_case_ids().len(),
        "{page}"
    );
    drop(served);

    for (role, by) in [("legal", "Jane Doe"), ("communications", "Sam Lee")] {
        common::candor(repo.path())
            .args(["approve", "imod-azure-services", "--role", role, "--by", by])
            .assert()
            .success();
    }
    // What was signed off is found again in git history.
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
        let status = std::process::Command::new("git")
            .args(args)
            .current_dir(repo.path())
            .status()
            .unwrap();
        assert!(status.success());
    }
    let served = Served::start(repo.path());
    let case = get(&format!("{}?case=imod-azure-services", served.url));
    assert!(
        case.contains("in review · every sign-off in: set `status: approved`"),
        "{case}"
    );
    assert!(case.contains("No document has changed."), "{case}");

    let file = repo.path().join("cases/imod-azure-services.yaml");
    let text = fs::read_to_string(&file).unwrap();
    let before: u64 = get(&format!("{}version", served.url))
        .trim()
        .parse()
        .unwrap();
    fs::write(
        &file,
        text.replacen("title: Ceasing and disabling", "title: Ending", 1),
    )
    .unwrap();
    served.wait_for_version_after(before, Duration::from_secs(10));
    let case = get(&format!("{}content?case=imod-azure-services", served.url));
    assert!(
        case.contains("in review · awaiting legal (void: given before the last change)"),
        "{case}"
    );
    assert!(case.contains("<section class=\"redline\""), "{case}");
    assert!(case.contains("<h3>Changes since the "), "{case}");
    assert!(case.contains("<ins>Ending</ins>"), "{case}");
}

#[test]
fn an_edit_moves_the_version_and_the_content_follows_within_a_second() {
    let repo = bundled_copy();
    let served = Served::start(repo.path());
    let before: u64 = get(&format!("{}version", served.url))
        .trim()
        .parse()
        .unwrap();
    let file = repo.path().join("cases/imod-azure-services.yaml");
    let text = fs::read_to_string(&file).unwrap();
    let edited = text.replacen(
        "title: Ceasing and disabling",
        "title: Edited while previewing, ceasing and disabling",
        1,
    );
    assert_ne!(text, edited);
    let started = Instant::now();
    fs::write(&file, edited).unwrap();
    let moved = served.wait_for_version_after(before, Duration::from_secs(10));
    let took = started.elapsed();
    eprintln!("the version moved {took:?} after the edit");
    assert!(moved > before);
    assert!(took < Duration::from_secs(1), "{took:?}");
    let content = get(&format!("{}content?case=imod-azure-services", served.url));
    assert!(content.contains("Edited while previewing"), "{content}");
    // A change to a principle, candor.yaml or a template counts too.
    fs::write(
        repo.path().join("candor.yaml"),
        fs::read_to_string(repo.path().join("candor.yaml"))
            .unwrap()
            .replacen("name: Microsoft", "name: Microsoft Corporation", 1),
    )
    .unwrap();
    served.wait_for_version_after(moved, Duration::from_secs(10));
    let content = get(&format!("{}content?case=imod-azure-services", served.url));
    assert!(content.contains("Microsoft Corporation"));
}

#[test]
fn a_broken_case_shows_its_errors_in_the_page_and_the_others_still_render() {
    let repo = bundled_copy();
    let served = Served::start(repo.path());
    let before: u64 = get(&format!("{}version", served.url))
        .trim()
        .parse()
        .unwrap();
    fs::write(
        repo.path().join("cases/broken-case.yaml"),
        "id: broken-case\ntitle: Broken\ndate: 2025-02-30\nsummary: S\n",
    )
    .unwrap();
    served.wait_for_version_after(before, Duration::from_secs(10));
    let broken = get(&format!("{}content?case=broken-case", served.url));
    assert!(broken.contains("class=\"diagnostics\""), "{broken}");
    assert!(broken.contains("error[invalid-date]"), "{broken}");
    assert!(broken.contains("cases/broken-case.yaml:3:7"), "{broken}");
    assert!(!broken.contains("class=\"documents\""), "{broken}");
    let sound = get(&format!("{}content?case=imod-azure-services", served.url));
    assert!(sound.contains("data-kind=\"employee-memo\""));
    // The list marks the broken case.
    assert!(sound.contains("<li class=\"broken\"><a href=\"/?case=broken-case\""));
}

/// Sends `request` as raw bytes and returns what came back.
fn raw(served: &Served, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(served.address()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    // The server may answer and close before reading everything sent.
    let _ = stream.write_all(request);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

#[test]
fn odd_requests_get_plain_answers_and_the_server_carries_on() {
    let repo = bundled_copy();
    let served = Served::start(repo.path());
    let status = |request: &[u8]| {
        raw(&served, request)
            .lines()
            .next()
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(status(b"nonsense\r\n\r\n"), "HTTP/1.1 400 Bad Request");
    assert_eq!(
        status(b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"),
        "HTTP/1.1 405 Method Not Allowed"
    );
    assert_eq!(
        status(b"GET /../../etc/passwd HTTP/1.1\r\n\r\n"),
        "HTTP/1.1 404 Not Found"
    );
    let huge = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(100_000));
    assert_eq!(
        status(huge.as_bytes()),
        "HTTP/1.1 431 Request Header Fields Too Large"
    );
    // A page elsewhere pointing its own name at this port reads nothing.
    assert_eq!(
        status(b"GET / HTTP/1.1\r\nHost: evil.example:4000\r\n\r\n"),
        "HTTP/1.1 403 Forbidden"
    );
    assert_eq!(
        status(&[0xff, 0xfe, b'\r', b'\n', b'\r', b'\n']),
        "HTTP/1.1 400 Bad Request"
    );
    // A client that connects and says nothing is dropped, not waited on forever.
    let _silent = TcpStream::connect(served.address()).unwrap();
    let page = get(&served.url);
    assert!(page.contains("imod-azure-services"));
    let head = raw(
        &served,
        format!("HEAD / HTTP/1.1\r\nHost: {}\r\n\r\n", served.address()).as_bytes(),
    );
    assert!(head.starts_with("HTTP/1.1 200 OK"), "{head}");
    assert!(head.ends_with("\r\n\r\n"), "{head}");
}

#[test]
fn it_listens_on_loopback_only_and_refuses_a_missing_repository() {
    let repo = bundled_copy();
    let served = Served::start(repo.path());
    assert!(
        served.url.starts_with("http://127.0.0.1:"),
        "{}",
        served.url
    );
    let missing = repo.path().join("nowhere");
    common::candor(repo.path())
        .args(["serve", "--port", "0", "--repo"])
        .arg(&missing)
        .assert()
        .code(2);
}

/// A client trickling its request a byte at a time is cut off at the
/// request's deadline, however often it sends: it cannot hold one of the
/// few connections served at once for as long as it likes.
#[test]
fn a_client_trickling_its_request_is_cut_off() {
    let repo = served::bundled_copy();
    let served = Served::start(repo.path());
    let mut slow = TcpStream::connect(served.address()).unwrap();
    slow.set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    let mut closed_after = None;
    // A byte a second, each well within any per-read timeout, for twice
    // the request's deadline.
    for (sent, byte) in b"GET / HTTP/1.1\r\nX-Slow: 1".iter().take(10).enumerate() {
        if slow.write_all(&[*byte]).is_err() {
            closed_after = Some(sent);
            break;
        }
        let mut answer = [0_u8; 512];
        match slow.read(&mut answer) {
            Ok(_) => {
                closed_after = Some(sent);
                break;
            }
            Err(e)
                if e.kind() == std::io::ErrorKind::WouldBlock
                    || e.kind() == std::io::ErrorKind::TimedOut => {}
            Err(_) => {
                closed_after = Some(sent);
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(800));
    }
    assert!(
        closed_after.is_some(),
        "the trickling client was never cut off"
    );
    // Others are still served.
    assert!(get(&served.url).contains("imod-azure-services"));
}
