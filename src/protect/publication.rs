//! The protection stage: an [`Analysis`] in, released figures out.
//!
//! [`build`] turns an analysis into one [`Report`] for one audience: every
//! table cell, percentage, interval, chart value and generated sentence, each
//! already protected and formatted. The renderers (HTML, Markdown, PDF, XLSX)
//! read only this model, so they never see a hidden value and the formats
//! cannot disagree. Every number goes through [`Protector`], every text
//! through the personal-data scrub.
//!
//! ```no_run
//! use rodedraad::protect::{publication, tables::Audience};
//! # fn demo(an: &rodedraad::analyse::Analysis, cfg: &rodedraad::config::Config) {
//! let (report, log) = publication::build(&publication::Inputs {
//!     analysis: an, cfg, audience: Audience::Parliament, ledger: None, previous_versions: None,
//! }).unwrap();
//! assert!(!report.intern);
//! # }
//! ```

use crate::analyse::indicators::{self, Indicators, Record, Unit};
use crate::analyse::threads::{self, Figure, Thread, ThreadKind};
use crate::analyse::Analysis;
use crate::config::Config;
use crate::model::{Case, Recipient, Signal, SignalSource, SignalStatus};
use crate::nl;
use crate::protect::story::{self, QuasiId, StoryDecision, StoryText};
use crate::protect::tables::{Audience, CellKind, Protector, PubCell, PubRow, PubTable};
use crate::protect::{self, pii, PiiLogEntry, Scrubber, TextMode};
use crate::register::LedgerSignal;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

pub mod headline;
mod intake;
use headline::{Headline, HeadlineInput, Link, Part};

/// A key figure for the summary.
#[derive(Debug, Clone, Serialize)]
pub struct KeyFigure {
    pub naam: String,
    pub waarde: String,
    pub toelichting: String,
}

/// A chart as released: its data (only released values), its text alternative
/// and the table it is drawn from. The renderers draw it ([`crate::render::charts`]).
#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    pub id: String,
    pub titel: String,
    /// The title drawn inside the chart.
    #[serde(skip)]
    pub kop: String,
    #[serde(skip)]
    pub data: ChartData,
    pub alt: String,
    pub tabel: String,
}

/// The released values a chart is drawn from; a hidden value is `None`.
#[derive(Debug, Clone)]
pub enum ChartData {
    StackedBars {
        categories: Vec<String>,
        series: Vec<Series>,
        unit: String,
    },
    HorizontalBars {
        bars: Vec<Bar>,
        x_label: String,
    },
    StepCurve {
        points: Vec<(f64, f64)>,
        x_label: String,
        y_label: String,
    },
}

/// A series of a stacked bar chart.
#[derive(Debug, Clone)]
pub struct Series {
    pub name: String,
    pub values: Vec<Option<f64>>,
}

/// One bar of a horizontal bar chart; `group` picks the colour.
#[derive(Debug, Clone)]
pub struct Bar {
    pub label: String,
    pub value: Option<f64>,
    pub group: usize,
}

/// A rode draad as published.
#[derive(Debug, Clone, Serialize)]
pub struct ThreadView {
    pub id: String,
    pub soort: String,
    pub label: String,
    pub uitleg: String,
    pub omvang: String,
    pub aandragers: String,
    pub trend: String,
    pub periode: String,
    pub verhaal: Option<String>,
    pub aanbeveling: String,
    pub signalen: String,
    /// Only for the internal audience.
    pub casus_ids: Vec<String>,
}

/// An earlier signal and what became of it.
#[derive(Debug, Clone, Serialize)]
pub struct SignalView {
    pub id: String,
    pub onderwerp: String,
    pub ontvanger: String,
    pub eigenaar: String,
    pub status: String,
    pub leeftijd: String,
    pub reactie: String,
}

/// A data source in the verantwoording.
#[derive(Debug, Clone, Serialize)]
pub struct Source {
    pub soort: String,
    pub bestand: String,
    pub gelezen: String,
    pub geaccepteerd: String,
    pub quarantaine: String,
    pub sha256: String,
}

/// An indicator definition in the verantwoording.
#[derive(Debug, Clone, Serialize)]
pub struct DefinitionView {
    pub naam: String,
    pub omschrijving: String,
    pub teller: String,
    pub noemer: String,
    pub uitsluitingen: String,
    pub versie: u32,
    pub gewijzigd: bool,
}

/// The whole report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub titel: String,
    pub ondertitel: String,
    pub publiek: Audience,
    pub intern: bool,
    pub organisatie: String,
    pub periode: String,
    pub periode_tekst: String,
    pub vorige_periode: String,
    pub peildatum: String,
    pub peildatum_iso: String,
    pub versie: String,
    pub samenvatting: Vec<String>,
    pub kerncijfers: Vec<KeyFigure>,
    /// Tables of section 2, in order.
    pub tabellen: Vec<PubTable>,
    pub grafieken: Vec<Chart>,
    pub draden: Vec<ThreadView>,
    pub draden_tabel: PubTable,
    /// Internal only: earlier signals one by one (empty in the public report).
    pub signalen: Vec<SignalView>,
    pub signalen_status: String,
    /// Earlier signals per recipient and status (protected counts).
    pub signalen_tabel: PubTable,
    /// What came of earlier signals: the feedback of the recipients, with its date.
    pub signalen_veranderd: Vec<String>,
    pub lessen: Vec<String>,
    pub bronnen: Vec<Source>,
    pub definities: Vec<DefinitionView>,
    pub beleid: String,
    pub onderdrukt: Vec<String>,
    pub waarschuwingen: Vec<String>,
    /// Internal only: open cases with phase and age.
    pub open_casussen: Option<PubTable>,
    pub persoonsgegevens: Vec<String>,
}

/// Everything that goes into a report besides the analysis.
pub struct Inputs<'a> {
    pub analysis: &'a Analysis,
    pub cfg: &'a Config,
    pub audience: Audience,
    pub ledger: Option<&'a [LedgerSignal]>,
    /// Definition versions of the previous report (id -> version), to mark changes.
    pub previous_versions: Option<BTreeMap<String, u32>>,
}

/// The internal log of what protection did (never published).
#[derive(Debug, Clone, Default, Serialize)]
pub struct ProtectLog {
    pub persoonsgegevens: Vec<PiiLogEntry>,
    pub verhalen: Vec<String>,
}

fn rec<'a>(ind: &'a Indicators, id: &str) -> Option<&'a Record> {
    ind.total(id)
}

/// Builds the report model for one audience.
pub fn build(inp: &Inputs) -> crate::error::Result<(Report, ProtectLog)> {
    let an = inp.analysis;
    let cfg = inp.cfg;
    let ind = &an.indicators;
    let b = &cfg.bescherming;
    let p = Protector::new(inp.audience, b.min_cel, b.min_noemer, b.nul_onderdrukken);
    let scrubber = Scrubber::from_config(cfg)?;
    let mode = scrubber.mode;
    let mut cases: Vec<Case> = an.cases.clone();
    let mut signals: Vec<Signal> = an.signals.clone();
    let mut log = ProtectLog {
        persoonsgegevens: scrubber.scrub(&mut cases, &mut signals),
        ..Default::default()
    };
    let peil = ind.peildatum;
    let period = &ind.periode;

    let head = Headline::protect(&headline_input(ind, cfg), &p);
    let mut tabellen = Vec::new();
    tabellen.push(key_table(ind, &head, &p, inp));
    let label = |dim: &str, g: &str| cfg.label(dim, g);
    let breakdown = |id: &str, dim: &str| -> Vec<(String, u64)> {
        ind.by(id, dim)
            .iter()
            .map(|r| {
                (
                    r.groep.as_deref().unwrap_or("onbekend"),
                    r.teller.unwrap_or(0.0) as u64,
                )
            })
            .filter(|(g, n)| !(*g == "onbekend" && *n == 0))
            .map(|(g, n)| {
                (
                    if g == "onbekend" {
                        "Onbekend".to_string()
                    } else {
                        label(dim, g)
                    },
                    n,
                )
            })
            .collect()
    };
    let prev = &ind.vorige_periode;
    let cap = |t: String| {
        let mut c = t.chars();
        c.next()
            .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
            .unwrap_or_default()
    };
    let names = [cap(period.title()), cap(prev.title())];
    let names = [names[0].as_str(), names[1].as_str()];
    let received = |c: &Case, q: &crate::analyse::period::Period| q.counts_on(c.ontvangen_op, peil);
    let helpers = two_periods(&cases, period, prev, received, |c| {
        Some(label("aandrager_type", &c.aandrager_type))
    });
    let intake_set = intake::intake_tables(&cases, ind, &p, cfg, names, &helpers);
    tabellen.push(intake_set.helper);
    tabellen.push(intake_set.service);
    tabellen.push(theme_table(&cases, period, peil, &p, cfg));
    tabellen.push(p.counts_1d(
        "instroom-doelgroep",
        "Ontvangen casussen per doelgroep",
        "Doelgroep",
        &breakdown("ontvangen_aantal", "doelgroep"),
        true,
    ));
    tabellen.push(p.counts_two_periods(
        "triage",
        "Triagebesluiten in de periode",
        "Besluit",
        &two_periods(
            &cases,
            period,
            prev,
            |c, q| c.triage_op.is_some_and(|d| q.counts_on(d, peil)),
            |c| {
                c.triage_besluit
                    .map(|x| x.as_str())
                    .map(|b| label("triage_besluit", b))
            },
        ),
        names,
    ));
    tabellen.push(warm_table(ind, &p, cfg));
    tabellen.push(intake_set.flow);
    tabellen.push(escalation_table(&head, ind, &p));
    let intake = intake_set.quarter;
    tabellen.push(intake_set.cohort);
    tabellen.push(target_table(ind, &p, cfg));

    let by_id: BTreeMap<&str, &Case> = cases.iter().map(|c| (c.casus_id.as_str(), c)).collect();
    let labelled: Vec<(String, &Thread)> = an
        .threads
        .iter()
        .map(|d| {
            (
                released_label(d, &by_id, p.audience, cfg.bescherming.k_verhaal),
                d,
            )
        })
        .collect();
    let grafieken = charts_for(intake, &cases, ind, &head, &labelled, &p, &mut tabellen);
    let (draden, draden_tabel) = thread_views(&an.threads, &cases, &signals, &p, inp, &mut log);
    let (signalen, signalen_status) =
        signal_views(inp.ledger, period.start, peil, &p, &scrubber, &mut log);
    let signalen_tabel = signal_table(inp.ledger, period.start, &p);
    let signalen_veranderd = signal_changes(inp.ledger, period.start, peil, &scrubber, &mut log);
    let lessen = lessons(&cases, period.start, peil.min(period.end), &p);
    let kerncijfers = key_figures(&head);
    let samenvatting = summary_sentences(&head, &draden, period.title());
    let onderdrukt: Vec<String> = tabellen
        .iter()
        .chain(std::iter::once(&draden_tabel))
        .filter(|t| t.has_suppressed() || t.voetnoten.iter().any(|n| n.contains("amengevoegd")))
        .map(|t| {
            let merged: Vec<&String> = t
                .voetnoten
                .iter()
                .filter(|n| n.contains("amengevoegd"))
                .collect();
            let hidden = t
                .rijen
                .iter()
                .flat_map(|r| &r.cellen)
                .filter(|c| c.onderdrukt)
                .count();
            format!(
                "{}: {} niet getoond{}",
                t.titel,
                nl::count(hidden as u64, "cel", "cellen"),
                if merged.is_empty() {
                    String::new()
                } else {
                    format!(
                        "; {}",
                        merged
                            .iter()
                            .map(|s| s.as_str())
                            .collect::<Vec<_>>()
                            .join(" ")
                    )
                }
            )
        })
        .collect();
    let bronnen = an
        .dataset
        .report
        .invoer
        .iter()
        .map(|s| Source {
            soort: s.soort.clone(),
            bestand: std::path::Path::new(&s.bestand)
                .file_name()
                .map(|f| f.to_string_lossy().to_string())
                .unwrap_or_default(),
            gelezen: nl::int(s.gelezen as i64),
            geaccepteerd: nl::int(s.geaccepteerd as i64),
            quarantaine: nl::int(s.in_quarantaine as i64),
            sha256: s.sha256.clone(),
        })
        .collect();
    let definities = indicators::definitions()
        .iter()
        .map(|d| DefinitionView {
            naam: d.naam.into(),
            omschrijving: d.omschrijving.into(),
            teller: d.teller.into(),
            noemer: d.noemer.into(),
            uitsluitingen: d.uitsluitingen.into(),
            versie: d.versie,
            gewijzigd: inp
                .previous_versions
                .as_ref()
                .and_then(|m| m.get(d.id))
                .is_some_and(|v| *v != d.versie),
        })
        .collect();
    let intern = inp.audience == Audience::Internal;
    let open_casussen = intern.then(|| open_case_table(ind, cfg));
    let waarschuwingen = if intern {
        an.dataset
            .report
            .invoer
            .iter()
            .flat_map(|s| {
                s.waarschuwingen
                    .iter()
                    .map(move |w| format!("{}: {w}", s.soort))
            })
            .collect()
    } else {
        Vec::new()
    };
    let persoonsgegevens = if intern {
        let mut per: BTreeMap<String, usize> = BTreeMap::new();
        for e in &log.persoonsgegevens {
            *per.entry(format!("{} in {}.{}", e.soort.label(), e.bron, e.veld))
                .or_default() += 1;
        }
        per.into_iter()
            .map(|(k, n)| {
                format!(
                    "{k}: {n} tekst(en) {}",
                    if mode == TextMode::Omit {
                        "weggelaten"
                    } else {
                        "gemaskeerd"
                    }
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let report = Report {
        titel: if intern {
            format!("Kwartaalanalyse {}", period.title())
        } else {
            format!("Rapportage aan de Tweede Kamer over het {}", period.title())
        },
        ondertitel: cfg.rapport.organisatie.clone(),
        publiek: inp.audience,
        intern,
        organisatie: cfg.rapport.organisatie.clone(),
        periode: period.title(),
        periode_tekst: period.dutch(),
        vorige_periode: ind.vorige_periode.title(),
        peildatum: nl::date(peil),
        peildatum_iso: peil.to_string(),
        versie: format!(
            "rodedraad {}, definities versie {}",
            env!("CARGO_PKG_VERSION"),
            indicators::DEFINITIONS_VERSION
        ),
        samenvatting,
        kerncijfers,
        tabellen,
        grafieken,
        draden,
        draden_tabel,
        signalen,
        signalen_status,
        signalen_tabel,
        signalen_veranderd,
        lessen,
        bronnen,
        definities,
        beleid: protect::policy_text(cfg),
        onderdrukt,
        waarschuwingen,
        open_casussen,
        persoonsgegevens,
    };
    Ok((report, log))
}

/// Counts per category in this period and the previous one (categories sorted by label).
fn two_periods(
    cases: &[Case],
    now: &crate::analyse::period::Period,
    prev: &crate::analyse::period::Period,
    counts_in: impl Fn(&Case, &crate::analyse::period::Period) -> bool,
    category: impl Fn(&Case) -> Option<String>,
) -> Vec<(String, u64, u64)> {
    let mut m: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for c in cases {
        let Some(k) = category(c) else { continue };
        if counts_in(c, now) {
            m.entry(k.clone()).or_default().0 += 1;
        }
        if counts_in(c, prev) {
            m.entry(k).or_default().1 += 1;
        }
    }
    m.into_iter().map(|(k, (a, b))| (k, a, b)).collect()
}

fn key_table(ind: &Indicators, head: &Headline, p: &Protector, inp: &Inputs) -> PubTable {
    let defs = indicators::definitions();
    let mut rijen = Vec::new();
    for d in &defs {
        let Some(r) = ind.total(d.id) else { continue };
        if !head.has(d.id, false) {
            continue;
        }
        let value = head.value(d.id, false);
        let basis = match (d.eenheid, r.noemer) {
            (Unit::Share, Some(n)) if n > 0 => PubCell::text(headline::basis_text(
                &head.numerator(d.id, false),
                &head.denominator(d.id, false),
            )),
            (Unit::Days | Unit::Score | Unit::EstimatedShare, Some(_)) => {
                PubCell::text(headline::n_text(&head.denominator(d.id, false)))
            }
            _ => PubCell::text(""),
        };
        // The interval's width tells the denominator: shown only beside a shown
        // numerator and denominator, where it adds nothing a reader could not compute.
        let counts_shown =
            !head.numerator(d.id, false).onderdrukt && !head.denominator(d.id, false).onderdrukt;
        let ci = match (
            d.eenheid,
            r.ci_laag,
            r.ci_hoog,
            value.onderdrukt || !counts_shown,
        ) {
            (Unit::Share | Unit::EstimatedShare, Some(a), Some(b), false) => {
                PubCell::text(format!("{} – {}", nl::pct(a, 1), nl::pct(b, 1)))
            }
            _ => PubCell::text(""),
        };
        let prev = if head.has(d.id, true) {
            head.value(d.id, true)
        } else {
            PubCell::text("")
        };
        let diff = match (
            r.verschil,
            value.onderdrukt || prev.onderdrukt || value.waarde.is_none() || prev.waarde.is_none(),
        ) {
            (Some(x), false) if matches!(d.eenheid, Unit::Share | Unit::EstimatedShare) => {
                PubCell::text(format!(
                    "{}{} procentpunt",
                    if x > 0.0 { "+" } else { "" },
                    nl::dec(x * 100.0, 1)
                ))
            }
            (Some(x), false) => PubCell::text(format!(
                "{}{}",
                if x > 0.0 { "+" } else { "" },
                nl::dec(x, if d.eenheid == Unit::Score { 1 } else { 0 })
            )),
            _ => PubCell::text(""),
        };
        let previous = inp.previous_versions.as_ref().map(|m| m.get(d.id));
        let naam = match previous {
            Some(Some(v)) if *v != d.versie => format!("{} (definitie gewijzigd)", d.naam),
            Some(None) => format!("{} (nieuw)", d.naam),
            _ => d.naam.to_string(),
        };
        rijen.push(PubRow {
            kop: naam,
            cellen: vec![value, basis, ci, prev, diff],
            totaal: false,
            deel_van: None,
        });
    }
    p.with_note(PubTable {
        id: "kerncijfers".into(),
        titel: format!("Kerncijfers {} (vorige periode: {})", ind.periode.title(), ind.vorige_periode.title()),
        kolommen: vec!["Indicator".into(), "Waarde".into(), "Basis".into(), "95%-interval".into(), "Vorige periode".into(), "Verschil".into()],
        rijen,
        voetnoten: vec![
            "Percentages met een 95%-betrouwbaarheidsinterval volgens Wilson. Definities: zie de verantwoording.".into(),
            "Doorlooptijden en 'binnen 8 weken, 3 maanden, 5 maanden': Kaplan-Meier over de casussen die in de periode zijn ontvangen en in behandeling genomen, open casussen meegeteld tot de peildatum (95%-interval volgens Greenwood). De cijfers 'van de afgeronde casussen' laten open casussen weg en vallen daardoor gunstiger uit.".into(),
        ]
        .into_iter()
        .chain(escalation_date_note(ind))
        .collect(),
        totaal_kolom: false,
    })
}

/// The note on escalations without a date (`geescaleerd_op`), when there were any.
fn escalation_date_note(ind: &Indicators) -> Option<String> {
    let e = &ind.escalaties_zonder_datum;
    (e.zonder_datum_afgerond + e.zonder_datum_open > 0).then(|| {
        "Bij een deel van de escalaties ontbreekt de datum (geescaleerd_op). Zo'n escalatie telt alleen als de casus op de peildatum al was afgerond; bij een casus die toen nog open was, telt zij niet mee.".to_string()
    })
}

fn key_figures(head: &Headline) -> Vec<KeyFigure> {
    let mut out = Vec::new();
    let mut push = |id: &str, naam: &str, toel: &str| {
        if head.has(id, false) {
            out.push(KeyFigure {
                naam: naam.into(),
                waarde: head.value(id, false).tekst,
                toelichting: toel.into(),
            });
        }
    };
    push(
        "ontvangen_aantal",
        "casussen ontvangen",
        "aangedragen door helpers",
    );
    push("afgerond_aantal", "casussen afgerond", "na behandeling");
    push(
        "oplossing_pct",
        "oplossing gevonden",
        "van de afgeronde casussen (excl. ingetrokken)",
    );
    push(
        "advies_overgenomen_pct",
        "advies overgenomen",
        "(deels) door de dienst",
    );
    push(
        "geescaleerd_pct",
        "geëscaleerd",
        "van de afgeronde casussen",
    );
    push(
        "doorlooptijd_mediaan_dagen",
        "mediane doorlooptijd",
        "inclusief open casussen",
    );
    out
}

/// The headline figures and the identities between them, for [`Headline::protect`].
fn headline_input(ind: &Indicators, cfg: &Config) -> HeadlineInput {
    let defs = indicators::definitions();
    let mut figures = Vec::new();
    for d in &defs {
        let Some(r) = ind.total(d.id) else { continue };
        let num = |t: Option<f64>| t.unwrap_or(0.0) as u64;
        let has_prev = r.vorige_teller.is_some() || r.vorige_noemer.is_some();
        let kind = match r.eenheid {
            Unit::Count => headline::FigureKind::Count,
            Unit::Share => headline::FigureKind::Share,
            Unit::Days => headline::FigureKind::Statistic {
                decimals: 0,
                unit: " dagen",
            },
            Unit::EstimatedShare => headline::FigureKind::EstimatedShare,
            Unit::Score => headline::FigureKind::Statistic {
                decimals: 1,
                unit: "",
            },
        };
        let counts = |t: Option<f64>, n: Option<u64>, v: Option<f64>| headline::Counts {
            num: if r.eenheid == Unit::Count {
                num(t)
            } else {
                num(t).min(n.unwrap_or(0))
            },
            den: n.unwrap_or(0),
            value: if r.eenheid == Unit::Count {
                Some(num(t) as f64)
            } else {
                v
            },
        };
        figures.push(headline::Figure {
            id: d.id.to_string(),
            kind,
            now: counts(r.teller, r.noemer, r.waarde),
            previous: has_prev.then(|| counts(r.vorige_teller, r.vorige_noemer, r.vorige_waarde)),
        });
    }
    let num = |id: &str| Part::Num(id.into());
    let den = |id: &str| Part::Den(id.into());
    let mut links = vec![
        Link::Same(den("oplossing_pct"), den("volledig_opgelost_pct")),
        Link::Same(den("oplossing_pct"), den("deels_opgelost_pct")),
        Link::Sum(
            num("oplossing_pct"),
            vec![num("volledig_opgelost_pct"), num("deels_opgelost_pct")],
        ),
        Link::Sum(
            num("oplossing_pct"),
            vec![
                num("minnelijk_opgelost_aantal"),
                num("na_escalatie_opgelost_aantal"),
            ],
        ),
        Link::SumWithRest(
            num("afgerond_aantal"),
            vec![den("oplossing_pct")],
            "ingetrokken".into(),
        ),
        Link::SumWithRest(
            num("geescaleerd_pct"),
            vec![num("na_escalatie_opgelost_aantal")],
            "geescaleerd-zonder-oplossing".into(),
        ),
        Link::SumWithRest(
            num("oplossing_pct"),
            vec![num("volledig_opgelost_pct")],
            "deels".into(),
        ),
    ];
    // Figures over the same population (the same denominator definition) share
    // their denominator; "afgerond in P" is the closed count itself.
    let mut by_population: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for d in defs
        .iter()
        .filter(|d| d.eenheid != Unit::Count && d.noemer != "-")
    {
        by_population.entry(d.noemer).or_default().push(d.id);
    }
    for (population, ids) in &by_population {
        for w in ids.windows(2) {
            links.push(Link::Same(den(w[0]), den(w[1])));
        }
        if *population == "afgerond in P" {
            links.push(Link::Same(num("afgerond_aantal"), den(ids[0])));
        }
    }
    let escalation_levels = ind
        .by("geescaleerd_pct", "escalatie_niveau")
        .iter()
        .map(|r| {
            (
                cfg.label("escalatie_niveau", r.groep.as_deref().unwrap_or("onbekend")),
                r.teller.unwrap_or(0.0) as u64,
            )
        })
        .collect();
    HeadlineInput {
        figures,
        links,
        escalation_levels,
    }
}

fn theme_table(
    cases: &[Case],
    period: &crate::analyse::period::Period,
    peil: NaiveDate,
    p: &Protector,
    cfg: &Config,
) -> PubTable {
    let mut tree: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    for c in cases
        .iter()
        .filter(|c| period.counts_on(c.ontvangen_op, peil))
    {
        *tree
            .entry(c.main_theme().to_string())
            .or_default()
            .entry(c.thema.clone())
            .or_default() += 1;
    }
    let parents: Vec<(String, Vec<(String, u64)>)> = tree
        .into_iter()
        .map(|(h, kids)| {
            (
                cfg.label("thema", &h),
                kids.into_iter()
                    .map(|(k, n)| (cfg.label("thema", &k), n))
                    .collect(),
            )
        })
        .collect();
    p.hierarchy(
        "instroom-thema",
        "Ontvangen casussen per thema",
        "Thema",
        &parents,
    )
}

fn warm_table(ind: &Indicators, p: &Protector, cfg: &Config) -> PubTable {
    let rijen = ind
        .by("warm_verwezen_pct", "aandrager_type")
        .iter()
        .map(|r| PubRow {
            kop: cfg.label("aandrager_type", r.groep.as_deref().unwrap_or("onbekend")),
            cellen: vec![
                p.share(r.teller.unwrap_or(0.0) as u64, r.noemer.unwrap_or(0)),
                p.count(r.noemer.unwrap_or(0)),
            ],
            totaal: false,
            deel_van: None,
        })
        .collect();
    p.with_note(PubTable {
        id: "warm-verwezen".into(),
        titel: "Warm doorverwezen per type aandrager".into(),
        kolommen: vec![
            "Type aandrager".into(),
            "Warm doorverwezen".into(),
            "Getrieerde casussen".into(),
        ],
        rijen,
        voetnoten: vec![],
        totaal_kolom: false,
    })
}

fn escalation_table(head: &Headline, ind: &Indicators, p: &Protector) -> PubTable {
    let rijen = head
        .escalation()
        .iter()
        .map(|(label, cell)| PubRow {
            kop: label.clone(),
            cellen: vec![cell.clone()],
            totaal: false,
            deel_van: None,
        })
        .collect();
    let mut t = p.with_note(PubTable {
        id: "escalatie".into(),
        titel: "Geëscaleerde afgeronde casussen naar niveau".into(),
        kolommen: vec!["Escalatieniveau".into(), "Aantal".into()],
        rijen,
        voetnoten: vec![],
        totaal_kolom: false,
    });
    t.voetnoten.insert(
        0,
        "Hoogste niveau waarop is geëscaleerd, voor casussen die in de periode zijn afgerond. \
         Beschermd samen met de kerncijfers: de niveaus tellen op tot het aantal geëscaleerde casussen."
            .into(),
    );
    t.voetnoten.extend(escalation_date_note(ind));
    t
}

/// The cohort table's rows, columns and cells.
fn cohort_grid(ind: &Indicators) -> (Vec<String>, Vec<String>, Vec<Vec<u64>>) {
    let labels: Vec<String> = ind
        .cohorten
        .iter()
        .map(|c| c.kwartaal.replace("-Q", " kw. "))
        .collect();
    let cols = vec![
        "Niet in behandeling".to_string(),
        "Wacht op triage".into(),
        "Opgelost".into(),
        "Anders afgerond".into(),
        "In behandeling, open".into(),
    ];
    let cells: Vec<Vec<u64>> = ind
        .cohorten
        .iter()
        .map(|c| {
            let open_in = c
                .in_behandeling_genomen
                .saturating_sub(c.opgelost + c.anders_afgerond);
            vec![
                c.niet_in_behandeling + c.ingetrokken_voor_triage,
                c.wacht_op_triage,
                c.opgelost,
                c.anders_afgerond,
                open_in,
            ]
        })
        .collect();
    (labels, cols, cells)
}

fn target_table(ind: &Indicators, p: &Protector, cfg: &Config) -> PubTable {
    let rijen = ind
        .doelrealisatie
        .iter()
        .map(|t| PubRow {
            kop: format!("{} ({})", cfg.label("dienst", &t.dienst), t.jaar),
            cellen: vec![
                p.count(t.in_behandeling_genomen),
                PubCell::text(nl::int(t.doel as i64)),
                PubCell::text(if p.count(t.in_behandeling_genomen).onderdrukt {
                    ".".into()
                } else {
                    nl::pct(t.aandeel, 0)
                }),
            ],
            totaal: false,
            deel_van: None,
        })
        .collect();
    p.with_note(PubTable {
        id: "doelrealisatie".into(),
        titel: "Voortgang op het jaardoel: in behandeling genomen casussen".into(),
        kolommen: vec![
            "Dienst".into(),
            "In behandeling genomen".into(),
            "Jaardoel".into(),
            "Realisatie".into(),
        ],
        rijen,
        voetnoten: vec!["Casussen over beide diensten tellen voor beide mee.".into()],
        totaal_kolom: false,
    })
}

fn open_case_table(ind: &Indicators, cfg: &Config) -> PubTable {
    PubTable {
        id: "open-casussen".into(),
        titel: format!(
            "Open casussen op de peildatum ({}), naar fase en leeftijd",
            nl::int(ind.proces.len() as i64)
        ),
        kolommen: vec![
            "Casus".into(),
            "Dienst".into(),
            "Fase".into(),
            "Leeftijd".into(),
        ],
        rijen: ind
            .proces
            .iter()
            .map(|o| PubRow {
                kop: o.casus_id.clone(),
                cellen: vec![
                    PubCell::text(
                        o.dienst
                            .as_deref()
                            .map(|d| cfg.label("dienst", d))
                            .unwrap_or_default(),
                    ),
                    PubCell::text(o.fase.clone()),
                    PubCell::text(format!("{} dagen", nl::int(o.leeftijd_dagen))),
                ],
                totaal: false,
                deel_van: None,
            })
            .collect(),
        voetnoten: vec![],
        totaal_kolom: false,
    }
}

fn charts_for(
    intake: PubTable,
    cases: &[Case],
    ind: &Indicators,
    head: &Headline,
    draden: &[(String, &Thread)],
    p: &Protector,
    tables: &mut Vec<PubTable>,
) -> Vec<Chart> {
    let mut out = Vec::new();
    // 1. Intake per quarter by dienst, from the protected 2D table.
    let quarters: Vec<String> = ind.cohorten.iter().map(|c| c.kwartaal.clone()).collect();
    let labels: Vec<String> = intake.kolommen[1..intake.kolommen.len() - 1].to_vec();
    let t = intake;
    let series: Vec<Series> = (0..labels.len())
        .map(|j| Series {
            name: labels[j].clone(),
            values: t
                .rijen
                .iter()
                .filter(|r| !r.totaal)
                .map(|r| r.cellen[j].waarde)
                .collect(),
        })
        .collect();
    out.push(Chart {
        id: "grafiek-instroom".into(),
        titel: "Instroom per kwartaal, naar dienst".into(),
        kop: "Instroom per kwartaal, naar dienst".into(),
        data: ChartData::StackedBars { categories: quarters.clone(), series, unit: "casussen".into() },
        alt: format!("Gestapelde staafgrafiek van het aantal ontvangen casussen per kwartaal van {} tot en met {}, per dienst. De cijfers staan in de tabel eronder.", quarters.first().cloned().unwrap_or_default(), quarters.last().cloned().unwrap_or_default()),
        tabel: t.id.clone(),
    });
    // The table the chart is drawn from goes into the report, right after the intake tables.
    let pos = tables
        .iter()
        .position(|x| x.id == "instroom-thema")
        .map(|i| i + 1)
        .unwrap_or(tables.len());
    tables.insert(pos, t);
    // 2. Funnel.
    let zienswijzen = cases
        .iter()
        .filter(|c| {
            c.zienswijze_op
                .is_some_and(|d| ind.periode.counts_on(d, ind.peildatum))
        })
        .count() as u64;
    // The funnel's counts are headline figures: released as the key table releases them.
    let steps = [
        ("Aangedragen", head.value("ontvangen_aantal", false)),
        ("Getrieerd", head.value("triage_aantal", false)),
        ("In behandeling", head.value("behandeld_aantal", false)),
        ("Zienswijze uitgebracht", p.count(zienswijzen)),
        ("Afgerond", head.value("afgerond_aantal", false)),
    ];
    let bars: Vec<Bar> = steps
        .iter()
        .map(|(l, v)| Bar {
            label: l.to_string(),
            value: v.waarde,
            group: 0,
        })
        .collect();
    out.push(Chart {
        id: "grafiek-trechter".into(),
        titel: "Van aangedragen tot afgerond".into(),
        kop: "Van aangedragen tot afgerond".into(),
        data: ChartData::HorizontalBars {
            bars: bars.clone(),
            x_label: "casussen in de periode".into(),
        },
        alt: format!(
            "Trechter van het aantal casussen per stap in de periode: {}.",
            bars.iter()
                .map(|b| format!(
                    "{} {}",
                    b.label.to_lowercase(),
                    b.value
                        .map(|v| nl::int(v as i64))
                        .unwrap_or_else(|| ".".into())
                ))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        tabel: String::new(),
    });
    // 3. Kaplan-Meier.
    let km_n = rec(ind, "doorlooptijd_mediaan_dagen")
        .and_then(|r| r.noemer)
        .unwrap_or(0);
    if p.audience == Audience::Internal || km_n >= p.min_noemer {
        // The table behind the curve: share still open after a number of days, with the
        // number of cases still under observation then (shown only when large enough).
        let last = ind.km_curve.last().map(|k| k.dagen).unwrap_or(0.0);
        // Day 56 is "binnen 8 weken", 91 and 152 the 3 and 5 months of the indicators.
        let rijen = [30.0, 56.0, 91.0, 122.0, 152.0, 183.0, 274.0, 365.0]
            .iter()
            .filter(|&&t| t < last)
            .map(|&t| {
                let s = ind
                    .km_curve
                    .iter()
                    .take_while(|k| k.dagen <= t)
                    .last()
                    .map(|k| k.nog_open)
                    .unwrap_or(1.0);
                let at_risk = ind
                    .km_curve
                    .iter()
                    .find(|k| k.dagen > t)
                    .map(|k| k.at_risk)
                    .unwrap_or(0);
                PubRow {
                    kop: format!("{} dagen", nl::int(t as i64)),
                    cellen: vec![
                        p.statistic(Some(s * 100.0), at_risk.max(1), 1, "%"),
                        p.count(at_risk),
                    ],
                    totaal: false,
                    deel_van: None,
                }
            })
            .collect();
        tables.push(p.with_note(PubTable {
            id: "kaplan-meier".into(),
            titel: "Tijd tot afronding (Kaplan-Meier): aandeel nog niet afgerond".into(),
            kolommen: vec!["Na".into(), "Nog niet afgerond".into(), "Nog gevolgd".into()],
            rijen,
            voetnoten: vec!["Casussen die in de periode zijn ontvangen en in behandeling genomen; open casussen tellen mee tot de peildatum.".into()],
            totaal_kolom: false,
        }));
        // The curve shows only what the table may show: for the public, it stops where fewer
        // than min_noemer cases are still followed (a step there would reveal a small count).
        let pts: Vec<(f64, f64)> = ind
            .km_curve
            .iter()
            .take_while(|k| p.audience == Audience::Internal || k.at_risk >= p.min_noemer)
            .map(|k| (k.dagen, k.nog_open))
            .collect();
        let median = rec(ind, "doorlooptijd_mediaan_dagen").and_then(|r| r.waarde);
        out.push(Chart {
            id: "grafiek-km".into(),
            titel: "Tijd tot afronding (Kaplan-Meier)".into(),
            kop: "Tijd tot afronding (Kaplan-Meier)".into(),
            data: ChartData::StepCurve { points: pts, x_label: "dagen sinds ontvangst".into(), y_label: "nog niet afgerond".into() },
            alt: format!(
                "Kaplan-Meier-curve van het aandeel casussen in behandeling dat na een aantal dagen nog niet is afgerond, over {} casussen; de mediaan ligt bij {}. De tabel met de curve staat bij de kerncijfers.",
                nl::int(km_n as i64),
                median.map(|m| format!("{} dagen", nl::dec(m, 0))).unwrap_or_else(|| "nog niet bereikt".into())
            ),
            tabel: String::new(),
        });
    }
    // 4. Rode draden by size and trend, under their released labels.
    let shown: Vec<&(String, &Thread)> = draden
        .iter()
        .filter(|(_, d)| p.audience == Audience::Internal || d.n_casussen as u64 >= p.min_cel)
        .take(12)
        .collect();
    if !shown.is_empty() {
        let bars: Vec<Bar> = shown
            .iter()
            .map(|(label, d)| Bar {
                label: label.clone(),
                value: Some(d.n_casussen as f64),
                group: match d.trend {
                    crate::analyse::threads::Trend::New => 4,
                    crate::analyse::threads::Trend::Rising => 1,
                    crate::analyse::threads::Trend::Stable => 0,
                    crate::analyse::threads::Trend::Falling => 2,
                },
            })
            .collect();
        out.push(Chart {
            id: "grafiek-draden".into(),
            titel: "Rode draden naar omvang en trend".into(),
            kop: "Rode draden naar omvang en trend (kleur: rood stijgend, paars nieuw, blauw stabiel, groen dalend)".into(),
            data: ChartData::HorizontalBars { bars, x_label: "casussen".into() },
            alt: format!("Staafgrafiek van de {} sterkste rode draden naar aantal casussen; de kleur geeft de trend. De cijfers staan in de tabel met rode draden.", shown.len()),
            tabel: String::new(),
        });
    }
    out
}

fn quarter_label(d: NaiveDate) -> String {
    format!("{}-Q{}", d.year(), d.month0() / 3 + 1)
}

fn half_label(d: NaiveDate) -> String {
    format!("{}-H{}", d.year(), if d.month() <= 6 { 1 } else { 2 })
}

fn quasi(c: &Case) -> QuasiId {
    let mut dg = c.doelgroep.clone();
    dg.sort();
    QuasiId {
        doelgroep: dg,
        levensgebeurtenis: c.levensgebeurtenis.clone(),
        regeling: c.regeling.clone(),
        aandrager_type: c.aandrager_type.clone(),
        dienst: c.dienst.map(|d| d.as_str().to_string()),
        periode: half_label(c.ontvangen_op),
    }
}

/// A thread's label as published. Labels are built from configured labels and, for text
/// threads, from words of the summaries: for the public, a word that could be a name or
/// personal data is left out, and a label from the configuration with personal data in it
/// is not shown.
fn released_label(
    d: &Thread,
    by_id: &BTreeMap<&str, &Case>,
    audience: Audience,
    k_verhaal: usize,
) -> String {
    if audience == Audience::Internal {
        return d.label.clone();
    }
    if d.soort == ThreadKind::Text {
        let terms: Vec<&str> = d
            .statistiek
            .tekst_termen
            .iter()
            .map(String::as_str)
            .filter(|t| pii::is_publishable_term(t))
            .filter(|t| term_supported(t, &d.casus_ids, by_id, k_verhaal))
            .collect();
        return if terms.is_empty() {
            "Samenvattingen over een gedeeld onderwerp".into()
        } else {
            format!("Samenvattingen over: {}", terms.join(", "))
        };
    }
    released_text(&d.label, audience)
}

/// Whether a term from free text may label a public thread: it occurs in the summaries
/// of at least `k` of the thread's cases, brought in by at least two different helpers
/// (when the export names helpers). A word from one person's story is not a theme.
fn term_supported(
    term: &str,
    casus_ids: &[String],
    by_id: &BTreeMap<&str, &Case>,
    k: usize,
) -> bool {
    let words: Vec<String> = term.split_whitespace().map(str::to_lowercase).collect();
    if words.is_empty() {
        return false;
    }
    let mut cases = 0;
    let mut helpers = BTreeSet::new();
    let mut named = false;
    for id in casus_ids {
        let Some(c) = by_id.get(id.as_str()) else {
            continue;
        };
        let Some(text) = c.samenvatting.as_deref() else {
            continue;
        };
        let tokens: Vec<String> = text
            .split(|ch: char| !ch.is_alphanumeric())
            .filter(|t| !t.is_empty())
            .map(str::to_lowercase)
            .collect();
        let found = tokens.windows(words.len()).any(|w| {
            w.iter()
                .zip(&words)
                .all(|(t, word)| t.starts_with(word.as_str()))
        });
        if found {
            cases += 1;
            if let Some(h) = &c.aandrager_id {
                named = true;
                helpers.insert(h.clone());
            }
        }
    }
    cases >= k.max(1) && (!named || helpers.len() >= 2)
}

/// Generated text with configured labels in it, as published: a text in which the
/// detectors find personal data is not shown.
fn released_text(text: &str, audience: Audience) -> String {
    if audience == Audience::Internal || pii::scan(text).is_empty() {
        text.to_string()
    } else {
        "(niet getoond: de tekst bevat mogelijk persoonsgegevens; controleer de labels in rodedraad.toml)".into()
    }
}

fn recommendation(d: &Thread, cfg: &Config) -> String {
    let key = d.kenmerken.get("thema").or(d.kenmerken.get("thema_hoofd"));
    let by_id = cfg.aanbevelingen.get(&d.id);
    let by_theme = key.and_then(|t| {
        cfg.aanbevelingen
            .get(t)
            .or_else(|| cfg.aanbevelingen.get(t.split('.').next().unwrap_or(t)))
    });
    by_id.or(by_theme).cloned().unwrap_or_else(|| "Nog geen aanbeveling vastgesteld; de onderzoeksafdeling legt die vast onder [aanbevelingen] in rodedraad.toml.".into())
}

fn thread_views(
    draden: &[Thread],
    cases: &[Case],
    signals: &[Signal],
    p: &Protector,
    inp: &Inputs,
    log: &mut ProtectLog,
) -> (Vec<ThreadView>, PubTable) {
    let cfg = inp.cfg;
    let public = p.audience == Audience::Parliament;
    let population: Vec<QuasiId> = cases.iter().map(quasi).collect();
    let by_id: BTreeMap<&str, &Case> = cases.iter().map(|c| (c.casus_id.as_str(), c)).collect();
    let signal_ids: BTreeSet<&str> = signals.iter().map(|s| s.signaal_id.as_str()).collect();
    let mut views = Vec::new();
    for d in draden
        .iter()
        .filter(|d| !public || d.n_casussen as u64 >= p.min_cel)
        .take(if public { 8 } else { 25 })
    {
        // A story: a released case of this thread that passes the k-anonymity check.
        let mut verhaal = None;
        for id in &d.casus_ids {
            let Some(c) = by_id.get(id.as_str()) else {
                continue;
            };
            if c.verhaal_vrijgegeven != Some(true) || c.samenvatting.is_none() {
                continue;
            }
            let q = quasi(c);
            let decision = story::check_story(&q, &population, cfg.bescherming.k_verhaal);
            let text = c.samenvatting.as_deref().unwrap_or_default();
            // A generalised story loses the sentences about what it leaves out; a story whose
            // text that does not change is withheld.
            match story::story_text(text, &q, &decision, &cfg.taxonomie) {
                StoryText::Publish { tekst } => {
                    log.verhalen.push(match &decision {
                        StoryDecision::Generalised { weggelaten } => format!(
                            "{}: verhaal van {} verteld zonder {} (zinnen daarover weggelaten)",
                            d.id,
                            c.casus_id,
                            weggelaten.join(", ")
                        ),
                        _ => format!("{}: verhaal van {} vrijgegeven", d.id, c.casus_id),
                    });
                    verhaal = Some(tekst);
                }
                StoryText::Withhold { reden } => {
                    log.verhalen.push(format!(
                        "{}: verhaal van {} weggelaten: {reden}",
                        d.id, c.casus_id
                    ));
                    continue;
                }
            }
            break;
        }
        let soort = match d.soort {
            ThreadKind::Structural => "patroon in de kenmerken",
            ThreadKind::Trend => "stijging in de tijd",
            ThreadKind::Text => "zelfde verhaal in de samenvattingen",
        };
        let n = p.count(d.n_casussen as u64);
        let sig: Vec<&String> = d
            .signaal_ids
            .iter()
            .filter(|s| signal_ids.contains(s.as_str()))
            .collect();
        views.push(ThreadView {
            id: d.id.clone(),
            soort: soort.into(),
            label: released_label(d, &by_id, p.audience, cfg.bescherming.k_verhaal),
            uitleg: released_text(
                &threads::explain(d, cfg, &|f| match f {
                    Figure::Count(v) => p.count(v).tekst,
                    Figure::Mean { sum, .. } if p.is_small(sum.round() as u64) => ".".into(),
                    Figure::Mean { mean, .. } => nl::dec(mean, 1),
                }),
                p.audience,
            ),
            omvang: format!("{} casussen", n.tekst),
            aandragers: format!("{} aandragers", p.count(d.n_aandragers as u64).tekst),
            trend: d.trend.dutch().into(),
            periode: match (d.eerst_gezien, d.last_seen()) {
                (Some(a), Some(b)) => format!("{} tot en met {}", nl::date(a), nl::date(b)),
                _ => String::new(),
            },
            verhaal,
            aanbeveling: recommendation(d, cfg),
            signalen: if sig.is_empty() {
                "geen".into()
            } else {
                let n = sig.len() as u64;
                if public && p.is_small(n) {
                    format!("minder dan {} signalen raken dit patroon", p.min_cel)
                } else {
                    format!(
                        "{} dit patroon",
                        nl::count(n, "signaal raakt", "signalen raken")
                    )
                }
            },
            casus_ids: if public {
                Vec::new()
            } else {
                d.casus_ids.clone()
            },
        });
    }
    let rijen = views
        .iter()
        .zip(
            draden
                .iter()
                .filter(|d| !public || d.n_casussen as u64 >= p.min_cel),
        )
        .map(|(v, d)| PubRow {
            kop: v.label.clone(),
            cellen: vec![
                p.count(d.n_casussen as u64),
                PubCell::text(v.aandragers.clone()),
                PubCell::text(v.trend.clone()),
                PubCell::text(v.soort.clone()),
            ],
            totaal: false,
            deel_van: None,
        })
        .collect();
    let table = p.with_note(PubTable {
        id: "rode-draden".into(),
        titel: "Rode draden, sterkste eerst".into(),
        kolommen: vec!["Rode draad".into(), "Casussen".into(), "Aandragers".into(), "Trend".into(), "Gevonden als".into()],
        rijen,
        voetnoten: vec![format!(
            "Rode draden met minder dan {} casussen staan alleen in de interne analyse. Trend: aantal in deze periode tegen de vorige.",
            p.min_cel
        )],
        totaal_kolom: false,
    });
    (views, table)
}

/// At most this many earlier signals are listed in a report.
const MAX_SIGNALS: usize = 25;

/// Shortens text at a word boundary.
fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map(|(a, _)| a).unwrap_or(&cut);
    format!("{}…", cut.trim_end_matches([',', '.', ';', ':']))
}

fn signal_views(
    ledger: Option<&[LedgerSignal]>,
    start: NaiveDate,
    peil: NaiveDate,
    p: &Protector,
    scrubber: &Scrubber,
    log: &mut ProtectLog,
) -> (Vec<SignalView>, String) {
    let Some(ledger) = ledger else {
        return (
            Vec::new(),
            "nog geen gegevens: er is nog geen signalenregister bijgehouden".into(),
        );
    };
    let mut out = Vec::new();
    // Earlier signals: passed on before the period, the advocate's own (from its cases or rode draden) first.
    let mut earlier: Vec<&LedgerSignal> = ledger
        .iter()
        .filter(|l| {
            l.signal.doorgezet_naar.is_some()
                && l.signal.doorgezet_op.unwrap_or(l.signal.gemeld_op) < start
        })
        .collect();
    let own = |l: &LedgerSignal| {
        l.herkomst.starts_with("draad:") || l.signal.bron == Some(SignalSource::OwnCases)
    };
    earlier.sort_by_key(|l| (!own(l), l.signal.gemeld_op, l.signal.signaal_id.clone()));
    let total = earlier.len();
    // The public report accounts for signals in counts (see `signal_table`); the list
    // of signals one by one, with their texts, is a work list for staff.
    let listed = if p.is_public() { 0 } else { MAX_SIGNALS };
    for l in earlier.into_iter().take(listed) {
        let s = &l.signal;
        let clean = |t: &Option<String>, veld: &str, log: &mut ProtectLog| -> Option<String> {
            let (out, kinds) = scrubber.clean(t.as_deref()?);
            for k in kinds {
                log.persoonsgegevens.push(PiiLogEntry {
                    bron: "register".into(),
                    id: s.signaal_id.clone(),
                    veld: veld.into(),
                    soort: k,
                    waarschuwing: k.is_warning_only(),
                });
            }
            out
        };
        let onderwerp = clean(&s.omschrijving, "omschrijving", log)
            .unwrap_or_else(|| "(omschrijving weggelaten)".into());
        let reactie = match (
            clean(&s.terugkoppeling, "terugkoppeling", log),
            s.terugkoppeling_op,
        ) {
            (Some(t), Some(d)) => format!("{} ({})", t, nl::date(d)),
            (Some(t), None) => t,
            (None, _) => "nog geen terugkoppeling".into(),
        };
        let (eig, _) = scrubber
            .with_mode(TextMode::Mask)
            .clean(s.eigenaar.as_deref().unwrap_or("nog niet toegewezen"));
        out.push(SignalView {
            id: s.signaal_id.clone(),
            onderwerp: shorten(&onderwerp, 200),
            ontvanger: s
                .doorgezet_naar
                .map(|x| x.as_str())
                .map(|d| {
                    crate::labels::fixed_label("doorgezet_naar", d)
                        .unwrap_or(d)
                        .to_string()
                })
                .unwrap_or_default(),
            eigenaar: eig.unwrap_or_default(),
            status: s
                .status
                .map(|x| x.as_str())
                .map(|x| {
                    crate::labels::fixed_label("status", x)
                        .unwrap_or(x)
                        .to_string()
                })
                .unwrap_or_default(),
            leeftijd: format!("{} dagen", nl::int((peil - s.gemeld_op).num_days())),
            reactie: shorten(&reactie, 240),
        });
    }
    let status = if total == 0 {
        "nog geen gegevens: het register bevat nog geen signalen die vóór deze periode zijn doorgezet".to_string()
    } else if p.is_public() {
        format!(
            "vóór deze periode zijn {} signalen doorgezet; de tabel hieronder laat per ontvanger zien hoe ver ze zijn",
            nl::int(total as i64)
        )
    } else {
        format!(
            "{} van de {} signalen die vóór deze periode zijn doorgezet, eigen signalen eerst (de volledige lijst staat in de export voor de IBTD)",
            nl::int(out.len() as i64),
            nl::int(total as i64)
        )
    };
    (out, status)
}

/// Signals passed on before `start`: the earlier signals the report accounts for.
fn earlier_signals(ledger: &[LedgerSignal], start: NaiveDate) -> Vec<&LedgerSignal> {
    ledger
        .iter()
        .filter(|l| {
            l.signal.doorgezet_naar.is_some()
                && l.signal.doorgezet_op.unwrap_or(l.signal.gemeld_op) < start
        })
        .collect()
}

/// Earlier signals per recipient (rows) and status (columns), protected as a 2D table.
fn signal_table(ledger: Option<&[LedgerSignal]>, start: NaiveDate, p: &Protector) -> PubTable {
    let earlier = ledger
        .map(|l| earlier_signals(l, start))
        .unwrap_or_default();
    let statuses: Vec<SignalStatus> = SignalStatus::ALL
        .iter()
        .copied()
        .filter(|st| earlier.iter().any(|l| l.signal.status == Some(*st)))
        .collect();
    let recipients: Vec<Recipient> = Recipient::ALL
        .iter()
        .copied()
        .filter(|r| earlier.iter().any(|l| l.signal.doorgezet_naar == Some(*r)))
        .collect();
    let cells: Vec<Vec<u64>> = recipients
        .iter()
        .map(|r| {
            statuses
                .iter()
                .map(|st| {
                    earlier
                        .iter()
                        .filter(|l| {
                            l.signal.doorgezet_naar == Some(*r) && l.signal.status == Some(*st)
                        })
                        .count() as u64
                })
                .collect()
        })
        .collect();
    let rows: Vec<String> = recipients.iter().map(|r| r.label().to_string()).collect();
    let cols: Vec<String> = statuses.iter().map(|s| s.label().to_string()).collect();
    if rows.is_empty() || cols.is_empty() {
        return PubTable {
            id: "signalen-status".into(),
            titel: "Eerder doorgezette signalen per ontvanger en status".into(),
            kolommen: vec!["Ontvanger".into(), "Aantal".into()],
            rijen: Vec::new(),
            voetnoten: vec!["Er zijn nog geen signalen vóór deze periode doorgezet.".into()],
            totaal_kolom: false,
        };
    }
    let mut t = p.counts_2d(
        "signalen-status",
        "Eerder doorgezette signalen per ontvanger en status",
        &rows,
        &cols,
        &cells,
        "Ontvanger",
    );
    t.voetnoten.insert(
        0,
        "Signalen die vóór het begin van de periode zijn doorgezet, met hun status op de peildatum."
            .into(),
    );
    t
}

/// What came of earlier signals: each distinct feedback text (scrubbed) once, with the
/// recipient and the date of the latest feedback, newest first. Texts that lose
/// personal data are left out rather than masked.
fn signal_changes(
    ledger: Option<&[LedgerSignal]>,
    start: NaiveDate,
    peil: NaiveDate,
    scrubber: &Scrubber,
    log: &mut ProtectLog,
) -> Vec<String> {
    let Some(ledger) = ledger else {
        return Vec::new();
    };
    let mut latest: BTreeMap<(String, String), NaiveDate> = BTreeMap::new();
    for l in earlier_signals(ledger, start) {
        let s = &l.signal;
        let (Some(text), Some(date), Some(to)) = (
            s.terugkoppeling.as_deref(),
            s.terugkoppeling_op,
            s.doorgezet_naar,
        ) else {
            continue;
        };
        if date > peil {
            continue;
        }
        let (clean, kinds) = scrubber.with_mode(TextMode::Omit).clean(text);
        for k in &kinds {
            log.persoonsgegevens.push(PiiLogEntry {
                bron: "register".into(),
                id: s.signaal_id.clone(),
                veld: "terugkoppeling".into(),
                soort: *k,
                waarschuwing: k.is_warning_only(),
            });
        }
        let Some(clean) = clean else { continue };
        let key = (to.label().to_string(), shorten(clean.trim(), 240));
        let e = latest.entry(key).or_insert(date);
        *e = (*e).max(date);
    }
    let mut items: Vec<((String, String), NaiveDate)> = latest.into_iter().collect();
    items.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    items
        .into_iter()
        .take(12)
        .map(|((to, text), date)| format!("{to}, {}: {text}", nl::date(date)))
        .collect()
}

/// Lessons learned from cases closed in the period, grouped: the same lesson written
/// again (other case, other capitals or punctuation, a word more or less) is shown once,
/// with how many cases it comes from, most frequent first. The public report gives
/// counts below `min_cel` as "minder dan ..."; the internal one shows every group.
fn lessons(cases: &[Case], start: NaiveDate, end: NaiveDate, p: &Protector) -> Vec<String> {
    let closed = cases
        .iter()
        .filter(|c| c.afgerond_op.is_some_and(|d| d >= start && d <= end));
    // exact groups first (cheap on any number of cases) ...
    // A lesson field often holds two lessons ("X. Vroeg contact ... versnelt de triage."):
    // each sentence counts on its own, once per case.
    let mut exact: BTreeMap<String, (String, usize)> = BTreeMap::new();
    for l in closed.filter_map(|c| c.geleerde_les.as_deref()) {
        let mut in_case = BTreeSet::new();
        for sentence in sentences(l) {
            let key = lesson_words(sentence).join(" ");
            if key.is_empty() || !in_case.insert(key.clone()) {
                continue;
            }
            exact
                .entry(key)
                .or_insert_with(|| (sentence.trim().to_string(), 0))
                .1 += 1;
        }
    }
    let mut groups: Vec<(String, usize, BTreeSet<String>)> = exact
        .into_values()
        .map(|(text, n)| {
            let words = lesson_words(&text).into_iter().collect();
            (text, n, words)
        })
        .collect();
    groups.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    // ... then near duplicates among the most frequent ones
    groups.truncate(200);
    let mut merged: Vec<(String, usize, BTreeSet<String>)> = Vec::new();
    for g in groups {
        match merged.iter_mut().find(|m| jaccard(&m.2, &g.2) >= 0.75) {
            Some(m) => m.1 += g.1,
            None => merged.push(g),
        }
    }
    merged.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let limit = if p.is_public() { 10 } else { 25 };
    merged
        .into_iter()
        .take(limit)
        .map(|(text, n, _)| {
            let n = n as u64;
            let from = if p.is_small(n) {
                format!("minder dan {} casussen", p.min_cel)
            } else {
                nl::count(n, "casus", "casussen")
            };
            let text = text.trim_end_matches('.');
            format!("{text} (uit {from}).")
        })
        .collect()
}

/// The sentences of a text: split after ".", "!" or "?" followed by a space.
fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        let next_is_space = chars.get(k + 1).is_none_or(|&(_, n)| n.is_whitespace());
        if matches!(c, '.' | '!' | '?') && next_is_space {
            let end = i + c.len_utf8();
            if !text[start..end].trim().is_empty() {
                out.push(text[start..end].trim());
            }
            start = end;
        }
    }
    if !text[start..].trim().is_empty() {
        out.push(text[start..].trim());
    }
    out
}

/// The lower-case words of a lesson, for grouping.
fn lesson_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn jaccard(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f64 {
    let inter = a.intersection(b).count() as f64;
    let union = a.union(b).count() as f64;
    if union == 0.0 {
        0.0
    } else {
        inter / union
    }
}

fn summary_sentences(head: &Headline, draden: &[ThreadView], title: String) -> Vec<String> {
    let mut s = Vec::new();
    // A hidden figure is said in words: a lone "." reads as a typo in a sentence.
    let v = |id: &str| {
        let c = head.value(id, false);
        if !head.has(id, false) {
            "-".into()
        } else if c.onderdrukt && c.soort == CellKind::Percentage {
            "een niet getoond deel (te weinig casussen)".into()
        } else if c.onderdrukt {
            "een niet getoond aantal (te weinig)".into()
        } else {
            c.tekst
        }
    };
    s.push(format!(
        "In het {title} ontving de Belangenbehartiger {} casussen. {} casussen werden na behandeling afgerond; bij {} daarvan werd (deels) een oplossing gevonden.",
        v("ontvangen_aantal"),
        v("afgerond_aantal"),
        v("oplossing_pct")
    ));
    s.push(format!(
        "De diensten namen het advies (zienswijze) in {} van de beoordeelde gevallen (deels) over; {} van de afgeronde casussen werd geëscaleerd. De mediane doorlooptijd, open casussen meegerekend, was {}.",
        v("advies_overgenomen_pct"),
        v("geescaleerd_pct"),
        v("doorlooptijd_mediaan_dagen")
    ));
    if draden.is_empty() {
        s.push("Er zijn in deze periode geen rode draden gevonden die groot genoeg zijn om openbaar te melden.".into());
    } else {
        s.push(format!(
            "De sterkste rode draden in deze periode: {}.",
            draden
                .iter()
                .take(5)
                .map(|d| format!("{} ({})", d.label, d.omvang))
                .collect::<Vec<_>>()
                .join("; ")
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(id: &str, helper: Option<&str>, text: &str) -> Case {
        Case {
            casus_id: id.into(),
            aandrager_id: helper.map(str::to_string),
            samenvatting: Some(text.into()),
            ..Case::default()
        }
    }

    #[test]
    fn a_term_needs_k_cases_from_two_helpers() {
        let cases: Vec<Case> = (0..6)
            .map(|i| {
                let helper = if i < 5 { "H1" } else { "H2" };
                let text = if i < 5 {
                    format!("Familie Pietersma wacht op de machtiging van de helper ({i})")
                } else {
                    "De machtiging van de helper werd niet geaccepteerd".to_string()
                };
                case(&format!("C{i}"), Some(helper), &text)
            })
            .collect();
        let ids: Vec<String> = cases.iter().map(|c| c.casus_id.clone()).collect();
        let by_id: BTreeMap<&str, &Case> = cases.iter().map(|c| (c.casus_id.as_str(), c)).collect();
        // in all six cases, from two helpers
        assert!(term_supported("machtiging", &ids, &by_id, 5));
        assert!(term_supported("machtiging van de helper", &ids, &by_id, 5));
        // five cases, but all from one helper: one person's story
        assert!(!term_supported("pietersma", &ids, &by_id, 5));
        // in one case only
        assert!(!term_supported("geaccepteerd", &ids, &by_id, 5));
        // k is the threshold
        assert!(!term_supported("machtiging", &ids, &by_id, 7));
    }

    #[test]
    fn lessons_are_grouped_once_with_their_count() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let texts = [
            "Vroeg contact met de aandrager versnelt de triage.",
            "vroeg contact met de aandrager versnelt de triage",
            "Vroeg contact met de aandrager versnelt de triage!",
            "Vroeg contact met de aandrager versnelt de triage.",
            "Vroeg contact met de aandrager versnelt triage.",
            "Vroeg contact met de aandrager versnelt de triage.",
            // a field with two lessons counts for both
            "Een vast aanspreekpunt bij de dienst scheelt weken. Vroeg contact met de aandrager versnelt de triage.",
        ];
        let cases: Vec<Case> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| Case {
                casus_id: format!("C{i}"),
                afgerond_op: Some(day),
                geleerde_les: Some(t.to_string()),
                ..Case::default()
            })
            .collect();
        let kamer = Protector::new(Audience::Parliament, 5, 10, false);
        let got = lessons(&cases, day, day, &kamer);
        assert_eq!(
            got,
            vec![
                "Vroeg contact met de aandrager versnelt de triage (uit 7 casussen).",
                "Een vast aanspreekpunt bij de dienst scheelt weken (uit minder dan 5 casussen).",
            ]
        );
        let intern = Protector::new(Audience::Internal, 5, 10, false);
        assert_eq!(
            lessons(&cases, day, day, &intern)[1],
            "Een vast aanspreekpunt bij de dienst scheelt weken (uit 1 casus)."
        );
    }

    #[test]
    fn without_helper_ids_the_case_count_decides() {
        let cases: Vec<Case> = (0..5)
            .map(|i| {
                case(
                    &format!("C{i}"),
                    None,
                    "Voorschot huurtoeslag teruggevorderd",
                )
            })
            .collect();
        let ids: Vec<String> = cases.iter().map(|c| c.casus_id.clone()).collect();
        let by_id: BTreeMap<&str, &Case> = cases.iter().map(|c| (c.casus_id.as_str(), c)).collect();
        assert!(term_supported("voorschot", &ids, &by_id, 5));
        assert!(!term_supported("voorschot", &ids[..4], &by_id, 5));
    }
}
