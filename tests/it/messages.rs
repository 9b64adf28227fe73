//! Messages an operator can act on (issue 11): each OS error said once, `--strict` naming
//! the findings that refused the build, `convert` printing nothing on stdout when it fails,
//! and the help in Chinese.

use crate::common;
use common::*;

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn an_os_error_is_said_once() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_sample(d, "submissions/x/a-2020.txt", None);
    write(d, "afile", "not a folder");
    let o = run(&["build", "--output", "afile/public"], d);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert_eq!(err.matches("(os error").count(), 1, "{err}");
}

#[test]
fn strict_names_the_warnings_that_refused_the_build() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_sample(d, "submissions/x/a-2020.txt", None);
    let o = run(&["build", "--strict"], d);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    for code in ["[vague-target]", "[placeholder-row]", "[missing-benefit]"] {
        assert!(err.contains(code), "{code}: {err}");
    }
    assert!(err.contains("11 个"), "{err}");
    assert!(!d.join("public").exists());
}

#[test]
fn convert_prints_nothing_on_stdout_when_the_form_has_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let bad = sample_text().replace("268.03\t93.58%", "268.93\t93.58%");
    write(d, "bad.txt", bad);
    let o = run(&["convert", "bad.txt"], d);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty(), "{}", stdout(&o));
    assert!(!stderr(&o).is_empty());
    write_sample(d, "good.txt", None);
    let o = run(&["convert", "good.txt"], d);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).starts_with('{'));
}

#[test]
fn help_is_in_chinese_and_the_flags_are_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["--help"][..],
        &["build", "--help"],
        &["check", "-h"],
        &["convert", "-h"],
        &["serve", "-h"],
        &["init", "-h"],
    ] {
        let o = run(args, dir.path());
        assert_eq!(o.status.code(), Some(0));
        let help = stdout(&o);
        assert!(
            help.contains("用法：") && help.contains("显示帮助"),
            "{help}"
        );
        for english in [
            "Usage:",
            "Print help",
            "Commands:",
            "Options:",
            "Arguments:",
            "[default:",
            "possible values",
        ] {
            assert!(!help.contains(english), "{english} in {help}");
        }
    }
    let o = run(&["build", "--help"], dir.path());
    for flag in [
        "--input",
        "--output",
        "--strict",
        "--allow-shrink",
        "--no-cache",
    ] {
        assert!(stdout(&o).contains(flag), "{flag}");
    }
    let o = run(&["--version"], dir.path());
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).starts_with("budgetsite "));
}
