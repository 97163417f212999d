//! The indicator definitions: one [`Def`] per figure (names, numerator, denominator, period
//! rule, version) with the polars expression that computes it, and the Dutch documentation
//! generated from them (`definities.json`, docs/indicatoren.md).
//!
//! ```
//! let defs = rodedraad::analyse::indicators::definitions();
//! assert!(defs.iter().any(|d| d.id == "oplossing_pct"));
//! ```

use polars::prelude::*;
use serde::Serialize;

/// Version of the definition set as a whole (bumped when any definition changes).
pub const DEFINITIONS_VERSION: u32 = 2;

pub(super) const SOLVED: [&str; 2] = ["opgelost", "deels_opgelost"];
pub(super) const ADVICE_JUDGED: [&str; 3] =
    ["overgenomen", "deels_overgenomen", "niet_overgenomen"];
pub(super) const ADVICE_ADOPTED: [&str; 2] = ["overgenomen", "deels_overgenomen"];

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
    pub name: &'static str,
    pub description: &'static str,
    pub numerator: &'static str,
    pub denominator: &'static str,
    pub exclusions: &'static str,
    pub period_rule: &'static str,
    pub version: u32,
    pub unit: Unit,
    pub group: &'static str,
    pub breakdowns: &'static [Breakdown],
    pub measure: fn(&Ctx) -> Measure,
}

/// Period bounds as polars day numbers.
pub struct Ctx {
    pub start: i32,
    pub end: i32,
    pub reference_date: i32,
}

impl Ctx {
    pub(super) fn in_p(&self, c: &str) -> Expr {
        col(c)
            .gt_eq(lit(self.start))
            .and(col(c).lt_eq(lit(self.end)))
            .fill_null(lit(false))
    }
    pub(super) fn closed(&self) -> Expr {
        col("behandelen").and(self.in_p("afgerond_op"))
    }
    /// The period's intake cohort of treated cases: received in P and taken on.
    pub(super) fn intake(&self) -> Expr {
        col("behandelen").and(self.in_p("ontvangen_op"))
    }
    pub(super) fn km(&self, stat: KmStat) -> Measure {
        Measure::KaplanMeier {
            filter: self.intake(),
            stat,
        }
    }
}

pub(super) fn is_in(c: &str, values: &[&str]) -> Expr {
    let s = Series::new("v".into(), values);
    col(c)
        .is_in(lit(s).implode(false), false)
        .fill_null(lit(false))
}

pub(super) fn flag(c: &str) -> Expr {
    col(c).fill_null(lit(false))
}

macro_rules! def {
    (versie $versie:literal; $($rest:tt)*) => {
        Def { version: $versie, ..def!($($rest)*) }
    };
    ($id:expr, $naam:expr, $oms:expr, $teller:expr, $noemer:expr, $uit:expr, $regel:expr, $eenheid:expr, $groep:expr, $bd:expr, $m:expr) => {
        Def {
            id: $id,
            name: $naam,
            description: $oms,
            numerator: $teller,
            denominator: $noemer,
            exclusions: $uit,
            period_rule: $regel,
            version: 1,
            unit: $eenheid,
            group: $groep,
            breakdowns: $bd,
            measure: $m,
        }
    };
}

pub(super) const CLOSED_RULE: &str = "afgerond in P: triage_besluit behandelen en afgerond_op in P";
pub(super) const INTAKE_RULE: &str = "ontvangen in P en in behandeling genomen; open casussen gecensureerd op de peildatum (Kaplan-Meier)";
pub(super) const INTAKE_DEN: &str = "behandelen, ontvangen_op in P";
pub(super) const KM_TIME: &str =
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
            naam: d.name,
            omschrijving: d.description,
            teller: d.numerator,
            noemer: d.denominator,
            uitsluitingen: d.exclusions,
            periode_regel: d.period_rule,
            versie: d.version,
            eenheid: d.unit,
            groep: d.group,
            uitsplitsingen: d
                .breakdowns
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
         Dit bestand wordt gemaakt uit de code (`src/analyse/indicators/definitions.rs`); een test bewaakt dat het\n\
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
        if d.group != group {
            group = d.group;
            s.push_str(&format!("## {group}\n\n"));
        }
        s.push_str(&format!(
            "### {} (`{}`, versie {})\n\n{}\n\n",
            d.name, d.id, d.version, d.description
        ));
        s.push_str(&format!(
            "- Teller: {}\n- Noemer: {}\n- Uitsluitingen: {}\n- Periode: {}\n",
            d.numerator, d.denominator, d.exclusions, d.period_rule
        ));
        if !d.breakdowns.is_empty() {
            let b: Vec<&str> = d
                .breakdowns
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
