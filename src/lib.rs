//! clause: a policy-as-code linter for Terraform, Kubernetes and Ansible that
//! reports every violation against the ISO/IEC 27002 control it evidences.
//!
//! The library owns loading, parsing, evaluation and the finding model; the
//! binary (`src/main.rs`, `src/cli/`) owns flags, rendering and exit codes.
//! Data flows `discover` → `parse` → `engine` → `render`, joined by `check`.

#![forbid(unsafe_code)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod baseline;
pub mod check;
pub mod config;
pub mod controls;
pub mod discover;
pub mod document;
pub mod engine;
pub mod evidence;
pub mod finding;
pub mod fixtures;
pub mod key_set;
pub mod memo;
pub mod name_key;
pub mod parse;
pub mod plan;
pub mod render;
pub mod rules;
pub mod rules_run;
pub mod scaffold;
pub mod sorted;
pub mod source;
pub mod spill;
pub mod spool;
pub mod suppress;
pub mod testing;

pub use check::{CheckConfig, Outcome, check};
pub use document::{Document, Format};
pub use finding::Finding;
pub use rules::{RuleSet, Severity};

/// The version printed in machine-readable output.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
