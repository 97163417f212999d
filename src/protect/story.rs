//! k-anonymity check for stories ("verhalen") before they are published.
//!
//! A story tells a reader a few quasi-identifiers of a real case: target groups, life
//! event, scheme, kind of referring party, service and period. [`check_story`] counts how
//! many cases in the population share all of them; when fewer than `k` do, it drops the
//! least essential details one by one (life event, scheme, service, kind of referring
//! party; target groups and period always stay) and reports what had to be left out,
//! or that the story must not be told at all.
//!
//! [`story_text`] then applies the decision to the story's text: a generalised story is
//! only printed without every sentence that mentions a dropped detail, and is withheld
//! when that does not change its text (the text would still carry the details, or says
//! them in words that cannot be recognised).
//!
//! ```
//! use rodedraad::protect::story::{check_story, story_text, QuasiId, StoryDecision, StoryText};
//! let q = |lg: Option<&str>| QuasiId {
//!     target_groups: vec!["ouderen".into()],
//!     life_event: lg.map(String::from),
//!     scheme: Some("huurtoeslag".into()),
//!     helper_type: "wijkteam".into(),
//!     service: Some("dienst_toeslagen".into()),
//!     period: "2025-H1".into(),
//! };
//! let population = vec![q(Some("overlijden_partner")), q(None), q(Some("pensioen"))];
//! assert_eq!(
//!     check_story(&population[0], &population, 3),
//!     StoryDecision::Generalised { weggelaten: vec!["levensgebeurtenis"] }
//! );
//! let decision = check_story(&population[0], &population, 3);
//! let text = "Na het overlijden van de partner is de administratie een last. \
//!             De huurtoeslag wordt teruggevorderd.";
//! assert_eq!(
//!     story_text(text, &population[0], &decision, &Default::default()),
//!     StoryText::Publish { tekst: "De huurtoeslag wordt teruggevorderd.".into() }
//! );
//! ```

use std::collections::BTreeMap;

/// The details of a case that a story reveals.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QuasiId {
    pub target_groups: Vec<String>,
    pub life_event: Option<String>,
    pub scheme: Option<String>,
    pub helper_type: String,
    pub service: Option<String>,
    pub period: String,
}

/// Outcome of the recognisability check.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum StoryDecision {
    /// The story may be told with all its details.
    #[serde(rename = "vrijgegeven")]
    Cleared,
    /// The story may be told without the listed details (Dutch names, in drop order).
    #[serde(rename = "gegeneraliseerd")]
    Generalised { weggelaten: Vec<&'static str> },
    /// The story may not be told; the reason is in Dutch.
    #[serde(rename = "weggelaten")]
    Withheld { reden: String },
}

/// Dutch name of the life-event detail.
pub const LIFE_EVENT: &str = "levensgebeurtenis";
/// Dutch name of the scheme detail.
pub const SCHEME: &str = "regeling";
/// Dutch name of the service detail.
pub const SERVICE: &str = "dienst";
/// Dutch name of the referring-party detail.
pub const HELPER_TYPE: &str = "type aandrager";

/// The details that may be dropped, in the order they are dropped.
pub const GENERALISATION_ORDER: [&str; 4] = [LIFE_EVENT, SCHEME, SERVICE, HELPER_TYPE];

/// Decides whether a story about `candidate` may be told.
///
/// The candidate passes when at least `k` records of `population` (which should include
/// the candidate's own record) share all its quasi-identifiers: doelgroep compared as a
/// set (order and duplicates ignored), the other fields exactly (`None` only matches
/// `None`). Otherwise the details in [`GENERALISATION_ORDER`] are dropped cumulatively
/// until at least `k` match. `k <= 1` passes as long as the record is in the population
/// (`k == 0` always passes).
pub fn check_story(candidate: &QuasiId, population: &[QuasiId], k: usize) -> StoryDecision {
    check_in(candidate, &Population::new(population.iter().cloned()), k)
}

/// A population counted once by its quasi-identifiers: each distinct combination with
/// the number of records that have it. Checking a story is then a pass over the distinct
/// combinations (a few thousand), not over every record, so a report checks its stories
/// against a million cases in one pass over the cases.
#[derive(Debug, Clone, Default)]
pub struct Population {
    groups: Vec<(QuasiId, usize)>,
}

impl Population {
    /// Counts `records` (any order).
    pub fn new(records: impl IntoIterator<Item = QuasiId>) -> Population {
        Population::from_counts(records.into_iter().map(|q| (q, 1)))
    }

    /// Adds up counts per combination (a record may come with a count already).
    pub fn from_counts(counts: impl IntoIterator<Item = (QuasiId, usize)>) -> Population {
        let mut by_key: BTreeMap<OwnedKey, (QuasiId, usize)> = BTreeMap::new();
        for (q, n) in counts {
            by_key.entry(OwnedKey::of(&q)).or_insert_with(|| (q, 0)).1 += n;
        }
        Population {
            groups: by_key.into_values().collect(),
        }
    }

    /// The number of records.
    pub fn len(&self) -> usize {
        self.groups.iter().map(|g| g.1).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }
}

/// [`check_story`] against a counted [`Population`].
pub fn check_in(candidate: &QuasiId, population: &Population, k: usize) -> StoryDecision {
    let target = Key::of(candidate);
    let keys: Vec<(Key, usize)> = population
        .groups
        .iter()
        .map(|(q, n)| (Key::of(q), *n))
        .collect();
    let count = |dropped: usize| {
        keys.iter()
            .filter(|(p, _)| target.matches(p, dropped))
            .map(|(_, n)| n)
            .sum::<usize>()
    };

    if count(0) >= k {
        return StoryDecision::Cleared;
    }
    for dropped in 1..=GENERALISATION_ORDER.len() {
        if count(dropped) >= k {
            return StoryDecision::Generalised {
                weggelaten: GENERALISATION_ORDER[..dropped].to_vec(),
            };
        }
    }
    let n = count(GENERALISATION_ORDER.len());
    let casussen = if n == 1 {
        "casus deelt"
    } else {
        "casussen delen"
    };
    StoryDecision::Withheld {
        reden: format!(
            "Verhaal is herleidbaar: ook zonder levensgebeurtenis, regeling, dienst en type \
             aandrager {n} {casussen} dezelfde doelgroep en periode, minimaal {k} nodig."
        ),
    }
}

/// What may be printed of a story.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum StoryText {
    /// Print this text: the original, or the original without the sentences that
    /// mention a dropped detail.
    #[serde(rename = "publiceren")]
    Publish { tekst: String },
    /// Do not print the story; the reason is in Dutch.
    #[serde(rename = "achterhouden")]
    Withhold { reden: String },
}

/// Taxonomy: dimension -> code -> Dutch label (as `Config::taxonomie`).
pub type Taxonomie = BTreeMap<String, BTreeMap<String, String>>;

/// Applies `decision` (from [`check_story`] for `candidate`) to the story's `text`.
///
/// - [`StoryDecision::Cleared`]: the text as it is.
/// - [`StoryDecision::Withheld`]: withheld with the same reason.
/// - [`StoryDecision::Generalised`]: every sentence that mentions a dropped detail
///   the case has (its code, its label from `taxonomie`, or a known paraphrase such as
///   "overleden" for "overlijden_partner") is removed. The story is withheld when the
///   text did not change at all, when nothing is left, or when a dropped life event is
///   not found in any sentence (a life event is usually told in other words, so the
///   text may still carry it; schemes, services and referring parties are named).
pub fn story_text(
    text: &str,
    candidate: &QuasiId,
    decision: &StoryDecision,
    taxonomie: &Taxonomie,
) -> StoryText {
    match decision {
        StoryDecision::Cleared => StoryText::Publish {
            tekst: text.to_string(),
        },
        StoryDecision::Withheld { reden } => StoryText::Withhold {
            reden: reden.clone(),
        },
        StoryDecision::Generalised { weggelaten } => {
            generalise_text(text, candidate, weggelaten, taxonomie)
        }
    }
}

fn generalise_text(
    text: &str,
    candidate: &QuasiId,
    weggelaten: &[&'static str],
    taxonomie: &Taxonomie,
) -> StoryText {
    let all = split_sentences(text);
    let mut kept = all.clone();
    let mut not_found = Vec::new();
    for &detail in weggelaten {
        let Some(code) = detail_code(candidate, detail) else {
            continue;
        };
        let stems = mention_stems(detail, code, taxonomie);
        if detail == LIFE_EVENT && !all.iter().any(|s| mentions_any(s, &stems)) {
            not_found.push(detail);
        }
        kept.retain(|s| !mentions_any(s, &stems));
    }
    let tekst = kept.join(" ");
    let withhold = |why: String| StoryText::Withhold {
        reden: format!(
            "Verhaal is niet gepubliceerd: het moest zonder {} worden verteld, maar {why}.",
            join_dutch(weggelaten)
        ),
    };
    if !not_found.is_empty() {
        withhold(format!(
            "de tekst noemt {} niet herkenbaar, zodat weglaten de tekst niet verandert",
            join_dutch(&not_found)
        ))
    } else if tekst.trim().is_empty() {
        withhold("zonder die gegevens blijft er geen tekst over".into())
    } else if kept.len() == all.len() {
        withhold("de generalisatie verandert de tekst niet".into())
    } else {
        StoryText::Publish { tekst }
    }
}

/// The least a published story must still tell in sentences that are not stock sentences.
pub const MIN_STORY_SENTENCES: usize = 2;
/// The least number of words in those sentences.
pub const MIN_STORY_WORDS: usize = 12;

/// The last step before a story is printed. The stock sentences it ends with (closing notes,
/// signatures: "Zaak gesloten.", "Met vriendelijke groet, team Intake.") are cut; they say
/// how a case was filed, not what happened. The story is then withheld when fewer than
/// [`MIN_STORY_SENTENCES`] sentences or [`MIN_STORY_WORDS`] words are left that are not
/// stock sentences: after generalisation only a closing note may remain, and a closing
/// note is no story.
///
/// ```
/// use rodedraad::protect::story::{trim_story, StoryText};
/// let stock = |s: &str| s.starts_with("Zaak gesloten");
/// let told = StoryText::Publish {
///     tekst: "De toeslag werd teruggevorderd na een verhuizing. Bellen leverde telkens een ander antwoord op. Zaak gesloten.".into(),
/// };
/// assert_eq!(
///     trim_story(told, &stock),
///     StoryText::Publish {
///         tekst: "De toeslag werd teruggevorderd na een verhuizing. Bellen leverde telkens een ander antwoord op.".into()
///     }
/// );
/// let closing_only = StoryText::Publish { tekst: "Zaak gesloten.".into() };
/// assert!(matches!(trim_story(closing_only, &stock), StoryText::Withhold { .. }));
/// ```
pub fn trim_story(story: StoryText, is_stock: &dyn Fn(&str) -> bool) -> StoryText {
    let StoryText::Publish { tekst } = story else {
        return story;
    };
    let mut sentences = split_sentences(&tekst);
    while sentences.last().is_some_and(|s| is_stock(s)) {
        sentences.pop();
    }
    let told: Vec<&String> = sentences.iter().filter(|s| !is_stock(s)).collect();
    let words: usize = told.iter().map(|s| s.split_whitespace().count()).sum();
    if told.len() < MIN_STORY_SENTENCES || words < MIN_STORY_WORDS {
        return StoryText::Withhold {
            reden: format!(
                "Verhaal is niet gepubliceerd: zonder standaardzinnen blijven minder dan \
                 {MIN_STORY_SENTENCES} zinnen of {MIN_STORY_WORDS} woorden over."
            ),
        };
    }
    if sentences.len() == split_sentences(&tekst).len() {
        return StoryText::Publish { tekst };
    }
    StoryText::Publish {
        tekst: sentences.join(" "),
    }
}

/// "a", "a en b", "a, b en c".
fn join_dutch(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} en {last}", init.join(", ")),
    }
}

/// The case's code for a dropped detail; `None` when the case has none (or only a
/// catch-all such as "geen" or "overig", which tells a reader nothing).
fn detail_code<'a>(q: &'a QuasiId, detail: &str) -> Option<&'a str> {
    let code = match detail {
        LIFE_EVENT => q.life_event.as_deref(),
        SCHEME => q.scheme.as_deref(),
        SERVICE => q.service.as_deref(),
        HELPER_TYPE => Some(q.helper_type.as_str()),
        _ => None,
    }?;
    let code = code.trim();
    (!code.is_empty() && !matches!(code, "geen" | "overig" | "anders" | "onbekend")).then_some(code)
}

/// The taxonomy dimension of a detail.
fn dimension(detail: &str) -> &str {
    if detail == HELPER_TYPE {
        "aandrager_type"
    } else {
        detail
    }
}

/// Words too common to mark a detail on their own.
const GENERIC_WORDS: &[&str] = &[
    "andere",
    "dienst",
    "gaan",
    "naar",
    "organisatie",
    "overig",
    "worden",
    "werk",
    "zelf",
    "start",
    "stop",
    "stoppen",
    "met",
    "van",
    "het",
    "een",
];

/// Paraphrases of the codes of the default taxonomy, lowercase word starts.
const PARAPHRASES: &[(&str, &[&str])] = &[
    (
        "scheiding",
        &["gescheiden", "echtscheiding", "ex-partner", "uit elkaar"],
    ),
    (
        "overlijden_partner",
        &["overl", "weduw", "nabestaand", "sterfgeval"],
    ),
    (
        "achttien_worden",
        &[
            "achttien",
            "18 jaar",
            "18e verjaardag",
            "volwassen",
            "meerderjarig",
        ],
    ),
    (
        "werkloos",
        &[
            "ontslag",
            "ontslagen",
            "baan kwijt",
            "verlies van werk",
            "ww-uitkering",
        ],
    ),
    (
        "ziekte_arbeidsongeschikt",
        &["ziek", "arbeidsongeschikt", "wia", "wao"],
    ),
    (
        "start_onderneming",
        &[
            "eigen onderneming",
            "eigen bedrijf",
            "kamer van koophandel",
            "kvk",
            "starter",
        ],
    ),
    (
        "stop_onderneming",
        &[
            "gestopt",
            "beëindig",
            "faillis",
            "opgeheven",
            "stoppen van de onderneming",
        ],
    ),
    (
        "verhuizing_buitenland",
        &["buitenland", "emigr", "verhuis", "verhuiz"],
    ),
    (
        "opname_zorginstelling",
        &[
            "zorginstelling",
            "verpleeghuis",
            "verzorgingshuis",
            "opgenomen",
            "opname",
        ],
    ),
    ("pensioen", &["aow", "gepensioneerd"]),
    (
        "sociaal_raadslieden",
        &["raadsman", "raadsvrouw", "raadslieden"],
    ),
    ("schuldhulpverlening", &["schuldhulp"]),
    ("maatschappelijk_werk", &["maatschappelijk werk"]),
    ("juridisch_loket", &["juridisch loket", "jurist"]),
    ("belastingadviseur", &["adviseur", "fiscalist"]),
    ("ouderenorganisatie", &["ouderenadviseur", "ouderenbond"]),
    ("vakbond", &["vakbond"]),
    ("nationale_ombudsman", &["ombudsman"]),
    ("dienst_toeslagen", &["dienst toeslagen", "toeslag"]),
    (
        "belastingdienst",
        &["belasting", "aanslag", "aangifte", "fiscus"],
    ),
];

/// Lowercase word starts that mark a mention of the detail with this code: the code and
/// its label (whole and per word), and known paraphrases.
fn mention_stems(detail: &str, code: &str, taxonomie: &Taxonomie) -> Vec<String> {
    let mut phrases = vec![code.replace('_', " ")];
    let dim = dimension(detail);
    let label = taxonomie
        .get(dim)
        .and_then(|m| m.get(code))
        .map(String::as_str);
    if let Some(label) = label.or_else(|| crate::labels::fixed_label(dim, code)) {
        phrases.push(label.to_string());
    }
    let mut stems: Vec<String> = Vec::new();
    for phrase in &phrases {
        let lower = phrase.to_lowercase();
        stems.extend(
            lower
                .split(|c: char| !c.is_alphanumeric() && c != '-')
                .filter(|w| w.chars().count() >= 4 && !GENERIC_WORDS.contains(w))
                .map(String::from),
        );
        stems.push(lower);
    }
    if let Some((_, extra)) = PARAPHRASES.iter().find(|(c, _)| *c == code) {
        stems.extend(extra.iter().map(|s| s.to_string()));
    }
    stems.retain(|s| !s.trim().is_empty());
    stems.sort();
    stems.dedup();
    stems
}

/// Some stem starts a word of the sentence (case-insensitive).
fn mentions_any(sentence: &str, stems: &[String]) -> bool {
    let lower = sentence.to_lowercase();
    stems.iter().any(|stem| {
        lower.match_indices(stem.as_str()).any(|(i, _)| {
            !lower[..i]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric())
        })
    })
}

/// Sentences: a ".", "!" or "?" followed by white space and a capital letter ends one,
/// so does a line break.
fn split_sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\n' {
            push_sentence(&mut out, &mut current);
            continue;
        }
        current.push(c);
        if matches!(c, '.' | '!' | '?') {
            let mut ws = String::new();
            while let Some(&n) = chars.peek() {
                if n.is_whitespace() && n != '\n' {
                    ws.push(n);
                    chars.next();
                } else {
                    break;
                }
            }
            let next_is_capital = chars.peek().is_some_and(|n| n.is_uppercase());
            if !ws.is_empty() && next_is_capital {
                push_sentence(&mut out, &mut current);
            } else {
                current.push_str(&ws);
            }
        }
    }
    push_sentence(&mut out, &mut current);
    out
}

fn push_sentence(out: &mut Vec<String>, current: &mut String) {
    let s = current.trim();
    if !s.is_empty() {
        out.push(s.to_string());
    }
    current.clear();
}

/// A [`Key`] that owns its strings, to count a population by.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct OwnedKey {
    target_groups: Vec<String>,
    life_event: Option<String>,
    scheme: Option<String>,
    service: Option<String>,
    helper_type: String,
    period: String,
}

impl OwnedKey {
    fn of(q: &QuasiId) -> OwnedKey {
        let k = Key::of(q);
        OwnedKey {
            target_groups: k.target_groups.iter().map(|s| s.to_string()).collect(),
            life_event: k.life_event.map(str::to_string),
            scheme: k.scheme.map(str::to_string),
            service: k.service.map(str::to_string),
            helper_type: k.helper_type.to_string(),
            period: k.period.to_string(),
        }
    }
}

/// Normalised quasi-identifiers: doelgroep as a sorted, deduplicated set.
struct Key<'a> {
    target_groups: Vec<&'a str>,
    life_event: Option<&'a str>,
    scheme: Option<&'a str>,
    service: Option<&'a str>,
    helper_type: &'a str,
    period: &'a str,
}

impl<'a> Key<'a> {
    fn of(q: &'a QuasiId) -> Self {
        let mut target_groups: Vec<&str> = q.target_groups.iter().map(|s| s.as_str()).collect();
        target_groups.sort_unstable();
        target_groups.dedup();
        Key {
            target_groups,
            life_event: q.life_event.as_deref(),
            scheme: q.scheme.as_deref(),
            service: q.service.as_deref(),
            helper_type: &q.helper_type,
            period: &q.period,
        }
    }

    /// Equal on every quasi-identifier except the first `dropped` of the order.
    fn matches(&self, other: &Key, dropped: usize) -> bool {
        self.target_groups == other.target_groups
            && self.period == other.period
            && (dropped >= 1 || self.life_event == other.life_event)
            && (dropped >= 2 || self.scheme == other.scheme)
            && (dropped >= 3 || self.service == other.service)
            && (dropped >= 4 || self.helper_type == other.helper_type)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(
        doelgroep: &[&str],
        lg: Option<&str>,
        regeling: Option<&str>,
        aandrager: &str,
        dienst: Option<&str>,
        periode: &str,
    ) -> QuasiId {
        QuasiId {
            target_groups: doelgroep.iter().map(|s| s.to_string()).collect(),
            life_event: lg.map(String::from),
            scheme: regeling.map(String::from),
            helper_type: aandrager.to_string(),
            service: dienst.map(String::from),
            period: periode.to_string(),
        }
    }

    fn population() -> Vec<QuasiId> {
        let t = Some("dienst_toeslagen");
        let b = Some("belastingdienst");
        vec![
            // 0..=2: identical, doelgroep in different orders and with a duplicate
            q(
                &["ouderen", "schulden"],
                Some("scheiding"),
                Some("huurtoeslag"),
                "wijkteam",
                t,
                "2025-H1",
            ),
            q(
                &["schulden", "ouderen"],
                Some("scheiding"),
                Some("huurtoeslag"),
                "wijkteam",
                t,
                "2025-H1",
            ),
            q(
                &["ouderen", "schulden", "ouderen"],
                Some("scheiding"),
                Some("huurtoeslag"),
                "wijkteam",
                t,
                "2025-H1",
            ),
            // 3: same but another life event
            q(
                &["ouderen", "schulden"],
                Some("pensioen"),
                Some("huurtoeslag"),
                "wijkteam",
                t,
                "2025-H1",
            ),
            // 4: another life event and scheme
            q(
                &["ouderen", "schulden"],
                None,
                Some("zorgtoeslag"),
                "wijkteam",
                t,
                "2025-H1",
            ),
            // 5: another service and scheme
            q(
                &["ouderen", "schulden"],
                Some("werkloos"),
                Some("inkomstenbelasting"),
                "wijkteam",
                b,
                "2025-H1",
            ),
            // 6: another referring party
            q(
                &["ouderen", "schulden"],
                Some("scheiding"),
                Some("huurtoeslag"),
                "vakbond",
                t,
                "2025-H1",
            ),
            // 7: other period: never counts
            q(
                &["ouderen", "schulden"],
                Some("scheiding"),
                Some("huurtoeslag"),
                "wijkteam",
                t,
                "2024-H2",
            ),
            // 8: other doelgroep (subset): never counts
            q(
                &["ouderen"],
                Some("scheiding"),
                Some("huurtoeslag"),
                "wijkteam",
                t,
                "2025-H1",
            ),
        ]
    }

    #[test]
    fn vrijgegeven_when_k_records_share_everything() {
        let pop = population();
        // records 0, 1, 2 share all quasi-identifiers (doelgroep as a set)
        assert_eq!(check_story(&pop[0], &pop, 3), StoryDecision::Cleared);
        assert_eq!(check_story(&pop[2], &pop, 3), StoryDecision::Cleared);
        assert_eq!(check_story(&pop[7], &pop, 1), StoryDecision::Cleared);
        assert_eq!(check_story(&pop[7], &pop, 0), StoryDecision::Cleared);
    }

    #[test]
    fn gegeneraliseerd_drops_details_in_order() {
        let pop = population();
        // k = 4: dropping the life event adds record 3 -> 4
        assert_eq!(
            check_story(&pop[0], &pop, 4),
            StoryDecision::Generalised {
                weggelaten: vec!["levensgebeurtenis"]
            }
        );
        // k = 5: dropping the scheme adds record 4 -> 5
        assert_eq!(
            check_story(&pop[0], &pop, 5),
            StoryDecision::Generalised {
                weggelaten: vec!["levensgebeurtenis", "regeling"]
            }
        );
        // k = 6: dropping the service adds record 5 -> 6
        assert_eq!(
            check_story(&pop[0], &pop, 6),
            StoryDecision::Generalised {
                weggelaten: vec!["levensgebeurtenis", "regeling", "dienst"]
            }
        );
        // k = 7: dropping the referring party adds record 6 -> 7
        assert_eq!(
            check_story(&pop[0], &pop, 7),
            StoryDecision::Generalised {
                weggelaten: vec!["levensgebeurtenis", "regeling", "dienst", "type aandrager"]
            }
        );
        // record 3 alone has its own life event: one drop gives 0,1,2,3 -> 4
        assert_eq!(
            check_story(&pop[3], &pop, 2),
            StoryDecision::Generalised {
                weggelaten: vec!["levensgebeurtenis"]
            }
        );
    }

    #[test]
    fn weggelaten_when_even_generalised_too_rare() {
        let pop = population();
        match check_story(&pop[0], &pop, 8) {
            StoryDecision::Withheld { reden } => {
                assert_eq!(
                    reden,
                    "Verhaal is herleidbaar: ook zonder levensgebeurtenis, regeling, dienst en \
                     type aandrager 7 casussen delen dezelfde doelgroep en periode, minimaal 8 nodig."
                );
            }
            other => panic!("expected Weggelaten, got {other:?}"),
        }
        // the 2024 record is alone in its period
        match check_story(&pop[7], &pop, 2) {
            StoryDecision::Withheld { reden } => {
                assert!(reden.contains("1 casus deelt"));
                assert!(reden.contains("minimaal 2 nodig"));
            }
            other => panic!("expected Weggelaten, got {other:?}"),
        }
        // the smaller doelgroep set is not matched by its supersets
        assert!(matches!(
            check_story(&pop[8], &pop, 2),
            StoryDecision::Withheld { .. }
        ));
    }

    fn taxonomie() -> Taxonomie {
        let mut t = Taxonomie::new();
        t.entry("regeling".into())
            .or_default()
            .insert("huurtoeslag".into(), "Huurtoeslag".into());
        t.entry("dienst".into())
            .or_default()
            .insert("dienst_toeslagen".into(), "Dienst Toeslagen".into());
        t.entry("levensgebeurtenis".into())
            .or_default()
            .insert("scheiding".into(), "Scheiding".into());
        t
    }

    const STORY: &str = "Een medewerker van het wijkteam meldt een alleenstaande moeder. \
        Sinds de echtscheiding moet alles opnieuw worden geregeld. \
        Dienst Toeslagen vordert de huurtoeslag over 2024 terug. \
        Zij kan dat bedrag niet in één keer betalen.";

    fn generalised(weggelaten: Vec<&'static str>) -> StoryDecision {
        StoryDecision::Generalised { weggelaten }
    }

    #[test]
    fn story_text_passes_released_and_withholds_rejected_stories() {
        let pop = population();
        assert_eq!(
            story_text(STORY, &pop[0], &StoryDecision::Cleared, &taxonomie()),
            StoryText::Publish {
                tekst: STORY.into()
            }
        );
        let reden = "te herleidbaar".to_string();
        assert_eq!(
            story_text(
                STORY,
                &pop[0],
                &StoryDecision::Withheld {
                    reden: reden.clone()
                },
                &taxonomie()
            ),
            StoryText::Withhold { reden }
        );
    }

    #[test]
    fn generalised_story_loses_the_sentences_with_dropped_details() {
        let pop = population();
        // the issue's case: told without life event, scheme and service
        let got = story_text(
            STORY,
            &pop[0],
            &generalised(vec![LIFE_EVENT, SCHEME, SERVICE]),
            &taxonomie(),
        );
        assert_eq!(
            got,
            StoryText::Publish {
                tekst: "Een medewerker van het wijkteam meldt een alleenstaande moeder. \
                        Zij kan dat bedrag niet in één keer betalen."
                    .into()
            }
        );
        // dropping the referring party as well removes the intro that names the wijkteam
        let got = story_text(
            STORY,
            &pop[0],
            &generalised(GENERALISATION_ORDER.to_vec()),
            &taxonomie(),
        );
        assert_eq!(
            got,
            StoryText::Publish {
                tekst: "Zij kan dat bedrag niet in één keer betalen.".into()
            }
        );
    }

    #[test]
    fn generalised_story_is_withheld_when_its_text_does_not_change() {
        let pop = population();
        // the life event is not recognisable in the text: it may be there in other words
        let text = "Zij kan het bedrag niet in één keer betalen. Er is geen regeling aangeboden.";
        match story_text(text, &pop[0], &generalised(vec![LIFE_EVENT]), &taxonomie()) {
            StoryText::Withhold { reden } => {
                assert!(reden.contains("zonder levensgebeurtenis"), "{reden}");
                assert!(reden.contains("niet herkenbaar"), "{reden}");
            }
            other => panic!("expected Withhold, got {other:?}"),
        }
        // a record without the dropped detail: nothing to remove, text unchanged
        match story_text(text, &pop[4], &generalised(vec![LIFE_EVENT]), &taxonomie()) {
            StoryText::Withhold { reden } => {
                assert!(reden.contains("verandert de tekst niet"), "{reden}")
            }
            other => panic!("expected Withhold, got {other:?}"),
        }
        // every sentence mentions a dropped detail: nothing left
        let text = "Dienst Toeslagen vordert de huurtoeslag terug.";
        match story_text(text, &pop[0], &generalised(vec![SCHEME]), &taxonomie()) {
            StoryText::Withhold { reden } => assert!(reden.contains("geen tekst"), "{reden}"),
            other => panic!("expected Withhold, got {other:?}"),
        }
    }

    #[test]
    fn a_story_loses_its_closing_notes_and_a_closing_note_alone_is_withheld() {
        let stock =
            |s: &str| s.starts_with("Zaak gesloten") || s.starts_with("Met vriendelijke groet");
        let publish = |t: &str| StoryText::Publish { tekst: t.into() };
        // Closing notes at the end go; a stock sentence inside the story stays.
        assert_eq!(
            trim_story(
                publish("Zaak gesloten. De huurtoeslag werd na de verhuizing teruggevorderd. Niemand kon uitleggen waarom het bedrag zo hoog was. Met vriendelijke groet, team Intake. Zaak gesloten."),
                &stock
            ),
            publish("Zaak gesloten. De huurtoeslag werd na de verhuizing teruggevorderd. Niemand kon uitleggen waarom het bedrag zo hoog was.")
        );
        // What a generalised story can shrink to: one closing note, or one short sentence.
        for t in [
            "Zaak gesloten.",
            "Casus afgerond, geen verdere actie nodig",
            "Het duurde lang. Zaak gesloten.",
            "Het duurde lang. Er kwam geen antwoord.",
        ] {
            assert!(
                matches!(trim_story(publish(t), &stock), StoryText::Withhold { .. }),
                "{t}"
            );
        }
        // A decision to withhold stays one.
        let w = StoryText::Withhold { reden: "x".into() };
        assert_eq!(trim_story(w.clone(), &stock), w);
    }

    #[test]
    fn sentences_and_mentions() {
        assert_eq!(
            split_sentences("Eén. Twee? drie.\nVier!  Vijf 3.5 euro."),
            vec!["Eén.", "Twee? drie.", "Vier!", "Vijf 3.5 euro."]
        );
        let stems = mention_stems(LIFE_EVENT, "overlijden_partner", &Taxonomie::new());
        assert!(mentions_any("De partner is overleden.", &stems));
        assert!(!mentions_any("De toeslagpartner belde.", &stems));
        assert_eq!(join_dutch(&["a", "b", "c"]), "a, b en c");
    }

    #[test]
    fn generalised_sample_stories_never_keep_a_dropped_detail() {
        use crate::config::Config;
        use crate::sample::{generate, SampleOptions};
        let cfg = Config::default_config();
        let data = generate(&SampleOptions::default());
        let pop: Vec<QuasiId> = data
            .cases
            .iter()
            .map(|c| QuasiId {
                target_groups: c.doelgroep.iter().map(|g| g.to_string()).collect(),
                life_event: c.levensgebeurtenis.map(String::from),
                scheme: c.regeling.map(String::from),
                helper_type: c.aandrager_type.to_string(),
                service: c.dienst.map(|d| d.as_str().to_string()),
                period: c.ontvangen_op.format("%Y").to_string(),
            })
            .collect();
        let (mut published, mut withheld) = (0, 0);
        for (c, q) in data.cases.iter().zip(&pop) {
            let Some(text) = c.samenvatting.as_deref() else {
                continue;
            };
            let decision = check_story(q, &pop, 3);
            let StoryDecision::Generalised { weggelaten } = &decision else {
                continue;
            };
            match story_text(text, q, &decision, &cfg.taxonomie) {
                StoryText::Publish { tekst } => {
                    published += 1;
                    assert_ne!(tekst, text);
                    assert!(split_sentences(&tekst)
                        .iter()
                        .all(|s| text.contains(s.as_str())));
                    // independent of the stems: the scheme's and service's own names are gone
                    let lower = tekst.to_lowercase();
                    for (&d, dim) in weggelaten.iter().zip([
                        "levensgebeurtenis",
                        "regeling",
                        "dienst",
                        "aandrager_type",
                    ]) {
                        let label = detail_code(q, d).map(|code| cfg.label(dim, code));
                        if let Some(label) = label.filter(|_| d == SCHEME || d == SERVICE) {
                            assert!(
                                !lower.contains(&label.to_lowercase()),
                                "{d} {label:?} in {tekst:?}"
                            );
                        }
                    }
                }
                StoryText::Withhold { reden } => {
                    withheld += 1;
                    assert!(reden.starts_with("Verhaal is niet gepubliceerd"), "{reden}");
                }
            }
        }
        // the rule neither lets every generalised story through nor withholds them all
        assert!(published > 0, "published {published}, withheld {withheld}");
        assert!(withheld > 0, "published {published}, withheld {withheld}");
    }

    #[test]
    fn serialises_in_snake_case() {
        let d = StoryDecision::Generalised {
            weggelaten: vec!["levensgebeurtenis"],
        };
        assert_eq!(
            serde_json::to_string(&d).unwrap(),
            r#"{"gegeneraliseerd":{"weggelaten":["levensgebeurtenis"]}}"#
        );
    }
}
