//! Charts as inline SVG (plotters, no fonts needed: text stays `<text>`).
//!
//! Every chart is drawn from released data ([`crate::protect::publication::Chart`]):
//! a suppressed value is `None` and is not drawn. Each function returns the
//! SVG markup, made accessible with `role="img"` and a `<title>`.
//!
//! ```
//! use rodedraad::render::charts::{horizontal_bars, Bar};
//! let svg = horizontal_bars("Test", &[Bar { label: "a".into(), value: Some(3.0), group: 0 }], "aantal");
//! assert!(svg.contains("<svg") && svg.contains("role=\"img\""));
//! ```

use plotters::prelude::*;

/// Palette with enough contrast on white (WCAG AA for large graphics).
pub const PALETTE: [RGBColor; 6] = [
    RGBColor(0x15, 0x42, 0x73), // dark blue
    RGBColor(0xB2, 0x2A, 0x2A), // red
    RGBColor(0x2E, 0x7D, 0x32), // green
    RGBColor(0x8A, 0x5A, 0x00), // ochre
    RGBColor(0x5E, 0x35, 0xB1), // purple
    RGBColor(0x4A, 0x4A, 0x4A), // grey
];

/// Fixed colours for the services and recipients, so a dienst has the same colour in
/// every chart; other names take the remaining colours in order of appearance.
const NAMED_COLOURS: &[(&str, usize)] = &[
    ("Belastingdienst", 0),
    ("Dienst Toeslagen", 1),
    ("Belastingdienst en Dienst Toeslagen", 4),
    ("Douane", 2),
    ("Anders", 5),
    ("Andere organisatie", 5),
];

/// The palette index of each name: a named service keeps its colour; the others get
/// the unused colours in turn.
pub fn colours(names: &[&str]) -> Vec<usize> {
    let fixed = |n: &str| {
        NAMED_COLOURS
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(n))
            .map(|(_, i)| *i)
    };
    let mut used: Vec<usize> = names.iter().filter_map(|n| fixed(n)).collect();
    names
        .iter()
        .map(|n| {
            fixed(n).unwrap_or_else(|| {
                let free = (0..PALETTE.len())
                    .find(|i| !used.contains(i))
                    .unwrap_or(used.len() % PALETTE.len());
                used.push(free);
                free
            })
        })
        .collect()
}

/// Splits a label into lines of at most `width` characters at spaces (a word longer
/// than the width gets a line of its own, never cut).
pub fn wrap(label: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in label.split_whitespace() {
        match lines.last_mut() {
            Some(l) if l.chars().count() + 1 + word.chars().count() <= width => {
                l.push(' ');
                l.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

pub use crate::protect::publication::{Bar, Series};
use crate::protect::publication::{Chart, ChartData};

/// Draws a released chart as SVG.
pub fn draw(chart: &Chart) -> String {
    match &chart.data {
        ChartData::StackedBars {
            categories,
            series,
            unit,
        } => stacked_bars(&chart.heading, categories, series, unit),
        ChartData::HorizontalBars { bars, x_label } => {
            horizontal_bars(&chart.heading, bars, x_label)
        }
        ChartData::Columns {
            categories,
            values,
            unit,
        } => columns(&chart.heading, categories, values, unit),
        ChartData::StepCurve {
            points,
            x_label,
            y_label,
        } => step_curve(&chart.heading, points, x_label, y_label),
    }
}

fn finish(svg: String, title: &str) -> String {
    let esc = title
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    svg.replacen("<svg ", "<svg role=\"img\" ", 1).replacen(
        '>',
        &format!("><title>{esc}</title>"),
        1,
    )
}

fn font(size: u32) -> TextStyle<'static> {
    ("sans-serif", size).into_font().color(&BLACK)
}

/// Stacked vertical bars per category (e.g. intake per quarter by dienst).
pub fn stacked_bars(
    title: &str,
    categories: &[String],
    series: &[Series],
    y_label: &str,
) -> String {
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (760, 360)).into_drawing_area();
        let _ = root.fill(&WHITE);
        let totals: Vec<f64> = (0..categories.len())
            .map(|i| {
                series
                    .iter()
                    .filter_map(|s| s.values.get(i).copied().flatten())
                    .sum()
            })
            .collect();
        let max = totals.iter().cloned().fold(1.0, f64::max) * 1.1;
        let n = categories.len().max(1);
        let fmt = category_label(categories);
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .margin_right(200)
            .set_label_area_size(LabelAreaPosition::Left, 50)
            .set_label_area_size(LabelAreaPosition::Bottom, 40)
            .build_cartesian_2d(-0.6f64..(n as f64 - 0.4), 0f64..max)
            .expect("chart");
        let yfmt = |y: &f64| crate::nl::dec(*y, 0);
        let _ = chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(n)
            .x_label_formatter(&fmt)
            .y_label_formatter(&yfmt)
            .y_desc(y_label)
            .label_style(font(12))
            .axis_desc_style(font(12))
            .draw();
        let names: Vec<&str> = series.iter().map(|s| s.name.as_str()).collect();
        let colour = colours(&names);
        for i in 0..categories.len() {
            let mut base = 0.0;
            for (k, s) in series.iter().enumerate() {
                let Some(v) = s.values.get(i).copied().flatten() else {
                    continue;
                };
                let c = PALETTE[colour[k]];
                let _ = chart.draw_series(std::iter::once(Rectangle::new(
                    [(i as f64 - 0.35, base), (i as f64 + 0.35, base + v)],
                    c.filled(),
                )));
                base += v;
            }
        }
        // The legend names only series with something drawn; long names wrap.
        let mut y = 20;
        for (k, s) in series.iter().enumerate() {
            if !s.values.iter().any(|v| v.is_some_and(|x| x > 0.0)) {
                continue;
            }
            let c = PALETTE[colour[k]];
            let _ = root.draw(&Rectangle::new([(570, y), (584, y + 12)], c.filled()));
            for line in wrap(&s.name, 24) {
                let _ = root.draw(&Text::new(line, (590, y), font(12)));
                y += 15;
            }
            y += 5;
        }
        let _ = root.present();
    }
    finish(buf, title)
}

/// Horizontal bars (funnel, rode draden by size).
pub fn horizontal_bars(title: &str, bars: &[Bar], x_label: &str) -> String {
    let mut buf = String::new();
    {
        let line_count = bars
            .iter()
            .map(|b| wrap(&b.label, 46).len().max(1))
            .max()
            .unwrap_or(1) as u32;
        let h = 60 + (14 + 14 * line_count) * bars.len().max(1) as u32;
        let root = SVGBackend::with_string(&mut buf, (760, h)).into_drawing_area();
        let _ = root.fill(&WHITE);
        let max = bars.iter().filter_map(|b| b.value).fold(1.0, f64::max) * 1.15;
        let n = bars.len().max(1);
        // Labels are drawn by hand below, wrapped over lines: never cut.
        let fmt = |_: &f64| String::new();
        let mut chart = ChartBuilder::on(&root)
            .margin(10)
            .set_label_area_size(LabelAreaPosition::Left, 330)
            .set_label_area_size(LabelAreaPosition::Bottom, 36)
            .build_cartesian_2d(0f64..max, -0.6f64..(n as f64 - 0.4))
            .expect("chart");
        let xfmt = |x: &f64| crate::nl::dec(*x, 0);
        let _ = chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n)
            .y_label_formatter(&fmt)
            .x_label_formatter(&xfmt)
            .x_desc(x_label)
            .label_style(font(12))
            .axis_desc_style(font(12))
            .draw();
        for (i, b) in bars.iter().enumerate() {
            let y = (n - 1 - i) as f64;
            let (_, py) = chart.backend_coord(&(0.0, y));
            let lines = wrap(&b.label, 46);
            let top = py - (lines.len() as i32 * 13) / 2;
            for (j, line) in lines.iter().enumerate() {
                let _ = root.draw(&Text::new(
                    line.clone(),
                    (12, top + j as i32 * 13),
                    font(11),
                ));
            }
            match b.value {
                Some(v) => {
                    let c = PALETTE[b.group % PALETTE.len()];
                    let _ = chart.draw_series(std::iter::once(Rectangle::new(
                        [(0.0, y - 0.32), (v, y + 0.32)],
                        c.filled(),
                    )));
                    let _ = chart.draw_series(std::iter::once(Text::new(
                        crate::nl::dec(v, 0),
                        (v + max * 0.01, y + 0.1),
                        font(11),
                    )));
                }
                None => {
                    let _ = chart.draw_series(std::iter::once(Text::new(
                        ". (onderdrukt)".to_string(),
                        (max * 0.01, y + 0.1),
                        font(11),
                    )));
                }
            }
        }
        let _ = root.present();
    }
    finish(buf, title)
}

/// A small column chart: one value per category; a hidden value is marked "." and
/// "niet getoond" in place of its column.
pub fn columns(
    title: &str,
    categories: &[String],
    values: &[Option<f64>],
    y_label: &str,
) -> String {
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (480, 200)).into_drawing_area();
        let _ = root.fill(&WHITE);
        let max = values.iter().flatten().cloned().fold(1.0, f64::max) * 1.2;
        let n = categories.len().max(1);
        let fmt = category_label(categories);
        let mut chart = ChartBuilder::on(&root)
            .margin(10)
            .set_label_area_size(LabelAreaPosition::Left, 44)
            .set_label_area_size(LabelAreaPosition::Bottom, 32)
            .build_cartesian_2d(-0.6f64..(n as f64 - 0.4), 0f64..max)
            .expect("chart");
        let yfmt = |y: &f64| crate::nl::dec(*y, 0);
        let _ = chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(n)
            .y_labels((max as usize).clamp(2, 6))
            .x_label_formatter(&fmt)
            .y_label_formatter(&yfmt)
            .y_desc(y_label)
            .label_style(font(10))
            .axis_desc_style(font(10))
            .draw();
        for (i, v) in values.iter().enumerate() {
            let x = i as f64;
            match v {
                Some(v) => {
                    let _ = chart.draw_series(std::iter::once(Rectangle::new(
                        [(x - 0.3, 0.0), (x + 0.3, *v)],
                        PALETTE[0].filled(),
                    )));
                }
                None => {
                    let _ = chart.draw_series(std::iter::once(Text::new(
                        ". niet getoond".to_string(),
                        (x - 0.3, max * 0.06),
                        font(9),
                    )));
                }
            }
        }
        let _ = root.present();
    }
    finish(buf, title)
}

/// A step curve (Kaplan-Meier): points (x, y) with y in [0, 1] shown as a percentage.
pub fn step_curve(title: &str, points: &[(f64, f64)], x_label: &str, y_label: &str) -> String {
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (760, 340)).into_drawing_area();
        let _ = root.fill(&WHITE);
        let xmax = points.iter().map(|p| p.0).fold(30.0, f64::max) * 1.05;
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .set_label_area_size(LabelAreaPosition::Left, 56)
            .set_label_area_size(LabelAreaPosition::Bottom, 40)
            .build_cartesian_2d(0f64..xmax, 0f64..1.0)
            .expect("chart");
        let yfmt = |y: &f64| crate::nl::pct(*y, 0);
        let xfmt = |x: &f64| crate::nl::dec(*x, 0);
        let _ = chart
            .configure_mesh()
            .x_desc(x_label)
            .x_label_formatter(&xfmt)
            .y_desc(y_label)
            .y_label_formatter(&yfmt)
            .label_style(font(12))
            .axis_desc_style(font(12))
            .draw();
        let mut stepped = vec![(0.0, 1.0)];
        let mut last = 1.0;
        for &(x, y) in points {
            stepped.push((x, last));
            stepped.push((x, y));
            last = y;
        }
        // The line ends at its last point: drawn on, it would show the share at days the
        // table may hide.
        if points.is_empty() {
            stepped.push((xmax, last));
        }
        let _ = chart.draw_series(LineSeries::new(stepped, PALETTE[0].stroke_width(2)));
        let _ = chart.draw_series(LineSeries::new(
            vec![(0.0, 0.5), (xmax, 0.5)],
            PALETTE[5].stroke_width(1),
        ));
        let _ = root.present();
    }
    finish(buf, title)
}

/// The x-axis label formatter of a category axis: category `i` sits at `x = i`; no
/// label between categories.
fn category_label(categories: &[String]) -> impl Fn(&f64) -> String {
    let cats = categories.to_vec();
    move |x: &f64| {
        let i = x.round() as usize;
        if (x - x.round()).abs() < 1e-9 && i < cats.len() {
            cats[i].clone()
        } else {
            String::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suppressed_values_are_not_drawn_but_marked() {
        let svg = horizontal_bars(
            "Rode draden",
            &[
                Bar {
                    label: "groot".into(),
                    value: Some(12.0),
                    group: 0,
                },
                Bar {
                    label: "klein".into(),
                    value: None,
                    group: 1,
                },
            ],
            "casussen",
        );
        assert!(svg.contains("onderdrukt"));
        assert!(svg.contains("<title>Rode draden</title>"));
    }

    #[test]
    fn charts_are_deterministic() {
        let s = vec![Series {
            name: "Dienst Toeslagen".into(),
            values: vec![Some(3.0), None, Some(5.0)],
        }];
        let c = vec!["2025-Q1".to_string(), "2025-Q2".into(), "2025-Q3".into()];
        assert_eq!(
            stacked_bars("x", &c, &s, "aantal"),
            stacked_bars("x", &c, &s, "aantal")
        );
        let k = step_curve("km", &[(10.0, 0.8), (40.0, 0.4)], "dagen", "nog open");
        assert!(k.contains("polyline") || k.contains("path"));
    }
}
