//! A progress bar for long builds, on standard error.
//!
//! Shown only when standard error is a terminal, not under CI (the `CI`
//! variable every CI service sets), and only once a build has run long
//! enough to need one: a quick build, a pipe or a log gets nothing extra.
//! The library reports progress through a callback; only this prints it.

use std::io::{self, IsTerminal, Write};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use candor::{Progress, Stage};

/// How long a build runs before the bar appears.
const QUIET_FOR: Duration = Duration::from_millis(300);
/// How often the bar is redrawn at most.
const REDRAW_EVERY: Duration = Duration::from_millis(80);
/// The bar's width, in characters.
const WIDTH: usize = 30;

/// A progress bar that draws itself only where it belongs.
pub(crate) struct Bar {
    enabled: bool,
    started: Instant,
    /// When the bar was last drawn; `None` until it first is.
    drawn: Mutex<Option<Instant>>,
}

impl Bar {
    /// A bar on standard error, enabled only on a terminal outside CI.
    pub(crate) fn on_stderr() -> Bar {
        let under_ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty());
        let dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
        Bar {
            enabled: io::stderr().is_terminal() && !under_ci && !dumb,
            started: Instant::now(),
            drawn: Mutex::new(None),
        }
    }

    /// Shows `progress`, if the bar is enabled and due for a redraw. Called
    /// from many threads; a thread that finds another drawing moves on.
    pub(crate) fn update(&self, progress: Progress) {
        if !self.enabled || self.started.elapsed() < QUIET_FOR {
            return;
        }
        let Ok(mut drawn) = self.drawn.try_lock() else {
            return;
        };
        let now = Instant::now();
        let finished = progress.done >= progress.total;
        if drawn.is_some_and(|at| now.duration_since(at) < REDRAW_EVERY) && !finished {
            return;
        }
        *drawn = Some(now);
        let _ = io::stderr().lock().write_all(line(progress).as_bytes());
    }

    /// Clears the bar, if it was drawn, so what follows starts on a clean
    /// line.
    pub(crate) fn finish(&self) {
        let drawn = self.drawn.lock().map(|d| d.is_some()).unwrap_or(true);
        if self.enabled && drawn {
            let _ = io::stderr().lock().write_all(b"\r\x1b[2K");
        }
    }
}

/// `\r  reading [#########.....................]  3000/10000 cases`
fn line(progress: Progress) -> String {
    let stage = match progress.stage {
        Stage::Reading => "reading",
        Stage::Rendering => "rendering",
    };
    let filled = (progress.done * WIDTH)
        .checked_div(progress.total)
        .unwrap_or(WIDTH)
        .min(WIDTH);
    format!(
        "\r\x1b[2K{stage:>9} [{}{}] {}/{} cases",
        "#".repeat(filled),
        ".".repeat(WIDTH - filled),
        progress.done,
        progress.total
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bar_fills_in_proportion() {
        let at = |done, total| {
            line(Progress {
                stage: Stage::Rendering,
                done,
                total,
            })
        };
        assert!(at(0, 10).contains(&format!("[{}]", ".".repeat(WIDTH))));
        assert!(at(5, 10).contains(&format!("[{}{}]", "#".repeat(15), ".".repeat(15))));
        assert!(at(10, 10).contains(&format!("[{}]", "#".repeat(WIDTH))));
        assert!(at(0, 0).contains(&format!("[{}]", "#".repeat(WIDTH))));
    }
}
