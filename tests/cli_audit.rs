//! End-to-end tests of `rodedraad audit` as an independent line that fails closed.
//!
//! Every test starts from a clean Kamer report of the sample data (made once), copies it to
//! its own folder, plants one evasion from issue 11 (fixtures in `tests/corpus/audit/`, or
//! made here for XLSX and PDF) and checks that the audit exits 5 with the right finding:
//! file, kind and place, never the value. Every evasion is checked twice: with an empty
//! PATH, so no external program can help the audit, and with the inherited PATH (where
//! `pdftotext` may be), so no external program changes its verdict; the clean report
//! passes both ways.

mod common;
use common::*;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;

static CLEAN: OnceLock<PathBuf> = OnceLock::new();

/// A clean Kamer report of the sample (HTML, PDF, Markdown, XLSX, tabellen.json), made once.
fn clean_report() -> &'static Path {
    CLEAN.get_or_init(|| {
        let dir =
            std::env::temp_dir().join(format!("rodedraad-audit-schoon-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let out = dir.join("kamer");
        report_sample(&out, &[]);
        out
    })
}

/// A fresh copy of the clean report for one test.
fn copy_of_clean(name: &str) -> PathBuf {
    let to = tmp(&format!("audit-{name}"));
    for e in std::fs::read_dir(clean_report()).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, to.join(p.file_name().unwrap())).unwrap();
    }
    to
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(root().join("tests/corpus/audit").join(name)).unwrap()
}

/// `rodedraad audit DIR --json` with an empty PATH.
fn audit(dir: &Path) -> Output {
    audit_with_path(dir, false)
}

/// `rodedraad audit DIR --json`, with the inherited PATH (external tools such as
/// `pdftotext` in reach) or an empty one. `RODEDRAAD_AUDIT_BIN` runs the audit of another
/// build instead (to check that a planted leak is one that build's audit misses); reports
/// are still made by this build.
fn audit_with_path(dir: &Path, tools: bool) -> Output {
    let mut cmd = match std::env::var_os("RODEDRAAD_AUDIT_BIN") {
        Some(other) => {
            let mut c = std::process::Command::new(other);
            c.env("CI", "1");
            c
        }
        None => bin(),
    };
    if !tools {
        cmd.env("PATH", "");
    }
    cmd.args(["audit", dir.to_str().unwrap(), "--json"])
        .output()
        .unwrap()
}

#[derive(Debug)]
struct Found {
    bestand: String,
    soort: String,
    plek: String,
    melding: String,
}

fn findings(o: &Output) -> Vec<Found> {
    let v: serde_json::Value = serde_json::from_str(&stdout(o)).expect("JSON on stdout");
    v["bevindingen"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| Found {
            bestand: f["bestand"].as_str().unwrap().into(),
            soort: f["soort"].as_str().unwrap().into(),
            plek: f["plek"].as_str().unwrap().into(),
            melding: f["melding"].as_str().unwrap().into(),
        })
        .collect()
}

/// The audit exits 5 with a finding on `file` of kind `soort` whose place contains `plek`
/// and whose message contains `melding`, with and without external tools on PATH; the
/// planted value is never repeated.
fn assert_caught(dir: &Path, file: &str, soort: &str, plek: &str, melding: &str, value: &str) {
    for tools in [false, true] {
        assert_caught_with(dir, (file, soort, plek, melding, value), tools);
    }
}

fn assert_caught_with(
    dir: &Path,
    (file, soort, plek, melding, value): (&str, &str, &str, &str, &str),
    tools: bool,
) {
    let o = audit_with_path(dir, tools);
    assert_eq!(o.status.code(), Some(5), "PATH {tools}: {}", stderr(&o));
    let f = findings(&o);
    assert!(
        f.iter().any(|x| x.bestand == file
            && x.soort == soort
            && x.plek.contains(plek)
            && x.melding.contains(melding)),
        "PATH {tools}: no {soort} / {plek} / {melding} on {file}: {f:#?}"
    );
    if !value.is_empty() {
        assert!(!stdout(&o).contains(value) && !stderr(&o).contains(value));
    }
}

fn insert_before_body_end(dir: &Path, snippet: &[u8]) {
    let p = dir.join("rapport.html");
    let html = std::fs::read_to_string(&p).unwrap();
    let at = html.rfind("</body>").expect("the report has a body");
    let planted = format!(
        "{}{}{}",
        &html[..at],
        String::from_utf8_lossy(snippet),
        &html[at..]
    );
    std::fs::write(p, planted).unwrap();
}

fn append(path: &Path, bytes: &[u8]) {
    let mut f = std::fs::OpenOptions::new().append(true).open(path).unwrap();
    f.write_all(b"\n\n").unwrap();
    f.write_all(bytes).unwrap();
}

#[test]
fn a_clean_report_passes_with_and_without_external_tools() {
    let dir = clean_report();
    let o = audit(dir);
    assert_eq!(o.status.code(), Some(0), "{}\n{}", stderr(&o), stdout(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let checked: Vec<&str> = v["gecontroleerd"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect();
    for f in [
        "rapport.html",
        "rapport.md",
        "rapport.pdf",
        "rapport.xlsx",
        "tabellen.json",
    ] {
        assert!(checked.contains(&f), "{f} not checked: {checked:?}");
    }
    let o = run(&["audit", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn html_evasions_are_caught() {
    for (fixture_name, plek, melding) in [
        ("tags.html", "regel", "BSN"),
        ("entiteit.html", "regel", "BSN"),
        ("attribuut.html", "attribuut title", "BSN"),
        ("commentaar.html", "commentaar", "BSN"),
        ("script.html", "script", "e-mailadres"),
    ] {
        let dir = copy_of_clean(fixture_name);
        insert_before_body_end(&dir, &fixture(fixture_name));
        assert_caught(&dir, "rapport.html", "persoonsgegevens", plek, melding, "");
    }
}

#[test]
fn markdown_evasions_are_caught() {
    for fixture_name in ["nulbreedte.md", "zachte-afbreking.md", "fullwidth.md"] {
        let dir = copy_of_clean(fixture_name);
        append(&dir.join("rapport.md"), &fixture(fixture_name));
        assert_caught(&dir, "rapport.md", "persoonsgegevens", "regel", "BSN", "");
    }
}

#[test]
fn a_windows_1252_markdown_file_is_decoded_and_caught() {
    let dir = copy_of_clean("cp1252");
    std::fs::write(dir.join("rapport.md"), fixture("windows-1252.md")).unwrap();
    assert_caught(&dir, "rapport.md", "persoonsgegevens", "regel 3", "BSN", "");
}

#[test]
fn an_svg_text_split_over_tspans_is_caught() {
    let dir = copy_of_clean("tspan");
    std::fs::write(dir.join("grafiek.svg"), fixture("tspan.svg")).unwrap();
    assert_caught(
        &dir,
        "grafiek.svg",
        "persoonsgegevens",
        "regel 1",
        "BSN",
        "",
    );
}

/// Rewrites the parts of a zip file; `edit` may change a part's text.
/// `s` with `text` inserted at byte `at`.
fn insert_at(s: &str, at: usize, text: &str) -> String {
    format!("{}{text}{}", &s[..at], &s[at..])
}

fn rewrite_zip(path: &Path, edit: impl Fn(&str, String) -> String) {
    let bytes = std::fs::read(path).unwrap();
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut zout = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut buf = Vec::new();
        f.read_to_end(&mut buf).unwrap();
        let out = match String::from_utf8(buf.clone()) {
            Ok(s) => edit(&name, s).into_bytes(),
            Err(_) => buf,
        };
        zout.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zout.write_all(&out).unwrap();
    }
    std::fs::write(path, zout.finish().unwrap().into_inner()).unwrap();
}

#[test]
fn xlsx_document_properties_and_sheet_names_are_read() {
    let dir = copy_of_clean("xlsx-props");
    rewrite_zip(&dir.join("rapport.xlsx"), |name, s| {
        if name == "docProps/core.xml" {
            let at = s.rfind("</").unwrap();
            insert_at(&s, at, "<dc:subject>Dossier 1234 56 782</dc:subject>")
        } else {
            s
        }
    });
    assert_caught(
        &dir,
        "rapport.xlsx",
        "persoonsgegevens",
        "documenteigenschappen (core)",
        "BSN",
        "1234 56 782",
    );

    let dir = copy_of_clean("xlsx-blad");
    rewrite_zip(&dir.join("rapport.xlsx"), |name, s| {
        if name == "xl/workbook.xml" {
            s.replacen("<sheet name=\"", "<sheet name=\"06-12345678 ", 1)
        } else {
            s
        }
    });
    assert_caught(
        &dir,
        "rapport.xlsx",
        "persoonsgegevens",
        "bladnaam",
        "telefoonnummer",
        "06-12345678",
    );
}

#[test]
fn pdf_metadata_and_annotations_are_read_without_external_tools() {
    use lopdf::{dictionary, Document, Object};
    let dir = copy_of_clean("pdf-info");
    let path = dir.join("rapport.pdf");
    let mut doc = Document::load(&path).unwrap();
    let info = doc.add_object(dictionary! {
        "Title" => Object::string_literal("Kamerrapportage"),
        "Author" => Object::string_literal("mevrouw Jansen"),
    });
    doc.trailer.set("Info", info);
    doc.save(&path).unwrap();
    assert_caught(
        &dir,
        "rapport.pdf",
        "persoonsgegevens",
        "metadata (Info)",
        "aanhef",
        "Jansen",
    );

    let dir = copy_of_clean("pdf-annot");
    let path = dir.join("rapport.pdf");
    let mut doc = Document::load(&path).unwrap();
    let page = doc.get_pages()[&1];
    let annot = doc.add_object(dictionary! {
        "Type" => "Annot",
        "Subtype" => "Text",
        "Rect" => vec![0.into(), 0.into(), 20.into(), 20.into()],
        "Contents" => Object::string_literal("bel 06-12345678"),
    });
    let page_dict = doc.get_object_mut(page).unwrap().as_dict_mut().unwrap();
    page_dict.set("Annots", vec![Object::Reference(annot)]);
    doc.save(&path).unwrap();
    assert_caught(
        &dir,
        "rapport.pdf",
        "persoonsgegevens",
        "pagina 1, annotatie",
        "telefoonnummer",
        "06-12345678",
    );
}

#[test]
fn the_pdf_page_text_is_extracted_with_its_digits() {
    // A BSN typed into a real report page would be found: check that the page text of the
    // clean report is extracted with digits, through the audit's own reader.
    let bytes = std::fs::read(clean_report().join("rapport.pdf")).unwrap();
    let segs = rodedraad::protect::audit::readers::pdf::read(&bytes).unwrap();
    let page1 = segs.iter().find(|s| s.place == "pagina 1").expect("page 1");
    assert!(
        page1.text.chars().filter(|c| c.is_ascii_digit()).count() >= 10,
        "{}",
        page1.text
    );
    assert!(page1.text.contains("2026"), "{}", page1.text);
}

#[test]
fn unknown_and_unreadable_files_are_findings() {
    let dir = copy_of_clean("onbekend");
    std::fs::write(dir.join("notities.docx"), b"PK\x03\x04").unwrap();
    assert_caught(
        &dir,
        "notities.docx",
        "niet te controleren",
        "bestand",
        "onbekend bestandstype",
        "",
    );

    let dir = copy_of_clean("kapot-pdf");
    std::fs::write(dir.join("rapport.pdf"), fixture("kapot.pdf")).unwrap();
    assert_caught(
        &dir,
        "rapport.pdf",
        "niet te controleren",
        "bestand",
        "PDF",
        "",
    );

    let dir = copy_of_clean("binair-md");
    std::fs::write(dir.join("rapport.md"), b"# Kop\n\x00\x01\x02binair").unwrap();
    assert_caught(
        &dir,
        "rapport.md",
        "niet te controleren",
        "bestand",
        "geen leesbare tekst",
        "",
    );

    let dir = copy_of_clean("geen-lijst");
    std::fs::remove_file(dir.join("tabellen.json")).unwrap();
    assert_caught(
        &dir,
        "tabellen.json",
        "cijferlijst ontbreekt",
        "map",
        "tabellen.json",
        "",
    );
}

#[test]
fn small_counts_in_sentences_and_in_the_figure_list_are_caught() {
    let dir = copy_of_clean("tekst-aantal");
    append(&dir.join("rapport.md"), &fixture("klein-aantal.md"));
    assert_caught(
        &dir,
        "rapport.md",
        "klein aantal in tekst",
        "regel",
        "kleiner dan 5",
        "",
    );

    // A percentage beside a hidden numerator: 7,9% of 38 is 3.
    let dir = copy_of_clean("lijst-pct");
    let p = dir.join("tabellen.json");
    let mut tables: serde_json::Value = read_json(&p);
    tables.as_array_mut().unwrap().push(serde_json::json!({
        "id": "geplant", "titel": "Geplant", "kolommen": ["Dienst", "Aantal", "Aandeel"],
        "rijen": [{"kop": "Dienst X", "totaal": false, "cellen": [
            {"tekst": ".", "soort": "aantal", "waarde": null, "noemer": null, "onderdrukt": true},
            {"tekst": "7,9%", "soort": "percentage", "waarde": null, "noemer": 38, "onderdrukt": false}
        ]}],
        "voetnoten": [], "totaal_kolom": false
    }));
    std::fs::write(&p, serde_json::to_string_pretty(&tables).unwrap()).unwrap();
    assert_caught(
        &dir,
        "tabellen.json",
        "af te leiden uit percentage",
        "tabel geplant, rij 1 (Dienst X), kolom 3 (Aandeel)",
        "teller",
        "",
    );
}

/// A small count planted in the text a reader sees in an SVG chart, an XLSX cell and a PDF
/// page is caught like one in Markdown; the clean report (all five files) passes, so these
/// readers give no finding on real report text (page numbers, table cells, policy text).
#[test]
fn small_counts_in_svg_xlsx_and_pdf_text_are_caught() {
    // SVG: the count and its noun in two tspans of one text, side by side.
    let dir = copy_of_clean("svg-aantal");
    std::fs::write(
        dir.join("grafiek.svg"),
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="20"><text x="0" y="15">Het ging om <tspan x="60">3</tspan><tspan x="70">casussen</tspan>.</text></svg>"#,
    )
    .unwrap();
    assert_caught(
        &dir,
        "grafiek.svg",
        "klein aantal in tekst",
        "regel 1",
        "kleiner dan 5",
        "",
    );

    // XLSX: a text cell of the first sheet.
    let dir = copy_of_clean("xlsx-aantal");
    rewrite_zip(&dir.join("rapport.xlsx"), |name, s| {
        if name.starts_with("xl/worksheets/sheet1") {
            let at = s.find("</sheetData>").expect("a sheet with data");
            insert_at(
                &s,
                at,
                "<row r=\"999\"><c r=\"A999\" t=\"inlineStr\"><is><t>Twee aandragers, 4 signalen.</t></is></c></row>",
            )
        } else {
            s
        }
    });
    assert_caught(
        &dir,
        "rapport.xlsx",
        "klein aantal in tekst",
        "cel A999",
        "kleiner dan 5",
        "",
    );

    // PDF: a sentence on page 1, wrapped over two lines and hyphenated, in a standard font.
    let dir = copy_of_clean("pdf-aantal");
    plant_pdf_text(
        &dir.join("rapport.pdf"),
        &["Het ging om 3 sig-", "nalen van 12 aandragers."],
    );
    assert_caught(
        &dir,
        "rapport.pdf",
        "klein aantal in tekst",
        "pagina 1",
        "kleiner dan 5",
        "",
    );

    // The same sentence with a count of at least min_cel passes.
    let dir = copy_of_clean("pdf-groot");
    plant_pdf_text(
        &dir.join("rapport.pdf"),
        &["Het ging om 13 sig-", "nalen van 12 aandragers."],
    );
    let o = audit(&dir);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

/// Adds lines of text (Helvetica, one under the other) to page 1 of a PDF.
fn plant_pdf_text(path: &Path, lines: &[&str]) {
    use lopdf::content::{Content, Operation};
    use lopdf::{dictionary, Document, Object};
    let mut doc = Document::load(path).unwrap();
    let page = doc.get_pages()[&1];
    let font = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let mut ops = vec![
        Operation::new("BT", vec![]),
        Operation::new("Tf", vec!["FGeplant".into(), 10.into()]),
        Operation::new("Td", vec![40.into(), 40.into()]),
    ];
    for (i, l) in lines.iter().enumerate() {
        if i > 0 {
            ops.push(Operation::new("Td", vec![0.into(), (-12).into()]));
        }
        ops.push(Operation::new("Tj", vec![Object::string_literal(*l)]));
    }
    ops.push(Operation::new("ET", vec![]));
    let content = Content { operations: ops }.encode().unwrap();
    doc.add_page_contents(page, content).unwrap();
    // The page's resources, and their font dictionary, inline or by reference.
    let res_ref = match doc.get_dictionary(page).unwrap().get(b"Resources") {
        Ok(Object::Reference(id)) => Some(*id),
        Ok(_) => None,
        Err(_) => {
            let p = doc.get_object_mut(page).unwrap().as_dict_mut().unwrap();
            p.set("Resources", dictionary! {});
            None
        }
    };
    let res = match res_ref {
        Some(id) => doc.get_object(id).unwrap().as_dict().unwrap().clone(),
        None => doc
            .get_dictionary(page)
            .unwrap()
            .get(b"Resources")
            .unwrap()
            .as_dict()
            .unwrap()
            .clone(),
    };
    let mut fonts = match res.get(b"Font") {
        Ok(Object::Reference(id)) => doc.get_dictionary(*id).unwrap().clone(),
        Ok(Object::Dictionary(d)) => d.clone(),
        _ => dictionary! {},
    };
    fonts.set("FGeplant", Object::Reference(font));
    let mut res = res;
    res.set("Font", fonts);
    match res_ref {
        Some(id) => *doc.get_object_mut(id).unwrap() = Object::Dictionary(res),
        None => doc
            .get_object_mut(page)
            .unwrap()
            .as_dict_mut()
            .unwrap()
            .set("Resources", res),
    }
    doc.save(path).unwrap();
}

/// Two tables of a built figure list, each safe on its own, give a hidden count away
/// together: the intake per dienst hides A and B beside a total of 33, the flow table shows
/// B's 30 received cases. The audit exits 5 on both cells of A; with B at 28 (A = 5) it
/// passes.
#[test]
fn a_hidden_count_recoverable_across_linked_tables_is_caught() {
    let list = |b: u64| {
        let n = |v: u64| serde_json::json!({"tekst": v.to_string(), "soort": "aantal", "waarde": v as f64, "noemer": null, "onderdrukt": false});
        let h = || serde_json::json!({"tekst": ".", "soort": "aantal", "waarde": null, "noemer": null, "onderdrukt": true});
        let row = |kop: &str, totaal: bool, cellen: Vec<serde_json::Value>| serde_json::json!({"kop": kop, "totaal": totaal, "deel_van": null, "cellen": cellen});
        serde_json::json!([
            {"id": "instroom-dienst", "titel": "Instroom per dienst", "kolommen": ["Dienst", "Nu"], "voetnoten": [], "totaal_kolom": false,
             "rijen": [row("A", false, vec![h()]), row("B", false, vec![h()]), row("Totaal", true, vec![n(33)])]},
            {"id": "stroom", "titel": "Stroom", "kolommen": ["Dienst", "Open bij begin", "Ontvangen"], "voetnoten": [], "totaal_kolom": false,
             "rijen": [row("A", false, vec![n(10), h()]), row("B", false, vec![n(5), n(b)]), row("Totaal", true, vec![n(15), h()])]}
        ])
    };
    let dir = copy_of_clean("gekoppeld");
    let p = dir.join("tabellen.json");
    std::fs::write(&p, serde_json::to_string_pretty(&list(30)).unwrap()).unwrap();
    assert_caught(
        &dir,
        "tabellen.json",
        "terug te rekenen",
        "tabel instroom-dienst, rij 1 (A), kolom 2 (Nu)",
        "gekoppelde tabel stroom",
        "",
    );
    assert_caught(
        &dir,
        "tabellen.json",
        "terug te rekenen",
        "tabel stroom, rij 1 (A), kolom 3 (Ontvangen)",
        "gekoppelde tabel instroom-dienst",
        "",
    );

    std::fs::write(&p, serde_json::to_string_pretty(&list(28)).unwrap()).unwrap();
    let o = audit(&dir);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

// ---------- the reader's link model: a planted leak per link family ----------

static INTERNAL: OnceLock<PathBuf> = OnceLock::new();

/// The internal report of the same sample and period: every figure as it is, the truth a
/// buggy renderer would print in the public report.
fn internal_report() -> &'static Path {
    INTERNAL.get_or_init(|| {
        let dir =
            std::env::temp_dir().join(format!("rodedraad-audit-intern-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let out = dir.join("intern");
        report_sample(&out, &["--publiek", "intern", "--format", "md"]);
        out
    })
}

fn tables_of(v: &serde_json::Value) -> &Vec<serde_json::Value> {
    v.as_array()
        .or_else(|| v["tabellen"].as_array())
        .expect("a list of tables")
}

/// The cell (table `id`, row head `kop`, column `col`) of a figure list.
fn cell_of<'a>(v: &'a serde_json::Value, id: &str, kop: &str, col: usize) -> &'a serde_json::Value {
    let t = tables_of(v).iter().find(|t| t["id"] == id).unwrap();
    let r = t["rijen"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["kop"] == kop)
        .unwrap_or_else(|| panic!("{id}: no row {kop}"));
    &r["cellen"][col]
}

/// A buggy renderer: the public figure list of `dir` prints the cells `cells` (table id,
/// row head, column) with their true value, as the internal report has them. Each was
/// hidden in the public report.
fn unhide(dir: &Path, cells: &[(&str, &str, usize)]) {
    let truth = read_json(&internal_report().join("tabellen.json"));
    let path = dir.join("tabellen.json");
    let mut list = read_json(&path);
    for &(id, kop, col) in cells {
        let true_cell = cell_of(&truth, id, kop, col).clone();
        assert_eq!(true_cell["onderdrukt"], false, "{id} {kop} {col}");
        let t = list
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .find(|t| t["id"] == id)
            .unwrap();
        let r = t["rijen"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .find(|r| r["kop"] == kop)
            .unwrap();
        assert_eq!(
            r["cellen"][col]["onderdrukt"], true,
            "{id} {kop} {col} was shown"
        );
        r["cellen"][col] = true_cell;
    }
    std::fs::write(&path, serde_json::to_string_pretty(&list).unwrap()).unwrap();
}

/// `text` in `file` of `dir` replaced (once, where it must be) by `by`.
fn replace_in(dir: &Path, file: &str, text: &str, by: &str) {
    let p = dir.join(file);
    let s = std::fs::read_to_string(&p).unwrap();
    assert!(s.contains(text), "{file} has no {text:?}");
    std::fs::write(&p, s.replacen(text, by, 1)).unwrap();
}

/// The section of the rode draad `label` in a Markdown report.
fn thread_section(md: &str, label: &str) -> String {
    let from = md.find(&format!("### {label}")).unwrap();
    let rest = &md[from + 4..];
    rest[..rest
        .find("\n### ")
        .or_else(|| rest.find("\n## "))
        .unwrap_or(rest.len())]
        .to_string()
}

#[test]
fn the_clean_report_passes_the_readers_model() {
    // the same report the planted leaks below start from, with only its figure list and
    // Markdown (the model reads those) and with only the HTML: nothing is found
    for keep in [&["rapport.md"][..], &["rapport.html"][..]] {
        let dir = copy_of_clean(&format!("model-schoon-{}", keep[0]));
        for f in ["rapport.html", "rapport.md", "rapport.pdf", "rapport.xlsx"] {
            if !keep.contains(&f) {
                std::fs::remove_file(dir.join(f)).unwrap();
            }
        }
        let o = audit(&dir);
        assert_eq!(o.status.code(), Some(0), "{keep:?}: {}", stderr(&o));
    }
}

#[test]
fn a_key_figure_definition_leak_is_caught() {
    // The renderer prints "Volledig opgelost" (60,6%) that the public report hides. Its
    // denominator is the cases with a solution asked, at most the 35 closed ones: only 33
    // gives 60,6% (20 of 33), so the withdrawn cases (afgerond − noemer van oplossing)
    // are 35 − 33, a small count no table prints.
    let dir = copy_of_clean("model-kerncijfers");
    unhide(&dir, &[("kerncijfers", "Volledig opgelost", 0)]);
    assert_caught(
        &dir,
        "tabellen.json",
        "terug te rekenen",
        "ingetrokken casussen",
        "definities en sommen",
        "",
    );
}

#[test]
fn a_thread_text_leak_is_caught() {
    // The renderer prints the split of a thread over the period ("Casussen: 5 in de
    // periode, 3 eerder") beside its quarter table that hides the quarters: the earlier
    // quarters (1 and 2, one of them 0) are then bounded to 0..3.
    let label = "Terugvordering van toeslagen: ouderen, na met pensioen gaan";
    let dir = copy_of_clean("model-draadtekst");
    let truth = std::fs::read_to_string(internal_report().join("rapport.md")).unwrap();
    let true_section = thread_section(&truth, label);
    let split = true_section
        .split("Casussen: ")
        .nth(1)
        .and_then(|s| s.split(" eerder.").next())
        .expect("the internal report prints the split");
    replace_in(
        &dir,
        "rapport.md",
        "pensioen gaan. Dat is 6,8 keer zo vaak als verwacht binnen alle casussen. Hoeveel daarvan in de periode vielen, tonen we niet.",
        &format!("pensioen gaan. Dat is 6,8 keer zo vaak als verwacht binnen alle casussen. Casussen: {split} eerder."),
    );
    assert_caught(
        &dir,
        "tabellen.json",
        "te nauw begrensd",
        "kwartalen, rij 1 (2025-Q2)",
        "de tekst van rapport.md",
        "",
    );
}

#[test]
fn a_flow_balance_leak_is_caught() {
    // The renderer prints Douane's open cases at the end (5) that the public report
    // hides: with its open cases at the start (0) and received (6) shown, the balance
    // gives its handled cases (1).
    let dir = copy_of_clean("model-stroom");
    unhide(&dir, &[("stroom", "Douane", 3)]);
    assert_caught(
        &dir,
        "tabellen.json",
        "terug te rekenen",
        "tabel stroom, rij 5 (Douane), kolom 4 (Afgehandeld)",
        "terug te rekenen",
        "",
    );
}

#[test]
fn a_quarter_leak_is_caught() {
    // The renderer prints Dienst Toeslagen's intake (43). Its own table then gives the
    // combined dienst (4); the period's quarters of that dienst add up to it, and one
    // is shown (0): the hidden 2026-Q1 quarter is 4.
    let dir = copy_of_clean("model-kwartalen");
    unhide(&dir, &[("instroom-dienst", "Dienst Toeslagen", 0)]);
    assert_caught(
        &dir,
        "tabellen.json",
        "terug te rekenen",
        "tabel instroom-kwartaal, rij 5 (2026-Q1), kolom 3 (Belastingdienst en Dienst Toeslagen)",
        "gekoppelde tabel instroom-dienst",
        "",
    );
}

#[test]
fn a_cohort_leak_is_caught() {
    // The renderer prints the intake of 2025-Q2 (11), the same figure as that cohort's
    // "Ontvangen": with the cohort table's totals the first cohort follows.
    let dir = copy_of_clean("model-cohorten");
    unhide(&dir, &[("instroom-kwartaal", "2025-Q2", 5)]);
    assert_caught(
        &dir,
        "tabellen.json",
        "terug te rekenen",
        "tabel cohorten, rij 1 (2025 kw. 1), kolom 7 (Ontvangen)",
        "gekoppelde tabel instroom-kwartaal",
        "",
    );
}

#[test]
fn an_escalation_level_leak_is_caught() {
    // The renderer prints one escalation level: the other levels and the escalated cases
    // without a level in the table are bounded by the escalated count (7) of the key
    // figures.
    let dir = copy_of_clean("model-escalatie");
    unhide(&dir, &[("escalatie", "Teamleider", 0)]);
    assert_caught(
        &dir,
        "tabellen.json",
        "te nauw begrensd",
        "tabel escalatie, rij 1 (Directeur)",
        "gekoppelde tabel kerncijfers",
        "",
    );
}

#[test]
fn a_warm_transfer_leak_is_caught() {
    // The renderer prints the triaged cases of one helper type: the triaged cases per
    // type add up to the denominator of "warm doorverwezen", so the other hidden type is
    // bounded narrowly.
    let dir = copy_of_clean("model-warm");
    unhide(&dir, &[("warm-verwezen", "Burger of ondernemer zelf", 1)]);
    assert_caught(
        &dir,
        "tabellen.json",
        "te nauw begrensd",
        "tabel warm-verwezen, rij 7 (Nationale ombudsman), kolom 3 (Getrieerde casussen)",
        "gekoppelde tabel kerncijfers",
        "",
    );
}

#[test]
fn a_trend_sentence_beside_hidden_quarters_is_caught() {
    // A generated export whose planted rising thread is published at 2026-Q3 (seed 9):
    // its sentence says fewer cases were to be expected, without a number, because its
    // quarter table hides quarters. A renderer that prints the expected count there
    // gives away what the hidden quarters hold together.
    let d = tmp("audit-model-trend");
    let out = rising_thread_report(&d, 9, "2026-Q3");
    let o = audit(&out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    replace_in(
        &out,
        "rapport.md",
        "in de instroom minder te verwachten waren",
        "in de instroom 3,5 te verwachten waren",
    );
    assert_caught(
        &out,
        "rapport.md",
        "kengetal naast verborgen aantallen",
        "tekst (gemiddelde)",
        "gemiddelde",
        "3,5",
    );
}
