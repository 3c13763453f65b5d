//! Diagnostics as text: for people, as JSON, and as GitHub annotations.

use std::fmt::Write;

use candor::{Diagnostic, Severity};

const RED: &str = "\x1b[1;31m";
const YELLOW: &str = "\x1b[1;33m";
const BLUE: &str = "\x1b[1;34m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

/// rustc-style: the message, the location, the source line with a caret,
/// the item's path and help.
pub(super) fn human(diagnostics: &[Diagnostic], colour: bool) -> String {
    let paint = |style: &'static str| if colour { style } else { "" };
    let (bold, blue, reset) = (paint(BOLD), paint(BLUE), paint(RESET));
    let mut out = String::new();
    for d in diagnostics {
        let severity_style = match d.severity {
            Severity::Error => paint(RED),
            Severity::Warning => paint(YELLOW),
        };
        let _ = writeln!(
            out,
            "{severity_style}{}[{}]{reset}{bold}: {}{reset}",
            d.severity, d.code, d.message
        );
        let gutter = d.line.map_or(1, |l| l.to_string().len());
        let pad = " ".repeat(gutter);
        if let Some(file) = &d.file {
            let _ = match (d.line, d.column) {
                (Some(line), Some(column)) => writeln!(
                    out,
                    "{pad}{blue}-->{reset} {}:{line}:{column}",
                    file.display()
                ),
                _ => writeln!(out, "{pad}{blue}-->{reset} {}", file.display()),
            };
        }
        if let (Some(line), Some(source)) = (d.line, &d.source_line) {
            let column = d.column.unwrap_or(1).max(1) as usize;
            let shown: String = source
                .chars()
                .map(|c| if c == '\t' { ' ' } else { c })
                .collect();
            let caret_pad = " ".repeat(column - 1);
            let _ = writeln!(out, "{pad} {blue}|{reset}");
            let _ = writeln!(out, "{blue}{line} |{reset} {}", shown.trim_end());
            let _ = writeln!(
                out,
                "{pad} {blue}|{reset} {caret_pad}{severity_style}^{reset}"
            );
        }
        match (&d.path, &d.id) {
            (Some(path), Some(id)) => {
                let _ = writeln!(out, "{pad} {blue}={reset} at {path} (`{id}`)");
            }
            (Some(path), None) => {
                let _ = writeln!(out, "{pad} {blue}={reset} at {path}");
            }
            _ => {}
        }
        if let Some(help) = &d.help {
            let _ = writeln!(out, "{pad} {blue}={reset} {bold}help{reset}: {help}");
        }
        out.push('\n');
    }
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    if !diagnostics.is_empty() {
        let _ = writeln!(
            out,
            "{}: {errors} error{}, {warnings} warning{}",
            if errors > 0 { "failed" } else { "ok" },
            if errors == 1 { "" } else { "s" },
            if warnings == 1 { "" } else { "s" },
        );
    }
    out
}

/// One JSON object per line, with the fields of [`Diagnostic`].
pub(super) fn json(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        match serde_json::to_string(d) {
            Ok(line) => {
                out.push_str(&line);
                out.push('\n');
            }
            Err(e) => {
                let _ = writeln!(
                    out,
                    "{{\"code\":\"internal\",\"message\":{:?}}}",
                    e.to_string()
                );
            }
        }
    }
    out
}

/// GitHub Actions workflow commands: `::error file=…,line=…,col=…,title=…::message`.
pub(super) fn github(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut properties = Vec::new();
        if let Some(file) = &d.file {
            properties.push(format!(
                "file={}",
                escape_property(&file.display().to_string())
            ));
        }
        if let Some(line) = d.line {
            properties.push(format!("line={line}"));
        }
        if let Some(column) = d.column {
            properties.push(format!("col={column}"));
        }
        properties.push(format!("title={}", escape_property(d.code.as_str())));
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        let _ = writeln!(
            out,
            "::{command} {}::{}",
            properties.join(","),
            escape_data(&message)
        );
    }
    out
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}
