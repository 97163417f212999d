//! Check digits: the elfproef of a BSN and mod 97 of an IBAN.
//!
//! ```
//! use rodedraad::protect::pii::{is_valid_bsn, is_valid_iban};
//! assert!(is_valid_bsn("123456782"));
//! assert!(is_valid_iban("NL91 ABNA 0417 1643 00"));
//! ```

use super::words;

/// Elfproef for a BSN: 9 digits (8 digits get a leading 0; dots and spaces are
/// ignored), `9a + 8b + 7c + 6d + 5e + 4f + 3g + 2h - i` divisible by 11, not all zeros.
pub fn is_valid_bsn(digits: &str) -> bool {
    let mut d: Vec<i32> = Vec::with_capacity(9);
    for c in digits.chars() {
        match c {
            '0'..='9' => d.push(c as i32 - '0' as i32),
            '.' | ' ' => {}
            _ => return false,
        }
    }
    if d.len() == 8 {
        d.insert(0, 0);
    }
    if d.len() != 9 || d.iter().all(|&x| x == 0) {
        return false;
    }
    let sum: i32 = (0..8).map(|i| (9 - i as i32) * d[i]).sum::<i32>() - d[8];
    sum.rem_euclid(11) == 0
}

/// IBAN check: spaces allowed, any letter case, country code + 2 check digits, the
/// official length of the country (15..=34 for a country not in the register), for NL
/// 4 letters + 10 digits after the check digits, and mod 97 == 1.
pub fn is_valid_iban(s: &str) -> bool {
    let c: String = s
        .chars()
        .filter(|c| *c != ' ')
        .collect::<String>()
        .to_ascii_uppercase();
    let b = c.as_bytes();
    if !(15..=34).contains(&b.len()) || !b.iter().all(|x| x.is_ascii_alphanumeric()) {
        return false;
    }
    if !(b[0].is_ascii_alphabetic()
        && b[1].is_ascii_alphabetic()
        && b[2].is_ascii_digit()
        && b[3].is_ascii_digit())
    {
        return false;
    }
    let country = &c[..2];
    if let Some(&len) = words::iban_lengths().get(country) {
        if b.len() != len {
            return false;
        }
    }
    if country == "NL"
        && !(b[4..8].iter().all(|x| x.is_ascii_alphabetic())
            && b[8..].iter().all(|x| x.is_ascii_digit()))
    {
        return false;
    }
    iban_remainder(b) == 1
}

/// The IBAN (upper case, no separators) as a number, modulo 97, after moving the first
/// four characters to the end.
fn iban_remainder(b: &[u8]) -> u32 {
    let mut r: u32 = 0;
    for &x in b[4..].iter().chain(&b[..4]) {
        if x.is_ascii_digit() {
            r = (r * 10 + (x - b'0') as u32) % 97;
        } else {
            r = (r * 100 + (x - b'A') as u32 + 10) % 97;
        }
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bsn_elfproef() {
        for ok in [
            "111222333",
            "123456782",
            "012345672",
            "12345672",
            "999999990",
            "100000009",
            "123.456.782",
        ] {
            assert!(is_valid_bsn(ok), "{ok}");
        }
        for bad in [
            "123456789",
            "234567891",
            "987654321",
            "000000000",
            "12345678",
            "1234567",
            "12345678a",
            "1234567820",
        ] {
            assert!(!is_valid_bsn(bad), "{bad}");
        }
    }

    #[test]
    fn iban_check() {
        for ok in [
            "NL91ABNA0417164300",
            "NL91 ABNA 0417 1643 00",
            "GB82WEST12345698765432",
            "DE89370400440532013000",
            "BE68539007547034",
            "FR1420041010050500013M02606",
            "nl91abna0417164300",
        ] {
            assert!(is_valid_iban(ok), "{ok}");
        }
        for bad in [
            "NL91ABNA0417164301",
            "NL91ABNA041716430",
            "GB82WEST12345698765433",
            "DE8937040044053201300",
            "NL9112340417164300",
            "XX",
        ] {
            assert!(!is_valid_iban(bad), "{bad}");
        }
    }
}
