//! The `budgetsite` binary: parses arguments, calls the library, and maps the outcome to an
//! exit status in one place (0 clean, 1 findings, 2 usage or I/O failure).

use anyhow::Context;
use budgetsite::build::BuildOptions;
use budgetsite::config::SiteConfig;
use budgetsite::ingest::IngestOptions;
use budgetsite::report::{self, TextStyle};
use budgetsite::serve::{ServeOptions, Server};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

// Reading thousands of forms allocates a string per cell; mimalloc's per-thread heaps make
// that markedly cheaper than the system allocator across threads (see BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (the 16th of `mi_option_e` in its v3 `mimalloc.h`; the
/// Rust bindings name only some options). A test checks it by its default.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Freed memory goes back to the system after 50 ms instead of mimalloc's 1 s. A build lets
/// its forms' declarations go page by page (`load::Kept`); held for a second, the freed pages
/// stayed in a 6,000-form build's peak (153 → 109 MB with 10 ms, for ~3 % more wall in system
/// time: BENCHMARKS.md, "2026-12-05 afternoon"). 50 ms since jieba-rs's dictionary is no
/// longer loaded (2026-12-05, "session 40"): 6,000 forms 105 → 107 MB and 3 % less wall than
/// 10 ms (1 s: 118 MB); 60,000 forms 313 → 318 MB. `MIMALLOC_PURGE_DELAY` in the environment
/// still wins.
fn tune_allocator() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: `mi_option_set` is not thread safe; this runs first in `main`, before any
        // other thread exists.
        unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 50) }
    }
}

#[derive(Parser)]
#[command(
    name = "budgetsite",
    version,
    about = "把部门整体支出绩效目标申报表校验并发布为静态网站",
    long_about = None
)]
struct Cli {
    /// 并行线程数（默认：全部 CPU 核心）
    #[arg(long, global = true, value_name = "N")]
    jobs: Option<usize>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 把一份申报表或自评表转换为规范 JSON（declaration/v1 或 self-evaluation/v1）并输出
    Convert {
        /// 申报表文件（Excel 工作簿 .xlsx/.xls/.ods、文本导出或 JSON）
        file: PathBuf,
        /// 工作簿中有多份申报表时，要转换的工作表名称
        #[arg(long)]
        sheet: Option<String>,
    },
    /// 检查路径下的所有申报表和自评表，报告错误与警告
    Check {
        /// 文件或文件夹（默认 submissions）
        paths: Vec<PathBuf>,
        /// 输出格式
        #[arg(long, value_enum, default_value_t = FormatArg::Text)]
        format: FormatArg,
        /// 有警告也视为失败（退出码 1）
        #[arg(long)]
        strict: bool,
        /// 配置文件，用于部门更名对照表 [aliases]（默认：工作目录中的 site.toml，其次是第一个路径旁的 site.toml；都没有时忽略）
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// 校验全部申报表并生成静态网站
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// 有任何错误或警告时不发布，退出码 1
        #[arg(long)]
        strict: bool,
        /// 允许发布比现有网站少一半以上部门的网站（包括空网站）；默认拒绝发布，退出码 2
        #[arg(long)]
        allow_shrink: bool,
        #[command(flatten)]
        cache: CacheArgs,
    },
    /// 新建项目：在 DIR（默认当前文件夹）写入 site.toml、一份示例申报表和每晚构建并发布到 GitHub Pages 的 CI 配置
    Init {
        /// 项目文件夹（默认当前文件夹）
        dir: Option<PathBuf>,
        /// 同时写入内置模板的副本（site-templates/），以便修改
        #[arg(long)]
        templates: bool,
    },
    /// 构建网站并在本机（127.0.0.1）预览；申报表、模板或配置修改后自动重新构建并刷新页面
    Serve {
        #[command(flatten)]
        site: SiteArgs,
        /// 端口（0 表示任选一个空闲端口）
        #[arg(long, default_value_t = 8000)]
        port: u16,
        #[command(flatten)]
        cache: CacheArgs,
    },
}

/// The build cache (incremental builds).
#[derive(Args)]
struct CacheArgs {
    /// 构建缓存文件夹：只重新读取、重新生成有变化的部分（增量构建）
    #[arg(long, default_value = ".budgetsite", conflicts_with = "no_cache")]
    cache: PathBuf,
    /// 不使用构建缓存，总是完整构建
    #[arg(long)]
    no_cache: bool,
}

impl CacheArgs {
    fn dir(self) -> Option<PathBuf> {
        (!self.no_cache).then_some(self.cache)
    }
}

/// Where `build` and `serve` read and write.
#[derive(Args)]
struct SiteArgs {
    /// 申报表所在文件夹
    #[arg(long, default_value = "submissions")]
    input: PathBuf,
    /// 输出文件夹（构建失败或中断时保持原样）
    #[arg(long, default_value = "public")]
    output: PathBuf,
    /// 模板文件夹（缺少的模板使用内置模板）
    #[arg(long, default_value = "site-templates")]
    templates: PathBuf,
    /// 配置文件（默认：工作目录中的 site.toml，其次是申报表文件夹旁的 site.toml；都没有时使用默认配置）
    #[arg(long)]
    config: Option<PathBuf>,
}

impl SiteArgs {
    fn into_options(self, strict: bool, progress: bool) -> BuildOptions {
        let config_required = self.config.is_some();
        let config = self
            .config
            .or_else(|| budgetsite::config::locate(&self.input))
            .unwrap_or_else(|| PathBuf::from(budgetsite::config::CONFIG_FILE));
        BuildOptions {
            input: self.input,
            output: self.output,
            templates: self.templates,
            config_required,
            config,
            strict,
            progress,
            ingest: IngestOptions::default(),
            cache: None,
            ..BuildOptions::default()
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Text,
    Json,
    Github,
}

/// The help text's layout, in Chinese (clap's own headings are English).
const HELP_TEMPLATE: &str =
    "{before-help}{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}";

/// The command line with Chinese help: headings, the help and version flags, no `help`
/// subcommand (`-h` on any command does it). The flags themselves are unchanged.
fn command() -> clap::Command {
    fn localize(cmd: clap::Command) -> clap::Command {
        cmd.help_template(HELP_TEMPLATE)
            .subcommand_help_heading("命令")
            .disable_help_subcommand(true)
            .disable_help_flag(true)
            .mut_args(|a| {
                let heading = if a.is_positional() {
                    "参数"
                } else {
                    "选项"
                };
                let a = a.help_heading(heading);
                if !a.get_action().takes_values() {
                    return a;
                }
                // clap's "[default: …]" and "[possible values: …]", said in Chinese.
                let mut help = a.get_help().map(ToString::to_string).unwrap_or_default();
                let choices: Vec<String> = a
                    .get_possible_values()
                    .iter()
                    .map(|v| v.get_name().to_owned())
                    .collect();
                let a = if choices.is_empty() {
                    a
                } else {
                    help.push_str(&format!("（可选：{}）", choices.join("、")));
                    a.hide_possible_values(true)
                };
                let defaults: Vec<String> = a
                    .get_default_values()
                    .iter()
                    .map(|v| v.to_string_lossy().into_owned())
                    .collect();
                let a = if defaults.is_empty() {
                    a
                } else {
                    help.push_str(&format!("（默认：{}）", defaults.join(" ")));
                    a.hide_default_value(true)
                };
                a.help(help)
            })
            .arg(
                clap::Arg::new("help")
                    .short('h')
                    .long("help")
                    .action(clap::ArgAction::Help)
                    .help("显示帮助")
                    .help_heading("选项"),
            )
            .mut_subcommands(localize)
    }
    localize(<Cli as clap::CommandFactory>::command())
        .disable_version_flag(true)
        .arg(
            clap::Arg::new("version")
                .short('V')
                .long("version")
                .action(clap::ArgAction::Version)
                .help("显示版本")
                .help_heading("选项"),
        )
}

fn main() -> ExitCode {
    tune_allocator();
    // Failpoints (`FAILPOINTS=name=action`) exist only in test builds (the `fail` crate's
    // `failpoints` feature); elsewhere this does nothing.
    let _failpoints = fail::FailScenario::setup();
    let cli = match <Cli as clap::FromArgMatches>::from_arg_matches(&command().get_matches()) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("budgetsite: 错误：{}", error_text(&e));
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<u8> {
    if let Some(jobs) = cli.jobs {
        anyhow::ensure!(jobs > 0, "--jobs 至少为 1");
        rayon::ThreadPoolBuilder::new()
            .num_threads(jobs)
            .build_global()
            .context("无法设置线程数")?;
    }
    match cli.command {
        Command::Convert { file, sheet } => convert(&file, sheet.as_deref()),
        Command::Check {
            paths,
            format,
            strict,
            config,
        } => check(paths, format, strict, config),
        Command::Build {
            site,
            strict,
            allow_shrink,
            cache,
        } => {
            let mut options = site.into_options(strict, std::io::stderr().is_terminal());
            options.cache = cache.dir();
            options.allow_shrink = allow_shrink;
            build(&options)
        }
        Command::Init { dir, templates } => {
            let dir = dir.unwrap_or_else(|| PathBuf::from("."));
            let written = budgetsite::init::init(&dir, templates)?;
            for path in &written {
                eprintln!("已写入 {}", path.display());
            }
            eprintln!(
                "新项目已就绪：在 {} 中运行 budgetsite build 生成网站（public/），把申报表放进 submissions/ 的地区文件夹中",
                dir.display()
            );
            Ok(0)
        }
        Command::Serve { site, port, cache } => {
            let mut build = site.into_options(false, false);
            build.cache = cache.dir();
            serve(ServeOptions { build, port })
        }
    }
}

fn stderr_style() -> TextStyle {
    TextStyle {
        color: std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    }
}

fn convert(file: &std::path::Path, sheet: Option<&str>) -> anyhow::Result<u8> {
    let batch = budgetsite::load(&[file.to_owned()], &IngestOptions::default())?;
    let outcome = budgetsite::load::pick_sheet(&batch, sheet)?
        .with_context(|| format!("{} 不是可读取的文件", file.display()))?;
    let errors: Vec<_> = batch
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .cloned()
        .collect();
    if !errors.is_empty() {
        let style = TextStyle {
            color: std::io::stderr().is_terminal(),
        };
        let text = report::text_lines(&errors, style);
        let _ = std::io::stderr().lock().write_all(text.as_bytes());
    }
    // A form with an error gets no JSON: stdout stays empty, so `> out.json` never holds a
    // half-right declaration.
    if let (Some(loaded), true) = (&outcome.declaration, errors.is_empty()) {
        write_stdout(&loaded.declaration.to_canonical_json())?;
    } else if let (Some(evaluation), true) = (&outcome.evaluation, errors.is_empty()) {
        write_stdout(&evaluation.form.to_canonical_json())?;
    }
    Ok(u8::from(batch.counts().errors > 0))
}

fn check(
    paths: Vec<PathBuf>,
    format: FormatArg,
    strict: bool,
    config: Option<PathBuf>,
) -> anyhow::Result<u8> {
    let paths = if paths.is_empty() {
        vec![PathBuf::from("submissions")]
    } else {
        paths
    };
    let required = config.is_some();
    let config = config
        .or_else(|| budgetsite::config::locate(&paths[0]))
        .unwrap_or_else(|| PathBuf::from(budgetsite::config::CONFIG_FILE));
    let config = SiteConfig::load(&config, required)?;
    let batch =
        budgetsite::load::load_with_aliases(&paths, &IngestOptions::default(), &config.aliases())?;
    if batch.files.is_empty() && batch.diagnostics.is_empty() {
        let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        anyhow::bail!(
            "在 {} 下没有找到任何申报表文件（.txt、.tsv、.json）",
            shown.join("、")
        );
    }
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

fn build(options: &BuildOptions) -> anyhow::Result<u8> {
    let config_used = options.config.is_file().then(|| options.config.clone());
    let started = std::time::Instant::now();
    let outcome = budgetsite::build::build(options)?;
    let summary = outcome.summary(&options.output, config_used.as_deref(), started.elapsed());
    eprint!("{}", summary.render(stderr_style()));
    let code = outcome.exit_code(options.strict) as u8;
    // The batch holds every form read (about 70 ms to free at 12,000 forms, on one
    // thread after the parallel work): the process ends next, and the system takes it back.
    std::mem::forget(outcome);
    Ok(code)
}

fn serve(options: ServeOptions) -> anyhow::Result<u8> {
    // The error says which port could not be bound.
    let server = Server::start(options)?;
    let addr = server.local_addr().context("无法读取监听地址")?;
    eprintln!("预览地址：http://{addr}/ （按 Ctrl-C 结束）");
    // Ctrl-C (or SIGTERM) ends the server cleanly, with status 0.
    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = Arc::clone(&stop);
        ctrlc::set_handler(move || stop.store(true, std::sync::atomic::Ordering::Relaxed))
            .context("无法设置 Ctrl-C 处理")?;
    }
    server.run(stop)?;
    eprintln!("预览已结束");
    Ok(0)
}

/// The error and its causes, each said once: a library error that already quotes its
/// source (an OS error) is not followed by that source again.
fn error_text(e: &anyhow::Error) -> String {
    let mut text = e.to_string();
    for cause in e.chain().skip(1) {
        let cause = cause.to_string();
        if !text.contains(&cause) {
            text = format!("{text}：{cause}");
        }
    }
    text
}

/// Writes to stdout; a closed pipe (`| head`) is not an error worth a panic.
fn write_stdout(s: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("写入标准输出失败"),
    }
}

#[cfg(test)]
mod tests {
    /// The option `tune_allocator` sets is the purge delay: no other option of mimalloc v3
    /// defaults to 1000 (ms), so a renumbering in an upgrade fails here.
    #[test]
    fn the_tuned_option_is_mimallocs_purge_delay() {
        let expected = std::env::var("MIMALLOC_PURGE_DELAY")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(1000);
        // SAFETY: a read of an option; no test thread sets one.
        let value = unsafe { libmimalloc_sys::mi_option_get(super::PURGE_DELAY) };
        assert_eq!(value, expected);
        let neighbours = [super::PURGE_DELAY - 1, super::PURGE_DELAY + 1]
            .map(|o| unsafe { libmimalloc_sys::mi_option_get(o) });
        assert!(!neighbours.contains(&1000), "{neighbours:?}");
    }
}
