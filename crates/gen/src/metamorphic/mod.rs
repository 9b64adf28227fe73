//! Metamorphic tests of the reader (issue #18): a form changed in ways a person reads as the
//! same form must give the same canonical JSON. This module holds what the tests and the
//! bench (`examples/metamorphic.rs`, `bench/metamorphic.sh`) share:
//!
//! - `model`: a workbook of sheets of cells (text, numbers with their formats, formulas with
//!   cached results), merged ranges, hidden rows and columns; a text export read into it;
//! - `transforms`: the changes, each a seeded function workbook → workbook, written from the
//!   issue's list and spec §1 and §5 (never from a corpus); a workbook holds a declaration or
//!   a self-evaluation (`FormKind`, issue #19), and `self_eval` has the self-evaluation's
//!   words (labels, synonyms, execution block, formulas, instructions);
//! - `writers` and `xls`: the workbook saved as `.xlsx`, `.xls` (BIFF8), `.ods`, Excel's
//!   "Unicode text" and a GB18030 text export.
//!
//! Independent of the budgetsite library, like the rest of the generator: the reference is
//! whatever the reader makes of the untransformed form.

pub mod model;
pub mod self_eval;
pub mod transforms;
pub mod writers;
pub mod xls;

pub use model::{FormKind, Merge, Sheet, Value, Workbook};
pub use transforms::Transform;
pub use writers::OutFormat;

/// splitmix64: a tiny seeded PRNG, so every case is reproducible from its seed.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x6A09_E667_F3BC_C908)
    }

    /// A generator for one case, from its parts (seed, form index, transformation index …).
    pub fn derive(parts: &[u64]) -> Rng {
        let mut r = Rng::new(0);
        for &p in parts {
            r.0 ^= p.wrapping_mul(0x9E37_79B9_7F4A_7C15);
            r.next_u64();
        }
        r
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() as u128 * n as u128) >> 64) as usize
    }

    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn pick<T: Clone>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len())].clone()
    }
}
