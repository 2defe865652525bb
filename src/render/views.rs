//! View models (work in progress).
