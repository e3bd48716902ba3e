//! The report as one self-contained HTML page with inline SVG charts: no script, no font or
//! stylesheet from outside (government intranets are closed), so the web UI can serve it as is
//! and a browser can print it.

use workflow::Counts;

use crate::compile::{Report, emulation};
use crate::docx::{COUNT_KEYS, deadline_cell, progress_cell, report_subject, timeliness_cell};
use crate::xml::escape;
use crate::{Templates, vn_date};

const COLOURS: [&str; 5] = ["#2e7d32", "#f9a825", "#1565c0", "#c62828", "#9e9e9e"];

fn values(c: &Counts) -> [u64; 5] {
    [
        c.done_on_time,
        c.done_late,
        c.open_on_time,
        c.open_overdue,
        c.no_deadline,
    ]
}

/// The report as HTML.
pub fn report_html(report: &Report, t: &Templates) -> String {
    let subject = report_subject(report, t);
    let mut h = format!(
        "<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>{}</title><style>\
         body{{font-family:'Times New Roman',serif;max-width:60em;margin:2em auto;font-size:14pt}}\
         .head{{display:flex;justify-content:space-between;text-align:center;font-size:13pt}}\
         h1,h2{{text-align:center;font-size:14pt}}table{{border-collapse:collapse;width:100%;font-size:11pt}}\
         td,th{{border:1px solid #000;padding:2px 4px;vertical-align:top}}td.n{{text-align:right}}\
         </style></head><body>",
        escape(&subject)
    );
    h.push_str("<div class=\"head\"><div><b>");
    h.push_str(
        &t.lines("issuer")
            .iter()
            .map(|l| escape(l))
            .collect::<Vec<_>>()
            .join("<br>"),
    );
    h.push_str(&format!(
        "</b></div><div><b>{}<br>{}</b></div></div>",
        escape(t.get("motto_title")),
        escape(t.get("motto"))
    ));
    h.push_str(&format!(
        "<h1>{}</h1><h2>{}</h2><p>{}</p>",
        escape(t.get("report_type")),
        escape(&subject),
        escape(&t.fill(
            "report_intro",
            &[
                ("period", &report.request.period.label_vi()),
                ("as_of", &vn_date(report.as_of))
            ]
        ))
    ));
    h.push_str(&format!("<h3>{}</h3>", escape(t.get("section_overall"))));
    h.push_str(&bar(&[(String::new(), report.overall)], t));
    h.push_str("<table><tr>");
    h.push_str(&format!(
        "<th>{}</th><th>{}</th>",
        escape(t.get("col_agency")),
        escape(t.get("col_total"))
    ));
    for k in COUNT_KEYS {
        h.push_str(&format!("<th>{}</th>", escape(t.get(k))));
    }
    h.push_str("</tr>");
    let mut row = |name: &str, c: &Counts| {
        h.push_str(&format!(
            "<tr><td>{}</td><td class=n>{}</td>",
            escape(name),
            c.total()
        ));
        for v in values(c) {
            h.push_str(&format!("<td class=n>{v}</td>"));
        }
        h.push_str("</tr>");
    };
    for a in &report.agencies {
        row(&a.name, &a.counts);
    }
    row(t.get("total_row"), &report.overall);
    h.push_str("</table>");
    h.push_str(&format!("<h3>{}</h3>", escape(t.get("section_agencies"))));
    let bars: Vec<(String, Counts)> = report
        .agencies
        .iter()
        .map(|a| (a.name.clone(), a.counts))
        .collect();
    h.push_str(&bar(&bars, t));
    h.push_str(&format!(
        "<h3>{}</h3><table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        escape(t.get("section_emulation")),
        escape(t.get("col_rank")),
        escape(t.get("col_agency")),
        escape(t.get("count_done_on_time")),
        escape(t.get("count_done_late")),
        escape(t.get("count_open_overdue")),
        escape(t.get("col_rate"))
    ));
    for e in emulation(report) {
        h.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td class=n>{}</td><td class=n>{}</td><td class=n>{}</td><td class=n>{}</td></tr>",
            e.rank.map_or("-".into(), |r| r.to_string()),
            escape(&e.name),
            e.on_time,
            e.late,
            e.overdue,
            e.rate.map_or("-".into(), |r| format!("{:.1}%", r * 100.0))
        ));
    }
    h.push_str(&format!(
        "</table><p><i>{}</i></p><h3>{}</h3><table><tr>",
        escape(t.get("emulation_note")),
        escape(t.get("annex_title"))
    ));
    for k in crate::compile::ANNEX_COLUMNS {
        h.push_str(&format!("<th>{}</th>", escape(t.get(k))));
    }
    h.push_str("</tr>");
    for (i, r) in report.annex.iter().enumerate() {
        let leads: Vec<&str> = r.leads.iter().map(|(_, n)| n.as_str()).collect();
        h.push_str(&format!(
            "<tr><td>{}</td><td>{} ({})</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            i + 1,
            escape(&r.document),
            escape(&r.outline_id),
            escape(&r.text),
            escape(&leads.join("; ")),
            escape(&r.supports.join("; ")),
            escape(&deadline_cell(r, t)),
            escape(r.status.label_vi()),
            escape(timeliness_cell(r.assessment.timeliness)),
            escape(&progress_cell(r))
        ));
    }
    h.push_str("</table></body></html>");
    h
}

/// Stacked horizontal bars, one per row, with a legend.
fn bar(rows: &[(String, Counts)], t: &Templates) -> String {
    let label_w = if rows.iter().all(|(n, _)| n.is_empty()) {
        0
    } else {
        260
    };
    let (bar_w, row_h) = (440.0, 22);
    let max = rows
        .iter()
        .map(|(_, c)| c.total())
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let height = rows.len() * row_h + 30;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{height}\" role=\"img\" font-size=\"11\">",
        label_w + 480
    );
    for (i, (name, c)) in rows.iter().enumerate() {
        let y = i * row_h;
        s.push_str(&format!(
            "<text x=\"0\" y=\"{}\">{}</text>",
            y + 15,
            escape(name)
        ));
        let mut x = label_w as f64;
        for (k, v) in values(c).iter().enumerate() {
            let w = *v as f64 / max * bar_w;
            if *v > 0 {
                s.push_str(&format!(
                    "<rect x=\"{x:.1}\" y=\"{}\" width=\"{w:.1}\" height=\"{}\" fill=\"{}\"><title>{}: {v}</title></rect>",
                    y + 3,
                    row_h - 6,
                    COLOURS[k],
                    escape(t.get(COUNT_KEYS[k]))
                ));
            }
            x += w;
        }
        s.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{}\">{}</text>",
            x + 4.0,
            y + 15,
            c.total()
        ));
    }
    let y = rows.len() * row_h + 18;
    let mut x = 0;
    for (k, key) in COUNT_KEYS.iter().enumerate() {
        s.push_str(&format!(
            "<rect x=\"{x}\" y=\"{}\" width=\"10\" height=\"10\" fill=\"{}\"/><text x=\"{}\" y=\"{}\">{}</text>",
            y - 9,
            COLOURS[k],
            x + 14,
            y,
            escape(t.get(key))
        ));
        x += 150;
    }
    s.push_str("</svg>");
    s
}
