//! Geometry as plain numbers: where every bar, row, node, edge and label of a
//! chart goes. Pure and unit-testable (no SVG, no strings for display beyond
//! the labels being measured). `render::svg` draws what this module places.
//! The types every chart places with (points, rectangles, labels) are in
//! [`geom`]; each chart's own types stay in its file.

pub mod dag;
pub mod gantt;
pub mod geom;
pub mod heatmap;
pub mod text;
pub mod trend;
