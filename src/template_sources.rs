//! The templates a repository can use, and copying a built-in one into
//! the repository to be customised: `candor templates` and `candor
//! templates eject`.

use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::load;
use crate::outcome::Options;
use crate::render;

/// Where a template comes from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TemplateSource {
    /// The name documents refer to it by.
    pub name: String,
    /// The user's file, when the user has one of this name.
    pub user_file: Option<PathBuf>,
    /// Whether candor has a built-in template of this name.
    pub built_in: bool,
}

/// Every template a repository can use: built-in, the user's, and which
/// user templates replace a built-in.
pub fn templates(root: &Path, options: Options) -> Result<Vec<TemplateSource>, Error> {
    let repository = load::open(&[root.to_path_buf()], options.limits)?;
    let mut sources: Vec<TemplateSource> = render::BUILTIN_TEMPLATES
        .iter()
        .map(|(name, _)| TemplateSource {
            name: (*name).to_owned(),
            user_file: None,
            built_in: true,
        })
        .collect();
    for template in &repository.templates {
        match sources.iter_mut().find(|s| s.name == template.name) {
            Some(source) => source.user_file = Some(template.file.clone()),
            None => sources.push(TemplateSource {
                name: template.name.clone(),
                user_file: Some(template.file.clone()),
                built_in: false,
            }),
        }
    }
    sources.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(sources)
}

/// Copies the built-in template `name` into the repository's `templates/`
/// folder, to be customised there. Refuses to overwrite a file.
pub fn eject_template(root: &Path, name: &str) -> Result<PathBuf, Error> {
    let Some((_, text)) = render::BUILTIN_TEMPLATES.iter().find(|(n, _)| *n == name) else {
        let known: Vec<&str> = render::BUILTIN_TEMPLATES.iter().map(|(n, _)| *n).collect();
        return Err(Error::Usage(format!(
            "no built-in template `{name}`; the built-in templates are: {}",
            known.join(", ")
        )));
    };
    let root = load::find_root(root).unwrap_or_else(|| root.to_path_buf());
    let folder = root.join("templates");
    let target = folder.join(name);
    if target.exists() {
        return Err(Error::Usage(format!(
            "{} already exists; remove it first to eject the built-in again",
            target.display()
        )));
    }
    std::fs::create_dir_all(&folder).map_err(|source| Error::Io {
        path: folder.clone(),
        source,
    })?;
    std::fs::write(&target, text).map_err(|source| Error::Io {
        path: target.clone(),
        source,
    })?;
    Ok(target)
}
