//! The `budgetsite` binary: parses arguments, calls the library, and maps the outcome to an
//! exit status in one place (0 clean, 1 findings, 2 usage or I/O failure).

use anyhow::Context;
use budgetsite::ingest::IngestOptions;
use budgetsite::report::{self, TextStyle};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "budgetsite",
    version,
    about = "把部门整体支出绩效目标申报表校验并发布为静态网站",
    long_about = None
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 把一份申报表转换为规范 JSON（declaration/v1）并输出
    Convert {
        /// 申报表文件（文本导出或 JSON）
        file: PathBuf,
    },
    /// 检查路径下的所有申报表，报告错误与警告
    Check {
        /// 文件或文件夹（默认 submissions）
        paths: Vec<PathBuf>,
        /// 输出格式
        #[arg(long, value_enum, default_value_t = FormatArg::Text)]
        format: FormatArg,
        /// 有警告也视为失败（退出码 1）
        #[arg(long)]
        strict: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Text,
    Json,
    Github,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("budgetsite: 错误：{e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<u8> {
    let options = IngestOptions::default();
    match cli.command {
        Command::Convert { file } => {
            let batch = budgetsite::load(std::slice::from_ref(&file), &options)?;
            let outcome = batch
                .files
                .first()
                .with_context(|| format!("{} 不是可读取的文件", file.display()))?;
            let stderr = std::io::stderr();
            let style = TextStyle {
                color: stderr.is_terminal(),
            };
            let errors: Vec<_> = batch
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
                .cloned()
                .collect();
            if !errors.is_empty() {
                let only_errors = budgetsite::Batch {
                    files: Vec::new(),
                    diagnostics: errors,
                };
                let text = report::text(&only_errors, style);
                let _ = stderr.lock().write_all(text.as_bytes());
            }
            if let Some(loaded) = &outcome.declaration {
                write_stdout(&loaded.declaration.to_canonical_json())?;
            }
            Ok(u8::from(batch.counts().errors > 0))
        }
        Command::Check {
            paths,
            format,
            strict,
        } => {
            let paths = if paths.is_empty() {
                vec![PathBuf::from("submissions")]
            } else {
                paths
            };
            let batch = budgetsite::load(&paths, &options)?;
            let format = match format {
                FormatArg::Text => report::Format::Text,
                FormatArg::Json => report::Format::Json,
                FormatArg::Github => report::Format::Github,
            };
            let style = TextStyle {
                color: std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
            };
            write_stdout(&report::render(&batch, format, style))?;
            Ok(batch.exit_code(strict) as u8)
        }
    }
}

/// Writes to stdout; a closed pipe (`| head`) is not an error worth a panic.
fn write_stdout(s: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("写入标准输出失败"),
    }
}
