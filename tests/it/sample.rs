//! The real sample declaration: its exact canonical JSON and its exact diagnostics, through
//! the binary as users run it.

use crate::common;
use common::*;
use serde_json::Value;

#[test]
fn convert_prints_exactly_the_expected_json() {
    let o = bin().arg("convert").arg(sample_path()).output().unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let got: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_json_eq(&got, &expected_json(), "sample");
    // Exact decimals: the amounts are written as declared, with no float noise.
    let text = stdout(&o);
    assert!(text.contains("\"budget\": 286.41,"), "{text}");
    assert!(text.contains("\"share_percent\": 93.58,"));
}

#[test]
fn check_reports_exactly_the_sample_warnings() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(sample_path(), dir.path().join("sample.txt")).unwrap();
    let (code, report) = check_json(dir.path(), &["sample.txt"]);
    assert_eq!(code, 0);
    assert_eq!(report["files"], 1);
    assert_eq!(report["declarations"], 1);
    assert_eq!(code_counts(&report), sample_code_counts());
    let diags = report["diagnostics"].as_array().unwrap();
    for d in diags {
        assert_eq!(d["severity"], "warning");
        assert_eq!(d["file"], "sample.txt");
        assert_eq!(d["department"], "武汉市新洲区总工会");
        assert_eq!(d["fiscal_year"], 2020);
        assert!(d["line"].as_u64().unwrap() > 0);
        assert!(!d["message"].as_str().unwrap().is_empty());
    }
    // The benefit warning is on 年度目标4's header line; placeholders on their own rows.
    let lines = |code: &str| -> Vec<u64> {
        diags
            .iter()
            .filter(|d| d["code"] == code)
            .map(|d| d["line"].as_u64().unwrap())
            .collect()
    };
    assert_eq!(lines("missing-benefit"), [49]);
    assert_eq!(lines("placeholder-row"), [60, 61]);
    let text = sample_text();
    let line_text = |n: u64| text.lines().nth(n as usize - 1).unwrap().to_owned();
    assert!(line_text(49).starts_with("年度目标4："));
    for l in lines("vague-target") {
        let row = line_text(l);
        assert!(row.contains("合格") || row.contains("满意"), "{row}");
    }
    // Sorted by file, line, code.
    let keys: Vec<(u64, String)> = diags
        .iter()
        .map(|d| {
            (
                d["line"].as_u64().unwrap(),
                d["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
}

#[test]
fn strict_turns_warnings_into_failure() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(sample_path(), dir.path().join("s.txt")).unwrap();
    let o = run(&["check", "--strict", "s.txt"], dir.path());
    assert_eq!(o.status.code(), Some(1));
    let o = run(&["check", "s.txt"], dir.path());
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn text_output_groups_by_file_and_ends_with_a_summary() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(sample_path(), dir.path().join("s.txt")).unwrap();
    let o = run(&["check", "s.txt"], dir.path());
    let out = stdout(&o);
    assert!(!out.contains('\x1b'), "no colour when not a terminal");
    assert!(out.starts_with("s.txt\n"));
    assert!(out.contains("  s.txt:49 警告 [missing-benefit] 年度目标4（党建专项经费）"));
    assert_eq!(
        out.lines().last().unwrap(),
        "检查了 1 个文件、1 份申报表：0 个错误，14 个警告"
    );
}

#[test]
fn github_format_prints_one_annotation_per_diagnostic() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(sample_path(), dir.path().join("s.txt")).unwrap();
    let o = run(&["check", "--format", "github", "s.txt"], dir.path());
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 14);
    assert!(lines
        .iter()
        .all(|l| l.starts_with("::warning file=s.txt,line=")));
    assert!(lines[0].contains(",title=vague-target::"));
}

#[test]
fn check_defaults_to_submissions_and_usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "submissions/s.txt", sample_text());
    let (code, report) = check_json(dir.path(), &[]);
    assert_eq!(code, 0);
    assert_eq!(report["files"], 1);
    assert_eq!(
        run(&["check", "nowhere"], dir.path()).status.code(),
        Some(2)
    );
    assert_eq!(
        run(&["check", "--format", "xml"], dir.path()).status.code(),
        Some(2)
    );
    assert_eq!(run(&["convert"], dir.path()).status.code(), Some(2));
}

#[test]
fn convert_exits_1_and_explains_on_stderr_when_the_form_has_errors() {
    let dir = tempfile::tempdir().unwrap();
    let broken = sample_text().replace("\t18.38\t6.42%", "\t28.38\t6.42%");
    let p = write(dir.path(), "broken.txt", broken);
    let o = bin().arg("convert").arg(&p).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("expenditure-sum"), "{err}");
    assert!(
        err.contains("支出合计 286.41 ≠ 基本支出 268.03 + 项目支出 28.38（2020年预算）"),
        "{err}"
    );
    // Nothing on stdout (issue 11): `convert form > form.json` never leaves a declaration
    // with an error behind as if it were good.
    assert!(
        o.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
}

#[test]
fn jobs_bounds_threads_without_changing_output() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(sample_path(), dir.path().join("s.txt")).unwrap();
    let one = run(
        &["--jobs", "1", "check", "--format", "json", "s.txt"],
        dir.path(),
    );
    let all = run(&["check", "--format", "json", "s.txt"], dir.path());
    assert_eq!(one.status.code(), Some(0));
    assert_eq!(one.stdout, all.stdout);
    let zero = run(&["check", "--jobs", "0", "s.txt"], dir.path());
    assert_eq!(zero.status.code(), Some(2));
}
