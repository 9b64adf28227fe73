//! The model, below every stage and free of I/O: the declaration as read (`declaration`), what
//! later stages keep of it (`facts`), its target quality (`quality`), money columns
//! (`amounts`), the indicator taxonomy (`taxonomy`) and who is who across files and renames
//! (`identity`); values worked out once (`once`); the second form kind, the self-evaluation (`self_evaluation`), and the tool's
//! scoring of it (`review`).

pub mod amounts;
pub mod binary_decimal;
mod declaration;
pub mod facts;
pub mod form_text;
pub mod identity;
pub mod once;
pub mod quality;
pub mod review;
pub mod self_evaluation;
pub mod taxonomy;

pub use declaration::*;
