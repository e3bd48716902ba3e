//! The dashboard's completion chart: inline SVG written here, no script. Colours come from
//! the style sheet through classes (the pages' CSP admits no inline styles); the numbers are
//! also in a table beside it for screen readers.

use std::fmt::Write;

/// Completion on one day.
pub(crate) struct Point {
    /// The day, as the axis names it ("12/2022").
    pub label: String,
    /// Tasks completed by then (on time or late).
    pub done: u64,
    /// Tasks counted that day.
    pub total: u64,
}

impl Point {
    /// Completed, in whole percent of those counted; none when nothing was counted.
    pub(crate) fn percent(&self) -> Option<u64> {
        (self.total > 0).then(|| (self.done * 100 + self.total / 2) / self.total)
    }
}

const WIDTH: u64 = 640;
const HEIGHT: u64 = 240;
const TOP: u64 = 24;
const BOTTOM: u64 = 32;
const LEFT: u64 = 44;

/// Bars of the completion rate per point, 0–100 %. Labels are ours (dates and numbers), so
/// nothing needs escaping.
pub(crate) fn completion(points: &[Point]) -> String {
    let plot = HEIGHT - TOP - BOTTOM;
    let slot = (WIDTH - LEFT) / (points.len().max(1) as u64);
    let bar = slot * 3 / 5;
    let mut svg = format!(
        "<svg class=\"bieu-do\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" \
         aria-labelledby=\"bieu-do-ten\" preserveAspectRatio=\"xMidYMid meet\">\
         <title id=\"bieu-do-ten\">Tỷ lệ nhiệm vụ đã hoàn thành theo thời gian</title>"
    );
    for pct in [0, 50, 100] {
        let y = TOP + plot - plot * pct / 100;
        let _ = write!(
            svg,
            "<line class=\"luoi\" x1=\"{LEFT}\" x2=\"{WIDTH}\" y1=\"{y}\" y2=\"{y}\"/>\
             <text class=\"truc\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{pct}%</text>",
            LEFT - 6,
            y + 4
        );
    }
    for (i, p) in points.iter().enumerate() {
        let x = LEFT + slot * i as u64 + (slot - bar) / 2;
        let pct = p.percent().unwrap_or(0);
        let h = plot * pct / 100;
        let y = TOP + plot - h;
        let centre = x + bar / 2;
        let shown = p.percent().map_or("–".to_owned(), |v| format!("{v}%"));
        let _ = write!(
            svg,
            "<rect class=\"cot\" x=\"{x}\" y=\"{y}\" width=\"{bar}\" height=\"{h}\"/>\
             <text class=\"so-lieu\" x=\"{centre}\" y=\"{}\" text-anchor=\"middle\">{shown}</text>\
             <text class=\"truc\" x=\"{centre}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            y.saturating_sub(6).max(12),
            HEIGHT - 10,
            p.label
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_rate_and_nothing_counted_is_a_dash() {
        let points = [
            Point {
                label: "11/2022".into(),
                done: 0,
                total: 0,
            },
            Point {
                label: "12/2022".into(),
                done: 3,
                total: 4,
            },
        ];
        assert_eq!(points[1].percent(), Some(75));
        let svg = completion(&points);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains(">75%<") && svg.contains(">–<"));
        assert!(svg.contains("height=\"138\""), "{svg}");
        assert!(!svg.contains("NaN"));
    }
}
