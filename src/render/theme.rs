//! Themes (work in progress: being written now).

use std::path::Path;

/// A theme problem.
#[derive(Debug, thiserror::Error)]
pub enum ThemeError {
    #[error("theme `{0}` is not available")]
    Unknown(String),
}

/// A compiled theme.
pub struct Theme {}

impl Theme {
    pub fn load(_name: &str, _override_dir: Option<&Path>) -> Result<Theme, ThemeError> {
        Ok(Theme {})
    }
}
