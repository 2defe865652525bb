//! A free page (`pages/<slug>/`): its title and its Markdown body as safe
//! HTML. It shows content only and computes no facts.

use serde::Serialize;

use crate::model::Program;
use crate::render::markdown;

#[derive(Clone, Debug, Serialize)]
pub struct PageView {
    pub title: String,
    pub body_html: String,
}

pub fn page(program: &Program, i: usize) -> Option<PageView> {
    let p = program.pages.get(i)?;
    Some(PageView {
        title: p.title.clone(),
        body_html: markdown::to_html(&p.body),
    })
}
