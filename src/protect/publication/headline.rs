//! The headline figures protected as one linked system.
//!
//! The key-figure table, the tiles on page one, the summary sentences, the funnel chart
//! and the escalation table all show counts of the same cases: a share's numerator and
//! denominator (and so its complement), "oplossing gevonden" = "volledig" + "deels" =
//! "minnelijk" + "na escalatie", "afgerond" = the denominator of the solution share +
//! the withdrawn cases, "geëscaleerd" = the sum over escalation levels. Protected one
//! figure at a time, a reader subtracts two shown figures and finds a hidden count. Here
//! every such figure, for this period and the previous one, is a cell of one
//! [`LinkedSystem`](crate::protect::suppress::LinkedSystem); the identities between them
//! are its equations, each shown percentage a ratio the attacker may use. Cells that are
//! never printed but can be derived (a complement, the withdrawn cases, escalations of
//! unknown level) are ordinary cells: when they are small the optimiser hides enough
//! around them. [`Headline::protect`] runs it once; the renderers read the released
//! cells.
//!
//! ```
//! use rodedraad::protect::publication::headline::{Headline, HeadlineInput, Figure};
//! use rodedraad::protect::tables::{Audience, Protector};
//! // 40 closed, 37 with a solution (3 without: too few to show).
//! let input = HeadlineInput {
//!     figures: vec![
//!         Figure::count("afgerond_aantal", 40, None),
//!         Figure::share("oplossing_pct", 37, 40, None),
//!     ],
//!     links: vec![],
//!     escalation_levels: vec![],
//! };
//! let p = Protector::new(Audience::Parliament, 5, 10, false);
//! let h = Headline::protect(&input, &p);
//! assert!(h.value("oplossing_pct", false).onderdrukt);
//! assert!(!h.value("afgerond_aantal", false).onderdrukt);
//! ```

use crate::nl;
use crate::protect::suppress::{CellRef, CellStatus, SystemBuilder};
use crate::protect::tables::{CellKind, Protector, PubCell};
use std::collections::BTreeMap;

/// One headline figure with its counts in this period and (optionally) the previous one.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub id: String,
    pub kind: FigureKind,
    pub now: Counts,
    pub previous: Option<Counts>,
}

/// What a figure is, which decides what of it a reader sees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FigureKind {
    /// A count, shown on its own.
    Count,
    /// A percentage `num / den` shown with one decimal, beside "num van den".
    Share,
    /// A statistic (median, mean) with its number of cases `den` shown as "n = den",
    /// printed with `decimals` decimals and `unit` after it.
    Statistic { decimals: usize, unit: &'static str },
    /// An estimated share (Kaplan-Meier) over `den` cases, of which `num` were seen
    /// closing: shown as a percentage under the share rule, with "n = den".
    EstimatedShare,
}

/// The counts behind a figure in one period, and the statistic's value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Counts {
    pub num: u64,
    pub den: u64,
    pub value: Option<f64>,
}

impl Figure {
    pub fn count(id: &str, v: u64, previous: Option<u64>) -> Figure {
        let c = |v| Counts {
            num: v,
            den: 0,
            value: Some(v as f64),
        };
        Figure {
            id: id.into(),
            kind: FigureKind::Count,
            now: c(v),
            previous: previous.map(c),
        }
    }

    pub fn share(id: &str, num: u64, den: u64, previous: Option<(u64, u64)>) -> Figure {
        let c = |(num, den): (u64, u64)| Counts {
            num,
            den,
            value: (den > 0).then(|| num as f64 / den as f64),
        };
        Figure {
            id: id.into(),
            kind: FigureKind::Share,
            now: c((num, den)),
            previous: previous.map(c),
        }
    }
}

/// An identity between figures, declared by the caller. A link whose counts do not
/// hold (a definition changed) is left out: it would make the system contradict itself.
#[derive(Debug, Clone, PartialEq)]
pub enum Link {
    /// Two parts of figures are the same count (same population).
    Same(Part, Part),
    /// `total = sum(parts)`.
    Sum(Part, Vec<Part>),
    /// `total = sum(parts) + a hidden-but-derivable rest` named by the string (the
    /// withdrawn cases, say): the rest is protected like any count.
    SumWithRest(Part, Vec<Part>, String),
}

/// The numerator or denominator of a figure (a count's value is its numerator).
#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    Num(String),
    Den(String),
}

/// Everything the headline system is built from.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HeadlineInput {
    pub figures: Vec<Figure>,
    pub links: Vec<Link>,
    /// Escalated cases per level (this period), summing to the numerator of
    /// `geescaleerd_pct`; `onbekend` included when present.
    pub escalation_levels: Vec<(String, u64)>,
}

/// The released cells of every headline figure.
#[derive(Debug, Clone, Default)]
pub struct Headline {
    cells: BTreeMap<(String, bool), Released>,
    escalation: Vec<(String, PubCell)>,
}

#[derive(Debug, Clone)]
struct Released {
    value: PubCell,
    num: PubCell,
    den: PubCell,
}

/// The system cells of one figure in one period.
#[derive(Debug, Clone, Copy)]
struct Slots {
    num: CellRef,
    den: Option<CellRef>,
    ratio: Option<usize>,
}

impl Headline {
    /// Protects all figures together and returns what may be shown.
    pub fn protect(input: &HeadlineInput, p: &Protector) -> Headline {
        let mut b = SystemBuilder::new();
        let mut slots: BTreeMap<(String, bool), Slots> = BTreeMap::new();
        for f in &input.figures {
            for (prev, counts) in [(false, Some(f.now)), (true, f.previous)] {
                let Some(c) = counts else { continue };
                slots.insert((f.id.clone(), prev), add_figure(&mut b, f, c, prev));
            }
        }
        let esc: Vec<CellRef> = input
            .escalation_levels
            .iter()
            .map(|(l, v)| b.add_figure(&format!("escalatie:{l}"), *v))
            .collect();
        let value_of = |f: &Figure, prev: bool, part: &Part| -> Option<u64> {
            let c = if prev { f.previous? } else { f.now };
            Some(match part {
                Part::Num(_) => c.num,
                Part::Den(_) => c.den,
            })
        };
        let find = |part: &Part| -> Option<&Figure> {
            let id = match part {
                Part::Num(id) | Part::Den(id) => id,
            };
            input.figures.iter().find(|f| &f.id == id)
        };
        let cell = |slots: &BTreeMap<(String, bool), Slots>, part: &Part, prev: bool| {
            let (id, num) = match part {
                Part::Num(id) => (id, true),
                Part::Den(id) => (id, false),
            };
            let s = slots.get(&(id.clone(), prev))?;
            if num {
                Some(s.num)
            } else {
                s.den
            }
        };
        for prev in [false, true] {
            for link in &input.links {
                let parts: Vec<&Part> = match link {
                    Link::Same(a, c) => vec![a, c],
                    Link::Sum(t, ps) | Link::SumWithRest(t, ps, _) => {
                        std::iter::once(t).chain(ps.iter()).collect()
                    }
                };
                let values: Option<Vec<u64>> = parts
                    .iter()
                    .map(|pt| find(pt).and_then(|f| value_of(f, prev, pt)))
                    .collect();
                let refs: Option<Vec<CellRef>> =
                    parts.iter().map(|pt| cell(&slots, pt, prev)).collect();
                let (Some(values), Some(refs)) = (values, refs) else {
                    continue;
                };
                match link {
                    Link::Same(..) if values[0] == values[1] => b.same(refs[0], refs[1]),
                    Link::Sum(..) if values[0] == values[1..].iter().sum::<u64>() => {
                        b.equation(refs[0], &refs[1..])
                    }
                    Link::SumWithRest(_, _, name) => {
                        let parts: u64 = values[1..].iter().sum();
                        if let Some(rest) = values[0].checked_sub(parts) {
                            let r = b.add_figure(&format!("{name}:{prev}"), rest);
                            let mut all = refs[1..].to_vec();
                            all.push(r);
                            b.equation(refs[0], &all);
                        }
                    }
                    _ => {}
                }
            }
        }
        if let Some(s) = slots.get(&("geescaleerd_pct".to_string(), false)) {
            let total: u64 = input.escalation_levels.iter().map(|x| x.1).sum();
            let num = input
                .figures
                .iter()
                .find(|f| f.id == "geescaleerd_pct")
                .map(|f| f.now.num);
            if !esc.is_empty() && num == Some(total) {
                b.equation(s.num, &esc);
            }
        }
        release(input, p, b, &slots, &esc)
    }

    /// The released value of a figure (this period, or the previous one).
    pub fn value(&self, id: &str, previous: bool) -> PubCell {
        self.get(id, previous, |r| r.value.clone())
    }

    /// The released numerator (a count's value, a share's "teller").
    pub fn numerator(&self, id: &str, previous: bool) -> PubCell {
        self.get(id, previous, |r| r.num.clone())
    }

    /// The released denominator (a share's "noemer", a statistic's n).
    pub fn denominator(&self, id: &str, previous: bool) -> PubCell {
        self.get(id, previous, |r| r.den.clone())
    }

    /// Whether the figure exists in that period.
    pub fn has(&self, id: &str, previous: bool) -> bool {
        self.cells.contains_key(&(id.to_string(), previous))
    }

    /// The escalation levels with their released counts.
    pub fn escalation(&self) -> &[(String, PubCell)] {
        &self.escalation
    }

    fn get(&self, id: &str, previous: bool, f: impl Fn(&Released) -> PubCell) -> PubCell {
        self.cells
            .get(&(id.to_string(), previous))
            .map(f)
            .unwrap_or_else(|| PubCell::text(""))
    }
}

/// How much dearer hiding a headline count is than hiding a detail of equal size.
const HEADLINE_PRIORITY: f64 = 20.0;

/// Adds one figure of one period: its numerator, denominator and the complement
/// `den - num` (derivable from "num van den", so protected), and the shown ratio.
fn add_figure(b: &mut SystemBuilder, f: &Figure, c: Counts, prev: bool) -> Slots {
    let name = format!("{}:{}", f.id, if prev { "vorige" } else { "nu" });
    match f.kind {
        FigureKind::Count => {
            let num = b.add_figure(&name, c.num);
            // a count in the headline is what a reader looks for first
            b.prefer_shown(num, HEADLINE_PRIORITY);
            Slots {
                num,
                den: None,
                ratio: None,
            }
        }
        FigureKind::Share => {
            let num = b.add_figure(&format!("{name}:teller"), c.num);
            let den = b.add_figure(&format!("{name}:noemer"), c.den);
            let rest = b.add_figure(&format!("{name}:rest"), c.den.saturating_sub(c.num));
            b.equation(den, &[num, rest]);
            let ratio = (c.den > 0).then(|| b.percentage(num, den, 1));
            Slots {
                num,
                den: Some(den),
                ratio,
            }
        }
        FigureKind::Statistic { .. } | FigureKind::EstimatedShare => {
            let den = b.add_figure(&format!("{name}:n"), c.den);
            Slots {
                num: den,
                den: Some(den),
                ratio: None,
            }
        }
    }
}

/// Runs the protection and turns the statuses into printed cells.
fn release(
    input: &HeadlineInput,
    p: &Protector,
    b: SystemBuilder,
    slots: &BTreeMap<(String, bool), Slots>,
    esc: &[CellRef],
) -> Headline {
    let public = p.is_public();
    let (status, ratios): (Box<dyn Fn(CellRef) -> CellStatus>, Vec<bool>) = if !public {
        (Box::new(|_| CellStatus::Shown), Vec::new())
    } else {
        match b.build() {
            Ok(sys) => {
                let outcome = sys.protect(&p.policy());
                let ratios = outcome.ratios_shown.clone();
                (
                    Box::new(move |r: CellRef| outcome.cells[sys.cell(r)]),
                    ratios,
                )
            }
            // Fail closed: figures that contradict each other are not published.
            Err(_) => (Box::new(|_| CellStatus::Secondary), Vec::new()),
        }
    };
    let shown = |r: CellRef| status(r) == CellStatus::Shown;
    let count_cell = |v: u64, r: CellRef| {
        if shown(r) {
            PubCell::count(v)
        } else {
            PubCell::hidden(CellKind::Count)
        }
    };
    let mut cells = BTreeMap::new();
    for f in &input.figures {
        for (prev, counts) in [(false, Some(f.now)), (true, f.previous)] {
            let (Some(c), Some(s)) = (counts, slots.get(&(f.id.clone(), prev))) else {
                continue;
            };
            let released = match f.kind {
                FigureKind::Count => {
                    let v = count_cell(c.num, s.num);
                    Released {
                        num: v.clone(),
                        den: PubCell::text(""),
                        value: v,
                    }
                }
                FigureKind::Share => {
                    let den = s.den.expect("a share has a denominator");
                    let ratio_ok = s
                        .ratio
                        .is_some_and(|i| !public || ratios.get(i).copied().unwrap_or(false));
                    let value = if c.den == 0 {
                        PubCell::text("")
                    } else if ratio_ok && p.share_allowed(c.num, c.den) {
                        p.share(c.num, c.den)
                    } else {
                        PubCell::hidden(CellKind::Percentage)
                    };
                    // A hidden share hides its numerator too: with the denominator it
                    // would give the share back.
                    let num = if value.onderdrukt {
                        PubCell::hidden(CellKind::Count)
                    } else {
                        count_cell(c.num, s.num)
                    };
                    Released {
                        value,
                        num,
                        den: count_cell(c.den, den),
                    }
                }
                FigureKind::EstimatedShare => {
                    let den = s.den.expect("an estimated share has its n");
                    let value = match c.value {
                        None => PubCell::text(""),
                        // the cases seen closing, and the estimate times n as a reader
                        // computes it, each pass the share rule
                        Some(w)
                            if !p.share_allowed(c.num, c.den)
                                || !p.share_allowed((w * c.den as f64).round() as u64, c.den) =>
                        {
                            PubCell::hidden(CellKind::Percentage)
                        }
                        Some(w) => PubCell {
                            tekst: nl::pct(w, 1),
                            soort: CellKind::Percentage,
                            waarde: Some(w),
                            noemer: Some(c.den),
                            onderdrukt: false,
                        },
                    };
                    Released {
                        value,
                        num: PubCell::text(""),
                        den: count_cell(c.den, den),
                    }
                }
                FigureKind::Statistic { decimals, unit } => {
                    let den = s.den.expect("a statistic has its n");
                    Released {
                        value: p.statistic(c.value, c.den, decimals, unit),
                        num: PubCell::text(""),
                        den: count_cell(c.den, den),
                    }
                }
            };
            cells.insert((f.id.clone(), prev), released);
        }
    }
    let escalation = input
        .escalation_levels
        .iter()
        .zip(esc)
        .map(|((l, v), r)| (l.clone(), count_cell(*v, *r)))
        .collect();
    Headline { cells, escalation }
}

/// "num van den" as printed in the key table.
pub fn basis_text(num: &PubCell, den: &PubCell) -> String {
    format!("{} van {}", num.tekst, den.tekst)
}

/// "n = den" as printed for a statistic.
pub fn n_text(den: &PubCell) -> String {
    format!("n = {}", den.tekst)
}

/// Formats a count for a sentence ("." when hidden).
pub fn sentence_count(c: &PubCell) -> String {
    if c.onderdrukt {
        ".".into()
    } else {
        c.waarde
            .map(|v| nl::int(v as i64))
            .unwrap_or_else(|| c.tekst.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protect::tables::Audience;

    fn kamer() -> Protector {
        Protector::new(Audience::Parliament, 5, 10, false)
    }

    fn num(id: &str) -> Part {
        Part::Num(id.into())
    }

    fn den(id: &str) -> Part {
        Part::Den(id.into())
    }

    /// Whether a reader gets the exact value of `a - b` from two shown counts.
    fn both_shown(h: &Headline, a: (&str, bool), b: (&str, bool)) -> bool {
        let get = |(id, is_num): (&str, bool)| {
            if is_num {
                h.numerator(id, false)
            } else {
                h.denominator(id, false)
            }
        };
        !get(a).onderdrukt && !get(b).onderdrukt
    }

    #[test]
    fn solved_minus_amicable_is_not_a_small_count() {
        // 30 solved of 40: 27 without escalation, 3 after escalation (too few).
        // Shown alone, 30 - 27 = 3 would give the hidden count back.
        let input = HeadlineInput {
            figures: vec![
                Figure::share("oplossing_pct", 30, 40, None),
                Figure::count("minnelijk_opgelost_aantal", 27, None),
                Figure::count("na_escalatie_opgelost_aantal", 3, None),
            ],
            links: vec![Link::Sum(
                num("oplossing_pct"),
                vec![
                    num("minnelijk_opgelost_aantal"),
                    num("na_escalatie_opgelost_aantal"),
                ],
            )],
            escalation_levels: vec![],
        };
        let h = Headline::protect(&input, &kamer());
        assert!(h.value("na_escalatie_opgelost_aantal", false).onderdrukt);
        assert!(!both_shown(
            &h,
            ("oplossing_pct", true),
            ("minnelijk_opgelost_aantal", true)
        ));
        // and the percentage beside the denominator does not give the numerator back either
        assert!(
            h.value("oplossing_pct", false).onderdrukt
                || h.value("minnelijk_opgelost_aantal", false).onderdrukt
        );
    }

    #[test]
    fn closed_minus_denominator_does_not_reveal_withdrawn_cases() {
        // 40 closed, 38 of them count for the solution share: 2 withdrawn.
        let input = HeadlineInput {
            figures: vec![
                Figure::count("afgerond_aantal", 40, None),
                Figure::share("oplossing_pct", 20, 38, None),
            ],
            links: vec![Link::SumWithRest(
                num("afgerond_aantal"),
                vec![den("oplossing_pct")],
                "ingetrokken".into(),
            )],
            escalation_levels: vec![],
        };
        let h = Headline::protect(&input, &kamer());
        assert!(!both_shown(
            &h,
            ("afgerond_aantal", true),
            ("oplossing_pct", false)
        ));
    }

    #[test]
    fn escalation_levels_and_their_total_are_protected_together() {
        // 12 escalated: 6 + 3 at known levels, 3 of unknown level; without joint
        // protection the total minus the shown levels gives the hidden ones.
        let input = HeadlineInput {
            figures: vec![Figure::share("geescaleerd_pct", 12, 60, None)],
            links: vec![],
            escalation_levels: vec![
                ("Teamleider".into(), 6),
                ("Directie".into(), 3),
                ("Onbekend".into(), 3),
            ],
        };
        let h = Headline::protect(&input, &kamer());
        let esc = h.escalation();
        assert!(esc[1].1.onderdrukt && esc[2].1.onderdrukt);
        // The reader knows the total when its count is shown or when the percentage
        // and the denominator are (12 / 60 = 20,0% pins it).
        let total_known = !h.numerator("geescaleerd_pct", false).onderdrukt
            || (!h.value("geescaleerd_pct", false).onderdrukt
                && !h.denominator("geescaleerd_pct", false).onderdrukt);
        if total_known {
            let shown: u64 = esc
                .iter()
                .filter(|e| !e.1.onderdrukt)
                .map(|e| e.1.waarde.unwrap() as u64)
                .sum();
            let hidden = esc.iter().filter(|e| e.1.onderdrukt).count();
            // each hidden level lies anywhere in 0..=rest: that range must be wide enough
            assert!(hidden >= 2 && 12 - shown >= 5, "rest {}", 12 - shown);
        }
    }

    #[test]
    fn share_with_small_complement_is_hidden() {
        // 86,7% of 15: 13 with, 2 without a solution.
        let input = HeadlineInput {
            figures: vec![Figure::share("oplossing_pct", 13, 15, None)],
            links: vec![],
            escalation_levels: vec![],
        };
        let h = Headline::protect(&input, &kamer());
        assert!(h.value("oplossing_pct", false).onderdrukt);
        assert!(h.numerator("oplossing_pct", false).onderdrukt);
    }

    #[test]
    fn a_link_that_does_not_hold_is_ignored_and_the_rest_still_protected() {
        let input = HeadlineInput {
            figures: vec![
                Figure::count("a", 50, Some(40)),
                Figure::count("b", 3, Some(20)),
            ],
            links: vec![Link::Same(num("a"), num("b"))],
            escalation_levels: vec![],
        };
        let h = Headline::protect(&input, &kamer());
        assert!(!h.value("a", false).onderdrukt);
        assert!(h.value("b", false).onderdrukt);
        assert!(!h.value("b", true).onderdrukt);
    }

    #[test]
    fn the_internal_report_shows_everything() {
        let input = HeadlineInput {
            figures: vec![Figure::share("oplossing_pct", 13, 15, None)],
            links: vec![],
            escalation_levels: vec![("Onbekend".into(), 2)],
        };
        let p = Protector::new(Audience::Internal, 5, 10, false);
        let h = Headline::protect(&input, &p);
        assert_eq!(
            h.value("oplossing_pct", false).tekst,
            nl::pct(13.0 / 15.0, 1)
        );
        assert!(!h.escalation()[0].1.onderdrukt);
    }
}
