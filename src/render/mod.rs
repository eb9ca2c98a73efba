//! Renderings of an outcome. Every format shows the same sorted findings.

pub mod human;
pub mod json;
pub mod library;
