//! Tokenizing and stemming: Dutch words, stop words, Snowball stems.

use super::*;

/// Dutch stop words: the Snowball list extended with common function words, auxiliaries and
/// forms of address that occur in nearly every case summary ("mevrouw", "meneer").
#[rustfmt::skip]
pub(super) const STOP_WORDS: &[&str] = &[
    "aan", "aldus", "alle", "alleen", "alles", "als", "altijd", "andere", "anders", "bent",
    "beide", "ben", "bij", "binnen", "boven", "buiten", "daar", "daarbij", "daardoor", "daarin",
    "daarna", "daarom", "daarop", "daarover", "daarvan", "dan", "dat", "deze", "dezelfde", "die",
    "dit", "doch", "doen", "door", "doordat", "dus", "echter", "een", "eens", "eerder", "elke",
    "enige", "enkele", "ermee", "erover", "geen", "geweest", "haar", "had", "hadden", "heb",
    "hebben", "heeft", "heel", "hem", "hen", "het", "hetzelfde", "hier", "hierdoor", "hierover",
    "hiervan", "hij", "hoe", "hoewel", "hun", "iedere", "ieder", "iemand", "iets", "indien",
    "inmiddels", "jij", "jou", "jouw", "jullie", "kan", "kon", "konden", "kunnen", "laat", "laten",
    "maar", "mag", "meer", "men", "meneer", "mevrouw", "mij", "mijn", "moest", "moet", "moeten",
    "mogen", "naar", "nadat", "niet", "niets", "nog", "omdat", "onder", "ons", "onze", "ook",
    "over", "reeds", "sinds", "steeds", "tegen", "terwijl", "toch", "toen", "tot", "tussen", "uit",
    "vanaf", "vanuit", "veel", "volgens", "voor", "waar", "waarbij", "waardoor", "waarin",
    "waarop", "wanneer", "want", "waren", "was", "wat", "weer", "wel", "welk", "welke", "werd",
    "werden", "wezen", "wie", "wij", "wil", "wilde", "willen", "word", "worden", "wordt", "zal",
    "zelf", "zeer", "zich", "zij", "zijn", "zo", "zodat", "zonder", "zou", "zouden", "zowel",
    "zullen", "omtrent", "via", "tijdens", "wegens", "per", "erg", "van", "met", "der", "den",
    "des", "hebt", "later", "tevens", "zeker",
];

pub(super) fn stop_words() -> &'static FxSet<&'static str> {
    static SET: OnceLock<FxSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| STOP_WORDS.iter().copied().collect())
}

/// Splits a text into lowercase content words.
///
/// Words are maximal runs of alphabetic characters (after NFC normalisation), so digits,
/// punctuation, hyphens and apostrophes separate words ("DigiD-machtiging" gives "digid" and
/// "machtiging"). Dutch stop words and words shorter than 3 characters are dropped.
pub fn tokenize(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_token(text, &mut String::new(), |t| out.push(t.to_string()));
    out
}

/// Calls `f` with every content word of `text`, as [`tokenize`] finds them, without
/// allocating per word: the word is built in `buf` (reused between calls).
pub(crate) fn for_each_token(text: &str, buf: &mut String, mut f: impl FnMut(&str)) {
    let stops = stop_words();
    for_each_word(text, buf, |w| {
        if !stops.contains(w) {
            f(w);
        }
    });
}

/// Calls `f` with every lowercase word of `text` of at least 3 characters, stop words
/// included ([`for_each_token`] without its stop-word filter, for callers that look every
/// word up in a map anyway and can keep the stop words in it).
pub(crate) fn for_each_word(text: &str, buf: &mut String, mut f: impl FnMut(&str)) {
    // ASCII text is always in NFC (checked first: it is the common case and far cheaper).
    let normalized: Cow<str> = if text.is_ascii() || is_nfc_quick(text.chars()) == IsNormalized::Yes
    {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.nfc().collect())
    };
    buf.clear();
    let mut cur_len = 0usize;
    let mut flush = |cur: &mut String, cur_len: &mut usize| {
        if *cur_len >= 3 {
            f(cur);
        }
        cur.clear();
        *cur_len = 0;
    };
    for c in normalized.chars() {
        // ASCII first: for ASCII characters `is_alphabetic` is `is_ascii_alphabetic` and
        // `to_lowercase` is the one character `to_ascii_lowercase`.
        if c.is_ascii() {
            if c.is_ascii_alphabetic() {
                buf.push(c.to_ascii_lowercase());
                cur_len += 1;
            } else if cur_len > 0 {
                flush(buf, &mut cur_len);
            }
        } else if c.is_alphabetic() {
            for l in c.to_lowercase() {
                buf.push(l);
                cur_len += 1;
            }
        } else if cur_len > 0 {
            flush(buf, &mut cur_len);
        }
    }
    if cur_len > 0 {
        flush(buf, &mut cur_len);
    }
}

/// Snowball Dutch stem of a (lowercase) word.
pub fn stem(word: &str) -> String {
    Stemmer::create(Algorithm::Dutch).stem(word).into_owned()
}

/// Stems with a memory: each distinct word is stemmed once. One per thread.
pub(crate) struct StemCache {
    stemmer: Stemmer,
    /// Word -> hash of its stem.
    hashes: FxMap<Box<str>, u64>,
}

impl StemCache {
    pub(crate) fn new() -> Self {
        StemCache {
            stemmer: Stemmer::create(Algorithm::Dutch),
            hashes: FxMap::default(),
        }
    }

    /// The hash of the stem of `word` (equal stems, equal hashes).
    pub(crate) fn stem_hash(&mut self, word: &str) -> u64 {
        if let Some(&h) = self.hashes.get(word) {
            return h;
        }
        let h = crate::util::hash::hash_bytes(self.stemmer.stem(word).as_bytes());
        self.hashes.insert(word.into(), h);
        h
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cached_stem_hashes_are_the_hashes_of_the_stems() {
        let mut cache = StemCache::new();
        for w in [
            "huurtoeslagen",
            "fietsen",
            "huizen",
            "fietsen",
            "beslagen",
            "beslag",
            "é",
        ] {
            assert_eq!(
                cache.stem_hash(w),
                crate::util::hash::hash_bytes(stem(w).as_bytes()),
                "{w}"
            );
        }
        assert_eq!(cache.stem_hash("beslagen"), cache.stem_hash("beslag"));
        assert_ne!(cache.stem_hash("beslag"), cache.stem_hash("loon"));
    }

    /// The tokenizer without the ASCII shortcuts (the reference for the fast one).
    fn tokens_slow(text: &str) -> Vec<String> {
        let normalized: String = if is_nfc_quick(text.chars()) == IsNormalized::Yes {
            text.to_string()
        } else {
            text.nfc().collect()
        };
        let mut out = Vec::new();
        let mut cur = String::new();
        let mut len = 0usize;
        let mut flush = |cur: &mut String, len: &mut usize| {
            if *len >= 3 && !stop_words().contains(cur.as_str()) {
                out.push(cur.clone());
            }
            cur.clear();
            *len = 0;
        };
        for c in normalized.chars() {
            if c.is_alphabetic() {
                for l in c.to_lowercase() {
                    cur.push(l);
                    len += 1;
                }
            } else if len > 0 {
                flush(&mut cur, &mut len);
            }
        }
        if len > 0 {
            flush(&mut cur, &mut len);
        }
        out
    }

    #[test]
    fn ascii_shortcuts_give_the_tokens_of_the_full_unicode_path() {
        // Every ASCII character, letters that lowercase to two characters, decomposed and
        // composed accents, other scripts, digits and marks, in random texts.
        let mut alphabet: Vec<char> = (0u8..128).map(char::from).collect();
        alphabet.extend("ÉéëÏïİẞßÅåΣσςДд\u{308}\u{301}\u{300}٣½ᾈǅ𝔸—\u{a0}".chars());
        let words = [
            "beslag",
            "VAN",
            "Financie\u{308}le",
            "zzp'er",
            "DigiD-machtiging",
        ];
        let mut rng = crate::util::rng::SplitMix64::new(17);
        let mut buf = String::new();
        for round in 0..3000 {
            let mut text = String::new();
            for _ in 0..rng.below(40) {
                if rng.below(4) == 0 {
                    text.push_str(words[rng.below(words.len())]);
                } else {
                    text.push(alphabet[rng.below(alphabet.len())]);
                }
            }
            let mut got = Vec::new();
            for_each_token(&text, &mut buf, |t| got.push(t.to_string()));
            assert_eq!(got, tokens_slow(&text), "round {round}: {text:?}");
        }
    }

    #[test]
    fn the_visitor_reuses_its_buffer_and_sees_every_token() {
        let mut buf = String::with_capacity(4);
        let mut seen = Vec::new();
        for text in [
            "Zzp'er: btw-SUPPLETIE 2024!",
            "",
            "de het een",
            "Financie\u{308}le ZORGEN",
        ] {
            for_each_token(text, &mut buf, |t| seen.push(t.to_string()));
        }
        assert_eq!(
            seen,
            vec!["zzp", "btw", "suppletie", "financiële", "zorgen"]
        );
    }
}
