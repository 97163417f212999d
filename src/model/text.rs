//! [`Text`]: the free text of a case (`samenvatting`), read where the data frame keeps it.
//!
//! A million case summaries are some 500 MB of text. Copied into a `String` per case, the
//! conversion from frame to structs spends most of its time allocating and touching that
//! memory for the first time. A `Text` instead holds a counted reference to the slice of the
//! frame's own text buffer (the buffer outlives the frame as long as a `Text` points into
//! it), so the conversion copies nothing. A `Text` reads as a `&str` (`Deref`), and compares,
//! hashes, prints and serialises exactly like the string it holds, so it stands where a
//! `String` stood; one made from a `String` or `&str` owns its bytes.
//!
//! ```
//! use rodedraad::model::Text;
//! let a = Text::from("De aanslag is te hoog.");
//! let b: Text = String::from("De aanslag is te hoog.").into();
//! assert_eq!(a, b);
//! assert_eq!(a, "De aanslag is te hoog.");
//! assert!(a.contains("aanslag"));
//! assert_eq!(a.to_string(), "De aanslag is te hoog.");
//! ```

use polars_buffer::Buffer;
use serde::{Deserialize, Deserializer};

/// An immutable text, owned or shared with a data frame; always valid UTF-8.
#[derive(Clone, Default)]
pub struct Text(Buffer<u8>);

impl Text {
    /// A text over `bytes`, which the caller guarantees to be valid UTF-8.
    ///
    /// # Safety
    /// `bytes` must hold valid UTF-8 (a slice of a polars string column at one value's
    /// offset and length does: the column keeps every value valid UTF-8).
    pub(crate) unsafe fn from_utf8_unchecked(bytes: Buffer<u8>) -> Text {
        debug_assert!(std::str::from_utf8(bytes.as_slice()).is_ok());
        Text(bytes)
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        // SAFETY: every constructor guarantees valid UTF-8, and the bytes never change.
        unsafe { std::str::from_utf8_unchecked(self.0.as_slice()) }
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        Text(Buffer::from_vec(s.into_bytes()))
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text::from(s.to_string())
    }
}

impl From<Text> for String {
    fn from(t: Text) -> String {
        t.as_str().to_string()
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Text {}

str_like!(Text);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Text, D::Error> {
        String::deserialize(d).map(Text::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::hash::{Hash, Hasher};

    proptest! {
        #[test]
        fn a_text_behaves_as_the_string_it_holds(a in "\\PC{0,40}", b in "\\PC{0,40}") {
            let (ta, tb) = (Text::from(a.as_str()), Text::from(b.clone()));
            prop_assert_eq!(ta.as_str(), a.as_str());
            prop_assert_eq!(&*tb, b.as_str());
            prop_assert_eq!(ta == tb, a == b);
            prop_assert_eq!(ta.cmp(&tb), a.cmp(&b));
            prop_assert_eq!(format!("{ta:?}"), format!("{a:?}"));
            prop_assert_eq!(ta.to_string(), a.clone());
            prop_assert_eq!(serde_json::to_string(&ta).unwrap(), serde_json::to_string(&a).unwrap());
            let back: Text = serde_json::from_str(&serde_json::to_string(&a).unwrap()).unwrap();
            prop_assert_eq!(back, ta.clone());
            let hash = |v: &dyn Fn(&mut std::collections::hash_map::DefaultHasher)| {
                let mut h = std::collections::hash_map::DefaultHasher::new();
                v(&mut h);
                h.finish()
            };
            prop_assert_eq!(hash(&|h| ta.hash(h)), hash(&|h| a.as_str().hash(h)));
        }
    }

    #[test]
    fn a_shared_slice_reads_only_its_own_bytes() {
        let buf = Buffer::from_vec("eerste tekst|tweede tekst".as_bytes().to_vec());
        // SAFETY: both ranges end on character boundaries of an ASCII text.
        let (a, b) = unsafe {
            (
                Text::from_utf8_unchecked(buf.clone().sliced(0..12)),
                Text::from_utf8_unchecked(buf.sliced(13..25)),
            )
        };
        assert_eq!((a.as_str(), b.as_str()), ("eerste tekst", "tweede tekst"));
        assert_eq!(Text::default(), "");
    }
}
