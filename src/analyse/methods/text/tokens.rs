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
///
/// A word of lowercase ASCII letters (most words) is passed as a slice of the text itself;
/// only words with capitals or other letters are built in `buf`.
pub(crate) fn for_each_word(text: &str, buf: &mut String, mut f: impl FnMut(&str)) {
    let normalized: Cow<str> = if is_nfc(text) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.nfc().collect())
    };
    let text = normalized.as_ref();
    let bytes = text.as_bytes();
    // The current word: where it starts, its length in (lowercase) characters, and whether
    // it is being built in `buf` (else it is `text[start..i]`, already lowercase).
    let (mut start, mut len, mut built) = (0usize, 0usize, false);
    let mut i = 0usize;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() {
            // For ASCII characters `is_alphabetic` is `is_ascii_alphabetic` and
            // `to_lowercase` is the one character `to_ascii_lowercase`.
            if b.is_ascii_lowercase() {
                if len == 0 {
                    start = i;
                }
                if built {
                    buf.push(char::from(b));
                }
                len += 1;
            } else if b.is_ascii_uppercase() {
                if len == 0 {
                    start = i;
                }
                if !built {
                    begin_building(buf, &text[start..i], &mut built);
                }
                buf.push(char::from(b.to_ascii_lowercase()));
                len += 1;
            } else if len > 0 {
                emit(&text[start..i], buf, len, built, &mut f);
                (len, built) = (0, false);
            }
            i += 1;
            continue;
        }
        let c = text[i..].chars().next().expect("a character starts here");
        if c.is_alphabetic() {
            if len == 0 {
                start = i;
            }
            if !built {
                begin_building(buf, &text[start..i], &mut built);
            }
            for l in c.to_lowercase() {
                buf.push(l);
                len += 1;
            }
        } else if len > 0 {
            emit(&text[start..i], buf, len, built, &mut f);
            (len, built) = (0, false);
        }
        i += c.len_utf8();
    }
    if len > 0 {
        emit(&text[start..], buf, len, built, &mut f);
    }
}

/// Starts building the current word in `buf` from its part so far (lowercase ASCII).
fn begin_building(buf: &mut String, so_far: &str, built: &mut bool) {
    buf.clear();
    buf.push_str(so_far);
    *built = true;
}

/// Passes the finished word to `f` when it has at least 3 characters: the built one, or
/// `plain` (the text's own slice) when it was not built.
fn emit(plain: &str, buf: &str, len: usize, built: bool, f: &mut impl FnMut(&str)) {
    if len >= 3 {
        f(if built { buf } else { plain });
    }
}

/// Whether `text` is in NFC by the quick check (`is_nfc_quick` gives `Yes`). ASCII
/// characters are allowed starters after which the quick check starts afresh, so it runs
/// on each run of non-ASCII characters alone, and ASCII text costs only a byte scan.
pub(crate) fn is_nfc(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0usize;
    while let Some(off) = bytes[i..].iter().position(|b| !b.is_ascii()) {
        let start = i + off;
        let end = bytes[start..]
            .iter()
            .position(u8::is_ascii)
            .map_or(bytes.len(), |e| start + e);
        if is_nfc_quick(text[start..end].chars()) != IsNormalized::Yes {
            return false;
        }
        i = end;
    }
    true
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
    fn nfc_check_by_runs_is_the_quick_check_of_the_whole_text() {
        // Combining marks after ASCII letters, after other marks (in and out of canonical
        // order), characters whose quick check answers Maybe or No, at both ends.
        let alphabet: Vec<char> =
            "ae E.\u{301}\u{308}\u{316}\u{300}\u{345}éëÅ\u{212b}\u{f900}가\u{1161}ᄀ"
                .chars()
                .collect();
        let mut rng = crate::util::rng::SplitMix64::new(41);
        let mut answers = [0usize; 2];
        for round in 0..20_000 {
            let text: String = (0..rng.below(12))
                .map(|_| alphabet[rng.below(alphabet.len())])
                .collect();
            let want = is_nfc_quick(text.chars()) == IsNormalized::Yes;
            assert_eq!(is_nfc(&text), want, "round {round}: {text:?}");
            answers[usize::from(want)] += 1;
        }
        assert!(answers[0] > 1000 && answers[1] > 1000, "{answers:?}");
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
