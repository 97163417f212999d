//! The signals: structural problems reported to the Belangenbehartiger. A signal from
//! its own casuïstiek (and a few from partners) is linked to earlier cases of one theme;
//! the others get independent attributes. Each signal then follows its own status path:
//! forwarded to a recipient, with an owner, feedback and dates up to the export date.
//!
//! ```ignore
//! let signals = make_signals(seed, n_signals, &signal_cdf, &cases, export_date);
//! ```

use super::attributes::{
    draw_target_groups, main_theme, push_distinct, service_and_scheme, DOELGROEP_WEIGHTS,
    THEMA_WEIGHTS,
};
use super::calendar::{day, year_sequence, DayCdf};
use super::parallel::par_map;
use super::phrases::{EIGENAREN, TERUGKOPPELING};
use super::rng::Rng;
use super::text::signal_text;
use crate::model::{Case, Code, Signal};
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;

const SOURCE_WEIGHTS: &[(&str, f64)] = &[
    ("ksm", 34.0),
    ("eigen_casuistiek", 24.0),
    ("maatschappelijke_partner", 26.0),
    ("ibtd", 4.0),
    ("belastingdienst", 4.0),
    ("dienst_toeslagen", 4.0),
    ("nationale_ombudsman", 4.0),
];

/// `n` signals in order of their date, with ids of year and sequence number (`S-2026-0042`).
pub(super) fn make_signals(
    seed: u64,
    n: usize,
    cdf: &DayCdf,
    cases: &[Case],
    end: NaiveDate,
) -> Vec<Signal> {
    let mut dates: Vec<NaiveDate> = (0..n)
        .map(|k| cdf.sample(&mut Rng::stream(seed, 4, k as u64)))
        .collect();
    dates.sort_unstable();
    let seqs = year_sequence(dates.iter().copied());
    // Case indices per theme, in receipt order.
    let mut by_thema: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, c) in cases.iter().enumerate() {
        by_thema.entry(c.thema.as_str()).or_default().push(i);
    }
    par_map(n, |k| {
        let date = dates[k];
        let mut rng = Rng::stream(seed, 5, k as u64);
        let mut s = Signal {
            signaal_id: format!("S-{}-{:04}", date.year(), seqs[k]),
            gemeld_op: date,
            ..Signal::default()
        };
        let bron = rng.weighted(SOURCE_WEIGHTS);
        s.bron =
            Some(crate::model::SignalSource::parse(bron).expect("code uit het invoercontract"));
        let link = (bron == "eigen_casuistiek" && rng.chance(0.95))
            || (bron == "maatschappelijke_partner" && rng.chance(0.08));
        let prefix = cases.partition_point(|c| c.ontvangen_op <= date);
        if link && prefix > 0 {
            link_to_cases(&mut rng, &mut s, &cases[..prefix], &by_thema);
        } else {
            independent_attributes(&mut rng, &mut s);
        }
        s.omschrijving = Some(signal_text(&mut rng, &s));
        signal_status(&mut rng, &mut s, end);
        s
    })
}

/// Links the signal to one to four of the `earlier` cases: an anchor (recent cases more
/// likely) whose theme, regeling and doelgroep the signal takes, and others of that theme.
fn link_to_cases(
    rng: &mut Rng,
    s: &mut Signal,
    earlier: &[Case],
    by_thema: &BTreeMap<&str, Vec<usize>>,
) {
    let prefix = earlier.len();
    let u = rng.f64();
    let anchor = prefix - 1 - ((prefix as f64 * u * u) as usize).min(prefix - 1);
    let a = &earlier[anchor];
    s.thema = Some(a.thema);
    s.regeling = a.regeling;
    s.doelgroep = a.doelgroep.clone();
    let same = &by_thema[a.thema.as_str()];
    let avail = same.partition_point(|&i| i < prefix);
    let want = rng.weighted_index([40.0, 30.0, 18.0, 12.0].into_iter()) + 1;
    let mut ids = vec![a.casus_id.clone()];
    for _ in 0..want * 3 {
        if ids.len() >= want.min(avail) {
            break;
        }
        let j = same[avail - 1 - rng.below(avail.min(40))];
        let id = &earlier[j].casus_id;
        if !ids.contains(id) {
            ids.push(id.clone());
        }
    }
    ids.sort();
    s.casus_ids = ids;
}

/// Theme, regeling and doelgroep drawn independently (a few signals have no theme).
fn independent_attributes(rng: &mut Rng, s: &mut Signal) {
    if !rng.chance(0.05) {
        let t = rng.weighted(THEMA_WEIGHTS);
        s.thema = Some(Code::new(t));
        let (_, r) = service_and_scheme(rng, t);
        s.regeling = if rng.chance(0.2) { None } else { r };
        if t.starts_with("ondernemers.") {
            s.doelgroep = draw_target_groups(rng, t);
            s.doelgroep.truncate(1);
        }
    }
    if s.doelgroep.is_empty() {
        for _ in 0..rng.weighted_index([35.0, 45.0, 20.0].into_iter()) {
            push_distinct(&mut s.doelgroep, rng.weighted(DOELGROEP_WEIGHTS));
        }
    }
}

/// Status by age; forwarding with recipient, owner and expected reply; feedback.
fn signal_status(rng: &mut Rng, s: &mut Signal, end: NaiveDate) {
    let age = (end - s.gemeld_op).num_days();
    let status = if age < 14 {
        rng.weighted(&[("nieuw", 70.0), ("in_analyse", 30.0)])
    } else if age < 45 {
        rng.weighted(&[("nieuw", 15.0), ("in_analyse", 45.0), ("doorgezet", 40.0)])
    } else {
        rng.weighted(&[
            ("in_analyse", 8.0),
            ("doorgezet", 20.0),
            ("in_behandeling", 20.0),
            ("opgepakt", 20.0),
            ("niet_opgepakt", 10.0),
            ("afgerond", 22.0),
        ])
    };
    s.status =
        Some(crate::model::SignalStatus::parse(status).expect("code uit het invoercontract"));
    let forwarded = match status {
        "nieuw" | "in_analyse" => false,
        "afgerond" => rng.chance(0.8),
        _ => true,
    };
    let hoofd = s.thema.as_deref().map(main_theme);
    let mut last = s.gemeld_op;
    if forwarded {
        let naar = rng.weighted(recipient_table(hoofd));
        let d = day(s.gemeld_op, rng.range(1, age.clamp(1, 60)));
        s.doorgezet_naar =
            Some(crate::model::Recipient::parse(naar).expect("code uit het invoercontract"));
        s.doorgezet_op = Some(d);
        s.eigenaar = Some(rng.pick(EIGENAREN.get_for(naar, hoofd)).to_string());
        s.reactie_verwacht_op = Some(day(d, if rng.chance(0.5) { 42 } else { 91 }));
        last = d;
    }
    let feedback = match status {
        "opgepakt" | "niet_opgepakt" => true,
        "afgerond" => rng.chance(0.9),
        "in_behandeling" => rng.chance(0.3),
        _ => false,
    };
    if feedback {
        let f = day(last, rng.range(14, 120)).min(end).max(last);
        s.terugkoppeling_op = Some(f);
        s.terugkoppeling = Some(rng.pick(TERUGKOPPELING.get(status)).to_string());
    }
}

/// Who a signal is forwarded to, per main theme.
fn recipient_table(hoofd: Option<&str>) -> &'static [(&'static str, f64)] {
    match hoofd {
        Some("toeslagen") => &[
            ("dienst_toeslagen", 45.0),
            ("ksm", 25.0),
            ("ibtd", 10.0),
            ("ministerie", 15.0),
            ("wetgever", 5.0),
        ],
        Some("rechtsbescherming") => &[
            ("ministerie", 30.0),
            ("wetgever", 20.0),
            ("ibtd", 25.0),
            ("belastingdienst", 25.0),
        ],
        Some("douane") => &[
            ("belastingdienst", 40.0),
            ("ibtd", 30.0),
            ("ministerie", 30.0),
        ],
        Some("overig") | None => &[("ksm", 50.0), ("ibtd", 25.0), ("ministerie", 25.0)],
        Some(_) => &[
            ("ksm", 45.0),
            ("belastingdienst", 25.0),
            ("ibtd", 10.0),
            ("ministerie", 15.0),
            ("wetgever", 5.0),
        ],
    }
}
