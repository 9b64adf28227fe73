//! budgetsite turns departments' budget performance-target declarations
//! (`部门整体支出绩效目标申报表`) into a validated, published static website.
//!
//! Data flows one way through these stages; a module imports only from stages before it
//! (ARCHITECTURE.md has the table and the types passed between them):
//!
//! 1. base — `text` (form text normalised), `format` (numbers as published), `hash` (the
//!    one stable hasher), `files` (stamps, the one input walker), `collate` (pinyin order),
//!    `diagnostic` (the one finding type), `config` (`site.toml`), `spill` (bytes held in a
//!    temporary file);
//! 2. `model` — the declaration, its facts and quality, money columns, taxonomy, identity;
//! 3. `ingest` — files to grids to declarations (spreadsheets, text exports, canonical JSON);
//! 4. `rules` — the rule catalog over one declaration, and across files (`rules::cross`);
//! 5. `load` — one run's outcomes: ingest + rules + facts, reusing the cache's records;
//!    `report` renders its diagnostics as text, JSON or GitHub annotations;
//! 6. `analyze` — districts, departments, series and the figures (`analyze::stats`);
//! 7. `output` — page views, charts, tables, datasets, the search index, templates;
//! 8. `publish` — the crash-safe writer and the build cache;
//! 9. `build` — the stages in order; `serve` previews, `init` starts a project.
//!
//! "The spec" in the docs is `docs/spec/declaration-v1.md`, the contract other programs rely
//! on (a copy of the shared one); "spec §N" is its section N.
//!
//! The binary only parses arguments and maps the outcome to an exit status.

pub mod analyze;
pub mod build;
pub mod collate;
pub mod config;
pub mod diagnostic;
pub mod files;
pub mod format;
pub mod hash;
pub mod ingest;
pub mod init;
pub mod load;
pub mod model;
pub mod output;
pub mod publish;
pub mod report;
pub mod rules;
pub mod serve;
pub mod spill;
pub mod text;

pub use diagnostic::{Code, Diagnostic, Severity};
pub use load::{load, Batch};
pub use model::Declaration;
