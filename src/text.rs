//! Chinese form text as every stage compares it: full-width forms as half-width, labels
//! without padding (`部 门 名 称：` is `部门名称`), digits of either width. Below the model:
//! the reader, the model's names and taxonomy, and the rules all use it.

/// An ASCII or full-width digit.
pub fn is_any_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// Characters that look blank: whitespace, the byte-order mark and zero-width spaces.
pub fn is_padding(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{feff}' | '\u{200b}' | '\u{200c}' | '\u{200d}')
}

/// Full-width ASCII (`２８６．４１`, `：`, `％`) to half-width; the ideographic space to a space.
pub fn to_half_width(s: &str) -> String {
    s.chars().map(half_width).collect()
}

/// One character half-width: full-width ASCII (`！`…`～`) to ASCII, the ideographic space to
/// a space; anything else as it is.
pub fn half_width(c: char) -> char {
    match c {
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// A label as compared against the form's words: half-width, without spaces or line breaks
/// (`年\n度\n预\n算` is one label), without a leading required-field `*` or a trailing
/// colon. `部 门 名 称：` → `部门名称`, `*部门(单位)职责` → `部门(单位)职责`.
pub fn label(cell: &str) -> String {
    // One pass, one allocation: every cell of every row is labelled.
    let mut s = String::with_capacity(cell.len());
    for c in cell.chars() {
        let c = half_width(c);
        let leading_star = s.is_empty() && c == '*';
        if !(is_padding(c) || leading_star) {
            s.push(c);
        }
    }
    let end = s.trim_end_matches(':').len();
    s.truncate(end);
    s
}

/// Text made safe in HTML or XML content and attribute values: `&`, `<`, `>`, `"`, `'`
/// escaped. The one escaper of what the project writes by hand (SVG, the preview's error page);
/// templates are escaped by Tera.
pub fn escape_markup(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_labels() {
        assert_eq!(label("部 门 名 称："), "部门名称");
        assert_eq!(label("单位:"), "单位");
        assert_eq!(label("年度目标１："), "年度目标1");
        assert_eq!(label("*部门（单位）职责"), "部门(单位)职责");
        assert_eq!(label("* 指标值"), "指标值");
        assert_eq!(label("年\n度\n预\n算\n安\n排"), "年度预算安排");
    }

    #[test]
    fn markup_is_escaped_for_content_and_attributes() {
        assert_eq!(escape_markup("<&\"'>"), "&lt;&amp;&quot;&apos;&gt;");
        assert_eq!(escape_markup("示例区 a"), "示例区 a");
    }
}
