//! Plain-number geometry shared by every chart layout: a [`Point`], an
//! axis-aligned [`Rect`], and the single-line text [`Label`] with its
//! [`Anchor`] and its extent (measured in the charts' fonts with
//! [`weighted_width`](crate::layout::text::weighted_width)). The Gantt chart, the
//! milestone trend, the heat map and the dependency diagrams place their
//! pieces with these types; `render::svg` draws them. This module draws
//! nothing and knows no chart: what belongs to one chart (the Gantt chart's
//! time scale and gridlines, the trend's linear day-to-pixel scale and ticks,
//! each chart's legend entries) stays in that chart's layout.

use crate::layout::text::{Weight, weighted_width};

/// A point in chart coordinates (y grows downwards).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

/// An axis-aligned rectangle.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub left: f64,
    pub top: f64,
    pub right: f64,
    pub bottom: f64,
}

impl Rect {
    pub fn width(&self) -> f64 {
        self.right - self.left
    }
    pub fn height(&self) -> f64 {
        self.bottom - self.top
    }
    /// The two share some area (touching edges do not overlap).
    pub fn overlaps(&self, o: &Rect) -> bool {
        self.left < o.right && o.left < self.right && self.top < o.bottom && o.top < self.bottom
    }
    /// `o` lies inside this rectangle (within 1e-6).
    pub fn contains(&self, o: &Rect) -> bool {
        o.left >= self.left - 1e-6
            && o.right <= self.right + 1e-6
            && o.top >= self.top - 1e-6
            && o.bottom <= self.bottom + 1e-6
    }
}

/// How a label's `x` anchors the text (SVG `text-anchor`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

impl Anchor {
    pub fn as_str(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// A single line of text: `x` per `anchor`, `y` the baseline, `size` the
/// font size.
#[derive(Clone, Debug, PartialEq)]
pub struct Label {
    pub text: String,
    pub x: f64,
    pub y: f64,
    pub size: f64,
    pub anchor: Anchor,
    pub bold: bool,
}

impl Label {
    /// A regular label starting at `x`.
    pub fn new(text: impl Into<String>, x: f64, y: f64, size: f64) -> Label {
        Label::anchored(text, x, y, size, Anchor::Start)
    }

    /// A regular label anchored at `x` by `anchor`.
    pub fn anchored(text: impl Into<String>, x: f64, y: f64, size: f64, anchor: Anchor) -> Label {
        Label {
            text: text.into(),
            x,
            y,
            size,
            anchor,
            bold: false,
        }
    }

    /// Advance width, in the bold font when bold.
    pub fn width(&self) -> f64 {
        let weight = if self.bold {
            Weight::Bold
        } else {
            Weight::Regular
        };
        weighted_width(&self.text, self.size, weight)
    }

    /// The estimated box the text covers (ascent 0.8 em, descent 0.25 em).
    pub fn bbox(&self) -> Rect {
        let w = self.width();
        let left = match self.anchor {
            Anchor::Start => self.x,
            Anchor::Middle => self.x - w / 2.0,
            Anchor::End => self.x - w,
        };
        Rect {
            left,
            top: self.y - 0.8 * self.size,
            right: left + w,
            bottom: self.y + 0.25 * self.size,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_anchor_places_the_box() {
        let start = Label::new("abc", 100.0, 50.0, 10.0);
        let w = start.width();
        assert!(w > 0.0);
        let b = start.bbox();
        assert_eq!((b.left, b.right), (100.0, 100.0 + w));
        assert_eq!((b.top, b.bottom), (42.0, 52.5));
        let b = Label::anchored("abc", 100.0, 50.0, 10.0, Anchor::Middle).bbox();
        assert_eq!((b.left, b.right), (100.0 - w / 2.0, 100.0 + w / 2.0));
        let b = Label::anchored("abc", 100.0, 50.0, 10.0, Anchor::End).bbox();
        assert_eq!((b.left, b.right), (100.0 - w, 100.0));
        assert_eq!(Anchor::Middle.as_str(), "middle");
    }

    #[test]
    fn bold_text_is_wider() {
        let mut l = Label::new("Status", 0.0, 0.0, 12.0);
        let regular = l.width();
        assert_eq!(regular, weighted_width("Status", 12.0, Weight::Regular));
        l.bold = true;
        assert_eq!(l.width(), weighted_width("Status", 12.0, Weight::Bold));
        assert!(l.width() > regular * 1.05, "{} vs {regular}", l.width());
        assert_eq!(l.bbox().width(), l.width());
    }

    #[test]
    fn rectangles_overlap_and_contain() {
        let r = Rect {
            left: 0.0,
            top: 0.0,
            right: 10.0,
            bottom: 5.0,
        };
        let touching = Rect {
            left: 10.0,
            right: 20.0,
            ..r
        };
        assert!(!r.overlaps(&touching));
        let inner = Rect {
            left: 2.0,
            top: 1.0,
            right: 10.0,
            bottom: 5.0,
        };
        assert!(r.overlaps(&inner) && r.contains(&inner) && !inner.contains(&r));
        assert_eq!((r.width(), r.height()), (10.0, 5.0));
    }
}
