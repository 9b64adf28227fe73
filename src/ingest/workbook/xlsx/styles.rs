//! What `styles.xml` says about numbers: each cell style's number format (`cellXfs` →
//! `numFmts` or a built-in format), and whether that format shows a date or a time.

use super::xml::{attr, local, name_of, unescaped, Event, Lexer};
use super::Fault;

/// What a cell style does to a number: its format code (for `display_number`) and whether
/// that format shows a date or time.
#[derive(Debug, Clone, Default)]
pub(super) struct CellFormat {
    pub(super) code: Option<String>,
    pub(super) date: bool,
}

/// The number format of each cell style (`cellXfs`), in style order.
pub(super) fn cell_formats(xml_text: &str) -> Result<Vec<CellFormat>, Fault> {
    let mut reader = Lexer::new(xml_text);
    let mut custom: Vec<(String, String)> = Vec::new();
    let mut formats = Vec::new();
    let mut in_num_fmts = false;
    let mut in_cell_xfs = false;
    loop {
        match reader.next()? {
            Event::Start(e) | Event::Empty(e) => match name_of(&e) {
                "numFmts" => in_num_fmts = true,
                "cellXfs" => in_cell_xfs = true,
                "numFmt" if in_num_fmts => {
                    if let (Some(id), Some(code)) = (attr(&e, "numFmtId"), attr(&e, "formatCode")) {
                        custom.push((id.to_owned(), unescaped(code)));
                    }
                }
                "xf" if in_cell_xfs => {
                    let id = attr(&e, "numFmtId");
                    let custom_code = id.and_then(|id| custom.iter().find(|(i, _)| i == id));
                    let date = match (id, custom_code) {
                        (_, Some((_, code))) => is_date_format(code),
                        (Some(id), None) => builtin_is_date(id),
                        (None, None) => false,
                    };
                    let code = id.and_then(|id| id.parse::<u32>().ok()).map(|n| {
                        custom_code
                            .map(|(_, c)| c.clone())
                            .or_else(|| builtin_format_code(n).map(str::to_owned))
                            .unwrap_or_else(|| "General".to_owned())
                    });
                    formats.push(CellFormat { code, date });
                }
                _ => {}
            },
            Event::End(e) => match local(e) {
                "numFmts" => in_num_fmts = false,
                "cellXfs" => in_cell_xfs = false,
                _ => {}
            },
            Event::Eof => return Ok(formats),
            _ => {}
        }
    }
}

/// Built-in number formats that show dates or times (ECMA-376 18.8.30; the East Asian ones
/// vary by locale and all show dates or times). As calamine tells them.
pub(super) fn builtin_is_date(id: &str) -> bool {
    matches!(
        id,
        "14" | "15"
            | "16"
            | "17"
            | "18"
            | "19"
            | "20"
            | "21"
            | "22"
            | "45"
            | "46"
            | "47"
            | "27"
            | "28"
            | "29"
            | "30"
            | "31"
            | "32"
            | "33"
            | "34"
            | "35"
            | "36"
            | "50"
            | "51"
            | "52"
            | "53"
            | "54"
            | "55"
            | "56"
            | "57"
            | "58"
    )
}

/// The format code of a built-in number format (ECMA-376 18.8.30).
pub(super) fn builtin_format_code(id: u32) -> Option<&'static str> {
    Some(match id {
        0 => "General",
        1 => "0",
        2 => "0.00",
        3 => "#,##0",
        4 => "#,##0.00",
        9 => "0%",
        10 => "0.00%",
        11 => "0.00E+00",
        12 => "# ?/?",
        13 => "# ??/??",
        14 => "mm-dd-yy",
        15 => "d-mmm-yy",
        16 => "d-mmm",
        17 => "mmm-yy",
        18 => "h:mm AM/PM",
        19 => "h:mm:ss AM/PM",
        20 => "h:mm",
        21 => "h:mm:ss",
        22 => "m/d/yy h:mm",
        37 => "#,##0 ;(#,##0)",
        38 => "#,##0 ;[Red](#,##0)",
        39 => "#,##0.00;(#,##0.00)",
        40 => "#,##0.00;[Red](#,##0.00)",
        41 => "_(* #,##0_);_(* (#,##0);_(* \"-\"_);_(@_)",
        42 => "_($* #,##0_);_($* (#,##0);_($* \"-\"_);_(@_)",
        43 => "_(* #,##0.00_);_(* (#,##0.00);_(* \"-\"??_);_(@_)",
        44 => "_($* #,##0.00_);_($* (#,##0.00);_($* \"-\"??_);_(@_)",
        45 => "mm:ss",
        46 => "[h]:mm:ss",
        47 => "mmss.0",
        48 => "##0.0E+0",
        49 => "@",
        _ => return None,
    })
}

/// Whether a custom number format shows a date, a time or a duration: a date or time letter
/// outside quotes, escapes and brackets in its first section, or an elapsed-time bracket
/// (`[h]`). The rule calamine (after openpyxl) uses, so cells read as they did.
pub(super) fn is_date_format(format: &str) -> bool {
    let mut escaped = false;
    let mut in_quotes = false;
    let mut brackets = 0u8;
    let mut prev = ' ';
    let mut hms = false;
    let mut am_pm = false;
    for c in format.chars() {
        match (c, escaped, in_quotes, am_pm, brackets) {
            (_, true, ..) => escaped = false,
            ('_' | '\\' | '*', ..) => escaped = true,
            ('"', _, true, _, _) => in_quotes = false,
            (_, _, true, _, _) => {}
            ('"', ..) => in_quotes = true,
            (';', ..) => return false,
            ('[', ..) => brackets += 1,
            (']', .., 1) if hms => return true,
            (']', ..) => brackets = brackets.saturating_sub(1),
            ('a' | 'A', _, _, false, 0) => am_pm = true,
            ('p' | 'm' | '/' | 'P' | 'M', _, _, true, 0) => return true,
            ('d' | 'm' | 'h' | 'y' | 's' | 'D' | 'M' | 'H' | 'Y' | 'S', _, _, false, 0) => {
                return true
            }
            _ => {
                if !(hms && c.eq_ignore_ascii_case(&prev)) {
                    hms = prev == '[' && matches!(c, 'm' | 'h' | 's' | 'M' | 'H' | 'S');
                }
            }
        }
        prev = c;
    }
    false
}
