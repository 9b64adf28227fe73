//! Renderers for diagnostics: text for people (grouped by file, coloured on a terminal, with a
//! summary line), the JSON contract of `check --format json`, and GitHub workflow annotations.

use crate::diagnostic::{Diagnostic, Severity};
use crate::load::Batch;
use serde::Serialize;
use std::fmt::Write as _;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Text,
    Json,
    Github,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct TextStyle {
    pub color: bool,
}

pub fn render(batch: &Batch, format: Format, style: TextStyle) -> String {
    match format {
        Format::Text => text(batch, style),
        Format::Json => json(batch),
        Format::Github => github(&batch.diagnostics),
    }
}

/// `{"files": N, "declarations": N, "diagnostics": [...]}` with a trailing newline
/// (`"evaluations": N` after `declarations` when self-evaluations were read).
pub fn json(batch: &Batch) -> String {
    #[derive(Serialize)]
    struct Report<'a> {
        files: usize,
        declarations: usize,
        #[serde(skip_serializing_if = "is_zero")]
        evaluations: usize,
        diagnostics: Vec<JsonDiagnostic<'a>>,
    }
    /// A diagnostic as spec §4 prints it; `sheet` only for workbooks.
    #[derive(Serialize)]
    struct JsonDiagnostic<'a> {
        code: crate::diagnostic::Code,
        severity: Severity,
        file: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        sheet: Option<&'a str>,
        line: Option<u32>,
        department: Option<&'a str>,
        fiscal_year: Option<i32>,
        message: &'a str,
    }
    let report = Report {
        files: batch.files.len(),
        declarations: batch.declarations(),
        evaluations: batch.evaluations(),
        diagnostics: batch
            .diagnostics
            .iter()
            .map(|d| JsonDiagnostic {
                code: d.code,
                severity: d.severity,
                file: &d.file,
                sheet: d.sheet.as_deref(),
                line: d.line,
                department: d.department.as_deref(),
                fiscal_year: d.fiscal_year,
                message: &d.message,
            })
            .collect(),
    };
    let mut s = serde_json::to_string_pretty(&report).expect("report serialises");
    s.push('\n');
    s
}

/// One `::error file=…,line=…,title=…::message` line per diagnostic.
pub fn github(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let kind = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut props = format!("file={}", escape_property(&d.file));
        if let Some(line) = d.line {
            let _ = write!(props, ",line={line}");
        }
        let _ = write!(props, ",title={}", escape_property(d.code.as_str()));
        let _ = writeln!(out, "::{kind} {props}::{}", escape_data(&d.message));
    }
    out
}

/// GitHub's workflow-command escaping for the message part.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// … and for property values, which also escape `:` and `,`.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn paint(style: TextStyle, code: &str, s: &str) -> String {
    if style.color {
        format!("\x1b[{code}m{s}\x1b[0m")
    } else {
        s.to_owned()
    }
}

/// Diagnostics grouped by file, one line each, a blank line after each group.
pub fn text_lines(diagnostics: &[Diagnostic], style: TextStyle) -> String {
    let mut out = String::new();
    let mut current: Option<&str> = None;
    for d in diagnostics {
        if current != Some(d.file.as_str()) {
            if current.is_some() {
                out.push('\n');
            }
            let _ = writeln!(out, "{}", paint(style, "1", &d.file));
            current = Some(&d.file);
        }
        let severity = match d.severity {
            Severity::Error => paint(style, "1;31", d.severity.label_zh()),
            Severity::Warning => paint(style, "1;33", d.severity.label_zh()),
        };
        let line = d.line.map_or_else(|| "-".to_owned(), |l| l.to_string());
        let sheet = d
            .sheet
            .as_deref()
            .map(|s| format!("（工作表“{s}”）"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {}{sheet}:{line} {severity} [{}] {}",
            d.file,
            paint(style, "36", d.code.as_str()),
            d.message
        );
    }
    if !diagnostics.is_empty() {
        out.push('\n');
    }
    out
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// The text report of `check`: the grouped lines and a summary line with the counts.
pub fn text(batch: &Batch, style: TextStyle) -> String {
    let mut out = text_lines(&batch.diagnostics, style);
    let c = batch.counts();
    let evaluations = match batch.evaluations() {
        0 => String::new(),
        n => format!("、{n} 份自评表"),
    };
    let summary = format!(
        "检查了 {} 个文件、{} 份申报表{evaluations}：{} 个错误，{} 个警告",
        batch.files.len(),
        batch.declarations(),
        c.errors,
        c.warnings
    );
    let colour = if c.errors > 0 {
        "1;31"
    } else if c.warnings > 0 {
        "1;33"
    } else {
        "1;32"
    };
    let _ = writeln!(out, "{}", paint(style, colour, &summary));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;

    #[test]
    fn github_lines_escape_properties_and_data() {
        let d = Diagnostic::new(Code::Balance, "a,b:c.txt", "100% 不平衡\n第二行").at(Some(7));
        assert_eq!(
            github(&[d]),
            "::error file=a%2Cb%3Ac.txt,line=7,title=balance::100%25 不平衡%0A第二行\n"
        );
        let w = Diagnostic::new(Code::VagueTarget, "x.txt", "m");
        assert_eq!(github(&[w]), "::warning file=x.txt,title=vague-target::m\n");
    }
}
