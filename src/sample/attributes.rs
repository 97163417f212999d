//! The attributes of cases and signals drawn from their marginal distributions: theme,
//! aandrager, doelgroep, levensgebeurtenis, and the dienst and regeling that fit a theme.
//!
//! ```ignore
//! let thema = rng.weighted(THEMA_WEIGHTS);
//! let (dienst, regeling) = service_and_scheme(&mut rng, thema);
//! let doelgroep = draw_target_groups(&mut rng, thema);
//! ```

use super::rng::Rng;
use crate::model::Code;

/// Themes (hoofdthema.subthema) with their relative frequency.
pub(super) const THEMA_WEIGHTS: &[(&str, f64)] = &[
    ("toeslagen.terugvordering", 9.0),
    ("toeslagen.voorschot", 4.0),
    ("toeslagen.partner_samenloop", 4.0),
    ("toeslagen.niet_gebruik", 2.0),
    ("toeslagen.kinderopvang", 3.0),
    ("toeslagen.herstel", 4.0),
    ("toeslagen.bewijsstukken", 3.0),
    ("invordering.betalingsregeling", 6.0),
    ("invordering.beslag_bestaansminimum", 3.0),
    ("invordering.verrekening", 4.0),
    ("invordering.kwijtschelding", 3.0),
    ("invordering.dwangbevel_kosten", 2.0),
    ("invordering.uitstel", 2.0),
    ("inkomstenbelasting.aangifte_fout", 4.0),
    ("inkomstenbelasting.box3", 3.0),
    ("inkomstenbelasting.navordering", 3.0),
    ("inkomstenbelasting.voorlopige_aanslag", 3.0),
    ("ondernemers.btw", 3.0),
    ("ondernemers.loonheffing", 2.0),
    ("ondernemers.boete", 2.0),
    ("ondernemers.uitstel_coronaschuld", 1.0),
    ("ondernemers.zzp_status", 2.0),
    ("dienstverlening.bereikbaarheid", 3.0),
    ("dienstverlening.brieven_jargon", 3.0),
    ("dienstverlening.kastje_muur", 4.0),
    ("dienstverlening.digid_machtiging", 2.0),
    ("dienstverlening.doorlooptijd", 3.0),
    ("rechtsbescherming.termijnoverschrijding", 2.0),
    ("rechtsbescherming.hardheid", 3.0),
    ("rechtsbescherming.fraudestempel", 1.5),
    ("rechtsbescherming.risicoselectie", 1.5),
    ("douane.invoer", 1.0),
    ("douane.vergunning", 0.5),
    ("overig.overig", 2.5),
];

/// Who brings a case in (aandrager_type).
pub(super) const AANDRAGER_WEIGHTS: &[(&str, f64)] = &[
    ("sociaal_raadslieden", 18.0),
    ("schuldhulpverlening", 10.0),
    ("maatschappelijk_werk", 8.0),
    ("wijkteam", 8.0),
    ("juridisch_loket", 7.0),
    ("belastingadviseur", 8.0),
    ("ouderenorganisatie", 4.0),
    ("vakbond", 3.0),
    ("belastingdienst", 12.0),
    ("dienst_toeslagen", 10.0),
    ("ibtd", 1.0),
    ("nationale_ombudsman", 3.0),
    ("burger_zelf", 6.0),
    ("overig", 2.0),
];

/// Doelgroepen outside the business themes.
pub(super) const DOELGROEP_WEIGHTS: &[(&str, f64)] = &[
    ("particulier", 20.0),
    ("ouderen", 10.0),
    ("jongeren", 5.0),
    ("gezin_met_kinderen", 12.0),
    ("alleenstaande_ouder", 8.0),
    ("schulden", 12.0),
    ("laaggeletterd", 6.0),
    ("nieuwkomer", 5.0),
    ("beperking", 6.0),
    ("gedupeerde_herstel", 3.0),
    ("buitenland", 3.0),
    ("mantelzorger", 3.0),
    ("zzp", 3.0),
    ("mkb", 2.0),
];

/// The life event behind a case; `geen` when there is none.
pub(super) const LEVENSGEBEURTENIS_WEIGHTS: &[(&str, f64)] = &[
    ("geen", 50.0),
    ("scheiding", 8.0),
    ("overlijden_partner", 5.0),
    ("achttien_worden", 3.0),
    ("werkloos", 8.0),
    ("ziekte_arbeidsongeschikt", 8.0),
    ("start_onderneming", 3.0),
    ("stop_onderneming", 3.0),
    ("verhuizing_buitenland", 2.0),
    ("opname_zorginstelling", 2.0),
    ("pensioen", 4.0),
];

/// Regelingen of Dienst Toeslagen.
const BENEFIT_SCHEMES: &[(&str, f64)] = &[
    ("huurtoeslag", 40.0),
    ("zorgtoeslag", 30.0),
    ("kindgebonden_budget", 15.0),
    ("kinderopvangtoeslag", 15.0),
];

/// Regelingen of the Belastingdienst.
const TAX_SCHEMES: &[(&str, f64)] = &[
    ("inkomstenbelasting", 55.0),
    ("motorrijtuigenbelasting", 15.0),
    ("btw", 8.0),
    ("erf_schenkbelasting", 5.0),
    ("vennootschapsbelasting", 2.0),
    ("overig", 15.0),
];

/// A regeling of the dienst; for `beide` first a coin decides which dienst.
fn scheme_of(rng: &mut Rng, dienst: &str) -> Option<Code> {
    let table = match dienst {
        "dienst_toeslagen" => BENEFIT_SCHEMES,
        "beide" => {
            if rng.chance(0.5) {
                BENEFIT_SCHEMES
            } else {
                TAX_SCHEMES
            }
        }
        _ => TAX_SCHEMES,
    };
    Some(Code::new(rng.weighted(table)))
}

/// Dienst and regeling that fit the theme (docs/domein.md#voorbeelddata).
pub(super) fn service_and_scheme(rng: &mut Rng, thema: &str) -> (String, Option<Code>) {
    let (hoofd, sub) = thema.split_once('.').unwrap_or((thema, ""));
    let (dienst, regeling) = match hoofd {
        "toeslagen" => {
            let r = match sub {
                "kinderopvang" | "herstel" => "kinderopvangtoeslag",
                _ => rng.weighted(BENEFIT_SCHEMES),
            };
            ("dienst_toeslagen", Some(Code::new(r)))
        }
        "invordering" => {
            let d = rng.weighted(&[
                ("belastingdienst", 65.0),
                ("dienst_toeslagen", 20.0),
                ("beide", 15.0),
            ]);
            (d, scheme_of(rng, d))
        }
        "inkomstenbelasting" => ("belastingdienst", Some(Code::new("inkomstenbelasting"))),
        "ondernemers" => {
            let r = match sub {
                "btw" => "btw",
                "loonheffing" => "loonheffingen",
                "zzp_status" => "inkomstenbelasting",
                _ => rng.weighted(&[
                    ("btw", 45.0),
                    ("loonheffingen", 30.0),
                    ("inkomstenbelasting", 25.0),
                ]),
            };
            ("belastingdienst", Some(Code::new(r)))
        }
        "dienstverlening" | "rechtsbescherming" => {
            let d = if sub == "fraudestempel" {
                rng.weighted(&[("dienst_toeslagen", 70.0), ("belastingdienst", 30.0)])
            } else {
                rng.weighted(&[
                    ("belastingdienst", 50.0),
                    ("dienst_toeslagen", 35.0),
                    ("beide", 15.0),
                ])
            };
            let r = if rng.chance(0.25) {
                None
            } else {
                scheme_of(rng, d)
            };
            (d, r)
        }
        "douane" => ("douane", Some(Code::new("douane"))),
        _ => {
            let d = rng.weighted(&[("anders", 60.0), ("belastingdienst", 40.0)]);
            let r = if rng.chance(0.5) {
                Some(Code::new("overig"))
            } else {
                None
            };
            (d, r)
        }
    };
    (dienst.to_string(), regeling)
}

/// Doelgroepen drawn independently of each other (process rules aside).
pub(super) fn draw_target_groups(rng: &mut Rng, thema: &str) -> Vec<Code> {
    let mut out: Vec<Code> = Vec::new();
    if thema.starts_with("ondernemers.") {
        out.push(Code::new(rng.weighted(&[("zzp", 40.0), ("mkb", 60.0)])));
        if rng.chance(0.25) {
            push_distinct(&mut out, rng.weighted(DOELGROEP_WEIGHTS));
        }
        return out;
    }
    if rng.chance(0.03) {
        return out;
    }
    let extra = rng.weighted_index([60.0, 30.0, 10.0].into_iter());
    for _ in 0..=extra {
        push_distinct(&mut out, rng.weighted(DOELGROEP_WEIGHTS));
    }
    if thema.starts_with("invordering.") && rng.chance(0.45) {
        push_distinct(&mut out, "schulden");
    }
    if thema == "toeslagen.herstel" {
        push_distinct(&mut out, "gedupeerde_herstel");
    }
    out
}

/// Adds `code` unless it is already there.
pub(super) fn push_distinct(v: &mut Vec<Code>, code: &str) {
    if !v.iter().any(|x| x == code) {
        v.push(Code::new(code));
    }
}

// ---------------------------------------------------------------------------
// Organisations
// ---------------------------------------------------------------------------

/// The main theme of a theme code: `toeslagen` for `toeslagen.voorschot`.
pub(super) fn main_theme(thema: &str) -> &str {
    thema.split('.').next().unwrap_or(thema)
}

/// A levensgebeurtenis drawn from its marginal distribution.
pub(super) fn draw_life_event(rng: &mut Rng) -> Code {
    Code::new(rng.weighted(LEVENSGEBEURTENIS_WEIGHTS))
}
