//! Finding a CSV file's delimiter: detected among `,` `;` tab `|` by which one splits the
//! first records into the most fields of one width, or taken from the `[invoer]
//! scheidingsteken` setting.
//!
//! ```
//! use rodedraad::ingest::read::detect_delimiter;
//! assert_eq!(detect_delimiter("a;b;c\n1;2,5;3\n"), b';');
//! assert_eq!(detect_delimiter("a|b\n1|2\n"), b'|');
//! ```

use crate::error::{Error, Result};
use std::path::Path;

/// Picks the delimiter among `,` `;` tab `|` that splits the first records most consistently.
pub fn detect_delimiter(text: &str) -> u8 {
    let mut best = (b',', 0usize, 0usize);
    for d in [b';', b',', b'\t', b'|'] {
        let mut rdr = csv::ReaderBuilder::new()
            .delimiter(d)
            .flexible(true)
            .has_headers(false)
            .from_reader(text.as_bytes());
        let mut counts = Vec::new();
        for rec in rdr.records().take(25) {
            match rec {
                Ok(r) => counts.push(r.len()),
                Err(_) => break,
            }
        }
        let Some(&width) = counts.first() else {
            continue;
        };
        if width < 2 {
            continue;
        }
        let consistent = counts.iter().filter(|&&c| c == width).count();
        if (consistent, width) > (best.1, best.2) {
            best = (d, consistent, width);
        }
    }
    best.0
}

/// The delimiter byte from the setting (`auto` detects it).
pub(super) fn delimiter_byte(setting: &str, text: &str, path: &Path) -> Result<u8> {
    match setting {
        "auto" | "" => Ok(detect_delimiter(text)),
        "\\t" | "tab" | "\t" => Ok(b'\t'),
        s if s.len() == 1 && s.is_ascii() => Ok(s.as_bytes()[0]),
        s => Err(Error::Config {
            path: None,
            message: format!(
                "[invoer] scheidingsteken = \"{s}\" kan {} niet splitsen; gebruik \"auto\", \"tab\" of één teken zoals \";\"",
                path.display()
            ),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::csv;

    #[test]
    fn detects_each_delimiter() {
        for d in [",", ";", "\t", "|"] {
            let text = format!("a{d}b{d}c\n1{d}2{d}3\n4{d}5{d}6\n");
            let t = csv(text.as_bytes()).unwrap();
            assert_eq!(t.delimiter, Some(d.as_bytes()[0]), "delimiter {d:?}");
            assert_eq!(t.headers, vec!["a", "b", "c"]);
        }
    }
}
