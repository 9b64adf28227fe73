//! The publishing stage: the crash-safe writer of `public/` (`writer`: the whole-site swap,
//! journalled updates, locks, cleanup of dead runs) and the build cache that lets an
//! unchanged nightly run do almost nothing (`cache`).

pub mod cache;
mod journal;
pub mod writer;
