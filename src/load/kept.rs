//! The declarations a build hands to its department pages: kept in memory when the run is
//! small enough (`LoadOptions::keep_up_to`), else shelved as they are read — written to a
//! temporary file (`spill::Store`) for each page to read its own back — so that no page has
//! to read and validate its forms again.

use crate::ingest::{self, FileOutcome};
use crate::model::Declaration;
use crate::spill::{Place, Store};

/// The declarations a run too large to keep them (`LoadOptions::keep_up_to`) let go once
/// their facts were taken, written as compact canonical JSON to a temporary file while they
/// were read (`spill::Store`): a department's page reads its forms' JSON back
/// (`Declaration::from_own_json`, a small part of reading and validating a form again)
/// instead of the forms. Each outcome's place, in
/// `files`' order; none for a form not read this run or where the store failed (read again).
#[derive(Debug)]
pub struct Shelved {
    store: Store,
    places: Vec<Option<Place>>,
}

impl Shelved {
    pub(super) fn new(store: Store, places: Vec<Option<Place>>) -> Shelved {
        Shelved { store, places }
    }
}

/// Lets the outcome's declaration go, written to `store` first when it became facts (only a
/// form with facts becomes a department's page): where it was written, if it was.
pub(super) fn let_go(outcome: &mut FileOutcome, store: Option<&Store>) -> Option<Place> {
    let loaded = outcome.declaration.take()?;
    let store = store.filter(|_| outcome.facts.is_some())?;
    let json = serde_json::to_vec(&loaded.declaration).ok()?;
    store.append(&json).ok()
}

/// The declarations a build kept (`LoadOptions::keep_up_to`), taken out of its batch by the
/// outcome's index: each is handed once to its department's page and let go when that page is
/// made, so what they hold falls as the pages are rendered instead of lasting to the build's
/// end (at 6,000 forms they were ~40 MB of the peak).
/// In a run too large to keep them, the declarations it wrote out instead (`Shelved`).
#[derive(Debug, Default)]
pub struct Kept {
    memory: Vec<std::sync::Mutex<Option<Box<ingest::Loaded>>>>,
    shelved: Option<Shelved>,
}

impl Kept {
    /// The batch's kept declarations and shelf, taken out of it.
    pub(super) fn take_from(batch: &mut super::Batch) -> Kept {
        let shelved = batch.shelved.take();
        if batch.files.iter().all(|f| f.declaration.is_none()) {
            return Kept {
                shelved,
                ..Kept::default()
            };
        }
        Kept {
            memory: batch
                .files
                .iter_mut()
                .map(|f| std::sync::Mutex::new(f.declaration.take()))
                .collect(),
            shelved,
        }
    }

    /// The declaration of the batch's outcome `index`, if it was kept and not taken yet.
    pub fn take(&self, index: usize) -> Option<Box<ingest::Loaded>> {
        let slot = self.memory.get(index)?;
        // A page that panicked while holding the lock left nothing half-done in the slot.
        slot.lock().unwrap_or_else(|e| e.into_inner()).take()
    }

    /// The declaration of the batch's outcome `index` as the run wrote it out (`Shelved`);
    /// `None` where it was not, or cannot be read back (the caller reads the form again).
    pub fn shelved(&self, index: usize) -> Option<Declaration> {
        let shelved = self.shelved.as_ref()?;
        let place = (*shelved.places.get(index)?)?;
        let bytes = shelved.store.read(place).ok()?;
        Declaration::from_own_json(&bytes).ok()
    }
}
