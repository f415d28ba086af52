//! Validators: checks a pattern match must pass besides its regular expression.
//!
//! A regex can say "18 digits"; only arithmetic can say "a real resident ID". These keep
//! random long numbers (order numbers, serials) from being reported as personal identifiers.

use super::pack::Validator;

impl Validator {
    /// True when `matched` (folded text; separators such as spaces and dashes are ignored)
    /// passes the check.
    pub(crate) fn accepts(self, matched: &str) -> bool {
        match self {
            Validator::CnResidentId => cn_resident_id(matched),
            Validator::Luhn => luhn(matched),
            Validator::CnMobile => cn_mobile(matched),
            Validator::LatLon => lat_lon(matched),
        }
    }
}

/// The digits of `text` (and a final `x`, for resident IDs), separators dropped.
fn symbols(text: &str) -> Vec<u8> {
    text.bytes().filter(|b| b.is_ascii_digit() || *b == b'x' || *b == b'X').collect()
}

/// GB 11643-1999: 17 digits (6 region, 8 birth date YYYYMMDD, 3 sequence) and a check character
/// from ISO 7064 MOD 11-2, where 10 is written `X`.
fn cn_resident_id(text: &str) -> bool {
    let id = symbols(text);
    if id.len() != 18 || !id[..17].iter().all(u8::is_ascii_digit) {
        return false;
    }
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = id.iter().zip(WEIGHTS).map(|(d, w)| u32::from(d - b'0') * w).sum();
    let check = b"10X98765432"[(sum % 11) as usize];
    if !id[17].eq_ignore_ascii_case(&check) {
        return false;
    }
    let number =
        |range: std::ops::Range<usize>| id[range].iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0'));
    plausible_date(number(6..10), number(10..12), number(12..14))
}

/// A calendar date between 1900 and 2099 (the birth dates of living ID holders).
fn plausible_date(year: u32, month: u32, day: u32) -> bool {
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1900..=2099).contains(&year) && (1..=days).contains(&day)
}

/// The Luhn (mod 10) checksum, over 12 to 19 digits (the length of payment card numbers).
fn luhn(text: &str) -> bool {
    let digits = symbols(text);
    if !(12..=19).contains(&digits.len()) || !digits.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            let d = u32::from(d - b'0');
            if i % 2 == 1 { if d * 2 > 9 { d * 2 - 9 } else { d * 2 } } else { d }
        })
        .sum();
    sum % 10 == 0
}

/// 11 digits starting 13–19, without an optional +86 / 86 country code.
fn cn_mobile(text: &str) -> bool {
    let digits = symbols(text);
    let national = match digits.len() {
        11 => &digits[..],
        13 if digits.starts_with(b"86") => &digits[2..],
        _ => return false,
    };
    national.iter().all(u8::is_ascii_digit) && national[0] == b'1' && (b'3'..=b'9').contains(&national[1])
}

/// The first two decimal numbers of `text` are a latitude and a longitude. A hemisphere
/// letter (`s`, `w`) or a minus sign only flips the sign, so only magnitudes are checked.
fn lat_lon(text: &str) -> bool {
    let mut numbers = text
        .split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .filter(|s| !s.is_empty())
        .map(str::parse::<f64>);
    match (numbers.next(), numbers.next()) {
        (Some(Ok(lat)), Some(Ok(lon))) => lat <= 90.0 && lon <= 180.0,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(validator: Validator, cases: &[(&str, bool)]) {
        for &(input, expected) in cases {
            assert_eq!(validator.accepts(input), expected, "{validator:?} on {input:?}");
        }
    }

    #[test]
    fn resident_ids_need_the_check_character_and_a_real_birth_date() {
        check(
            Validator::CnResidentId,
            &[
                ("11010519491231002x", true),
                ("11010519491231002X", true),
                ("110105194912310021", false), // wrong check character
                ("440524188001010014", false), // born 1880
                ("110105194902300020", false), // 30 February (check digit right for the digits)
                ("11010519491231002", false),  // 17 digits
                ("1101051949123100211", false),
            ],
        );
    }

    #[test]
    fn card_numbers_need_the_luhn_checksum() {
        check(
            Validator::Luhn,
            &[
                ("4111111111111111", true),
                ("4111 1111 1111 1111", true),
                ("6222021234567890128", true),
                ("6222021234567890123", false),
                ("4111111111111112", false),
                ("411111111", false), // too short for a card
            ],
        );
    }

    #[test]
    fn coordinates_need_a_latitude_and_a_longitude_in_range() {
        check(
            Validator::LatLon,
            &[
                ("39.904200, 116.407400", true),
                ("-33.8568, 151.2153", true),
                ("91.0000, 116.4074", false),
                ("39.9042, 181.0000", false),
                ("39.9042", false),
            ],
        );
    }

    #[test]
    fn mobile_numbers_need_a_carrier_prefix() {
        check(
            Validator::CnMobile,
            &[
                ("13800138000", true),
                ("+86 138 0013 8000", true),
                ("12800138000", false),
                ("1380013800", false),
            ],
        );
    }
}
