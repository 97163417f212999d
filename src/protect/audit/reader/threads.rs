//! Each rode draad's text against its quarter table: "N casussen" is the table's total,
//! "X in de periode" the sum of the period's quarters, "Y eerder" the sum of the
//! quarters before it; a thread about one doelgroep has at most that group's count in
//! the period. A rising thread's sentence "in 2026-Q2 kwamen 9 casussen binnen" is at
//! most the quarters its last three months touch and at least those inside them; a mean
//! over the earlier quarters printed beside a hidden quarter breaks the rule that it is
//! shown only when every quarter is.
//!
//! ```
//! use rodedraad::protect::audit::counts::parse_tables;
//! use rodedraad::protect::audit::reader::{links::Published, model::Model, text::ReportText, threads::read_thread_texts};
//! let t = parse_tables(r#"[{"id": "draad-RD-1-kwartalen", "titel": "Casussen per kwartaal: D",
//!   "kolommen": ["Kwartaal", "Casussen"], "rijen": [
//!   {"kop": "2025-Q4", "cellen": [{"soort": "aantal", "onderdrukt": true}]},
//!   {"kop": "2026-Q1", "cellen": [{"soort": "aantal", "onderdrukt": true}]},
//!   {"kop": "Totaal", "totaal": true, "cellen": [{"soort": "aantal", "waarde": 7}]}]}]"#).unwrap();
//! let text = ReportText::from_markdown("r.md", "# R\nPeriode: 1 januari 2026 tot en met 30 juni 2026 · Peildatum: 30 juni 2026\n\n### D\n\n\
//!   - **Wat gaat er mis, en bij wie:** Uitleg. Casussen: 6 in de periode, . eerder.\n- **Hoe vaak:** 7 casussen, van 7 aandragers.\n");
//! let mut m = Model::default();
//! let p = Published::read(&mut m, &t);
//! read_thread_texts(&mut m, &p, &[], &text);
//! // 7 in all, 6 in the period: the 2025-Q4 quarter is 1
//! assert!(m.leaks(5).iter().any(|l| l.name.contains("2025-Q4")));
//! ```

use super::links::{quarter_end, quarter_start, Published};
use super::model::{dutch_int, Model, Var};
use super::tables::Grid;
use super::text::{between, ReportText, Span, ThreadText};
use chrono::NaiveDate;

/// The variable of a count the text of thread `label` prints.
fn text_var(text: &ReportText, id: &str, label: &str, part: &str) -> Var {
    Var::cell(
        &format!("{id} / tekst / {part}"),
        &text.file,
        &format!("rode draad '{label}', tekst ({part})"),
        &format!("de tekst van {}", text.file),
    )
}

/// See the module documentation. `groups` are the doelgroepen (row head, variable).
pub fn read_thread_texts(
    m: &mut Model,
    p: &Published,
    groups: &[(String, usize)],
    text: &ReportText,
) {
    let Some((start, end)) = text.period else {
        return;
    };
    for th in &text.threads {
        let title = format!("Casussen per kwartaal: {}", th.label);
        let Some((id, _)) = p.by_id.iter().find(|(_, t)| t.titel == title) else {
            continue;
        };
        let Some(g) = p.grids.get(id) else { continue };
        read_thread(m, g, groups, text, id, th, (start, end));
    }
}

fn read_thread(
    m: &mut Model,
    g: &Grid,
    groups: &[(String, usize)],
    text: &ReportText,
    id: &str,
    th: &ThreadText,
    (start, end): Span,
) {
    let var = |part: &str| text_var(text, id, &th.label, part);
    // "Casussen: 6 in de periode, 1 eerder."; when either is hidden the sentence says
    // so without numbers, and both are counts the reader does not see
    let (now_t, before_t) = th
        .uitleg
        .split_once("Casussen: ")
        .and_then(|(_, r)| r.split_once(" eerder"))
        .and_then(|(split, _)| split.split_once(" in de periode, "))
        .unwrap_or((".", "."));
    let now = m.text(var("in de periode"), now_t);
    let before = m.text(var("eerder"), before_t);
    let quarters: Vec<(NaiveDate, usize)> = g
        .cells
        .iter()
        .filter(|((kop, _), _)| Some(kop) != g.total_key.as_ref())
        .filter_map(|((kop, _), &c)| Some((quarter_start(kop)?, c)))
        .collect();
    let in_period: Vec<usize> = quarters
        .iter()
        .filter(|(d, _)| start <= *d && *d <= end)
        .map(|q| q.1)
        .collect();
    let earlier: Vec<usize> = quarters
        .iter()
        .filter(|(d, _)| *d < start)
        .map(|q| q.1)
        .collect();
    m.eq(now, in_period);
    m.eq(before, earlier);
    if let (Some(n), Some(total)) = (between(&th.omvang, "", " casussen"), g.total(0)) {
        let n = m.text(var("casussen"), n);
        m.eq(total, vec![n]);
    }
    read_trend_sentence(m, &var, th, g, &quarters, window_of(text));
    // "... bij ouderen ..." in a thread's explanation: its cases have that doelgroep
    let first_line = th.uitleg.to_lowercase();
    for (kop, c) in groups {
        if kop != "Overig" && first_line.contains(&format!(" bij {}", kop.to_lowercase())) {
            m.at_most(vec![now], vec![*c]);
        }
    }
}

/// The last three months a trend thread counts ("in de laatste drie maanden", or the
/// quarter it names): up to the end of the period or the printed peildatum, not before
/// the period's start.
fn window_of(text: &ReportText) -> Span {
    let (start, end) = text.period.unwrap_or_default();
    let end = text.peildatum.map_or(end, |p| p.min(end));
    ((end - chrono::Duration::days(90)).max(start), end)
}

/// A trend thread's sentence "In 2026-Q2 kwamen 9 casussen binnen", and a mean or
/// expected count over the earlier quarters ("tegen gemiddeld 3,5 per kwartaal ervoor",
/// "7,2 te verwachten waren") printed beside a hidden quarter.
fn read_trend_sentence(
    m: &mut Model,
    var: &dyn Fn(&str) -> Var,
    th: &ThreadText,
    g: &Grid,
    quarters: &[(NaiveDate, usize)],
    (start, end): Span,
) {
    let line = th.uitleg.as_str();
    let Some(a) = between(line, "kwamen ", " casussen binnen") else {
        return;
    };
    if dutch_int(a).is_some() {
        let a = m.text(var("laatste drie maanden"), a);
        let touching: Vec<usize> = quarters
            .iter()
            .filter(|(s, _)| *s <= end && quarter_end(*s) >= start)
            .map(|q| q.1)
            .collect();
        let inside: Vec<usize> = quarters
            .iter()
            .filter(|(s, _)| start <= *s && quarter_end(*s) <= end)
            .map(|q| q.1)
            .collect();
        m.at_most(vec![a], touching);
        if !inside.is_empty() {
            m.at_most(inside, vec![a]);
        }
    }
    let mean = between(line, "tegen gemiddeld ", " per kwartaal")
        .or_else(|| between(line, "instroom ", " te verwachten"));
    let any_hidden = g
        .cells
        .iter()
        .any(|((kop, _), &c)| Some(kop) != g.total_key.as_ref() && m.hidden[c]);
    if let Some(mean) = mean {
        if mean.trim() != "minder" && any_hidden {
            m.rule(
                var("gemiddelde"),
                format!("{mean} naast verborgen kwartalen"),
            );
        }
    }
}
