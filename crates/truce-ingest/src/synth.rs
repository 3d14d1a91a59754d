//! Synthetic corpora for the benchmark and the crash tests: variants of real example texts with
//! their numbers changed, so every variant has its own hash and its incidents their own dates and
//! figures. Pure.

use truce_model::NaiveDate;

/// The `k`-th variant of `text`: day numbers (1-31) shift within 1-28, years (1990-2039) move
/// within 2000-2029, other numbers grow by `k % 97`; a trailing reference line makes every
/// variant distinct even without numbers.
pub fn variant(text: &str, k: u64) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            let digits = &text[start..i];
            match digits.parse::<u64>() {
                Ok(v) if digits.len() <= 2 && (1..=31).contains(&v) => {
                    out.push_str(&(((v - 1 + k) % 28) + 1).to_string());
                }
                Ok(v) if digits.len() == 4 && (1990..=2039).contains(&v) => {
                    out.push_str(
                        &(2000 + (v as i64 - 2000 + (k / 28) as i64).rem_euclid(30)).to_string(),
                    );
                }
                Ok(v) if digits.len() <= 6 => out.push_str(&(v + k % 97).to_string()),
                _ => out.push_str(digits),
            }
        } else {
            // Copy the run of non-digits at once (keeps UTF-8 intact).
            let start = i;
            while i < bytes.len() && !bytes[i].is_ascii_digit() {
                i += 1;
            }
            out.push_str(&text[start..i]);
        }
    }
    out.push_str(&format!("\n(ref {k})\n"));
    out
}

/// The publication date of the `k`-th variant of a text published on `published`, shifted as
/// [`variant`] shifts years.
pub fn variant_date(published: Option<NaiveDate>, k: u64) -> Option<NaiveDate> {
    use chrono::Datelike;
    let d = published?;
    let year = 2000 + (d.year() as i64 - 2000 + (k / 28) as i64).rem_euclid(30) as i32;
    let day = ((d.day() as u64 - 1 + k) % 28) as u32 + 1;
    NaiveDate::from_ymd_opt(year, d.month(), day)
}

/// One JSON Lines row (`{"text","published","language"}`) of the `k`-th variant.
pub fn jsonl_row(text: &str, published: Option<NaiveDate>, k: u64) -> String {
    let mut row = serde_json::json!({ "text": variant(text, k), "language": "en" });
    if let Some(d) = variant_date(published, k) {
        row["published"] = serde_json::Value::String(d.format("%Y-%m-%d").to_string());
    }
    row.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_differ_and_keep_dates_valid() {
        let t = "On 13 April 2025 a missile killed 35 people in Sumy; 117 were injured.";
        assert_eq!(variant(t, 0), format!("{t}\n(ref 0)\n"));
        assert_eq!(
            variant(t, 1),
            "On 14 April 2025 a missile killed 36 people in Sumy; 118 were injured.\n(ref 1)\n"
        );
        assert_eq!(
            variant(t, 28),
            "On 13 April 2026 a missile killed 63 people in Sumy; 145 were injured.\n(ref 28)\n"
        );
        let d = NaiveDate::from_ymd_opt(2025, 4, 13);
        assert_eq!(variant_date(d, 28), NaiveDate::from_ymd_opt(2026, 4, 13));
        assert_eq!(variant_date(d, 16), NaiveDate::from_ymd_opt(2025, 4, 1));
    }
}
