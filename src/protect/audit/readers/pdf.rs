//! PDF reader in pure Rust (lopdf for the object model; text decoding done here).
//!
//! Reads, per page, the text a viewer shows (through each font's ToUnicode map, or the
//! WinAnsi encoding of a simple font without one), including text in form XObjects and
//! marked-content replacement text; then every string and name object of the document
//! (Info metadata, annotations, bookmarks, form fields, structure tree) and XMP metadata.
//! A glyph that maps to no Unicode text, an encrypted file, an embedded file or JavaScript
//! makes the PDF unreadable: the audit reports it instead of passing it.
//!
//! Text runs on one baseline are joined (with a space when there is a visible gap);
//! runs far apart on a line or on another line go on a new line.
//!
//! ```no_run
//! let bytes = std::fs::read("rapport.pdf").unwrap();
//! for s in rodedraad::protect::audit::readers::pdf::read(&bytes).unwrap() {
//!     println!("{}: {}", s.place, s.text);
//! }
//! ```

use super::markup::xml_strings;
use super::Segment;
use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId};
use std::collections::{BTreeMap, HashMap};

/// Reads all text of a PDF. `Err` says why the PDF cannot be checked.
pub fn read(bytes: &[u8]) -> Result<Vec<Segment>, String> {
    let doc = Document::load_mem_with_password(bytes, "")
        .map_err(|e| format!("PDF niet te openen: {e}"))?;
    if doc.is_encrypted() && doc.encryption_state.is_none() {
        return Err("PDF is versleuteld en niet te controleren".into());
    }
    let mut out = Vec::new();
    let mut labels: HashMap<ObjectId, String> = HashMap::new();
    if let Ok(Object::Reference(id)) = doc.trailer.get(b"Info") {
        labels.insert(*id, "metadata (Info)".into());
    } else if let Ok(Object::Dictionary(d)) = doc.trailer.get(b"Info") {
        strings_in(
            &doc,
            &Object::Dictionary(d.clone()),
            "metadata (Info)",
            &mut out,
        )?;
    }
    let pages = doc.get_pages();
    if pages.is_empty() {
        return Err("PDF zonder pagina's".into());
    }
    for (num, page_id) in &pages {
        labels.insert(*page_id, format!("pagina {num}"));
        for id in annotation_ids(&doc, *page_id) {
            labels.insert(id, format!("pagina {num}, annotatie"));
        }
        let page = page_text(&doc, *page_id).map_err(|e| format!("pagina {num}: {e}"))?;
        if page.unmapped > 0 {
            return Err(format!(
                "pagina {num}: {} teken(s) zonder Unicode-betekenis; de tekst is niet betrouwbaar te lezen",
                page.unmapped
            ));
        }
        out.push(Segment::visible(format!("pagina {num}"), page.text));
        for t in page.extra {
            out.push(Segment::hidden(
                format!("pagina {num}, vervangende tekst"),
                t,
            ));
        }
    }
    for (id, obj) in &doc.objects {
        let label = labels
            .get(id)
            .cloned()
            .unwrap_or_else(|| format!("object {} {}", id.0, id.1));
        strings_in(&doc, obj, &label, &mut out)?;
    }
    Ok(out)
}

fn annotation_ids(doc: &Document, page: ObjectId) -> Vec<ObjectId> {
    let Ok(d) = doc.get_dictionary(page) else {
        return vec![];
    };
    let annots = match d.get(b"Annots") {
        Ok(Object::Reference(id)) => doc.get_object(*id).ok(),
        Ok(o) => Some(o),
        Err(_) => None,
    };
    annots
        .and_then(|a| a.as_array().ok())
        .map(|a| a.iter().filter_map(|o| o.as_reference().ok()).collect())
        .unwrap_or_default()
}

fn text_string(bytes: &[u8]) -> String {
    lopdf::decode_text_string(&Object::String(
        bytes.to_vec(),
        lopdf::StringFormat::Literal,
    ))
    .unwrap_or_else(|_| String::from_utf8_lossy(bytes).into_owned())
}

/// Every string and name inside `obj` (not following references), XMP streams as XML.
fn strings_in(
    doc: &Document,
    obj: &Object,
    label: &str,
    out: &mut Vec<Segment>,
) -> Result<(), String> {
    match obj {
        Object::String(b, _) => {
            let t = text_string(b);
            if !t.trim().is_empty() {
                out.push(Segment::hidden(label, t));
            }
        }
        Object::Name(n) => out.push(Segment::hidden(label, decode_name(n))),
        Object::Array(a) => {
            for x in a {
                strings_in(doc, x, label, out)?;
            }
        }
        Object::Dictionary(d) => dict_strings(doc, d, label, out)?,
        Object::Stream(s) => {
            dict_strings(doc, &s.dict, label, out)?;
            let kind = |k: &[u8]| s.dict.get(k).and_then(Object::as_name).ok();
            if kind(b"Type") == Some(&b"EmbeddedFile"[..]) {
                return Err(format!("{label}: ingebed bestand, niet te controleren"));
            }
            if kind(b"Type") == Some(&b"Metadata"[..]) || kind(b"Subtype") == Some(&b"XML"[..]) {
                let data = s
                    .decompressed_content()
                    .unwrap_or_else(|_| s.content.clone());
                let xml = String::from_utf8(data)
                    .map_err(|_| format!("{label}: XMP-metadata is geen UTF-8"))?;
                out.extend(xml_strings(&xml, &format!("{label}, metadata (XMP)")));
            }
        }
        _ => {}
    }
    Ok(())
}

fn dict_strings(
    doc: &Document,
    d: &Dictionary,
    label: &str,
    out: &mut Vec<Segment>,
) -> Result<(), String> {
    for (k, v) in d.iter() {
        match k.as_slice() {
            // Binary identifiers and encryption keys, no text.
            b"ID" | b"O" | b"U" | b"OE" | b"UE" | b"Perms" => continue,
            b"JS" | b"JavaScript" => {
                return Err(format!("{label}: JavaScript, niet te controleren"))
            }
            _ => {}
        }
        strings_in(doc, v, label, out)?;
    }
    Ok(())
}

fn decode_name(n: &[u8]) -> String {
    String::from_utf8_lossy(n).into_owned()
}

// ---------- fonts ----------

/// What the audit needs of a font: code length, code → text, code → width.
struct Font {
    two_byte: bool,
    map: HashMap<u32, String>,
    /// No ToUnicode: a simple font read as Windows-1252.
    winansi: bool,
    widths: HashMap<u32, f64>,
    default_width: f64,
}

fn num(o: &Object) -> Option<f64> {
    match o {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(*r as f64),
        _ => None,
    }
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    doc.dereference(o).map(|(_, x)| x).unwrap_or(o)
}

fn font(doc: &Document, d: &Dictionary) -> Font {
    let subtype = d
        .get(b"Subtype")
        .and_then(Object::as_name)
        .unwrap_or_default();
    let two_byte = subtype == b"Type0";
    let map = d
        .get(b"ToUnicode")
        .ok()
        .map(|o| deref(doc, o))
        .and_then(|o| o.as_stream().ok())
        .and_then(|s| {
            s.decompressed_content()
                .ok()
                .or_else(|| Some(s.content.clone()))
        })
        .map(|c| parse_cmap(&String::from_utf8_lossy(&c)))
        .unwrap_or_default();
    let has_differences = d
        .get(b"Encoding")
        .ok()
        .map(|o| deref(doc, o))
        .and_then(|o| o.as_dict().ok())
        .is_some_and(|e| e.has(b"Differences"));
    let winansi = map.is_empty() && !two_byte && subtype != b"Type3" && !has_differences;
    let mut widths = HashMap::new();
    let mut default_width = 500.0;
    if two_byte {
        if let Some(desc) = d
            .get(b"DescendantFonts")
            .ok()
            .map(|o| deref(doc, o))
            .and_then(|o| o.as_array().ok())
            .and_then(|a| a.first())
            .map(|o| deref(doc, o))
            .and_then(|o| o.as_dict().ok())
        {
            default_width = desc.get(b"DW").ok().and_then(num).unwrap_or(1000.0);
            if let Some(w) = desc
                .get(b"W")
                .ok()
                .map(|o| deref(doc, o))
                .and_then(|o| o.as_array().ok())
            {
                cid_widths(doc, w, &mut widths);
            }
        }
    } else {
        let first = d.get(b"FirstChar").ok().and_then(num).unwrap_or(0.0) as u32;
        if let Some(w) = d
            .get(b"Widths")
            .ok()
            .map(|o| deref(doc, o))
            .and_then(|o| o.as_array().ok())
        {
            for (i, x) in w.iter().enumerate() {
                if let Some(v) = num(deref(doc, x)) {
                    widths.insert(first + i as u32, v);
                }
            }
        }
    }
    Font {
        two_byte,
        map,
        winansi,
        widths,
        default_width,
    }
}

/// The `/W` array of a CID font: `c [w1 w2 …]` or `cfirst clast w`.
fn cid_widths(doc: &Document, w: &[Object], out: &mut HashMap<u32, f64>) {
    let mut i = 0;
    while i < w.len() {
        let Some(c) = num(deref(doc, &w[i])) else {
            break;
        };
        match w.get(i + 1).map(|o| deref(doc, o)) {
            Some(Object::Array(list)) => {
                for (k, x) in list.iter().enumerate() {
                    if let Some(v) = num(x) {
                        out.insert(c as u32 + k as u32, v);
                    }
                }
                i += 2;
            }
            Some(o) => {
                let (Some(last), Some(v)) = (num(o), w.get(i + 2).and_then(num)) else {
                    break;
                };
                for code in c as u32..=(last as u32).min(c as u32 + 65535) {
                    out.insert(code, v);
                }
                i += 3;
            }
            None => break,
        }
    }
}

fn hex_value(h: &str) -> Option<u32> {
    u32::from_str_radix(h, 16).ok()
}

fn utf16_hex(h: &str) -> String {
    let units: Vec<u16> = h
        .as_bytes()
        .chunks(4)
        .filter_map(|c| u16::from_str_radix(std::str::from_utf8(c).ok()?, 16).ok())
        .collect();
    String::from_utf16_lossy(&units)
}

/// Parses the `bfchar` and `bfrange` sections of a ToUnicode CMap.
fn parse_cmap(src: &str) -> HashMap<u32, String> {
    let tokens = cmap_tokens(src);
    let mut map = HashMap::new();
    let mut i = 0;
    let mut mode = "";
    while i < tokens.len() {
        let t = tokens[i].as_str();
        match t {
            "beginbfchar" | "beginbfrange" => {
                mode = if t == "beginbfchar" { "char" } else { "range" }
            }
            "endbfchar" | "endbfrange" => mode = "",
            _ if mode == "char" && i + 1 < tokens.len() => {
                if let (Some(code), Some(dst)) = (hex_of(t), hex_of(&tokens[i + 1])) {
                    map.insert(code.0, utf16_hex(&dst.1));
                }
                i += 2;
                continue;
            }
            _ if mode == "range" && i + 2 < tokens.len() => {
                let (Some(lo), Some(hi)) = (hex_of(t), hex_of(&tokens[i + 1])) else {
                    i += 1;
                    continue;
                };
                if tokens[i + 2] == "[" {
                    let mut j = i + 3;
                    let mut code = lo.0;
                    while j < tokens.len() && tokens[j] != "]" {
                        if let Some(d) = hex_of(&tokens[j]) {
                            map.insert(code, utf16_hex(&d.1));
                        }
                        code += 1;
                        j += 1;
                    }
                    i = j + 1;
                } else if let Some(dst) = hex_of(&tokens[i + 2]) {
                    let base: Vec<u16> = dst
                        .1
                        .as_bytes()
                        .chunks(4)
                        .filter_map(|c| u16::from_str_radix(std::str::from_utf8(c).ok()?, 16).ok())
                        .collect();
                    for (k, code) in (lo.0..=hi.0.min(lo.0 + 65535)).enumerate() {
                        let mut units = base.clone();
                        if let Some(last) = units.last_mut() {
                            *last = last.wrapping_add(k as u16);
                        }
                        map.insert(code, String::from_utf16_lossy(&units));
                    }
                    i += 3;
                } else {
                    i += 3;
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    map
}

/// `<0041>` → (0x41, "0041").
fn hex_of(t: &str) -> Option<(u32, String)> {
    let h = t.strip_prefix('<')?.strip_suffix('>')?;
    let h: String = h.chars().filter(|c| !c.is_whitespace()).collect();
    Some((hex_value(&h).unwrap_or(0), h))
}

fn cmap_tokens(src: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = src.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '<' => {
                let mut t = String::from('<');
                for d in chars.by_ref() {
                    t.push(d);
                    if d == '>' {
                        break;
                    }
                }
                out.push(t);
            }
            '[' | ']' => out.push(c.to_string()),
            c if c.is_whitespace() => {}
            _ => {
                let mut t = String::from(c);
                while let Some(&d) = chars.peek() {
                    if d.is_whitespace() || matches!(d, '<' | '[' | ']') {
                        break;
                    }
                    t.push(d);
                    chars.next();
                }
                out.push(t);
            }
        }
    }
    out
}

// ---------- page text ----------

type Matrix = [f64; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `m1` then `m2`.
fn mul(m1: &Matrix, m2: &Matrix) -> Matrix {
    [
        m1[0] * m2[0] + m1[1] * m2[2],
        m1[0] * m2[1] + m1[1] * m2[3],
        m1[2] * m2[0] + m1[3] * m2[2],
        m1[2] * m2[1] + m1[3] * m2[3],
        m1[4] * m2[0] + m1[5] * m2[2] + m2[4],
        m1[4] * m2[1] + m1[5] * m2[3] + m2[5],
    ]
}

fn apply(m: &Matrix, x: f64, y: f64) -> (f64, f64) {
    (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
}

#[derive(Clone)]
struct State {
    ctm: Matrix,
    font: Option<Vec<u8>>,
    size: f64,
    char_space: f64,
    word_space: f64,
    scale: f64,
    leading: f64,
    rise: f64,
}

/// One shown run: text, start and end point on the page, size on the page.
struct Run {
    text: String,
    x0: f64,
    y0: f64,
    x1: f64,
    size: f64,
}

#[derive(Default)]
struct PageText {
    text: String,
    extra: Vec<String>,
    unmapped: usize,
}

struct Walker<'a> {
    doc: &'a Document,
    runs: Vec<Run>,
    extra: Vec<String>,
    unmapped: usize,
}

fn page_text(doc: &Document, page: ObjectId) -> Result<PageText, String> {
    let content = doc
        .get_page_content(page)
        .map_err(|e| format!("inhoud niet te lezen: {e}"))?;
    let (res, res_ids) = doc
        .get_page_resources(page)
        .map_err(|e| format!("bronnen niet te lezen: {e}"))?;
    let mut resources = Dictionary::new();
    for id in res_ids.iter().rev() {
        if let Ok(d) = doc.get_dictionary(*id) {
            merge(&mut resources, d);
        }
    }
    if let Some(d) = res {
        merge(&mut resources, d);
    }
    let mut w = Walker {
        doc,
        runs: Vec::new(),
        extra: Vec::new(),
        unmapped: 0,
    };
    w.walk(&content, &resources, IDENTITY, 0)?;
    Ok(PageText {
        text: assemble(&w.runs),
        extra: w.extra,
        unmapped: w.unmapped,
    })
}

fn merge(into: &mut Dictionary, from: &Dictionary) {
    for (k, v) in from.iter() {
        into.set(k.clone(), v.clone());
    }
}

/// Joins runs into lines: same baseline and small gap → same word or a space; else a new line.
fn assemble(runs: &[Run]) -> String {
    let mut out = String::new();
    let mut prev: Option<&Run> = None;
    for r in runs {
        if let Some(p) = prev {
            let size = p.size.max(r.size).max(0.1);
            let same_line = (r.y0 - p.y0).abs() < 0.4 * size;
            let gap = r.x0 - p.x1;
            if !same_line || gap < -0.5 * size || gap > 0.9 * size {
                out.push('\n');
            } else if gap > 0.12 * size {
                out.push(' ');
            }
        }
        out.push_str(&r.text);
        prev = Some(r);
    }
    out
}

impl Walker<'_> {
    fn fonts(&self, resources: &Dictionary) -> BTreeMap<Vec<u8>, Font> {
        let mut out = BTreeMap::new();
        let Some(fd) = resources
            .get(b"Font")
            .ok()
            .map(|o| deref(self.doc, o))
            .and_then(|o| o.as_dict().ok())
        else {
            return out;
        };
        for (name, v) in fd.iter() {
            if let Ok(d) = deref(self.doc, v).as_dict() {
                out.insert(name.clone(), font(self.doc, d));
            }
        }
        out
    }

    fn walk(
        &mut self,
        content: &[u8],
        resources: &Dictionary,
        ctm: Matrix,
        depth: usize,
    ) -> Result<(), String> {
        if depth > 8 {
            return Err("te diep geneste inhoud".into());
        }
        let ops = Content::decode(content).map_err(|e| format!("inhoud niet te ontleden: {e}"))?;
        let fonts = self.fonts(resources);
        let mut st = State {
            ctm,
            font: None,
            size: 0.0,
            char_space: 0.0,
            word_space: 0.0,
            scale: 1.0,
            leading: 0.0,
            rise: 0.0,
        };
        let mut stack: Vec<State> = Vec::new();
        let mut tm = IDENTITY;
        let mut tlm = IDENTITY;
        for op in &ops.operations {
            let n = |i: usize| op.operands.get(i).and_then(num).unwrap_or(0.0);
            match op.operator.as_str() {
                "q" => stack.push(st.clone()),
                "Q" => {
                    if let Some(s) = stack.pop() {
                        st = s;
                    }
                }
                "cm" => st.ctm = mul(&[n(0), n(1), n(2), n(3), n(4), n(5)], &st.ctm),
                "BT" => {
                    tm = IDENTITY;
                    tlm = IDENTITY;
                }
                "Tf" => {
                    st.font = op
                        .operands
                        .first()
                        .and_then(|o| o.as_name().ok())
                        .map(|x| x.to_vec());
                    st.size = n(1);
                }
                "Tc" => st.char_space = n(0),
                "Tw" => st.word_space = n(0),
                "Tz" => st.scale = n(0) / 100.0,
                "TL" => st.leading = n(0),
                "Ts" => st.rise = n(0),
                "Td" | "TD" => {
                    if op.operator == "TD" {
                        st.leading = -n(1);
                    }
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, n(0), n(1)], &tlm);
                    tm = tlm;
                }
                "Tm" => {
                    tlm = [n(0), n(1), n(2), n(3), n(4), n(5)];
                    tm = tlm;
                }
                "T*" => {
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -st.leading], &tlm);
                    tm = tlm;
                }
                "Tj" | "'" | "\"" | "TJ" => {
                    if op.operator != "Tj" && op.operator != "TJ" {
                        if op.operator == "\"" {
                            st.word_space = n(0);
                            st.char_space = n(1);
                        }
                        tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -st.leading], &tlm);
                        tm = tlm;
                    }
                    let items: Vec<&Object> = match op.operator.as_str() {
                        "TJ" => op
                            .operands
                            .first()
                            .and_then(|o| o.as_array().ok())
                            .map(|a| a.iter().collect())
                            .unwrap_or_default(),
                        _ => op.operands.last().into_iter().collect(),
                    };
                    let font = st.font.as_ref().and_then(|f| fonts.get(f));
                    self.show(&items, font, &st, &mut tm);
                }
                "BDC" | "DP" => {
                    if let Some(props) = op.operands.get(1) {
                        let props = match props {
                            Object::Name(name) => resources
                                .get(b"Properties")
                                .ok()
                                .map(|o| deref(self.doc, o))
                                .and_then(|o| o.as_dict().ok())
                                .and_then(|d| d.get(name).ok())
                                .map(|o| deref(self.doc, o)),
                            o => Some(o),
                        };
                        if let Some(Ok(d)) = props.map(|p| p.as_dict()) {
                            for key in [&b"ActualText"[..], &b"Alt"[..], &b"E"[..]] {
                                if let Ok(Object::String(s, _)) = d.get(key) {
                                    self.extra.push(text_string(s));
                                }
                            }
                        }
                    }
                }
                "Do" => {
                    let Some(name) = op.operands.first().and_then(|o| o.as_name().ok()) else {
                        continue;
                    };
                    self.xobject(name, resources, &st.ctm, depth)?;
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn xobject(
        &mut self,
        name: &[u8],
        resources: &Dictionary,
        ctm: &Matrix,
        depth: usize,
    ) -> Result<(), String> {
        let Some(stream) = resources
            .get(b"XObject")
            .ok()
            .map(|o| deref(self.doc, o))
            .and_then(|o| o.as_dict().ok())
            .and_then(|d| d.get(name).ok())
            .map(|o| deref(self.doc, o))
            .and_then(|o| o.as_stream().ok())
        else {
            return Ok(());
        };
        if stream.dict.get(b"Subtype").and_then(Object::as_name).ok() != Some(&b"Form"[..]) {
            return Ok(());
        }
        let matrix = stream
            .dict
            .get(b"Matrix")
            .ok()
            .and_then(|o| o.as_array().ok())
            .filter(|a| a.len() == 6)
            .map(|a| {
                let v: Vec<f64> = a.iter().map(|x| num(x).unwrap_or(0.0)).collect();
                [v[0], v[1], v[2], v[3], v[4], v[5]]
            })
            .unwrap_or(IDENTITY);
        let mut res = resources.clone();
        if let Some(own) = stream
            .dict
            .get(b"Resources")
            .ok()
            .map(|o| deref(self.doc, o))
            .and_then(|o| o.as_dict().ok())
        {
            merge(&mut res, own);
        }
        let content = stream
            .decompressed_content()
            .unwrap_or_else(|_| stream.content.clone());
        self.walk(&content, &res, mul(&matrix, ctm), depth + 1)
    }

    /// Decodes the strings of one text-showing operator and advances the text matrix.
    fn show(&mut self, items: &[&Object], font: Option<&Font>, st: &State, tm: &mut Matrix) {
        let start = mul(tm, &st.ctm);
        let (x0, y0) = apply(&start, 0.0, st.rise);
        let size = st.size * (start[2] * start[2] + start[3] * start[3]).sqrt();
        let mut text = String::new();
        for item in items {
            match item {
                Object::String(bytes, _) => {
                    let Some(f) = font else {
                        self.unmapped += bytes.len();
                        continue;
                    };
                    let codes: Vec<u32> = if f.two_byte {
                        bytes
                            .chunks(2)
                            .map(|c| c.iter().fold(0u32, |a, b| a * 256 + *b as u32))
                            .collect()
                    } else {
                        bytes.iter().map(|b| *b as u32).collect()
                    };
                    for code in codes {
                        match f.map.get(&code) {
                            Some(t) => text.push_str(t),
                            None if f.winansi => {
                                let b = [code as u8];
                                text.push_str(
                                    &encoding_rs::WINDOWS_1252.decode_without_bom_handling(&b).0,
                                );
                            }
                            None => self.unmapped += 1,
                        }
                        let w = f.widths.get(&code).copied().unwrap_or(f.default_width);
                        let space = if !f.two_byte && code == 32 {
                            st.word_space
                        } else {
                            0.0
                        };
                        let tx = (w / 1000.0 * st.size + st.char_space + space) * st.scale;
                        *tm = mul(&[1.0, 0.0, 0.0, 1.0, tx, 0.0], tm);
                    }
                }
                o => {
                    if let Some(adj) = num(o) {
                        if adj < -250.0 && !text.ends_with(' ') {
                            text.push(' ');
                        }
                        let tx = -adj / 1000.0 * st.size * st.scale;
                        *tm = mul(&[1.0, 0.0, 0.0, 1.0, tx, 0.0], tm);
                    }
                }
            }
        }
        let (x1, _) = apply(&mul(tm, &st.ctm), 0.0, st.rise);
        if !text.is_empty() {
            self.runs.push(Run {
                text,
                x0,
                y0,
                x1,
                size,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cmap_ranges_and_chars() {
        let m = parse_cmap("2 beginbfchar <0003> <0020> <0011> <0031> endbfchar\n1 beginbfrange <0012> <0014> <0032> endbfrange 1 beginbfrange <0020> <0021> [<0041> <00420043>] endbfrange");
        assert_eq!(m[&3], " ");
        assert_eq!(m[&0x11], "1");
        assert_eq!(m[&0x14], "4");
        assert_eq!(m[&0x21], "BC");
    }

    #[test]
    fn runs_on_one_baseline_join() {
        let r = |t: &str, x0: f64, y0: f64, x1: f64| Run {
            text: t.into(),
            x0,
            y0,
            x1,
            size: 10.0,
        };
        let text = assemble(&[
            r("12345", 0.0, 0.0, 25.0),
            r("6782", 25.0, 0.0, 45.0),
            r("x", 47.0, 0.0, 50.0),
            r("y", 100.0, 0.0, 105.0),
            r("z", 0.0, 20.0, 5.0),
        ]);
        assert_eq!(text, "123456782 x\ny\nz");
    }
}
