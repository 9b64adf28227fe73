//! Every flag in both directions, through the binary: `--strict` on a clean district, on one
//! with warnings only and on one with errors only (with and without the flag); `--jobs 1`
//! against the default on a multi-form district; and each exit code (0 clean, 1 findings,
//! 2 usage or I/O failure) of `build`, `check` and `convert`.

use crate::common;
use budgetsite_gen as generator;

use common::*;
use generator::{generate, GenOptions, Plant, QuirkLevel};
use std::path::Path;

/// A clean generated district (no planted rule: no finding) under `submissions/`.
fn clean(dir: &Path, departments: usize) {
    let truth = generate(
        &GenOptions {
            seed: 5,
            departments,
            years: vec![2021, 2022],
            quirks: QuirkLevel::Some,
            plant: Plant::None,
            ..GenOptions::default()
        },
        &dir.join("submissions"),
    )
    .unwrap();
    assert!(truth.files.iter().all(|f| f.planted.is_empty()));
    std::fs::remove_dir_all(dir.join("submissions/.truth")).unwrap();
}

fn build(dir: &Path, extra: &[&str]) -> (i32, String) {
    let mut args = vec!["build", "--no-cache"];
    args.extend_from_slice(extra);
    let o = run(&args, dir);
    (
        o.status.code().unwrap(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// The published tree, or None when nothing was published.
fn published(dir: &Path) -> Option<std::collections::BTreeMap<String, Vec<u8>>> {
    let p = dir.join("public");
    p.exists().then(|| tree(&p))
}

#[test]
fn strict_on_a_clean_district_publishes_with_exit_0() {
    let dir = tempfile::tempdir().unwrap();
    clean(dir.path(), 4);
    let (code, err) = build(dir.path(), &["--strict"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("已发布到 public"), "{err}");
    assert!(err.contains("0 个错误，0 个警告"), "{err}");
    let site = published(dir.path()).unwrap();
    assert!(site.keys().filter(|p| p.ends_with(".html")).count() > 4);
    // And the same without the flag.
    let (code, err) = build(dir.path(), &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(published(dir.path()).unwrap(), site);
}

#[test]
fn strict_with_warnings_only_refuses_and_keeps_the_old_site_without_it_publishes() {
    let dir = tempfile::tempdir().unwrap();
    clean(dir.path(), 3);
    let (code, err) = build(dir.path(), &[]);
    assert_eq!(code, 0, "{err}");
    let before = published(dir.path()).unwrap();
    // The real sample has 14 warnings and no error.
    write_sample(dir.path(), "submissions/示例区/sample-2020.txt", None);
    let (code, err) = build(dir.path(), &["--strict"]);
    assert_eq!(code, 1, "warnings fail a strict build: {err}");
    assert!(err.contains("未发布"), "{err}");
    assert!(err.contains("0 个错误、14 个警告"), "{err}");
    assert_eq!(
        published(dir.path()).unwrap(),
        before,
        "the old site stays untouched"
    );
    assert!(!before.keys().any(|p| p.contains("data/")
        && String::from_utf8_lossy(&before[p]).contains("武汉市新洲区总工会")));
    // Without --strict warnings do not fail the build, and the form is published.
    let (code, err) = build(dir.path(), &[]);
    assert_eq!(code, 0, "warnings alone exit 0: {err}");
    assert!(err.contains("已发布到 public"), "{err}");
    let after = published(dir.path()).unwrap();
    assert!(after.iter().any(|(p, b)| p.ends_with(".html")
        && String::from_utf8_lossy(b).contains("<h1>武汉市新洲区总工会</h1>")));
}

#[test]
fn strict_with_errors_only_refuses_without_it_publishes_the_good_forms_with_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    clean(dir.path(), 3);
    write(dir.path(), "submissions/示例区/bad-2022.txt", "不是申报表");
    let (code, err) = build(dir.path(), &["--strict"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("未发布"), "{err}");
    assert!(err.contains("0 个警告"), "errors only: {err}");
    assert!(published(dir.path()).is_none(), "nothing published");
    let (code, err) = build(dir.path(), &[]);
    assert_eq!(
        code, 1,
        "an error exits 1 even when the rest is published: {err}"
    );
    assert!(err.contains("已发布到 public"), "{err}");
    assert!(err.contains("1 份文件因错误未发布"), "{err}");
    let site = published(dir.path()).unwrap();
    assert!(site.keys().filter(|p| p.ends_with(".html")).count() > 3);
}

#[test]
fn check_strict_fails_on_warnings_and_passes_clean_forms() {
    let dir = tempfile::tempdir().unwrap();
    clean(dir.path(), 2);
    for (strict, code) in [(false, 0), (true, 0)] {
        let mut args = vec!["check"];
        if strict {
            args.push("--strict");
        }
        args.push("submissions");
        assert_eq!(
            run(&args, dir.path()).status.code(),
            Some(code),
            "clean, strict={strict}"
        );
    }
    write_sample(dir.path(), "submissions/示例区/sample-2020.txt", None);
    assert_eq!(
        run(&["check", "submissions"], dir.path()).status.code(),
        Some(0)
    );
    assert_eq!(
        run(&["check", "--strict", "submissions"], dir.path())
            .status
            .code(),
        Some(1)
    );
    write(dir.path(), "submissions/示例区/bad-2022.txt", "不是申报表");
    assert_eq!(
        run(&["check", "submissions"], dir.path()).status.code(),
        Some(1)
    );
}

#[test]
fn one_job_and_all_jobs_publish_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    clean(dir.path(), 12);
    write_sample(dir.path(), "submissions/示例区/sample-2020.txt", None);
    let (code, err) = build(dir.path(), &["--jobs", "1"]);
    assert_eq!(code, 0, "{err}");
    let one = published(dir.path()).unwrap();
    let (code, err) = build(dir.path(), &[]);
    assert_eq!(code, 0, "{err}");
    let all = published(dir.path()).unwrap();
    assert!(one.len() > 30, "{} files", one.len());
    assert_eq!(
        one.keys().collect::<Vec<_>>(),
        all.keys().collect::<Vec<_>>()
    );
    for (p, b) in &one {
        assert!(all[p] == *b, "{p} differs between --jobs 1 and the default");
    }
    // --jobs 4 on two cores, too.
    let (code, _) = build(dir.path(), &["--jobs", "4"]);
    assert_eq!(code, 0);
    assert_eq!(published(dir.path()).unwrap(), one);
}

#[test]
fn usage_and_io_failures_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    clean(dir.path(), 2);
    for args in [
        &["--bogus"][..],
        &["build", "--jobs", "0"],
        &["build", "--jobs", "x"],
        &["build", "--input", "missing"],
        &["build", "--config", "missing.toml"],
        &["convert", "missing.txt"],
        &["check", "--format", "yaml"],
    ] {
        let o = run(args, dir.path());
        assert_eq!(
            o.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(!o.stderr.is_empty(), "{args:?} says why");
    }
    assert!(!dir.path().join("public").exists(), "nothing published");
    // convert: 0 on a form, 1 on a file that is not one.
    let form = walkdir::WalkDir::new(dir.path().join("submissions"))
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .find(|p| p.is_file())
        .unwrap();
    let o = run(&["convert", form.to_str().unwrap()], dir.path());
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["schema"], "declaration/v1");
    write(dir.path(), "junk.txt", "不是申报表");
    assert_eq!(
        run(&["convert", "junk.txt"], dir.path()).status.code(),
        Some(1)
    );
}

#[test]
fn templates_and_config_come_from_where_the_flags_say() {
    let dir = tempfile::tempdir().unwrap();
    clean(dir.path(), 2);
    // Decoys at the default places, the real ones elsewhere.
    write(dir.path(), "site.toml", "title = \"默认位置的标题\"\n");
    write(
        dir.path(),
        "site-templates/content/about.md",
        "# 说明\n\n默认位置的说明。\n",
    );
    write(dir.path(), "conf/other.toml", "title = \"别处的标题\"\n");
    write(
        dir.path(),
        "tpl/content/about.md",
        "# 说明\n\n别处的说明。\n",
    );
    let page = |p: &str| std::fs::read_to_string(dir.path().join("public").join(p)).unwrap();
    let (code, err) = build(dir.path(), &[]);
    assert_eq!(code, 0, "{err}");
    assert!(page("index.html").contains("默认位置的标题"));
    assert!(page("about.html").contains("默认位置的说明"));
    let (code, err) = build(
        dir.path(),
        &["--config", "conf/other.toml", "--templates", "tpl"],
    );
    assert_eq!(code, 0, "{err}");
    let (index, about) = (page("index.html"), page("about.html"));
    assert!(index.contains("别处的标题") && !index.contains("默认位置的标题"));
    assert!(about.contains("别处的说明") && !about.contains("默认位置的说明"));
    // --input and --output too.
    std::fs::rename(dir.path().join("submissions"), dir.path().join("forms")).unwrap();
    let (code, err) = build(dir.path(), &["--input", "forms", "--output", "site"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("已发布到 site"), "{err}");
    assert!(dir.path().join("site/index.html").is_file());
}

#[test]
fn output_that_is_not_a_terminal_has_no_colour_codes() {
    let dir = tempfile::tempdir().unwrap();
    clean(dir.path(), 2);
    write(dir.path(), "submissions/示例区/bad-2022.txt", "不是申报表");
    write_sample(dir.path(), "submissions/示例区/sample-2020.txt", None);
    for args in [
        &["build"][..],
        &["check", "submissions"],
        &["check", "--strict", "submissions"],
    ] {
        let o = run(args, dir.path());
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        let (out, err) = (stdout(&o), String::from_utf8_lossy(&o.stderr).into_owned());
        assert!(
            err.contains("bad-2022.txt") || out.contains("bad-2022.txt"),
            "{args:?}"
        );
        assert!(
            !out.contains('\u{1b}') && !err.contains('\u{1b}'),
            "{args:?}: {err}{out}"
        );
    }
}

#[test]
fn a_reader_that_goes_away_is_no_error_a_full_disk_is() {
    let dir = tempfile::tempdir().unwrap();
    clean(dir.path(), 30);
    // The reader closes the pipe before the report is written: not a failure of the check.
    let mut child = bin()
        .args(["check", "--format", "json", "submissions"])
        .current_dir(dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let o = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    // A disk that is full is: exit 2 with a message.
    #[cfg(target_os = "linux")]
    {
        let form = walkdir::WalkDir::new(dir.path().join("submissions"))
            .into_iter()
            .map(|e| e.unwrap().into_path())
            .find(|p| p.is_file())
            .unwrap();
        let o = bin()
            .arg("convert")
            .arg(&form)
            .stdout(std::fs::File::create("/dev/full").unwrap())
            .output()
            .unwrap();
        assert_eq!(
            o.status.code(),
            Some(2),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(!o.stderr.is_empty());
    }
}

#[test]
fn check_counts_files_and_declarations() {
    let dir = tempfile::tempdir().unwrap();
    clean(dir.path(), 3);
    write(dir.path(), "submissions/示例区/bad-2022.txt", "不是申报表");
    // Three departments × two years, and one file that is no declaration.
    let (code, report) = check_json(dir.path(), &["submissions"]);
    assert_eq!(code, 1);
    assert_eq!(
        (report["files"].as_u64(), report["declarations"].as_u64()),
        (Some(7), Some(6))
    );
    let o = run(&["check", "submissions"], dir.path());
    assert!(
        stdout(&o).contains("检查了 7 个文件、6 份申报表：1 个错误，0 个警告"),
        "{}",
        stdout(&o)
    );
}
