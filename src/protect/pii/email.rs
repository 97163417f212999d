//! E-mail addresses, also when the "@" or the dots are written out: "jan(at)voorbeeld.nl",
//! "jan [at] voorbeeld [dot] nl", "jan at voorbeeld punt nl", "jan apenstaartje
//! voorbeeld.nl". Spelled-out forms without brackets need a known top-level domain.
//!
//! ```ignore
//! let mut hits = Vec::new();
//! find_email("mail jan(at)voorbeeld.nl", &mut hits);
//! assert_eq!(hits.len(), 1);
//! ```

use super::text::{each_candidate, left_ok, regex, right_ok};
use super::{words, PiiHit, PiiKind};
use regex::Regex;
use std::sync::OnceLock;

fn pattern() -> String {
    let open = r"[\(\[\{<]";
    let close = r"[\)\]\}>]";
    let at = format!(
        r"(?:@|\s*{open}\s*(?i:at|@|apenstaartje)\s*{close}\s*|(\s+(?i:at|apenstaartje)\s+))"
    );
    let dot = format!(r"(?:\.|\s*{open}\s*(?i:dot|punt)\s*{close}\s*|\s+(?i:dot|punt)\s+)");
    let label = r"[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?";
    format!(
        r"[A-Za-z0-9_%+][A-Za-z0-9._%+\-]*{at}{label}(?:{dot}{label})*{dot}(?P<tld>[A-Za-z]{{2,}})"
    )
}

/// Finds e-mail addresses.
pub(crate) fn find_email(text: &str, out: &mut Vec<PiiHit>) {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = regex(&RE, pattern);
    each_candidate(re, text, |c| {
        let Some(m) = c.get(0) else { return };
        if !left_ok(text, m.start()) || !right_ok(text, m.end()) {
            return;
        }
        let lower = m.as_str().to_lowercase();
        let spelled = c.get(1).is_some() || lower.contains(" dot ") || lower.contains(" punt ");
        let tld = c.name("tld").map_or("", |t| t.as_str()).to_lowercase();
        if spelled && !words::tlds().contains(&tld) {
            return;
        }
        out.push(PiiHit {
            kind: PiiKind::Email,
            start: m.start(),
            end: m.end(),
        });
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<&str> {
        let mut hits = Vec::new();
        find_email(text, &mut hits);
        hits.iter().map(|h| &text[h.start..h.end]).collect()
    }

    #[test]
    fn plain_and_obfuscated() {
        for (text, addr) in [
            ("mail jan@example.nl.", "jan@example.nl"),
            ("jan(at)voorbeeld.nl", "jan(at)voorbeeld.nl"),
            ("jan [at] voorbeeld [dot] nl", "jan [at] voorbeeld [dot] nl"),
            ("mail jan at voorbeeld.nl", "jan at voorbeeld.nl"),
            ("jan AT voorbeeld punt nl", "jan AT voorbeeld punt nl"),
            (
                "p.de.vries{at}gemeente(dot)utrecht(dot)nl",
                "p.de.vries{at}gemeente(dot)utrecht(dot)nl",
            ),
            ("INFO@BEDRIJF.NL", "INFO@BEDRIJF.NL"),
        ] {
            assert_eq!(found(text).first().copied(), Some(addr), "{text}");
        }
        for text in [
            "jan@",
            "@example.nl",
            "jan@example",
            "kijk at home.xyz",
            "jan@example.n1",
        ] {
            assert!(found(text).is_empty(), "{text}");
        }
    }
}
