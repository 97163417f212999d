//! B1 readability of the public report's generated sentences (issue 17).
//!
//! The Flesch-Douma score (the Dutch adaptation of Flesch reading ease) is computed
//! over the sentences rodedraad writes itself in the public Markdown report: page one,
//! the summary, the rode draden and the signals. B1 (Rijksoverheid writing guidance) is
//! taken as a score of at least 60 ("vrij makkelijk") and sentences of at most 15 words
//! on average; no generated sentence may run past 25 words. Names from the data and the
//! configuration (thread labels, services) count as one short word.

mod common;
use common::*;

/// Dutch syllables, estimated as groups of vowels ("ui", "oe", "eeu" are one).
fn syllables(word: &str) -> usize {
    let mut n = 0;
    let mut in_vowel = false;
    for c in word.to_lowercase().chars() {
        let v = "aeiouyáéíóúëïöüè".contains(c);
        // a diaeresis opens a new syllable: ge-ë-sca-leerd
        if (v && !in_vowel) || "ëïöü".contains(c) {
            n += 1;
        }
        in_vowel = v;
    }
    n.max(1)
}

fn words(sentence: &str) -> Vec<&str> {
    sentence
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .collect()
}

/// Sentences of a text: split after ".", "!", "?" or ";" followed by a space.
fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = text.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        cur.push(*c);
        let end = matches!(c, '.' | '!' | '?' | ';')
            && chars.get(i + 1).is_none_or(|n| n.is_whitespace());
        if end {
            if words(&cur).len() > 1 {
                out.push(cur.trim().to_string());
            }
            cur.clear();
        }
    }
    if words(&cur).len() > 1 {
        out.push(cur.trim().to_string());
    }
    out
}

/// Flesch-Douma: 206,835 − 0,93 × words per sentence − 77 × syllables per word.
fn flesch_douma(sentences: &[String]) -> f64 {
    let w: Vec<&str> = sentences.iter().flat_map(|s| words(s)).collect();
    let syl: usize = w.iter().map(|x| syllables(x)).sum();
    let (ns, nw) = (sentences.len().max(1) as f64, w.len().max(1) as f64);
    206.835 - 0.93 * (nw / ns) - 77.0 * (syl as f64 / nw)
}

/// Names the report takes from the data and the configuration: a thread's label (its
/// heading) and the services and recipients. They are the reader's own words for a
/// problem or an organisation, not sentence construction, and count as one short word.
fn names(md: &str) -> Vec<String> {
    let mut n: Vec<String> = md
        .lines()
        .filter_map(|l| l.strip_prefix("### "))
        .map(str::to_string)
        .collect();
    n.extend(
        [
            "Belastingdienst en Dienst Toeslagen",
            "Dienst Toeslagen",
            "Belastingdienst",
            "Ministerie van Financiën",
            "Douane",
        ]
        .map(String::from),
    );
    n.sort_by_key(|x| std::cmp::Reverse(x.chars().count()));
    n
}

/// The generated prose of the public Markdown report: page one, the summary and the
/// rode draden (tables, quoted stories, bold headings and fixed policy text left out).
fn generated_prose(md: &str) -> Vec<String> {
    let names = names(md);
    let mut keep = false;
    let mut out = Vec::new();
    for line in md.lines() {
        if let Some(h) = line.strip_prefix("## ") {
            keep = h.starts_with("In één oogopslag")
                || h.starts_with("1.")
                || h.starts_with("3.")
                || h.starts_with("4.");
            continue;
        }
        let l = line.trim();
        if !keep
            || l.is_empty()
            || l.starts_with('|')
            || l.starts_with('>')
            || l.starts_with('#')
            || l.starts_with('_')
        {
            continue;
        }
        if l.starts_with("**") && l.ends_with("**") {
            continue;
        }
        let mut l = l.trim_start_matches("- ").replace("**", "");
        for n in &names {
            l = l.replace(n.as_str(), "Naam");
        }
        // A list item of page one or a field of a thread: the label before ":" is a heading.
        let l = match l.split_once(":** ").or(l.split_once(": ")) {
            Some((head, rest)) if words(head).len() <= 8 && !head.contains('.') => rest.to_string(),
            _ => l,
        };
        out.extend(sentences(&l));
    }
    out
}

#[test]
fn the_helpers_count_like_a_reader() {
    assert_eq!(syllables("casussen"), 3);
    assert_eq!(syllables("huurtoeslag"), 3);
    assert_eq!(syllables("geëscaleerd"), 4);
    assert_eq!(
        sentences("Eén zin. Nog een zin! En 12,5% hier."),
        vec!["Eén zin.", "Nog een zin!", "En 12,5% hier."]
    );
    // short plain sentences score high, long ones with long words low
    let plain = vec![
        "De dienst stuurt een brief.".to_string(),
        "Wij helpen de burger.".to_string(),
    ];
    let dense = vec!["De gecompliceerde herbeoordelingsprocedure van de uitvoeringsorganisatie veroorzaakte onevenredig langdurige terugvorderingsprocessen bij alleenstaande uitkeringsgerechtigden.".to_string()];
    assert!(flesch_douma(&plain) > 60.0, "{}", flesch_douma(&plain));
    assert!(flesch_douma(&dense) < 30.0, "{}", flesch_douma(&dense));
}

#[test]
fn the_public_report_is_written_at_b1() {
    let out = tmp("leesbaarheid");
    report_sample(&out, &["--format", "md"]);
    let md = std::fs::read_to_string(out.join("rapport.md")).unwrap();
    let prose = generated_prose(&md);
    assert!(prose.len() >= 10, "too few sentences found: {prose:?}");
    let long: Vec<&String> = prose.iter().filter(|s| words(s).len() > 25).collect();
    assert!(long.is_empty(), "sentences over 25 words: {long:#?}");
    let per_sentence =
        prose.iter().map(|s| words(s).len()).sum::<usize>() as f64 / prose.len() as f64;
    let score = flesch_douma(&prose);
    eprintln!(
        "Flesch-Douma {score:.1}, {per_sentence:.1} woorden per zin, {} zinnen",
        prose.len()
    );
    assert!(per_sentence <= 15.0, "{per_sentence:.1} words per sentence");
    assert!(score >= 60.0, "Flesch-Douma {score:.1} below B1 (60)");
}

/// Ways a hidden figure shows up in prose when a sentence was written around it: a lone
/// "." where a number stood, "niet getoond" in the place of a value, or "een deel" that
/// hints at its size.
fn hidden_value_in_prose(sentence: &str) -> bool {
    let s = format!(" {sentence} ");
    s.contains(" . ")
        || s.contains(" .%")
        || s.contains("niet getoond met")
        || s.contains("te klein om te tonen")
        || s.contains("((")
        || s.contains(" van . ")
}

/// Small exports hide many figures (rodedraad's own sample hides only a few): the page-one
/// list, the summary and the rode draden must read as sentences whatever is hidden.
#[test]
fn hidden_figures_are_never_written_into_a_sentence() {
    assert!(hidden_value_in_prose(
        "Bij . daarvan is een oplossing gevonden."
    ));
    assert!(hidden_value_in_prose("niet getoond met een oplossing"));
    assert!(!hidden_value_in_prose(
        "Bij 82,9% daarvan is een oplossing gevonden."
    ));
    let mut hidden_seen = 0;
    for (seed, cases) in [(11u64, 60usize), (12, 90), (13, 140), (14, 45)] {
        let d = tmp(&format!("leesbaar-{seed}"));
        let data = d.join("data").display().to_string();
        let (seed_s, cases_s) = (seed.to_string(), cases.to_string());
        let o = run(&[
            "sample", "--seed", &seed_s, "--cases", &cases_s, "--out", &data, "--excel", "false",
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        let out = d.join("rapport");
        let (c, s, o_s) = (
            d.join("data/casussen.csv").display().to_string(),
            d.join("data/signalen.csv").display().to_string(),
            out.display().to_string(),
        );
        let o = run(&[
            "report",
            "--cases",
            &c,
            "--signals",
            &s,
            "--period",
            "2026-H1",
            "--exportdatum",
            "2026-10-31",
            "--format",
            "md",
            "--out",
            &o_s,
        ]);
        assert!(o.status.success(), "seed {seed}: {}", stderr(&o));
        let md = std::fs::read_to_string(out.join("rapport.md")).unwrap();
        hidden_seen += md.matches("niet getoond").count() + md.matches("tonen we niet").count();
        let bad: Vec<String> = generated_prose(&md)
            .into_iter()
            .filter(|s| hidden_value_in_prose(s))
            .collect();
        assert!(bad.is_empty(), "seed {seed}, {cases} casussen: {bad:#?}");
        let _ = std::fs::remove_dir_all(&d);
    }
    // the small exports must actually hide headline figures, or the test proves nothing
    assert!(
        hidden_seen > 0,
        "no hidden headline figure in any small export"
    );
}
