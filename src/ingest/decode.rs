//! Bytes to text: finds the encoding a department's file was saved in (UTF-8 with or without
//! BOM, UTF-16 LE/BE, GB18030/GBK) and refuses binary data instead of guessing.

use encoding_rs::{GB18030, UTF_16BE, UTF_16LE};

/// Why a file's bytes are not text we can read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("文件为空")]
    Empty,
    #[error("文件不是文本（含有二进制内容），请导出为文本或 JSON 后重新提交")]
    Binary,
    #[error("无法识别文件编码（{0}），请以 UTF-8 或 GB18030 保存后重新提交")]
    Undecodable(&'static str),
}

/// Text decoded from a file, and the name of the encoding it was found in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
}

pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    let decoded = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        let text =
            simdutf8::basic::from_utf8(rest).map_err(|_| DecodeError::Undecodable("UTF-8"))?;
        Decoded {
            text: text.to_owned(),
            encoding: "UTF-8 BOM",
        }
    } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        utf16(rest, Endian::Little)?
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        utf16(rest, Endian::Big)?
    } else if bytes.contains(&0) {
        // UTF-16 saved without a BOM is mostly ASCII-range zero bytes on one side.
        match sniff_bomless_utf16(bytes) {
            Some(endian) => utf16(bytes, endian)?,
            None => return Err(DecodeError::Binary),
        }
    } else if let Some(text) = utf8_allowing_truncation(bytes) {
        Decoded {
            text: text.to_owned(),
            encoding: "UTF-8",
        }
    } else {
        let (text, had_errors) = GB18030.decode_without_bom_handling(bytes);
        if had_errors {
            return Err(if looks_binary_bytes(bytes) {
                DecodeError::Binary
            } else {
                DecodeError::Undecodable("既不是 UTF-8 也不是 GB18030")
            });
        }
        Decoded {
            text: text.into_owned(),
            encoding: "GB18030",
        }
    };
    if decoded.text.trim_matches(is_blank).is_empty() {
        return Err(DecodeError::Empty);
    }
    if has_control_noise(&decoded.text) {
        return Err(DecodeError::Binary);
    }
    Ok(decoded)
}

/// UTF-8, also when the file was cut off inside its last character (a truncated upload):
/// the incomplete character is dropped and the rest is read.
/// (Checked by `simdutf8`, many bytes at a time where the standard library's check takes
/// Chinese text a character at a time.)
fn utf8_allowing_truncation(bytes: &[u8]) -> Option<&str> {
    match simdutf8::compat::from_utf8(bytes) {
        Ok(text) => Some(text),
        Err(e) if e.error_len().is_none() && e.valid_up_to() + 4 > bytes.len() => {
            std::str::from_utf8(&bytes[..e.valid_up_to()]).ok()
        }
        Err(_) => None,
    }
}

#[derive(Debug, Clone, Copy)]
enum Endian {
    Little,
    Big,
}

fn utf16(bytes: &[u8], endian: Endian) -> Result<Decoded, DecodeError> {
    let (encoding, name) = match endian {
        Endian::Little => (UTF_16LE, "UTF-16LE"),
        Endian::Big => (UTF_16BE, "UTF-16BE"),
    };
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    if had_errors {
        return Err(DecodeError::Undecodable(name));
    }
    Ok(Decoded {
        text: text.into_owned(),
        encoding: name,
    })
}

fn sniff_bomless_utf16(bytes: &[u8]) -> Option<Endian> {
    if bytes.len() < 4 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let pairs = bytes.len() / 2;
    let zero_even = bytes.iter().step_by(2).filter(|&&b| b == 0).count();
    let zero_odd = bytes.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    // Chinese text has few zero bytes, so only trust a clear pattern of tabs and digits.
    if zero_odd * 4 >= pairs && zero_even * 20 < pairs {
        Some(Endian::Little)
    } else if zero_even * 4 >= pairs && zero_odd * 20 < pairs {
        Some(Endian::Big)
    } else {
        None
    }
}

fn is_blank(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}'
}

fn looks_binary_bytes(bytes: &[u8]) -> bool {
    let control = bytes
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c))
        .count();
    control * 100 > bytes.len()
}

/// Control characters other than tabs and line breaks mean this is not an exported form.
fn has_control_noise(text: &str) -> bool {
    let mut total = 0usize;
    let mut control = 0usize;
    for c in text.chars() {
        total += 1;
        if (c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{0c}')) || c == '\u{fffd}' {
            control += 1;
        }
    }
    control > 0 && control * 200 > total
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "2020年度部门整体支出绩效目标申报表\n部门名称\t武汉市新洲区总工会\n";

    fn utf16_bytes(s: &str, bom: bool, big: bool) -> Vec<u8> {
        let mut out = Vec::new();
        if bom {
            out.extend_from_slice(if big { b"\xFE\xFF" } else { b"\xFF\xFE" });
        }
        for unit in s.encode_utf16() {
            let b = if big {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            };
            out.extend_from_slice(&b);
        }
        out
    }

    #[test]
    fn decodes_every_supported_encoding_to_the_same_text() {
        let gb = GB18030.encode(SAMPLE).0.into_owned();
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(SAMPLE.as_bytes());
        let cases: Vec<(Vec<u8>, &str)> = vec![
            (SAMPLE.as_bytes().to_vec(), "UTF-8"),
            (bom, "UTF-8 BOM"),
            (gb, "GB18030"),
            (utf16_bytes(SAMPLE, true, false), "UTF-16LE"),
            (utf16_bytes(SAMPLE, true, true), "UTF-16BE"),
        ];
        for (bytes, encoding) in cases {
            let d = decode(&bytes).unwrap();
            assert_eq!(d.text, SAMPLE, "{encoding}");
            assert_eq!(d.encoding, encoding);
        }
    }

    #[test]
    fn refuses_empty_and_binary() {
        assert_eq!(decode(b""), Err(DecodeError::Empty));
        assert_eq!(decode(b" \r\n\t "), Err(DecodeError::Empty));
        assert_eq!(decode(b"\xEF\xBB\xBF"), Err(DecodeError::Empty));
        let junk: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect();
        assert!(decode(&junk).is_err());
        assert_eq!(
            decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Err(DecodeError::Binary)
        );
        assert_eq!(decode(b"abc\0def"), Err(DecodeError::Binary));
    }

    #[test]
    fn a_utf8_file_cut_inside_a_character_keeps_what_came_before() {
        let bytes = "部门名称\t总工会".as_bytes();
        let cut = &bytes[..bytes.len() - 1];
        let d = decode(cut).unwrap();
        assert_eq!(d.text, "部门名称\t总工");
        assert_eq!(d.encoding, "UTF-8");
    }
}
