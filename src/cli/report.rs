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

/// The trace as two tables: actions with their justification, then every
/// item with the documents citing it. Aligned text for a terminal, or
/// markdown to paste into a review.
pub(super) fn trace_table(trace: &candor::trace::Trace, markdown: bool) -> String {
    let mut out = String::new();
    if markdown {
        let _ = writeln!(out, "## Trace of `{}`: {}\n", trace.case, trace.title);
    } else {
        let _ = writeln!(out, "{}: {}\n", trace.case, trace.title);
    }
    let mut actions = vec![vec![
        "Action".to_owned(),
        "Visibility".to_owned(),
        "State".to_owned(),
        "Principles".to_owned(),
        "Findings".to_owned(),
        "Exception to".to_owned(),
        "Bound by".to_owned(),
        "Cited in".to_owned(),
    ]];
    for action in &trace.actions {
        actions.push(vec![
            format!("{} {}", action.label, action.id),
            action.visibility.to_owned(),
            action.state.to_owned(),
            none_if_empty(action.principles.join(", ")),
            none_if_empty(action.findings.join(", ")),
            none_if_empty(action.exception_to.join(", ")),
            none_if_empty(action.bound_by.join(", ")),
            none_if_empty(action.cited_in.join(", ")),
        ]);
    }
    table(&mut out, &actions, markdown);
    out.push('\n');
    let mut header = vec![
        "Item".to_owned(),
        "Kind".to_owned(),
        "Visibility".to_owned(),
    ];
    header.extend(trace.documents.iter().cloned());
    let mut items = vec![header];
    for item in &trace.items {
        let mut row = vec![
            format!("{} {}", item.label, item.id),
            item.kind.to_owned(),
            item.visibility.to_owned(),
        ];
        row.extend(trace.documents.iter().map(|kind| {
            if item.cited_in.contains(kind) {
                "cited".to_owned()
            } else {
                "-".to_owned()
            }
        }));
        items.push(row);
    }
    table(&mut out, &items, markdown);
    out
}

fn none_if_empty(text: String) -> String {
    if text.is_empty() {
        "-".to_owned()
    } else {
        text
    }
}

fn table(out: &mut String, rows: &[Vec<String>], markdown: bool) {
    let columns = rows.first().map_or(0, Vec::len);
    let cell = |text: &str| {
        if markdown {
            text.replace('|', "\\|")
        } else {
            text.to_owned()
        }
    };
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .map(|row| row.get(c).map_or(0, |t| cell(t).chars().count()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    for (index, row) in rows.iter().enumerate() {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(text, width)| {
                let text = cell(text);
                let pad = width.saturating_sub(text.chars().count());
                format!("{text}{}", " ".repeat(pad))
            })
            .collect();
        if markdown {
            let _ = writeln!(out, "| {} |", cells.join(" | "));
            if index == 0 {
                let rule: Vec<String> = widths.iter().map(|w| "-".repeat((*w).max(3))).collect();
                let _ = writeln!(out, "| {} |", rule.join(" | "));
            }
        } else {
            let _ = writeln!(out, "{}", cells.join("  ").trim_end());
        }
    }
}
