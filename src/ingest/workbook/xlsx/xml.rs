//! The little of XML that Office parts use, read event by event over a part's text (checked
//! as UTF-8 once): start, empty and end tags, text and CDATA; attributes; entity and `_xHHHH_`
//! decoding. No DTD is read and names are not checked against their ends.

use super::Fault;

/// What the XML of a part is read as: the little of XML that Office parts use. Names are
/// not checked against their ends and no DTD is read (an entity it declares stays as written).
pub(super) enum Event<'a> {
    Start(Tag<'a>),
    Empty(Tag<'a>),
    /// An end tag's name, as written.
    End(&'a str),
    /// Text as written: entities not decoded, line ends not normalised (`push_text`).
    Text(&'a str),
    CData(&'a str),
    Eof,
}

/// A start or empty tag: its name as written and the rest of it (the attributes).
pub(super) struct Tag<'a> {
    pub(super) name: &'a str,
    pub(super) attrs: &'a str,
}

/// Reads a part's XML event by event, borrowing from its text. Every position it cuts at is
/// an ASCII delimiter (`<`, `>`, a quote, white space), so every cut is a char boundary.
pub(super) struct Lexer<'a> {
    pub(super) text: &'a str,
    pub(super) pos: usize,
}

impl<'a> Lexer<'a> {
    pub(super) fn new(text: &'a str) -> Lexer<'a> {
        Lexer { text, pos: 0 }
    }

    /// The position just past the first `end` at or after `from`.
    pub(super) fn past(&self, from: usize, end: &str) -> Result<usize, Fault> {
        let rest = &self.text[from..];
        // A one-byte end (`>` of a tag) is scanned for directly: setting up a substring
        // search costs more than the few bytes of a tag.
        let found = match end.as_bytes() {
            [b] => rest.bytes().position(|c| c == *b),
            _ => rest.find(end),
        };
        found
            .map(|i| from + i + end.len())
            .ok_or_else(|| format!("XML 在“{end}”之前中断"))
    }

    pub(super) fn next(&mut self) -> Result<Event<'a>, Fault> {
        let text = self.text;
        let bytes = text.as_bytes();
        loop {
            let pos = self.pos;
            if pos >= bytes.len() {
                return Ok(Event::Eof);
            }
            if bytes[pos] != b'<' {
                let end = text[pos..].find('<').map_or(bytes.len(), |i| pos + i);
                self.pos = end;
                return Ok(Event::Text(&text[pos..end]));
            }
            let rest = &bytes[pos..];
            if rest.starts_with(b"<?") {
                self.pos = self.past(pos, "?>")?;
            } else if rest.starts_with(b"<!--") {
                self.pos = self.past(pos + 4, "-->")?;
            } else if rest.starts_with(b"<![CDATA[") {
                self.pos = self.past(pos + 9, "]]>")?;
                return Ok(Event::CData(&text[pos + 9..self.pos - 3]));
            } else if rest.starts_with(b"<!") {
                self.pos = self.past(pos, ">")?;
            } else if rest.starts_with(b"</") {
                self.pos = self.past(pos, ">")?;
                return Ok(Event::End(text[pos + 2..self.pos - 1].trim_end()));
            } else {
                // A start tag ends at the first `>` outside a quoted value.
                let mut i = pos + 1;
                let mut quote = 0u8;
                loop {
                    let c = *bytes
                        .get(i)
                        .ok_or_else(|| "XML 在标签结束前中断".to_owned())?;
                    if quote != 0 {
                        if c == quote {
                            quote = 0;
                        }
                    } else if c == b'"' || c == b'\'' {
                        quote = c;
                    } else if c == b'>' {
                        break;
                    }
                    i += 1;
                }
                self.pos = i + 1;
                let (body, empty) = match text[pos + 1..i].strip_suffix('/') {
                    Some(body) => (body, true),
                    None => (&text[pos + 1..i], false),
                };
                let name_end = body
                    .bytes()
                    .position(|b| b.is_ascii_whitespace())
                    .unwrap_or(body.len());
                let tag = Tag {
                    name: &body[..name_end],
                    attrs: &body[name_end..],
                };
                return Ok(if empty {
                    Event::Empty(tag)
                } else {
                    Event::Start(tag)
                });
            }
        }
    }
}

/// Appends XML text with its entities and character references decoded (one that stands for
/// nothing known is kept as written) and its line ends read as XML 1.0 reads them.
pub(super) fn push_text(out: &mut String, raw: &str) {
    let bytes = raw.as_bytes();
    if !bytes.contains(&b'&') && !bytes.contains(&b'\r') {
        out.push_str(raw);
        return;
    }
    let mut rest = raw;
    while let Some(i) = rest.find(['&', '\r']) {
        out.push_str(&rest[..i]);
        if rest.as_bytes()[i] == b'\r' {
            out.push('\n');
            rest = &rest[i + 1..];
            rest = rest.strip_prefix('\n').unwrap_or(rest);
            continue;
        }
        let after = &rest[i + 1..];
        let Some(end) = after.find(';').filter(|&e| e <= 10) else {
            out.push('&');
            rest = after;
            continue;
        };
        let name = &after[..end];
        let decoded = match name {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "apos" => Some('\''),
            "quot" => Some('"'),
            _ => name.strip_prefix('#').map(|n| {
                let code = match n.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16),
                    None => n.parse::<u32>(),
                };
                code.ok()
                    .filter(|&c| c != 0)
                    .and_then(char::from_u32)
                    .unwrap_or(char::REPLACEMENT_CHARACTER)
            }),
        };
        match decoded {
            Some(c) => out.push(c),
            None => {
                out.push('&');
                out.push_str(name);
                out.push(';');
            }
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
}

pub(super) fn local(name: &str) -> &str {
    match name.bytes().rposition(|b| b == b':') {
        Some(i) => &name[i + 1..],
        None => name,
    }
}

/// An element's name without its namespace prefix (`x:c` is `c`).
pub(super) fn name_of<'e>(e: &Tag<'e>) -> &'e str {
    local(e.name)
}

/// The raw (still escaped) value of an attribute, looked up by its name as written or, for a
/// plain key, by its local name (`Id` finds `r:Id`).
pub(super) fn attr<'e>(e: &Tag<'e>, key: &str) -> Option<&'e str> {
    Attrs(e.attrs)
        .find(|(k, _)| *k == key || local(k) == key)
        .map(|(_, v)| v)
}

/// `key="value"` pairs of a start tag, as written; a malformed tail ends the pairs.
pub(super) struct Attrs<'a>(pub(super) &'a str);

impl<'a> Iterator for Attrs<'a> {
    type Item = (&'a str, &'a str);

    fn next(&mut self) -> Option<(&'a str, &'a str)> {
        let text = self.0;
        let b = text.as_bytes();
        let mut i = 0;
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        let key_start = i;
        while i < b.len() && b[i] != b'=' {
            i += 1;
        }
        let key = text[key_start..i].trim_end();
        i += 1;
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let quote = *b.get(i).filter(|&&q| q == b'"' || q == b'\'')?;
        let value_start = i + 1;
        let len = b.get(value_start..)?.iter().position(|&c| c == quote)?;
        // Quotes, `=` and white space are ASCII: every index here is a char boundary.
        self.0 = &text[value_start + len + 1..];
        Some((key, &text[value_start..value_start + len]))
    }
}

/// An attribute value with its entities decoded (sheet names, formats, targets).
pub(super) fn unescaped(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    push_text(&mut out, value);
    out
}

/// Reads the text of the element whose start was just read, up to its end, into `out`
/// (entities decoded, line ends as XML 1.0 reads them; text of nested elements included).
pub(super) fn read_text(reader: &mut Lexer<'_>, out: &mut String) -> Result<(), Fault> {
    let mut depth = 0u32;
    loop {
        match reader.next()? {
            Event::Text(t) => push_text(out, t),
            Event::CData(t) => out.push_str(&t.replace("\r\n", "\n").replace('\r', "\n")),
            Event::Start(_) => depth += 1,
            Event::End(_) if depth == 0 => return Ok(()),
            Event::End(_) => depth -= 1,
            Event::Eof => return Err("XML 在元素结束前中断".to_owned()),
            _ => {}
        }
    }
}

/// Skips what is left of the element whose start was just read.
pub(super) fn skip(reader: &mut Lexer<'_>) -> Result<(), Fault> {
    let mut depth = 0u32;
    loop {
        match reader.next()? {
            Event::Start(_) => depth += 1,
            Event::End(_) if depth == 0 => return Ok(()),
            Event::End(_) => depth -= 1,
            Event::Eof => return Err("XML 在元素结束前中断".to_owned()),
            _ => {}
        }
    }
}
