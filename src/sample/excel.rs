//! The Excel-style variant of the sample: the files as a spreadsheet user saves them from
//! Excel (Dutch headers and values, dd-mm-jjjj, `Ja`/`Nee`, lists joined with `, `) and the
//! `rodedraad.toml` that maps them back to the canonical model.
//!
//! ```ignore
//! let cells = excel_record(&case_record(&case), CASE_SPECS);
//! let mapping = mapping_toml();
//! ```

use chrono::NaiveDate;

/// Code -> Dutch label.
pub(super) type Labels = &'static [(&'static str, &'static str)];

/// How a column is shown in the spreadsheet.
#[derive(Clone, Copy)]
enum Kind {
    Plain,
    Date,
    Bool,
    Code(Labels),
    Multi(Labels),
    MultiPlain,
}

/// A column: canonical name, spreadsheet header and how its values are shown.
pub(super) struct ColSpec {
    col: &'static str,
    header: &'static str,
    kind: Kind,
}

const fn spec(col: &'static str, header: &'static str, kind: Kind) -> ColSpec {
    ColSpec { col, header, kind }
}

pub(super) const HELPER_TYPE_LABELS: Labels = &[
    ("sociaal_raadslieden", "Sociaal raadslieden"),
    ("schuldhulpverlening", "Schuldhulpverlening"),
    ("maatschappelijk_werk", "Maatschappelijk werk"),
    ("wijkteam", "Wijkteam"),
    ("juridisch_loket", "Juridisch Loket"),
    ("belastingadviseur", "Belastingadviseur"),
    ("ouderenorganisatie", "Ouderenorganisatie"),
    ("vakbond", "Vakbond"),
    ("belastingdienst", "Belastingdienst (medewerker)"),
    ("dienst_toeslagen", "Dienst Toeslagen (medewerker)"),
    ("ibtd", "IBTD"),
    ("nationale_ombudsman", "Nationale ombudsman"),
    ("burger_zelf", "Burger/ondernemer zelf"),
    ("overig", "Overig"),
];

const SERVICE_LABELS: Labels = &[
    ("belastingdienst", "Belastingdienst"),
    ("dienst_toeslagen", "Dienst Toeslagen"),
    ("beide", "Beide diensten"),
    ("douane", "Douane"),
    ("anders", "Andere organisatie"),
];

pub(super) const THEME_LABELS: Labels = &[
    ("toeslagen.terugvordering", "Toeslagen - terugvordering"),
    ("toeslagen.voorschot", "Toeslagen - voorschot"),
    (
        "toeslagen.partner_samenloop",
        "Toeslagen - toeslagpartner/samenloop",
    ),
    ("toeslagen.niet_gebruik", "Toeslagen - niet-gebruik"),
    ("toeslagen.kinderopvang", "Toeslagen - kinderopvangtoeslag"),
    (
        "toeslagen.herstel",
        "Toeslagen - herstel kinderopvangtoeslag",
    ),
    ("toeslagen.bewijsstukken", "Toeslagen - bewijsstukken"),
    (
        "invordering.betalingsregeling",
        "Invordering - betalingsregeling",
    ),
    (
        "invordering.beslag_bestaansminimum",
        "Invordering - beslag onder bestaansminimum",
    ),
    ("invordering.verrekening", "Invordering - verrekening"),
    ("invordering.kwijtschelding", "Invordering - kwijtschelding"),
    (
        "invordering.dwangbevel_kosten",
        "Invordering - dwangbevel en kosten",
    ),
    ("invordering.uitstel", "Invordering - uitstel van betaling"),
    ("inkomstenbelasting.aangifte_fout", "IB - fout in aangifte"),
    ("inkomstenbelasting.box3", "IB - box 3"),
    ("inkomstenbelasting.navordering", "IB - navordering"),
    (
        "inkomstenbelasting.voorlopige_aanslag",
        "IB - voorlopige aanslag",
    ),
    ("ondernemers.btw", "Ondernemers - btw"),
    ("ondernemers.loonheffing", "Ondernemers - loonheffing"),
    ("ondernemers.boete", "Ondernemers - boete"),
    (
        "ondernemers.uitstel_coronaschuld",
        "Ondernemers - coronaschuld/uitstel",
    ),
    ("ondernemers.zzp_status", "Ondernemers - zzp-status"),
    (
        "dienstverlening.bereikbaarheid",
        "Dienstverlening - bereikbaarheid",
    ),
    (
        "dienstverlening.brieven_jargon",
        "Dienstverlening - brieven en jargon",
    ),
    (
        "dienstverlening.kastje_muur",
        "Dienstverlening - van het kastje naar de muur",
    ),
    (
        "dienstverlening.digid_machtiging",
        "Dienstverlening - DigiD/machtigen",
    ),
    (
        "dienstverlening.doorlooptijd",
        "Dienstverlening - doorlooptijd",
    ),
    (
        "rechtsbescherming.termijnoverschrijding",
        "Rechtsbescherming - termijnoverschrijding",
    ),
    (
        "rechtsbescherming.hardheid",
        "Rechtsbescherming - hardheid van regels",
    ),
    (
        "rechtsbescherming.fraudestempel",
        "Rechtsbescherming - onterecht fraudestempel",
    ),
    (
        "rechtsbescherming.risicoselectie",
        "Rechtsbescherming - risicoselectie",
    ),
    ("douane.invoer", "Douane - invoer"),
    ("douane.vergunning", "Douane - vergunning"),
    ("overig.overig", "Overig"),
];

pub(super) const SCHEME_LABELS: Labels = &[
    ("huurtoeslag", "Huurtoeslag"),
    ("zorgtoeslag", "Zorgtoeslag"),
    ("kinderopvangtoeslag", "Kinderopvangtoeslag"),
    ("kindgebonden_budget", "Kindgebonden budget"),
    ("inkomstenbelasting", "Inkomstenbelasting"),
    ("btw", "Omzetbelasting (btw)"),
    ("loonheffingen", "Loonheffingen"),
    ("vennootschapsbelasting", "Vennootschapsbelasting"),
    ("motorrijtuigenbelasting", "Motorrijtuigenbelasting"),
    ("erf_schenkbelasting", "Erf- en schenkbelasting"),
    ("douane", "Douane"),
    ("overig", "Overig"),
];

pub(super) const TARGET_GROUP_LABELS: Labels = &[
    ("particulier", "Particulier"),
    ("zzp", "Zzp'er"),
    ("mkb", "Mkb"),
    ("ouderen", "Ouderen"),
    ("jongeren", "Jongeren"),
    ("gezin_met_kinderen", "Gezin met kinderen"),
    ("alleenstaande_ouder", "Alleenstaande ouder"),
    ("schulden", "Schulden"),
    ("laaggeletterd", "Laaggeletterd"),
    ("nieuwkomer", "Nieuwkomer"),
    ("beperking", "Beperking"),
    ("gedupeerde_herstel", "Gedupeerde (hersteloperatie)"),
    ("buitenland", "Woont in buitenland"),
    ("mantelzorger", "Mantelzorger"),
];

pub(super) const LIFE_EVENT_LABELS: Labels = &[
    ("scheiding", "Scheiding"),
    ("overlijden_partner", "Overlijden partner"),
    ("achttien_worden", "18 worden"),
    ("werkloos", "Werkloos geworden"),
    ("ziekte_arbeidsongeschikt", "Ziekte/arbeidsongeschiktheid"),
    ("start_onderneming", "Start onderneming"),
    ("stop_onderneming", "Stoppen met onderneming"),
    ("verhuizing_buitenland", "Verhuizing naar buitenland"),
    ("opname_zorginstelling", "Opname zorginstelling"),
    ("pensioen", "Pensioen/AOW"),
    ("geen", "Geen"),
];

const DECISION_LABELS: Labels = &[
    ("behandelen", "Behandelen"),
    ("doorverwijzen", "Doorverwijzen"),
    ("niet_behandelen", "Niet behandelen"),
];

const REFERRAL_LABELS: Labels = &[
    ("gemeente", "Gemeente"),
    ("juridisch_loket", "Het Juridisch Loket"),
    ("schuldhulpverlening", "Schuldhulpverlening gemeente"),
    ("belastingdienst", "Belastingdienst (reguliere route)"),
    ("dienst_toeslagen", "Dienst Toeslagen (reguliere route)"),
    ("uwv", "UWV"),
    ("svb", "SVB"),
    ("nationale_ombudsman", "Nationale ombudsman"),
    ("advocatuur", "Advocaat/rechtsbijstand"),
    ("douane", "Douane"),
];

const RESPONSE_LABELS: Labels = &[
    ("overgenomen", "Overgenomen"),
    ("deels_overgenomen", "Deels overgenomen"),
    ("niet_overgenomen", "Niet overgenomen"),
    ("geen_reactie", "Geen reactie ontvangen"),
];

const LEVEL_LABELS: Labels = &[
    ("teamleider", "Teamleider"),
    ("directeur", "Directeur"),
    ("directeur_generaal", "Directeur-generaal"),
];

const OUTCOME_LABELS: Labels = &[
    ("opgelost", "Opgelost"),
    ("deels_opgelost", "Deels opgelost"),
    ("niet_opgelost", "Niet opgelost"),
    ("ingetrokken", "Ingetrokken"),
    ("lopend", "Loopt nog"),
];

const SOURCE_LABELS: Labels = &[
    ("eigen_casuistiek", "Eigen casuïstiek"),
    ("ksm", "KSM"),
    ("ibtd", "IBTD"),
    ("maatschappelijke_partner", "Maatschappelijke partner"),
    ("belastingdienst", "Belastingdienst"),
    ("dienst_toeslagen", "Dienst Toeslagen"),
    ("nationale_ombudsman", "Nationale ombudsman"),
];

const STATUS_LABELS: Labels = &[
    ("nieuw", "Nieuw"),
    ("in_analyse", "In analyse"),
    ("doorgezet", "Doorgezet"),
    ("in_behandeling", "In behandeling bij ontvanger"),
    ("opgepakt", "Opgepakt"),
    ("niet_opgepakt", "Niet opgepakt"),
    ("afgerond", "Afgerond"),
];

const RECIPIENT_LABELS: Labels = &[
    ("ibtd", "IBTD"),
    ("ksm", "KSM Belastingdienst"),
    ("belastingdienst", "Belastingdienst"),
    ("dienst_toeslagen", "Dienst Toeslagen"),
    ("ministerie", "Ministerie van Financiën"),
    ("wetgever", "Wetgever"),
];

// The three columns cases and signals share, written the same way in both sheets.
const THEME_SPEC: ColSpec = spec("thema", "Thema", Kind::Code(THEME_LABELS));
const SCHEME_SPEC: ColSpec = spec("regeling", "Regeling", Kind::Code(SCHEME_LABELS));
const TARGET_GROUP_SPEC: ColSpec = spec(
    "doelgroep",
    "Doelgroep(en)",
    Kind::Multi(TARGET_GROUP_LABELS),
);

pub(super) const CASE_SPECS: &[ColSpec] = &[
    spec("casus_id", "Casusnummer", Kind::Plain),
    spec("ontvangen_op", "Datum ontvangen", Kind::Date),
    spec(
        "aandrager_type",
        "Type aandrager",
        Kind::Code(HELPER_TYPE_LABELS),
    ),
    spec("aandrager_id", "Organisatie aandrager", Kind::Plain),
    spec("dienst", "Dienst", Kind::Code(SERVICE_LABELS)),
    THEME_SPEC,
    SCHEME_SPEC,
    TARGET_GROUP_SPEC,
    spec(
        "levensgebeurtenis",
        "Levensgebeurtenis",
        Kind::Code(LIFE_EVENT_LABELS),
    ),
    spec("complexiteit", "Complexiteit", Kind::Plain),
    spec("spoed", "Spoed", Kind::Bool),
    spec("triage_op", "Datum triage", Kind::Date),
    spec(
        "triage_besluit",
        "Triagebesluit",
        Kind::Code(DECISION_LABELS),
    ),
    spec("warm_doorverwezen", "Warm doorverwezen", Kind::Bool),
    spec(
        "doorverwezen_naar",
        "Doorverwezen naar",
        Kind::Code(REFERRAL_LABELS),
    ),
    spec("zienswijze_op", "Datum zienswijze", Kind::Date),
    spec(
        "zienswijze_reactie",
        "Reactie op zienswijze",
        Kind::Code(RESPONSE_LABELS),
    ),
    spec("geescaleerd", "Geëscaleerd", Kind::Bool),
    spec("geescaleerd_op", "Datum escalatie", Kind::Date),
    spec(
        "escalatie_niveau",
        "Escalatieniveau",
        Kind::Code(LEVEL_LABELS),
    ),
    spec("pauzeknop", "Pauzeknop ingezet", Kind::Bool),
    spec("uitkomst", "Uitkomst", Kind::Code(OUTCOME_LABELS)),
    spec("afgerond_op", "Datum afgerond", Kind::Date),
    spec("beleving_burger", "Beleving burger (1-10)", Kind::Plain),
    spec(
        "beleving_eerstelijnshelper",
        "Beleving eerstelijnshelper (1-10)",
        Kind::Plain,
    ),
    spec(
        "beleving_helper_dienst",
        "Beleving helper dienst (1-10)",
        Kind::Plain,
    ),
    spec("geleerde_les", "Geleerde les", Kind::Plain),
    spec("samenvatting", "Samenvatting", Kind::Plain),
    spec("verhaal_vrijgegeven", "Verhaal vrijgegeven", Kind::Bool),
];

pub(super) const SIGNAL_SPECS: &[ColSpec] = &[
    spec("signaal_id", "Signaalnummer", Kind::Plain),
    spec("gemeld_op", "Datum melding", Kind::Date),
    spec("bron", "Bron", Kind::Code(SOURCE_LABELS)),
    THEME_SPEC,
    SCHEME_SPEC,
    TARGET_GROUP_SPEC,
    spec("omschrijving", "Omschrijving", Kind::Plain),
    spec("casus_ids", "Gekoppelde casussen", Kind::MultiPlain),
    spec("status", "Status", Kind::Code(STATUS_LABELS)),
    spec(
        "doorgezet_naar",
        "Doorgezet naar",
        Kind::Code(RECIPIENT_LABELS),
    ),
    spec("doorgezet_op", "Datum doorgezet", Kind::Date),
    spec("eigenaar", "Signaaleigenaar", Kind::Plain),
    spec("reactie_verwacht_op", "Reactie verwacht op", Kind::Date),
    spec("terugkoppeling", "Terugkoppeling", Kind::Plain),
    spec("terugkoppeling_op", "Datum terugkoppeling", Kind::Date),
];

/// The label of a code; an unknown code stays as it is.
fn label(table: Labels, code: &str) -> String {
    table
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| l.to_string())
        .unwrap_or_else(|| code.to_string())
}

/// Canonical cells -> the cells as the spreadsheet shows them.
pub(super) fn excel_record(canonical: &[String], specs: &[ColSpec]) -> Vec<String> {
    canonical
        .iter()
        .zip(specs)
        .map(|(v, s)| {
            if v.is_empty() {
                return String::new();
            }
            match s.kind {
                Kind::Plain => v.clone(),
                Kind::Date => NaiveDate::parse_from_str(v, "%Y-%m-%d")
                    .map(|d| d.format("%d-%m-%Y").to_string())
                    .unwrap_or_else(|_| v.clone()),
                Kind::Bool => if v == "ja" { "Ja" } else { "Nee" }.to_string(),
                Kind::Code(t) => label(t, v),
                Kind::Multi(t) => v
                    .split('|')
                    .map(|x| label(t, x))
                    .collect::<Vec<_>>()
                    .join(", "),
                Kind::MultiPlain => v.split('|').collect::<Vec<_>>().join(", "),
            }
        })
        .collect()
}

/// A TOML basic string.
fn toml_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The columns, multi-valued columns and value labels of one file.
fn mapping_section(out: &mut String, file: &str, specs: &[ColSpec]) {
    out.push_str(&format!("\n[{file}.kolommen]\n"));
    for s in specs {
        out.push_str(&format!("{} = {}\n", toml_str(s.header), toml_str(s.col)));
    }
    out.push_str(&format!("\n[{file}.meerwaardig]\n"));
    for s in specs {
        if matches!(s.kind, Kind::Multi(_) | Kind::MultiPlain) {
            out.push_str(&format!("{} = \",\"\n", s.col));
        }
    }
    for s in specs {
        match s.kind {
            Kind::Code(t) | Kind::Multi(t) => {
                out.push_str(&format!("\n[{file}.waarden.{}]\n", s.col));
                for (code, lab) in t {
                    out.push_str(&format!("{} = {}\n", toml_str(lab), toml_str(code)));
                }
            }
            Kind::Bool => {
                out.push_str(&format!(
                    "\n[{file}.waarden.{}]\n\"Ja\" = \"ja\"\n\"Nee\" = \"nee\"\n",
                    s.col
                ));
            }
            _ => {}
        }
    }
}

/// The `rodedraad.toml` that maps the Excel-style files back to the canonical model.
pub(super) fn mapping_toml() -> String {
    let mut out = String::from(
        "# Koppeling van de Excel-export (casussen.csv, signalen.csv) aan het canonieke model.\n\
         # Gemaakt door de voorbeeldgenerator van rodedraad.\n\n\
         [invoer]\n\
         scheidingsteken = \";\"\n\
         codering = \"windows-1252\"\n\
         datumformaten = [\"%d-%m-%Y\"]\n",
    );
    mapping_section(&mut out, "casussen", CASE_SPECS);
    mapping_section(&mut out, "signalen", SIGNAL_SPECS);
    out
}

/// The spreadsheet headers of the columns.
pub(super) fn headers(specs: &[ColSpec]) -> Vec<&'static str> {
    specs.iter().map(|s| s.header).collect()
}

/// The codes of a label table.
#[cfg(test)]
pub(super) fn codes(t: Labels) -> Vec<&'static str> {
    t.iter().map(|x| x.0).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CASE_COLUMNS, SIGNAL_COLUMNS};
    use crate::sample::tests::{opts, tmp_dir};
    use crate::sample::{generate, write_canonical, write_excel_style};
    use std::collections::BTreeSet;

    fn read_csv(text: &str, delim: u8) -> (Vec<String>, Vec<Vec<String>>) {
        let mut r = csv::ReaderBuilder::new()
            .delimiter(delim)
            .from_reader(text.as_bytes());
        let h = r.headers().unwrap().iter().map(str::to_string).collect();
        let rows = r
            .records()
            .map(|x| x.unwrap().iter().map(str::to_string).collect())
            .collect();
        (h, rows)
    }

    /// Maps an Excel-style file back with the mapping file (exact keys) and compares it
    /// with the canonical file, cell by cell.
    fn round_trip(
        excel: &[u8],
        canonical: &str,
        map: &toml::Value,
        file: &str,
        columns: &[&str],
    ) -> usize {
        let (text, _, bad) = encoding_rs::WINDOWS_1252.decode(excel);
        assert!(!bad);
        let (eh, erows) = read_csv(&text, b';');
        let (ch, crows) = read_csv(canonical, b',');
        assert_eq!(ch, columns);
        let kolommen = map[file]["kolommen"].as_table().unwrap();
        let meer = map[file]["meerwaardig"].as_table().unwrap();
        let waarden = map[file]["waarden"].as_table().unwrap();
        let fmt = map["invoer"]["datumformaten"][0].as_str().unwrap();
        let canon_of: Vec<&str> = eh
            .iter()
            .map(|h| kolommen[h.as_str()].as_str().unwrap())
            .collect();
        assert_eq!(kolommen.len(), eh.len(), "every header is mapped");
        assert_eq!(erows.len(), crows.len());
        let mut cells = 0;
        for (er, cr) in erows.iter().zip(&crows) {
            for (j, col) in canon_of.iter().enumerate() {
                let raw = &er[j];
                let map_one = |v: &str| -> String {
                    match waarden.get(*col) {
                        Some(t) => t
                            .get(v)
                            .unwrap_or_else(|| panic!("{file}.{col}: value {v:?} not in mapping"))
                            .as_str()
                            .unwrap()
                            .to_string(),
                        None => v.to_string(),
                    }
                };
                let got = if raw.is_empty() {
                    String::new()
                } else if let Some(sep) = meer.get(*col) {
                    raw.split(sep.as_str().unwrap())
                        .map(|v| map_one(v.trim()))
                        .collect::<Vec<_>>()
                        .join("|")
                } else if col.ends_with("_op") {
                    NaiveDate::parse_from_str(raw, fmt)
                        .unwrap()
                        .format("%Y-%m-%d")
                        .to_string()
                } else {
                    map_one(raw)
                };
                let k = columns.iter().position(|c| c == col).unwrap();
                assert_eq!(got, cr[k], "{file}.{col}");
                cells += 1;
            }
        }
        cells
    }

    #[test]
    fn excel_style_round_trips_through_the_mapping() {
        let data = generate(&opts(21, Some(3_000), true));
        let dir = tmp_dir("excel");
        write_canonical(&data, &dir.join("canon")).unwrap();
        write_excel_style(&data, &dir.join("excel")).unwrap();
        let map: toml::Value =
            toml::from_str(&std::fs::read_to_string(dir.join("excel/rodedraad.toml")).unwrap())
                .unwrap();
        assert_eq!(map["invoer"]["scheidingsteken"].as_str(), Some(";"));
        assert_eq!(map["invoer"]["codering"].as_str(), Some("windows-1252"));
        let ex_cases = std::fs::read(dir.join("excel/casussen.csv")).unwrap();
        let ex_signals = std::fs::read(dir.join("excel/signalen.csv")).unwrap();
        let n = round_trip(
            &ex_cases,
            &std::fs::read_to_string(dir.join("canon/casussen.csv")).unwrap(),
            &map,
            "casussen",
            CASE_COLUMNS,
        );
        assert_eq!(n, 3_000 * 29);
        let n = round_trip(
            &ex_signals,
            &std::fs::read_to_string(dir.join("canon/signalen.csv")).unwrap(),
            &map,
            "signalen",
            SIGNAL_COLUMNS,
        );
        assert_eq!(n, data.signals.len() * 15);
        // Bytes: no BOM, CRLF everywhere, Windows-1252 e-diaeresis (0xEB) in "Geëscaleerd".
        assert_ne!(&ex_cases[..3], b"\xEF\xBB\xBF");
        let header_end = ex_cases.windows(2).position(|w| w == b"\r\n").unwrap();
        let header = &ex_cases[..header_end];
        assert!(header.windows(11).any(|w| w == b"Ge\xEBscaleerd"));
        assert!(header.starts_with(
            b"Casusnummer;Datum ontvangen;Type aandrager;Organisatie aandrager;Dienst;Thema;"
        ));
        for bytes in [&ex_cases, &ex_signals] {
            let lf = bytes.iter().filter(|&&b| b == b'\n').count();
            let crlf = bytes.windows(2).filter(|w| w == b"\r\n").count();
            assert_eq!(lf, crlf);
        }
        assert!(ex_signals.windows(16).any(|w| w == b"Eigen casu\xEFstiek"));
        let text = encoding_rs::WINDOWS_1252.decode(&ex_cases).0;
        assert!(
            text.contains(";Deels overgenomen;")
                && text.contains(";Ja;")
                && text.contains("Sociaal raadslieden")
        );
        assert!(text.contains("Directeur-generaal") && text.contains("beëindigd"));
        let first_row = text.lines().nth(1).unwrap();
        assert!(
            first_row.split(';').nth(1).unwrap().len() == 10
                && first_row.split(';').nth(1).unwrap().as_bytes()[2] == b'-'
        );
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn mapping_labels_are_unique_after_normalisation() {
        // The main crate matches ignoring case, spaces, diacritics, '-' and '_'.
        fn norm(s: &str) -> String {
            s.chars()
                .filter(|c| !matches!(c, ' ' | '-' | '_'))
                .map(|c| match c {
                    'ë' | 'é' | 'è' | 'ê' => 'e',
                    'ï' | 'í' => 'i',
                    c => c,
                })
                .flat_map(char::to_lowercase)
                .collect()
        }
        for specs in [CASE_SPECS, SIGNAL_SPECS] {
            let headers: BTreeSet<String> = specs.iter().map(|s| norm(s.header)).collect();
            assert_eq!(headers.len(), specs.len());
            for s in specs {
                if let Kind::Code(t) | Kind::Multi(t) = s.kind {
                    let labels: BTreeSet<String> = t.iter().map(|x| norm(x.1)).collect();
                    assert_eq!(labels.len(), t.len(), "{}", s.col);
                    assert!(t.iter().all(|x| !x.1.contains(',') && !x.1.contains(';')));
                }
            }
        }
        let cols: Vec<&str> = CASE_SPECS.iter().map(|s| s.col).collect();
        assert_eq!(cols, CASE_COLUMNS);
        let cols: Vec<&str> = SIGNAL_SPECS.iter().map(|s| s.col).collect();
        assert_eq!(cols, SIGNAL_COLUMNS);
    }
}
