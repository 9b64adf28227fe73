//! A small reader of the site's own HTML for the tests: the rows of a table, the text of the
//! `<text>` elements of an SVG, a section between two markers. The pages come from our own
//! templates, so a tag-level scan is enough; entities are decoded so values compare as shown.
#![allow(dead_code)]

use rust_decimal::Decimal;

/// The part of `html` from the first `start` on to the next `end` after it (exclusive).
#[track_caller]
pub fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let i = html
        .find(start)
        .unwrap_or_else(|| panic!("{start:?} not found"));
    let rest = &html[i..];
    let j = rest[start.len()..]
        .find(end)
        .map_or(rest.len(), |j| j + start.len());
    &rest[..j]
}

/// The text of an HTML fragment: tags dropped, the five entities decoded.
pub fn text(fragment: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in fragment.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    unescape(out.trim())
}

pub fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&#x2F;", "/")
        .replace("&amp;", "&")
}

/// The cells of every `<tr>` of the first `<tbody>` in `table` (header rows excluded), as text.
#[track_caller]
pub fn rows(table: &str) -> Vec<Vec<String>> {
    let body = between(table, "<tbody>", "</tbody>");
    body.split("<tr")
        .skip(1)
        .map(|tr| {
            let tr = &tr[..tr.find("</tr>").unwrap_or(tr.len())];
            let mut cells = Vec::new();
            let mut rest = tr;
            while let Some(i) = rest.find(['<']) {
                let tag = &rest[i..];
                if tag.starts_with("<td") || tag.starts_with("<th") {
                    let close = if tag.starts_with("<td") {
                        "</td>"
                    } else {
                        "</th>"
                    };
                    let open_end = tag.find('>').unwrap() + 1;
                    let end = tag.find(close).unwrap();
                    cells.push(text(&tag[open_end..end]));
                    rest = &tag[end + close.len()..];
                } else {
                    rest = &tag[1..];
                }
            }
            cells
        })
        .collect()
}

/// The contents of every `<text …>…</text>` element of an SVG, in document order.
pub fn svg_texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .map(|t| {
            let t = &t[t.find('>').unwrap() + 1..];
            unescape(t[..t.find("</text>").unwrap()].trim())
        })
        .collect()
}

/// A number as shown (`1,234.56`, `12.34%`, `−`), or None for `—` or an empty cell.
#[track_caller]
pub fn number(shown: &str) -> Option<Decimal> {
    let s = shown.trim().trim_end_matches('%').replace(',', "");
    if s.is_empty() || s == "—" {
        return None;
    }
    Some(
        s.parse::<Decimal>()
            .unwrap_or_else(|e| panic!("{shown:?} is not a number: {e}"))
            .normalize(),
    )
}

/// The `data-value="…"` attributes of every `<tr>` of the first `<tbody>` in `table`.
pub fn data_values(table: &str) -> Vec<Vec<String>> {
    let body = between(table, "<tbody>", "</tbody>");
    body.split("<tr")
        .skip(1)
        .map(|tr| {
            tr.split(" data-value=\"")
                .skip(1)
                .map(|v| unescape(&v[..v.find('"').unwrap()]))
                .collect()
        })
        .collect()
}
