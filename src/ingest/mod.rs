//! Ingest: finds declaration files under the given paths (walkdir: no symlink loops, hidden
//! entries skipped, a size limit per kind of file), reads each in parallel and turns it into a
//! declaration: a workbook (`workbook`) or a decoded text export (`decode`) becomes grids
//! (`grid`), which the layouts (`layouts`) read; canonical JSON (`canonical`) is read as it
//! is. A grid or JSON file that is a self-evaluation (the second form kind) is read by
//! `self_eval` instead, into `FileOutcome::evaluation`. Every failure becomes a diagnostic on
//! that file; nothing here stops the other files from being read.

pub mod canonical;
pub mod cells;
pub mod decode;
pub mod grid;
pub mod layouts;
pub mod self_eval;
pub mod workbook;

use crate::diagnostic::{Code, Diagnostic};
use crate::files::Stamp;
use crate::hash::digest;
use crate::model::facts::Facts;
use crate::model::self_evaluation::Evaluation;
use crate::model::{Declaration, SourceMap};
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Text and JSON files larger than this are refused: a real form is a few KiB.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;
/// Workbooks larger than this are refused: a real one, with a cover sheet and formats, is
/// well under 1 MiB.
pub const DEFAULT_MAX_WORKBOOK_BYTES: u64 = 32 * 1024 * 1024;

/// Extensions read when walking a folder. A file named explicitly is read whatever its name.
pub const EXTENSIONS: &[&str] = &["txt", "tsv", "json", "xlsx", "xlsm", "xls", "ods"];
/// The extensions of workbooks (read with the workbook size limit).
pub const WORKBOOK_EXTENSIONS: &[&str] = &["xlsx", "xlsm", "xls", "ods"];

#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// The size limit of text and JSON files.
    pub max_file_bytes: u64,
    /// The size limit of workbooks.
    pub max_workbook_bytes: u64,
    /// Name files by their folder's own name and their path inside it (`submissions/a.txt`
    /// for `--input /srv/x/submissions`), not by the path as given, so a published site does
    /// not depend on where the build ran.
    pub names_from_folder: bool,
    /// Folders never read (the site's own output when it lies inside the input).
    pub exclude: Vec<PathBuf>,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            max_file_bytes: DEFAULT_MAX_FILE_BYTES,
            max_workbook_bytes: DEFAULT_MAX_WORKBOOK_BYTES,
            names_from_folder: false,
            exclude: Vec::new(),
        }
    }
}

/// Failures that stop a run before any file is read (exit status 2).
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("路径不存在或无法访问：{path}（{source}）")]
    Path {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// A file to read: its path on disk and the name diagnostics use (forward slashes).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SourceFile {
    pub display: String,
    pub path: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Workbook(workbook::Kind),
}

/// What reading one declaration of a file produced (a workbook with two declaration sheets
/// gives two outcomes, told apart by `sheet`).
#[derive(Debug, Clone)]
pub struct FileOutcome {
    pub file: SourceFile,
    /// The worksheet the declaration came from, for a workbook: with `file.display` the
    /// outcome's identity.
    pub sheet: Option<String>,
    /// The declaration, unless the file was unreadable or not a declaration at all — or a
    /// build let it go once its facts were taken (see `facts`).
    pub declaration: Option<Box<Loaded>>,
    /// What the later stages keep of the declaration (filled in by `load` after validation):
    /// `Some` exactly when the file held a declaration. Boxed: inline (472 bytes) it was
    /// moved with every outcome, 60,000 of them several times in a build, and a cached
    /// record's facts could not be taken from the record without a copy.
    pub facts: Option<Box<Facts>>,
    /// The self-evaluation, when the file (or sheet) held one instead of a declaration.
    pub evaluation: Option<Box<Evaluation>>,
    pub diagnostics: Vec<Diagnostic>,
    /// Size and modification time when read: with the display name, the build cache's key.
    pub stamp: Option<Stamp>,
    /// Hash of the file's bytes (0 when they could not be read).
    pub digest: u64,
}

/// A form read (from a grid by its layout, or from canonical JSON): the declaration, where its
/// rows stood, and what reading it found (`bad-number`, `placeholder-row`). Arithmetic and
/// completeness are `rules`' job.
#[derive(Debug, Clone)]
pub struct ParsedForm {
    pub declaration: Declaration,
    pub source: SourceMap,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, Clone)]
pub struct Loaded {
    pub declaration: Declaration,
    pub source: SourceMap,
    pub format: Format,
    /// The text encoding found, or the workbook kind (`xlsx`).
    pub encoding: &'static str,
    /// The worksheet the declaration was read from, for a workbook.
    pub sheet: Option<String>,
}

fn display_path(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_owned).unwrap_or(s)
}

/// Finds the files under `paths`, sorted by display name. Entries that cannot be walked (a
/// symlink loop, a folder without permission) come back as `unreadable-file` diagnostics.
pub fn discover(
    paths: &[PathBuf],
    options: &IngestOptions,
) -> Result<(Vec<SourceFile>, Vec<Diagnostic>), IngestError> {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    let exclude: Vec<PathBuf> = options
        .exclude
        .iter()
        .filter_map(|p| std::fs::canonicalize(p).ok())
        .collect();
    for root in paths {
        let meta = std::fs::metadata(root).map_err(|source| IngestError::Path {
            path: root.clone(),
            source,
        })?;
        if meta.is_file() {
            files.push(SourceFile {
                display: display_path(root),
                path: root.clone(),
            });
            continue;
        }
        // How files under this root are named in diagnostics and on pages.
        let folder = std::path::absolute(root).ok().and_then(|a| {
            a.components()
                .collect::<PathBuf>()
                .file_name()
                .map(|n| n.to_owned())
        });
        let name = |path: &Path| -> String {
            if !options.names_from_folder {
                return display_path(path);
            }
            let rel = path.strip_prefix(root).unwrap_or(path);
            match &folder {
                Some(f) => display_path(&Path::new(&f).join(rel)),
                None => display_path(rel),
            }
        };
        for entry in crate::files::walk(root, &exclude) {
            match entry {
                Ok(e) if e.file_type().is_file() => {
                    let wanted = e
                        .path()
                        .extension()
                        .map(|x| x.to_string_lossy().to_ascii_lowercase())
                        .is_some_and(|x| EXTENSIONS.contains(&x.as_str()));
                    if wanted {
                        files.push(SourceFile {
                            display: name(e.path()),
                            path: e.path().to_path_buf(),
                        });
                    }
                }
                Ok(_) => {}
                Err(err) => {
                    let where_ = err.path().map_or_else(|| name(root), name);
                    let why = if err.loop_ancestor().is_some() {
                        "符号链接形成循环，已跳过".to_owned()
                    } else {
                        format!(
                            "无法读取：{}",
                            err.io_error()
                                .map_or_else(|| err.to_string(), |e| e.to_string())
                        )
                    };
                    problems.push(Diagnostic::new(Code::UnreadableFile, where_, why));
                }
            }
        }
    }
    files.sort();
    files.dedup();
    Ok((files, problems))
}

/// Reads one file: one outcome for each declaration in it (a text or JSON file has one, a
/// workbook one per declaration sheet), or one outcome carrying the failure. Never panics on
/// content: every failure is a diagnostic.
pub fn read_one(file: &SourceFile, options: &IngestOptions) -> Vec<FileOutcome> {
    let fail = |code: Code, message: String| {
        vec![FileOutcome {
            file: file.clone(),
            sheet: None,
            declaration: None,
            facts: None,
            evaluation: None,
            diagnostics: vec![Diagnostic::new(code, &file.display, message)],
            stamp: None,
            digest: 0,
        }]
    };
    let limit = if is_workbook_name(&file.path) {
        options.max_workbook_bytes
    } else {
        options.max_file_bytes
    };
    let (bytes, stamp) = match read_limited(&file.path, limit) {
        Ok(b) => b,
        Err(ReadError::TooLarge(size)) => {
            return fail(
                Code::UnreadableFile,
                format!(
                    "文件过大（{size} 字节，上限 {limit} 字节），不像一份申报表，请检查是否提交错了文件"
                ),
            )
        }
        Err(ReadError::Io(e)) => return fail(Code::UnreadableFile, format!("无法读取文件：{e}")),
    };
    let mut outcomes = parse_all(file, &bytes);
    for o in &mut outcomes {
        o.stamp = Some(stamp);
    }
    outcomes
}

fn is_workbook_name(path: &Path) -> bool {
    path.extension()
        .map(|x| x.to_string_lossy().to_ascii_lowercase())
        .is_some_and(|x| WORKBOOK_EXTENSIONS.contains(&x.as_str()))
}

/// The first declaration of a file's bytes, or its failure (for callers that read one form,
/// such as the fuzz targets; a workbook's other declaration sheets are in `parse_all`).
pub fn parse_bytes(file: &SourceFile, bytes: &[u8]) -> FileOutcome {
    parse_all(file, bytes)
        .into_iter()
        .next()
        .expect("parse_all gives at least one outcome")
}

/// Decodes and parses a file's bytes (the part of `read_one` after I/O; fuzzed directly):
/// one outcome per declaration, at least one.
pub fn parse_all(file: &SourceFile, bytes: &[u8]) -> Vec<FileOutcome> {
    let outcome = |declaration: Option<Loaded>, diagnostics| FileOutcome {
        file: file.clone(),
        sheet: declaration.as_ref().and_then(|l| l.sheet.clone()),
        // Boxed: a large build keeps tens of thousands of outcomes after letting their
        // declarations go, and an outcome with the declaration inline was 1.3 KB.
        declaration: declaration.map(Box::new),
        facts: None,
        evaluation: None,
        diagnostics,
        stamp: None,
        digest: digest(bytes),
    };
    let evaluated = |parsed: self_eval::ParsedEval, sheet: Option<String>| {
        let mut diagnostics = parsed.diagnostics;
        for d in &mut diagnostics {
            d.sheet.clone_from(&sheet);
        }
        FileOutcome {
            sheet: sheet.clone(),
            evaluation: Some(Box::new(Evaluation::new(parsed.form, parsed.source, sheet))),
            ..outcome(None, diagnostics)
        }
    };
    let unreadable = |message: String| {
        vec![outcome(
            None,
            vec![Diagnostic::new(
                Code::UnreadableFile,
                &file.display,
                message,
            )],
        )]
    };
    if let Some(kind) = workbook::sniff(bytes) {
        let grids = match workbook::read(bytes, kind) {
            Ok(grids) => grids,
            Err(e) => return unreadable(e.to_string()),
        };
        // A declaration read from one of the workbook's sheets, its findings naming the sheet.
        let declared = |(parsed, sheet): (ParsedForm, Option<String>)| {
            let mut diagnostics = parsed.diagnostics;
            for d in &mut diagnostics {
                d.sheet.clone_from(&sheet);
            }
            let loaded = Loaded {
                declaration: parsed.declaration,
                source: parsed.source,
                format: Format::Workbook(kind),
                encoding: kind.name(),
                sheet,
            };
            outcome(Some(loaded), diagnostics)
        };
        // Self-evaluation sheets first; the others are read as declarations.
        let (mut read, mut declarations) = (Vec::new(), Vec::new());
        for g in grids {
            match self_eval::might_be(&g)
                .then(|| self_eval::detect(&g))
                .flatten()
            {
                Some(layout) => {
                    let parsed = self_eval::parse_as(&g, layout, &file.display);
                    read.push(evaluated(parsed, g.sheet));
                }
                None => declarations.push(g),
            }
        }
        let grids = declarations;
        if !read.is_empty() {
            if let Ok(forms) = read_sheets(&grids, &file.display) {
                read.extend(forms.into_iter().map(declared));
            }
            return read;
        }
        return match read_sheets(&grids, &file.display) {
            Ok(forms) => forms.into_iter().map(declared).collect(),
            Err(d) => vec![outcome(None, vec![d])],
        };
    }
    if is_workbook_name(&file.path) && workbook::looks_like_html(bytes) {
        return unreadable(workbook::WorkbookError::Html.to_string());
    }
    let decoded = match decode::decode(bytes) {
        Ok(d) => d,
        Err(e) => return unreadable(e.to_string()),
    };
    let format = sniff_format(&file.path, &decoded.text);
    let self_evaluation = match format {
        Format::Json if self_eval::canonical::is_self_evaluation(&decoded.text) => {
            Some(self_eval::canonical::parse(&decoded.text, &file.display))
        }
        Format::Json => None,
        _ if self_eval::might_be_text(&decoded.text) => {
            let grid = grid::Grid::from_text(&decoded.text);
            self_eval::detect(&grid)
                .map(|layout| Ok(self_eval::parse_as(&grid, layout, &file.display)))
        }
        _ => None,
    };
    if let Some(parsed) = self_evaluation {
        return vec![match parsed {
            Ok(parsed) => evaluated(parsed, None),
            Err(d) => outcome(None, vec![d]),
        }];
    }
    let parsed = match format {
        Format::Json => canonical::parse(&decoded.text, &file.display)
            .map(|p| (p.declaration, p.source, p.diagnostics)),
        _ => layouts::parse_text(&decoded.text, &file.display)
            .map(|p| (p.declaration, p.source, p.diagnostics)),
    };
    vec![match parsed {
        Ok((declaration, source, diagnostics)) => outcome(
            Some(Loaded {
                declaration,
                source,
                format,
                encoding: decoded.encoding,
                sheet: None,
            }),
            diagnostics,
        ),
        Err(d) => outcome(None, vec![d]),
    }]
}

/// The worksheets that read as declarations, with their names, in workbook order. Sheets that
/// read as none (a cover, instructions) are passed over; when none reads, the finding names
/// the sheets.
fn read_sheets(
    grids: &[grid::Grid],
    file: &str,
) -> Result<Vec<(ParsedForm, Option<String>)>, Diagnostic> {
    let forms: Vec<_> = grids
        .iter()
        .filter_map(|grid| layouts::read(grid, file).map(|parsed| (parsed, grid.sheet.clone())))
        .collect();
    // A cover that repeats the form's title (and names the department) reads as a form with
    // nothing in it: beside a sheet that has the form's tables, it is passed over.
    let has_content = |p: &ParsedForm| p.declaration.has_content();
    let forms: Vec<_> = if forms.iter().any(|(p, _)| has_content(p)) {
        forms.into_iter().filter(|(p, _)| has_content(p)).collect()
    } else {
        forms
    };
    if !forms.is_empty() {
        return Ok(forms);
    }
    let names: Vec<&str> = grids.iter().filter_map(|g| g.sheet.as_deref()).collect();
    let largest = grids.iter().max_by_key(|g| g.rows.len());
    let mut d = layouts::not_a_declaration(file, largest.unwrap_or(&grid::Grid::default()));
    d.message = if names.is_empty() {
        format!("工作簿中没有可见的工作表。{}", d.message)
    } else {
        format!(
            "工作簿的工作表（{}）都不是申报表。{}",
            names.join("、"),
            d.message
        )
    };
    Err(d)
}

fn sniff_format(path: &Path, text: &str) -> Format {
    let ext = path
        .extension()
        .map(|x| x.to_string_lossy().to_ascii_lowercase());
    match ext.as_deref() {
        Some("json") => Format::Json,
        Some("txt" | "tsv") => Format::Text,
        _ if text
            .trim_start_matches('\u{feff}')
            .trim_start()
            .starts_with('{') =>
        {
            Format::Json
        }
        _ => Format::Text,
    }
}

enum ReadError {
    TooLarge(u64),
    Io(std::io::Error),
}

/// Reads at most `limit` bytes; a longer file is refused without reading it whole, even if it
/// grows between the size check and the read.
fn read_limited(path: &Path, limit: u64) -> Result<(Vec<u8>, Stamp), ReadError> {
    let file = File::open(path).map_err(ReadError::Io)?;
    let stamp = Stamp::of(&file.metadata().map_err(ReadError::Io)?);
    let size = stamp.size;
    if size > limit {
        return Err(ReadError::TooLarge(size));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge(bytes.len() as u64));
    }
    Ok((bytes, stamp))
}
