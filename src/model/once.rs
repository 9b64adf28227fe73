//! `Once`: a value worked out from the rest of its struct on first use and kept, so two
//! stages that both need it (the rules and the site) pay for it once. It is not part of its
//! struct's identity: it compares equal, hashes to nothing and is not serialised (a struct
//! read back from the build cache works it out again when asked).

use std::sync::OnceLock;

#[derive(Debug, Clone)]
pub struct Once<T>(OnceLock<T>);

impl<T> Default for Once<T> {
    fn default() -> Self {
        Once(OnceLock::new())
    }
}

impl<T> Once<T> {
    /// The kept value, made by `make` the first time.
    pub fn get_or_init(&self, make: impl FnOnce() -> T) -> &T {
        self.0.get_or_init(make)
    }

    pub fn get(&self) -> Option<&T> {
        self.0.get()
    }

    /// Keeps `value` unless one is kept already.
    pub fn keep(&self, value: T) {
        let _ = self.0.set(value);
    }
}

impl<T> PartialEq for Once<T> {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl<T> Eq for Once<T> {}

impl<T> std::hash::Hash for Once<T> {
    fn hash<H: std::hash::Hasher>(&self, _: &mut H) {}
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn a_value_is_made_once_and_never_changes_identity() {
        let made = Cell::new(0);
        let a: Once<u32> = Once::default();
        let make = || {
            made.set(made.get() + 1);
            7
        };
        assert_eq!(*a.get_or_init(make), 7);
        assert_eq!(*a.get_or_init(|| 8), 7);
        assert_eq!(made.get(), 1);
        a.keep(9);
        assert_eq!(a.get(), Some(&7));
        // Kept or not, two are equal and hash alike: a struct's identity is its content.
        let b: Once<u32> = Once::default();
        assert!(a == b);
        use std::hash::{BuildHasher, RandomState};
        let s = RandomState::new();
        assert_eq!(s.hash_one(&a), s.hash_one(&b));
    }
}
