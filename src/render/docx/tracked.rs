//! Redlines as Word tracked changes.
