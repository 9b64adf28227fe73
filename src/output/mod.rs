//! The output stage: from the analysis to the bytes of each published file — page views
//! (`views`, serialised into the templates by `render`), the CSV/XLSX downloads (`tables`),
//! the JSON datasets (`dataset`), the self-evaluations' downloads (`evaluations`), the
//! Frictionless data packages describing the downloads (`datapackage`), the Atom feeds of what
//! changed (`feed`), the search index and page (`search`), and the charts
//! (`charts`: SVG written element by element, with their text alternatives and data tables).

pub mod charts;
pub mod datapackage;
pub mod dataset;
pub mod evaluations;
pub mod feed;
pub mod render;
pub mod search;
pub mod tables;
pub mod views;
