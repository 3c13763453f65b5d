//! Nothing is published while a value still says `TODO`: `candor new`
//! writes a case full of placeholders, and each is reported, located, until
//! someone writes the real text.

use crate::diagnostic::{Code, Diagnostic};
use crate::load::Repository;

pub(super) fn check(repository: &Repository, diagnostics: &mut Vec<Diagnostic>) {
    // Earlier cases read only so that an update's references resolve are
    // not the files being checked.
    let checked_file = |file: &std::path::Path| {
        file == repository.settings.file
            || repository.principles.iter().any(|p| p.file == file)
            || repository.cases.iter().any(|c| c.file == file)
    };
    for placeholder in &repository.placeholders {
        if !checked_file(&placeholder.file) {
            continue;
        }
        let field = placeholder
            .path
            .rsplit('.')
            .next()
            .unwrap_or(&placeholder.path);
        diagnostics.push(
            Diagnostic::new(
                Code::Placeholder,
                format!("`{field}` is still a placeholder"),
            )
            .in_file(&placeholder.file)
            .at(placeholder.pos)
            .with_path(placeholder.path.clone())
            .with_help("replace the TODO text with the real one"),
        );
    }
}
