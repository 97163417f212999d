//! The HTML report in a real headless browser (Debian's chromium): an automated
//! accessibility check with axe-core (no serious or critical violations), a
//! screenshot, and an internal report printed to PDF by the browser with "INTERN" at the
//! top and bottom of every printed page. In CI (`CI` set) a missing browser or axe-core is
//! a failure; on a developer machine without them the test says so and passes.
//!
//! axe-core is found through `AXE_CORE_JS`, or `target/axe/node_modules/axe-core/axe.min.js`
//! (`.ci/run` installs it there with npm).

mod common;
use common::*;
use std::path::PathBuf;

fn chromium() -> Option<PathBuf> {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

fn axe() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("AXE_CORE_JS")
        .map(PathBuf::from)
        .filter(|p| p.exists())
    {
        return Some(p);
    }
    let p = root().join("target/axe/node_modules/axe-core/axe.min.js");
    p.exists().then_some(p)
}

fn headless(
    args: &[&str],
    page: &std::path::Path,
    profile: &std::path::Path,
) -> std::process::Output {
    std::process::Command::new(chromium().unwrap())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--allow-file-access-from-files",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs")
}

/// Whether the browser test may be skipped here (no chromium); in CI a missing browser fails.
fn no_browser() -> bool {
    if chromium().is_some() {
        return false;
    }
    if std::env::var_os("CI").is_some() {
        panic!("chromium ontbreekt in CI; .ci/run hoort het te installeren");
    }
    eprintln!("chromium ontbreekt: browsertest overgeslagen");
    true
}

/// The internal HTML report as a reader prints it: chromium's own print to PDF (A4, no
/// browser header or footer), read back page by page with the audit's PDF reader. Every
/// page carries the marking twice: the fixed bar at the top and the fixed footer.
#[test]
fn an_internal_html_report_prints_intern_on_every_page() {
    if no_browser() {
        return;
    }
    let out = tmp("browser-intern");
    let o = report_sample(
        &out.join("rapport"),
        &["--publiek", "intern", "--format", "html"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let pdf = out.join("afdruk.pdf");
    let p = headless(
        &[
            "--no-pdf-header-footer",
            "--virtual-time-budget=10000",
            &format!("--print-to-pdf={}", pdf.display()),
        ],
        &out.join("rapport/rapport.html"),
        &out.join("profiel"),
    );
    let bytes = std::fs::read(&pdf)
        .unwrap_or_else(|e| panic!("geen afdruk ({e}): {}", String::from_utf8_lossy(&p.stderr)));
    let segments = rodedraad::protect::audit::readers::pdf::read(&bytes).unwrap();
    let mut pages: std::collections::BTreeMap<usize, String> = Default::default();
    for s in &segments {
        let Some(n) = s
            .place
            .strip_prefix("pagina ")
            .filter(|rest| !rest.contains(','))
            .and_then(|n| n.trim().parse::<usize>().ok())
        else {
            continue;
        };
        pages.entry(n).or_default().push_str(&s.text);
    }
    assert!(pages.len() > 5, "{} pagina's", pages.len());
    for (n, text) in &pages {
        let marks = text.matches("INTERN").count();
        assert!(marks >= 2, "pagina {n}: {marks} keer INTERN");
    }
}

#[test]
fn html_report_passes_axe_and_renders() {
    let (Some(_), Some(axe_js)) = (chromium(), axe()) else {
        if std::env::var_os("CI").is_some() {
            panic!("chromium of axe-core ontbreekt in CI; .ci/run hoort ze te installeren");
        }
        eprintln!("chromium of axe-core ontbreekt: browsertest overgeslagen");
        return;
    };
    let out = tmp("browser");
    report_sample(&out.join("rapport"), &["--format", "html"]);
    let html = std::fs::read_to_string(out.join("rapport/rapport.html")).unwrap();
    assert!(html.contains("<html lang=\"nl\">"));
    for needle in ["src=\"http", "href=\"http", "url(http", "@import", "<link "] {
        assert!(!html.contains(needle), "self-contained: found {needle}");
    }

    // Screenshot of the first page.
    let shot = root().join("target/rapport-screenshot.png");
    let _ = std::fs::create_dir_all(shot.parent().unwrap());
    let s = headless(
        &[
            "--window-size=1280,1600",
            &format!("--screenshot={}", shot.display()),
        ],
        &out.join("rapport/rapport.html"),
        &out.join("profiel1"),
    );
    assert!(
        shot.exists() && std::fs::metadata(&shot).unwrap().len() > 10_000,
        "screenshot: {}",
        String::from_utf8_lossy(&s.stderr)
    );

    // axe-core in the page; the result is written into the DOM and read with --dump-dom.
    let runner = format!(
        "<script>{}</script><script>axe.run(document, {{resultTypes: ['violations']}}).then(function (r) {{ var pre = document.createElement('pre'); pre.id = 'axe-uitslag'; pre.textContent = JSON.stringify(r.violations.map(function (v) {{ return {{id: v.id, impact: v.impact, nodes: v.nodes.length}}; }})); document.body.appendChild(pre); }});</script></body>",
        std::fs::read_to_string(axe_js).unwrap()
    );
    let page = out.join("axe.html");
    std::fs::write(&page, html.replacen("</body>", &runner, 1)).unwrap();
    let o = headless(
        &["--dump-dom", "--virtual-time-budget=30000"],
        &page,
        &out.join("profiel2"),
    );
    let dom = String::from_utf8_lossy(&o.stdout);
    let start = dom
        .find("<pre id=\"axe-uitslag\">")
        .expect("axe ran and wrote its result")
        + "<pre id=\"axe-uitslag\">".len();
    let end = start + dom[start..].find("</pre>").unwrap();
    let json = dom[start..end]
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
    let violations: serde_json::Value = serde_json::from_str(&json).unwrap();
    eprintln!("axe-core: {violations}");
    let serious: Vec<&serde_json::Value> = violations
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["impact"] == "serious" || v["impact"] == "critical")
        .collect();
    assert!(
        serious.is_empty(),
        "ernstige toegankelijkheidsproblemen: {serious:?}"
    );
}
