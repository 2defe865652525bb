//! The program's working-day calendar: which days count, and arithmetic in
//! working days.
//!
//! Every day count in tpm-site is a count of working days. This module maps
//! dates to *working-day ordinals* ([`WorkDay`]): consecutive integers for
//! consecutive working days, so that "the working day after X" is `x + 1` and
//! "N working days from S" is `s + n - 1`. Conversions are O(log holidays).
//! It knows nothing about deliverables or files.

use jiff::civil::{Date, Weekday};

/// A working-day ordinal: consecutive working days have consecutive values.
pub type WorkDay = i64;

/// A Monday, the origin of day numbers.
const EPOCH: Date = jiff::civil::date(1970, 1, 5);

/// Weekdays that are working days, plus holidays, plus fast ordinal arithmetic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Calendar {
    /// Working weekdays, Monday first.
    workdays: [bool; 7],
    /// `prefix[k]`: working weekdays among the first `k` days of a week.
    prefix: [i64; 8],
    /// Holidays that fall on working weekdays, as raw indices (see `raw_index`), sorted, unique.
    holidays: Vec<i64>,
    /// The same holidays as day numbers, sorted, unique.
    holiday_days: Vec<i64>,
}

impl Default for Calendar {
    fn default() -> Self {
        Calendar::new([true, true, true, true, true, false, false], [])
    }
}

/// Monday-first index of a weekday.
pub fn weekday_index(w: Weekday) -> usize {
    w.to_monday_zero_offset() as usize
}

impl Calendar {
    /// A calendar with the given working weekdays (Monday first) and holidays.
    /// At least one weekday must be a working day; callers validate that.
    pub fn new(workdays: [bool; 7], holidays: impl IntoIterator<Item = Date>) -> Calendar {
        let mut prefix = [0i64; 8];
        for k in 0..7 {
            prefix[k + 1] = prefix[k] + i64::from(workdays[k]);
        }
        let mut cal = Calendar {
            workdays,
            prefix,
            holidays: Vec::new(),
            holiday_days: Vec::new(),
        };
        let mut days: Vec<i64> = holidays
            .into_iter()
            .filter(|d| workdays[weekday_index(d.weekday())])
            .map(day_number)
            .collect();
        days.sort_unstable();
        days.dedup();
        cal.holidays = days.iter().map(|&n| cal.raw_index(n)).collect();
        cal.holiday_days = days;
        cal
    }

    /// Working days in a calendar week (5 for Mon-Fri, 7 for `all`).
    pub fn week_len(&self) -> i64 {
        self.prefix[7]
    }

    /// The working weekdays, Monday first.
    pub fn workdays(&self) -> [bool; 7] {
        self.workdays
    }

    /// Whether `d` is a working day (a working weekday and not a holiday).
    pub fn is_working(&self, d: Date) -> bool {
        let n = day_number(d);
        self.workdays[n.rem_euclid(7) as usize] && self.holiday_days.binary_search(&n).is_err()
    }

    /// Whether `d` is a holiday that falls on a working weekday.
    pub fn is_holiday(&self, d: Date) -> bool {
        self.holiday_days.binary_search(&day_number(d)).is_ok()
    }

    /// Working weekdays strictly before day number `n`, ignoring holidays.
    fn raw_index(&self, n: i64) -> i64 {
        n.div_euclid(7) * self.week_len() + self.prefix[n.rem_euclid(7) as usize]
    }

    /// The day number of the working weekday with raw index `k`.
    fn raw_day(&self, k: i64) -> i64 {
        let per_week = self.week_len();
        let (weeks, rem) = (k.div_euclid(per_week), k.rem_euclid(per_week));
        let r = (0..7)
            .find(|&r| self.workdays[r] && self.prefix[r] == rem)
            .expect("a calendar has at least one working weekday");
        weeks * 7 + r as i64
    }

    /// Working days strictly before `d`.
    fn ordinal_before(&self, d: Date) -> WorkDay {
        let n = day_number(d);
        let holidays_before = self.holiday_days.partition_point(|&h| h < n) as i64;
        self.raw_index(n) - holidays_before
    }

    /// The first working day on or after `d` (a start on a non-working day moves forward).
    pub fn on_or_after(&self, d: Date) -> WorkDay {
        self.ordinal_before(d)
    }

    /// The last working day on or before `d` (a finish on a non-working day moves back).
    pub fn on_or_before(&self, d: Date) -> WorkDay {
        let n = day_number(d);
        let holidays_upto = self.holiday_days.partition_point(|&h| h <= n) as i64;
        self.raw_index(n + 1) - holidays_upto - 1
    }

    /// The date of working day `w`.
    pub fn date(&self, w: WorkDay) -> Date {
        // The k-th working day is the (w + c)-th working weekday, where c counts
        // the holidays among raw indices <= w + c; iterate to the fixed point.
        let mut c = 0i64;
        loop {
            let next = self.holidays.partition_point(|&h| h <= w + c) as i64;
            if next == c {
                break;
            }
            c = next;
        }
        date_of_day(self.raw_day(w + c))
    }

    /// Working days from `a` to `b` inclusive of both, when both are working days
    /// (`count(a, a) == 1`).
    pub fn count_inclusive(&self, a: Date, b: Date) -> i64 {
        self.on_or_before(b) - self.on_or_after(a) + 1
    }
}

/// Days since the epoch Monday.
pub fn day_number(d: Date) -> i64 {
    i64::from((d - EPOCH).get_days())
}

/// The date of a day number.
pub fn date_of_day(n: i64) -> Date {
    EPOCH
        .checked_add(jiff::Span::new().days(n))
        .unwrap_or(jiff::civil::Date::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn mon_fri_with(holidays: &[Date]) -> Calendar {
        Calendar::new(
            [true, true, true, true, true, false, false],
            holidays.iter().copied(),
        )
    }

    #[test]
    fn consecutive_working_days_have_consecutive_ordinals() {
        let cal = mon_fri_with(&[date(2027, 5, 31)]);
        // Fri 2027-05-28, then Mon 31 is a holiday, so Tue 2027-06-01 is next.
        let fri = cal.on_or_after(date(2027, 5, 28));
        assert_eq!(cal.date(fri + 1), date(2027, 6, 1));
        assert_eq!(cal.date(fri), date(2027, 5, 28));
        assert_eq!(cal.on_or_after(date(2027, 6, 1)), fri + 1);
    }

    #[test]
    fn snapping_moves_starts_forward_and_finishes_back() {
        let cal = mon_fri_with(&[date(2027, 5, 31)]);
        // Sat 2027-05-29 -> start Tue 06-01 (Mon is a holiday); finish Fri 05-28.
        assert_eq!(
            cal.date(cal.on_or_after(date(2027, 5, 29))),
            date(2027, 6, 1)
        );
        assert_eq!(
            cal.date(cal.on_or_before(date(2027, 5, 29))),
            date(2027, 5, 28)
        );
        assert_eq!(
            cal.date(cal.on_or_before(date(2027, 5, 31))),
            date(2027, 5, 28)
        );
        assert_eq!(
            cal.date(cal.on_or_after(date(2027, 5, 31))),
            date(2027, 6, 1)
        );
        // A working day snaps to itself both ways.
        let d = date(2027, 3, 2);
        assert_eq!(cal.on_or_after(d), cal.on_or_before(d));
    }

    #[test]
    fn inclusive_counts_match_the_spec_example() {
        let cal = Calendar::default();
        // start 2027-03-02, due 2027-03-04 is 3 days.
        assert_eq!(cal.count_inclusive(date(2027, 3, 2), date(2027, 3, 4)), 3);
        // Over a weekend: Fri to Mon is 2 working days.
        assert_eq!(cal.count_inclusive(date(2027, 3, 5), date(2027, 3, 8)), 2);
    }

    #[test]
    fn all_days_calendar_counts_every_day() {
        let cal = Calendar::new([true; 7], []);
        assert_eq!(cal.week_len(), 7);
        let s = cal.on_or_after(date(2027, 1, 4));
        assert_eq!(cal.date(s + 37), date(2027, 2, 10));
    }

    #[test]
    fn holidays_on_weekends_are_ignored_and_duplicates_collapse() {
        let cal = mon_fri_with(&[date(2027, 1, 2), date(2027, 1, 18), date(2027, 1, 18)]);
        assert!(!cal.is_holiday(date(2027, 1, 2)));
        assert!(cal.is_holiday(date(2027, 1, 18)));
        assert!(!cal.is_working(date(2027, 1, 18)));
        assert_eq!(cal.count_inclusive(date(2027, 1, 11), date(2027, 1, 22)), 9);
    }

    #[test]
    fn ordinals_round_trip_against_a_day_by_day_walk() {
        let holidays = [
            date(2026, 12, 25),
            date(2027, 1, 1),
            date(2027, 1, 18),
            date(2027, 1, 19),
        ];
        for workdays in [
            [true, true, true, true, true, false, false],
            [true; 7],
            [false, true, false, true, false, false, true],
        ] {
            let cal = Calendar::new(workdays, holidays);
            let mut d = date(2026, 12, 1);
            let mut expected = cal.on_or_after(d);
            while d < date(2027, 3, 1) {
                if cal.is_working(d) {
                    assert_eq!(cal.on_or_after(d), expected, "{d}");
                    assert_eq!(cal.on_or_before(d), expected, "{d}");
                    assert_eq!(cal.date(expected), d);
                    expected += 1;
                } else {
                    assert_eq!(cal.on_or_after(d), expected, "{d}");
                    assert_eq!(cal.on_or_before(d), expected - 1, "{d}");
                }
                d = d.tomorrow().unwrap();
            }
        }
    }
}
