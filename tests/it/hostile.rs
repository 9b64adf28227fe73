//! Whatever a department sends, the run ends in diagnostics and an exit status: no panic, no
//! hang, and the good files beside the bad ones are still read.

use crate::common;
use common::*;
use serde_json::Value;

fn diagnostics_of<'a>(report: &'a Value, file: &str) -> Vec<&'a Value> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["file"].as_str().unwrap().ends_with(file))
        .collect()
}

#[test]
fn hostile_files_become_errors_and_the_good_file_is_still_read() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("in");
    let sample = sample_text();
    let mut junk = Vec::new();
    let mut x: u64 = 0x9e3779b97f4a7c15;
    for _ in 0..65536 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        junk.push((x >> 24) as u8);
    }
    // Each variant is another department, so none is a duplicate of good.txt.
    let other = |n: u32| sample.replace("武汉市新洲区总工会", &format!("示例部门{n}"));
    let truncated = other(1);
    let cut = truncated.find("\t\t合计\t286.41").unwrap();
    let with_nul = other(2).replacen("部门名称", "部门\0名称", 1);
    let long_cell = format!("{}\t{}\n", "部门名称", "长".repeat(1_000_000));
    let huge_number = other(3).replace("268.03\t93.58%", &format!("{}\t93.58%", "9".repeat(400)));
    let nan = other(4)
        .replace("268.03\t93.58%", "NaN\t93.58%")
        .replace("18.38\t6.42%", "inf\t-inf");
    let deep = format!("{}{}", "[".repeat(200_000), "]".repeat(200_000));
    let wrong_types = r#"{"schema": "declaration/v1", "fiscal_year": "二〇二〇", "department": 5,
        "income": [], "expenditure": {"total": {"budget": "286.41", "prior_years": {"2019": true}}},
        "goals": [{"number": 1, "indicators": "none"}, 7], "functions": {"a": 1}}"#;
    let tabs = "\t".repeat(2_000_000);
    let oversize = vec![b'a'; 5 * 1024 * 1024];

    let files: Vec<(&str, Vec<u8>)> = vec![
        ("good.txt", sample.clone().into_bytes()),
        ("empty.txt", Vec::new()),
        ("junk.txt", junk),
        ("truncated.txt", truncated.as_bytes()[..cut + 3].to_vec()),
        ("nul.txt", with_nul.into_bytes()),
        ("long-cell.txt", long_cell.into_bytes()),
        ("huge-number.txt", huge_number.into_bytes()),
        ("nan.txt", nan.into_bytes()),
        ("deep.json", deep.into_bytes()),
        ("wrong-types.json", wrong_types.as_bytes().to_vec()),
        ("tabs.txt", tabs.into_bytes()),
        ("oversize.txt", oversize),
        (
            "not-json.json",
            b"{\"schema\": \"declaration/v1\", ".to_vec(),
        ),
    ];
    for (name, bytes) in &files {
        write(&root, name, bytes);
    }
    #[cfg(unix)]
    std::os::unix::fs::symlink(&root, root.join("loop")).unwrap();

    let o = run(&["check", "--format", "json", "in"], dir.path());
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();

    let good: Vec<&str> = diagnostics_of(&report, "good.txt")
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(good.len(), 14, "{good:?}");
    assert!(good
        .iter()
        .all(|c| matches!(*c, "vague-target" | "placeholder-row" | "missing-benefit")));

    for (name, _) in files.iter().skip(1) {
        let found = diagnostics_of(&report, name);
        assert!(
            found.iter().any(|d| d["severity"] == "error"),
            "{name} has no error: {found:?}"
        );
        for d in found {
            assert!(
                d["message"].as_str().unwrap().chars().count() < 400,
                "{name}: message too long"
            );
        }
    }
    let expect_code = |name: &str, code: &str| {
        let found = diagnostics_of(&report, name);
        assert!(
            found.iter().any(|d| d["code"] == code),
            "{name}: no {code} in {found:?}"
        );
    };
    expect_code("empty.txt", "unreadable-file");
    expect_code("junk.txt", "unreadable-file");
    expect_code("nul.txt", "unreadable-file");
    expect_code("oversize.txt", "unreadable-file");
    expect_code("truncated.txt", "missing-field");
    expect_code("huge-number.txt", "bad-number");
    expect_code("nan.txt", "bad-number");
    expect_code("deep.json", "not-a-declaration");
    expect_code("not-json.json", "not-a-declaration");
    expect_code("wrong-types.json", "bad-number");
    expect_code("tabs.txt", "unreadable-file");
    #[cfg(unix)]
    {
        let looped: Vec<_> = report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["file"].as_str().unwrap().ends_with("loop"))
            .collect();
        assert_eq!(looped.len(), 1, "{looped:?}");
        assert_eq!(looped[0]["code"], "unreadable-file");
    }
}

#[test]
fn every_cut_of_the_sample_reads_without_panic() {
    let sample = sample_text();
    let bytes = sample.as_bytes();
    let dir = tempfile::tempdir().unwrap();
    // One folder with the sample cut at many points: one run, one report.
    for cut in (0..bytes.len()).step_by(53) {
        write(dir.path(), &format!("cut-{cut:05}.txt"), &bytes[..cut]);
    }
    let (code, report) = check_json(dir.path(), &["."]);
    assert_eq!(code, 1);
    let files = report["files"].as_u64().unwrap();
    assert_eq!(files as usize, bytes.len().div_ceil(53));
    // Every cut before the expenditure total lacks a total or more: an error on each.
    let total_at = sample.find("合计\t\t286.41").unwrap();
    for cut in (0..total_at).step_by(53) {
        let name = format!("cut-{cut:05}.txt");
        assert!(
            diagnostics_of(&report, &name)
                .iter()
                .any(|d| d["severity"] == "error"),
            "{name}"
        );
    }
}
