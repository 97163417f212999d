//! The outcome indicators of the Kamerrapportage, definitions version 2.
//!
//! Every indicator is a [`Def`]: its Dutch name and description, numerator,
//! denominator, exclusions, period rule and version, plus the polars
//! expression that computes it. The same list feeds the computation and
//! `definities.json`, so the documented definition cannot drift from the code.
//! Figures are computed "as the data stood on the peildatum": events dated
//! after it count as not yet happened (see [`as_of`]).
//!
//! Version 2 (issue 13): lead times and "binnen 8 weken" are Kaplan-Meier estimates over
//! the period's intake cohort (cases received in the period and taken on, open ones
//! censored at the peildatum), read at day 56; the closed-only figures stay as secondary
//! indicators (`afgerond_*`). A case withdrawn before triage ends on its `afgerond_op`, and
//! an escalation counts from its date `geescaleerd_op` (see [`as_of`]).
//!
//! ```no_run
//! use rodedraad::analyse::{indicators, period::Period};
//! # let cases = polars::prelude::DataFrame::empty();
//! let p: Period = "2026-H1".parse().unwrap();
//! let cfg = rodedraad::config::Config::default_config();
//! let out = indicators::compute(&cases, &p, p.end, &cfg).unwrap();
//! let solved = out.total("oplossing_pct").unwrap();
//! println!("{:?} van {:?}", solved.teller, solved.noemer);
//! ```

use super::methods::stats;
use super::period::Period;
use crate::config::Config;
use crate::error::Result;
use crate::ingest::validate::days;
use chrono::NaiveDate;
use polars::prelude::*;
use serde::Serialize;

/// Version of the definition set as a whole (bumped when any definition changes).
pub const DEFINITIONS_VERSION: u32 = 2;

const SOLVED: [&str; 2] = ["opgelost", "deels_opgelost"];
const ADVICE_JUDGED: [&str; 3] = ["overgenomen", "deels_overgenomen", "niet_overgenomen"];
const ADVICE_ADOPTED: [&str; 2] = ["overgenomen", "deels_overgenomen"];

/// The unit of an indicator's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Unit {
    #[serde(rename = "aantal")]
    Count,
    #[serde(rename = "aandeel")]
    Share,
    #[serde(rename = "dagen")]
    Days,
    #[serde(rename = "score")]
    Score,
    /// A share estimated with Kaplan-Meier (1 - S(t)); `teller` is the number of cases seen
    /// closing by then, the interval is Greenwood's (log scale).
    #[serde(rename = "geschat_aandeel")]
    EstimatedShare,
}

/// How an indicator is computed from the prepared frame.
pub enum Measure {
    /// Number of rows where the filter holds.
    Count(Expr),
    /// Rows where `num` and `den` hold over rows where `den` holds.
    Share { num: Expr, den: Expr },
    /// A quantile (0.5 = median, mean of the middle two for an even count) of `value` over rows where the filter holds.
    Quantile { value: Expr, filter: Expr, q: f64 },
    /// Mean of `value` over rows where the filter holds and the value is present.
    Mean { value: Expr, filter: Expr },
    /// A Kaplan-Meier statistic of the lead time (received to closed, open cases censored at
    /// the peildatum) over the rows where the filter holds; computed outside polars.
    KaplanMeier { filter: Expr, stat: KmStat },
}

/// What a [`Measure::KaplanMeier`] reads from the curve.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum KmStat {
    /// The time by which this share has closed (0.5 = median), R `survival`'s rule.
    Quantile(f64),
    /// The estimated share closed within this many days: 1 - S(days).
    ClosedWithin(f64),
}

/// A breakdown of an indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Breakdown {
    /// The same measure within each group.
    Within(&'static str),
    /// Count per group (numerator of the share) over the total's denominator.
    ShareOfTotal(&'static str),
}

/// One indicator definition (see `definities.json` and docs/indicatoren.md).
pub struct Def {
    pub id: &'static str,
    pub naam: &'static str,
    pub omschrijving: &'static str,
    pub teller: &'static str,
    pub noemer: &'static str,
    pub uitsluitingen: &'static str,
    pub periode_regel: &'static str,
    pub versie: u32,
    pub eenheid: Unit,
    pub groep: &'static str,
    pub uitsplitsingen: &'static [Breakdown],
    pub measure: fn(&Ctx) -> Measure,
}

/// Period bounds as polars day numbers.
pub struct Ctx {
    pub start: i32,
    pub end: i32,
    pub peil: i32,
}

impl Ctx {
    fn in_p(&self, c: &str) -> Expr {
        col(c)
            .gt_eq(lit(self.start))
            .and(col(c).lt_eq(lit(self.end)))
            .fill_null(lit(false))
    }
    fn closed(&self) -> Expr {
        col("behandelen").and(self.in_p("afgerond_op"))
    }
    /// The period's intake cohort of treated cases: received in P and taken on.
    fn intake(&self) -> Expr {
        col("behandelen").and(self.in_p("ontvangen_op"))
    }
    fn km(&self, stat: KmStat) -> Measure {
        Measure::KaplanMeier {
            filter: self.intake(),
            stat,
        }
    }
}

fn is_in(c: &str, values: &[&str]) -> Expr {
    let s = Series::new("v".into(), values);
    col(c)
        .is_in(lit(s).implode(false), false)
        .fill_null(lit(false))
}

fn flag(c: &str) -> Expr {
    col(c).fill_null(lit(false))
}

macro_rules! def {
    (versie $versie:literal; $($rest:tt)*) => {
        Def { versie: $versie, ..def!($($rest)*) }
    };
    ($id:expr, $naam:expr, $oms:expr, $teller:expr, $noemer:expr, $uit:expr, $regel:expr, $eenheid:expr, $groep:expr, $bd:expr, $m:expr) => {
        Def {
            id: $id,
            naam: $naam,
            omschrijving: $oms,
            teller: $teller,
            noemer: $noemer,
            uitsluitingen: $uit,
            periode_regel: $regel,
            versie: 1,
            eenheid: $eenheid,
            groep: $groep,
            uitsplitsingen: $bd,
            measure: $m,
        }
    };
}

const CLOSED_RULE: &str = "afgerond in P: triage_besluit behandelen en afgerond_op in P";
const INTAKE_RULE: &str = "ontvangen in P en in behandeling genomen; open casussen gecensureerd op de peildatum (Kaplan-Meier)";
const INTAKE_DEN: &str = "behandelen, ontvangen_op in P";
const KM_TIME: &str =
    "dagen van ontvangst tot afronding, of tot de peildatum als de casus nog open is";

/// All indicator definitions (set version [`DEFINITIONS_VERSION`]).
pub fn definitions() -> Vec<Def> {
    use Breakdown::*;
    use Unit::*;
    vec![
        def!("ontvangen_aantal", "Ontvangen casussen", "Aantal casussen dat in de periode is ontvangen.",
            "casussen met ontvangen_op in P", "-", "geen", "ontvangen_op in P", Count, "Instroom",
            &[Within("aandrager_type"), Within("dienst"), Within("thema_hoofd"), Within("doelgroep"), Within("complexiteit")],
            |c| Measure::Count(c.in_p("ontvangen_op"))),
        def!("triage_aantal", "Getrieerde casussen", "Aantal casussen met een triagebesluit in de periode, naar besluit.",
            "casussen met triage_op in P", "-", "triage na de peildatum telt niet", "triage_op in P", Count, "Triage",
            &[Within("triage_besluit")],
            |c| Measure::Count(c.in_p("triage_op"))),
        def!("warm_verwezen_pct", "Warm doorverwezen", "Aandeel van de in de periode ontvangen en getrieerde casussen dat warm is doorverwezen.",
            "triage_besluit doorverwijzen en warm_doorverwezen ja", "ontvangen in P met een triagebesluit", "casussen zonder triagebesluit op de peildatum",
            "ontvangen_op in P", Share, "Triage", &[Within("aandrager_type")],
            |c| Measure::Share {
                num: is_in("triage_besluit", &["doorverwijzen"]).and(flag("warm_doorverwezen")),
                den: c.in_p("ontvangen_op").and(col("triage_besluit").is_not_null()),
            }),
        def!("behandeld_aantal", "Casussen in behandeling", "Aantal casussen dat in de periode in behandeling was.",
            "triage_besluit behandelen, triage_op <= einde P, niet afgerond vóór begin P", "-", "geen", "in behandeling op enig moment in P",
            Count, "Behandeling", &[Within("dienst")],
            |c| Measure::Count(col("behandelen").and(col("triage_op").lt_eq(lit(c.end)).fill_null(lit(false)))
                .and(col("afgerond_op").is_null().or(col("afgerond_op").gt_eq(lit(c.start)))))),
        def!("afgerond_aantal", "Afgeronde casussen", "Aantal behandelde casussen dat in de periode is afgerond.",
            CLOSED_RULE, "-", "doorverwezen en niet behandelde casussen", "afgerond_op in P", Count, "Behandeling", &[Within("dienst")],
            |c| Measure::Count(c.closed())),
        def!("oplossing_pct", "Oplossing gevonden", "Aandeel van de afgeronde casussen waarvoor (deels) een oplossing is gevonden.",
            "afgerond in P met uitkomst opgelost of deels_opgelost", "afgerond in P, behalve uitkomst ingetrokken", "ingetrokken casussen",
            CLOSED_RULE, Share, "Behandeling", &[Within("dienst"), Within("thema_hoofd")],
            |c| Measure::Share { num: is_in("uitkomst", &SOLVED), den: c.closed().and(is_in("uitkomst", &["ingetrokken"]).not()) }),
        def!("volledig_opgelost_pct", "Volledig opgelost", "Aandeel van de afgeronde casussen dat volledig is opgelost.",
            "afgerond in P met uitkomst opgelost", "afgerond in P, behalve uitkomst ingetrokken", "ingetrokken casussen",
            CLOSED_RULE, Share, "Behandeling", &[],
            |c| Measure::Share { num: is_in("uitkomst", &["opgelost"]), den: c.closed().and(is_in("uitkomst", &["ingetrokken"]).not()) }),
        def!("deels_opgelost_pct", "Deels opgelost", "Aandeel van de afgeronde casussen dat deels is opgelost.",
            "afgerond in P met uitkomst deels_opgelost", "afgerond in P, behalve uitkomst ingetrokken", "ingetrokken casussen",
            CLOSED_RULE, Share, "Behandeling", &[],
            |c| Measure::Share { num: is_in("uitkomst", &["deels_opgelost"]), den: c.closed().and(is_in("uitkomst", &["ingetrokken"]).not()) }),
        def!("advies_overgenomen_pct", "Advies overgenomen", "Aandeel van de beoordeelde zienswijzen dat (deels) is overgenomen door de dienst.",
            "afgerond in P met zienswijze_reactie overgenomen of deels_overgenomen", "afgerond in P met reactie overgenomen, deels_overgenomen of niet_overgenomen",
            "geen reactie of geen zienswijze", CLOSED_RULE, Share, "Zienswijzen", &[Within("dienst")],
            |c| Measure::Share { num: is_in("zienswijze_reactie", &ADVICE_ADOPTED), den: c.closed().and(is_in("zienswijze_reactie", &ADVICE_JUDGED)) }),
        def!("geescaleerd_pct", "Geëscaleerd", "Aandeel van de afgeronde casussen dat is geëscaleerd.",
            "afgerond in P met geescaleerd ja", "afgerond in P", "geen", CLOSED_RULE, Share, "Escalatie", &[ShareOfTotal("escalatie_niveau")],
            |c| Measure::Share { num: flag("geescaleerd"), den: c.closed() }),
        def!("minnelijk_opgelost_aantal", "Minnelijk opgelost", "Aantal afgeronde casussen met een (deels) oplossing zonder escalatie.",
            "afgerond in P, uitkomst opgelost of deels_opgelost, geescaleerd niet ja", "-", "geen", CLOSED_RULE, Count, "Escalatie", &[],
            |c| Measure::Count(c.closed().and(is_in("uitkomst", &SOLVED)).and(flag("geescaleerd").not()))),
        def!("na_escalatie_opgelost_aantal", "Opgelost na escalatie", "Aantal afgeronde casussen met een (deels) oplossing na escalatie.",
            "afgerond in P, uitkomst opgelost of deels_opgelost, geescaleerd ja", "-", "geen", CLOSED_RULE, Count, "Escalatie", &[],
            |c| Measure::Count(c.closed().and(is_in("uitkomst", &SOLVED)).and(flag("geescaleerd")))),
        def!(versie 2; "doorlooptijd_mediaan_dagen", "Doorlooptijd (mediaan)",
            "Kaplan-Meier-mediaan van de doorlooptijd in dagen van de casussen die in de periode zijn ontvangen en in behandeling genomen; open casussen tellen mee tot de peildatum (gecensureerd). Ligt de curve precies op 50% over een interval, dan het midden daarvan (zoals R survival).",
            KM_TIME, INTAKE_DEN, "geen; leeg als minder dan de helft is afgerond", INTAKE_RULE, Days, "Doorlooptijden", &[Within("dienst")],
            |c| c.km(KmStat::Quantile(0.5))),
        def!(versie 2; "doorlooptijd_p80_dagen", "Doorlooptijd (80e percentiel)",
            "Dag waarop volgens Kaplan-Meier 80% van de in de periode ontvangen en in behandeling genomen casussen is afgerond; open casussen gecensureerd op de peildatum.",
            KM_TIME, INTAKE_DEN, "geen; leeg als minder dan 80% is afgerond", INTAKE_RULE, Days, "Doorlooptijden", &[],
            |c| c.km(KmStat::Quantile(0.8))),
        def!(versie 2; "binnen_8_weken_pct", "Binnen 8 weken afgerond",
            "Geschat aandeel van de in de periode ontvangen en in behandeling genomen casussen dat binnen 56 dagen is afgerond: 1 - S(56) volgens Kaplan-Meier, open casussen gecensureerd op de peildatum.",
            "casussen afgerond binnen 56 dagen (waargenomen); de waarde is de Kaplan-Meier-schatting", INTAKE_DEN, "geen", INTAKE_RULE, EstimatedShare, "Doorlooptijden", &[],
            |c| c.km(KmStat::ClosedWithin(56.0))),
        def!(versie 2; "binnen_3_maanden_pct", "Binnen 3 maanden afgerond",
            "Geschat aandeel van de in de periode ontvangen en in behandeling genomen casussen dat binnen 91 dagen is afgerond: 1 - S(91) volgens Kaplan-Meier.",
            "casussen afgerond binnen 91 dagen (waargenomen); de waarde is de Kaplan-Meier-schatting", INTAKE_DEN, "geen", INTAKE_RULE, EstimatedShare, "Doorlooptijden", &[],
            |c| c.km(KmStat::ClosedWithin(91.0))),
        def!(versie 2; "binnen_5_maanden_pct", "Binnen 5 maanden afgerond",
            "Geschat aandeel van de in de periode ontvangen en in behandeling genomen casussen dat binnen 152 dagen is afgerond: 1 - S(152) volgens Kaplan-Meier.",
            "casussen afgerond binnen 152 dagen (waargenomen); de waarde is de Kaplan-Meier-schatting", INTAKE_DEN, "geen", INTAKE_RULE, EstimatedShare, "Doorlooptijden", &[],
            |c| c.km(KmStat::ClosedWithin(152.0))),
        def!("afgerond_doorlooptijd_mediaan_dagen", "Doorlooptijd van de afgeronde casussen (mediaan)",
            "Mediaan van afgerond_op min ontvangen_op in dagen, alleen over de casussen die in de periode zijn afgerond; bij een even aantal het gemiddelde van de middelste twee. Laat open casussen weg en is daardoor gunstiger dan de doorlooptijd.",
            "dagen van ontvangst tot afronding", "afgerond in P", "open casussen (zie de doorlooptijd)", CLOSED_RULE, Days, "Doorlooptijden", &[Within("dienst")],
            |c| Measure::Quantile { value: col("doorlooptijd"), filter: c.closed(), q: 0.5 }),
        def!("afgerond_doorlooptijd_p80_dagen", "Doorlooptijd van de afgeronde casussen (80e percentiel)",
            "80e percentiel van de doorlooptijd in dagen (lineaire interpolatie, R type 7), alleen over de casussen die in de periode zijn afgerond.",
            "dagen van ontvangst tot afronding", "afgerond in P", "open casussen", CLOSED_RULE, Days, "Doorlooptijden", &[],
            |c| Measure::Quantile { value: col("doorlooptijd"), filter: c.closed(), q: 0.8 }),
        def!("afgerond_binnen_8_weken_pct", "Afgeronde casussen: binnen 8 weken afgerond",
            "Aandeel van de in de periode afgeronde casussen met een doorlooptijd van hoogstens 56 dagen. Laat open casussen weg en is daardoor gunstiger dan 'binnen 8 weken afgerond'.",
            "afgerond in P met doorlooptijd <= 56 dagen", "afgerond in P", "open casussen", CLOSED_RULE, Share, "Doorlooptijden", &[],
            |c| Measure::Share { num: col("doorlooptijd").lt_eq(lit(56)).fill_null(lit(false)), den: c.closed() }),
        def!("triage_doorlooptijd_mediaan_dagen", "Tijd tot triage (mediaan)", "Mediaan van triage_op min ontvangen_op in dagen, voor casussen getrieerd in P.",
            "dagen van ontvangst tot triage", "triage_op in P", "geen", "triage_op in P", Days, "Triage", &[],
            |c| Measure::Quantile { value: col("triage_op") - col("ontvangen_op"), filter: c.in_p("triage_op"), q: 0.5 }),
        def!("beleving_burger", "Beleving burger of ondernemer (gemiddelde)", "Gemiddelde score (1-10) van burgers en ondernemers bij afgeronde casussen.",
            "som van de scores", "afgerond in P met een score", "lege scores", CLOSED_RULE, Score, "Beleving", &[],
            |c| Measure::Mean { value: col("beleving_burger"), filter: c.closed() }),
        def!("beleving_burger_7plus_pct", "Beleving burger: aandeel 7 of hoger", "Aandeel scores van 7 of hoger.",
            "scores >= 7", "afgerond in P met een score", "lege scores", CLOSED_RULE, Share, "Beleving", &[],
            |c| Measure::Share { num: col("beleving_burger").gt_eq(lit(7)).fill_null(lit(false)), den: c.closed().and(col("beleving_burger").is_not_null()) }),
        def!("beleving_eerstelijnshelper", "Beleving eerstelijnshelper (gemiddelde)", "Gemiddelde score (1-10) van de aandragende helpers bij afgeronde casussen.",
            "som van de scores", "afgerond in P met een score", "lege scores", CLOSED_RULE, Score, "Beleving", &[],
            |c| Measure::Mean { value: col("beleving_eerstelijnshelper"), filter: c.closed() }),
        def!("beleving_eerstelijnshelper_7plus_pct", "Beleving eerstelijnshelper: aandeel 7 of hoger", "Aandeel scores van 7 of hoger.",
            "scores >= 7", "afgerond in P met een score", "lege scores", CLOSED_RULE, Share, "Beleving", &[],
            |c| Measure::Share { num: col("beleving_eerstelijnshelper").gt_eq(lit(7)).fill_null(lit(false)), den: c.closed().and(col("beleving_eerstelijnshelper").is_not_null()) }),
        def!("beleving_helper_dienst", "Beleving helper uitvoeringsdienst (gemiddelde)", "Gemiddelde score (1-10) van medewerkers van de diensten bij afgeronde casussen.",
            "som van de scores", "afgerond in P met een score", "lege scores", CLOSED_RULE, Score, "Beleving", &[],
            |c| Measure::Mean { value: col("beleving_helper_dienst"), filter: c.closed() }),
        def!("beleving_helper_dienst_7plus_pct", "Beleving helper uitvoeringsdienst: aandeel 7 of hoger", "Aandeel scores van 7 of hoger.",
            "scores >= 7", "afgerond in P met een score", "lege scores", CLOSED_RULE, Share, "Beleving", &[],
            |c| Measure::Share { num: col("beleving_helper_dienst").gt_eq(lit(7)).fill_null(lit(false)), den: c.closed().and(col("beleving_helper_dienst").is_not_null()) }),
        def!("geleerde_lessen_aantal", "Vastgelegde geleerde lessen", "Aantal afgeronde casussen met een ingevulde geleerde les.",
            "afgerond in P met een niet-lege geleerde_les", "-", "geen", CLOSED_RULE, Count, "Leren", &[],
            |c| Measure::Count(c.closed().and(col("geleerde_les").is_not_null()))),
    ]
}

/// One computed figure (a row of `indicatoren.json`).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Record {
    pub id: String,
    pub versie: u32,
    pub periode: String,
    pub dimensie: Option<String>,
    pub groep: Option<String>,
    pub eenheid: Unit,
    pub teller: Option<f64>,
    pub noemer: Option<u64>,
    pub waarde: Option<f64>,
    pub ci_laag: Option<f64>,
    pub ci_hoog: Option<f64>,
    pub vorige_periode: String,
    pub vorige_teller: Option<f64>,
    pub vorige_noemer: Option<u64>,
    pub vorige_waarde: Option<f64>,
    pub verschil: Option<f64>,
}

/// A row of the flow table (per dienst and in total).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FlowRow {
    pub dienst: String,
    pub open_begin: u64,
    pub ontvangen: u64,
    pub afgehandeld: u64,
    /// Referred or refused at triage.
    pub waarvan_bij_triage: u64,
    pub waarvan_na_behandeling: u64,
    /// Withdrawn before a triage decision (ended on `afgerond_op`).
    pub waarvan_ingetrokken_voor_triage: u64,
    pub open_eind: u64,
}

/// A row of the cohort table: cases received in one quarter, as they stand on the peildatum.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CohortRow {
    pub kwartaal: String,
    pub ontvangen: u64,
    /// Referred or refused at triage.
    pub niet_in_behandeling: u64,
    /// Withdrawn before a triage decision.
    pub ingetrokken_voor_triage: u64,
    /// No triage decision yet on the peildatum (and not withdrawn).
    pub wacht_op_triage: u64,
    pub in_behandeling_genomen: u64,
    pub opgelost: u64,
    pub anders_afgerond: u64,
    pub nog_open: u64,
}

/// A case open on the peildatum with its phase (process information; internal).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OpenCase {
    pub casus_id: String,
    pub dienst: Option<String>,
    pub fase: String,
    pub leeftijd_dagen: i64,
}

/// Progress against the yearly target per dienst.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Target {
    pub jaar: i32,
    pub dienst: String,
    pub in_behandeling_genomen: u64,
    pub doel: u64,
    pub aandeel: f64,
}

/// A point of the Kaplan-Meier curve.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct KmPoint {
    pub dagen: f64,
    pub nog_open: f64,
    pub at_risk: u64,
}

/// Escalations without a date (`geescaleerd_op`): those of cases closed in the period count
/// (the closing places them before the peildatum), those of cases still open on the peildatum
/// do not. The report says so when either is not zero.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct EscalationDates {
    pub zonder_datum_afgerond: u64,
    pub zonder_datum_open: u64,
}

/// Everything `analyse` computes about outcomes.
#[derive(Debug, Clone, Serialize)]
pub struct Indicators {
    pub periode: Period,
    pub vorige_periode: Period,
    pub peildatum: NaiveDate,
    pub definitieversie: u32,
    pub records: Vec<Record>,
    pub stroom: Vec<FlowRow>,
    pub cohorten: Vec<CohortRow>,
    pub proces: Vec<OpenCase>,
    pub doelrealisatie: Vec<Target>,
    /// The Kaplan-Meier curve of the period's intake cohort (see `doorlooptijd_mediaan_dagen`).
    pub km_curve: Vec<KmPoint>,
    pub escalaties_zonder_datum: EscalationDates,
}

impl Indicators {
    /// The total (no breakdown) record of an indicator.
    pub fn total(&self, id: &str) -> Option<&Record> {
        self.records
            .iter()
            .find(|r| r.id == id && r.dimensie.is_none())
    }

    /// The records of an indicator broken down by `dim`.
    pub fn by(&self, id: &str, dim: &str) -> Vec<&Record> {
        self.records
            .iter()
            .filter(|r| r.id == id && r.dimensie.as_deref() == Some(dim))
            .collect()
    }
}

/// Whether the escalation of a case is known on the peildatum (day `p`): from its date
/// `geescaleerd_op` when present, else only when the case was closed by then (an escalation
/// happens before the closing, so the other dates place it before the peildatum).
fn escalation_known(p: i32) -> Expr {
    let d = |c: &str| col(c).cast(DataType::Int32);
    when(d("geescaleerd_op").is_not_null())
        .then(d("geescaleerd_op").lt_eq(lit(p)))
        .otherwise(d("afgerond_op").lt_eq(lit(p)).fill_null(lit(false)))
}

/// Prepares the case frame as it stood on `peil`: dates as day numbers, later events removed,
/// helper columns added. This is the one "as of the peildatum" rule of the indicators, flow,
/// cohorts and open cases (the report's own tables use [`Period::counts_on`], the same rule).
///
/// - a case received after `peil` does not exist yet;
/// - triage, zienswijze and closing dated after `peil` have not happened (their codes,
///   scores and lessons with them);
/// - an escalation counts from `geescaleerd_op`; without that date only when the case was
///   closed on or before `peil` (column `escalatie_zonder_datum` marks those cases);
/// - `eind` is the day a case left the process: closing after treatment, the triage date for
///   a referral or refusal, or the closing date of a case withdrawn before triage.
pub fn as_of(cases: &DataFrame, peil: NaiveDate) -> LazyFrame {
    let p = days(peil);
    let d = |c: &str| col(c).cast(DataType::Int32);
    let after = |c: &str| d(c).gt(lit(p)).fill_null(lit(false));
    let null_if =
        |cond: Expr, e: Expr, dt: DataType| when(cond).then(lit(NULL).cast(dt)).otherwise(e);
    let escalated = flag("geescaleerd");
    let unknown_escalation = escalated.clone().and(escalation_known(p).not());
    cases
        .clone()
        .lazy()
        .filter(d("ontvangen_op").lt_eq(lit(p)))
        .with_columns([
            when(unknown_escalation.clone())
                .then(lit(false))
                .otherwise(col("geescaleerd"))
                .alias("geescaleerd"),
            null_if(
                unknown_escalation,
                col("escalatie_niveau"),
                DataType::String,
            )
            .alias("escalatie_niveau"),
            escalated
                .and(col("geescaleerd_op").is_null())
                .alias("escalatie_zonder_datum"),
        ])
        .with_columns([
            d("ontvangen_op").alias("ontvangen_op"),
            null_if(after("triage_op"), d("triage_op"), DataType::Int32).alias("triage_op"),
            null_if(after("triage_op"), col("triage_besluit"), DataType::String)
                .alias("triage_besluit"),
            null_if(
                after("triage_op"),
                col("warm_doorverwezen"),
                DataType::Boolean,
            )
            .alias("warm_doorverwezen"),
            null_if(after("zienswijze_op"), d("zienswijze_op"), DataType::Int32)
                .alias("zienswijze_op"),
            null_if(
                after("zienswijze_op"),
                col("zienswijze_reactie"),
                DataType::String,
            )
            .alias("zienswijze_reactie"),
            null_if(after("afgerond_op"), d("afgerond_op"), DataType::Int32).alias("afgerond_op"),
            null_if(after("afgerond_op"), col("uitkomst"), DataType::String).alias("uitkomst"),
            null_if(
                after("afgerond_op"),
                col("beleving_burger"),
                DataType::Int32,
            )
            .alias("beleving_burger"),
            null_if(
                after("afgerond_op"),
                col("beleving_eerstelijnshelper"),
                DataType::Int32,
            )
            .alias("beleving_eerstelijnshelper"),
            null_if(
                after("afgerond_op"),
                col("beleving_helper_dienst"),
                DataType::Int32,
            )
            .alias("beleving_helper_dienst"),
            null_if(after("afgerond_op"), col("geleerde_les"), DataType::String)
                .alias("geleerde_les"),
            col("thema")
                .str()
                .extract(lit(r"^([^.]+)"), 1)
                .alias("thema_hoofd"),
            col("complexiteit")
                .cast(DataType::String)
                .alias("complexiteit"),
        ])
        .with_columns([
            is_in("triage_besluit", &["behandelen"]).alias("behandelen"),
            (col("afgerond_op") - col("ontvangen_op")).alias("doorlooptijd"),
        ])
        .with_column(withdrawn_before_triage().alias("ingetrokken_voor_triage"))
        .with_column(
            when(col("behandelen").or(col("ingetrokken_voor_triage")))
                .then(col("afgerond_op"))
                .when(is_in(
                    "triage_besluit",
                    &["doorverwijzen", "niet_behandelen"],
                ))
                .then(col("triage_op"))
                .otherwise(lit(NULL).cast(DataType::Int32))
                .alias("eind"),
        )
}

/// A case withdrawn (`ingetrokken`) and closed without a triage decision (as of the peildatum).
fn withdrawn_before_triage() -> Expr {
    col("triage_besluit")
        .is_null()
        .and(col("afgerond_op").is_not_null())
        .and(is_in("uitkomst", &["ingetrokken"]))
}

/// Aggregation expressions of one measure: (teller, noemer, waarde).
fn agg_exprs(m: &Measure) -> Option<[Expr; 3]> {
    let cnt = |e: &Expr| {
        e.clone()
            .cast(DataType::UInt32)
            .sum()
            .cast(DataType::Float64)
    };
    Some(match m {
        Measure::Count(f) => [
            cnt(f).alias("t"),
            lit(NULL).cast(DataType::Float64).alias("n"),
            cnt(f).alias("w"),
        ],
        Measure::Share { num, den } => {
            let t = cnt(&num.clone().and(den.clone()));
            let n = cnt(den);
            [
                t.clone().alias("t"),
                n.clone().alias("n"),
                (t / n).alias("w"),
            ]
        }
        Measure::Quantile { value, filter, q } => {
            let v = value.clone().filter(filter.clone()).cast(DataType::Float64);
            let w = if (*q - 0.5).abs() < 1e-12 {
                v.median()
            } else {
                v.quantile(lit(*q), QuantileMethod::Linear)
            };
            [
                lit(NULL).cast(DataType::Float64).alias("t"),
                cnt(filter).alias("n"),
                w.alias("w"),
            ]
        }
        Measure::Mean { value, filter } => {
            let present = filter.clone().and(value.clone().is_not_null());
            let v = value
                .clone()
                .filter(present.clone())
                .cast(DataType::Float64);
            [
                v.clone().sum().alias("t"),
                cnt(&present).alias("n"),
                v.mean().alias("w"),
            ]
        }
        Measure::KaplanMeier { .. } => return None,
    })
}

struct Raw {
    dim: Option<String>,
    group: Option<String>,
    t: Option<f64>,
    n: Option<u64>,
    w: Option<f64>,
    /// A 95% interval computed with the figure (Kaplan-Meier); Wilson's is added later.
    ci: Option<(f64, f64)>,
}

fn read_rows(df: &DataFrame, dim: Option<&str>) -> Result<Vec<Raw>> {
    let f = |c: &str| -> Result<Vec<Option<f64>>> {
        Ok(df
            .column(c)?
            .cast(&DataType::Float64)?
            .f64()?
            .iter()
            .collect())
    };
    let (t, n, w) = (f("t")?, f("n")?, f("w")?);
    let groups: Vec<Option<String>> = match dim {
        Some(d) => df
            .column(d)?
            .cast(&DataType::String)?
            .str()?
            .iter()
            .map(|g| Some(g.unwrap_or("onbekend").to_string()))
            .collect(),
        None => vec![None; df.height()],
    };
    Ok((0..df.height())
        .map(|i| Raw {
            dim: dim.map(str::to_string),
            group: groups[i].clone(),
            t: t[i],
            n: n[i].map(|x| x as u64),
            w: w[i].filter(|x| x.is_finite()),
            ci: None,
        })
        .collect())
}

/// Computes every (total and breakdown) figure of `defs` for one period.
fn compute_period(
    lf: &LazyFrame,
    period: &Period,
    peil: NaiveDate,
) -> Result<Vec<(&'static str, Raw)>> {
    let ctx = Ctx {
        start: days(period.start),
        end: days(period.end),
        peil: days(peil),
    };
    let defs = definitions();
    let mut out = Vec::new();
    let exploded = lf
        .clone()
        .with_column(col("doelgroep").str().split(lit("|")))
        .explode(
            cols(["doelgroep"]),
            ExplodeOptions {
                empty_as_null: true,
                keep_nulls: true,
            },
        );
    for def in &defs {
        let m = (def.measure)(&ctx);
        if let Measure::KaplanMeier { filter, stat } = &m {
            let dims = def.uitsplitsingen.iter().map(|b| match b {
                Breakdown::Within(d) | Breakdown::ShareOfTotal(d) => *d,
            });
            for dim in std::iter::once(None).chain(dims.map(Some)) {
                let rows = km_rows(lf, filter, *stat, ctx.peil, dim)?;
                out.extend(rows.into_iter().map(|r| (def.id, r)));
            }
            continue;
        }
        let Some(aggs) = agg_exprs(&m) else {
            continue;
        };
        let total = lf.clone().select(aggs.clone()).collect()?;
        let total_rows = read_rows(&total, None)?;
        let total_n = total_rows.first().and_then(|r| r.n);
        out.extend(total_rows.into_iter().map(|r| (def.id, r)));
        for bd in def.uitsplitsingen {
            let (dim, src) = match bd {
                Breakdown::Within(d) | Breakdown::ShareOfTotal(d) => {
                    (*d, if *d == "doelgroep" { &exploded } else { lf })
                }
            };
            let grouped = match bd {
                Breakdown::Within(_) => src.clone().group_by([col(dim)]).agg(aggs.clone()),
                Breakdown::ShareOfTotal(_) => {
                    let Measure::Share { num, den } = &m else {
                        continue;
                    };
                    let sel = num
                        .clone()
                        .and(den.clone())
                        .cast(DataType::UInt32)
                        .sum()
                        .cast(DataType::Float64);
                    let n = total_n.unwrap_or(0) as f64;
                    src.clone().group_by([col(dim)]).agg([
                        sel.clone().alias("t"),
                        lit(n).alias("n"),
                        (sel / lit(if n > 0.0 { n } else { f64::NAN })).alias("w"),
                    ])
                }
            };
            let df = grouped
                .sort([dim], SortMultipleOptions::default().with_nulls_last(true))
                .collect()?;
            let mut rows = read_rows(&df, Some(dim))?;
            if matches!(bd, Breakdown::ShareOfTotal(_)) {
                rows.retain(|r| r.group.as_deref() != Some("onbekend") && r.t.unwrap_or(0.0) > 0.0);
            }
            out.extend(rows.into_iter().map(|r| (def.id, r)));
        }
    }
    Ok(out)
}

/// Kaplan-Meier input of the rows where `filter` holds: lead time in days to closing, or to the
/// peildatum (censored) for a case still open; with the group of `dim` when given.
fn km_input(lf: &LazyFrame, filter: &Expr, peil: i32, dim: Option<&str>) -> Result<KmInput> {
    let group = match dim {
        Some(d) => col(d).cast(DataType::String).fill_null(lit("onbekend")),
        None => lit(""),
    };
    let df = lf
        .clone()
        .filter(filter.clone().fill_null(lit(false)))
        .select([
            group.alias("g"),
            when(col("afgerond_op").is_not_null())
                .then(col("afgerond_op") - col("ontvangen_op"))
                .otherwise(lit(peil) - col("ontvangen_op"))
                .cast(DataType::Float64)
                .alias("t"),
            col("afgerond_op").is_not_null().alias("e"),
        ])
        .collect()?;
    let g = df.column("g")?.str()?.clone();
    let t = df.column("t")?.f64()?.clone();
    let e = df.column("e")?.bool()?.clone();
    let mut out: KmInput = std::collections::BTreeMap::new();
    for ((g, t), e) in g.iter().zip(t.iter()).zip(e.iter()) {
        let entry = out.entry(g.unwrap_or("onbekend").to_string()).or_default();
        entry.0.push(t.unwrap_or(f64::NAN));
        entry.1.push(e.unwrap_or(false));
    }
    Ok(out)
}

/// Lead times and event flags per group.
type KmInput = std::collections::BTreeMap<String, (Vec<f64>, Vec<bool>)>;

/// One Kaplan-Meier figure from lead times and event flags: (teller, noemer, waarde, interval).
/// The teller is the number of closures seen (within the term, for [`KmStat::ClosedWithin`]).
pub fn km_figure(
    times: &[f64],
    events: &[bool],
    stat: KmStat,
) -> (f64, u64, Option<f64>, Option<(f64, f64)>) {
    let steps = stats::kaplan_meier(times, events);
    let last = times.iter().copied().fold(0.0, f64::max);
    let n = times.len() as u64;
    match stat {
        KmStat::Quantile(q) => {
            let closed = events.iter().filter(|e| **e).count() as f64;
            (closed, n, stats::km_quantile(&steps, q, last), None)
        }
        KmStat::ClosedWithin(days) => {
            let closed = times
                .iter()
                .zip(events)
                .filter(|(t, e)| **e && **t <= days)
                .count() as f64;
            let w = (n > 0).then(|| 1.0 - stats::km_survival_at(&steps, days));
            let ci = stats::km_interval_at(&steps, days).map(|(lo, hi)| (1.0 - hi, 1.0 - lo));
            (closed, n, w, ci)
        }
    }
}

/// The rows (total, or one per group of `dim`) of a Kaplan-Meier indicator.
fn km_rows(
    lf: &LazyFrame,
    filter: &Expr,
    stat: KmStat,
    peil: i32,
    dim: Option<&str>,
) -> Result<Vec<Raw>> {
    let mut input = km_input(lf, filter, peil, dim)?;
    if dim.is_none() && input.is_empty() {
        input.insert(String::new(), (Vec::new(), Vec::new()));
    }
    Ok(input
        .into_iter()
        .map(|(g, (t, e))| {
            let (teller, n, w, ci) = km_figure(&t, &e, stat);
            Raw {
                dim: dim.map(str::to_string),
                group: dim.map(|_| g),
                t: Some(teller),
                n: Some(n),
                w,
                ci,
            }
        })
        .collect())
}

/// Computes all indicators for `period` as the data stood on `peil`,
/// with the previous period of the same length (as it stood at its own end).
pub fn compute(
    cases: &DataFrame,
    period: &Period,
    peil: NaiveDate,
    cfg: &Config,
) -> Result<Indicators> {
    let lf = as_of(cases, peil).cache();
    let prev = period.previous();
    let prev_peil = prev.end.min(peil);
    let lf_prev = as_of(cases, prev_peil).cache();
    let now = compute_period(&lf, period, peil)?;
    let before = compute_period(&lf_prev, &prev, prev_peil)?;
    let units: std::collections::BTreeMap<&str, (Unit, u32)> = definitions()
        .iter()
        .map(|d| (d.id, (d.eenheid, d.versie)))
        .collect();
    let records = now
        .into_iter()
        .map(|(id, r)| {
            let p = before
                .iter()
                .find(|(pid, pr)| *pid == id && pr.dim == r.dim && pr.group == r.group)
                .map(|(_, pr)| pr);
            let (eenheid, versie) = units[id];
            let (ci_laag, ci_hoog) = match (eenheid, r.t, r.n, r.ci) {
                (_, _, _, Some((a, b))) => (Some(a), Some(b)),
                (Unit::Share, Some(t), Some(n), None) if n > 0 => {
                    stats::wilson(t.round() as u64, n)
                        .map(|(a, b)| (Some(a), Some(b)))
                        .unwrap_or((None, None))
                }
                _ => (None, None),
            };
            let vorige_waarde = p.and_then(|p| p.w);
            Record {
                id: id.to_string(),
                versie,
                periode: period.label.clone(),
                dimensie: r.dim,
                groep: r.group,
                eenheid,
                teller: r.t,
                noemer: r.n,
                waarde: r.w,
                ci_laag,
                ci_hoog,
                vorige_periode: prev.label.clone(),
                vorige_teller: p.and_then(|p| p.t),
                vorige_noemer: p.and_then(|p| p.n),
                vorige_waarde,
                verschil: r.w.zip(vorige_waarde).map(|(a, b)| a - b),
            }
        })
        .collect();
    let ctx = Ctx {
        start: days(period.start),
        end: days(period.end),
        peil: days(peil),
    };
    let cohort = km_input(&lf, &ctx.intake(), ctx.peil, None)?;
    let (t, e) = cohort.into_values().next().unwrap_or_default();
    let km_curve = stats::kaplan_meier(&t, &e)
        .iter()
        .map(|s| KmPoint {
            dagen: s.t,
            nog_open: s.survival,
            at_risk: s.at_risk,
        })
        .collect();
    Ok(Indicators {
        periode: period.clone(),
        vorige_periode: prev,
        peildatum: peil,
        definitieversie: DEFINITIONS_VERSION,
        records,
        stroom: flow(&lf, &ctx)?,
        cohorten: cohorts(&lf, &ctx)?,
        proces: open_cases(&lf, &ctx)?,
        doelrealisatie: targets(&lf, period, peil, cfg)?,
        km_curve,
        escalaties_zonder_datum: escalation_dates(&lf, &ctx)?,
    })
}

/// How many escalations of cases closed in the period had no date, and how many escalated
/// cases without a date were left out because they were still open on the peildatum.
fn escalation_dates(lf: &LazyFrame, ctx: &Ctx) -> Result<EscalationDates> {
    let cnt = |e: Expr| e.fill_null(lit(false)).cast(DataType::UInt32).sum();
    let undated = col("escalatie_zonder_datum");
    let df = lf
        .clone()
        .select([
            cnt(undated.clone().and(ctx.closed())).alias("geteld"),
            cnt(undated.and(col("afgerond_op").is_null())).alias("niet_geteld"),
        ])
        .collect()?;
    Ok(EscalationDates {
        zonder_datum_afgerond: u64s(&df, "geteld")?[0],
        zonder_datum_open: u64s(&df, "niet_geteld")?[0],
    })
}

fn u64s(df: &DataFrame, c: &str) -> Result<Vec<u64>> {
    Ok(df
        .column(c)?
        .cast(&DataType::UInt64)?
        .u64()?
        .iter()
        .map(|v| v.unwrap_or(0))
        .collect())
}

fn strings(df: &DataFrame, c: &str) -> Result<Vec<String>> {
    Ok(df
        .column(c)?
        .cast(&DataType::String)?
        .str()?
        .iter()
        .map(|v| v.unwrap_or("onbekend").to_string())
        .collect())
}

fn flow(lf: &LazyFrame, ctx: &Ctx) -> Result<Vec<FlowRow>> {
    let cnt = |e: Expr| e.fill_null(lit(false)).cast(DataType::UInt32).sum();
    let open_at = |day: i32, strict: bool| {
        let started = if strict {
            col("ontvangen_op").lt(lit(day))
        } else {
            col("ontvangen_op").lt_eq(lit(day))
        };
        let ended_after = if strict {
            col("eind").gt_eq(lit(day))
        } else {
            col("eind").gt(lit(day))
        };
        started.and(col("eind").is_null().or(ended_after))
    };
    let in_p = |c: &str| col(c).gt_eq(lit(ctx.start)).and(col(c).lt_eq(lit(ctx.end)));
    let aggs = [
        cnt(open_at(ctx.start, true)).alias("open_begin"),
        cnt(in_p("ontvangen_op")).alias("ontvangen"),
        cnt(in_p("eind")).alias("afgehandeld"),
        cnt(in_p("eind")
            .and(col("behandelen").not())
            .and(col("ingetrokken_voor_triage").not()))
        .alias("waarvan_bij_triage"),
        cnt(in_p("eind").and(col("ingetrokken_voor_triage")))
            .alias("waarvan_ingetrokken_voor_triage"),
        cnt(in_p("eind").and(col("behandelen"))).alias("waarvan_na_behandeling"),
        cnt(open_at(ctx.end, false)).alias("open_eind"),
    ];
    let per = lf
        .clone()
        .group_by([col("dienst")])
        .agg(aggs.clone())
        .sort(
            ["dienst"],
            SortMultipleOptions::default().with_nulls_last(true),
        )
        .collect()?;
    let tot = lf
        .clone()
        .select(aggs)
        .with_column(lit("totaal").alias("dienst"))
        .collect()?;
    let mut rows = Vec::new();
    for df in [&per, &tot] {
        let d = strings(df, "dienst")?;
        let cols: Vec<Vec<u64>> = [
            "open_begin",
            "ontvangen",
            "afgehandeld",
            "waarvan_bij_triage",
            "waarvan_na_behandeling",
            "open_eind",
            "waarvan_ingetrokken_voor_triage",
        ]
        .iter()
        .map(|c| u64s(df, c))
        .collect::<Result<_>>()?;
        for i in 0..df.height() {
            rows.push(FlowRow {
                dienst: d[i].clone(),
                open_begin: cols[0][i],
                ontvangen: cols[1][i],
                afgehandeld: cols[2][i],
                waarvan_bij_triage: cols[3][i],
                waarvan_na_behandeling: cols[4][i],
                waarvan_ingetrokken_voor_triage: cols[6][i],
                open_eind: cols[5][i],
            });
        }
    }
    Ok(rows)
}

fn cohorts(lf: &LazyFrame, ctx: &Ctx) -> Result<Vec<CohortRow>> {
    let cnt = |e: Expr| e.fill_null(lit(false)).cast(DataType::UInt32).sum();
    let df = lf
        .clone()
        .filter(col("ontvangen_op").lt_eq(lit(ctx.end)))
        .with_column(col("ontvangen_op").cast(DataType::Date).alias("d"))
        .with_column(
            concat_str(
                [
                    col("d").dt().year().cast(DataType::String),
                    lit("-Q"),
                    col("d").dt().quarter().cast(DataType::String),
                ],
                "",
                false,
            )
            .alias("kwartaal"),
        )
        .group_by([col("kwartaal")])
        .agg([
            len().alias("ontvangen"),
            cnt(is_in(
                "triage_besluit",
                &["doorverwijzen", "niet_behandelen"],
            ))
            .alias("niet_in_behandeling"),
            cnt(col("ingetrokken_voor_triage")).alias("ingetrokken_voor_triage"),
            cnt(col("triage_besluit")
                .is_null()
                .and(col("ingetrokken_voor_triage").not()))
            .alias("wacht_op_triage"),
            cnt(col("behandelen")).alias("in_behandeling_genomen"),
            cnt(col("behandelen")
                .and(col("afgerond_op").is_not_null())
                .and(is_in("uitkomst", &SOLVED)))
            .alias("opgelost"),
            cnt(col("behandelen")
                .and(col("afgerond_op").is_not_null())
                .and(is_in("uitkomst", &SOLVED).not()))
            .alias("anders_afgerond"),
            cnt(col("eind").is_null()).alias("nog_open"),
        ])
        .sort(["kwartaal"], Default::default())
        .collect()?;
    let k = strings(&df, "kwartaal")?;
    let c: Vec<Vec<u64>> = [
        "ontvangen",
        "niet_in_behandeling",
        "wacht_op_triage",
        "in_behandeling_genomen",
        "opgelost",
        "anders_afgerond",
        "nog_open",
        "ingetrokken_voor_triage",
    ]
    .iter()
    .map(|n| u64s(&df, n))
    .collect::<Result<_>>()?;
    Ok((0..df.height())
        .map(|i| CohortRow {
            kwartaal: k[i].clone(),
            ontvangen: c[0][i],
            niet_in_behandeling: c[1][i],
            ingetrokken_voor_triage: c[7][i],
            wacht_op_triage: c[2][i],
            in_behandeling_genomen: c[3][i],
            opgelost: c[4][i],
            anders_afgerond: c[5][i],
            nog_open: c[6][i],
        })
        .collect())
}

fn open_cases(lf: &LazyFrame, ctx: &Ctx) -> Result<Vec<OpenCase>> {
    let df = lf
        .clone()
        .filter(col("eind").is_null())
        .select([
            col("casus_id"),
            col("dienst"),
            when(col("triage_besluit").is_null())
                .then(lit("wacht op triage"))
                .when(flag("geescaleerd"))
                .then(lit("geëscaleerd"))
                .when(col("zienswijze_op").is_not_null())
                .then(lit("zienswijze uit"))
                .otherwise(lit("in behandeling"))
                .alias("fase"),
            (lit(ctx.peil) - col("ontvangen_op"))
                .cast(DataType::Int64)
                .alias("leeftijd"),
        ])
        .sort(
            ["leeftijd", "casus_id"],
            SortMultipleOptions::default().with_order_descending_multi([true, false]),
        )
        .collect()?;
    let ids = strings(&df, "casus_id")?;
    let dienst: Vec<Option<String>> = df
        .column("dienst")?
        .str()?
        .iter()
        .map(|v| v.map(str::to_string))
        .collect();
    let fase = strings(&df, "fase")?;
    let age: Vec<i64> = df
        .column("leeftijd")?
        .i64()?
        .iter()
        .map(|v| v.unwrap_or(0))
        .collect();
    Ok((0..df.height())
        .map(|i| OpenCase {
            casus_id: ids[i].clone(),
            dienst: dienst[i].clone(),
            fase: fase[i].clone(),
            leeftijd_dagen: age[i],
        })
        .collect())
}

fn targets(lf: &LazyFrame, period: &Period, peil: NaiveDate, cfg: &Config) -> Result<Vec<Target>> {
    use chrono::Datelike;
    let year = period.end.year();
    let (ys, ye) = (
        days(NaiveDate::from_ymd_opt(year, 1, 1).unwrap()),
        days(NaiveDate::from_ymd_opt(year, 12, 31).unwrap().min(peil)),
    );
    let taken = col("behandelen")
        .and(col("triage_op").gt_eq(lit(ys)))
        .and(col("triage_op").lt_eq(lit(ye)))
        .fill_null(lit(false));
    let cnt = |e: Expr| e.cast(DataType::UInt32).sum();
    let df = lf
        .clone()
        .select([
            cnt(taken
                .clone()
                .and(is_in("dienst", &["belastingdienst", "beide"])))
            .alias("bd"),
            cnt(taken.and(is_in("dienst", &["dienst_toeslagen", "beide"]))).alias("dt"),
        ])
        .collect()?;
    let bd = u64s(&df, "bd")?[0];
    let dt = u64s(&df, "dt")?[0];
    let mk = |dienst: &str, n: u64, doel: u32| Target {
        jaar: year,
        dienst: dienst.to_string(),
        in_behandeling_genomen: n,
        doel: doel as u64,
        aandeel: if doel == 0 {
            0.0
        } else {
            n as f64 / doel as f64
        },
    };
    Ok(vec![
        mk("belastingdienst", bd, cfg.indicatoren.doel_belastingdienst),
        mk(
            "dienst_toeslagen",
            dt,
            cfg.indicatoren.doel_dienst_toeslagen,
        ),
    ])
}

/// The `definities.json` content.
#[derive(Debug, Clone, Serialize)]
pub struct DefinitionDoc {
    pub id: &'static str,
    pub naam: &'static str,
    pub omschrijving: &'static str,
    pub teller: &'static str,
    pub noemer: &'static str,
    pub uitsluitingen: &'static str,
    pub periode_regel: &'static str,
    pub versie: u32,
    pub eenheid: Unit,
    pub groep: &'static str,
    pub uitsplitsingen: Vec<&'static str>,
}

pub fn definition_docs() -> Vec<DefinitionDoc> {
    definitions()
        .into_iter()
        .map(|d| DefinitionDoc {
            id: d.id,
            naam: d.naam,
            omschrijving: d.omschrijving,
            teller: d.teller,
            noemer: d.noemer,
            uitsluitingen: d.uitsluitingen,
            periode_regel: d.periode_regel,
            versie: d.versie,
            eenheid: d.eenheid,
            groep: d.groep,
            uitsplitsingen: d
                .uitsplitsingen
                .iter()
                .map(|b| match b {
                    Breakdown::Within(x) | Breakdown::ShareOfTotal(x) => *x,
                })
                .collect(),
        })
        .collect()
}

/// `docs/indicatoren.md`: the definitions in plain Dutch, generated from [`definitions`].
pub fn definitions_markdown() -> String {
    let mut s = format!(
        "# Indicatoren van rodedraad (definities versie {DEFINITIONS_VERSION})\n\n\
         Dit bestand wordt gemaakt uit de code (`src/analyse/indicators.rs`); een test bewaakt dat het\n\
         gelijk loopt. P is de periode [begin, einde]. Alle cijfers gelden zoals de gegevens op de\n\
         peildatum stonden: een gebeurtenis na de peildatum telt als nog niet gebeurd. Elk cijfer heeft\n\
         een teller en een noemer, elk percentage een Wilson-95%-interval (een Kaplan-Meier-schatting\n\
         een Greenwood-interval), en naast elk cijfer staat het cijfer over de vorige periode van\n\
         dezelfde lengte (zoals het op het einde van die periode stond). Een wijziging in een definitie\n\
         verhoogt haar versie; het rapport markeert een gewijzigde definitie.\n\n\
         ## Op de peildatum\n\n\
         Eén regel voor elke tabel, elk kerncijfer en de trendreeks: een gebeurtenis telt in P als haar\n\
         datum in P ligt én niet na de peildatum. Een casus die na de peildatum is ontvangen bestaat nog\n\
         niet; triage, zienswijze en afronding na de peildatum zijn nog niet gebeurd. Een escalatie telt\n\
         vanaf `geescaleerd_op`; zonder die datum alleen als de casus op de peildatum al was afgerond\n\
         (een escalatie gaat aan de afronding vooraf). Het rapport meldt het als escalaties geen datum\n\
         hadden.\n\n\
         ## Wat veranderde in versie 2\n\n\
         - **Doorlooptijd (mediaan, 80e percentiel) en binnen 8 weken / 3 maanden / 5 maanden** komen uit\n  \
         een Kaplan-Meier-schatting over de casussen die in P zijn ontvangen en in behandeling genomen;\n  \
         open casussen tellen mee tot de peildatum. Versie 1 keek alleen naar casussen die in P werden\n  \
         afgerond: met 5 casussen afgerond na 30 dagen en 5 nog open na 150 dagen gaf dat 100% binnen 8\n  \
         weken, waar de schatting 50% is. \"Binnen 8 weken\" is dag 56, ook in de Kaplan-Meier-tabel.\n\
         - **Mediaan op een vlak stuk**: ligt de curve precies op 50% over een interval, dan is de\n  \
         mediaan het midden daarvan (zoals R `survival`): afgerond na 10, 20, 30 en 40 dagen geeft 25.\n\
         - **De cijfers van versie 1 blijven** als tweede, gunstiger cijfer: `afgerond_doorlooptijd_mediaan_dagen`,\n  \
         `afgerond_doorlooptijd_p80_dagen` en `afgerond_binnen_8_weken_pct`.\n\
         - **Vervallen**: `doorlooptijd_km_mediaan_dagen` (Kaplan-Meier over alle casussen ooit ontvangen,\n  \
         dus vooral geschiedenis); de doorlooptijd zelf is nu de Kaplan-Meier-mediaan.\n\
         - **Ingetrokken vóór triage**: een casus met uitkomst ingetrokken en afgerond_op maar zonder\n  \
         triagebesluit is op afgerond_op afgehandeld in de stroomtabel, de cohorten en de open casussen.\n\n",
    );
    let mut group = "";
    for d in definitions() {
        if d.groep != group {
            group = d.groep;
            s.push_str(&format!("## {group}\n\n"));
        }
        s.push_str(&format!(
            "### {} (`{}`, versie {})\n\n{}\n\n",
            d.naam, d.id, d.versie, d.omschrijving
        ));
        s.push_str(&format!(
            "- Teller: {}\n- Noemer: {}\n- Uitsluitingen: {}\n- Periode: {}\n",
            d.teller, d.noemer, d.uitsluitingen, d.periode_regel
        ));
        if !d.uitsplitsingen.is_empty() {
            let b: Vec<&str> = d
                .uitsplitsingen
                .iter()
                .map(|b| match b {
                    Breakdown::Within(x) | Breakdown::ShareOfTotal(x) => *x,
                })
                .collect();
            s.push_str(&format!("- Uitgesplitst naar: {}\n", b.join(", ")));
        }
        s.push('\n');
    }
    s.push_str(
        "## Stroom, cohorten en procesinformatie\n\n\
         - **Stroomtabel** (per dienst en totaal): open bij begin (ontvangen vóór P en niet afgehandeld vóór\n  \
         het begin), ontvangen in P, afgehandeld in P (na behandeling afgerond, na triage doorverwezen of\n  \
         niet behandeld, of vóór de triage ingetrokken), open bij einde. Open bij begin + ontvangen =\n  \
         afgehandeld + open bij einde.\n\
         - **Cohorten**: per kwartaal van ontvangst tot het einde van P: ontvangen, niet in behandeling\n  \
         genomen, ingetrokken vóór triage, wacht op triage, in behandeling genomen, opgelost, anders\n  \
         afgerond, nog open. Ontvangen = niet in behandeling + ingetrokken vóór triage + wacht op triage +\n  \
         in behandeling genomen.\n\
         - **Procesinformatie** (intern): elke casus die op de peildatum open is, met fase (wacht op triage,\n  \
         in behandeling, zienswijze uit, geëscaleerd) en leeftijd in dagen.\n\
         - **Doelrealisatie**: casussen in behandeling genomen (triage in het kalenderjaar van het einde van\n  \
         P) van de Belastingdienst en van Dienst Toeslagen tegen het jaardoel uit de configuratie\n  \
         (standaard 20 + 20); casussen over beide diensten tellen voor beide.\n",
    );
    s
}

#[cfg(test)]
mod docs {
    #[test]
    fn docs_indicatoren_md_is_in_sync_with_the_code() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/indicatoren.md");
        let want = super::definitions_markdown();
        if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
            std::fs::write(&path, &want).unwrap();
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert_eq!(
            have, want,
            "docs/indicatoren.md loopt achter; draai de tests met UPDATE_SNAPSHOTS=1"
        );
    }
}

/// Hand-worked fixtures for version 2 (issue 13): every expected value is worked out in the
/// comments from the rows above it.
#[cfg(test)]
mod fixtures {
    use super::*;
    use crate::ingest::{read, spec::Entity, validate};

    const HEADER: &str = "casus_id,ontvangen_op,aandrager_type,dienst,thema,triage_op,triage_besluit,geescaleerd,geescaleerd_op,escalatie_niveau,uitkomst,afgerond_op\n";

    pub(super) fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// The accepted case frame of `rows` (export date 31 October 2026); none may be quarantined.
    pub(super) fn frame(rows: &[&str]) -> DataFrame {
        let csv = format!("{HEADER}{}\n", rows.join("\n"));
        let raw = read::read_csv_bytes(
            csv.as_bytes(),
            "auto",
            "auto",
            std::path::Path::new("f.csv"),
        )
        .unwrap();
        let cfg = Config::default_config();
        let v = validate::validate(&raw, Entity::Cases, &cfg, ymd(2026, 10, 31)).unwrap();
        assert_eq!(v.summary.in_quarantaine, 0, "{:?}", v.quarantine);
        v.accepted
    }

    fn run(rows: &[&str], period: &str, peil: NaiveDate) -> Indicators {
        let p: Period = period.parse().unwrap();
        compute(&frame(rows), &p, peil, &Config::default_config()).unwrap()
    }

    fn total<'a>(ind: &'a Indicators, id: &str) -> &'a Record {
        ind.total(id).unwrap_or_else(|| panic!("no record {id}"))
    }

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() < 1e-5, "expected {b}, got {a}");
    }

    #[test]
    fn case_1_km_median_on_an_exact_half_plateau_takes_the_midpoint() {
        // Four cases received 1 January 2026, taken on, closed after 10, 20, 30 and 40 days.
        // KM: S = 3/4, 1/2, 1/4, 0. S is exactly 1/2 from day 20 to day 30: median 25 (R
        // survival), not 20. The closed-only median of 10 20 30 40 is also (20 + 30) / 2 = 25.
        // p80: 1 - S first reaches 0,8 at day 40 (1 - S = 1, not a flat at 0,8) -> 40; the
        // closed-only p80 (type 7): 30 + 0,4 * 10 = 34.
        let rows = [
            "A,2026-01-01,wijkteam,belastingdienst,invordering.uitstel,2026-01-02,behandelen,nee,,,opgelost,2026-01-11",
            "B,2026-01-01,wijkteam,belastingdienst,invordering.uitstel,2026-01-02,behandelen,nee,,,opgelost,2026-01-21",
            "C,2026-01-01,wijkteam,belastingdienst,invordering.uitstel,2026-01-02,behandelen,nee,,,opgelost,2026-01-31",
            "D,2026-01-01,wijkteam,belastingdienst,invordering.uitstel,2026-01-02,behandelen,nee,,,opgelost,2026-02-10",
        ];
        let ind = run(&rows, "2026-H1", ymd(2026, 6, 30));
        assert_eq!(total(&ind, "doorlooptijd_mediaan_dagen").waarde, Some(25.0));
        assert_eq!(total(&ind, "doorlooptijd_mediaan_dagen").noemer, Some(4));
        assert_eq!(
            total(&ind, "afgerond_doorlooptijd_mediaan_dagen").waarde,
            Some(25.0)
        );
        assert_eq!(total(&ind, "doorlooptijd_p80_dagen").waarde, Some(40.0));
        close(
            total(&ind, "afgerond_doorlooptijd_p80_dagen")
                .waarde
                .unwrap(),
            34.0,
        );
        // The breakdown by dienst has the same single group.
        let by = ind.by("doorlooptijd_mediaan_dagen", "dienst");
        assert_eq!(by.len(), 1);
        assert_eq!(
            (by[0].groep.as_deref(), by[0].waarde),
            (Some("belastingdienst"), Some(25.0))
        );
    }

    #[test]
    fn case_2_binnen_8_weken_is_a_km_estimate_over_the_intake_cohort() {
        // Ten cases received 5 January 2026 and taken on; five close after 30 days (4 February),
        // five are still open on the peildatum 4 June 2026, 150 days after receipt.
        // Closed-only (version 1): 5 of 5 within 56 days = 100%, median 30.
        // KM: t=30: 10 at risk, 5 close -> S = 1/2; the other five censored at 150.
        // 1 - S(56) = 0,5 with 5 closures seen of 10. Greenwood (log): sum d/(n(n-d)) =
        // 5/(10*5) = 0,1, se = 0,316228; S * exp(-/+ 1,959964 * se) = 0,269027 and 0,929274,
        // so 1 - S lies in [0,070726; 0,730973].
        // Median: S is exactly 1/2 from day 30 to the end of the curve (150): (30 + 150) / 2 = 90.
        // p80: the curve never reaches 1 - S = 0,8 -> no value.
        let mut rows = Vec::new();
        for i in 0..10 {
            let closed = if i < 5 { "opgelost,2026-02-04" } else { "," };
            rows.push(format!("K{i},2026-01-05,wijkteam,dienst_toeslagen,toeslagen.terugvordering,2026-01-06,behandelen,nee,,,{closed}"));
        }
        let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
        let ind = run(&rows, "2026-01-01..2026-06-04", ymd(2026, 6, 4));
        let b8 = total(&ind, "binnen_8_weken_pct");
        assert_eq!(b8.eenheid, Unit::EstimatedShare);
        assert_eq!((b8.teller, b8.noemer), (Some(5.0), Some(10)));
        close(b8.waarde.unwrap(), 0.5);
        close(b8.ci_laag.unwrap(), 0.070726);
        close(b8.ci_hoog.unwrap(), 0.730973);
        let closed_only = total(&ind, "afgerond_binnen_8_weken_pct");
        assert_eq!(
            (closed_only.teller, closed_only.noemer),
            (Some(5.0), Some(5))
        );
        assert_eq!(closed_only.waarde, Some(1.0));
        assert_eq!(total(&ind, "doorlooptijd_mediaan_dagen").waarde, Some(90.0));
        assert_eq!(
            total(&ind, "afgerond_doorlooptijd_mediaan_dagen").waarde,
            Some(30.0)
        );
        assert_eq!(total(&ind, "doorlooptijd_p80_dagen").waarde, None);
        // 3 and 5 months: no closures between day 30 and the censoring at 150 -> still 0,5.
        close(total(&ind, "binnen_3_maanden_pct").waarde.unwrap(), 0.5);
        close(total(&ind, "binnen_5_maanden_pct").waarde.unwrap(), 0.5);
        // The curve behind the KM table: one step at day 30, S = 0,5, 10 at risk.
        assert_eq!(
            ind.km_curve,
            vec![KmPoint {
                dagen: 30.0,
                nog_open: 0.5,
                at_risk: 10
            }]
        );
    }

    #[test]
    fn case_2b_only_the_periods_intake_counts_not_history() {
        // Version 1 took every case ever received; version 2 only the period's intake.
        // OLD was received in 2025 and is still open (censored at 546 days); NEW was received in
        // 2026-H1 and closed after 20 days. Intake cohort of 2026-H1 = {NEW}: median 20,
        // 1 - S(56) = 1. (Over both cases the KM median would be the midpoint rule: S = 1/2
        // from 20 to the end at 546 -> 283.)
        let rows = [
            "OLD,2025-01-01,wijkteam,belastingdienst,invordering.uitstel,2025-01-02,behandelen,nee,,,,",
            "NEW,2026-02-01,wijkteam,belastingdienst,invordering.uitstel,2026-02-02,behandelen,nee,,,opgelost,2026-02-21",
        ];
        let ind = run(&rows, "2026-H1", ymd(2026, 6, 30));
        let m = total(&ind, "doorlooptijd_mediaan_dagen");
        assert_eq!((m.waarde, m.noemer), (Some(20.0), Some(1)));
        assert_eq!(total(&ind, "binnen_8_weken_pct").waarde, Some(1.0));
    }

    #[test]
    fn case_3_a_case_withdrawn_before_triage_ends() {
        // Period 2026-H1, peildatum 30 June 2026.
        // W1 received 1 Feb, withdrawn (ingetrokken) 10 Feb without triage: ends in P.
        // W2 received 1 Dec 2025, withdrawn 5 Jan 2026 without triage: open at the start, ends in P.
        // W3 received 1 May, withdrawn 10 Jul (after the peildatum): on the peildatum it still
        //    waits for triage, so it is open at the end.
        // T1 received 1 Mar, no triage: waits for triage, open.
        // R1 received 10 Jan, referred at triage 12 Jan: ends at triage.
        // B1 received 15 Jan, taken on 20 Jan, open.
        // Flow: open at start = W2 (1); received in P = W1 W3 T1 R1 B1 (5); handled in P =
        // W1 W2 R1 (3: 2 withdrawn before triage, 1 at triage, 0 after treatment); open at the
        // end = W3 T1 B1 (3). 1 + 5 = 3 + 3.
        let rows = [
            "W1,2026-02-01,wijkteam,belastingdienst,invordering.uitstel,,,,,,ingetrokken,2026-02-10",
            "W2,2025-12-01,wijkteam,belastingdienst,invordering.uitstel,,,,,,ingetrokken,2026-01-05",
            "W3,2026-05-01,wijkteam,belastingdienst,invordering.uitstel,,,,,,ingetrokken,2026-07-10",
            "T1,2026-03-01,wijkteam,belastingdienst,invordering.uitstel,,,,,,,",
            "R1,2026-01-10,wijkteam,belastingdienst,invordering.uitstel,2026-01-12,doorverwijzen,,,,,",
            "B1,2026-01-15,wijkteam,belastingdienst,invordering.uitstel,2026-01-20,behandelen,nee,,,,",
        ];
        let ind = run(&rows, "2026-H1", ymd(2026, 6, 30));
        let t = ind.stroom.iter().find(|f| f.dienst == "totaal").unwrap();
        assert_eq!(
            (t.open_begin, t.ontvangen, t.afgehandeld, t.open_eind),
            (1, 5, 3, 3)
        );
        assert_eq!(
            (
                t.waarvan_ingetrokken_voor_triage,
                t.waarvan_bij_triage,
                t.waarvan_na_behandeling
            ),
            (2, 1, 0)
        );
        // Cohorts: 2025-Q4 {W2}: withdrawn 1. 2026-Q1 {W1 T1 R1 B1}: not taken on 1 (R1),
        // withdrawn 1 (W1), waiting 1 (T1), taken on 1 (B1), still open 2 (T1 B1).
        // 2026-Q2 {W3}: waiting 1, still open 1.
        let c: Vec<(&str, [u64; 6])> = ind
            .cohorten
            .iter()
            .map(|c| {
                (
                    c.kwartaal.as_str(),
                    [
                        c.ontvangen,
                        c.niet_in_behandeling,
                        c.ingetrokken_voor_triage,
                        c.wacht_op_triage,
                        c.in_behandeling_genomen,
                        c.nog_open,
                    ],
                )
            })
            .collect();
        assert_eq!(
            c,
            vec![
                ("2025-Q4", [1, 0, 1, 0, 0, 0]),
                ("2026-Q1", [4, 1, 1, 1, 1, 2]),
                ("2026-Q2", [1, 0, 0, 1, 0, 1]),
            ]
        );
        // Open on the peildatum: W3 (60 days), T1 (121), B1 (166); W1 and W2 are not.
        let open: Vec<(&str, &str, i64)> = ind
            .proces
            .iter()
            .map(|o| (o.casus_id.as_str(), o.fase.as_str(), o.leeftijd_dagen))
            .collect();
        assert_eq!(
            open,
            vec![
                ("B1", "in behandeling", 166),
                ("T1", "wacht op triage", 121),
                ("W3", "wacht op triage", 60),
            ]
        );
    }

    const ESCALATIONS: [&str; 6] = [
        "E1,2026-01-05,wijkteam,belastingdienst,invordering.uitstel,2026-01-10,behandelen,ja,2026-03-01,directeur,opgelost,2026-04-01",
        "E2,2026-01-05,wijkteam,belastingdienst,invordering.uitstel,2026-01-10,behandelen,ja,,teamleider,opgelost,2026-05-01",
        "E3,2026-02-01,wijkteam,belastingdienst,invordering.uitstel,2026-02-05,behandelen,ja,2026-08-01,directeur,opgelost,2026-09-01",
        "E4,2026-02-01,wijkteam,belastingdienst,invordering.uitstel,2026-02-05,behandelen,ja,,teamleider,,",
        "E5,2026-03-01,wijkteam,belastingdienst,invordering.uitstel,2026-03-05,behandelen,ja,2026-05-01,directeur,,",
        "E6,2026-01-05,wijkteam,belastingdienst,invordering.uitstel,2026-01-10,behandelen,nee,,,opgelost,2026-03-01",
    ];

    fn phases(ind: &Indicators) -> Vec<(&str, &str)> {
        let mut v: Vec<(&str, &str)> = ind
            .proces
            .iter()
            .map(|o| (o.casus_id.as_str(), o.fase.as_str()))
            .collect();
        v.sort();
        v
    }

    #[test]
    fn case_4_an_escalation_counts_from_its_date() {
        // Peildatum 30 June 2026 (end of 2026-H1).
        // E1 escalated 1 Mar (directeur), closed 1 Apr: counts.
        // E2 escalated without a date (teamleider), closed 1 May: the closing places the
        //    escalation before the peildatum: counts (1 undated, closed).
        // E3 escalated 1 Aug, after the peildatum; open then (closed 1 Sep): not escalated yet.
        // E4 escalated without a date and open on the peildatum: does not count (1 undated, open).
        // E5 escalated 1 May, open: escalated on the peildatum.
        // E6 not escalated, closed 1 Mar.
        // Closed in P: E1 E2 E6 -> geescaleerd 2 of 3 (directeur 1, teamleider 1), minnelijk 1,
        // after escalation 2. Open: E3 and E4 "in behandeling", E5 "geëscaleerd".
        let ind = run(&ESCALATIONS, "2026-H1", ymd(2026, 6, 30));
        let g = total(&ind, "geescaleerd_pct");
        assert_eq!((g.teller, g.noemer), (Some(2.0), Some(3)));
        let lv: Vec<(Option<&str>, Option<f64>)> = ind
            .by("geescaleerd_pct", "escalatie_niveau")
            .iter()
            .map(|r| (r.groep.as_deref(), r.teller))
            .collect();
        assert_eq!(
            lv,
            vec![
                (Some("directeur"), Some(1.0)),
                (Some("teamleider"), Some(1.0))
            ]
        );
        assert_eq!(total(&ind, "minnelijk_opgelost_aantal").waarde, Some(1.0));
        assert_eq!(
            total(&ind, "na_escalatie_opgelost_aantal").waarde,
            Some(2.0)
        );
        assert_eq!(
            ind.escalaties_zonder_datum,
            EscalationDates {
                zonder_datum_afgerond: 1,
                zonder_datum_open: 1
            }
        );
        assert_eq!(
            phases(&ind),
            vec![
                ("E3", "in behandeling"),
                ("E4", "in behandeling"),
                ("E5", "geëscaleerd")
            ]
        );
    }

    #[test]
    fn case_4b_with_an_earlier_peildatum_later_escalations_do_not_count() {
        // Peildatum 15 April 2026. Closed by then: E1 (1 Apr, escalated 1 Mar) and E6 (1 Mar).
        // E2 closes 1 May, after the peildatum: its undated escalation does not count yet
        // (undated open: E2 and E4 = 2). E5's escalation (1 May) lies after the peildatum.
        // geescaleerd 1 of 2 (directeur); open: E2 E3 E4 E5 all "in behandeling".
        let ind = run(&ESCALATIONS, "2026-H1", ymd(2026, 4, 15));
        let g = total(&ind, "geescaleerd_pct");
        assert_eq!((g.teller, g.noemer), (Some(1.0), Some(2)));
        assert_eq!(
            ind.escalaties_zonder_datum,
            EscalationDates {
                zonder_datum_afgerond: 0,
                zonder_datum_open: 2
            }
        );
        assert_eq!(
            phases(&ind),
            vec![
                ("E2", "in behandeling"),
                ("E3", "in behandeling"),
                ("E4", "in behandeling"),
                ("E5", "in behandeling")
            ]
        );
    }

    #[test]
    fn case_5_a_peildatum_in_the_middle_of_the_period() {
        // Period 2026-H1, peildatum 31 March 2026.
        // P1 received 10 Jan, triage 12 Jan (behandelen), closed 1 Mar (50 days).
        // P2 received 1 Feb, triage 15 Apr: on the peildatum not yet triaged.
        // P3 received 20 Mar, no triage.
        // P4 received 1 May: after the peildatum, it does not exist yet.
        // P5 received 1 Jun, triage 2 Jun (referred): after the peildatum.
        // Received: P1 P2 P3 = 3 (not 5). Triaged: P1 = 1. Closed: P1 = 1.
        // Flow: 0 + 3 = 1 (P1) + 2 (P2 P3). Cohorts: only 2026-Q1 (3 received, 2 waiting).
        // KM over the intake cohort {P1}: median 50, 1 - S(56) = 1.
        let rows = [
            "P1,2026-01-10,wijkteam,belastingdienst,invordering.uitstel,2026-01-12,behandelen,nee,,,opgelost,2026-03-01",
            "P2,2026-02-01,wijkteam,belastingdienst,invordering.uitstel,2026-04-15,behandelen,nee,,,,",
            "P3,2026-03-20,wijkteam,belastingdienst,invordering.uitstel,,,,,,,",
            "P4,2026-05-01,wijkteam,belastingdienst,invordering.uitstel,,,,,,,",
            "P5,2026-06-01,wijkteam,belastingdienst,invordering.uitstel,2026-06-02,doorverwijzen,,,,,",
        ];
        let ind = run(&rows, "2026-H1", ymd(2026, 3, 31));
        assert_eq!(total(&ind, "ontvangen_aantal").waarde, Some(3.0));
        assert_eq!(total(&ind, "triage_aantal").waarde, Some(1.0));
        assert_eq!(total(&ind, "afgerond_aantal").waarde, Some(1.0));
        let t = ind.stroom.iter().find(|f| f.dienst == "totaal").unwrap();
        assert_eq!(
            (t.open_begin, t.ontvangen, t.afgehandeld, t.open_eind),
            (0, 3, 1, 2)
        );
        let c: Vec<(&str, u64, u64)> = ind
            .cohorten
            .iter()
            .map(|c| (c.kwartaal.as_str(), c.ontvangen, c.wacht_op_triage))
            .collect();
        assert_eq!(c, vec![("2026-Q1", 3, 2)]);
        assert_eq!(total(&ind, "doorlooptijd_mediaan_dagen").waarde, Some(50.0));
        assert_eq!(total(&ind, "binnen_8_weken_pct").waarde, Some(1.0));
        // The report's tables use the same rule (Period::counts_on): 3 received.
        let p: Period = "2026-H1".parse().unwrap();
        let dates = [
            ymd(2026, 1, 10),
            ymd(2026, 2, 1),
            ymd(2026, 3, 20),
            ymd(2026, 5, 1),
            ymd(2026, 6, 1),
        ];
        assert_eq!(
            dates
                .iter()
                .filter(|d| p.counts_on(**d, ymd(2026, 3, 31)))
                .count(),
            3
        );
    }

    #[test]
    fn every_changed_definition_has_version_2_and_the_set_says_so() {
        let changed = [
            "doorlooptijd_mediaan_dagen",
            "doorlooptijd_p80_dagen",
            "binnen_8_weken_pct",
            "binnen_3_maanden_pct",
            "binnen_5_maanden_pct",
        ];
        assert_eq!(DEFINITIONS_VERSION, 2);
        for d in definition_docs() {
            let want = if changed.contains(&d.id) { 2 } else { 1 };
            assert_eq!(d.versie, want, "{}", d.id);
        }
        let ids: Vec<&str> = definitions().iter().map(|d| d.id).collect();
        assert!(!ids.contains(&"doorlooptijd_km_mediaan_dagen"));
        for secondary in [
            "afgerond_doorlooptijd_mediaan_dagen",
            "afgerond_doorlooptijd_p80_dagen",
            "afgerond_binnen_8_weken_pct",
        ] {
            assert!(ids.contains(&secondary), "{secondary}");
        }
        // The records carry the version of their definition.
        let rows = ["A,2026-01-01,wijkteam,belastingdienst,invordering.uitstel,2026-01-02,behandelen,nee,,,opgelost,2026-01-11"];
        let ind = run(&rows, "2026-H1", ymd(2026, 6, 30));
        assert_eq!(total(&ind, "binnen_8_weken_pct").versie, 2);
        assert_eq!(total(&ind, "ontvangen_aantal").versie, 1);
    }
}

#[cfg(test)]
mod properties {
    use super::fixtures::{frame, ymd};
    use super::*;
    use proptest::prelude::*;

    /// One random case: (received day, kind, triage delay, close delay, dienst); every date
    /// stays before the export date of 31 October 2026.
    /// Kinds: 0 waits for triage, 1 referred, 2 refused, 3 taken on and open, 4 taken on and
    /// closed, 5 withdrawn before triage, 6 taken on and withdrawn.
    fn row(i: usize, (day, kind, dt, dc, dienst): (i64, u8, i64, i64, u8)) -> String {
        let base = ymd(2025, 1, 1);
        let d = |n: i64| (base + chrono::Duration::days(n)).to_string();
        let dienst = ["belastingdienst", "dienst_toeslagen", ""][dienst as usize];
        let (triage, besluit, uitkomst, afgerond) = match kind {
            0 => (String::new(), "", "", String::new()),
            1 => (d(day + dt), "doorverwijzen", "", String::new()),
            2 => (d(day + dt), "niet_behandelen", "", String::new()),
            3 => (d(day + dt), "behandelen", "", String::new()),
            4 => (d(day + dt), "behandelen", "opgelost", d(day + dt + dc)),
            5 => (String::new(), "", "ingetrokken", d(day + dc)),
            _ => (d(day + dt), "behandelen", "ingetrokken", d(day + dt + dc)),
        };
        format!("C{kind}-{i},{},wijkteam,{dienst},invordering.uitstel,{triage},{besluit},,,,{uitkomst},{afgerond}", d(day))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        /// On random exports (withdrawn-before-triage cases included) every case ends somewhere:
        /// open at the start + received = handled + open at the end, per dienst and in total;
        /// the cohorts add up; and with the peildatum at the period end the open-case list is
        /// exactly "open at the end", without a case that was withdrawn by then.
        #[test]
        fn the_flow_identity_holds_and_every_case_ends(
            cases in proptest::collection::vec((0i64..450, 0u8..7, 0i64..30, 0i64..180, 0u8..3), 1..40),
            quarter in 0i32..8,
            peil_shift in -60i64..90,
        ) {
            let rows: Vec<String> = cases.iter().enumerate().map(|(i, c)| row(i, *c)).collect();
            let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
            let df = frame(&rows);
            let period = Period::quarter(2025 + quarter / 4, (quarter % 4) as u32 + 1);
            let peil = (period.end + chrono::Duration::days(peil_shift)).max(period.start);
            let ctx = Ctx { start: days(period.start), end: days(period.end), peil: days(peil) };
            let lf = as_of(&df, peil).cache();
            let stroom = flow(&lf, &ctx).unwrap();
            for f in &stroom {
                prop_assert_eq!(f.open_begin + f.ontvangen, f.afgehandeld + f.open_eind, "{:?}", f);
                prop_assert_eq!(
                    f.afgehandeld,
                    f.waarvan_bij_triage + f.waarvan_na_behandeling + f.waarvan_ingetrokken_voor_triage,
                    "{:?}", f
                );
            }
            let (parts, total): (Vec<&FlowRow>, Vec<&FlowRow>) = stroom.iter().partition(|f| f.dienst != "totaal");
            let sum = |g: fn(&FlowRow) -> u64| parts.iter().map(|f| g(f)).sum::<u64>();
            prop_assert_eq!(sum(|f| f.open_eind), total[0].open_eind);
            prop_assert_eq!(sum(|f| f.afgehandeld), total[0].afgehandeld);
            for c in cohorts(&lf, &ctx).unwrap() {
                prop_assert_eq!(
                    c.ontvangen,
                    c.niet_in_behandeling + c.ingetrokken_voor_triage + c.wacht_op_triage + c.in_behandeling_genomen,
                    "{:?}", c
                );
                prop_assert_eq!(
                    c.nog_open,
                    c.wacht_op_triage + c.in_behandeling_genomen - c.opgelost - c.anders_afgerond,
                    "{:?}", c
                );
            }
            let open = open_cases(&lf, &ctx).unwrap();
            let first = ymd(2025, 1, 1);
            for o in &open {
                // A case withdrawn before triage on or before the peildatum is never open.
                let i: usize = o.casus_id.split('-').nth(1).unwrap().parse().unwrap();
                let (day, kind, _, dc, _) = cases[i];
                let closed = first + chrono::Duration::days(day + dc);
                prop_assert!(!(kind == 5 && closed <= peil), "{} is open", o.casus_id);
            }
            if peil == period.end {
                prop_assert_eq!(open.len() as u64, total[0].open_eind);
            }
        }
    }
}
