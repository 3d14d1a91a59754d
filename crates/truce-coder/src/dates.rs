//! Date expressions, resolved against the publication date.
//!
//! Conventions (corpus/README.md): a night is dated to the day it ends ("overnight", "the night
//! of 7-8 March"); "last night", "yesterday", "on Thursday evening" to that evening's own day;
//! weekdays to the latest such day on or before publication; a year-less date takes the
//! publication year (the previous one if it would fall more than a week after publication);
//! month-only dates have month precision; reporting windows give no date.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

use crate::words::{List, lists_of};

/// A date expression found in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateRef {
    Day(NaiveDate),
    /// "last night" in a text published on this day: the night that ended this morning in an
    /// official overnight summary, the evening before in commentary (the caller decides).
    LastNight(NaiveDate),
    /// First day of the month.
    Month(NaiveDate),
    /// A reporting window or vague period ("in the past 24 hours", "since Friday"): no date.
    Window,
}

/// Month names (English, with their abbreviations; Russian and Ukrainian, with their case
/// forms) and their numbers.
pub(crate) const MONTHS: [(&str, u32); 72] = [
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("may", 5),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
    ("june", 6),
    ("july", 7),
    ("sept", 9),
    ("march", 3),
    ("april", 4),
    ("мая", 5),
    ("май", 5),
    ("august", 8),
    ("january", 1),
    ("october", 10),
    ("february", 2),
    ("март", 3),
    ("июня", 6),
    ("июнь", 6),
    ("июля", 7),
    ("июль", 7),
    ("november", 11),
    ("december", 12),
    ("september", 9),
    ("січня", 1),
    ("лютий", 2),
    ("марта", 3),
    ("липня", 7),
    ("січень", 1),
    ("января", 1),
    ("январь", 1),
    ("лютого", 2),
    ("квітня", 4),
    ("апреля", 4),
    ("апрель", 4),
    ("травня", 5),
    ("червня", 6),
    ("липень", 7),
    ("серпня", 8),
    ("август", 8),
    ("жовтня", 10),
    ("ноября", 11),
    ("ноябрь", 11),
    ("грудня", 12),
    ("февраля", 2),
    ("февраль", 2),
    ("березня", 3),
    ("квітень", 4),
    ("травень", 5),
    ("червень", 6),
    ("серпень", 8),
    ("августа", 8),
    ("вересня", 9),
    ("жовтень", 10),
    ("октября", 10),
    ("октябрь", 10),
    ("грудень", 12),
    ("декабря", 12),
    ("декабрь", 12),
    ("березень", 3),
    ("вересень", 9),
    ("сентября", 9),
    ("сентябрь", 9),
    ("листопад", 11),
    ("листопада", 11),
];

pub(crate) fn month(w: &str) -> Option<u32> {
    MONTHS.iter().find(|(name, _)| *name == w).map(|&(_, m)| m)
}

/// Weekday names (English; Russian and Ukrainian, with their case forms).
pub(crate) const WEEKDAYS: [(&str, Weekday); 34] = [
    ("monday", Weekday::Mon),
    ("friday", Weekday::Fri),
    ("sunday", Weekday::Sun),
    ("tuesday", Weekday::Tue),
    ("thursday", Weekday::Thu),
    ("saturday", Weekday::Sat),
    ("wednesday", Weekday::Wed),
    ("среда", Weekday::Wed),
    ("среду", Weekday::Wed),
    ("середа", Weekday::Wed),
    ("середу", Weekday::Wed),
    ("четвер", Weekday::Thu),
    ("субота", Weekday::Sat),
    ("суботу", Weekday::Sat),
    ("неділя", Weekday::Sun),
    ("неділю", Weekday::Sun),
    ("вторник", Weekday::Tue),
    ("четверг", Weekday::Thu),
    ("пятница", Weekday::Fri),
    ("пятницу", Weekday::Fri),
    ("суббота", Weekday::Sat),
    ("субботу", Weekday::Sat),
    ("п'ятниця", Weekday::Fri),
    ("п'ятницю", Weekday::Fri),
    ("вівторок", Weekday::Tue),
    ("вівторка", Weekday::Tue),
    ("вторника", Weekday::Tue),
    ("четверга", Weekday::Thu),
    ("п’ятницю", Weekday::Fri),
    ("понеділок", Weekday::Mon),
    ("понеділка", Weekday::Mon),
    ("понедельник", Weekday::Mon),
    ("воскресенье", Weekday::Sun),
    ("понедельника", Weekday::Mon),
];

fn weekday(w: &str) -> Option<Weekday> {
    WEEKDAYS
        .iter()
        .find(|(name, _)| *name == w)
        .map(|&(_, d)| d)
}

fn day_num(w: &str) -> Option<u32> {
    let w = w
        .strip_suffix("st")
        .or_else(|| w.strip_suffix("nd"))
        .or_else(|| w.strip_suffix("rd"))
        .or_else(|| w.strip_suffix("th"))
        .unwrap_or(w);
    if w.is_empty() || w.len() > 2 || !w.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    w.parse().ok().filter(|d| (1..=31).contains(d))
}

fn year_num(w: &str) -> Option<i32> {
    if w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit()) {
        w.parse().ok().filter(|y| (1990..=2100).contains(y))
    } else {
        None
    }
}

/// The day a year-less (month, day) falls on, seen from `published`.
fn resolve_md(
    published: Option<NaiveDate>,
    year: Option<i32>,
    m: u32,
    d: u32,
) -> Option<NaiveDate> {
    if let Some(y) = year {
        return NaiveDate::from_ymd_opt(y, m, d);
    }
    let p = published?;
    let date = NaiveDate::from_ymd_opt(p.year(), m, d)?;
    if date > p + Duration::days(7) {
        NaiveDate::from_ymd_opt(p.year() - 1, m, d)
    } else {
        Some(date)
    }
}

fn latest_weekday(published: NaiveDate, wd: Weekday, strictly_before: bool) -> NaiveDate {
    let back = (7 + published.weekday().num_days_from_monday() - wd.num_days_from_monday()) % 7;
    let back = if back == 0 && strictly_before {
        7
    } else {
        back
    };
    published - Duration::days(i64::from(back))
}

/// The word a possessive is made of ("wednesday's", "yesterday’s" -> "wednesday", "yesterday").
fn possessive(w: &str) -> Option<&str> {
    w.strip_suffix("'s").or_else(|| w.strip_suffix("\u{2019}s"))
}

/// Date expressions in `words` (lower-cased) with their word index. `orig` holds the same words
/// as written (to tell the month "May" from the verb "may"); `gaps[i]` is the text between word
/// `i` and `i + 1`.
/// `lists[i]` holds the word lists word `i` is in (see [`crate::words`]): most words start no
/// date expression and are passed over at once.
pub fn find(
    words: &[&str],
    orig: &[&str],
    gaps: &[&str],
    lists: &[u64],
    published: Option<NaiveDate>,
) -> Vec<(usize, DateRef)> {
    let mut out = Vec::new();
    let n = words.len();
    let mut i = 0;
    while i < n {
        // Only a word of List::Date (a month, a weekday, a holiday, a relative date) or its
        // possessive ("Wednesday's strike", "yesterday's attack"), a number or a word before
        // "days" ("two days ago") starts one of the expressions below.
        if lists.get(i).is_none_or(|b| b & List::Date.bit() == 0)
            && !words[i].starts_with(|c: char| c.is_ascii_digit())
            && words.get(i + 1) != Some(&"days")
            && possessive(words[i]).is_none_or(|stem| lists_of(stem) & List::Date.bit() == 0)
        {
            i += 1;
            continue;
        }
        // "today's attack", "yesterday's strike"
        let w = possessive(words[i])
            .filter(|w| matches!(*w, "today" | "yesterday" | "tonight"))
            .unwrap_or(words[i]);
        let prev = if i > 0 { words[i - 1] } else { "" };
        let next = words.get(i + 1).copied().unwrap_or("");
        // ISO 2025-04-13
        if w.len() == 10 && w.as_bytes()[4] == b'-' && w.as_bytes()[7] == b'-' {
            if let Ok(d) = NaiveDate::parse_from_str(w, "%Y-%m-%d") {
                out.push((i, DateRef::Day(d)));
            }
            i += 1;
            continue;
        }
        // 13.04.2025
        // (The dots first: most words are followed by none.)
        if gaps.get(i) == Some(&".")
            && gaps.get(i + 1) == Some(&".")
            && let (Some(d), Some(m_s), Some(y_s)) =
                (day_num(w), words.get(i + 1), words.get(i + 2))
            && let (Ok(m), Some(y)) = (m_s.parse::<u32>(), year_num(y_s))
        {
            if let Some(date) = NaiveDate::from_ymd_opt(y, m, d) {
                out.push((i, DateRef::Day(date)));
            }
            i += 3;
            continue;
        }
        let listed = |l: List| lists.get(i).is_some_and(|b| b & l.bit() != 0);
        if listed(List::Month)
            && let Some(m) = month(w)
        {
            let is_may_verb = w == "may" && !orig.get(i).is_some_and(|o| o.starts_with('M'));
            let is_mar_verb = w == "mar" && !orig.get(i).is_some_and(|o| o.starts_with('M'));
            if !(is_may_verb || is_mar_verb) {
                // Month Day [Year]
                if let Some(d) = day_num(next) {
                    let year = words.get(i + 2).and_then(|y| year_num(y));
                    if let Some(date) = resolve_md(published, year, m, d) {
                        out.push((i, DateRef::Day(date)));
                    }
                    i += if year.is_some() { 3 } else { 2 };
                    continue;
                }
                // Day[-Day] Month [Year] (the day words come before: handled here by looking back)
                let day_before = if i > 0 { day_num(prev) } else { None };
                let range_end = if i > 0 { range_end_day(prev) } else { None };
                if let Some(d) = range_end.or(day_before) {
                    let year = year_num(next);
                    if let Some(date) = resolve_md(published, year, m, d) {
                        out.push((i - 1, DateRef::Day(date)));
                    }
                    i += if year.is_some() { 2 } else { 1 };
                    continue;
                }
                // Month-only: "in March", "early April", "March 2025"
                if matches!(prev, "in" | "early" | "mid" | "late" | "during" | "у" | "в")
                    || year_num(next).is_some()
                {
                    let year = year_num(next).or_else(|| {
                        published.map(|p| {
                            if m > p.month() {
                                p.year() - 1
                            } else {
                                p.year()
                            }
                        })
                    });
                    if let Some(date) = year.and_then(|y| NaiveDate::from_ymd_opt(y, m, 1)) {
                        let since = i >= 1 && matches!(words[i - 1], "since")
                            || i >= 2 && words[i - 2] == "since";
                        out.push((
                            i,
                            if since {
                                DateRef::Window
                            } else {
                                DateRef::Month(date)
                            },
                        ));
                    }
                    i += 1;
                    continue;
                }
            }
        }
        // "Wednesday's strike" names the day too.
        if let Some(wd) = weekday(w).or_else(|| possessive(w).and_then(weekday)) {
            if let Some(p) = published {
                if prev == "since" || prev == "until" || prev == "by" {
                    out.push((i, DateRef::Window));
                } else {
                    let strictly = prev == "last";
                    out.push((i, DateRef::Day(latest_weekday(p, wd, strictly))));
                }
            }
            i += 1;
            continue;
        }
        if let Some(p) = published
            && let Some((day, len)) = holiday(words, i, p)
        {
            // "since Easter" is a window; "before Victory Day" names no day of its own.
            let prev2 = if i > 1 { words[i - 2] } else { "" };
            if matches!(prev, "since" | "until" | "by") {
                out.push((i, DateRef::Window));
            } else if !(matches!(prev, "before" | "after" | "ahead" | "till")
                || prev == "of" && matches!(prev2, "ahead" | "eve"))
            {
                out.push((i, DateRef::Day(day)));
            }
            i += len;
            continue;
        }
        if let Some(p) = published {
            let yesterday = || p - Duration::days(1);
            // (Every word that starts an arm here is in List::Date.)
            let found = match (w, next) {
                ("late", "last") if words.get(i + 2) == Some(&"night") => {
                    Some((DateRef::Day(yesterday()), 3))
                }
                ("last", "night") => Some((DateRef::LastNight(p), 2)),
                // "during the past night": the night that ended on the day of the report.
                ("past", "night") if prev == "the" => Some((DateRef::Day(p), 2)),
                ("yesterday", _) | ("вчора", _) | ("вчера", _) => {
                    Some((DateRef::Day(yesterday()), 1))
                }
                // "overnight into 19 March", "overnight on Tuesday": the named day says it.
                ("overnight", _) | ("tonight", _) | ("вночі", _) | ("ночью", _)
                    if names_day_after(words, orig, i + 1) =>
                {
                    None
                }
                ("overnight", _) | ("tonight", _) | ("вночі", _) | ("ночью", _) => {
                    Some((DateRef::Day(p), 1))
                }
                ("this", "morning" | "afternoon" | "evening") => Some((DateRef::Day(p), 2)),
                ("today", _) | ("сьогодні", _) | ("сегодня", _) => {
                    Some((DateRef::Day(p), 1))
                }
                ("the", "night") | ("at", "night") if names_day_after(words, orig, i + 2) => None,
                ("the", "night") if matches!(prev, "during" | "in") => Some((DateRef::Day(p), 2)),
                ("at", "night") => Some((DateRef::Day(p), 2)),
                (
                    "earlier" | "this" | "last" | "past" | "previous",
                    "week" | "month" | "weeks" | "months" | "days",
                ) => Some((DateRef::Window, 2)),
                ("past" | "last", "24" | "day" | "48") => Some((DateRef::Window, 2)),
                ("first" | "last" | "past", _)
                    if matches!(words.get(i + 2).copied(), Some("weeks" | "days" | "months")) =>
                {
                    Some((DateRef::Window, 3))
                }
                ("over", "the")
                    if matches!(words.get(i + 2).copied(), Some("day" | "week" | "weekend")) =>
                {
                    Some((DateRef::Window, 3))
                }
                ("since", _) => Some((DateRef::Window, 1)),
                ("recently", _) | ("recent", _) => Some((DateRef::Window, 1)),
                _ => None,
            };
            if let Some((d, len)) = found {
                out.push((i, d));
                i += len;
                continue;
            }
            // "two days ago"
            if next == "days"
                && words.get(i + 2) == Some(&"ago")
                && let Some(k) = crate::numbers::word_value(w).filter(|k| *k <= 14)
            {
                out.push((i, DateRef::Day(p - Duration::days(i64::from(k)))));
                i += 3;
                continue;
            }
        }
        i += 1;
    }
    // An absolute date next to a weekday names the same day better ("On Palm Sunday, 13 April").
    let absolute: Vec<usize> = out
        .iter()
        .filter(|(i, d)| matches!(d, DateRef::Day(_)) && month_near(words, lists, *i))
        .map(|(i, _)| *i)
        .collect();
    out.retain(|(i, d)| {
        !(matches!(d, DateRef::Day(_))
            && weekday(words[*i]).is_some()
            && absolute.iter().any(|a| a.abs_diff(*i) <= 5))
    });
    out
}

/// Whether the words from `j` name a day right away: "into 19 March", "on Tuesday", "of 18-19
/// March", "to Wednesday", "19 March", "Tuesday".
fn names_day_after(words: &[&str], orig: &[&str], j: usize) -> bool {
    let j = match words.get(j).copied() {
        Some("into" | "on" | "to" | "of" | "before") => j + 1,
        _ => j,
    };
    let j = if words.get(j) == Some(&"the") {
        j + 1
    } else {
        j
    };
    let Some(w) = words.get(j).copied() else {
        return false;
    };
    let is_month = |k: usize| {
        words.get(k).is_some_and(|w| {
            month(w).is_some() && (*w != "may" || orig.get(k).is_some_and(|o| o.starts_with('M')))
        })
    };
    weekday(w).is_some()
        || (day_num(w).is_some() || range_end_day(w).is_some())
            && (is_month(j + 1)
                || words.get(j + 1).and_then(|n| day_num(n)).is_some() && is_month(j + 2))
        || is_month(j) && words.get(j + 1).and_then(|n| day_num(n)).is_some()
}

/// Speech verbs: a date attached to one dates the saying, not what is said.
fn is_speech_verb(w: &str) -> bool {
    matches!(
        w,
        "said"
            | "says"
            | "told"
            | "announced"
            | "reported"
            | "wrote"
            | "added"
            | "stated"
            | "confirmed"
            | "claimed"
            | "posted"
            | "noted"
            | "briefed"
    )
}

/// Whether the date expression at word `i` dates a saying rather than an event: it follows a
/// speech verb ("the governor said on Friday", "told reporters late on Friday") or opens the
/// clause that starts at `clause_start` and a speech verb follows within a few words ("On
/// Friday, officials said ..."). `word(k)` is the lower-cased word `k`.
pub fn dates_a_saying<'w>(word: impl Fn(usize) -> &'w str, i: usize, clause_start: usize) -> bool {
    let before = |k: usize| i.checked_sub(k).filter(|&b| b >= clause_start).map(&word);
    let after_speech = match (before(1), before(2), before(3)) {
        (Some(a), _, _) if is_speech_verb(a) => true,
        (Some("on" | "late" | "early" | "this" | "last"), Some(b), _) if is_speech_verb(b) => true,
        (Some("on"), Some("late" | "early"), Some(c)) => is_speech_verb(c),
        (Some("on"), Some("reporters" | "journalists" | "parliament"), Some(c)) => {
            is_speech_verb(c)
        }
        _ => false,
    };
    let opens = i == clause_start || i == clause_start + 1 && word(clause_start) == "on";
    after_speech || opens && (i + 1..i + 6).any(|k| is_speech_verb(word(k)))
}

fn month_near(words: &[&str], lists: &[u64], i: usize) -> bool {
    (i.saturating_sub(1)..(i + 3).min(words.len()))
        .any(|k| lists.get(k).is_some_and(|b| b & List::Month.bit() != 0))
        || words[i].len() == 10 && words[i].as_bytes().get(4) == Some(&b'-')
}

/// "7-8" -> 8 (the end of a day range written as one word).
fn range_end_day(w: &str) -> Option<u32> {
    let (a, b) = w.split_once('-')?;
    day_num(a)?;
    day_num(b)
}

/// Easter Sunday of `year`: the Orthodox (Julian) one, which the region's texts mostly mean,
/// or the Western (Gregorian) one.
fn easter(year: i32, orthodox: bool) -> Option<NaiveDate> {
    if orthodox {
        // Meeus's Julian algorithm; the Julian calendar runs 13 days behind in 1900-2099.
        let (a, b, c) = (year % 4, year % 7, year % 19);
        let d = (19 * c + 15) % 30;
        let e = (2 * a + 4 * b - d + 34) % 7;
        let m = (d + e + 114) / 31;
        let day = (d + e + 114) % 31 + 1;
        let julian =
            NaiveDate::from_ymd_opt(year, u32::try_from(m).ok()?, u32::try_from(day).ok()?)?;
        Some(julian + Duration::days(13))
    } else {
        // The anonymous Gregorian algorithm (Meeus/Jones/Butcher).
        let a = year % 19;
        let (b, c) = (year / 100, year % 100);
        let (d, e) = (b / 4, b % 4);
        let f = (b + 8) / 25;
        let g = (b - f + 1) / 3;
        let h = (19 * a + b - d - g + 15) % 30;
        let (i, k) = (c / 4, c % 4);
        let l = (32 + 2 * e + 2 * i - h - k) % 7;
        let m = (a + 11 * h + 22 * l) / 451;
        let month = (h + l - 7 * m + 114) / 31;
        let day = (h + l - 7 * m + 114) % 31 + 1;
        NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?)
    }
}

/// The words that the holidays [`holiday`] reads start with.
pub(crate) const HOLIDAY_FIRST_WORDS: [&str; 14] = [
    "easter",
    "palm",
    "good",
    "holy",
    "maundy",
    "trinity",
    "christmas",
    "victory",
    "independence",
    "new",
    "orthodox",
    "catholic",
    "western",
    "eve",
];

/// A holiday named at word `i` ("Easter Sunday", "Palm Sunday", "Orthodox Christmas", "Victory
/// Day", "New Year's Eve", "the eve of Victory Day"): its day, the latest on or before
/// `published` (like a weekday), and how many words name it.
fn holiday(words: &[&str], i: usize, published: NaiveDate) -> Option<(NaiveDate, usize)> {
    // Every holiday below starts with one of these words (most words are none of them).
    if !HOLIDAY_FIRST_WORDS.contains(&words[i]) {
        return None;
    }
    let word = |k: usize| words.get(k).copied().unwrap_or("");
    // "the eve of Victory Day": the day before.
    if word(i) == "eve" && word(i + 1) == "of" {
        let (d, len) = holiday(words, i + 2, published + Duration::days(1))?;
        return Some((d - Duration::days(1), len + 2));
    }
    // A calendar named first ("Orthodox Easter", "Catholic Easter", "Western Christmas").
    let (orthodox, j) = match word(i) {
        "orthodox" => (true, i + 1),
        "catholic" | "western" => (false, i + 1),
        _ => (true, i),
    };
    let prev = if i > 0 { word(i - 1) } else { "" };
    let (w, n) = (word(j), word(j + 1));
    // What names the day, as (an offset in days from Easter Sunday | a fixed month and day,
    // the words used).
    enum Day {
        Easter(i64),
        Fixed(u32, u32),
    }
    let part_of_day = |w: &str| matches!(w, "morning" | "afternoon" | "evening" | "night");
    // A one-word holiday dates only after "on"/"at" or "the morning of" ("on Victory Day"),
    // not as a name ("the Victory Day parade", "the Easter truce").
    let prev2 = if i > 1 { word(i - 2) } else { "" };
    let dated = (matches!(prev, "on" | "at")
        || prev == "of" && (part_of_day(prev2) || matches!(prev2, "day" | "eve")))
        && !is_occasion_noun(n);
    let (day, len) = match (w, n) {
        ("easter", "sunday" | "day") => (Day::Easter(0), 2),
        ("easter", "monday") => (Day::Easter(1), 2),
        ("easter", "saturday" | "eve") => (Day::Easter(-1), 2),
        ("easter", _) if part_of_day(n) => (Day::Easter(0), 1),
        // "on Easter", "at Easter": the day itself, not "the Easter truce".
        ("easter", _) if dated => (Day::Easter(0), 1),
        ("palm", "sunday") => (Day::Easter(-7), 2),
        ("good", "friday") => (Day::Easter(-2), 2),
        ("holy" | "maundy", "thursday") => (Day::Easter(-3), 2),
        ("holy", "saturday") => (Day::Easter(-1), 2),
        ("trinity", "sunday") => (Day::Easter(49), 2),
        ("christmas", "eve") if orthodox && j > i => (Day::Fixed(1, 6), 2),
        ("christmas", _) if orthodox && j > i => (Day::Fixed(1, 7), 1),
        ("christmas", "eve") => (Day::Fixed(12, 24), 2),
        ("christmas", "day") => (Day::Fixed(12, 25), 2),
        ("christmas", _) if dated => (Day::Fixed(12, 25), 1),
        ("victory" | "independence", "day") if dated || part_of_day(word(j + 2)) => {
            let (m, d) = if w == "victory" { (5, 9) } else { (8, 24) };
            (Day::Fixed(m, d), 2)
        }
        ("new", "year's" | "year\u{2019}s" | "years") => match word(j + 2) {
            "eve" => (Day::Fixed(12, 31), 3),
            _ if dated || word(j + 2) == "day" || part_of_day(word(j + 2)) => {
                (Day::Fixed(1, 1), if word(j + 2) == "day" { 3 } else { 2 })
            }
            _ => return None,
        },
        _ => return None,
    };
    let on = |year: i32| match day {
        Day::Easter(k) => easter(year, orthodox).map(|d| d + Duration::days(k)),
        Day::Fixed(m, d) => NaiveDate::from_ymd_opt(year, m, d),
    };
    let this_year = on(published.year())?;
    let date = if this_year > published {
        on(published.year() - 1)?
    } else {
        this_year
    };
    Some((date, len + (j - i)))
}

/// Nouns that make a holiday name an occasion rather than a day ("the Easter truce").
fn is_occasion_noun(w: &str) -> bool {
    matches!(
        w,
        "truce"
            | "ceasefire"
            | "pause"
            | "holiday"
            | "holidays"
            | "message"
            | "service"
            | "services"
            | "parade"
            | "parades"
            | "celebrations"
            | "truce's"
    )
}
