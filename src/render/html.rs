//! HTML pages (work in progress: being written now).

use super::theme::Theme;
use super::{OutputFile, SiteData};

/// A page could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("rendering {page}: {message}")]
    Template { page: String, message: String },
}

pub fn render_pages(_data: &SiteData, _theme: &Theme) -> Result<Vec<OutputFile>, RenderError> {
    Ok(Vec::new())
}
