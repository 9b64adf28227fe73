//! The integration tests, one binary: each module drives the `budgetsite` binary or the
//! library on fixture folders (`tests/fixtures/`) and generated districts (`budgetsite-gen`).
//! `common` holds the shared helpers. ARCHITECTURE.md lists what each module checks.

mod common;

mod a11y;
mod browser;
mod charts;
mod escaping;
mod figures;
mod flags;
mod fuzz_regressions;
mod generated;
mod hostile;
mod html_valid;
mod identical;
mod incremental;
mod layout_rules;
mod layouts_accuracy;
mod messages;
mod metamorphic;
mod open_data;
mod oracle;
mod phone;
mod publishing;
mod quirks;
mod readers;
mod roundtrip;
mod rules;
mod sample;
mod search;
mod self_eval;
mod self_eval_pages;
mod serve;
mod site;
mod snapshots;
mod trends;
mod workbooks;
