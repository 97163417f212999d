//! The free text of the cases as a report may print it: cleaned of personal data when it
//! is first read, not all of it up front.
//!
//! A report prints little case text: the stories and the support of the labels of the
//! rode draden it publishes (their summaries), and the lessons of the cases closed in the
//! period. [`Texts`] cleans a text when one of those asks for it (one scan per distinct
//! text) and logs every hit once per case and field, so protecting a report costs the
//! text it can print, not the size of the export. [`Texts::scan_all`] scans every field of
//! every case anyway: for `--strikt`, which stops at personal data anywhere in the input,
//! and for the internal report, which lists every hit.
//!
//! ```text
//! let texts = Texts::new(&scrubber);
//! let story = texts.summary(case); // None: withheld (or no summary)
//! log.persoonsgegevens.extend(texts.into_log());
//! ```

use crate::model::Case;
use crate::protect::pii::PiiKind;
use crate::protect::{PiiLogEntry, Scrubber, TextMode};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

/// A text as cleaned: `None` when withheld, and the kinds of personal data found.
type Cleaned = (Option<String>, Vec<PiiKind>);

/// Case texts cleaned on first use, with the log of what was found (see the module docs).
pub(super) struct Texts<'a> {
    scrubber: &'a Scrubber,
    /// Per distinct text: the cleaned text (`None` when withheld) and the kinds found.
    cleaned: RefCell<HashMap<&'a str, Cleaned>>,
    /// The (case, field) pairs already logged.
    logged: RefCell<HashSet<(&'a str, &'static str)>>,
    log: RefCell<Vec<PiiLogEntry>>,
}

impl<'a> Texts<'a> {
    pub fn new(scrubber: &'a Scrubber) -> Texts<'a> {
        Texts {
            scrubber,
            cleaned: RefCell::new(HashMap::new()),
            logged: RefCell::new(HashSet::new()),
            log: RefCell::new(Vec::new()),
        }
    }

    /// Whether a text with personal data is withheld whole (not masked): then a cleaned
    /// text is the text itself or nothing.
    pub fn omits(&self) -> bool {
        self.scrubber.mode == TextMode::Omit
    }

    /// The case's summary as it may be printed.
    pub fn summary(&self, c: &'a Case) -> Option<String> {
        self.field(c, "samenvatting", c.samenvatting.as_deref())
    }

    /// The case's lesson learned as it may be printed.
    pub fn lesson(&self, c: &'a Case) -> Option<String> {
        self.field(c, "geleerde_les", c.geleerde_les.as_deref())
    }

    /// Scans (and logs) every free-text field of every case, in case order.
    pub fn scan_all(&self, cases: &'a [Case]) {
        for c in cases {
            self.summary(c);
            self.lesson(c);
            self.field(c, "doorverwezen_naar", c.doorverwezen_naar.as_deref());
        }
    }

    /// The hits, once per case and field, in the order they were found.
    pub fn into_log(self) -> Vec<PiiLogEntry> {
        self.log.into_inner()
    }

    fn field(&self, c: &'a Case, veld: &'static str, text: Option<&'a str>) -> Option<String> {
        let text = text?;
        let (out, kinds) = self
            .cleaned
            .borrow_mut()
            .entry(text)
            .or_insert_with(|| self.scrubber.clean(text))
            .clone();
        if !kinds.is_empty() && self.logged.borrow_mut().insert((c.casus_id.as_str(), veld)) {
            let mut log = self.log.borrow_mut();
            for k in kinds {
                log.push(PiiLogEntry {
                    bron: "casussen".into(),
                    id: c.casus_id.clone(),
                    veld: veld.into(),
                    soort: k,
                    waarschuwing: k.is_warning_only(),
                });
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(id: &str, summary: &str, lesson: &str) -> Case {
        Case {
            casus_id: id.into(),
            samenvatting: Some(summary.into()),
            geleerde_les: Some(lesson.into()),
            ..Case::default()
        }
    }

    #[test]
    fn texts_are_cleaned_when_read_and_logged_once() {
        let scrubber = Scrubber::new(TextMode::Omit, Default::default());
        let cases = vec![
            case("C1", "Bel 06-12345678 voor info.", "Vroeg contact helpt."),
            case("C2", "Bel 06-12345678 voor info.", "Vroeg contact helpt."),
        ];
        let texts = Texts::new(&scrubber);
        // withheld, and logged for each case that has it, once
        assert_eq!(texts.summary(&cases[0]), None);
        assert_eq!(texts.summary(&cases[0]), None);
        assert_eq!(texts.summary(&cases[1]), None);
        assert_eq!(
            texts.lesson(&cases[1]).as_deref(),
            Some("Vroeg contact helpt.")
        );
        let log = texts.into_log();
        assert_eq!(log.len(), 2);
        assert_eq!(
            (log[0].id.as_str(), log[0].veld.as_str()),
            ("C1", "samenvatting")
        );
        assert_eq!(log[1].id, "C2");
        // what is never read is not scanned: a full scan finds the same two (the lesson is
        // clean), in case order
        let texts = Texts::new(&scrubber);
        texts.scan_all(&cases);
        let all = texts.into_log();
        assert_eq!(all, log);
    }

    #[test]
    fn masking_keeps_the_text() {
        let scrubber = Scrubber::new(TextMode::Mask, Default::default());
        let c = case("C1", "Bel 06-12345678 voor info.", "");
        let texts = Texts::new(&scrubber);
        let s = texts.summary(&c).unwrap();
        assert!(!s.contains("12345678"), "{s}");
        assert_eq!(texts.into_log().len(), 1);
    }
}
