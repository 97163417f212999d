//! A synthetic corpus for measuring the text clustering: Dutch-looking
//! summaries in known themes, made from a fixed seed.
//!
//! ```no_run
//! let took = rodedraad::analyse::methods::text::bench_text(10_000);
//! println!("{took:?}");
//! ```

use super::{cluster_texts, TextConfig};
use crate::util::rng::SplitMix64;
use std::time::{Duration, Instant};

const BENCH_HEADS: &[&str] = &[
    "huur",
    "zorg",
    "kinderopvang",
    "loon",
    "inkomsten",
    "omzet",
    "erf",
    "schenk",
    "motorrijtuig",
    "vennootschap",
    "dividend",
    "bron",
    "invoer",
    "accijns",
    "overdracht",
    "vermogens",
    "box",
    "premie",
    "pensioen",
    "alimentatie",
    "studie",
    "woning",
    "hypotheek",
    "bank",
    "auto",
];
const BENCH_TAILS: &[&str] = &[
    "toeslag",
    "belasting",
    "aangifte",
    "aanslag",
    "beslag",
    "schuld",
    "regeling",
    "termijn",
    "bezwaar",
    "teruggaaf",
    "vordering",
    "betaling",
    "beschikking",
    "brief",
    "boete",
    "rente",
    "correctie",
    "machtiging",
    "verklaring",
    "controle",
];
const BENCH_COMMON: &[&str] = &[
    "burger",
    "klant",
    "gezin",
    "ontving",
    "kreeg",
    "vraagt",
    "begrijpt",
    "dienst",
    "maanden",
    "brief",
    "telefoon",
    "reactie",
    "probleem",
    "situatie",
    "financiële",
    "zorgen",
    "wachten",
    "contact",
    "medewerker",
    "formulier",
    "digitaal",
    "portaal",
    "website",
    "hulp",
    "advies",
    "bedrag",
    "euro",
    "jaar",
    "kwartaal",
    "nieuwe",
    "oude",
    "grote",
    "lange",
    "onduidelijk",
    "fout",
    "verkeerd",
    "opnieuw",
    "uiteindelijk",
    "dringend",
    "moeilijk",
];
const BENCH_STOPS: &[&str] = &[
    "de", "het", "een", "en", "van", "op", "dat", "die", "niet", "voor", "met", "door", "maar",
];

/// Generates `n` synthetic Dutch summaries (40 themes of 12 own compound words, 20-40 words each, with a SplitMix64
/// PRNG) and returns how long [`cluster_texts`] with the default settings takes on them.
pub fn bench_text(n: usize) -> Duration {
    let (texts, _) = bench_corpus(n, 40, 0xb0b0_2024);
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let start = Instant::now();
    let clusters = cluster_texts(&refs, &TextConfig::default());
    let elapsed = start.elapsed();
    std::hint::black_box(clusters);
    elapsed
}

/// Synthetic corpus: each theme has 12 compound words; a summary mixes theme words (30%),
/// common words (40%), stop words (25%) and numbers (5%). Returns the texts and their themes.
pub(crate) fn bench_corpus(n: usize, themes: usize, seed: u64) -> (Vec<String>, Vec<usize>) {
    let mut rng = SplitMix64::new(seed);
    // Every theme gets its own 12 compound words (no compound is shared between themes).
    let mut compounds: Vec<String> = BENCH_HEADS
        .iter()
        .flat_map(|h| BENCH_TAILS.iter().map(move |t| format!("{h}{t}")))
        .collect();
    for i in (1..compounds.len()).rev() {
        let j = rng.below(i + 1);
        compounds.swap(i, j);
    }
    let per_theme = 12;
    let themes = themes.clamp(1, compounds.len() / per_theme);
    let theme_words: Vec<&[String]> = compounds.chunks(per_theme).take(themes).collect();
    (0..n)
        .map(|_| {
            let theme = rng.below(theme_words.len());
            let t = &theme_words[theme];
            let len = 20 + rng.below(21);
            let mut words: Vec<String> = Vec::with_capacity(len);
            for _ in 0..len {
                let r = rng.below(100);
                let w = if r < 30 {
                    t[rng.below(t.len())].clone()
                } else if r < 70 {
                    BENCH_COMMON[rng.below(BENCH_COMMON.len())].to_string()
                } else if r < 95 {
                    BENCH_STOPS[rng.below(BENCH_STOPS.len())].to_string()
                } else {
                    format!("{}", rng.below(5000))
                };
                words.push(w);
            }
            let mut s = words.join(" ");
            s.push('.');
            (s, theme)
        })
        .unzip()
}
