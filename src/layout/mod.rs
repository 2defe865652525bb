//! Geometry as plain numbers: where every bar, row, node, edge and label of a
//! chart goes. Pure and unit-testable (no SVG, no strings for display beyond
//! the labels being measured). `render::svg` draws what this module places.

pub mod dag;
pub mod gantt;
pub mod heatmap;
pub mod text;
pub mod trend;
