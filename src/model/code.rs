//! [`Code`]: a taxonomy code or helper id, stored once per distinct value.
//!
//! The code fields of a case (`thema`, `regeling`, `doelgroep`, `aandrager_type`,
//! `aandrager_id`, ...) take a handful of values over a million rows. As a `String` each row
//! would allocate its own copy; a `Code` is one pointer to the single, interned copy of its
//! text, so turning a frame into structs allocates only the ids and the free texts. A `Code`
//! reads as a `&str` (`Deref`), and compares, orders, hashes, prints and serialises exactly
//! like the string it holds, so it can stand where a `String` stood.
//!
//! Every distinct text is kept for the rest of the process (a run sees at most a few thousand:
//! the taxonomy and the helper ids), which makes a `Code` `Copy` and free to drop.
//!
//! ```
//! use rodedraad::model::Code;
//! let a = Code::new("toeslagen.terugvordering");
//! let b: Code = String::from("toeslagen.terugvordering").into();
//! assert_eq!(a, b);
//! assert_eq!(a, "toeslagen.terugvordering");
//! assert!(a.starts_with("toeslagen"));
//! assert_eq!(a.to_string(), "toeslagen.terugvordering");
//! ```

use crate::util::hash::{FxMap, FxSet};
use serde::{Deserialize, Deserializer};
use std::borrow::Cow;
use std::sync::{Mutex, OnceLock, PoisonError};

/// An interned piece of text: one pointer, `Copy`, equal to the string it holds.
#[derive(Clone, Copy)]
pub struct Code(&'static &'static str);

static EMPTY_TEXT: &str = "";

/// Every text interned so far; holds [`Code::EMPTY`] from the start.
fn interned() -> &'static Mutex<FxSet<Code>> {
    static SET: OnceLock<Mutex<FxSet<Code>>> = OnceLock::new();
    SET.get_or_init(|| Mutex::new(std::iter::once(Code::EMPTY).collect()))
}

impl Code {
    /// The empty code (what `Code::default()` and `Code::new("")` give).
    pub const EMPTY: Code = Code(&EMPTY_TEXT);

    /// The code for `text`: the one already interned for it, or a new one.
    pub fn new(text: &str) -> Code {
        if text.is_empty() {
            return Code::EMPTY;
        }
        let mut set = interned().lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(&code) = set.get(text) {
            return code;
        }
        let stored: &'static str = Box::leak(Box::from(text));
        let code = Code(Box::leak(Box::new(stored)));
        set.insert(code);
        code
    }

    /// The text; it lives as long as the process.
    pub fn as_str(&self) -> &'static str {
        self.0
    }
}

impl Default for Code {
    fn default() -> Code {
        Code::EMPTY
    }
}

impl PartialEq for Code {
    fn eq(&self, other: &Code) -> bool {
        std::ptr::eq(self.0, other.0) || self.as_str() == other.as_str()
    }
}

impl Eq for Code {}

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Code, D::Error> {
        Cow::<'de, str>::deserialize(d).map(|t| Code::new(&t))
    }
}

impl From<&str> for Code {
    fn from(text: &str) -> Code {
        Code::new(text)
    }
}

impl From<&String> for Code {
    fn from(text: &String) -> Code {
        Code::new(text)
    }
}

impl From<String> for Code {
    fn from(text: String) -> Code {
        Code::new(&text)
    }
}

impl From<Code> for String {
    fn from(code: Code) -> String {
        code.as_str().to_string()
    }
}

str_like!(Code);

/// A front for [`Code::new`] over texts that live at least `'a` (e.g. a frame column): each
/// distinct text takes the process-wide lock once, later rows are found here.
#[derive(Default)]
pub struct CodeCache<'a> {
    seen: FxMap<&'a str, Code>,
}

impl<'a> CodeCache<'a> {
    /// The code for `text`.
    pub fn code(&mut self, text: &'a str) -> Code {
        *self.seen.entry(text).or_insert_with(|| Code::new(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::hash_map::DefaultHasher;
    use std::hash::{Hash, Hasher};

    fn hash_of<T: Hash + ?Sized>(v: &T) -> u64 {
        let mut h = DefaultHasher::new();
        v.hash(&mut h);
        h.finish()
    }

    #[test]
    fn empty_text_default_and_empty_constant_are_one_code() {
        assert_eq!(Code::new(""), Code::EMPTY);
        assert_eq!(Code::default(), Code::EMPTY);
        assert!(std::ptr::eq(Code::new("").0, Code::default().0));
        assert!(Code::default().is_empty());
    }

    #[test]
    fn a_cache_gives_the_interned_code() {
        let texts = ["a.b", "a.b", "c", "", "c"];
        let mut cache = CodeCache::default();
        for t in texts {
            let c = cache.code(t);
            assert!(std::ptr::eq(c.0, Code::new(t).0), "{t}");
            assert_eq!(c, t);
        }
    }

    #[test]
    fn a_code_is_one_pointer_and_none_costs_nothing() {
        assert_eq!(std::mem::size_of::<Code>(), std::mem::size_of::<usize>());
        assert_eq!(
            std::mem::size_of::<Option<Code>>(),
            std::mem::size_of::<usize>()
        );
    }

    proptest! {
        #[test]
        fn interning_gives_one_code_per_text(a in ".{0,12}", b in ".{0,12}") {
            let (ca, cb) = (Code::new(&a), Code::from(b.clone()));
            prop_assert_eq!(ca == cb, a == b);
            prop_assert_eq!(std::ptr::eq(ca.0, cb.0), a == b);
            prop_assert!(std::ptr::eq(ca.0, Code::from(&a).0));
            prop_assert_eq!(ca.as_str(), a.as_str());
            prop_assert_eq!(&*ca, a.as_str());
            // each comparison with a string type, both ways round, as the strings compare
            for (t, same) in [(&a, true), (&b, a == b)] {
                prop_assert_eq!(PartialEq::<String>::eq(&ca, t), same);
                prop_assert_eq!(PartialEq::<Code>::eq(t, &ca), same);
                prop_assert_eq!(PartialEq::<str>::eq(&ca, t.as_str()), same);
                prop_assert_eq!(PartialEq::<Code>::eq(t.as_str(), &ca), same);
                prop_assert_eq!(PartialEq::<&str>::eq(&ca, &t.as_str()), same);
                prop_assert_eq!(PartialEq::<Code>::eq(&t.as_str(), &ca), same);
            }
        }

        #[test]
        fn order_and_hash_are_those_of_the_text(a in "[a-c.]{0,4}", b in "[a-c.]{0,4}") {
            let (ca, cb) = (Code::new(&a), Code::new(&b));
            prop_assert_eq!(ca.cmp(&cb), a.cmp(&b));
            prop_assert_eq!(ca.partial_cmp(&cb), a.partial_cmp(&b));
            prop_assert_eq!(hash_of(&ca), hash_of(a.as_str()));
            prop_assert_eq!(hash_of(&ca), hash_of(&a));
            let mut set: std::collections::HashSet<Code> = [ca].into_iter().collect();
            prop_assert!(set.contains(a.as_str()));
            prop_assert_eq!(set.contains(b.as_str()), a == b);
            set.insert(cb);
            prop_assert_eq!(set.len(), if a == b { 1 } else { 2 });
        }

        #[test]
        fn text_forms_are_those_of_the_string(a in "\\PC{0,16}") {
            let c = Code::new(&a);
            prop_assert_eq!(c.to_string(), a.clone());
            prop_assert_eq!(format!("{c:?}"), format!("{a:?}"));
            prop_assert_eq!(format!("[{c:>20}]"), format!("[{a:>20}]"));
            prop_assert_eq!(String::from(c), a.clone());
            let json = serde_json::to_string(&c).unwrap();
            prop_assert_eq!(&json, &serde_json::to_string(&a).unwrap());
            let back: Code = serde_json::from_str(&json).unwrap();
            prop_assert_eq!(back, c);
            let opt: Option<Code> = serde_json::from_str(&json).unwrap();
            prop_assert_eq!(opt, Some(c));
        }
    }
}
