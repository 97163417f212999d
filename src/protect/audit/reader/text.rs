//! The report's text as the reader uses it: the period and peildatum on its first lines,
//! the previous period the tables compare with, and per rode draad its heading, its
//! explanation ("Wat gaat er mis, en bij wie") and its size ("Hoe vaak"). Read from the
//! Markdown report, or from the HTML report brought to the same shape.
//!
//! ```
//! use rodedraad::protect::audit::reader::text::ReportText;
//! let md = "# R\nPeriode: 1 januari 2026 tot en met 30 juni 2026 · Peildatum: 31 oktober 2026\n\n### Draad\n\n\
//!           - **Wat gaat er mis, en bij wie:** Uitleg.\n- **Hoe vaak:** 7 casussen, van 6 aandragers.\n";
//! let t = ReportText::from_markdown("rapport.md", md);
//! assert_eq!(t.period.unwrap().0.to_string(), "2026-01-01");
//! assert_eq!(t.peildatum.unwrap().to_string(), "2026-10-31");
//! assert_eq!(t.threads[0].label, "Draad");
//! assert!(t.threads[0].omvang.starts_with("7 casussen"));
//! ```

use crate::protect::audit::normalise::decode_entities;
use chrono::{Datelike, NaiveDate};
use regex::Regex;
use std::sync::LazyLock;

/// A period as its first and last day.
pub type Span = (NaiveDate, NaiveDate);

/// One rode draad as printed.
#[derive(Debug, Clone, Default)]
pub struct ThreadText {
    pub label: String,
    /// The explanation ("Wat gaat er mis, en bij wie"), one line.
    pub uitleg: String,
    /// The size ("7 casussen, van 6 aandragers.").
    pub omvang: String,
}

/// What the reader takes from the report's text.
#[derive(Debug, Clone, Default)]
pub struct ReportText {
    /// The file it was read from.
    pub file: String,
    pub period: Option<Span>,
    pub peildatum: Option<NaiveDate>,
    /// The previous period when the text names it ("de vorige periode (tweede halfjaar 2025)").
    pub previous: Option<Span>,
    pub threads: Vec<ThreadText>,
    /// The whole text as read (Markdown, or HTML brought to its shape).
    pub body: String,
}

/// A Dutch date as printed: "30 juni 2026".
fn date_at(words: &[&str]) -> Option<NaiveDate> {
    let day: u32 = words.first()?.parse().ok()?;
    let name = *words.get(1)?;
    let month = crate::nl::MONTHS.iter().position(|m| *m == name)? as u32 + 1;
    let year: i32 = words
        .get(2)?
        .trim_end_matches(|c: char| !c.is_ascii_digit())
        .parse()
        .ok()?;
    NaiveDate::from_ymd_opt(year, month, day)
}

/// The date after `marker` in `text`.
fn date_after(text: &str, marker: &str) -> Option<NaiveDate> {
    let rest = text.split(marker).nth(1)?;
    let words: Vec<&str> = rest.split_whitespace().take(3).collect();
    date_at(&words)
}

/// "1 januari 2026 tot en met 30 juni 2026" at the start of `s`.
fn date_range(s: &str) -> Option<Span> {
    let (a, b) = s.split_once(" tot en met ")?;
    let a: Vec<&str> = a.split_whitespace().collect();
    let b: Vec<&str> = b.split_whitespace().take(3).collect();
    Some((date_at(a.get(a.len().checked_sub(3)?..)?)?, date_at(&b)?))
}

fn month_end(y: i32, m: u32) -> Option<NaiveDate> {
    let next = if m == 12 {
        NaiveDate::from_ymd_opt(y + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(y, m + 1, 1)
    };
    next?.pred_opt()
}

/// A period's title as the report prints it: "eerste halfjaar 2026", "derde kwartaal
/// 2026", "2025", or a date range.
pub fn span_of_title(t: &str) -> Option<Span> {
    let t = t.trim();
    if let Some(s) = date_range(t) {
        return Some(s);
    }
    let words: Vec<&str> = t.split_whitespace().collect();
    let year: i32 = words.last()?.parse().ok()?;
    let ord = ["eerste", "tweede", "derde", "vierde"];
    let (m0, m1) = match words.as_slice() {
        [_] => (1, 12),
        [o, "halfjaar", _] => {
            let h = ord[..2].iter().position(|x| x == o)? as u32;
            (6 * h + 1, 6 * h + 6)
        }
        [o, "kwartaal", _] => {
            let q = ord.iter().position(|x| x == o)? as u32;
            (3 * q + 1, 3 * q + 3)
        }
        _ => return None,
    };
    Some((NaiveDate::from_ymd_opt(year, m0, 1)?, month_end(year, m1)?))
}

/// The period before `p`: the previous year, half year or quarter when `p` is one, else
/// the same number of days just before it.
pub fn previous_of(p: Span) -> Option<Span> {
    let (s, e) = p;
    let whole_months = s.day() == 1 && month_end(e.year(), e.month()) == Some(e);
    let months = (e.year() - s.year()) * 12 + e.month() as i32 - s.month() as i32 + 1;
    let aligned = whole_months && (s.month0() as i32) % months.max(1) == 0;
    if aligned && matches!(months, 3 | 6 | 12) {
        let start_index = s.year() * 12 + s.month0() as i32 - months;
        let end_index = start_index + months - 1;
        let ps = NaiveDate::from_ymd_opt(
            start_index.div_euclid(12),
            start_index.rem_euclid(12) as u32 + 1,
            1,
        )?;
        let pe = month_end(
            end_index.div_euclid(12),
            end_index.rem_euclid(12) as u32 + 1,
        )?;
        return Some((ps, pe));
    }
    let len = (e - s).num_days();
    let pe = s.pred_opt()?;
    Some((pe - chrono::Duration::days(len), pe))
}

/// Removes Markdown's backslash escapes ("\*" -> "*").
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek().is_some_and(|n| n.is_ascii_punctuation()) {
            continue;
        }
        out.push(c);
    }
    out
}

/// The text between `before` and `after` in `s`.
pub fn between<'a>(s: &'a str, before: &str, after: &str) -> Option<&'a str> {
    let rest = &s[s.find(before)? + before.len()..];
    Some(&rest[..rest.find(after)?])
}

static HTML_BLOCKS: LazyLock<[(Regex, &'static str); 6]> = LazyLock::new(|| {
    [
        (Regex::new(r"(?is)<h2\b[^>]*>").unwrap(), "\n## "),
        (Regex::new(r"(?is)<h3\b[^>]*>").unwrap(), "\n### "),
        (Regex::new(r"(?is)<dt\b[^>]*>").unwrap(), "\n- **"),
        (Regex::new(r"(?is)</dt>\s*<dd\b[^>]*>").unwrap(), ":** "),
        (
            Regex::new(r"(?is)</?(?:h[1-6]|p|dd|dl|li|ul|ol|tr|table|div|section|br|figure|header|footer|main|article|blockquote)\b[^>]*>").unwrap(),
            "\n",
        ),
        (Regex::new(r"(?is)<!--.*?-->|<(?:script|style)\b.*?</(?:script|style)>|<[^>]*>").unwrap(), ""),
    ]
});

impl ReportText {
    /// The text of a Markdown report.
    pub fn from_markdown(file: &str, md: &str) -> ReportText {
        let md = md.replace("\r\n", "\n");
        let first = md
            .lines()
            .find(|l| l.contains("Periode: "))
            .map(unescape)
            .unwrap_or_default();
        let period = first
            .split("Periode: ")
            .nth(1)
            .and_then(|r| date_range(r.split(" · ").next().unwrap_or(r)));
        let peildatum = date_after(&first, "Peildatum: ");
        let previous = md
            .split("over de vorige periode (")
            .nth(1)
            .and_then(|r| r.split(')').next())
            .and_then(span_of_title);
        let threads = md
            .split("\n### ")
            .skip(1)
            .filter_map(|s| {
                let (head, body) = s.split_once('\n')?;
                let body = body.split("\n## ").next().unwrap_or(body);
                let line = |marker: &str| {
                    body.lines()
                        .find_map(|l| l.split_once(marker).map(|(_, r)| unescape(r.trim())))
                        .unwrap_or_default()
                };
                Some(ThreadText {
                    label: unescape(head.trim()),
                    uitleg: line("**Wat gaat er mis, en bij wie:**"),
                    omvang: line("**Hoe vaak:**"),
                })
            })
            .collect();
        ReportText {
            file: file.into(),
            period,
            peildatum,
            previous,
            threads,
            body: unescape(&md),
        }
    }

    /// The text of an HTML report, brought to the shape of the Markdown one (headings,
    /// "- **term:** description" lines) and read the same way.
    pub fn from_html(file: &str, html: &str) -> ReportText {
        let mut s = html.replace("\r\n", "\n");
        for (re, to) in HTML_BLOCKS.iter() {
            s = re.replace_all(&s, *to).into_owned();
        }
        let lines: Vec<String> = s
            .lines()
            .map(|l| {
                decode_entities(l)
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        // an escaped '*' or '\' in the text must not read as Markdown
        let md = lines
            .iter()
            .map(|l| {
                if l.starts_with("- **") || l.starts_with("## ") || l.starts_with("### ") {
                    l.clone()
                } else {
                    l.replace('\\', "\\\\")
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        let mut t = ReportText::from_markdown(file, &format!("\n{md}"));
        t.file = file.into();
        t
    }
}
