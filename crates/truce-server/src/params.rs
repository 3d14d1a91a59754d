//! Query strings parsed field by field: an unknown, repeated or malformed parameter is a 400
//! naming it (never silently ignored).

use std::collections::HashMap;

use truce_model::{NaiveDate, Party, Side, Target};

use crate::error::ApiError;

/// Largest page a client may ask for.
pub const MAX_LIMIT: u32 = 1000;
/// Page size when `limit` is absent.
pub const DEFAULT_LIMIT: u32 = 100;

/// The verdict terms the API filters on.
pub const VERDICTS: &[&str] = &["not_applicable", "violation_alleged", "indeterminate"];

/// Every filter any listing understands; each route names the ones it accepts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filters {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub place: Option<String>,
    pub admin1: Option<String>,
    pub perpetrator: Option<Side>,
    pub target: Option<Target>,
    pub party: Option<Party>,
    pub verdict: Option<String>,
    pub agreement: Option<String>,
    pub event: Option<String>,
    pub document: Option<String>,
    pub cursor: Option<String>,
    pub limit: u32,
}

/// Splits a raw query string into its pairs, refusing names outside `allowed` and repeats.
pub fn pairs(raw: Option<&str>, allowed: &[&str]) -> Result<HashMap<String, String>, ApiError> {
    let mut out = HashMap::new();
    let list: Vec<(String, String)> = serde_urlencoded::from_str(raw.unwrap_or(""))
        .map_err(|e| ApiError::field("query", format!("not a valid query string: {e}")))?;
    for (k, v) in list {
        if !allowed.contains(&k.as_str()) {
            return Err(ApiError::field(
                k,
                format!(
                    "unknown parameter (this route accepts: {})",
                    allowed.join(", ")
                ),
            ));
        }
        if out.contains_key(&k) {
            return Err(ApiError::field(k, "given more than once"));
        }
        out.insert(k, v);
    }
    Ok(out)
}

fn text(field: &str, v: String) -> Result<String, ApiError> {
    let t = v.trim();
    if t.is_empty() {
        return Err(ApiError::field(field, "must not be empty"));
    }
    if t.len() > 200 {
        return Err(ApiError::field(field, "longer than 200 bytes"));
    }
    Ok(t.to_string())
}

pub fn date(field: &str, v: &str) -> Result<NaiveDate, ApiError> {
    NaiveDate::parse_from_str(v, "%Y-%m-%d")
        .ok()
        .filter(|_| v.len() == 10)
        .ok_or_else(|| ApiError::field(field, format!("{v:?} is not a date YYYY-MM-DD")))
}

fn term<T: std::str::FromStr<Err = truce_model::UnknownTerm>>(
    field: &str,
    v: &str,
) -> Result<T, ApiError> {
    v.parse::<T>()
        .map_err(|e| ApiError::field(field, e.to_string()))
}

/// Parses the filters `allowed` names (plus `limit` and `cursor` when listed) from a query.
pub fn filters(raw: Option<&str>, allowed: &[&str]) -> Result<Filters, ApiError> {
    let mut map = pairs(raw, allowed)?;
    let mut f = Filters {
        limit: DEFAULT_LIMIT,
        ..Filters::default()
    };
    if let Some(v) = map.remove("from") {
        f.from = Some(date("from", &v)?);
    }
    if let Some(v) = map.remove("to") {
        f.to = Some(date("to", &v)?);
    }
    if let (Some(a), Some(b)) = (f.from, f.to)
        && a > b
    {
        return Err(ApiError::field("to", "is before `from`"));
    }
    if let Some(v) = map.remove("place") {
        f.place = Some(text("place", v)?);
    }
    if let Some(v) = map.remove("admin1") {
        f.admin1 = Some(text("admin1", v)?);
    }
    if let Some(v) = map.remove("perpetrator") {
        f.perpetrator = Some(term("perpetrator", &v)?);
    }
    if let Some(v) = map.remove("target") {
        f.target = Some(term("target", &v)?);
    }
    if let Some(v) = map.remove("party") {
        f.party = Some(term("party", &v)?);
    }
    if let Some(v) = map.remove("verdict") {
        if !VERDICTS.contains(&v.as_str()) {
            return Err(ApiError::field(
                "verdict",
                format!("unknown verdict {v:?} (expected {})", VERDICTS.join(", ")),
            ));
        }
        f.verdict = Some(v);
    }
    if let Some(v) = map.remove("agreement") {
        f.agreement = Some(text("agreement", v)?);
    }
    if let Some(v) = map.remove("event") {
        f.event = Some(text("event", v)?);
    }
    if let Some(v) = map.remove("document") {
        f.document = Some(text("document", v)?);
    }
    if let Some(v) = map.remove("cursor") {
        if v.is_empty() || v.len() > 1024 {
            return Err(ApiError::field("cursor", "not a cursor this server issued"));
        }
        f.cursor = Some(v);
    }
    if let Some(v) = map.remove("limit") {
        f.limit = v
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=MAX_LIMIT).contains(n))
            .ok_or_else(|| {
                ApiError::field("limit", format!("must be an integer from 1 to {MAX_LIMIT}"))
            })?;
    }
    Ok(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(r: Result<Filters, ApiError>) -> String {
        match r {
            Err(ApiError::BadField { field, .. }) => field,
            other => panic!("expected a field error, got {other:?}"),
        }
    }

    #[test]
    fn filters_name_the_bad_field() {
        let all = &[
            "from",
            "to",
            "perpetrator",
            "target",
            "verdict",
            "limit",
            "cursor",
        ];
        let ok = filters(
            Some("from=2025-03-18&to=2025-04-17&perpetrator=RU&target=energy&limit=5"),
            all,
        )
        .unwrap();
        assert_eq!(ok.from, NaiveDate::from_ymd_opt(2025, 3, 18));
        assert_eq!(ok.perpetrator, Some(Side::Ru));
        assert_eq!(ok.target, Some(Target::Energy));
        assert_eq!(ok.limit, 5);
        assert_eq!(filters(None, all).unwrap().limit, DEFAULT_LIMIT);
        for (q, field) in [
            ("from=2025-13-01", "from"),
            ("from=2025-3-1", "from"),
            ("to=x", "to"),
            ("from=2025-04-02&to=2025-04-01", "to"),
            ("perpetrator=US", "perpetrator"),
            ("target=laser", "target"),
            ("verdict=guilty", "verdict"),
            ("limit=0", "limit"),
            ("limit=1001", "limit"),
            ("limit=-1", "limit"),
            ("cursor=", "cursor"),
            ("colour=red", "colour"),
            ("limit=1&limit=2", "limit"),
            ("place=x", "place"),
        ] {
            assert_eq!(field_of(filters(Some(q), all)), field, "{q}");
        }
    }
}
