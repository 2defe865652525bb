//! The loose value forms sources write: dates in ISO and the usual
//! spreadsheet forms, durations with units, percentages, status words, and
//! the slug an id is made from. Each parser says what it expected when a value
//! does not parse.

use jiff::civil::Date;

use crate::model::Status;

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

fn month_of(word: &str) -> Option<i8> {
    let w = word.to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| w.starts_with(m) && m.starts_with(&w[..3]))
        .map(|k| k as i8 + 1)
}

fn year_of(s: &str) -> Option<i16> {
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match s.len() {
        4 => s.parse().ok(),
        2 => {
            let y: i16 = s.parse().ok()?;
            Some(if y < 69 { 2000 + y } else { 1900 + y })
        }
        _ => None,
    }
}

fn num(s: &str) -> Option<i8> {
    (!s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

fn make(y: i16, m: i8, d: i8, original: &str) -> Result<Date, String> {
    Date::new(y, m, d).map_err(|_| format!("`{original}` is not a date that exists"))
}

/// A date in ISO form (`2027-03-15`, with or without a time), `2027/03/15`,
/// US `3/15/2027` or `3/15/27` (day first when the first number is over 12),
/// `15.03.2027`, `15-Mar-2027`, `15/Mar/27 5:00 PM` (Jira), `15 March 2027`,
/// `March 15, 2027`, optionally after a weekday (`Mon 3/15/27`, MS Project).
pub fn parse_date(s: &str) -> Result<Date, String> {
    let original = s.trim();
    let mut t = original;
    // A weekday in front.
    if let Some((first, rest)) = t.split_once([' ', ',']) {
        let f = first.to_ascii_lowercase();
        if f.len() >= 3 && WEEKDAYS.iter().any(|w| f.starts_with(w)) {
            t = rest.trim_start_matches([',', ' ']);
        }
    }
    // A time after the date: `T08:00:00`, ` 08:00`, ` 5:00 PM`.
    let date_part = match t.find(['T', ' ']) {
        Some(i) if t[..i].bytes().filter(|b| b.is_ascii_digit()).count() >= 4 => &t[..i],
        _ => t,
    };
    let bad = || {
        format!(
            "`{original}` is not a date: write it as 2027-03-15 (or 3/15/2027, 15.03.2027, 15-Mar-2027)"
        )
    };
    let parts: Vec<&str> = date_part.split(['-', '/', '.']).collect();
    if parts.len() == 3 {
        let (a, b, c) = (parts[0], parts[1], parts[2]);
        if a.len() == 4 {
            let y = year_of(a).ok_or_else(bad)?;
            let m = num(b).ok_or_else(bad)?;
            let d = num(c).ok_or_else(bad)?;
            return make(y, m, d, original);
        }
        if let Some(m) = month_of(b) {
            let d = num(a).ok_or_else(bad)?;
            let y = year_of(c).ok_or_else(bad)?;
            return make(y, m, d, original);
        }
        let y = year_of(c).ok_or_else(bad)?;
        let (x, z) = (num(a).ok_or_else(bad)?, num(b).ok_or_else(bad)?);
        // Dots are day first (15.03.2027); slashes and dashes month first
        // unless the first number cannot be a month.
        let (m, d) = if date_part.contains('.') || x > 12 {
            (z, x)
        } else {
            (x, z)
        };
        return make(y, m, d, original);
    }
    // Words: `15 March 2027`, `March 15, 2027`.
    let words: Vec<&str> = t
        .split([' ', ','])
        .filter(|w| !w.is_empty())
        .take(3)
        .collect();
    if words.len() == 3 {
        if let Some(m) = month_of(words[1]) {
            let d = num(words[0]).ok_or_else(bad)?;
            let y = year_of(words[2]).ok_or_else(bad)?;
            return make(y, m, d, original);
        }
        if let Some(m) = month_of(words[0]) {
            let d = num(words[1]).ok_or_else(bad)?;
            let y = year_of(words[2]).ok_or_else(bad)?;
            return make(y, m, d, original);
        }
    }
    Err(bad())
}

/// A duration in working days, and a note when it had to be rounded.
#[derive(Debug, PartialEq, Eq)]
pub struct Days {
    pub days: i64,
    pub rounded: Option<String>,
}

/// `5d`, `5 days`, `5` (days), `2w`/`2 wks`, `16h`/`16 hrs` (8 hours a day),
/// `5 days?` (MS Project's estimate mark), `1.5d` (rounded up, with a note).
/// `week_len` is working days per week.
pub fn parse_duration(s: &str, week_len: i64, hours_per_day: f64) -> Result<Days, String> {
    let original = s.trim();
    let t = original.trim_end_matches('?').trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (n, unit) = (&t[..split], t[split..].trim().to_ascii_lowercase());
    let bad = || format!("`{original}` is not a duration: write e.g. `5d`, `5 days` or `2w`");
    if n.is_empty() || n.len() > 12 {
        return Err(bad());
    }
    let value: f64 = n.parse().map_err(|_| bad())?;
    let factor = match unit.as_str() {
        "" | "d" | "day" | "days" | "dy" | "dys" => 1.0,
        "w" | "wk" | "wks" | "week" | "weeks" => week_len as f64,
        "h" | "hr" | "hrs" | "hour" | "hours" => 1.0 / hours_per_day,
        "mo" | "mon" | "mons" | "month" | "months" => 4.0 * week_len as f64,
        _ => return Err(bad()),
    };
    let exact = value * factor;
    if !exact.is_finite() || exact > 100_000.0 {
        return Err(format!("`{original}` is longer than 100,000 working days"));
    }
    let days = exact.ceil() as i64;
    let rounded = ((days as f64 - exact).abs() > 1e-9).then(|| {
        format!("`{original}` is not a whole number of working days: rounded up to {days}d")
    });
    Ok(Days { days, rounded })
}

/// `40%`, `40`, `0.4` (a fraction: a spreadsheet's percent cell).
pub fn parse_percent(s: &str) -> Result<u8, String> {
    let original = s.trim();
    let t = original.trim_end_matches('%').trim();
    let bad = || format!("`{original}` is not a percentage from 0 to 100");
    let v: f64 = t.parse().map_err(|_| bad())?;
    let v = if t.contains('.') && v <= 1.0 && !original.ends_with('%') {
        v * 100.0
    } else {
        v
    };
    if !(0.0..=100.0).contains(&v) {
        return Err(bad());
    }
    Ok(v.round() as u8)
}

/// A status word: tpm-site's own (`on_track`), and the usual tracker words
/// (`Done`, `Complete`, `In Progress`, `To Do`, `On hold`, ...).
pub fn parse_status(s: &str) -> Option<Status> {
    let w: String = s
        .trim()
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c == '_' || c == '-' { ' ' } else { c })
        .collect();
    let w = w.split_whitespace().collect::<Vec<_>>().join(" ");
    Some(match w.as_str() {
        "not started"
        | "to do"
        | "todo"
        | "open"
        | "new"
        | "backlog"
        | "planned"
        | "not yet started"
        | "selected for development" => Status::NotStarted,
        "on track" | "in progress" | "active" | "started" | "doing" | "in review" | "ongoing"
        | "green" => Status::OnTrack,
        "at risk" | "late" | "delayed" | "amber" | "yellow" => Status::AtRisk,
        "blocked" | "on hold" | "red" | "stuck" => Status::Blocked,
        "done" | "complete" | "completed" | "closed" | "finished" | "resolved" | "shipped" => {
            Status::Done
        }
        _ => return None,
    })
}

/// An id made from a name: ASCII transliteration (`Thiết kế` -> `thiet-ke`),
/// lowercase, dashes, at most 56 characters (room for a `-2` suffix).
pub fn slug(name: &str) -> String {
    let ascii = deunicode::deunicode(name);
    let s = crate::model::fields::slugify(&ascii);
    let mut s: String = s.chars().take(56).collect();
    while s.ends_with('-') {
        s.pop();
    }
    if s.is_empty() { "item".into() } else { s }
}

/// Pieces of a list cell: split at commas and semicolons (and newlines),
/// each with its byte offset in `s`, trimmed, empty pieces dropped.
pub fn split_list(s: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in s.char_indices().chain(std::iter::once((s.len(), ','))) {
        if matches!(c, ',' | ';' | '\n') {
            let piece = &s[start..i];
            let lead = piece.len() - piece.trim_start().len();
            let p = piece.trim();
            if !p.is_empty() {
                out.push((start + lead, p));
            }
            start = i + c.len_utf8();
        }
    }
    out
}

/// Whitespace-separated words of `s`, each with its byte offset.
pub fn split_words(s: &str, base: usize) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices().chain(std::iter::once((s.len(), ' '))) {
        match (c.is_whitespace(), start) {
            (true, Some(st)) => {
                out.push((base + st, &s[st..i]));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn dates_in_the_usual_spreadsheet_forms() {
        let d = date(2027, 3, 15);
        for s in [
            "2027-03-15",
            "2027-03-15T08:00:00",
            "2027-03-15 17:00",
            "2027/03/15",
            "3/15/2027",
            "03/15/27",
            "15/03/2027",
            "15.03.2027",
            "15-Mar-2027",
            "15/Mar/27 5:00 PM",
            "15 March 2027",
            "March 15, 2027",
            "Mon 3/15/27",
        ] {
            assert_eq!(parse_date(s), Ok(d), "{s}");
        }
        assert!(parse_date("2027-02-30").unwrap_err().contains("exists"));
        assert!(parse_date("next week").unwrap_err().contains("not a date"));
        assert!(parse_date("").is_err());
    }

    #[test]
    fn durations_with_units_and_rounding() {
        let d = |s| parse_duration(s, 5, 8.0);
        assert_eq!(d("5d").unwrap().days, 5);
        assert_eq!(d("5 days?").unwrap().days, 5);
        assert_eq!(d("7").unwrap().days, 7);
        assert_eq!(d("2 wks").unwrap().days, 10);
        assert_eq!(d("16h").unwrap().days, 2);
        let r = d("1.5d").unwrap();
        assert_eq!(r.days, 2);
        assert!(r.rounded.unwrap().contains("rounded up"));
        assert!(d("soon").is_err());
        assert!(d("-3d").is_err());
        assert!(d("1e9d").is_err());
    }

    #[test]
    fn percentages_statuses_and_slugs() {
        assert_eq!(parse_percent("40%"), Ok(40));
        assert_eq!(parse_percent("0.4"), Ok(40));
        assert_eq!(parse_percent("100"), Ok(100));
        assert!(parse_percent("140").is_err());
        assert_eq!(parse_status("In Progress"), Some(Status::OnTrack));
        assert_eq!(parse_status("on_track"), Some(Status::OnTrack));
        assert_eq!(parse_status("Completed"), Some(Status::Done));
        assert_eq!(parse_status("banana"), None);
        assert_eq!(
            slug("Backend - Thiết kế DB menu"),
            "backend-thiet-ke-db-menu"
        );
        assert_eq!(slug("Quản lý Đơn hàng"), "quan-ly-don-hang");
        assert_eq!(slug("!!!"), "item");
        assert_eq!(
            split_list("a, b;c ,, d"),
            vec![(0, "a"), (3, "b"), (5, "c"), (10, "d")]
        );
        assert_eq!(split_words("a  bc", 4), vec![(4, "a"), (7, "bc")]);
    }
}
