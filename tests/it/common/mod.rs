//! Helpers shared by the integration tests: the real sample, the binary, temp folders.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Headless Chromium, shared with the search benchmark (`examples/search_typing`).
#[path = "../../../examples/search_typing/browser.rs"]
pub mod browser;

pub const SAMPLE_NAME: &str = "武汉市新洲区总工会-2020";

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub fn sample_path() -> PathBuf {
    fixtures().join("sample").join(format!("{SAMPLE_NAME}.txt"))
}

pub fn sample_text() -> String {
    std::fs::read_to_string(sample_path()).unwrap()
}

/// The spec's expected JSON of the sample, plus the `layout` the reader names (spec section 5).
pub fn expected_json() -> Value {
    let p = fixtures()
        .join("sample")
        .join(format!("{SAMPLE_NAME}.expected.json"));
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
    v["layout"] = Value::String("hubei".into());
    v
}

pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_budgetsite"));
    c.env_remove("NO_COLOR");
    c
}

pub fn run(args: &[&str], dir: &Path) -> Output {
    bin().args(args).current_dir(dir).output().unwrap()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

/// `check --format json` on `paths` (run in `dir`): the exit code and the parsed report.
pub fn check_json(dir: &Path, paths: &[&str]) -> (i32, Value) {
    let mut args = vec!["check", "--format", "json"];
    args.extend_from_slice(paths);
    let o = run(&args, dir);
    let report = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "check did not print JSON ({e}); stderr: {}",
            String::from_utf8_lossy(&o.stderr)
        )
    });
    (o.status.code().unwrap(), report)
}

/// The diagnostics of a report as (file, code) pairs.
pub fn codes(report: &Value) -> Vec<(String, String)> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_owned(),
                d["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// How many times each code appears, as a sorted list of (code, count).
pub fn code_counts(report: &Value) -> Vec<(String, usize)> {
    let mut m = std::collections::BTreeMap::new();
    for (_, c) in codes(report) {
        *m.entry(c).or_insert(0) += 1;
    }
    m.into_iter().collect()
}

pub fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&p, bytes).unwrap();
    p
}

/// The sample's diagnostics by code: no errors; 11 vague targets, 2 placeholders, 1 benefit.
pub fn sample_code_counts() -> Vec<(String, usize)> {
    vec![
        ("missing-benefit".to_owned(), 1),
        ("placeholder-row".to_owned(), 2),
        ("vague-target".to_owned(), 11),
    ]
}

/// A JSON value with every number rewritten in one canonical decimal spelling, so values
/// compare by value (`100` equals `100.0`) as the spec says; serde_json's arbitrary precision
/// would otherwise compare the digits as written.
pub fn by_value(v: &Value) -> Value {
    match v {
        Value::Number(n) => {
            let d: rust_decimal::Decimal = n.to_string().parse().unwrap();
            let s = d.normalize().to_string();
            Value::Number(s.parse().unwrap())
        }
        Value::Array(a) => Value::Array(a.iter().map(by_value).collect()),
        Value::Object(m) => {
            Value::Object(m.iter().map(|(k, v)| (k.clone(), by_value(v))).collect())
        }
        other => other.clone(),
    }
}

/// Asserts two JSON documents are equal by value.
#[track_caller]
pub fn assert_json_eq(got: &Value, expected: &Value, what: &str) {
    assert_eq!(by_value(got), by_value(expected), "{what}");
}

/// Whether a test that needs an external tool is skipped. In CI (`CI` set, or
/// `BUDGETSITE_REQUIRE_TOOLS=1`) a missing tool fails the test: a green CI run means the test
/// ran. Elsewhere a missing tool skips it, so `cargo test` works on a machine with only Rust;
/// `var=1` (for example `BUDGETSITE_SKIP_BROWSER=1`) skips it anywhere. A skip is written
/// straight to the process's stderr, past the test harness's capture, so it shows in every
/// run's output.
#[track_caller]
pub fn skip_without(available: bool, tool: &str, var: &str, install: &str) -> bool {
    use std::io::Write;
    let explicit = std::env::var_os(var).is_some_and(|v| v == "1");
    let required = std::env::var_os("CI").is_some()
        || std::env::var_os("BUDGETSITE_REQUIRE_TOOLS").is_some_and(|v| v == "1");
    if explicit || (!available && !required) {
        let why = if explicit {
            format!("{var}=1")
        } else {
            format!("{tool} is not installed ({install}); CI requires it")
        };
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED: the test that needs {tool}: {why}"
        );
        return true;
    }
    assert!(
        available,
        "{tool} is required by this test and is not installed ({install}; .ci/run installs \
         it). Set {var}=1 to skip the test explicitly."
    );
    false
}

/// The real sample written as `rel` under `dir`, renamed to `department` when given.
pub fn write_sample(dir: &Path, rel: &str, department: Option<&str>) -> PathBuf {
    let text = sample_text();
    let text = department.map_or(text.clone(), |d| text.replace("武汉市新洲区总工会", d));
    write(dir, rel, text)
}

/// Every file under `dir` with its bytes, by relative path (forward slashes).
pub fn tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.insert(rel, std::fs::read(e.path()).unwrap());
        }
    }
    out
}
pub mod html;

/// Sets a file's modification time to `step` seconds after a fixed moment, so a test that
/// edits a file says which time the build sees instead of hoping the clock moved (two writes
/// within the file system's time granularity would otherwise look unchanged).
pub fn set_mtime(path: &Path, step: i64) {
    let t = filetime::FileTime::from_unix_time(1_700_000_000 + step, 0);
    filetime::set_file_mtime(path, t).unwrap();
}

/// What tells a rewritten file from one left alone, without trusting the clock: its inode
/// (an update writes a new file and renames it over the old) and its modification time.
pub fn identity(path: &Path) -> (u64, std::time::SystemTime) {
    let m = std::fs::metadata(path).unwrap();
    #[cfg(unix)]
    let ino = std::os::unix::fs::MetadataExt::ino(&m);
    #[cfg(not(unix))]
    let ino = 0;
    (ino, m.modified().unwrap())
}

pub use browser::{chromium, headless};

/// Gives the site at `to` the record of changes of the site at `from` (`data/changes.json`),
/// so that a clean build into `to` writes the feeds an update of `from` writes: the feeds say
/// what changed since the site they are built over, not only what the inputs are.
pub fn seed_changes(from: &Path, to: &Path) {
    let record = from.join("data/changes.json");
    if record.is_file() {
        std::fs::create_dir_all(to.join("data")).unwrap();
        std::fs::copy(&record, to.join("data/changes.json")).unwrap();
    }
}

/// The findings of `code` when the library loads `dir`: (file, message) pairs, sorted, with
/// the folder's path written `<dir>`.
pub fn findings_in(dir: &Path, code: &str) -> Vec<(String, String)> {
    let batch = budgetsite::load(
        &[dir.to_path_buf()],
        &budgetsite::ingest::IngestOptions::default(),
    )
    .unwrap();
    let root = dir.to_string_lossy().replace('\\', "/");
    let mut got: Vec<(String, String)> = batch
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == code)
        .map(|d| {
            (
                d.file.replace(&root, "<dir>"),
                d.message.replace(&root, "<dir>"),
            )
        })
        .collect();
    got.sort();
    got
}

/// The bundled site (`build_bundled`), built once for every test of this process that only
/// reads it (a debug build of the bundled forms costs seconds, and five tests read the same
/// site). It lives under Cargo's `target/tmp`, in a folder named by this process; folders of
/// processes no longer running are removed first. Nothing may be written into it.
pub fn bundled_site() -> &'static Path {
    static SITE: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    SITE.get_or_init(|| {
        let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bundled-site");
        if let Ok(entries) = std::fs::read_dir(&root) {
            for e in entries.flatten() {
                let pid = e.file_name().to_string_lossy().into_owned();
                if !Path::new("/proc").join(&pid).exists() {
                    let _ = std::fs::remove_dir_all(e.path());
                }
            }
        }
        let dir = root.join(std::process::id().to_string());
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        build_bundled(&dir)
    })
}

/// Builds the bundled `submissions/` with the repository's `site.toml` into `dir`/public.
pub fn build_bundled(dir: &Path) -> PathBuf {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let public = dir.join("public");
    let o = bin()
        .args(["build", "--no-cache", "--output"])
        .arg(&public)
        .arg("--input")
        .arg(repo.join("submissions"))
        .arg("--config")
        .arg(repo.join("site.toml"))
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        o.status.code().unwrap() <= 1,
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    public
}
