//! Decoding an export's bytes into text: the encoding is recognised (BOM, UTF-8,
//! UTF-16/32 without BOM, Windows-1252), and a UTF-8 file with a few bad bytes is read
//! line by line with a note, never silently garbled.
//!
//! ```
//! use rodedraad::ingest::read::decode;
//! let d = decode(b"naam\nGe\xEBscaleerd\n", "auto", "t.csv".as_ref()).unwrap();
//! assert_eq!(d.encoding, "windows-1252");
//! assert_eq!(d.text, "naam\nGeëscaleerd\n");
//! ```

use super::bad_file;
use crate::error::Result;
use std::path::Path;

/// A decoded text file: the text, the name of its encoding and notes for the accounting.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
    /// Dutch notes about the decoding (lines of a UTF-8 file read as Windows-1252).
    pub notes: Vec<String>,
}

fn cp1252(b: &[u8]) -> String {
    encoding_rs::WINDOWS_1252
        .decode_without_bom_handling(b)
        .0
        .into_owned()
}

/// UTF-16 and UTF-32 in either byte order.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Wide {
    Utf16Le,
    Utf16Be,
    Utf32Le,
    Utf32Be,
}

impl Wide {
    fn name(self, bom: bool) -> &'static str {
        match (self, bom) {
            (Wide::Utf16Le, true) => "utf-16le (BOM)",
            (Wide::Utf16Le, false) => "utf-16le",
            (Wide::Utf16Be, true) => "utf-16be (BOM)",
            (Wide::Utf16Be, false) => "utf-16be",
            (Wide::Utf32Le, true) => "utf-32le (BOM)",
            (Wide::Utf32Le, false) => "utf-32le",
            (Wide::Utf32Be, true) => "utf-32be (BOM)",
            (Wide::Utf32Be, false) => "utf-32be",
        }
    }

    fn decode(self, b: &[u8]) -> String {
        match self {
            Wide::Utf16Le => encoding_rs::UTF_16LE
                .decode_without_bom_handling(b)
                .0
                .into_owned(),
            Wide::Utf16Be => encoding_rs::UTF_16BE
                .decode_without_bom_handling(b)
                .0
                .into_owned(),
            Wide::Utf32Le | Wide::Utf32Be => {
                let mut s: String = b
                    .chunks_exact(4)
                    .map(|c| {
                        let a = [c[0], c[1], c[2], c[3]];
                        let n = if self == Wide::Utf32Le {
                            u32::from_le_bytes(a)
                        } else {
                            u32::from_be_bytes(a)
                        };
                        char::from_u32(n).unwrap_or('\u{FFFD}')
                    })
                    .collect();
                if !b.len().is_multiple_of(4) {
                    s.push('\u{FFFD}');
                }
                s
            }
        }
    }
}

/// The byte-order mark at the start of `b`, if any, and its length.
fn bom(b: &[u8]) -> Option<(Option<Wide>, usize)> {
    if b.starts_with(&[0xFF, 0xFE, 0, 0]) {
        Some((Some(Wide::Utf32Le), 4))
    } else if b.starts_with(&[0, 0, 0xFE, 0xFF]) {
        Some((Some(Wide::Utf32Be), 4))
    } else if b.starts_with(b"\xEF\xBB\xBF") {
        Some((None, 3))
    } else if b.starts_with(&[0xFF, 0xFE]) {
        Some((Some(Wide::Utf16Le), 2))
    } else if b.starts_with(&[0xFE, 0xFF]) {
        Some((Some(Wide::Utf16Be), 2))
    } else {
        None
    }
}

/// Recognises UTF-16 or UTF-32 without a BOM by where the NUL bytes of mostly-Latin text fall.
fn sniff_wide(b: &[u8]) -> Option<Wide> {
    let n = b.len().min(4096) / 4 * 4;
    if n < 8 {
        return None;
    }
    let mut zeros = [0usize; 4];
    for (i, &x) in b[..n].iter().enumerate() {
        zeros[i % 4] += (x == 0) as usize;
    }
    let frac = |k: usize| zeros[k] as f64 / (n / 4) as f64;
    let (z0, z1, z2, z3) = (frac(0), frac(1), frac(2), frac(3));
    if z1 > 0.9 && z2 > 0.9 && z3 > 0.9 && z0 < 0.5 {
        Some(Wide::Utf32Le)
    } else if z0 > 0.9 && z1 > 0.9 && z2 > 0.9 && z3 < 0.5 {
        Some(Wide::Utf32Be)
    } else if (z1 + z3) / 2.0 > 0.6 && (z0 + z2) / 2.0 < 0.2 {
        Some(Wide::Utf16Le)
    } else if (z0 + z2) / 2.0 > 0.6 && (z1 + z3) / 2.0 < 0.2 {
        Some(Wide::Utf16Be)
    } else {
        None
    }
}

/// Whether `b` holds at least one valid multi-byte UTF-8 sequence.
fn has_utf8_sequences(b: &[u8]) -> bool {
    b.utf8_chunks().any(|c| !c.valid().is_ascii())
}

/// Reads a UTF-8 file with invalid bytes line by line: valid lines as UTF-8, the others as
/// Windows-1252, each named in a note.
fn decode_mixed(b: &[u8]) -> Decoded {
    let mut text = String::with_capacity(b.len());
    let mut odd: Vec<usize> = Vec::new();
    for (i, line) in b.split_inclusive(|&x| x == b'\n').enumerate() {
        match std::str::from_utf8(line) {
            Ok(s) => text.push_str(s),
            Err(_) => {
                text.push_str(&cp1252(line));
                odd.push(i + 1);
            }
        }
    }
    let shown: Vec<String> = odd.iter().take(10).map(|l| l.to_string()).collect();
    let more = if odd.len() > 10 { ", ..." } else { "" };
    Decoded {
        text,
        encoding: "utf-8 (gemengd)",
        notes: vec![format!(
            "het bestand is UTF-8, maar {} regel(s) bevatten tekens die geen geldige UTF-8 zijn; die regels zijn gelezen als Windows-1252: regel {}{more}. Controleer de tekens in die regels, of sla het bestand opnieuw op als UTF-8",
            odd.len(),
            shown.join(", ")
        )],
    }
}

/// Decodes a text file. A BOM decides (UTF-8, UTF-16, UTF-32); without one, UTF-16 and
/// UTF-32 are recognised by their NUL bytes. Then `encoding` ("auto", "utf-8",
/// "windows-1252"): valid UTF-8 is read as UTF-8; in "auto" a file without a single
/// UTF-8 sequence is Windows-1252. A UTF-8 file with a few invalid bytes is neither read
/// entirely as Windows-1252 nor silently garbled: only the lines that are not UTF-8 are
/// read as Windows-1252, and a note names them. Text with NUL characters is refused.
pub fn decode(bytes: &[u8], encoding: &str, path: &Path) -> Result<Decoded> {
    let plain = |text: String, encoding| Decoded {
        text,
        encoding,
        notes: Vec::new(),
    };
    let decoded = match bom(bytes) {
        Some((Some(w), n)) => plain(w.decode(&bytes[n..]), w.name(true)),
        Some((None, n)) => match std::str::from_utf8(&bytes[n..]) {
            Ok(s) => plain(s.to_string(), "utf-8 (BOM)"),
            Err(_) => decode_mixed(&bytes[n..]),
        },
        None => match sniff_wide(bytes) {
            Some(w) => plain(w.decode(bytes), w.name(false)),
            None => match (encoding, std::str::from_utf8(bytes)) {
                ("windows-1252", _) => plain(cp1252(bytes), "windows-1252"),
                (_, Ok(s)) => plain(s.to_string(), "utf-8"),
                ("utf-8", Err(_)) => decode_mixed(bytes),
                (_, Err(_)) if has_utf8_sequences(bytes) => decode_mixed(bytes),
                (_, Err(_)) => plain(cp1252(bytes), "windows-1252"),
            },
        },
    };
    refuse_nul(decoded, path)
}

/// [`decode`] of a buffer it may keep: UTF-8 (with or without a BOM) becomes the text without
/// a copy, so a large file is not held twice while it is read. Everything else goes through
/// [`decode`], with the same outcome.
pub fn decode_owned(bytes: Vec<u8>, encoding: &str, path: &Path) -> Result<Decoded> {
    let plain = |text: String, encoding| Decoded {
        text,
        encoding,
        notes: Vec::new(),
    };
    match bom(&bytes) {
        Some((None, n)) => {
            let mut rest = bytes;
            rest.drain(..n);
            match String::from_utf8(rest) {
                Ok(text) => refuse_nul(plain(text, "utf-8 (BOM)"), path),
                Err(e) => refuse_nul(decode_mixed(e.as_bytes()), path),
            }
        }
        None if sniff_wide(&bytes).is_none() && encoding != "windows-1252" => {
            match String::from_utf8(bytes) {
                Ok(text) => refuse_nul(plain(text, "utf-8"), path),
                Err(e) => decode(e.as_bytes(), encoding, path),
            }
        }
        _ => decode(&bytes, encoding, path),
    }
}

/// The SHA-256 of a file that [`decode_owned_hashed`] decoded.
#[derive(Debug, Clone, PartialEq)]
pub enum FileHash {
    /// Computed, in hex.
    Known(String),
    /// The text is the file's bytes unchanged: hashing the text gives the file's hash, at a
    /// time that suits the reader (next to reading the records).
    SameAsText,
}

/// [`decode_owned`] that also gives the file's SHA-256, or says that the text is the file's
/// bytes unchanged (plain UTF-8), so the hash can wait.
pub fn decode_owned_hashed(
    bytes: Vec<u8>,
    encoding: &str,
    path: &Path,
) -> Result<(Decoded, FileHash)> {
    if bom(&bytes).is_none() && sniff_wide(&bytes).is_none() && encoding != "windows-1252" {
        return match String::from_utf8(bytes) {
            Ok(text) => {
                let plain = Decoded {
                    text,
                    encoding: "utf-8",
                    notes: Vec::new(),
                };
                Ok((refuse_nul(plain, path)?, FileHash::SameAsText))
            }
            Err(e) => {
                let sha = crate::output::sha256_hex(e.as_bytes());
                Ok((decode(e.as_bytes(), encoding, path)?, FileHash::Known(sha)))
            }
        };
    }
    let sha = crate::output::sha256_hex(&bytes);
    Ok((decode_owned(bytes, encoding, path)?, FileHash::Known(sha)))
}

/// Refuses text with NUL characters (not a text file, or an unknown encoding).
fn refuse_nul(decoded: Decoded, path: &Path) -> Result<Decoded> {
    if decoded.text.contains('\0') {
        return Err(bad_file(
            path,
            "het bestand bevat NUL-tekens: het is geen tekstbestand, of het staat in een codering die rodedraad niet herkent (herkend worden UTF-8, Windows-1252, UTF-16 en UTF-32)",
            "Sla de export opnieuw op als CSV in UTF-8, of lever XLSX of Parquet aan.",
        ));
    }
    Ok(decoded)
}

#[cfg(test)]
mod tests {
    use super::super::testing::{column, csv};
    use super::*;

    #[test]
    fn decoding_an_owned_buffer_equals_decoding_a_borrowed_one() {
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("a;b\n1;é\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let inputs: Vec<Vec<u8>> = vec![
            "a;b\n1;é\n".into(),
            [b"\xEF\xBB\xBF".as_slice(), "a;b\n1;é\n".as_bytes()].concat(),
            [b"\xEF\xBB\xBF".as_slice(), b"a;b\n1;\xE9\n"].concat(),
            b"a;b\n1;\xE9\n2;caf\xC3\xA9\n".to_vec(),
            b"a;b\n1;\xE9\n".to_vec(),
            b"a;b\n1;\x00\n".to_vec(),
            [b"\xEF\xBB\xBF".as_slice(), b"a\x00"].concat(),
            utf16,
            Vec::new(),
        ];
        let path = Path::new("t.csv");
        for bytes in inputs {
            for enc in ["auto", "utf-8", "windows-1252"] {
                let want = decode(&bytes, enc, path);
                let got = decode_owned(bytes.clone(), enc, path);
                match (want, got) {
                    (Ok(w), Ok(g)) => {
                        assert_eq!(
                            (w.text, w.encoding, w.notes),
                            (g.text, g.encoding, g.notes),
                            "{bytes:?} {enc}"
                        );
                    }
                    (Err(w), Err(g)) => assert_eq!(w.to_string(), g.to_string()),
                    (w, g) => panic!("{bytes:?} {enc}: {w:?} tegen {g:?}"),
                }
            }
        }
    }

    #[test]
    fn bom_and_windows_1252() {
        let t = csv(b"\xEF\xBB\xBFnaam;plaats\nJos\xC3\xA9;X\n").unwrap();
        assert_eq!(t.encoding, "utf-8 (BOM)");
        assert_eq!(t.headers[0], "naam");
        let t = csv(b"naam;plaats\nGe\xEBscaleerd;X\n").unwrap();
        assert_eq!(t.encoding, "windows-1252");
        let v =
            t.df.column("naam")
                .unwrap()
                .str()
                .unwrap()
                .get(0)
                .unwrap()
                .to_string();
        assert_eq!(v, "Geëscaleerd");
    }

    #[test]
    fn utf16_and_utf32_with_and_without_bom() {
        let text = "naam;plaats\nJosé;Zoë\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        let l32: Vec<u8> = text
            .chars()
            .flat_map(|c| (c as u32).to_le_bytes())
            .collect();
        let b32: Vec<u8> = text
            .chars()
            .flat_map(|c| (c as u32).to_be_bytes())
            .collect();
        for (bytes, enc) in [
            ([vec![0xFF, 0xFE], le.clone()].concat(), "utf-16le (BOM)"),
            (le, "utf-16le"),
            ([vec![0xFE, 0xFF], be.clone()].concat(), "utf-16be (BOM)"),
            (be, "utf-16be"),
            (
                [vec![0xFF, 0xFE, 0, 0], l32.clone()].concat(),
                "utf-32le (BOM)",
            ),
            (l32, "utf-32le"),
            (
                [vec![0, 0, 0xFE, 0xFF], b32.clone()].concat(),
                "utf-32be (BOM)",
            ),
            (b32, "utf-32be"),
        ] {
            let t = csv(&bytes).unwrap_or_else(|e| panic!("{enc}: {e}"));
            assert_eq!(t.encoding, enc);
            assert_eq!(t.headers, vec!["naam", "plaats"], "{enc}");
            assert_eq!(column(&t, "plaats")[0].as_deref(), Some("Zoë"), "{enc}");
        }
    }

    #[test]
    fn one_latin1_byte_does_not_turn_a_utf8_file_into_windows_1252() {
        let mut bytes = "id;tekst\n1;vóór de termijn\n2;".as_bytes().to_vec();
        bytes.extend_from_slice(b"caf\xE9\n3;na\xC3\xAFef\n");
        let t = csv(&bytes).unwrap();
        assert_eq!(t.encoding, "utf-8 (gemengd)");
        let v = column(&t, "tekst");
        assert_eq!(v[0].as_deref(), Some("vóór de termijn"));
        assert_eq!(v[1].as_deref(), Some("café"));
        assert_eq!(v[2].as_deref(), Some("naïef"));
        assert!(t.notes[0].contains("regel 3"), "{:?}", t.notes);
    }

    #[test]
    fn nul_bytes_are_refused_without_printing_them() {
        let e = csv(b"a,b\n1,\x00\x00\x01\x02\n").unwrap_err();
        assert_eq!(e.exit_code(), 3);
        let m = e.to_string();
        assert!(m.contains("NUL-tekens"), "{m}");
        assert!(!m.contains('\0'));
    }
}
