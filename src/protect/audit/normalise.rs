//! Text normalisation before matching: what a reader sees, not how it is encoded.
//!
//! - [`decode_bytes`]: UTF-8 (with or without BOM), UTF-16 with a BOM, else Windows-1252;
//!   bytes that are no text at all are an error.
//! - [`decode_entities`]: HTML character references, named, decimal and hexadecimal.
//! - [`normalise`]: entities, NFKC (fullwidth and other compatibility forms), digits of other
//!   scripts, invisible characters (zero-width, soft hyphen, bidi controls) removed, dashes and
//!   spaces unified.
//!
//! ```
//! use rodedraad::protect::audit::normalise::normalise;
//! assert_eq!(normalise("&#49;2\u{200B}3\u{00AD}4\u{FF15}"), "12345");
//! ```

use unicode_normalization::UnicodeNormalization;

/// Decodes file bytes to text: UTF-8, UTF-16 with a BOM, or Windows-1252.
/// Fails when the bytes hold control characters that no text file has.
pub fn decode_bytes(bytes: &[u8]) -> Result<String, String> {
    let text = if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        String::from_utf8(rest.to_vec())
            .map_err(|_| "ongeldige UTF-8 na een UTF-8-BOM".to_string())?
    } else if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        let enc = if bytes[0] == 0xFF {
            encoding_rs::UTF_16LE
        } else {
            encoding_rs::UTF_16BE
        };
        let (t, had_errors) = enc.decode_with_bom_removal(bytes);
        if had_errors {
            return Err("ongeldige UTF-16".into());
        }
        t.into_owned()
    } else {
        match std::str::from_utf8(bytes) {
            Ok(s) => s.to_string(),
            Err(_) => encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0
                .into_owned(),
        }
    };
    let controls = text
        .chars()
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{0C}'))
        .count();
    if controls > 0 {
        return Err(format!(
            "geen leesbare tekst ({controls} stuurteken(s)); het bestand is binair of beschadigd"
        ));
    }
    Ok(text)
}

/// Named references that can carry letters, digits, separators or invisible characters.
const NAMED: &[(&str, &str)] = &[
    ("amp", "&"),
    ("lt", "<"),
    ("gt", ">"),
    ("quot", "\""),
    ("apos", "'"),
    ("nbsp", "\u{A0}"),
    ("ensp", " "),
    ("emsp", " "),
    ("thinsp", " "),
    ("numsp", " "),
    ("puncsp", " "),
    ("hairsp", " "),
    ("MediumSpace", " "),
    ("NewLine", "\n"),
    ("Tab", "\t"),
    ("shy", "\u{AD}"),
    ("zwsp", "\u{200B}"),
    ("ZeroWidthSpace", "\u{200B}"),
    ("NegativeThinSpace", "\u{200B}"),
    ("NegativeMediumSpace", "\u{200B}"),
    ("NegativeThickSpace", "\u{200B}"),
    ("NegativeVeryThinSpace", "\u{200B}"),
    ("zwnj", "\u{200C}"),
    ("zwj", "\u{200D}"),
    ("NoBreak", "\u{2060}"),
    ("lrm", "\u{200E}"),
    ("rlm", "\u{200F}"),
    ("hyphen", "\u{2010}"),
    ("dash", "\u{2010}"),
    ("ndash", "\u{2013}"),
    ("mdash", "\u{2014}"),
    ("minus", "\u{2212}"),
    ("period", "."),
    ("comma", ","),
    ("colon", ":"),
    ("semi", ";"),
    ("commat", "@"),
    ("plus", "+"),
    ("num", "#"),
    ("lpar", "("),
    ("rpar", ")"),
    ("lsqb", "["),
    ("rsqb", "]"),
    ("lbrack", "["),
    ("rbrack", "]"),
    ("lcub", "{"),
    ("rcub", "}"),
    ("lbrace", "{"),
    ("rbrace", "}"),
    ("sol", "/"),
    ("bsol", "\\"),
    ("lowbar", "_"),
    ("UnderBar", "_"),
    ("ast", "*"),
    ("midast", "*"),
    ("excl", "!"),
    ("quest", "?"),
    ("equals", "="),
    ("percnt", "%"),
    ("dollar", "$"),
    ("euro", "€"),
    ("verbar", "|"),
    ("vert", "|"),
    ("grave", "`"),
    ("Hat", "^"),
    ("lsquo", "\u{2018}"),
    ("rsquo", "\u{2019}"),
    ("ldquo", "\u{201C}"),
    ("rdquo", "\u{201D}"),
    ("sbquo", "\u{201A}"),
    ("bdquo", "\u{201E}"),
    ("hellip", "…"),
    ("middot", "·"),
    ("bull", "•"),
    ("deg", "°"),
    ("sup1", "¹"),
    ("sup2", "²"),
    ("sup3", "³"),
    ("frac12", "½"),
    ("frac14", "¼"),
    ("frac34", "¾"),
    ("times", "×"),
    ("divide", "÷"),
    ("copy", "©"),
    ("reg", "®"),
    ("sect", "§"),
    ("para", "¶"),
    ("laquo", "«"),
    ("raquo", "»"),
    ("iexcl", "¡"),
    ("iquest", "¿"),
    ("szlig", "ß"),
    ("aelig", "æ"),
    ("AElig", "Æ"),
    ("oslash", "ø"),
    ("Oslash", "Ø"),
    ("aring", "å"),
    ("Aring", "Å"),
    ("ccedil", "ç"),
    ("Ccedil", "Ç"),
    ("ntilde", "ñ"),
    ("Ntilde", "Ñ"),
    ("eth", "ð"),
    ("thorn", "þ"),
    ("yuml", "ÿ"),
];

/// Letters that take the usual accent references (`&eacute;`, `&Ouml;`, ...).
const ACCENTS: &[(&str, &str, &str)] = &[
    ("acute", "aeiouyAEIOUY", "áéíóúýÁÉÍÓÚÝ"),
    ("grave", "aeiouAEIOU", "àèìòùÀÈÌÒÙ"),
    ("circ", "aeiouAEIOU", "âêîôûÂÊÎÔÛ"),
    ("uml", "aeiouAEIOU", "äëïöüÄËÏÖÜ"),
    ("tilde", "aoAO", "ãõÃÕ"),
];

fn named_entity(name: &str) -> Option<String> {
    if let Some((_, v)) = NAMED.iter().find(|(n, _)| *n == name) {
        return Some(v.to_string());
    }
    let mut chars = name.chars();
    let letter = chars.next()?;
    let rest: String = chars.collect();
    let (_, from, to) = ACCENTS.iter().find(|(suffix, _, _)| *suffix == rest)?;
    let pos = from.chars().position(|c| c == letter)?;
    to.chars().nth(pos).map(String::from)
}

/// Decodes HTML character references once (`&amp;#49;` stays `&#49;`, as a browser shows it).
/// A numeric reference without the closing `;` is decoded too, as browsers do.
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i + 1..];
        match reference(tail) {
            Some((text, used)) => {
                out.push_str(&text);
                rest = &tail[used..];
            }
            None => {
                out.push('&');
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    out
}

/// One reference after `&`: the text and the number of bytes used.
fn reference(tail: &str) -> Option<(String, usize)> {
    if let Some(num) = tail.strip_prefix('#') {
        let (radix, digits_from) = match num.chars().next()? {
            'x' | 'X' => (16, 2),
            _ => (10, 1),
        };
        let body = &tail[digits_from..];
        let len = body.chars().take_while(|c| c.is_digit(radix)).count();
        if len == 0 {
            return None;
        }
        let code = u32::from_str_radix(&body[..len], radix).ok()?;
        let c = char::from_u32(code).unwrap_or('\u{FFFD}');
        let used = digits_from + len + usize::from(body[len..].starts_with(';'));
        return Some((c.to_string(), used));
    }
    let len = tail
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .count();
    if len == 0 || !tail[len..].starts_with(';') {
        return None;
    }
    named_entity(&tail[..len]).map(|t| (t, len + 1))
}

/// Characters a reader does not see.
fn invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
        | '\u{FFA0}' | '\u{1D173}'..='\u{1D17A}' | '\u{E0000}'..='\u{E007F}')
}

/// The first code point (digit zero) of each block of decimal digits that NFKC leaves alone.
const DIGIT_ZEROS: &[u32] = &[
    0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66,
    0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90,
    0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0,
    0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0, 0x11650,
    0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x16A60, 0x16AC0, 0x16B50,
    0x1E140, 0x1E2F0, 0x1E950, 0x1FBF0,
];

fn ascii_digit(c: char) -> Option<char> {
    let cp = c as u32;
    DIGIT_ZEROS
        .iter()
        .find(|&&z| cp >= z && cp < z + 10)
        .map(|&z| char::from(b'0' + (cp - z) as u8))
}

/// The text as a reader sees it, ready for matching. Keeps line breaks.
pub fn normalise(s: &str) -> String {
    let decoded = decode_entities(s);
    let mut out = String::with_capacity(decoded.len());
    for c in decoded.nfkc() {
        if invisible(c) {
            continue;
        }
        let mapped = match c {
            '\r' => continue,
            '\n' | '\u{2028}' | '\u{2029}' | '\u{0B}' | '\u{0C}' | '\u{85}' => '\n',
            '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{2043}' | '\u{FE58}' | '\u{FE63}' => '-',
            '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{2032}' => '\'',
            c if c.is_whitespace() => ' ',
            c => ascii_digit(c).unwrap_or(c),
        };
        out.push(mapped);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities_of_every_form_are_decoded() {
        assert_eq!(decode_entities("&#49;&#x32;&#X33;&#52x"), "1234x");
        assert_eq!(decode_entities("jans&eacute;n &amp; co"), "jansén & co");
        assert_eq!(decode_entities("&amp;#49;"), "&#49;");
        assert_eq!(decode_entities("a &unknown; b & c"), "a &unknown; b & c");
    }

    #[test]
    fn invisible_and_compatibility_forms_are_removed_or_folded() {
        assert_eq!(
            normalise("1\u{200B}2\u{200C}3\u{200D}4\u{2060}5\u{FEFF}6\u{AD}7"),
            "1234567"
        );
        assert_eq!(normalise("\u{FF11}\u{FF12}\u{0663}\u{0967}"), "1231");
        assert_eq!(normalise("06\u{2011}12\u{00A0}34\u{202F}5"), "06-12 34 5");
    }

    #[test]
    fn windows_1252_and_binary_bytes() {
        assert_eq!(decode_bytes(b"caf\xe9").unwrap(), "café");
        assert_eq!(decode_bytes("café".as_bytes()).unwrap(), "café");
        assert!(decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00").is_err());
    }
}
