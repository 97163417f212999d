//! The reader as attacker on a whole published report, with only its public files.
//!
//! What a careful reader of a report knows is one system of counts: every cell of the
//! figure list `tabellen.json` (shown, or unknown where hidden) and every count the
//! report's printed definitions and text tie to them. This module builds that system
//! from the public files alone, independently of how the protection stage made the
//! report, and attacks it with the protection stage's LP and integer attackers
//! ([`crate::protect::suppress::attack_system`],
//! [`crate::protect::suppress::attack_system_integer`]). The links, one module per family:
//! - [`tables`]: each table's own sums (total row, total column, hierarchy) and the key
//!   figures' bases ("31 van 36", the complement) with their shown percentages;
//! - [`links`]: the flow balance, headline totals against the tables' totals, the intake
//!   per dienst as the flow table's "Ontvangen", the intake per quarter against the
//!   period (and the previous one), the cohorts against the quarters, the definitions
//!   between key figures (oplossing = volledig + deels = minnelijk + na escalatie;
//!   withdrawn = afgerond − noemer van oplossing; escalation levels), warm transfers, the
//!   doelgroepen as inequalities;
//! - [`targets`]: the yearly targets against the triage "Behandelen" decisions (also
//!   over two periods) and their realisation percentages;
//! - [`threads`]: each rode draad's text ("N casussen", "X in de periode, Y eerder", the
//!   trend sentence) against its quarter table, and its doelgroep;
//! - [`text`]: what the reader takes from the Markdown (or HTML) report: period,
//!   peildatum, previous period, thread texts.
//!
//! A hidden count is safe when its interval is at least `min_cel` wide or its lower
//! bound is at least `min_cel` (the reader learns only that it is not small). Where the
//! integer attacker runs out of its node budget the cell is judged on the whole-number
//! points it found, so it is never passed silently.
//!
//! ```no_run
//! use rodedraad::protect::audit::reader::attack_report;
//! let leaks = attack_report(std::path::Path::new("reports/demo/kamerrapportage-2026-H1"), 5).unwrap();
//! for l in &leaks {
//!     println!("{} ({}): {:?}", l.file, l.place, l.kind);
//! }
//! ```

pub mod links;
pub mod model;
pub mod releases;
pub mod tables;
pub mod targets;
pub mod text;
pub mod threads;

use super::counts::{parse_tables, FigTable};
use super::{Finding, FindingKind, FIGURE_LIST};
use links::Published;
use model::{Leak, LeakKind, Model};
use std::path::Path;
use text::ReportText;

/// The report text beside the figure list: the Markdown report, else the HTML one.
/// `Err` when the file is there but cannot be read.
fn report_text(dir: &Path) -> Result<Option<ReportText>, String> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("map niet te lezen: {e}"))?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    let ext = |p: &Path| {
        p.extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_lowercase()
    };
    for want in [&["md"][..], &["html", "htm"][..]] {
        let Some(p) = files.iter().find(|p| want.contains(&ext(p).as_str())) else {
            continue;
        };
        let bytes = std::fs::read(p).map_err(|e| format!("niet te lezen: {e}"))?;
        let src = super::normalise::decode_bytes(&bytes)?;
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        return Ok(Some(if want[0] == "md" {
            ReportText::from_markdown(&name, &src)
        } else {
            ReportText::from_html(&name, &src)
        }));
    }
    Ok(None)
}

/// Builds the reader's model of the report whose figure list is `tables` and whose
/// text is `text`. `Err` says what the reader needs but cannot find.
pub fn build_model(tables: &[FigTable], text: Option<&ReportText>) -> Result<Model, String> {
    let mut m = Model::default();
    read_into(&mut m, tables, text)?;
    Ok(m)
}

/// What [`read_into`] placed in the model: each count table's grid and the key figures
/// (for links between two reports, [`releases`]).
pub struct Reading {
    pub grids: std::collections::BTreeMap<String, tables::Grid>,
    pub key: tables::KeyFigures,
}

/// Reads the report whose figure list is `tables` and whose text is `text` into `m`
/// (see [`build_model`]).
pub fn read_into(
    m: &mut Model,
    tables: &[FigTable],
    text: Option<&ReportText>,
) -> Result<Reading, String> {
    let p = Published::read(m, tables);
    let reading = Reading {
        grids: p
            .grids
            .iter()
            .map(|(id, g)| (id.to_string(), g.clone()))
            .collect(),
        key: p.key.clone(),
    };
    p.flow_balance(m);
    p.headline_totals(m);
    p.table_links(m);
    p.warm_transfers(m);
    p.key_definitions(m);
    let groups = p.doelgroepen(m);
    if !p.needs_period() {
        return Ok(reading);
    }
    let has_threads = tables.iter().any(|t| links::is_thread_table(&t.id));
    let none = ReportText::default();
    let text = match text {
        Some(t) => t,
        None if has_threads => {
            return Err(
                "het rapport heeft geen Markdown- of HTML-tekst naast de cijferlijst; de teksten van de rode draden zijn niet te lezen"
                    .into(),
            )
        }
        None => &none,
    };
    let key_title = tables
        .iter()
        .find(|t| t.id == "kerncijfers")
        .map_or("", |t| t.titel.as_str());
    // the period as the text prints it, else as the key table's title names it
    let titled_period = key_title
        .strip_prefix("Kerncijfers ")
        .map(|r| r.split(" (vorige periode: ").next().unwrap_or(r))
        .and_then(text::span_of_title);
    let Some(period) = text.period.or(titled_period) else {
        return Err(format!(
            "de periode (\"Periode: ... tot en met ...\") is niet te lezen in {}",
            if text.file.is_empty() {
                FIGURE_LIST
            } else {
                &text.file
            }
        ));
    };
    // the previous period as the text or the key table's title names it, else by its kind
    let titled = text::between(key_title, "(vorige periode: ", ")").and_then(text::span_of_title);
    let Some(previous) = text
        .previous
        .or(titled)
        .or_else(|| text::previous_of(period))
    else {
        return Err(format!(
            "de vorige periode is niet te bepalen uit {}",
            text.file
        ));
    };
    p.quarters(m, period, previous);
    if p.by_id.contains_key("doelrealisatie") {
        let Some(reference_date) = text.peildatum else {
            return Err(format!(
                "de peildatum (\"Peildatum: ...\") is niet te lezen in {}; de voortgang op de jaardoelen is niet na te rekenen",
                text.file
            ));
        };
        targets::read_targets(m, &p, period, previous, reference_date);
    }
    let text = ReportText {
        period: Some(period),
        ..text.clone()
    };
    threads::read_thread_texts(m, &p, &groups, &text);
    // a thread table whose label the text names has its text there, read whole: else
    // the text's counts are not linked to it (a text that names no thread prints none)
    let without_text = tables.iter().find(|t| {
        let Some(label) = t.titel.strip_prefix("Casussen per kwartaal: ") else {
            return links::is_thread_table(&t.id);
        };
        links::is_thread_table(&t.id)
            && text.body.contains(label)
            && !text
                .threads
                .iter()
                .any(|th| th.label == label && !th.uitleg.is_empty() && !th.omvang.is_empty())
    });
    if let Some(t) = without_text {
        return Err(format!(
            "de tabel {} hoort bij een rode draad waarvan de tekst niet (helemaal) te lezen is in {}",
            t.id, text.file
        ));
    }
    Ok(reading)
}

/// The reader's whole attack on the report in `dir`: every leak it finds. `Err` when
/// the model cannot be built (no figure list, no report text where it is needed).
pub fn attack_report(dir: &Path, min_cel: u64) -> Result<Vec<Leak>, String> {
    let list = std::fs::read(dir.join(FIGURE_LIST))
        .map_err(|e| format!("de cijferlijst is niet te lezen: {e}"))?;
    let tables = parse_tables(&String::from_utf8_lossy(&list))?;
    let text = report_text(dir)?;
    Ok(build_model(&tables, text.as_ref())?.leaks(min_cel))
}

/// A leak as the audit's finding: file, place and kind, never the value.
fn finding(l: &Leak, min_cel: u64) -> Finding {
    let with = if l.linked.is_empty() {
        "met de definities en sommen van het rapport".to_string()
    } else {
        let names: Vec<String> = l
            .linked
            .iter()
            .take(4)
            .map(|s| match s.strip_prefix("tabel ") {
                Some(id) => format!("de gekoppelde tabel {id}"),
                None => s.clone(),
            })
            .collect();
        let more = if l.linked.len() > 4 { " en meer" } else { "" };
        format!("samen met {}{more}", names.join(", "))
    };
    let (soort, melding) = match l.kind {
        LeakKind::Exact => (
            FindingKind::Recomputable,
            format!("verborgen cel is {with} terug te rekenen"),
        ),
        LeakKind::Narrow => (
            FindingKind::TooNarrow,
            format!("verborgen cel is {with} te begrenzen tot minder dan {min_cel} mogelijke waarden"),
        ),
        LeakKind::Contradiction => (
            FindingKind::Unreadable,
            "de cijfers van het rapport en zijn definities sluiten niet op elkaar aan; de kleine aantallen zijn niet na te rekenen".into(),
        ),
        LeakKind::Rule => (
            FindingKind::StatisticBesideHidden,
            "een gemiddelde over de kwartalen staat naast verborgen kwartalen".into(),
        ),
    };
    Finding {
        bestand: l.file.clone(),
        soort,
        plek: l.place.clone(),
        melding,
    }
}

/// The audit's findings for the report folder `dir` (whose figure list is `tables`):
/// each leak once (per file and place), a model that cannot be built as one finding on
/// the figure list (`list_name`, its name in the audit).
pub fn audit_report(
    dir: &Path,
    list_name: &str,
    tables: &[FigTable],
    min_cel: u64,
) -> Vec<Finding> {
    let model = report_text(dir).and_then(|text| build_model(tables, text.as_ref()));
    let prefix = Path::new(list_name)
        .parent()
        .map(|p| p.to_string_lossy().into_owned())
        .filter(|p| !p.is_empty());
    let in_dir = |file: &str| match &prefix {
        Some(d) => format!("{d}/{file}"),
        None => file.to_string(),
    };
    let m = match model {
        Ok(m) => m,
        Err(why) => {
            return vec![Finding {
                bestand: list_name.into(),
                soort: FindingKind::Unreadable,
                plek: "model van de lezer".into(),
                melding: why,
            }]
        }
    };
    let mut out: Vec<Finding> = Vec::new();
    for l in m.leaks(min_cel) {
        let mut f = finding(&l, min_cel);
        f.bestand = in_dir(&f.bestand);
        if !out
            .iter()
            .any(|g| g.bestand == f.bestand && g.plek == f.plek)
        {
            out.push(f);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tables(src: &str) -> Vec<FigTable> {
        parse_tables(src).unwrap()
    }

    /// Intake per dienst (A hidden, B hidden, total 33) and the flow table (received: A
    /// hidden, B `b`, total hidden): each safe alone, together A = 33 - b.
    fn linked_pair(b: &str) -> Vec<FigTable> {
        let b_cell = if b == "." {
            r#"{"soort": "aantal", "onderdrukt": true}"#.to_string()
        } else {
            format!(r#"{{"soort": "aantal", "waarde": {b}}}"#)
        };
        tables(&format!(
            r#"[{{"id": "instroom-dienst", "kolommen": ["Dienst", "Nu"], "rijen": [
              {{"kop": "A", "cellen": [{{"soort": "aantal", "onderdrukt": true}}]}},
              {{"kop": "B", "cellen": [{{"soort": "aantal", "onderdrukt": true}}]}},
              {{"kop": "Totaal", "totaal": true, "cellen": [{{"soort": "aantal", "waarde": 33}}]}}]}},
             {{"id": "stroom", "kolommen": ["Dienst", "Open", "Ontvangen"], "rijen": [
              {{"kop": "A", "cellen": [{{"soort": "aantal", "waarde": 10}}, {{"soort": "aantal", "onderdrukt": true}}]}},
              {{"kop": "B", "cellen": [{{"soort": "aantal", "waarde": 5}}, {b_cell}]}},
              {{"kop": "Totaal", "totaal": true, "cellen": [{{"soort": "aantal", "waarde": 15}}, {{"soort": "aantal", "onderdrukt": true}}]}}]}}]"#
        ))
    }

    fn leak_places(t: &[FigTable]) -> Vec<(String, LeakKind)> {
        let m = build_model(t, None).unwrap();
        let mut out: Vec<(String, LeakKind)> =
            m.leaks(5).into_iter().map(|l| (l.place, l.kind)).collect();
        out.dedup();
        out
    }

    #[test]
    fn linked_tables_are_attacked_together() {
        let found = leak_places(&linked_pair("30"));
        assert!(
            found.contains(&(
                "tabel instroom-dienst, rij 1 (A), kolom 2 (Nu)".into(),
                LeakKind::Exact
            )),
            "{found:?}"
        );
        assert!(found
            .iter()
            .any(|(p, _)| p == "tabel stroom, rij 1 (A), kolom 3 (Ontvangen)"));
        // B large enough: A = 33 - 28 = 5 is not small
        assert!(leak_places(&linked_pair("28")).is_empty());
        // B hidden in both tables: nothing links A to a shown figure
        assert!(leak_places(&linked_pair(".")).is_empty());
    }

    #[test]
    fn the_headline_total_links_the_intake_tables() {
        // the intake per theme hides A and its total; the key figure "Ontvangen casussen"
        // (33) is that total by definition, so A = 33 - 30
        let t = |received: u64| {
            tables(&format!(
                r#"[{{"id": "kerncijfers", "kolommen": ["Indicator", "Waarde", "Basis"], "rijen": [
                  {{"kop": "Ontvangen casussen", "cellen": [{{"soort": "aantal", "tekst": "{received}", "waarde": {received}}}, {{"soort": "tekst", "tekst": ""}}]}}]}},
                 {{"id": "instroom-thema", "kolommen": ["Thema", "Aantal"], "rijen": [
                  {{"kop": "A", "cellen": [{{"soort": "aantal", "onderdrukt": true}}]}},
                  {{"kop": "B", "cellen": [{{"soort": "aantal", "waarde": 30}}]}},
                  {{"kop": "Totaal", "totaal": true, "cellen": [{{"soort": "aantal", "onderdrukt": true}}]}}]}}]"#
            ))
        };
        let found = leak_places(&t(33));
        assert!(
            found.contains(&(
                "tabel instroom-thema, rij 1 (A), kolom 2 (Aantal)".into(),
                LeakKind::Exact
            )),
            "{found:?}"
        );
        assert!(leak_places(&t(40)).is_empty());
    }

    #[test]
    fn a_link_whose_shown_cells_disagree_is_left_out() {
        // B is 29 in one table and 30 in the other: not the figure the definition names
        let mut t = linked_pair("30");
        t[0].rijen[1].cellen[0].onderdrukt = false;
        t[0].rijen[1].cellen[0].waarde = Some(29.0);
        let found = leak_places(&t);
        // A = 33 - 29 in its own table, but nothing through the flow table and no
        // contradiction
        assert!(
            !found
                .iter()
                .any(|(p, k)| p.starts_with("tabel stroom") || *k == LeakKind::Contradiction),
            "{found:?}"
        );
        assert!(found
            .iter()
            .any(|(p, _)| p.starts_with("tabel instroom-dienst, rij 1 (A)")));
    }

    #[test]
    fn a_report_that_needs_its_text_fails_closed_without_it() {
        let t = tables(
            r#"[{"id": "instroom-kwartaal", "kolommen": ["Kwartaal", "Totaal"], "rijen": [
              {"kop": "2026-Q1", "cellen": [{"soort": "aantal", "waarde": 12}]}]}]"#,
        );
        // no period anywhere
        assert!(build_model(&t, None).is_err());
        let no_period = ReportText::from_markdown("r.md", "# Rapport\n");
        assert!(build_model(&t, Some(&no_period)).is_err());
        let text = ReportText::from_markdown(
            "r.md",
            "# R\nPeriode: 1 januari 2026 tot en met 31 maart 2026 · Peildatum: 31 maart 2026\n",
        );
        assert!(build_model(&t, Some(&text)).is_ok());
        // the period named in the key table's title serves when the text has none
        let mut with_key = t.clone();
        with_key.extend(tables(
            r#"[{"id": "kerncijfers", "titel": "Kerncijfers eerste kwartaal 2026", "kolommen": ["Indicator", "Waarde"], "rijen": []}]"#,
        ));
        assert!(build_model(&with_key, Some(&no_period)).is_ok());
        // a thread table whose text names the thread but cannot be read, or without text
        let t = tables(
            r#"[{"id": "draad-RD-1-kwartalen", "titel": "Casussen per kwartaal: Draad over toeslagen", "kolommen": ["Kwartaal", "Casussen"], "rijen": [
              {"kop": "2026-Q1", "cellen": [{"soort": "aantal", "waarde": 12}]}]}]"#,
        );
        assert!(build_model(&t, None).is_err());
        let named = ReportText::from_markdown(
            "r.md",
            "# R\nPeriode: 1 januari 2026 tot en met 31 maart 2026 · Peildatum: 31 maart 2026\n\nDraad over toeslagen: 12 casussen.\n",
        );
        assert!(build_model(&t, Some(&named)).is_err());
        // a text that names no thread prints none of their counts
        assert!(build_model(&t, Some(&text)).is_ok());
        // a target table needs the peildatum
        let t = tables(
            r#"[{"id": "doelrealisatie", "kolommen": ["Dienst", "Genomen", "Jaardoel", "Realisatie"], "rijen": []}]"#,
        );
        let no_date = ReportText::from_markdown(
            "r.md",
            "# R\nPeriode: 1 januari 2026 tot en met 31 maart 2026\n",
        );
        assert!(build_model(&t, Some(&no_date)).is_err());
        assert!(build_model(&t, Some(&text)).is_ok());
    }

    #[test]
    fn the_html_report_reads_as_the_markdown_one() {
        let html = "<html><body><h1>R</h1><p>Periode: 1 januari 2026 tot en met 30 juni 2026 · Peildatum: 31 oktober 2026</p>\
            <p>Naast elk cijfer staat het cijfer over de vorige periode (tweede halfjaar 2025).</p>\
            <h2>3. Rode draden</h2><h3 id=\"draad-RD-1\">Toeslagen &amp; ouders</h3><dl>\
            <dt>Wat gaat er mis, en bij wie</dt><dd>Uitleg bij ouders. Casussen: 6 in de periode, 1 eerder.</dd>\
            <dt>Hoe vaak</dt><dd>7 casussen, van 6 aandragers.</dd></dl><h2>4. Verder</h2></body></html>";
        let md = "# R\n\nPeriode: 1 januari 2026 tot en met 30 juni 2026 · Peildatum: 31 oktober 2026\n\n\
            Naast elk cijfer staat het cijfer over de vorige periode (tweede halfjaar 2025).\n\n## 3. Rode draden\n\n\
            ### Toeslagen & ouders\n\n- **Wat gaat er mis, en bij wie:** Uitleg bij ouders. Casussen: 6 in de periode, 1 eerder.\n\
            - **Hoe vaak:** 7 casussen, van 6 aandragers.\n\n## 4. Verder\n";
        let (h, m) = (
            ReportText::from_html("r.html", html),
            ReportText::from_markdown("r.md", md),
        );
        for t in [&h, &m] {
            assert_eq!(t.threads.len(), 1, "{t:?}");
            assert_eq!(t.threads[0].label, "Toeslagen & ouders");
            assert!(t.threads[0].uitleg.ends_with("6 in de periode, 1 eerder."));
            assert_eq!(t.threads[0].omvang, "7 casussen, van 6 aandragers.");
            assert_eq!(t.period, m.period);
            assert_eq!(t.peildatum, m.peildatum);
            assert_eq!(
                t.previous.map(|p| p.0.to_string()),
                Some("2025-07-01".into())
            );
        }
    }

    #[test]
    fn previous_periods_follow_the_kind_of_period() {
        let d = |s: &str| s.parse::<chrono::NaiveDate>().unwrap();
        let prev = |a: &str, b: &str| {
            text::previous_of((d(a), d(b))).map(|(x, y)| (x.to_string(), y.to_string()))
        };
        let s = |a: &str, b: &str| Some((a.to_string(), b.to_string()));
        assert_eq!(
            prev("2026-01-01", "2026-06-30"),
            s("2025-07-01", "2025-12-31")
        );
        assert_eq!(
            prev("2026-07-01", "2026-09-30"),
            s("2026-04-01", "2026-06-30")
        );
        assert_eq!(
            prev("2026-01-01", "2026-12-31"),
            s("2025-01-01", "2025-12-31")
        );
        assert_eq!(
            prev("2026-01-11", "2026-01-20"),
            s("2026-01-01", "2026-01-10")
        );
        assert_eq!(
            links::quarters_of((d("2026-01-01"), d("2026-06-30"))),
            Some(vec!["2026-Q1".to_string(), "2026-Q2".to_string()])
        );
        assert_eq!(links::quarters_of((d("2026-01-01"), d("2026-05-31"))), None);
    }
}
