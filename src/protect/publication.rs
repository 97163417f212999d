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
//!     scan_all: false, prior: None,
//! }).unwrap();
//! assert!(!report.intern);
//! # }
//! ```

use crate::analyse::indicators::{self, Indicators, Record, Unit};
use crate::analyse::threads::Thread;
use crate::analyse::Analysis;
use crate::config::Config;
use crate::ingest::spec::Entity;
use crate::model::{Case, Signal};
use crate::nl;
use crate::protect::tables::{Audience, Protector, PubCell, PubRow, PubTable};
use crate::protect::{self, PiiLogEntry, Scrubber, TextMode};
use crate::register::LedgerSignal;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

mod charts;
mod glance;
pub mod headline;
mod intake;
mod lessons;
pub mod prior;
mod sections;
mod signals;
mod texts;
mod threads;
use charts::charts_for;
pub use glance::{Glance, GlanceFigure};
use headline::{Headline, HeadlineInput, Link, Part};
use lessons::lessons;
use sections::{cohort_grid, escalation_table, open_case_table, theme_parents, warm_rows};
use signals::{signal_changes, signal_table, signal_views};
use threads::{released_label, thread_views};

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
    /// Where the chart goes: "kerncijfers", "draden", "draad" (beside one rode draad)
    /// or "signalen".
    pub onderdeel: String,
    /// The title drawn inside the chart.
    #[serde(skip)]
    pub heading: String,
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
    /// One value per category (a rode draad's cases per quarter); hidden values are
    /// marked, not drawn.
    Columns {
        categories: Vec<String>,
        values: Vec<Option<f64>>,
        unit: String,
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
    /// How the thread was found, as display text: `ThreadKind::label`.
    pub soort: String,
    pub label: String,
    pub uitleg: String,
    pub omvang: String,
    pub aandragers: String,
    pub trend: String,
    pub periode: String,
    pub verhaal: Option<String>,
    pub aanbeveling: String,
    /// Whether the recommendation is set in `[aanbevelingen]`; otherwise it is a proposal.
    pub aanbeveling_vastgesteld: bool,
    /// Since when and in which direction: "Sinds maart 2025; stijgend."
    pub sinds: String,
    /// What was signalled to whom and what came of it (no counts).
    pub gesignaleerd: String,
    /// The id of the thread's trend chart in `grafieken`, when it has one.
    pub grafiek: Option<String>,
    /// The cases per quarter the trend chart is drawn from (protected).
    pub tabel: Option<PubTable>,
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
    pub soort: Entity,
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
    /// Page one: the report at a glance.
    pub oogopslag: Glance,
    /// Whether the data covers the previous period (else no comparison is shown).
    pub vorige_gedekt: bool,
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
    /// Internal only: text clusters too large to be a thread (themes of the intake).
    pub tekstthemas: Vec<String>,
    /// The intake tables' solved protection, for the report of the next period
    /// ([`prior`]); never rendered.
    #[serde(skip)]
    pub intake_block: Option<prior::SolvedBlock>,
}

/// Everything that goes into a report besides the analysis.
pub struct Inputs<'a> {
    pub analysis: &'a Analysis,
    pub cfg: &'a Config,
    pub audience: Audience,
    pub ledger: Option<&'a [LedgerSignal]>,
    /// Definition versions of the previous report (id -> version), to mark changes.
    pub previous_versions: Option<BTreeMap<String, u32>>,
    /// Whether every free text of every case is scanned for personal data (and logged),
    /// not only the text the report may print: for `--strikt`, which stops at personal
    /// data anywhere in the input. The internal report always scans everything.
    pub scan_all: bool,
    /// What the report of the previous period published ([`prior`]): this report
    /// agrees with it on what is hidden.
    pub prior: Option<&'a prior::Prior>,
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

/// Builds the report model for one audience. The configuration's texts (labels, the
/// organisation, recommendations) are checked like data first
/// ([`Scrubber::clean_config`]); the report is built from the checked copy.
pub fn build(inp: &Inputs) -> crate::error::Result<(Report, ProtectLog)> {
    let (cfg, found) = Scrubber::from_config(inp.cfg)?.clean_config(inp.cfg);
    let checked = Inputs {
        analysis: inp.analysis,
        cfg: &cfg,
        audience: inp.audience,
        ledger: inp.ledger,
        previous_versions: inp.previous_versions.clone(),
        scan_all: inp.scan_all,
        prior: inp.prior,
    };
    let (report, mut log) = build_checked(&checked)?;
    log.persoonsgegevens.splice(0..0, found);
    Ok((report, log))
}

/// [`build`] on inputs whose configuration has been checked.
fn build_checked(inp: &Inputs) -> crate::error::Result<(Report, ProtectLog)> {
    let an = inp.analysis;
    let cfg = inp.cfg;
    let ind = &an.indicators;
    let b = &cfg.bescherming;
    let p = Protector::new(inp.audience, b.min_cel, b.min_noemer, b.nul_onderdrukken);
    let scrubber = Scrubber::from_config(cfg)?;
    let mode = scrubber.mode;
    // Case texts are cleaned when the report reads them (`texts`); the counts below read
    // the cases as they are, without copying them.
    let cases: &[Case] = &an.cases;
    let texts = texts::Texts::new(&scrubber);
    if inp.scan_all || inp.audience == Audience::Internal {
        texts.scan_all(cases);
    }
    let mut signals: Vec<Signal> = an.signals.clone();
    let mut log = ProtectLog {
        persoonsgegevens: scrubber.scrub(&mut [], &mut signals),
        ..Default::default()
    };
    let reference_date = ind.peildatum;
    let period = &ind.periode;

    let prev_covered = previous_covered(cases, &ind.vorige_periode);
    let head = Headline::protect(&headline_input(ind, cfg, prev_covered), &p);
    let mut tabellen = Vec::new();
    tabellen.push(key_table(ind, &head, &p, inp, prev_covered));
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
    let received =
        |c: &Case, q: &crate::analyse::period::Period| q.counts_on(c.ontvangen_op, reference_date);
    let helpers = two_periods(
        cases,
        period,
        prev,
        received,
        (helper_code, |k: &str| label("aandrager_type", k)),
    );
    let triage = two_periods(
        cases,
        period,
        prev,
        |c, q| c.triage_op.is_some_and(|d| q.counts_on(d, reference_date)),
        (triage_code, |k: &str| label("triage_besluit", k)),
    );
    let themes = theme_parents(cases, period, reference_date, cfg);
    let warm = warm_rows(ind, cfg);
    let known = headline_known(&head, ind);
    let doelgroepen = breakdown("ontvangen_aantal", "doelgroep");
    let doelgroep_total = rec(ind, "ontvangen_aantal")
        .and_then(|r| r.teller)
        .unwrap_or(0.0) as u64;
    let targets: Vec<intake::Target> = ind
        .doelrealisatie
        .iter()
        // A service without a yearly target in the configuration has no row.
        .filter(|t| t.doel > 0)
        .map(|t| intake::Target {
            label: format!("{} ({})", cfg.label("dienst", &t.dienst), t.jaar),
            taken: t.in_behandeling_genomen,
            target: t.doel,
        })
        .collect();
    let year = period.end.year();
    let target_window = (
        NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(period.start),
        NaiveDate::from_ymd_opt(year, 12, 31)
            .unwrap_or(period.end)
            .min(reference_date),
    );
    let facts = threads::ThreadFacts::new(&an.threads, cases, (period, reference_date), &p);
    let by_id = &facts.by_id;
    let thread_groups = threads::thread_groups(&an.threads, &facts, &p, cfg);
    let parts = intake::Breakdowns {
        helpers: &helpers,
        themes: &themes,
        triage: &triage,
        warm: &warm,
        known: &known,
        previous_covered: prev_covered,
        target_groups: &doelgroepen,
        target_group_total: doelgroep_total,
        targets: &targets,
        target_window,
        triage_windows: [
            (period.start, period.observed_end(reference_date)),
            (prev.start, prev.observed_end(reference_date)),
        ],
        treat_label: label("triage_besluit", "behandelen"),
        thread_groups: &thread_groups,
    };
    let intake_set = intake::intake_tables(cases, ind, &p, cfg, names, &parts, inp.prior);
    let intake_block = intake_set.block;
    tabellen.push(intake_set.helper);
    tabellen.push(intake_set.service);
    tabellen.push(intake_set.theme);
    tabellen.push(intake_set.target_group);
    tabellen.push(intake_set.triage);
    tabellen.push(intake_set.warm);
    tabellen.push(intake_set.flow);
    tabellen.push(escalation_table(&head, ind, &p));
    let intake = intake_set.quarter;
    tabellen.push(intake_set.cohort);
    // Yearly targets only where the configuration sets them.
    if let Some(targets) = intake_set.targets {
        tabellen.push(targets);
    }

    let labelled: Vec<(String, &Thread)> = an
        .threads
        .iter()
        .map(|d| {
            (
                released_label(d, by_id, &texts, p.audience, cfg.bescherming.k_verhaal),
                d,
            )
        })
        .collect();
    let grafieken = charts_for(intake, cases, ind, &head, &labelled, &p, &mut tabellen);
    let (mut draden, draden_tabel) =
        thread_views(&an.threads, &facts, &signals, &p, inp, &texts, &mut log);
    let mut grafieken = grafieken;
    for v in draden.iter_mut() {
        let Some(d) = an.threads.iter().find(|d| d.id == v.id) else {
            continue;
        };
        if let Some(t) = threads::trend_table(d, &v.label, facts.protection(d), &p) {
            // A chart of hidden quarters only would show nothing: the table says it.
            let any_shown = t.rijen.iter().any(|r| !r.totaal && !r.cellen[0].onderdrukt);
            if any_shown {
                let chart = charts::thread_chart(&t, &v.label);
                v.grafiek = Some(chart.id.clone());
                grafieken.push(chart);
            }
            v.tabel = Some(t);
        }
    }
    let (signalen, signalen_status) = signal_views(
        inp.ledger,
        period.start,
        reference_date,
        &p,
        &scrubber,
        &mut log,
    );
    let signalen_tabel = signal_table(inp.ledger, period.start, &p);
    grafieken.extend(charts::signal_chart(&signalen_tabel));
    let signalen_veranderd = signal_changes(
        inp.ledger,
        period.start,
        reference_date,
        &scrubber,
        &mut log,
    );
    let lessen = lessons(
        cases,
        period.start,
        reference_date.min(period.end),
        &p,
        &texts,
    );
    // the case hits first, as the export lists them, then those in the signals
    let mut hits = texts.into_log();
    hits.append(&mut log.persoonsgegevens);
    log.persoonsgegevens = hits;
    let kerncijfers = key_figures(&head);
    let samenvatting = summary_sentences(&head, &draden, period.title());
    let oogopslag = glance::glance(
        &head,
        &if prev_covered {
            prev.title()
        } else {
            String::new()
        },
        &draden,
        &signalen_tabel,
        &signalen_status,
    );
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
        .check
        .report
        .invoer
        .iter()
        .map(|s| Source {
            soort: s.soort,
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
            naam: d.name.into(),
            omschrijving: d.description.into(),
            teller: d.numerator.into(),
            noemer: d.denominator.into(),
            uitsluitingen: d.exclusions.into(),
            versie: d.version,
            gewijzigd: inp
                .previous_versions
                .as_ref()
                .and_then(|m| m.get(d.id))
                .is_some_and(|v| *v != d.version),
        })
        .collect();
    let intern = inp.audience == Audience::Internal;
    let open_casussen = intern.then(|| open_case_table(ind, cfg));
    let waarschuwingen = if intern {
        an.check
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
    let tekstthemas = if intern {
        an.thread_context
            .tekstthemas
            .iter()
            .map(|t| t.sentence())
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
        periode_tekst: period.date_range(),
        vorige_periode: ind.vorige_periode.title(),
        peildatum: nl::date(reference_date),
        peildatum_iso: reference_date.to_string(),
        versie: format!(
            "rodedraad {}, definities versie {}",
            env!("CARGO_PKG_VERSION"),
            indicators::DEFINITIONS_VERSION
        ),
        samenvatting,
        oogopslag,
        vorige_gedekt: prev_covered,
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
        tekstthemas,
        intake_block,
    };
    Ok((report, log))
}

/// Counts per category in this period and the previous one (categories sorted by label).
/// The helper type of a case, as a code.
fn helper_code(c: &Case) -> Option<&str> {
    Some(c.aandrager_type.as_str())
}

/// The triage decision of a case, as a code.
fn triage_code(c: &Case) -> Option<&str> {
    c.triage_besluit.map(|x| x.as_str())
}

fn two_periods<'a>(
    cases: &'a [Case],
    now: &crate::analyse::period::Period,
    prev: &crate::analyse::period::Period,
    counts_in: impl Fn(&Case, &crate::analyse::period::Period) -> bool,
    (code, label): (
        impl Fn(&'a Case) -> Option<&'a str>,
        impl Fn(&str) -> String,
    ),
) -> Vec<(String, u64, u64)> {
    // counted per code (no string made per case), then per label: two codes with one
    // label are one category
    let mut per_code: HashMap<&str, (u64, u64)> = HashMap::new();
    for c in cases {
        let Some(k) = code(c) else { continue };
        let (a, b) = (counts_in(c, now), counts_in(c, prev));
        if a || b {
            let e = per_code.entry(k).or_default();
            e.0 += u64::from(a);
            e.1 += u64::from(b);
        }
    }
    let mut m: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for (k, (a, b)) in per_code {
        let e = m.entry(label(k)).or_default();
        e.0 += a;
        e.1 += b;
    }
    m.into_iter().map(|(k, (a, b))| (k, a, b)).collect()
}

fn key_table(
    ind: &Indicators,
    head: &Headline,
    p: &Protector,
    inp: &Inputs,
    prev_covered: bool,
) -> PubTable {
    let defs = indicators::definitions();
    let mut rijen = Vec::new();
    for d in &defs {
        let Some(r) = ind.total(d.id) else { continue };
        if !head.has(d.id, false) {
            continue;
        }
        let value = match head.value(d.id, false) {
            // A share over zero cases: said in words, not an empty cell.
            v if !v.onderdrukt && v.tekst.trim().is_empty() => PubCell::text(NOT_KNOWN),
            v => v,
        };
        let basis = match (d.unit, r.noemer) {
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
            d.unit,
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
            shown_difference(r, d.unit),
            value.onderdrukt || prev.onderdrukt || value.waarde.is_none() || prev.waarde.is_none(),
        ) {
            (Some(x), false) if matches!(d.unit, Unit::Share | Unit::EstimatedShare) => {
                PubCell::text(format!(
                    "{}{} procentpunt",
                    if x > 0.0 { "+" } else { "" },
                    nl::dec(x, 1)
                ))
            }
            (Some(x), false) if d.unit == Unit::Days => PubCell::text(format!(
                "{}{} {}",
                if x > 0.0 { "+" } else { "" },
                nl::dec(x, 0),
                if x.abs().round() == 1.0 {
                    "dag"
                } else {
                    "dagen"
                }
            )),
            (Some(x), false) => PubCell::text(format!(
                "{}{}",
                if x > 0.0 { "+" } else { "" },
                nl::dec(x, if d.unit == Unit::Score { 1 } else { 0 })
            )),
            _ => PubCell::text(""),
        };
        let previous = inp.previous_versions.as_ref().map(|m| m.get(d.id));
        let naam = match previous {
            Some(Some(v)) if *v != d.version => format!("{} (definitie gewijzigd)", d.name),
            Some(None) => format!("{} (nieuw)", d.name),
            _ => d.name.to_string(),
        };
        rijen.push(PubRow {
            kop: naam,
            cellen: vec![value, basis, ci, prev, diff],
            totaal: false,
            deel_van: None,
        });
    }
    // Without data on the previous period there is nothing to compare with.
    if !prev_covered {
        for r in &mut rijen {
            r.cellen.truncate(3);
        }
    }
    let (titel, mut kolommen) = if prev_covered {
        (
            format!(
                "Kerncijfers {} (vorige periode: {})",
                ind.periode.title(),
                ind.vorige_periode.title()
            ),
            vec![
                "Indicator".into(),
                "Waarde".into(),
                "Basis".into(),
                "95%-interval".into(),
                "Vorige periode".into(),
                "Verschil".into(),
            ],
        )
    } else {
        (
            format!("Kerncijfers {}", ind.periode.title()),
            vec![
                "Indicator".into(),
                "Waarde".into(),
                "Basis".into(),
                "95%-interval".into(),
            ],
        )
    };
    kolommen.truncate(
        rijen
            .first()
            .map(|r| r.cellen.len() + 1)
            .unwrap_or(kolommen.len()),
    );
    p.with_note(PubTable {
        id: "kerncijfers".into(),
        titel,
        kolommen,
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
pub(super) fn escalation_date_note(ind: &Indicators) -> Option<String> {
    let e = &ind.escalaties_zonder_datum;
    (e.zonder_datum_afgerond + e.zonder_datum_open > 0).then(|| {
        "Bij een deel van de escalaties ontbreekt de datum (geescaleerd_op). Zo'n escalatie telt alleen als de casus op de peildatum al was afgerond; bij een casus die toen nog open was, telt zij niet mee.".to_string()
    })
}

/// What a report says for a figure the data cannot give (a share over zero cases, an
/// export without the field): words, never an empty cell or a gap in a sentence.
pub(super) const NOT_KNOWN: &str = "niet bekend";

/// Whether a released cell has no value to say: empty, or "-" (a statistic over no cases).
/// A hidden cell (".") is not missing: it is said in words of its own.
pub(super) fn is_missing(c: &PubCell) -> bool {
    !c.onderdrukt && matches!(c.tekst.trim(), "" | "-")
}

/// Why the KM median of the lead time is empty although there were cases to measure:
/// fewer than half of them were finished by the peildatum (see the definition of
/// `doorlooptijd_mediaan_dagen`). A reader learns nothing the definition does not say.
pub(super) const MEDIAN_NOT_YET: &str =
    "nog niet bekend: minder dan de helft van deze casussen is al afgerond";

/// Whether `id` is this period's lead-time median and it is empty only because fewer than half of
/// its cases were finished: its case count (the denominator) is released and above zero.
pub(super) fn median_not_yet(head: &Headline, id: &str) -> bool {
    id == "doorlooptijd_mediaan_dagen"
        && head.has(id, false)
        && is_missing(&head.value(id, false))
        && {
            let n = head.denominator(id, false);
            !n.onderdrukt && n.waarde.is_some_and(|v| v > 0.0)
        }
}

/// The text of a released headline cell; a missing one is [`NOT_KNOWN`].
pub(super) fn value_text(c: &PubCell) -> String {
    if is_missing(c) {
        NOT_KNOWN.into()
    } else {
        c.tekst.clone()
    }
}

fn key_figures(head: &Headline) -> Vec<KeyFigure> {
    let mut out = Vec::new();
    // A hidden figure is written with its name in the value's place ("Oplossing gevonden:
    // niet getoond"): a lone "." or "niet getoond" before a name reads as a typo.
    let mut push = |id: &str, naam: &str, toel: &str| {
        if !head.has(id, false) {
            return;
        }
        let cell = head.value(id, false);
        out.push(if cell.onderdrukt {
            KeyFigure {
                naam: "niet getoond".into(),
                waarde: crate::nl::capitalise(naam),
                toelichting: "te klein aantal of terug te rekenen uit andere cijfers".into(),
            }
        } else if median_not_yet(head, id) {
            KeyFigure {
                naam: naam.into(),
                waarde: "nog niet bekend".into(),
                toelichting: "minder dan de helft van deze casussen is al afgerond".into(),
            }
        } else {
            KeyFigure {
                naam: naam.into(),
                waarde: value_text(&cell),
                toelichting: toel.into(),
            }
        });
    };
    push("ontvangen_aantal", "casussen ontvangen", "via helpers");
    push("afgerond_aantal", "casussen afgerond", "na behandeling");
    push(
        "oplossing_pct",
        "oplossing gevonden",
        "van de afgeronde casussen",
    );
    push(
        "advies_overgenomen_pct",
        "advies overgenomen",
        "geheel of deels, door de dienst",
    );
    push(
        "geescaleerd_pct",
        "geëscaleerd",
        "van de afgeronde casussen",
    );
    push(
        "doorlooptijd_mediaan_dagen",
        "mediane doorlooptijd",
        "ook open casussen",
    );
    out
}

/// The counts of this and the previous period that a reader of the headline figures
/// knows exactly: a shown count, a shown denominator, and a numerator shown itself or
/// given by a shown share beside its shown denominator.
fn headline_known(head: &Headline, ind: &Indicators) -> Vec<intake::Known> {
    let mut known = Vec::new();
    for d in indicators::definitions() {
        for previous in [false, true] {
            let Some(r) = ind.total(d.id) else { continue };
            if !head.has(d.id, previous) {
                continue;
            }
            let (teller, noemer) = if previous {
                (r.vorige_teller, r.vorige_noemer)
            } else {
                (r.teller, r.noemer)
            };
            let num = head.numerator(d.id, previous);
            let den = head.denominator(d.id, previous);
            let value = head.value(d.id, previous);
            let mut push = |part: &str, v: u64| {
                known.push(intake::Known {
                    name: format!("{}/{part}", d.id),
                    previous,
                    value: v,
                })
            };
            match d.unit {
                Unit::Count if !value.onderdrukt && value.waarde.is_some() => {
                    push("aantal", teller.unwrap_or(0.0) as u64);
                }
                Unit::Share => {
                    let den_shown = !den.onderdrukt && den.waarde.is_some();
                    if den_shown {
                        push("noemer", noemer.unwrap_or(0));
                    }
                    let num_shown = !num.onderdrukt && num.waarde.is_some();
                    if num_shown || (den_shown && !value.onderdrukt && value.waarde.is_some()) {
                        push("teller", teller.unwrap_or(0.0) as u64);
                    }
                }
                _ => {}
            }
        }
    }
    known
}

/// The headline figures and the identities between them, for [`Headline::protect`].
fn headline_input(ind: &Indicators, cfg: &Config, prev_covered: bool) -> HeadlineInput {
    let defs = indicators::definitions();
    let mut figures = Vec::new();
    for d in &defs {
        let Some(r) = ind.total(d.id) else { continue };
        let num = |t: Option<f64>| t.unwrap_or(0.0) as u64;
        let has_prev = prev_covered && (r.vorige_teller.is_some() || r.vorige_noemer.is_some());
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
        .filter(|d| d.unit != Unit::Count && d.denominator != "-")
    {
        by_population.entry(d.denominator).or_default().push(d.id);
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

/// Whether the data covers the previous period: its first case was received no later
/// than a month after that period began (an export starts with its first case, not on
/// the first day). Without that, no comparison with the previous period is shown.
fn previous_covered(cases: &[Case], prev: &crate::analyse::period::Period) -> bool {
    let month_in = prev.start + chrono::Days::new(31);
    cases
        .iter()
        .map(|c| c.ontvangen_op)
        .min()
        .is_some_and(|first| first <= month_in)
}

fn quarter_label(d: NaiveDate) -> String {
    format!("{}-Q{}", d.year(), d.month0() / 3 + 1)
}

fn half_label(d: NaiveDate) -> String {
    format!("{}-H{}", d.year(), if d.month() <= 6 { 1 } else { 2 })
}

/// What the summary can say about a headline figure.
enum Known {
    Shown(String),
    Hidden,
    Missing,
}

impl Known {
    /// The sentence for this figure: `shown` with its value, or the sentence that says it
    /// is hidden or not known.
    fn say(self, shown: &dyn Fn(&str) -> String, hidden: &str, missing: &str) -> String {
        match self {
            Known::Shown(x) => shown(&x),
            Known::Hidden => hidden.to_string(),
            Known::Missing => missing.to_string(),
        }
    }
}

fn summary_sentences(head: &Headline, draden: &[ThreadView], title: String) -> Vec<String> {
    let mut s = Vec::new();
    // A hidden figure is never put in a sentence (a lone "." reads as a typo, and "een
    // deel" would hint at its size): the sentence about it says that it is not shown. A
    // figure the data cannot give (no cases to count, or a field the export lacks) gets a
    // sentence of its own that says so, so no sentence has a gap.
    let v = |id: &str| {
        let c = head.value(id, false);
        if !head.has(id, false) || is_missing(&c) {
            Known::Missing
        } else if c.onderdrukt {
            Known::Hidden
        } else {
            Known::Shown(c.tekst)
        }
    };
    let hidden = "tonen we niet (te klein aantal of terug te rekenen)";
    // Short sentences (B1): one fact each.
    s.push(
        [
            v("ontvangen_aantal").say(
                &|x| format!("In het {title} kwamen {x} casussen binnen."),
                &format!("Het aantal casussen dat in het {title} binnenkwam, {hidden}."),
                &format!("Hoeveel casussen in het {title} binnenkwamen, is niet bekend."),
            ),
            v("afgerond_aantal").say(
                &|x| format!("{x} casussen zijn afgerond."),
                &format!("Het aantal afgeronde casussen {hidden}."),
                "Hoeveel casussen zijn afgerond, is niet bekend.",
            ),
            v("oplossing_pct").say(
                &|x| format!("Bij {x} daarvan is (deels) een oplossing gevonden."),
                &format!("Hoe vaak een oplossing is gevonden, {hidden}."),
                "Of daarbij een oplossing is gevonden, is niet bekend.",
            ),
        ]
        .join(" "),
    );
    s.push(
        [
            v("advies_overgenomen_pct").say(
                &|x| {
                    format!(
                        "De diensten namen ons advies in {x} van de gevallen geheel of deels over."
                    )
                },
                &format!("Hoe vaak de diensten ons advies overnamen, {hidden}."),
                "Of de diensten ons advies overnamen, is niet bekend.",
            ),
            v("geescaleerd_pct").say(
                &|x| format!("{x} van de afgeronde casussen is geëscaleerd."),
                &format!("Hoe vaak een casus is geëscaleerd, {hidden}."),
                "Hoe vaak een afgeronde casus is geëscaleerd, is niet bekend.",
            ),
            v("doorlooptijd_mediaan_dagen").say(
                &|x| {
                    format!(
                        "De helft van de casussen duurde korter dan {x}, open casussen meegeteld."
                    )
                },
                &format!("De mediane doorlooptijd {hidden}."),
                if median_not_yet(head, "doorlooptijd_mediaan_dagen") {
                    "Hoe lang de casussen duurden, is nog niet bekend: minder dan de helft is al afgerond."
                } else {
                    "Hoe lang de casussen duurden, is niet bekend."
                },
            ),
        ]
        .join(" "),
    );
    if draden.is_empty() {
        s.push("In deze periode is geen rode draad groot genoeg om openbaar te melden.".into());
    } else {
        // One short sentence per point (B1): how many, where, and the strongest one.
        let many = match draden.len() {
            1 => "We melden één rode draad; hoofdstuk 3 beschrijft hem.".to_string(),
            n => format!("We melden {n} rode draden; hoofdstuk 3 beschrijft ze."),
        };
        s.push(format!(
            "{many} De sterkste is \u{201c}{}\u{201d} ({}).",
            draden[0].label, draden[0].omvang
        ));
    }
    s
}

/// The difference a reader computes from the two shown values: each rounded as printed
/// (days whole, scores to one decimal, shares to one decimal of a percent) before
/// subtracting, so that 83 and 80 days never differ by "+2". Shares come out in
/// percentage points.
fn shown_difference(r: &Record, unit: Unit) -> Option<f64> {
    let (scale, decimals) = match unit {
        Unit::Share | Unit::EstimatedShare => (100.0, 1),
        Unit::Score => (1.0, 1),
        Unit::Count | Unit::Days => (1.0, 0),
    };
    let shown = |x: f64| -> f64 {
        format!("{:.*}", decimals, x * scale)
            .parse()
            .unwrap_or(x * scale)
    };
    match (r.waarde, r.vorige_waarde) {
        (Some(a), Some(b)) => {
            let d = shown(a) - shown(b);
            // Remove float noise such as 0.1000000000000014.
            Some(format!("{:.*}", decimals, d).parse().unwrap_or(d))
        }
        _ => r.verschil.map(|x| x * scale),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A headline with only the lead-time median: `value` days over `den` cases.
    pub(super) fn median_headline(value: Option<f64>, den: u64) -> Headline {
        use headline::{Counts, Figure, FigureKind};
        let input = HeadlineInput {
            figures: vec![Figure {
                id: "doorlooptijd_mediaan_dagen".into(),
                kind: FigureKind::Statistic {
                    decimals: 0,
                    unit: "dagen",
                },
                now: Counts { num: 0, den, value },
                previous: None,
            }],
            links: vec![],
            escalation_levels: vec![],
        };
        Headline::protect(&input, &Protector::new(Audience::Parliament, 5, 10, false))
    }

    #[test]
    fn an_empty_median_over_cases_is_not_yet_known_in_the_key_figures_and_the_summary() {
        let figures = key_figures(&median_headline(None, 40));
        assert_eq!(figures[0].waarde, "nog niet bekend");
        assert!(figures[0].toelichting.contains("minder dan de helft"));
        let text = summary_sentences(&median_headline(None, 40), &[], "jaar 2025".into()).join(" ");
        assert!(
            text.contains("is nog niet bekend: minder dan de helft is al afgerond"),
            "{text}"
        );
        // Without cases the median is just not known, and nothing more is claimed.
        let figures = key_figures(&median_headline(None, 0));
        assert_eq!(figures[0].waarde, NOT_KNOWN);
        let text = summary_sentences(&median_headline(None, 0), &[], "jaar 2025".into()).join(" ");
        assert!(!text.contains("minder dan de helft"), "{text}");
        // A median that exists is its value.
        let figures = key_figures(&median_headline(Some(45.0), 40));
        assert!(figures[0].waarde.starts_with("45"), "{}", figures[0].waarde);
    }

    fn record(unit: Unit, now: f64, before: f64) -> Record {
        Record {
            id: "x".into(),
            versie: 1,
            periode: "2026-H1".into(),
            dimensie: None,
            groep: None,
            eenheid: unit,
            teller: None,
            noemer: None,
            waarde: Some(now),
            ci_laag: None,
            ci_hoog: None,
            vorige_periode: "2025-H2".into(),
            vorige_teller: None,
            vorige_noemer: None,
            vorige_waarde: Some(before),
            verschil: Some(now - before),
        }
    }

    #[test]
    fn the_difference_is_that_of_the_shown_values() {
        // Shown as 83 and 80 days: the difference reads +3, not the raw 2,2.
        assert_eq!(
            shown_difference(&record(Unit::Days, 82.6, 80.4), Unit::Days),
            Some(3.0)
        );
        // Shown as 23,9% and 23,8%: 0,1 procentpunt, without float noise.
        assert_eq!(
            shown_difference(&record(Unit::Share, 0.2392, 0.2384), Unit::Share),
            Some(0.1)
        );
        // Shown as 7,0 and 7,0: no difference, although the raw values differ.
        assert_eq!(
            shown_difference(&record(Unit::Score, 7.04, 6.96), Unit::Score),
            Some(0.0)
        );
        let mut r = record(Unit::Days, 10.0, 0.0);
        r.vorige_waarde = None;
        r.verschil = None;
        assert_eq!(shown_difference(&r, Unit::Days), None);
    }
}
