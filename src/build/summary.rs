//! What a build tells the person who ran it, on stderr: the errors that kept files from
//! being published, the config used, and one summary line — or, for a `--strict` build that
//! was refused, which rules refused it.

use super::BuildOutcome;
use crate::diagnostic::Diagnostic;
use crate::report::{self, TextStyle};
use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

/// A finished build's report, ready to print.
pub struct Summary<'o> {
    outcome: &'o BuildOutcome,
    output: &'o Path,
    config: Option<&'o Path>,
    elapsed: Duration,
}

impl BuildOutcome {
    /// The report of this build, which wrote to `output` with the config file `config` (None
    /// when none was found) in `elapsed`.
    pub fn summary<'o>(
        &'o self,
        output: &'o Path,
        config: Option<&'o Path>,
        elapsed: Duration,
    ) -> Summary<'o> {
        Summary {
            outcome: self,
            output,
            config,
            elapsed,
        }
    }
}

impl Summary<'_> {
    pub fn render(&self, style: TextStyle) -> String {
        let outcome = self.outcome;
        let errors: Vec<Diagnostic> = outcome
            .batch
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .cloned()
            .collect();
        // The errors (files not published); the build's own summary line follows.
        let mut out = report::text_lines(&errors, style);
        match self.config {
            Some(c) => _ = writeln!(out, "配置文件：{}", c.display()),
            None => out.push_str(
                "未找到配置文件 site.toml（已在工作目录和申报表文件夹旁查找），使用默认配置\n",
            ),
        }
        if outcome.unchanged {
            out.push_str("输入与输出均未变化（构建缓存），未重新构建；以下为上次构建的结果。\n");
        }
        let counts = outcome.batch.counts();
        let elapsed = self.elapsed.as_secs_f64();
        match outcome.written {
            Some(w) => _ = writeln!(
                out,
                "已发布到 {}：{} 个地区、{} 个部门、{} 份申报表，{} 个文件（{:.1} MB，本次写入或删除 {} 个；读取 {} 份输入文件，生成 {} 个部门页面）；{} 份文件因错误未发布；{} 个错误，{} 个警告；用时 {elapsed:.2} 秒",
                self.output.display(),
                outcome.districts,
                outcome.departments,
                outcome.published_forms,
                w.files,
                w.bytes as f64 / 1_000_000.0,
                w.changed,
                outcome.files_read,
                outcome.departments_rendered,
                outcome.unpublished_files,
                counts.errors,
                counts.warnings
            ),
            None => {
                out.push_str(&strict_reasons(&outcome.batch.diagnostics));
                _ = writeln!(
                    out,
                    "--strict：有 {} 个错误、{} 个警告，未发布，{} 保持原样",
                    counts.errors,
                    counts.warnings,
                    self.output.display()
                );
            }
        }
        out
    }
}

/// Which findings refused a `--strict` build: per rule, how many and where the first is
/// (the errors were listed in full above).
fn strict_reasons(diagnostics: &[Diagnostic]) -> String {
    let mut by_code: std::collections::BTreeMap<_, (usize, &Diagnostic)> =
        std::collections::BTreeMap::new();
    for d in diagnostics {
        by_code.entry(d.code).or_insert((0, d)).0 += 1;
    }
    let mut out = String::from("--strict：以下问题使本次构建未发布：\n");
    for (code, (n, first)) in by_code {
        let place = match first.line {
            Some(line) => format!("{}:{line}", first.file),
            None => first.file.clone(),
        };
        _ = writeln!(
            out,
            "  {} [{code}] {}：{n} 个，第一个在 {place}",
            code.severity().label_zh(),
            code.title_zh(),
        );
    }
    out
}
