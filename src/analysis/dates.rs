//! Fast conversion of working-day ordinals back to dates and text.
//!
//! An analysis turns a few hundred thousand ordinals into dates (six per item)
//! and writes dates into risk messages. [`Calendar::date`] and jiff's
//! `Display` cost about 100 ns each; a [`DateTable`] walks the calendar once
//! over the range of ordinals in use and answers by indexing, and
//! [`Iso`] writes `YYYY-MM-DD` digits directly.

use std::fmt;

use jiff::civil::Date;

use crate::model::{Calendar, WorkDay};

/// Ranges wider than this many working days (about 400 years of Mon-Fri) are
/// not tabulated: such dates go through [`Calendar::date`] one by one.
const MAX_SPAN: i64 = 100_000;

/// The dates of the working days `first..first + dates.len()`.
pub(super) struct DateTable<'a> {
    cal: &'a Calendar,
    first: WorkDay,
    dates: Vec<Date>,
}

impl<'a> DateTable<'a> {
    /// A table covering every ordinal in `ordinals` (when their span is
    /// reasonable; otherwise an empty table that defers to the calendar).
    pub(super) fn covering(
        cal: &'a Calendar,
        ordinals: impl IntoIterator<Item = WorkDay>,
    ) -> DateTable<'a> {
        let (mut lo, mut hi) = (WorkDay::MAX, WorkDay::MIN);
        for w in ordinals {
            lo = lo.min(w);
            hi = hi.max(w);
        }
        let mut table = DateTable {
            cal,
            first: lo,
            dates: Vec::new(),
        };
        if lo > hi || hi - lo >= MAX_SPAN {
            return table;
        }
        let mut d = cal.date(lo);
        table.dates.reserve((hi - lo + 1) as usize);
        table.dates.push(d);
        for _ in lo..hi {
            match next_working(cal, d) {
                Some(next) => d = next,
                None => break, // the end of jiff's range: the rest falls back
            }
            table.dates.push(d);
        }
        table
    }

    /// The date of working day `w`.
    pub(super) fn date(&self, w: WorkDay) -> Date {
        usize::try_from(w - self.first)
            .ok()
            .and_then(|k| self.dates.get(k))
            .copied()
            .unwrap_or_else(|| self.cal.date(w))
    }
}

fn next_working(cal: &Calendar, d: Date) -> Option<Date> {
    let mut x = d.tomorrow().ok()?;
    while !cal.is_working(x) {
        x = x.tomorrow().ok()?;
    }
    Some(x)
}

/// Displays a date as ISO `YYYY-MM-DD`, exactly like jiff's `Display`, without
/// its general-purpose printer.
#[derive(Clone, Copy, Debug)]
pub(super) struct Iso(pub Date);

impl fmt::Display for Iso {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.0;
        let (y, m, day) = (d.year(), d.month(), d.day());
        if !(0..=9999).contains(&y) {
            return write!(f, "{d}");
        }
        let y = y as u16;
        let digits = [
            b'0' + (y / 1000) as u8,
            b'0' + (y / 100 % 10) as u8,
            b'0' + (y / 10 % 10) as u8,
            b'0' + (y % 10) as u8,
            b'-',
            b'0' + (m / 10) as u8,
            b'0' + (m % 10) as u8,
            b'-',
            b'0' + (day / 10) as u8,
            b'0' + (day % 10) as u8,
        ];
        f.write_str(std::str::from_utf8(&digits).map_err(|_| fmt::Error)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn the_table_agrees_with_the_calendar_inside_and_outside_its_range() {
        let cal = Calendar::new(
            [true, true, true, true, true, false, false],
            [date(2027, 1, 18), date(2027, 5, 31), date(2027, 12, 25)],
        );
        let lo = cal.on_or_after(date(2027, 1, 1));
        let hi = cal.on_or_before(date(2028, 1, 31));
        let table = DateTable::covering(&cal, [hi, lo, lo + 3]);
        assert_eq!(table.dates.len() as i64, hi - lo + 1);
        for w in lo - 30..hi + 30 {
            assert_eq!(table.date(w), cal.date(w), "{w}");
        }
        let empty = DateTable::covering(&cal, []);
        assert_eq!(empty.date(lo), cal.date(lo));
        let wide = DateTable::covering(&cal, [lo, lo + MAX_SPAN]);
        assert!(wide.dates.is_empty());
        assert_eq!(wide.date(lo + 5), cal.date(lo + 5));
    }

    #[test]
    fn dates_are_written_like_jiff_writes_them() {
        for d in [
            date(2027, 1, 4),
            date(2027, 12, 31),
            date(999, 3, 9),
            date(9999, 12, 31),
            date(-5, 1, 1),
        ] {
            assert_eq!(format!("x {}", Iso(d)), format!("x {d}"));
        }
    }
}
