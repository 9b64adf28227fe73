//! budgetsite turns departments' budget performance-target declarations
//! (`部门整体支出绩效目标申报表`) into a validated, published static website.
//!
//! The stages, in the order data flows through them (ARCHITECTURE.md has the table):
//! `ingest` (find files; workbooks and text exports become grids, layouts read grids into the
//! `model`; canonical JSON) → `validate` (rule catalog) → `batch` (one run, facts, sorted
//! diagnostics) → `analyze` + `stats` (districts, departments, series, figures) → `views` +
//! `charts` + `tables` + `dataset` → `render` (templates) → `site` (atomic writer); `build`
//! drives the stages with the `cache` and the crash-safe `site` writer, `report` renders
//! diagnostics, `serve` previews, `init` writes a starter project.
//! The binary only parses arguments and maps the outcome to an exit status.

pub mod analyze;
pub mod batch;
pub mod build;
pub mod cache;
pub mod charts;
pub mod collate;
pub mod config;
pub mod dataset;
pub mod diagnostic;
pub mod files;
pub mod format;
pub mod hash;
pub mod ingest;
pub mod init;
pub mod model;
pub mod render;
pub mod report;
pub mod search;
pub mod serve;
pub mod site;
pub mod stats;
pub mod tables;
pub mod text;
pub mod validate;
pub mod views;

pub use batch::{load, Batch};
pub use diagnostic::{Code, Diagnostic, Severity};
pub use model::Declaration;
