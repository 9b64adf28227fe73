//! The output stage: from the analysis to the bytes of each published file — page views
//! (`views`, serialised into the templates by `render`), the CSV/XLSX downloads (`tables`),
//! the JSON datasets (`dataset`) and the search index and page (`search`). Charts are drawn by
//! `crate::charts`.

pub mod dataset;
pub mod render;
pub mod search;
pub mod tables;
pub mod views;
