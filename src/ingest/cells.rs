//! The cell level of a text export: splitting lines into tab-separated cells (with Excel's
//! quoted multi-line cells), normalising labels, and reading amounts, shares and paragraphs
//! in the spellings departments actually use (full-width digits, thousands separators, `%`).

use crate::text::{is_any_digit, is_padding, to_half_width};
use rust_decimal::Decimal;
use std::str::FromStr;

/// One table row of the export: its 1-based source line and its trimmed cells.
pub struct RawRow {
    pub line: u32,
    pub cells: Vec<String>,
    /// Each cell as the vocabulary compares labels (`vocab::key`), made when first asked:
    /// the layout's detection, the readers and the column assignment all compare every cell,
    /// and keying it once is what keeps the header-driven reader as fast as fixed offsets.
    /// A reader that changes `cells` does so on a copy (`Clone` leaves the keys behind).
    keys: std::sync::OnceLock<Box<[String]>>,
}

impl Clone for RawRow {
    fn clone(&self) -> RawRow {
        RawRow::new(self.line, self.cells.clone())
    }
}

impl PartialEq for RawRow {
    fn eq(&self, other: &RawRow) -> bool {
        self.line == other.line && self.cells == other.cells
    }
}

impl Eq for RawRow {}

impl std::fmt::Debug for RawRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RawRow")
            .field("line", &self.line)
            .field("cells", &self.cells)
            .finish()
    }
}

impl RawRow {
    pub fn new(line: u32, cells: Vec<String>) -> RawRow {
        RawRow {
            line,
            cells,
            keys: std::sync::OnceLock::new(),
        }
    }
    /// Each cell's label as the vocabulary compares it (`vocab::key`; empty for an empty
    /// cell or a paragraph of text), one per cell.
    pub fn keys(&self) -> &[String] {
        self.keys.get_or_init(|| {
            self.cells
                .iter()
                .map(|c| crate::ingest::layouts::vocab::key(c))
                .collect()
        })
    }
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.is_empty())
    }
    /// Index of the first non-empty cell.
    pub fn first_filled(&self) -> Option<usize> {
        self.cells.iter().position(|c| !c.is_empty())
    }
    /// The first non-empty cell after `index`.
    pub fn next_filled(&self, index: usize) -> Option<(usize, &str)> {
        self.cells
            .iter()
            .enumerate()
            .skip(index + 1)
            .find(|(_, c)| !c.is_empty())
            .map(|(i, c)| (i, c.as_str()))
    }
}

/// Splits decoded text into rows of cells. Line ends may be LF, CRLF or CR. A cell that opens
/// with `"` and closes with `"` before a tab or line end is an Excel-quoted cell: it may span
/// lines and `""` stands for `"`. An opening quote that never closes is taken literally.
pub fn split_rows(text: &str) -> Vec<RawRow> {
    // By bytes: the marks (tab, line ends, quote) are ASCII, which UTF-8 never uses inside a
    // character, so a cell's text is a slice between them, found with `memchr` and copied
    // once (a `Vec<char>` of the whole text and a push per character were the reader's
    // largest single cost).
    let bytes = text.as_bytes();
    let mut rows = Vec::new();
    let mut cells: Vec<String> = Vec::new();
    // A cell's text so far, when a quoted part opened it.
    let mut cell = String::new();
    let mut line: u32 = 1;
    let mut row_line: u32 = 1;
    let mut i = 0;
    // Once a search for a closing quote from position p fails, every search from a later
    // position fails too: remembering it keeps hostile input linear.
    let mut no_close_from = usize::MAX;
    let mut at_cell_start = true;
    while i < bytes.len() {
        if at_cell_start && bytes[i] == b'"' && i < no_close_from {
            if let Some((content, end, newlines)) = quoted_cell(text, i) {
                cell.push_str(&content);
                line += newlines;
                i = end;
                at_cell_start = false;
                continue;
            }
            no_close_from = i;
        }
        let Some(mark) = memchr::memchr3(b'\t', b'\r', b'\n', &bytes[i..]).map(|k| i + k) else {
            cell.push_str(&text[i..]);
            break;
        };
        let run = &text[i..mark];
        cells.push(if cell.is_empty() {
            clean_cell(run)
        } else {
            cell.push_str(run);
            let value = clean_cell(&cell);
            cell.clear();
            value
        });
        i = mark + 1;
        if bytes[mark] != b'\t' {
            if bytes[mark] == b'\r' && bytes.get(i) == Some(&b'\n') {
                i += 1;
            }
            rows.push(RawRow::new(row_line, std::mem::take(&mut cells)));
            line += 1;
            row_line = line;
        }
        at_cell_start = true;
    }
    if !cell.is_empty() || !cells.is_empty() {
        cells.push(clean_cell(&cell));
        rows.push(RawRow::new(row_line, cells));
    }
    rows
}

/// Reads a quoted cell whose opening quote is at byte `start`. Returns its content, the index
/// just past the closing quote, and how many line breaks it spanned.
fn quoted_cell(text: &str, start: usize) -> Option<(String, usize, u32)> {
    let bytes = text.as_bytes();
    let mut content = String::new();
    let mut newlines = 0;
    let mut i = start + 1;
    while let Some(mark) = memchr::memchr3(b'"', b'\r', b'\n', &bytes[i..]).map(|k| i + k) {
        content.push_str(&text[i..mark]);
        i = mark;
        match bytes[i] {
            b'"' if bytes.get(i + 1) == Some(&b'"') => {
                content.push('"');
                i += 2;
            }
            b'"' => {
                return match bytes.get(i + 1) {
                    None | Some(b'\t' | b'\n' | b'\r') => Some((content, i + 1, newlines)),
                    Some(_) => None,
                };
            }
            // A CRLF is one line end: its LF is counted next.
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => i += 1,
            _ => {
                newlines += 1;
                content.push('\n');
                i += 1;
            }
        }
    }
    None
}

fn clean_cell(raw: &str) -> String {
    raw.trim_matches(is_padding).to_owned()
}

/// A number at the start of `chars`: digits (ASCII or full-width) or Chinese numerals up to
/// 九十九 (`目标三`, `年度目标十二`). Returns the value and how many chars it took.
pub fn leading_number(chars: &[char]) -> Option<(u32, usize)> {
    let digits: String = chars.iter().take_while(|c| is_any_digit(**c)).collect();
    if !digits.is_empty() {
        let count = digits.chars().count();
        if count > 4 {
            return None;
        }
        return to_half_width(&digits).parse().ok().map(|n| (n, count));
    }
    let value = |c: char| {
        "零一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|p| p as u32)
    };
    let mut n = 0;
    let mut used = 0;
    let mut tens = false;
    for &c in chars.iter().take(3) {
        match (c, value(c)) {
            ('十', _) if !tens => {
                n = if used == 0 { 10 } else { n * 10 };
                tens = true;
            }
            (_, Some(v)) if !tens && used == 0 => n = v,
            (_, Some(v)) if tens => {
                n += v;
                used += 1;
                break;
            }
            _ => break,
        }
        used += 1;
    }
    (used > 0 && n > 0).then_some((n, used))
}

/// Why a cell could not be read as a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NumberError {
    #[error("不是数字")]
    NotANumber,
    #[error("数字位数过多")]
    TooLong,
}

/// What a clerk should know about a cell that is not a number: a formula saved without its
/// result, or a formula error.
pub fn number_hint(cell: &str) -> &'static str {
    let cell = cell.trim();
    if cell.starts_with('=') {
        "（是没有保存计算结果的公式，请在 Excel 或 WPS 中打开、重新计算并保存后再提交）"
    } else if cell.starts_with('#') && ["!", "?", "N/A"].iter().any(|end| cell.ends_with(end)) {
        "（是公式错误，请修正公式）"
    } else {
        ""
    }
}

/// Integer digits beyond this are not an amount of money in 万元 but a typing accident.
const MAX_INTEGER_DIGITS: usize = 15;
const MAX_FRACTION_DIGITS: usize = 6;
/// A share may be a formula's result (`0.26439020804234`): 15 significant digits at most.
const MAX_SHARE_FRACTION_DIGITS: usize = 15;

/// Reads an amount cell. Empty (or a lone dash/slash, which forms use for "none") is `None`.
/// Accepts full-width digits, thousands separators and a trailing `万元`.
pub fn parse_amount(cell: &str) -> Result<Option<Decimal>, NumberError> {
    // The header-driven reader asks this of every cell it might place under an amount
    // column, most of them text or plain numbers: neither needs normalising.
    if is_plain_number(cell) {
        return parse_plain(cell, MAX_FRACTION_DIGITS);
    }
    if cannot_be_number(cell) {
        return Err(NumberError::NotANumber);
    }
    let s = normalise_number(cell);
    let s = s.strip_suffix("万元").unwrap_or(&s);
    parse_plain(s, MAX_FRACTION_DIGITS)
}

/// Reads a share cell (`93.58%`, `93.58`, or the fraction `0.9358` behind a percent format,
/// with a formula's float noise: up to 15 decimals), as written; whether a bare number is
/// percentage points or a fraction is for the layout to decide (`is_bare_share`).
pub fn parse_share(cell: &str) -> Result<Option<Decimal>, NumberError> {
    if is_plain_number(cell) {
        return parse_plain(cell, MAX_SHARE_FRACTION_DIGITS);
    }
    if cannot_be_number(cell) {
        return Err(NumberError::NotANumber);
    }
    let s = normalise_number(cell);
    match s.strip_suffix('%') {
        Some("") => Err(NumberError::NotANumber),
        Some(number) => parse_plain(number, MAX_SHARE_FRACTION_DIGITS),
        None => parse_plain(&s, MAX_SHARE_FRACTION_DIGITS),
    }
}

/// Whether a share cell holds a number without `%` (percentage points or a fraction).
pub fn is_bare_share(cell: &str) -> bool {
    !normalise_number(cell).ends_with('%')
}

/// `286.41`, `-3`: ASCII digits with at most a leading minus and a point, which
/// `normalise_number` would return unchanged.
fn is_plain_number(cell: &str) -> bool {
    let digits = cell.strip_prefix('-').unwrap_or(cell);
    !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && digits.as_bytes()[0].is_ascii_digit()
}

/// A cell whose first visible character starts no number, sign, "none" mark (`/`) or unit: text,
/// which `parse_plain` would refuse as `NotANumber` after normalising all of it.
fn cannot_be_number(cell: &str) -> bool {
    match cell.chars().find(|c| !is_padding(*c)) {
        None => false,
        Some(c) => {
            let c = match c {
                '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
                _ => c,
            };
            // `万元` alone is an amount left blank.
            !(c.is_ascii_digit() || matches!(c, '-' | '+' | '/' | '−' | '—' | '–' | '万'))
        }
    }
}

fn normalise_number(cell: &str) -> String {
    let half = to_half_width(cell);
    let chars: Vec<char> = half.chars().filter(|c| !is_padding(*c)).collect();
    let mut out = String::with_capacity(chars.len());
    for (i, &c) in chars.iter().enumerate() {
        let between_digits = i > 0
            && chars[i - 1].is_ascii_digit()
            && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit());
        // `，` is already half-width here; a separator only counts between digits.
        if c == ',' && between_digits {
            continue;
        }
        out.push(match c {
            '−' | '—' | '–' => '-',
            _ => c,
        });
    }
    out
}

fn parse_plain(s: &str, max_fraction: usize) -> Result<Option<Decimal>, NumberError> {
    if s.is_empty() || matches!(s, "-" | "/" | "--") {
        return Ok(None);
    }
    let unsigned = s
        .strip_prefix('-')
        .or_else(|| s.strip_prefix('+'))
        .unwrap_or(s);
    let (int, frac) = match unsigned.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (unsigned, None),
    };
    let digits_ok = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty() || !digits_ok(int) || frac.is_some_and(|f| f.is_empty() || !digits_ok(f)) {
        return Err(NumberError::NotANumber);
    }
    let significant = int.trim_start_matches('0');
    if significant.len() > MAX_INTEGER_DIGITS || frac.map_or(0, str::len) > max_fraction {
        return Err(NumberError::TooLong);
    }
    Decimal::from_str(s)
        .map(Some)
        .map_err(|_| NumberError::NotANumber)
}

/// Splits a `部门职能概述` / `年度工作任务` cell into paragraphs: HTML `<p>` paragraphs with the
/// tags removed, or plain text split at line breaks and at numbering such as ` 2、`.
pub fn paragraphs(cell: &str) -> Vec<String> {
    if looks_like_html(cell) {
        split_html(cell)
    } else {
        cell.lines().flat_map(split_numbered).collect()
    }
}

fn looks_like_html(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    ["<p", "</p", "<br", "<div", "</div", "<span", "<li"]
        .iter()
        .any(|t| lower.contains(t))
}

fn split_html(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut rest = s;
    while let Some(open) = rest.find('<') {
        current.push_str(&rest[..open]);
        let after = &rest[open..];
        let Some(close) = after.find('>') else {
            // An unclosed `<` is text, not a tag.
            current.push_str(after);
            rest = "";
            break;
        };
        let tag = after[1..close].trim().to_ascii_lowercase();
        let name = tag
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or("");
        if matches!(name, "p" | "br" | "div" | "li" | "tr" | "h1" | "h2" | "h3") {
            push_paragraph(&mut out, &current);
            current.clear();
        }
        rest = &after[close + 1..];
    }
    current.push_str(rest);
    push_paragraph(&mut out, &current);
    out
}

fn push_paragraph(out: &mut Vec<String>, text: &str) {
    let text = decode_entities(text);
    let text = text.trim_matches(is_padding);
    if !text.is_empty() {
        out.push(text.to_owned());
    }
}

/// The HTML entities a text export contains; anything else stays as written.
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp..];
        let entity_end = after.find(';').filter(|&e| e <= 10);
        let decoded = entity_end.and_then(|e| {
            let name = &after[1..e];
            let c = match name {
                "nbsp" => Some(' '),
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" | "#39" => Some('\''),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &after[e + 1..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Splits plain text where a new number starts after white space: `1、甲 2、乙` → two items.
fn split_numbered(line: &str) -> Vec<String> {
    let chars: Vec<char> = line.chars().collect();
    let mut starts = vec![0];
    for i in 1..chars.len() {
        if is_padding(chars[i - 1]) && !is_padding(chars[i]) && numbering_at(&chars[i..]) {
            starts.push(i);
        }
    }
    starts.push(chars.len());
    starts
        .windows(2)
        .map(|w| chars[w[0]..w[1]].iter().collect::<String>())
        .map(|p| p.trim_matches(is_padding).to_owned())
        .filter(|p| !p.is_empty())
        .collect()
}

/// `12、` `3.` `4．` `（5）` `(6)` at the start of `chars`.
fn numbering_at(chars: &[char]) -> bool {
    let digits = chars.iter().take_while(|c| is_any_digit(**c)).count();
    if digits > 0 && digits <= 3 {
        return matches!(chars.get(digits), Some('、' | '.' | '．' | ')' | '）'));
    }
    if matches!(chars.first(), Some('(' | '（')) {
        let inner = chars[1..].iter().take_while(|c| is_any_digit(**c)).count();
        return inner > 0 && inner <= 3 && matches!(chars.get(1 + inner), Some(')' | '）'));
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_keys_its_cells_once_and_a_copy_keys_its_own() {
        let row = RawRow::new(3, vec!["部门名称：".into(), String::new(), "甲局".into()]);
        assert_eq!(row.keys(), ["部门名称", "", "甲局"]);
        // A reader that edits a copy's cells sees keys of the edited cells.
        let mut copy = row.clone();
        copy.cells[0] = "年度绩效指标".into();
        assert_eq!(copy.keys()[0], "年度绩效指标");
        assert_eq!(row.keys()[0], "部门名称");
        assert_eq!(copy.line, 3);
    }

    #[test]
    fn the_fast_paths_read_numbers_as_normalising_would() {
        // `parse_amount`/`parse_share` skip normalising plain numbers and text; what they
        // give must be what normalising every cell gives.
        let slow_amount = |c: &str| {
            let s = normalise_number(c);
            parse_plain(s.strip_suffix("万元").unwrap_or(&s), MAX_FRACTION_DIGITS)
        };
        let slow_share = |c: &str| {
            let s = normalise_number(c);
            match s.strip_suffix('%') {
                Some("") => Err(NumberError::NotANumber),
                Some(n) => parse_plain(n, MAX_SHARE_FRACTION_DIGITS),
                None => parse_plain(&s, MAX_SHARE_FRACTION_DIGITS),
            }
        };
        let cells = [
            "",
            " ",
            "\u{3000}",
            "-",
            "--",
            "/",
            "286.41",
            "-3",
            "0",
            "007",
            "5.",
            ".5",
            "1.2.3",
            "1,234.5",
            "１２３．４",
            "－5",
            "−5",
            "+5",
            "(5)",
            "（空）",
            "无",
            "万元",
            "12万元",
            "93.58%",
            "%",
            "0.26439020804234",
            "12345678901234567890",
            "1.123456789012345678",
            ",5",
            "5-",
            "２８６．４１ ",
            " 286.41",
            "合计",
            "a1",
            "一百",
        ];
        for c in cells {
            assert_eq!(parse_amount(c), slow_amount(c), "parse_amount({c:?})");
            assert_eq!(parse_share(c), slow_share(c), "parse_share({c:?})");
        }
    }

    fn d(s: &str) -> Option<Decimal> {
        Some(Decimal::from_str(s).unwrap())
    }

    /// The splitting as it was written first, a character at a time: the byte-wise
    /// `split_rows` must agree with it on every text.
    fn by_chars(text: &str) -> Vec<RawRow> {
        let chars: Vec<char> = text.chars().collect();
        let mut rows = Vec::new();
        let mut cells: Vec<String> = Vec::new();
        let mut cell = String::new();
        let mut line: u32 = 1;
        let mut row_line: u32 = 1;
        let mut i = 0;
        // Once a search for a closing quote from position p fails, every search from a later
        // position fails too: remembering it keeps hostile input linear.
        let mut no_close_from = usize::MAX;
        let mut at_cell_start = true;
        while i < chars.len() {
            let c = chars[i];
            if at_cell_start && c == '"' && i < no_close_from {
                if let Some((content, end, newlines)) = quoted_by_chars(&chars, i) {
                    cell.push_str(&content);
                    line += newlines;
                    i = end;
                    at_cell_start = false;
                    continue;
                }
                no_close_from = i;
            }
            at_cell_start = false;
            match c {
                '\t' => {
                    cells.push(clean_cell(&cell));
                    cell.clear();
                    at_cell_start = true;
                }
                '\r' | '\n' => {
                    if c == '\r' && chars.get(i + 1) == Some(&'\n') {
                        i += 1;
                    }
                    cells.push(clean_cell(&cell));
                    cell.clear();
                    rows.push(RawRow::new(row_line, std::mem::take(&mut cells)));
                    line += 1;
                    row_line = line;
                    at_cell_start = true;
                }
                _ => cell.push(c),
            }
            i += 1;
        }
        if !cell.is_empty() || !cells.is_empty() {
            cells.push(clean_cell(&cell));
            rows.push(RawRow::new(row_line, cells));
        }
        rows
    }

    /// Reads a quoted cell starting at `start` (the opening quote). Returns its content, the index
    /// just past the closing quote, and how many line breaks it spanned.
    fn quoted_by_chars(chars: &[char], start: usize) -> Option<(String, usize, u32)> {
        let mut content = String::new();
        let mut newlines = 0;
        let mut i = start + 1;
        while i < chars.len() {
            match chars[i] {
                '"' if chars.get(i + 1) == Some(&'"') => {
                    content.push('"');
                    i += 2;
                }
                '"' => {
                    return match chars.get(i + 1) {
                        None | Some('\t') | Some('\n') | Some('\r') => {
                            Some((content, i + 1, newlines))
                        }
                        Some(_) => None,
                    };
                }
                '\r' => {
                    if chars.get(i + 1) != Some(&'\n') {
                        newlines += 1;
                        content.push('\n');
                    }
                    i += 1;
                }
                c => {
                    if c == '\n' {
                        newlines += 1;
                    }
                    content.push(c);
                    i += 1;
                }
            }
        }
        None
    }

    /// Every text of up to five marks from an alphabet of the marks that matter (quote, tab,
    /// CR, LF, padding, ASCII and CJK text), and longer random ones: the same rows, lines
    /// and cells as splitting by characters.
    #[test]
    fn splitting_by_bytes_agrees_with_splitting_by_characters() {
        let alphabet = ["\"", "\t", "\r", "\n", " ", "a", "中", "\u{3000}"];
        let check = |text: &str| {
            assert_eq!(split_rows(text), by_chars(text), "{text:?}");
        };
        let mut texts = vec![String::new()];
        for _ in 0..5 {
            texts = texts
                .iter()
                .flat_map(|t| alphabet.iter().map(move |m| format!("{t}{m}")))
                .collect();
            texts.iter().for_each(|t| check(t));
        }
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..2_000 {
            let mut text = String::new();
            for _ in 0..40 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.push_str(alphabet[(seed % alphabet.len() as u64) as usize]);
            }
            check(&text);
        }
    }

    #[test]
    fn splits_cells_lines_and_quoted_cells() {
        let rows = split_rows("a\t b \tc\r\n\t\r\n\"x\n\"\"y\"\"\"\tz\nlast");
        assert_eq!(rows[0].cells, ["a", "b", "c"]);
        assert_eq!(rows[0].line, 1);
        assert_eq!(rows[1].cells, ["", ""]);
        assert_eq!(rows[2].cells, ["x\n\"y\"", "z"]);
        assert_eq!(rows[2].line, 3);
        assert_eq!(rows[3].cells, ["last"]);
        assert_eq!(rows[3].line, 5);
    }

    #[test]
    fn an_unclosed_quote_is_literal_and_linear() {
        let rows = split_rows("\"open\tb\n\"again\n");
        assert_eq!(rows[0].cells, ["\"open", "b"]);
        assert_eq!(rows[1].cells, ["\"again"]);
        let hostile = "\"x\t".repeat(200_000);
        assert_eq!(split_rows(&hostile)[0].cells.len(), 200_001);
    }

    #[test]
    fn reads_amounts_in_every_spelling() {
        assert_eq!(parse_amount("286.41"), Ok(d("286.41")));
        assert_eq!(parse_amount("２８６．４１"), Ok(d("286.41")));
        assert_eq!(parse_amount("1,286.41"), Ok(d("1286.41")));
        assert_eq!(parse_amount("1，286.41"), Ok(d("1286.41")));
        assert_eq!(parse_amount(" 31 "), Ok(d("31")));
        assert_eq!(parse_amount("12万元"), Ok(d("12")));
        assert_eq!(parse_amount("-5"), Ok(d("-5")));
        assert_eq!(parse_amount(""), Ok(None));
        assert_eq!(parse_amount("-"), Ok(None));
        for bad in [
            "abc", "12.3.4", "NaN", "inf", "1e5", ".5", "5.", "1,2,3a", "0x10",
        ] {
            assert_eq!(parse_amount(bad), Err(NumberError::NotANumber), "{bad}");
        }
        assert_eq!(parse_amount(&"9".repeat(400)), Err(NumberError::TooLong));
        assert_eq!(parse_amount("1.1234567"), Err(NumberError::TooLong));
    }

    #[test]
    fn reads_shares() {
        assert_eq!(parse_share("93.58%"), Ok(d("93.58")));
        assert_eq!(parse_share("93.58％"), Ok(d("93.58")));
        assert_eq!(parse_share("100"), Ok(d("100")));
        assert_eq!(parse_share(""), Ok(None));
        assert!(parse_share("%").is_err());
    }

    #[test]
    fn leading_numbers_in_digits_and_chinese() {
        let n = |s: &str| leading_number(&s.chars().collect::<Vec<_>>());
        assert_eq!(n("12："), Some((12, 2)));
        assert_eq!(n("３："), Some((3, 1)));
        assert_eq!(n("三："), Some((3, 1)));
        assert_eq!(n("十："), Some((10, 1)));
        assert_eq!(n("十二："), Some((12, 2)));
        assert_eq!(n("二十："), Some((20, 2)));
        assert_eq!(n("二十一"), Some((21, 3)));
        assert_eq!(n("："), None);
        assert_eq!(n("零"), None);
    }

    #[test]
    fn paragraphs_from_html_and_plain_text() {
        assert_eq!(
            paragraphs("<p>1、甲&amp;乙。</p> <p>2、丙</p>"),
            ["1、甲&乙。", "2、丙"]
        );
        assert_eq!(
            paragraphs("1、甲,乙 2、丙 3.丁"),
            ["1、甲,乙", "2、丙", "3.丁"]
        );
        assert_eq!(paragraphs("1、甲\n（2）乙"), ["1、甲", "（2）乙"]);
        assert_eq!(paragraphs("共 3 家"), ["共 3 家"]);
        assert_eq!(paragraphs("a < b"), ["a < b"]);
        assert_eq!(paragraphs("<p>x<br/>y</p><p></p>"), ["x", "y"]);
    }
}
