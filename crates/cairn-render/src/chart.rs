//! Charts as SVG written by Cairn (no plotting library: the few shapes needed are simple, and
//! every one carries its meaning in words as well as color). Each chart has a `<title>` and a
//! `<desc>` that states everything it shows, points are labelled with their values, and each
//! rating has its own marker shape and word, so color is never the only cue.

use std::fmt::Write as _;

use cairn_core::rating::{Figures, Scheme};
use cairn_core::status::{ElementStatus, Status};
use cairn_core::{Direction, Period, Rating};

use crate::html::escape;

/// One indicator's values over time.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub title: String,
    /// What the values count ("people", "percent").
    pub unit: String,
    pub direction: Direction,
    pub baseline: Option<f64>,
    pub targets: Vec<(Period, f64)>,
    pub actuals: Vec<(Period, f64)>,
    pub scheme: Scheme,
}

/// How a rating is drawn and said: (marker, color, word).
fn look(r: Rating) -> (&'static str, &'static str, &'static str) {
    match r {
        Rating::AboveTarget => ("triangle-up", "#00a91c", "above target"),
        Rating::OnTarget => ("circle", "#005ea2", "on target"),
        Rating::Improved => ("diamond", "#936f38", "improved"),
        Rating::BelowTarget => ("triangle-down", "#b50909", "below target"),
        Rating::NotAvailable => ("ring", "#565c65", "not available"),
    }
}

/// An SVG marker centred on (x, y).
fn marker(out: &mut String, r: Rating, x: f64, y: f64) {
    let (shape, color, word) = look(r);
    let s = 6.0;
    let _ = match shape {
        "triangle-up" => write!(
            out,
            r#"<polygon points="{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}" fill="{color}"><title>{word}</title></polygon>"#,
            x,
            y - s,
            x - s,
            y + s,
            x + s,
            y + s
        ),
        "triangle-down" => write!(
            out,
            r#"<polygon points="{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}" fill="{color}"><title>{word}</title></polygon>"#,
            x,
            y + s,
            x - s,
            y - s,
            x + s,
            y - s
        ),
        "diamond" => write!(
            out,
            r#"<polygon points="{:.1},{:.1} {:.1},{:.1} {:.1},{:.1} {:.1},{:.1}" fill="{color}"><title>{word}</title></polygon>"#,
            x,
            y - s,
            x + s,
            y,
            x,
            y + s,
            x - s,
            y
        ),
        "circle" => write!(
            out,
            r#"<circle cx="{x:.1}" cy="{y:.1}" r="{s}" fill="{color}"><title>{word}</title></circle>"#
        ),
        _ => write!(
            out,
            r#"<circle cx="{x:.1}" cy="{y:.1}" r="{s}" fill="none" stroke="{color}" stroke-width="2"><title>{word}</title></circle>"#
        ),
    };
}

/// A number as a label: no trailing zeros, thousands unseparated (the unit follows).
pub fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        let s = format!("{v:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// Each actual's rating against the target of the same period (and the previous actual).
fn rated(s: &Series) -> Vec<(Period, Option<f64>, Option<f64>, Rating)> {
    let mut periods: Vec<Period> = s
        .targets
        .iter()
        .chain(&s.actuals)
        .map(|(p, _)| *p)
        .collect();
    periods.sort();
    periods.dedup();
    let value =
        |list: &[(Period, f64)], p: &Period| list.iter().find(|(q, _)| q == p).map(|(_, v)| *v);
    let mut previous = None;
    periods
        .into_iter()
        .map(|p| {
            let target = value(&s.targets, &p);
            let actual = value(&s.actuals, &p);
            let rating = s
                .scheme
                .assess(
                    s.direction,
                    Figures {
                        target,
                        actual,
                        previous,
                    },
                )
                .rating;
            if actual.is_some() {
                previous = actual;
            }
            (p, target, actual, rating)
        })
        .collect()
}

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 320.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 24.0;
const TOP: f64 = 40.0;
const BOTTOM: f64 = 56.0;

/// The chart of one indicator: the target band (hatched) around the target line (dashed), the
/// baseline (dotted, labelled), and each actual as a labelled marker shaped by its rating.
pub fn indicator_chart(s: &Series) -> String {
    let rows = rated(s);
    let mut desc = format!(
        "{} ({}, {} is better).",
        s.title,
        s.unit,
        match s.direction {
            Direction::Increase => "higher",
            Direction::Decrease => "lower",
        }
    );
    if let Some(b) = s.baseline {
        let _ = write!(desc, " Baseline {}.", number(b));
    }
    for (p, t, a, r) in &rows {
        let _ = write!(
            desc,
            " {p}: target {}, actual {}, {}.",
            t.map_or("none".into(), number),
            a.map_or("none".into(), number),
            look(*r).2
        );
    }
    let mut values: Vec<f64> = rows
        .iter()
        .flat_map(|(_, t, a, _)| {
            let band = t.map(|t| t.abs() * s.scheme.above.max(s.scheme.below));
            [
                *t,
                *a,
                t.zip(band).map(|(t, b)| t + b),
                t.zip(band).map(|(t, b)| t - b),
            ]
        })
        .flatten()
        .chain(s.baseline)
        .filter(|v| v.is_finite())
        .collect();
    if values.is_empty() {
        values.push(0.0);
    }
    let lo = values
        .iter()
        .copied()
        .fold(f64::INFINITY, f64::min)
        .min(0.0);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let hi = if hi <= lo {
        lo + 1.0
    } else {
        hi + (hi - lo) * 0.05
    };
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let y = |v: f64| TOP + plot_h * (1.0 - (v - lo) / (hi - lo));
    let n = rows.len().max(1);
    let x = |i: usize| LEFT + plot_w * (i as f64 + 0.5) / n as f64;

    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" aria-labelledby="chart-title chart-desc" font-family="sans-serif" font-size="12">"#
    );
    let _ = write!(
        out,
        r#"<title id="chart-title">{}</title><desc id="chart-desc">{}</desc>"#,
        escape(&s.title),
        escape(&desc)
    );
    out.push_str(r##"<defs><pattern id="band" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" stroke="#97d4ea" stroke-width="2"/></pattern></defs>"##);
    // Axes with the low and high values.
    let _ = write!(
        out,
        r##"<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{:.1}" stroke="#1b1b1b"/><line x1="{LEFT}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#1b1b1b"/>"##,
        HEIGHT - BOTTOM,
        HEIGHT - BOTTOM,
        WIDTH - RIGHT,
        HEIGHT - BOTTOM
    );
    for v in [lo, (lo + hi) / 2.0, hi] {
        let _ = write!(
            out,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"##,
            LEFT - 6.0,
            y(v) + 4.0,
            escape(&number(v))
        );
    }
    let _ = write!(
        out,
        r##"<text x="{LEFT}" y="{:.1}">{}</text>"##,
        TOP - 16.0,
        escape(&s.unit)
    );
    // The target band and line.
    let targets: Vec<(usize, f64)> = rows
        .iter()
        .enumerate()
        .filter_map(|(i, (_, t, _, _))| t.map(|t| (i, t)))
        .collect();
    for (i, t) in &targets {
        let half = plot_w / n as f64 / 2.0;
        let above = t + t.abs() * s.scheme.above;
        let below = t - t.abs() * s.scheme.below;
        let _ = write!(
            out,
            r##"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="url(#band)"><title>on-target band {} to {}</title></rect>"##,
            x(*i) - half,
            y(above),
            half * 2.0,
            (y(below) - y(above)).max(0.5),
            escape(&number(below)),
            escape(&number(above))
        );
    }
    if !targets.is_empty() {
        let points: Vec<String> = targets
            .iter()
            .map(|(i, t)| format!("{:.1},{:.1}", x(*i), y(*t)))
            .collect();
        let _ = write!(
            out,
            r##"<polyline points="{}" fill="none" stroke="#1b1b1b" stroke-dasharray="6 4"><title>target</title></polyline>"##,
            points.join(" ")
        );
    }
    if let Some(b) = s.baseline {
        let _ = write!(
            out,
            r##"<line x1="{LEFT}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#565c65" stroke-dasharray="2 3"/><text x="{:.1}" y="{:.1}" text-anchor="end" fill="#565c65">baseline {}</text>"##,
            y(b),
            WIDTH - RIGHT,
            y(b),
            WIDTH - RIGHT,
            y(b) - 4.0,
            escape(&number(b))
        );
    }
    // Actuals: markers with their value and rating in words.
    for (i, (p, _, a, r)) in rows.iter().enumerate() {
        let _ = write!(
            out,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"##,
            x(i),
            HEIGHT - BOTTOM + 18.0,
            escape(&p.to_string())
        );
        if let Some(a) = a {
            marker(&mut out, *r, x(i), y(*a));
            let _ = write!(
                out,
                r##"<text x="{:.1}" y="{:.1}" text-anchor="middle">{} ({})</text>"##,
                x(i),
                y(*a) - 10.0,
                escape(&number(*a)),
                look(*r).2
            );
        }
    }
    out.push_str("</svg>");
    out
}

/// Every goal and objective (sub-objectives indented) with its rating: a marker of the
/// rating's shape, the rating in words, and how complete it is.
pub fn status_chart(title: &str, st: &Status) -> String {
    let mut rows: Vec<(usize, String, String, Rating, f64)> = Vec::new();
    fn walk(
        e: &ElementStatus,
        depth: usize,
        label: &str,
        rows: &mut Vec<(usize, String, String, Rating, f64)>,
    ) {
        rows.push((
            depth,
            format!("{label} {}", e.number),
            e.title.clone(),
            e.rating,
            e.completeness,
        ));
        let child = if depth == 0 {
            "Objective"
        } else {
            "Sub-objective"
        };
        for c in &e.objectives {
            walk(c, depth + 1, child, rows);
        }
    }
    for g in &st.goals {
        walk(g, 0, "Goal", &mut rows);
    }
    for m in &st.management_objectives {
        walk(m, 0, "Management objective", &mut rows);
    }
    let row_h = 26.0;
    let height = TOP + row_h * rows.len() as f64 + 16.0;
    let mut desc = format!("Mission rating for {}: {}.", st.period, look(st.rating).2);
    for (_, label, _, r, c) in &rows {
        let _ = write!(desc, " {label}: {} ({:.0}% rated).", look(*r).2, c * 100.0);
    }
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" aria-labelledby="status-title status-desc" font-family="sans-serif" font-size="12">"#
    );
    let _ = write!(
        out,
        r#"<title id="status-title">{}</title><desc id="status-desc">{}</desc>"#,
        escape(title),
        escape(&desc)
    );
    let _ = write!(
        out,
        r##"<text x="8" y="20" font-weight="bold">{}: {}</text>"##,
        escape(&st.period.to_string()),
        look(st.rating).2
    );
    for (i, (depth, label, name, r, c)) in rows.iter().enumerate() {
        let y = TOP + row_h * i as f64 + row_h / 2.0;
        let indent = 16.0 + 18.0 * *depth as f64;
        marker(&mut out, *r, indent, y);
        let short: String = name.chars().take(60).collect();
        let ellipsis = if name.chars().count() > 60 { "…" } else { "" };
        let _ = write!(
            out,
            r##"<text x="{:.1}" y="{:.1}">{}: {} ({:.0}% rated)</text><text x="{:.1}" y="{:.1}" fill="#565c65">{}{}</text>"##,
            indent + 12.0,
            y + 4.0,
            escape(label),
            look(*r).2,
            c * 100.0,
            indent + 12.0 + 250.0,
            y + 4.0,
            escape(&short),
            ellipsis
        );
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Period {
        s.parse().unwrap_or_else(|e| panic!("{e}"))
    }

    fn series() -> Series {
        Series {
            title: "People trained <illustrative>".into(),
            unit: "people".into(),
            direction: Direction::Increase,
            baseline: Some(40.0),
            targets: vec![
                (p("FY2022"), 100.0),
                (p("FY2023"), 120.0),
                (p("FY2024"), 150.0),
            ],
            actuals: vec![
                (p("FY2022"), 95.0),
                (p("FY2023"), 90.0),
                (p("FY2024"), 180.0),
            ],
            scheme: Scheme::default(),
        }
    }

    fn well_formed(svg: &str) {
        let mut r = quick_xml::Reader::from_str(svg);
        loop {
            match r.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(e) => panic!("not well-formed at {}: {e}\n{svg}", r.buffer_position()),
            }
        }
    }

    #[test]
    fn an_indicator_chart_says_everything_in_words_too() {
        let svg = indicator_chart(&series());
        well_formed(&svg);
        assert!(svg.contains("&lt;illustrative&gt;"), "titles are escaped");
        // The text equivalent names every period, its target, actual and rating.
        for part in [
            "FY2022: target 100, actual 95, on target.",
            "FY2023: target 120, actual 90, below target.",
            "FY2024: target 150, actual 180, above target.",
            "Baseline 40.",
        ] {
            assert!(svg.contains(part), "{part} missing from {svg}");
        }
        // Ratings are shapes and words beside the points, not only colors.
        assert!(svg.contains("180 (above target)"));
        assert!(svg.contains("<title>below target</title></polygon>"));
        assert!(svg.contains("baseline 40"));
        assert!(svg.contains(r#"fill="url(#band)""#));
    }

    #[test]
    fn improved_is_drawn_against_the_previous_actual() {
        let mut s = series();
        s.actuals[1].1 = 100.0;
        s.actuals[2].1 = 110.0; // below 150's band, but better than 100
        let svg = indicator_chart(&s);
        assert!(svg.contains("110 (improved)"), "{svg}");
    }

    #[test]
    fn empty_and_degenerate_series_still_draw() {
        let mut s = series();
        s.targets.clear();
        s.actuals.clear();
        s.baseline = None;
        well_formed(&indicator_chart(&s));
        s.actuals = vec![(p("2023-01"), f64::NAN)];
        well_formed(&indicator_chart(&s));
        s.actuals = vec![(p("2023-01"), 5.0)];
        s.targets = vec![(p("2023-01"), 5.0)];
        well_formed(&indicator_chart(&s));
    }

    #[test]
    fn the_status_chart_lists_every_element_with_its_rating_in_words() {
        let leaf = |n: &str, r| ElementStatus {
            number: n.into(),
            title: format!("Title of {n}"),
            rating: r,
            completeness: 1.0,
            indicators: vec![],
            milestones: vec![],
            objectives: vec![],
        };
        let st = Status {
            period: "FY2023".parse().unwrap_or_else(|e| panic!("{e}")),
            rating: Rating::Improved,
            completeness: 1.0,
            goals: vec![ElementStatus {
                objectives: vec![
                    leaf("1.1", Rating::AboveTarget),
                    leaf("1.2", Rating::Improved),
                ],
                ..leaf("1", Rating::Improved)
            }],
            management_objectives: vec![leaf("1", Rating::NotAvailable)],
        };
        let svg = status_chart("Mali & co", &st);
        well_formed(&svg);
        for part in [
            "Mission rating for FY2023: improved.",
            "Objective 1.1: above target (100% rated).",
            "Management objective 1: not available",
            "Mali &amp; co",
        ] {
            assert!(svg.contains(part), "{part} missing from {svg}");
        }
    }
}
