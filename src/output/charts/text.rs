//! Text in a chart: cleaning user text for XML, estimating how wide a label is drawn (no font is
//! read at build time) and cutting or wrapping labels to the room they have.
//!
//! Widths are estimates in CSS px for a given font size: a CJK character is one em, ASCII about
//! 0.6 em (digits and `,` a bit less). They are deliberately generous, so a label judged to fit
//! fits in the reader's own font.

/// User text with control characters and U+FFFE/U+FFFF (not allowed in XML) replaced by spaces.
pub(super) fn clean(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() || matches!(c, '\u{fffe}' | '\u{ffff}') {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// An id safe for `id` and `aria-labelledby` (which is a space-separated list).
pub(super) fn clean_id(id: &str) -> String {
    let out: String = id
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':') {
                c
            } else {
                '-'
            }
        })
        .collect();
    if out.is_empty() {
        "chart".to_string()
    } else {
        out
    }
}

/// Estimated advance of one character in em.
fn char_em(c: char) -> f64 {
    match c {
        '0'..='9' => 0.58,
        ',' | '.' | ' ' | ':' | ';' | '|' | '!' | 'i' | 'l' | 'j' | '\'' => 0.32,
        c if c.is_ascii_uppercase() => 0.7,
        c if c.is_ascii() => 0.6,
        _ => 1.0,
    }
}

/// Estimated width of `s` drawn at `size` px.
pub(super) fn text_width(s: &str, size: f64) -> f64 {
    s.chars().map(char_em).sum::<f64>() * size
}

/// `s` cut to `max` characters followed by "…" when longer.
pub(super) fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(max).collect();
        out.push('…');
        out
    }
}

/// `s` cut (with "…") so that it is at most `width` wide.
pub(super) fn fit_width(s: &str, size: f64, width: f64) -> String {
    if text_width(s, size) <= width {
        return s.to_string();
    }
    let budget = width - text_width("…", size);
    let mut out = String::new();
    let mut used = 0.0;
    for c in s.chars() {
        let w = char_em(c) * size;
        if used + w > budget {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// Characters that belong to a run that is never broken: numbers with their sign, separators
/// and `%`, and Latin words (`-30%`, `1,234.56`, `2019`).
fn joins(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '%' | '.' | ',' | '-' | '+' | '(' | ')')
}

/// Whether a line may break between `a` and `b`: after a space or a wide dash/tilde, between
/// two CJK characters and before a number that follows one (`低于` `-30%`); never inside a
/// number or word, and never between a number and the character that follows it (`2019年`,
/// `30%以上`).
fn may_break(a: char, b: char, loose: bool) -> bool {
    if a == ' ' || matches!(a, '～' | '、' | '，' | '—') {
        return true;
    }
    if loose && a.is_ascii_digit() && !b.is_ascii() && !matches!(b, '～' | '%' | '、' | '，') {
        return true;
    }
    if matches!(b, '～' | '、' | '，' | '。' | '）' | '%') || joins(a) || a.is_ascii() {
        return false;
    }
    joins(b) || !b.is_ascii()
}

/// Breaks `s` into at most `max_lines` lines no wider than `width`, at the places
/// [`may_break`] allows (`loose`: also between a number and the word after it, `2019` `年`,
/// when there is no other way to show every label); None when it cannot be done.
pub(super) fn wrap(
    s: &str,
    size: f64,
    width: f64,
    max_lines: usize,
    loose: bool,
) -> Option<Vec<String>> {
    let chars: Vec<char> = s.chars().collect();
    let mut lines = Vec::new();
    let mut start = 0;
    while start < chars.len() {
        if lines.len() == max_lines {
            return None;
        }
        let rest: String = chars[start..].iter().collect();
        if text_width(&rest, size) <= width {
            lines.push(rest.trim().to_string());
            break;
        }
        // The last break point whose line fits.
        let mut end = None;
        let mut used = 0.0;
        for i in start..chars.len() {
            used += char_em(chars[i]) * size;
            if used > width {
                break;
            }
            if i + 1 < chars.len() && may_break(chars[i], chars[i + 1], loose) {
                end = Some(i + 1);
            }
        }
        let end = end?;
        lines.push(
            chars[start..end]
                .iter()
                .collect::<String>()
                .trim()
                .to_string(),
        );
        start = end;
    }
    Some(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Where a label may break: after a space or a wide tilde, never inside a word or a
    /// number, and between a number and the Chinese after it only when breaking loosely.
    #[test]
    fn a_label_breaks_where_a_reader_would() {
        assert!(may_break(' ', 'a', false) && may_break('～', '-', false));
        assert!(may_break('、', '年', false) && may_break('收', '入', false));
        assert!(!may_break('a', 'b', false) && !may_break('a', 'b', true));
        assert!(!may_break('9', '年', false) && may_break('9', '年', true));
        assert!(!may_break('9', '%', true) && !may_break('9', '0', true));
        // Never before a closing mark or `%`, never after other ASCII.
        assert!(!may_break('收', '%', false) && !may_break('收', '）', false));
        assert!(!may_break('=', '年', false));
    }

    /// An empty label has no lines; one that fits is one line.
    #[test]
    fn an_empty_label_wraps_to_no_lines() {
        assert_eq!(wrap("", 12.0, 100.0, 2, false), Some(Vec::new()));
        assert_eq!(
            wrap("收入", 12.0, 100.0, 2, false),
            Some(vec!["收入".to_owned()])
        );
    }

    /// Capitals are estimated wider than small letters, digits narrower, Chinese a full em.
    #[test]
    fn widths_are_estimated_by_kind_of_character() {
        assert_eq!(text_width("AB", 10.0), 14.0);
        assert_eq!(text_width("ab", 10.0), 12.0);
        assert_eq!(text_width("20", 10.0), 11.6);
        assert_eq!(text_width("助学", 10.0), 20.0);
    }

    #[test]
    fn numbers_and_their_units_are_never_broken() {
        // The growth bands: "-30%～-10%" breaks after the tilde, never inside "-10%".
        assert_eq!(
            wrap("-30%～-10%", 12.0, 48.0, 2, false),
            Some(vec!["-30%～".to_string(), "-10%".to_string()])
        );
        assert_eq!(
            wrap("-30%～-10%", 12.0, 200.0, 2, false).unwrap(),
            vec!["-30%～-10%"]
        );
        // A year is kept whole, or broken before its 年 only when asked to.
        assert_eq!(wrap("2019年", 14.0, 30.0, 2, false), None);
        assert_eq!(
            wrap("2019年", 12.0, 30.0, 2, true).unwrap(),
            vec!["2019", "年"]
        );
        assert_eq!(wrap("-30%～-10%", 12.0, 30.0, 2, true), None);
        assert_eq!(
            wrap("2019年", 14.0, 60.0, 2, false).unwrap(),
            vec!["2019年"]
        );
        // Chinese breaks between characters.
        assert_eq!(
            wrap("人民政府办公室", 14.0, 56.0, 2, false).unwrap(),
            vec!["人民政府", "办公室"]
        );
        assert_eq!(wrap("人民政府办公室", 14.0, 28.0, 2, false), None);
        // Before a number that follows Chinese, not inside it.
        assert_eq!(
            wrap("低于-30%", 14.0, 40.0, 2, false).unwrap(),
            vec!["低于", "-30%"]
        );
    }

    #[test]
    fn cutting() {
        assert_eq!(truncate("一二三", 2), "一二…");
        assert_eq!(fit_width("一二三四", 10.0, 30.0), "一二…");
        assert_eq!(fit_width("一二", 10.0, 30.0), "一二");
        assert_eq!(clean_id("a b\"<c>"), "a-b--c-");
        assert_eq!(clean_id(""), "chart");
    }
}
