//! tpm-site turns a program manager's plain-text program data (`content/`:
//! YAML and Markdown) into a static website of biweekly stakeholder reports.
//!
//! Data flows one way, and the modules follow it:
//! [`content`] (read files, YAML and front matter, with positions) →
//! [`model`] (resolved, typed, ids checked; no IO) →
//! [`import`] (other tools' plans as content files; no IO) →
//! [`analysis`] (pure schedule facts; the only user of petgraph) →
//! [`render`] (HTML, JSON; no IO) → [`site`] (orchestration, and the one
//! place that writes files). [`commands`] are thin entry points on top;
//! [`diagnostics`] is shared by all.

pub mod analysis;
pub mod commands;
pub mod content;
pub mod diagnostics;
pub mod import;
pub mod layout;
pub mod model;
pub mod render;
pub mod site;
#[cfg(test)]
mod testing;
