//! A lenient tokenizer for HTML, SVG and the XML parts of XLSX and XMP.
//!
//! It never fails: anything that is not a well-formed tag is text. [`events`] yields tags,
//! text, comments and declarations with their line; [`segments`] turns an HTML or SVG
//! document into what a reader can find in it: visible text per block (inline tags such as
//! `<b>` and `<tspan>` removed without a space, so `12345<b></b>6782` joins), every attribute
//! value except pure geometry, comments, and `<script>`/`<style>` content.
//!
//! ```
//! use rodedraad::protect::audit::readers::markup::segments;
//! let s = segments("<p title=\"t\">12345<b></b>6782</p><!-- c -->");
//! assert!(s.iter().any(|x| x.text == "123456782"));
//! assert!(s.iter().any(|x| x.place.contains("attribuut title")));
//! assert!(s.iter().any(|x| x.place.contains("commentaar")));
//! ```

use super::Segment;

/// One markup event.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// `<name a="v">`; `closing` for `</name>`, `empty` for `<name/>`.
    Tag {
        name: String,
        attrs: Vec<(String, String)>,
        closing: bool,
        empty: bool,
    },
    Text(String),
    Comment(String),
    /// `<!DOCTYPE ...>`, `<?xml ...?>`, `<![CDATA[...]]>` content is given as Text.
    Declaration(String),
}

/// Events with the (1-based) line where each starts.
pub fn events(src: &str) -> Vec<(usize, Event)> {
    let mut out = Vec::new();
    let mut line = 1;
    let mut pos = 0;
    let bytes = src.as_bytes();
    let mut text_start = 0;
    let flush = |out: &mut Vec<(usize, Event)>, from: usize, to: usize, line: usize| {
        if to > from {
            let t = &src[from..to];
            let start_line = line - t.matches('\n').count();
            out.push((start_line, Event::Text(t.to_string())));
        }
    };
    while pos < bytes.len() {
        if bytes[pos] != b'<' {
            if bytes[pos] == b'\n' {
                line += 1;
            }
            pos += 1;
            continue;
        }
        let rest = &src[pos..];
        let (event, len) = if let Some(body) = rest.strip_prefix("<!--") {
            let end = body.find("-->").map_or(body.len(), |i| i + 3);
            (
                Some(Event::Comment(
                    body[..end.min(body.len())]
                        .trim_end_matches("-->")
                        .to_string(),
                )),
                4 + end,
            )
        } else if let Some(body) = rest.strip_prefix("<![CDATA[") {
            let end = body.find("]]>").map_or(body.len(), |i| i + 3);
            (
                Some(Event::Text(body[..end].trim_end_matches("]]>").to_string())),
                9 + end,
            )
        } else if rest.starts_with("<!") || rest.starts_with("<?") {
            let end = rest.find('>').map_or(rest.len(), |i| i + 1);
            (
                Some(Event::Declaration(
                    rest[2..end].trim_end_matches('>').to_string(),
                )),
                end,
            )
        } else {
            match parse_tag(rest) {
                Some((ev, len)) => (Some(ev), len),
                None => (None, 1),
            }
        };
        match event {
            Some(ev) => {
                flush(&mut out, text_start, pos, line);
                out.push((line, ev));
                line += src[pos..pos + len].matches('\n').count();
                pos += len;
                text_start = pos;
            }
            None => pos += 1,
        }
    }
    flush(&mut out, text_start, bytes.len(), line);
    out
}

/// Parses `<name attrs>` at the start of `s`; `None` when it is not a tag.
fn parse_tag(s: &str) -> Option<(Event, usize)> {
    let b = s.as_bytes();
    let mut i = 1;
    let closing = b.get(i) == Some(&b'/');
    if closing {
        i += 1;
    }
    let name_start = i;
    while i < b.len() && (b[i].is_ascii_alphanumeric() || matches!(b[i], b':' | b'-' | b'_' | b'.'))
    {
        i += 1;
    }
    if i == name_start || !b[name_start].is_ascii_alphabetic() {
        return None;
    }
    let name = s[name_start..i].to_ascii_lowercase();
    let mut attrs = Vec::new();
    loop {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= b.len() {
            return Some((
                Event::Tag {
                    name,
                    attrs,
                    closing,
                    empty: false,
                },
                b.len(),
            ));
        }
        match b[i] {
            b'>' => {
                return Some((
                    Event::Tag {
                        name,
                        attrs,
                        closing,
                        empty: false,
                    },
                    i + 1,
                ))
            }
            b'/' if b.get(i + 1) == Some(&b'>') => {
                return Some((
                    Event::Tag {
                        name,
                        attrs,
                        closing,
                        empty: true,
                    },
                    i + 2,
                ))
            }
            b'/' => i += 1,
            _ => {
                let a0 = i;
                while i < b.len()
                    && !b[i].is_ascii_whitespace()
                    && !matches!(b[i], b'=' | b'>' | b'/')
                {
                    i += 1;
                }
                let aname = s[a0..i].to_ascii_lowercase();
                while i < b.len() && b[i].is_ascii_whitespace() {
                    i += 1;
                }
                let mut value = String::new();
                if b.get(i) == Some(&b'=') {
                    i += 1;
                    while i < b.len() && b[i].is_ascii_whitespace() {
                        i += 1;
                    }
                    if let Some(&q) = b.get(i).filter(|c| matches!(**c, b'"' | b'\'')) {
                        let end = s[i + 1..].find(q as char).map_or(b.len(), |e| i + 1 + e);
                        value = s[i + 1..end].to_string();
                        i = (end + 1).min(b.len());
                    } else {
                        let v0 = i;
                        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                            i += 1;
                        }
                        value = s[v0..i].to_string();
                    }
                }
                if !aname.is_empty() {
                    attrs.push((aname, value));
                }
            }
        }
    }
}

/// Tags that end a block of visible text (a line break or a separate box on screen).
const BLOCK: &[&str] = &[
    "p",
    "div",
    "br",
    "hr",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "table",
    "tr",
    "td",
    "th",
    "thead",
    "tbody",
    "tfoot",
    "caption",
    "colgroup",
    "col",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "header",
    "footer",
    "nav",
    "aside",
    "main",
    "figure",
    "figcaption",
    "blockquote",
    "pre",
    "title",
    "head",
    "body",
    "html",
    "meta",
    "link",
    "form",
    "fieldset",
    "legend",
    "option",
    "select",
    "textarea",
    "button",
    "label",
    "details",
    "summary",
    "address",
    "svg",
    "text",
    "g",
    "desc",
    "metadata",
    "img",
    "iframe",
    "object",
    "embed",
    "video",
    "audio",
    "canvas",
    "noscript",
    "template",
    "foreignobject",
];

/// Attributes whose values are geometry or styling numbers, never text a person reads.
const GEOMETRY: &[&str] = &[
    "d",
    "points",
    "x",
    "y",
    "x1",
    "x2",
    "y1",
    "y2",
    "cx",
    "cy",
    "r",
    "rx",
    "ry",
    "dx",
    "dy",
    "width",
    "height",
    "viewbox",
    "transform",
    "stroke-width",
    "stroke-dasharray",
    "stroke-dashoffset",
    "stroke-miterlimit",
    "font-size",
    "opacity",
    "fill-opacity",
    "stroke-opacity",
    "offset",
    "rotate",
    "textlength",
    "version",
    "colspan",
    "rowspan",
    "tabindex",
    "cellpadding",
    "cellspacing",
    "border",
    "preserveaspectratio",
];

/// What a reader can find in an HTML or SVG document, as segments.
pub fn segments(src: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut block = String::new();
    let mut block_line = 0;
    let mut raw_until: Option<(String, usize, String)> = None;
    let flush = |out: &mut Vec<Segment>, block: &mut String, line: usize| {
        let collapsed = block.split_whitespace().collect::<Vec<_>>().join(" ");
        if !collapsed.is_empty() {
            out.push(Segment::visible(format!("regel {line}"), collapsed));
        }
        block.clear();
    };
    for (line, ev) in events(src) {
        if let Some((name, _, content)) = raw_until.as_mut() {
            let ends = matches!(&ev, Event::Tag { name: n, closing: true, .. } if n.as_str() == name.as_str());
            if !ends {
                content.push_str(&event_source(&ev));
                continue;
            }
            let (name, start, content) = raw_until.take().unwrap();
            if !content.trim().is_empty() {
                out.push(Segment::hidden(format!("regel {start}, {name}"), content));
            }
            continue;
        }
        match ev {
            Event::Text(t) => {
                if block.trim().is_empty() {
                    let lead = t.len() - t.trim_start().len();
                    block_line = line + t[..lead].matches('\n').count();
                }
                block.push_str(&t);
            }
            Event::Comment(c) => out.push(Segment::hidden(format!("regel {line}, commentaar"), c)),
            Event::Declaration(d) => {
                out.push(Segment::hidden(format!("regel {line}, declaratie"), d))
            }
            Event::Tag {
                name,
                attrs,
                closing,
                empty,
            } => {
                for (a, v) in attrs {
                    if !GEOMETRY.contains(&a.as_str())
                        && !a.starts_with("xmlns")
                        && !v.trim().is_empty()
                    {
                        out.push(Segment::hidden(format!("regel {line}, attribuut {a}"), v));
                    }
                }
                if BLOCK.contains(&name.as_str()) {
                    flush(&mut out, &mut block, block_line);
                }
                if !closing && !empty && matches!(name.as_str(), "script" | "style") {
                    flush(&mut out, &mut block, block_line);
                    raw_until = Some((name, line, String::new()));
                }
            }
        }
    }
    flush(&mut out, &mut block, block_line);
    if let Some((name, start, content)) = raw_until {
        out.push(Segment::hidden(format!("regel {start}, {name}"), content));
    }
    out
}

fn event_source(ev: &Event) -> String {
    match ev {
        Event::Tag {
            name,
            attrs,
            closing,
            ..
        } => {
            let a: Vec<String> = attrs.iter().map(|(k, v)| format!(" {k}=\"{v}\"")).collect();
            format!("<{}{name}{}>", if *closing { "/" } else { "" }, a.join(""))
        }
        Event::Text(t) | Event::Comment(t) | Event::Declaration(t) => t.clone(),
    }
}

/// Whether an attribute is a colour code (`val="1F497D"` in a theme, `rgb="FF000000"`
/// in styles): six or eight hex digits in a colour attribute, which no person reads.
fn is_colour(attr: &str, value: &str) -> bool {
    let name = attr.rsplit(':').next().unwrap_or(attr);
    ["val", "lastclr", "rgb"]
        .iter()
        .any(|n| name.eq_ignore_ascii_case(n))
        && matches!(value.len(), 6 | 8)
        && value.bytes().all(|b| b.is_ascii_hexdigit())
}

/// All text and attribute values of an XML part, one segment per text node or value
/// (colour codes left out).
pub fn xml_strings(src: &str, plek: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    for (line, ev) in events(src) {
        match ev {
            Event::Text(t) | Event::Comment(t) if !t.trim().is_empty() => {
                out.push(Segment::hidden(format!("{plek}, regel {line}"), t))
            }
            Event::Tag { attrs, .. } => {
                for (a, v) in attrs {
                    if !a.starts_with("xmlns") && !v.trim().is_empty() && !is_colour(&a, &v) {
                        out.push(Segment::hidden(
                            format!("{plek}, regel {line}, attribuut {a}"),
                            v,
                        ));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(src: &str) -> Vec<String> {
        segments(src).into_iter().map(|s| s.text).collect()
    }

    #[test]
    fn colour_codes_are_not_text_but_other_values_are() {
        let xml = r#"<a:srgbClr val="1F497D"/><a:sysClr val="windowText" lastClr="000000"/><c rgb="FF4F81BD"/><x val="AB12CD34EF"/><y title="1F497D"/>"#;
        let got: Vec<String> = xml_strings(xml, "t").into_iter().map(|s| s.text).collect();
        assert_eq!(got, vec!["windowText", "AB12CD34EF", "1F497D"]);
    }

    #[test]
    fn inline_tags_join_and_blocks_split() {
        assert_eq!(texts("<td>12</td><td>34</td>"), vec!["12", "34"]);
        assert_eq!(texts("<p>1234<span>5</span>6782</p>"), vec!["123456782"]);
        assert_eq!(
            texts(
                "<svg><text x=\"1\">123<tspan x=\"9\">456</tspan><tspan>782</tspan></text></svg>"
            ),
            vec!["123456782"]
        );
    }

    #[test]
    fn hidden_places_are_read() {
        let s = segments(
            "<p data-x=\"a\" alt='b'>c</p><script>var n = 1;</script><style>p{}</style><!--d-->",
        );
        let plekken: Vec<&str> = s.iter().map(|x| x.place.as_str()).collect();
        assert_eq!(
            plekken,
            vec![
                "regel 1, attribuut data-x",
                "regel 1, attribuut alt",
                "regel 1",
                "regel 1, script",
                "regel 1, style",
                "regel 1, commentaar"
            ]
        );
    }

    #[test]
    fn lines_are_counted() {
        let s = segments("<p>a</p>\n\n<p>\nb</p>");
        assert_eq!(s[1].place, "regel 4");
    }
}
