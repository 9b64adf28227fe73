//! budgetsite turns departments' budget performance-target declarations
//! (`部门整体支出绩效目标申报表`) into a validated, published static website.
//!
//! The pipeline runs one way through typed data: `ingest` (find, decode, parse) → `model` →
//! `validate` (rule catalog) → `batch` (one run, sorted diagnostics) → `analyze` (districts,
//! departments, series) → `views` + `charts` + `tables` → `render` (templates) → `site`
//! (crash-safe writer); `build` drives the last stages and `report` renders diagnostics;
//! `init` writes a starter project.
//! The binary only parses arguments and maps the outcome to an exit status.

pub mod analyze;
pub mod batch;
pub mod build;
pub mod cache;
pub mod charts;
pub mod config;
pub mod dataset;
pub mod diagnostic;
pub mod facts;
pub mod format;
pub mod identity;
pub mod ingest;
pub mod init;
pub mod model;
pub mod render;
pub mod report;
pub mod serve;
pub mod site;
pub mod stats;
pub mod tables;
pub mod validate;
pub mod views;

pub use batch::{load, Batch};
pub use diagnostic::{Code, Diagnostic, Severity};
pub use model::Declaration;
