//! RFC 8785 JSON Canonicalization Scheme (JCS), owner: log.
//!
//! Log entries are canonical JSON, so that anyone can re-serialise a record and get the same
//! bytes (and leaf hash). Rules: no whitespace; object members sorted by the UTF-16 code units of
//! their names; strings with minimal escaping (`\"`, `\\`, `\b \f \n \r \t`, other controls as
//! `\u00xx`, everything else literal); numbers as ECMAScript's `Number.prototype.toString` of an
//! IEEE 754 double.

use serde_json::Value;

/// Why a value has no canonical form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CanonicalError {
    /// An integer a double cannot hold exactly (JCS numbers are doubles); `path` names it.
    UnsafeInteger {
        /// JSON pointer to the value.
        path: String,
        /// The integer, as text.
        value: String,
    },
    /// A non-finite number (NaN or infinity).
    NonFinite {
        /// JSON pointer to the value.
        path: String,
    },
}

impl std::fmt::Display for CanonicalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CanonicalError::UnsafeInteger { path, value } => write!(
                f,
                "{}: integer {value} is beyond 2^53 and has no exact canonical JSON form",
                display_path(path)
            ),
            CanonicalError::NonFinite { path } => {
                write!(f, "{}: non-finite number", display_path(path))
            }
        }
    }
}

fn display_path(p: &str) -> &str {
    if p.is_empty() { "(root)" } else { p }
}

impl std::error::Error for CanonicalError {}

/// Largest integer magnitude a double represents exactly along with all smaller ones.
const MAX_SAFE: u64 = 1 << 53;

/// The RFC 8785 canonical serialisation of `value`.
pub fn to_canonical_string(value: &Value) -> Result<String, CanonicalError> {
    let mut out = String::new();
    let mut path = String::new();
    write_value(value, &mut out, &mut path)?;
    Ok(out)
}

/// The canonical serialisation as bytes (a log entry).
pub fn to_canonical_vec(value: &Value) -> Result<Vec<u8>, CanonicalError> {
    to_canonical_string(value).map(String::into_bytes)
}

fn write_value(v: &Value, out: &mut String, path: &mut String) -> Result<(), CanonicalError> {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => write_number(n, out, path)?,
        Value::String(s) => write_string(s, out),
        Value::Array(a) => {
            out.push('[');
            for (i, item) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                let len = path.len();
                path.push_str(&format!("/{i}"));
                write_value(item, out, path)?;
                path.truncate(len);
            }
            out.push(']');
        }
        Value::Object(m) => {
            let mut keys: Vec<(&String, Vec<u16>)> =
                m.keys().map(|k| (k, k.encode_utf16().collect())).collect();
            keys.sort_by(|a, b| a.1.cmp(&b.1));
            out.push('{');
            for (i, (k, _)) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(k, out);
                out.push(':');
                let len = path.len();
                path.push('/');
                path.push_str(&k.replace('~', "~0").replace('/', "~1"));
                if let Some(child) = m.get(*k) {
                    write_value(child, out, path)?;
                }
                path.truncate(len);
            }
            out.push('}');
        }
    }
    Ok(())
}

fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

fn write_number(
    n: &serde_json::Number,
    out: &mut String,
    path: &str,
) -> Result<(), CanonicalError> {
    if let Some(u) = n.as_u64() {
        if u > MAX_SAFE {
            return Err(CanonicalError::UnsafeInteger {
                path: path.to_string(),
                value: u.to_string(),
            });
        }
        out.push_str(&u.to_string());
        return Ok(());
    }
    if let Some(i) = n.as_i64() {
        if i.unsigned_abs() > MAX_SAFE {
            return Err(CanonicalError::UnsafeInteger {
                path: path.to_string(),
                value: i.to_string(),
            });
        }
        out.push_str(&i.to_string());
        return Ok(());
    }
    match n.as_f64() {
        Some(f) if f.is_finite() => {
            out.push_str(&format_double(f));
            Ok(())
        }
        _ => Err(CanonicalError::NonFinite {
            path: path.to_string(),
        }),
    }
}

/// ECMAScript `Number.prototype.toString` (radix 10) of a finite double, as RFC 8785 requires.
pub fn format_double(f: f64) -> String {
    if f == 0.0 {
        return "0".to_string();
    }
    let mut out = String::new();
    if f < 0.0 {
        out.push('-');
    }
    let (digits, exp) = shortest_digits(f.abs());
    let k = digits.len() as i32;
    let n = exp + 1; // position of the decimal point relative to the digits
    if k <= n && n <= 21 {
        out.push_str(&digits);
        out.extend(std::iter::repeat_n('0', (n - k) as usize));
    } else if 0 < n && n <= 21 {
        out.push_str(&digits[..n as usize]);
        out.push('.');
        out.push_str(&digits[n as usize..]);
    } else if -6 < n && n <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-n) as usize));
        out.push_str(&digits);
    } else {
        out.push_str(&digits[..1]);
        if k > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if n > 0 { '+' } else { '-' });
        out.push_str(&(n - 1).abs().to_string());
    }
    out
}

/// Splits Rust's `{:e}` output ("d.ddde[-]x") into digits and exponent.
fn split_sci(sci: &str) -> (String, i32) {
    let (mantissa, exp) = sci.split_once('e').unwrap_or((sci, "0"));
    let digits = mantissa.chars().filter(|c| *c != '.').collect();
    (digits, exp.parse().unwrap_or(0))
}

/// The shortest digits that round-trip to `f` (positive, finite), and the decimal exponent of
/// the first digit. When two shortest candidates are equally near `f`, ECMAScript takes the one
/// whose last digit is even; Rust's formatter rounds such ties up, so they are fixed here from
/// `f`'s exact decimal expansion.
fn shortest_digits(f: f64) -> (String, i32) {
    let (digits, exp) = split_sci(&format!("{f:e}"));
    let k = digits.len();
    // A double's exact expansion has at most 767 significant digits.
    let (exact, exact_exp) = split_sci(&format!("{f:.800e}"));
    if exact_exp != exp || exact.len() <= k {
        return (digits, exp);
    }
    let (head, tail) = exact.split_at(k);
    let is_tie = tail.starts_with('5') && tail[1..].bytes().all(|b| b == b'0');
    if !is_tie {
        return (digits, exp);
    }
    // Candidates: `head` (rounded down) and `head + 1` (rounded up); keep the even one.
    let last = head.as_bytes()[k - 1] - b'0';
    if last.is_multiple_of(2) {
        let candidate = if k == 1 {
            format!("{head}e{exp}")
        } else {
            format!("{}.{}e{exp}", &head[..1], &head[1..])
        };
        if candidate.parse::<f64>().ok() == Some(f) {
            return (head.trim_end_matches('0').to_string(), exp);
        }
    }
    (digits, exp)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, want: &str) {
        let v: Value = serde_json::from_str(input).unwrap();
        assert_eq!(to_canonical_string(&v).unwrap(), want, "input {input}");
    }

    /// RFC 8785 §3.2.2: the sample input and its canonical form.
    #[test]
    fn rfc8785_sample() {
        check(
            r#"{
              "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
              "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
              "literals": [null, true, false]
            }"#,
            r#"{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}"#,
        );
    }

    /// RFC 8785 §3.2.3: member names sorted by UTF-16 code units.
    #[test]
    fn rfc8785_sorting() {
        let v: Value = serde_json::from_str(
            r#"{
              "\u20ac": "Euro Sign",
              "\r": "Carriage Return",
              "\ufb33": "Hebrew Letter Dalet With Dagesh",
              "1": "One",
              "\ud83d\ude00": "Emoji: Grinning Face",
              "\u0080": "Control",
              "\u00f6": "Latin Small Letter O With Diaeresis"
            }"#,
        )
        .unwrap();
        let s = to_canonical_string(&v).unwrap();
        let back: serde_json::Map<String, Value> = serde_json::from_str(&s).unwrap();
        assert_eq!(back.len(), 7);
        let order: Vec<&str> = [
            "Carriage Return",
            "One",
            "Control",
            "Latin Small Letter O With Diaeresis",
            "Euro Sign",
            "Emoji: Grinning Face",
            "Hebrew Letter Dalet With Dagesh",
        ]
        .to_vec();
        let mut pos = 0;
        for name in order {
            let at = s[pos..].find(name).map(|i| i + pos);
            assert!(at.is_some(), "{name} out of order in {s}");
            pos = at.unwrap_or(pos);
        }
    }

    /// RFC 8785 Appendix B: IEEE 754 doubles (hex) and their canonical text.
    #[test]
    fn rfc8785_numbers() {
        let cases = [
            ("0000000000000000", "0"),
            ("8000000000000000", "0"),
            ("0000000000000001", "5e-324"),
            ("8000000000000001", "-5e-324"),
            ("7fefffffffffffff", "1.7976931348623157e+308"),
            ("ffefffffffffffff", "-1.7976931348623157e+308"),
            ("4340000000000000", "9007199254740992"),
            ("c340000000000000", "-9007199254740992"),
            ("4430000000000000", "295147905179352830000"),
            ("44b52d02c7e14af5", "9.999999999999997e+22"),
            ("44b52d02c7e14af6", "1e+23"),
            ("44b52d02c7e14af7", "1.0000000000000001e+23"),
            ("444b1ae4d6e2ef4e", "999999999999999700000"),
            ("444b1ae4d6e2ef4f", "999999999999999900000"),
            ("444b1ae4d6e2ef50", "1e+21"),
            ("3eb0c6f7a0b5ed8c", "9.999999999999997e-7"),
            ("3eb0c6f7a0b5ed8d", "0.000001"),
            ("41b3de4355555553", "333333333.3333332"),
            ("41b3de4355555554", "333333333.33333325"),
            ("41b3de4355555555", "333333333.3333333"),
            ("41b3de4355555556", "333333333.3333334"),
            ("41b3de4355555557", "333333333.33333343"),
            ("becbf647612f3696", "-0.0000033333333333333333"),
            ("43143ff3c1cb0959", "1424953923781206.2"),
        ];
        for (hex, want) in cases {
            let f = f64::from_bits(u64::from_str_radix(hex, 16).unwrap());
            assert_eq!(format_double(f), want, "{hex}");
        }
    }

    /// Every output parses back to the same double (checked over a spread of bit patterns).
    #[test]
    fn numbers_round_trip() {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let f = f64::from_bits(x);
            if !f.is_finite() {
                continue;
            }
            let s = format_double(f);
            assert_eq!(s.parse::<f64>().unwrap(), f, "{s}");
        }
    }

    #[test]
    fn strings_and_errors() {
        check(
            r#""\u0000\u001f\u007f\b\t\u00e9/""#,
            "\"\\u0000\\u001f\u{7f}\\b\\t\u{e9}/\"",
        );
        check(
            "[1, -2, 1.0, -0.0, 9007199254740992]",
            "[1,-2,1,0,9007199254740992]",
        );
        check(
            r#"{"b":{"z":1,"a":[]},"a":{}}"#,
            r#"{"a":{},"b":{"a":[],"z":1}}"#,
        );
        let v: Value = serde_json::from_str(r#"{"a":[1, 18446744073709551615]}"#).unwrap();
        let e = to_canonical_string(&v).unwrap_err();
        assert_eq!(
            e.to_string(),
            "/a/1: integer 18446744073709551615 is beyond 2^53 and has no exact canonical JSON form"
        );
    }
}
