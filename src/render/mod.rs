//! Renderings of an outcome. Every format shows the same sorted findings.

pub mod evidence;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod library;
pub mod sarif;
