//! The build cache: an unchanged run answers from the cache and leaves the site alone; any
//! change (a form added, changed, renamed or deleted, a template, the config, a hand-edited
//! site) rebuilds, and the result is byte-identical to a clean build.

use crate::common;
use common::*;
use std::path::Path;

/// Builds with the cache into `public`; returns whether the run reported "unchanged", and the
/// exit code.
fn cached(dir: &Path, extra: &[&str]) -> (bool, i32) {
    let mut args = vec!["build"];
    args.extend_from_slice(extra);
    let o = run(&args, dir);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    (err.contains("未变化"), o.status.code().unwrap())
}

/// A clean build of the same inputs into `clean/`, compared with `public/`. The feeds record
/// what changed since the previous site, so the clean build starts from `public/`'s record.
#[track_caller]
fn assert_same_as_clean(dir: &Path, what: &str) {
    let _ = std::fs::remove_dir_all(dir.join("clean"));
    seed_changes(&dir.join("public"), &dir.join("clean"));
    let o = run(&["build", "--no-cache", "--output", "clean"], dir);
    assert!(o.status.code().unwrap() <= 1);
    let (a, b) = (tree(&dir.join("public")), tree(&dir.join("clean")));
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "{what}"
    );
    for (k, v) in &a {
        assert!(v == &b[k], "{what}: {k} differs from a clean build");
    }
}

#[test]
fn unchanged_runs_answer_from_the_cache_and_changes_rebuild_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_sample(d, "submissions/x/a-2020.txt", None);
    write_sample(d, "submissions/x/b-2020.txt", Some("示例区妇联"));
    set_mtime(&d.join("submissions/x/b-2020.txt"), 0);
    assert_eq!(cached(d, &[]), (false, 0));
    let first = tree(&d.join("public"));
    assert_eq!(cached(d, &[]), (true, 0), "nothing changed");
    assert_eq!(tree(&d.join("public")), first);

    // Change a form: the same size (妇联 and 残联 take the same bytes), another time.
    let b = d.join("submissions/x/b-2020.txt");
    let size = std::fs::metadata(&b).unwrap().len();
    write_sample(d, "submissions/x/b-2020.txt", Some("示例区残联"));
    assert_eq!(std::fs::metadata(&b).unwrap().len(), size);
    set_mtime(&b, 10);
    assert!(!cached(d, &[]).0);
    assert_same_as_clean(d, "after a change");
    assert!(cached(d, &[]).0);

    // Add one, rename one, delete one.
    write_sample(d, "submissions/x/c-2020.txt", Some("示例区科协"));
    assert!(!cached(d, &[]).0);
    assert_same_as_clean(d, "after an addition");
    std::fs::rename(
        d.join("submissions/x/c-2020.txt"),
        d.join("submissions/x/d-2020.txt"),
    )
    .unwrap();
    assert!(!cached(d, &[]).0);
    assert_same_as_clean(d, "after a rename");
    std::fs::remove_file(d.join("submissions/x/d-2020.txt")).unwrap();
    assert!(!cached(d, &[]).0);
    assert_same_as_clean(d, "after a deletion");
    let pages = tree(&d.join("public"))
        .into_keys()
        .filter(|k| k.ends_with(".html"))
        .count();
    assert_eq!(pages, 9, "the deleted department's page is gone");

    // A template and the config.
    write(
        d,
        "site-templates/content/about.md",
        "# 说明\n\n新的说明。\n",
    );
    assert!(!cached(d, &[]).0);
    assert_same_as_clean(d, "after a template change");
    write(d, "site.toml", "title = \"新标题\"\n");
    assert!(!cached(d, &[]).0);
    assert_same_as_clean(d, "after a config change");

    // A hand-edited site is rebuilt, not trusted.
    let index = d.join("public/index.html");
    std::fs::write(&index, "tampered").unwrap();
    assert!(!cached(d, &[]).0);
    assert_same_as_clean(d, "after tampering");
    std::fs::remove_file(&index).unwrap();
    assert!(!cached(d, &[]).0);
    assert!(index.exists());
    // Alike the downloads kept by their keys: a table's CSV, both `district.json` files.
    let kept: Vec<String> = tree(&d.join("public"))
        .into_keys()
        .filter(|p| p.ends_with(".csv") || p.ends_with("district.json"))
        .collect();
    assert!(
        kept.iter().filter(|p| p.ends_with(".csv")).count() >= 2,
        "{kept:?}"
    );
    assert_eq!(
        kept.iter().filter(|p| p.ends_with("district.json")).count(),
        2
    );
    for p in &kept {
        std::fs::write(d.join("public").join(p), "tampered").unwrap();
    }
    assert!(!cached(d, &[]).0);
    assert_same_as_clean(d, "after tampering with the downloads");

    // --no-cache always builds.
    assert!(!cached(d, &["--no-cache"]).0);
}

#[test]
fn the_last_findings_and_exit_status_are_repeated_from_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_sample(d, "submissions/x/a-2020.txt", None);
    write(d, "submissions/x/junk.txt", "不是申报表");
    let o1 = run(&["build"], d);
    let o2 = run(&["build"], d);
    assert_eq!(o1.status.code(), Some(1));
    assert_eq!(o2.status.code(), Some(1));
    let (e1, e2) = (
        String::from_utf8_lossy(&o1.stderr),
        String::from_utf8_lossy(&o2.stderr),
    );
    assert!(e2.contains("未变化"), "{e2}");
    assert!(e1.contains("junk.txt") && e2.contains("junk.txt"), "{e2}");
    // --strict is another build (other options): it refuses, and says so again when cached.
    let before = tree(&d.join("public"));
    assert_eq!(cached(d, &["--strict"]), (false, 1));
    assert_eq!(cached(d, &["--strict"]), (true, 1));
    assert_eq!(tree(&d.join("public")), before);
}

/// The summary line's "读取 N 份输入文件，生成 M 个部门页面".
fn work_done(dir: &Path) -> (usize, usize) {
    summary_counts(run(&["build"], dir))
}

fn summary_counts(o: std::process::Output) -> (usize, usize) {
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    let number_before = |marker: &str| -> usize {
        let head = &err[..err
            .find(marker)
            .unwrap_or_else(|| panic!("{marker}: {err}"))];
        let digits: String = head
            .chars()
            .rev()
            .skip_while(|c| !c.is_ascii_digit())
            .take_while(char::is_ascii_digit)
            .collect();
        digits.chars().rev().collect::<String>().parse().unwrap()
    };
    (number_before(" 份输入文件"), number_before(" 个部门页面"))
}

/// A rebuilt tool may read forms differently: the cache's records of the last build are
/// not reused by another executable (its size and time are in `cache::tool_key`), though
/// not one form changed. The same tool, run again on a touched tree, reads nothing.
#[test]
fn another_build_of_the_tool_reads_every_form_again() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for (file, name) in [("a", "示例区妇联"), ("b", "示例区残联")] {
        let p = write_sample(d, &format!("submissions/x/{file}-2020.txt"), Some(name));
        set_mtime(&p, 0);
    }
    assert_eq!(work_done(d), (2, 2), "the first build does everything");
    // Something else changed (a template), so the build is not skipped whole: the forms'
    // records are reused.
    std::fs::create_dir_all(d.join("site-templates")).unwrap();
    std::fs::write(d.join("site-templates/extra.css"), "p{}").unwrap();
    assert_eq!(work_done(d).0, 0, "the same tool reuses every record");
    // The same bytes as another executable (a copy has its own time).
    let other = d.join("tool/budgetsite");
    std::fs::create_dir_all(other.parent().unwrap()).unwrap();
    std::fs::copy(env!("CARGO_BIN_EXE_budgetsite"), &other).unwrap();
    set_mtime(&other, 1_000_000);
    let o = std::process::Command::new(&other)
        .arg("build")
        .current_dir(d)
        .output()
        .unwrap();
    assert_eq!(
        summary_counts(o).0,
        2,
        "another build of the tool reads every form again"
    );
}

/// Three departments' forms (a, b, c), their modification time the epoch.
fn three_departments_filed_long_ago(d: &Path) {
    for (file, name) in [
        ("a", "示例区妇联"),
        ("b", "示例区残联"),
        ("c", "示例区科协"),
    ] {
        let p = write_sample(d, &format!("submissions/x/{file}-2020.txt"), Some(name));
        set_mtime(&p, 0);
    }
}

#[test]
fn a_changed_form_rereads_one_file_and_renders_one_department() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    three_departments_filed_long_ago(d);
    assert_eq!(work_done(d), (3, 3), "the first build does everything");
    let pages = |d: &Path| -> Vec<std::path::PathBuf> {
        let mut v: Vec<_> = walkdir::WalkDir::new(d.join("public"))
            .into_iter()
            .map(|e| e.unwrap().into_path())
            .filter(|p| p.extension().is_some_and(|x| x == "html"))
            .collect();
        v.sort();
        v
    };
    let before: Vec<_> = pages(d).iter().map(|p| (p.clone(), identity(p))).collect();
    // Another goal text in b: its facts (quality) stay, its page changes.
    let b = d.join("submissions/x/b-2020.txt");
    let text = std::fs::read_to_string(&b).unwrap();
    std::fs::write(
        &b,
        text.replacen("示例区残联", "示例区残联 ", 1)
            .replacen("提高", "提升", 1),
    )
    .unwrap();
    set_mtime(&b, 10);
    assert_eq!(work_done(d), (1, 1), "only b is read and rendered again");
    assert_same_as_clean(d, "after changing one form");
    let rewritten: Vec<_> = before
        .iter()
        .filter(|(p, id)| !p.exists() || identity(p) != *id)
        .map(|(p, _)| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        before.len(),
        10,
        "home, report, method, search, overview, dashboard, year, 3 departments"
    );
    assert_eq!(
        rewritten.len(),
        1,
        "only b's page is written again (no figure changed): {rewritten:?}"
    );
    // Only touched, not changed: read again, nothing rendered.
    let text = std::fs::read(&b).unwrap();
    std::fs::write(&b, text).unwrap();
    set_mtime(&b, 20);
    assert_eq!(work_done(d), (1, 0));
    assert_same_as_clean(d, "after touching a form");
}

/// More forms than a block of the cache's records (128, `cache::blocks::BLOCK`): a build
/// after one changed form copies the other block from the last cache file unread, and the
/// next build trusts the file so saved (one form read again, not all 130; a wrong checksum
/// would make it read every form). Each build is a clean build's site.
#[test]
fn a_cache_saved_with_copied_blocks_serves_the_next_build() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let n = 130;
    for i in 0..n {
        let name = format!("示例区单位{i:03}");
        let p = write_sample(d, &format!("submissions/x/f{i:03}-2020.txt"), Some(&name));
        set_mtime(&p, 0);
    }
    assert_eq!(work_done(d), (n, n), "the first build does everything");
    let edit = |i: usize, time: i64| {
        let p = d.join(format!("submissions/x/f{i:03}-2020.txt"));
        let text = std::fs::read_to_string(&p).unwrap();
        std::fs::write(&p, text.replacen("提高", "提升", 1)).unwrap();
        set_mtime(&p, time);
    };
    // The second block changes; the first is copied.
    edit(129, 10);
    assert_eq!(work_done(d), (1, 1));
    assert_same_as_clean(d, "after a change in the second block");
    // The first block changes; the second is copied from a file whose first was copied.
    edit(0, 20);
    assert_eq!(work_done(d), (1, 1), "the last cache file is trusted");
    assert_same_as_clean(d, "after a change in the first block");
    edit(64, 30);
    assert_eq!(work_done(d), (1, 1), "and the one before it");
    assert_same_as_clean(d, "after another change in the first block");
}

/// A self-evaluation's pages are keyed by its bytes, not by what was read from them: a
/// change of the same size and another time is read again, its department's page and the
/// search index say the new result, and the rest of the site is kept.
#[test]
fn a_changed_self_evaluation_renders_its_department_and_the_index_again() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for file in ["a-2020.txt", "b-2020.txt"] {
        let name = (file == "a-2020.txt").then_some("示例区妇联");
        set_mtime(&write_sample(d, &format!("submissions/x/{file}"), name), 0);
    }
    let eval = write(
        d,
        "submissions/x/b-2020-自评.txt",
        crate::self_eval::eval_text(),
    );
    set_mtime(&eval, 0);
    assert_eq!(
        work_done(d),
        (3, 2),
        "the first build reads 3 files, renders 2"
    );
    let page = |d: &Path| {
        let site = tree(&d.join("public"));
        let (path, bytes) = site
            .into_iter()
            .find(|(k, v)| {
                k.ends_with(".html") && String::from_utf8_lossy(v).contains("年度绩效自评</h2>")
            })
            .expect("the evaluated department's page");
        (path, String::from_utf8(bytes).unwrap())
    };
    let index_says = |d: &Path, text: &str| {
        tree(&d.join("public/search"))
            .values()
            .any(|v| String::from_utf8_lossy(v).contains(text))
    };
    let (path, before) = page(d);
    assert!(before.contains("<td>162人</td>") && index_says(d, "162人"));
    // 162 → 172 students: the same bytes' count, another time.
    let text = crate::self_eval::eval_text();
    assert!(text.contains("\t162人\t"));
    std::fs::write(&eval, text.replace("\t162人\t", "\t172人\t")).unwrap();
    set_mtime(&eval, 10);
    assert_eq!(
        work_done(d),
        (1, 1),
        "only the self-evaluation is read, its department rendered"
    );
    let (again, after) = page(d);
    assert_eq!(again, path);
    assert!(
        after.contains("<td>172人</td>") && !after.contains("<td>162人</td>"),
        "the page shows the new actual"
    );
    assert!(
        index_says(d, "172人") && !index_says(d, "162人"),
        "so does the search index"
    );
    assert_same_as_clean(d, "after changing a self-evaluation");
}

#[test]
fn reading_departments_again_gives_the_site_that_keeping_them_gives() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_sample(d, "submissions/x/a-2020.txt", None);
    write_sample(d, "submissions/x/b-2020.txt", Some("示例区妇联"));
    write_sample(d, "submissions/y/c-2020.txt", Some("示例区科协"));
    let options = |output: &str, keep: usize| budgetsite::build::BuildOptions {
        input: d.join("submissions"),
        output: d.join(output),
        templates: d.join("no-templates"),
        config: d.join("site.toml"),
        keep_declarations: keep,
        ..Default::default()
    };
    let kept = budgetsite::build::build(&options("kept", usize::MAX)).unwrap();
    let read = budgetsite::build::build(&options("read", 0)).unwrap();
    assert_eq!(kept.departments_rendered, 3);
    assert_eq!(read.departments_rendered, 3);
    // Regression: a run that let its declarations go reported 0 files read.
    assert_eq!((kept.files_read, read.files_read), (3, 3));
    let (a, b) = (tree(&d.join("kept")), tree(&d.join("read")));
    assert!(a.keys().any(|k| k.ends_with("-2020.json")));
    assert_eq!(a, b);
}

/// A large run lets its declarations go and reads each department's again to render its page:
/// a form whose bytes changed since it was validated is refused (`Changed`), never published
/// unchecked. Regression for a mutant that survived every other test: the digest guard
/// replaced by `true`.
#[test]
fn a_declaration_changed_after_validation_is_refused_when_read_again() {
    let dir = tempfile::tempdir().unwrap();
    let (input, a, ingest, batch) = two_departments_loaded(dir.path(), 0);
    let config = budgetsite::config::SiteConfig::default();
    let model = budgetsite::analyze::analyze(&batch, &input, &config);
    let departments = &model.districts[0].departments;
    assert_eq!(departments.len(), 2);
    // Unchanged: read again, as validated.
    for dep in departments {
        let again = dep
            .declarations(&ingest, &Default::default())
            .expect("unchanged forms read again");
        assert_eq!(again.len(), 1);
    }
    // One form's bytes change between the validation and the rendering.
    let mut bytes = std::fs::read(&a).unwrap();
    bytes.extend_from_slice(b"\n\n");
    std::fs::write(&a, bytes).unwrap();
    let outcomes: Vec<(String, bool)> = departments
        .iter()
        .map(|dep| {
            (
                dep.name.clone(),
                dep.declarations(&ingest, &Default::default()).is_err(),
            )
        })
        .collect();
    assert_eq!(
        outcomes,
        [
            ("武汉市新洲区总工会".to_owned(), true),
            ("示例区妇联".to_owned(), false)
        ],
        "only the changed form is refused"
    );
}

/// A build takes the declarations it kept out of the batch (`load::Kept`) and each department's
/// page takes its own, once, so they are let go as the pages are made: the batch no longer
/// holds them, and a second ask reads the file again (the same declaration).
#[test]
fn kept_declarations_are_handed_out_once_then_read_again() {
    let dir = tempfile::tempdir().unwrap();
    let (input, _, ingest, mut batch) = two_departments_loaded(dir.path(), usize::MAX);
    let config = budgetsite::config::SiteConfig::default();
    assert!(batch.files.iter().all(|f| f.declaration.is_some()));
    let kept = batch.take_kept();
    assert!(batch.files.iter().all(|f| f.declaration.is_none()));
    let model = budgetsite::analyze::analyze(&batch, &input, &config);
    let dep = &model.districts[0].departments[0];
    // Taken: the kept declaration itself, owned; the slot is empty afterwards.
    let first = dep.declarations(&ingest, &kept).unwrap();
    assert!(matches!(first[0], std::borrow::Cow::Owned(_)));
    assert!(kept.take(dep.forms[0].outcome).is_none(), "handed out once");
    // Asked again (nothing kept): read from the file, the same declaration.
    let again = dep.declarations(&ingest, &kept).unwrap();
    assert_eq!(first[0].as_ref(), again[0].as_ref());
    assert_eq!(first[0].department.as_deref(), Some(dep.name.as_str()));
}

/// A run too large to keep its declarations writes them out as it reads them
/// (`load::Shelved`), and a department's page reads that back, not its forms: the same
/// declarations as reading the forms again, and still served after a form changes on disk
/// (the run publishes what it validated; reading the form again would refuse it).
#[test]
fn a_large_run_reads_back_the_declarations_it_shelved_not_the_forms() {
    let dir = tempfile::tempdir().unwrap();
    let (input, a, ingest, mut batch) = two_departments_loaded(dir.path(), 0);
    let config = budgetsite::config::SiteConfig::default();
    assert!(batch.files.iter().all(|f| f.declaration.is_none()));
    let kept = batch.take_kept();
    let model = budgetsite::analyze::analyze(&batch, &input, &config);
    let departments = &model.districts[0].departments;
    let declarations = |kept: &budgetsite::load::Kept| {
        departments
            .iter()
            .map(|dep| {
                dep.declarations(&ingest, kept)
                    .map(|d| d[0].clone().into_owned())
            })
            .collect::<Result<Vec<_>, _>>()
    };
    let shelved = declarations(&kept).unwrap();
    let read_again = declarations(&Default::default()).unwrap();
    assert_eq!(shelved.len(), 2);
    assert_eq!(shelved, read_again);
    assert_eq!(shelved[0].department.as_deref(), Some("武汉市新洲区总工会"));
    let mut bytes = std::fs::read(&a).unwrap();
    bytes.extend_from_slice(b"\n\n");
    std::fs::write(&a, bytes).unwrap();
    assert!(
        declarations(&Default::default()).is_err(),
        "read again: refused"
    );
    assert_eq!(
        declarations(&kept).unwrap(),
        shelved,
        "from the shelf, as validated"
    );
}

/// Two departments' forms under `dir/submissions` (`x/a-2020.txt`, the sample's, and
/// `x/b-2020.txt`, 示例区妇联's) read and checked, their declarations kept when the run has at
/// most `keep_up_to` files: the input folder, the first form's path, the reading options and
/// the batch.
fn two_departments_loaded(
    dir: &Path,
    keep_up_to: usize,
) -> (
    std::path::PathBuf,
    std::path::PathBuf,
    budgetsite::ingest::IngestOptions,
    budgetsite::load::Batch,
) {
    use budgetsite::ingest::{self, IngestOptions};
    use budgetsite::load::{load_files, LoadOptions};
    let input = dir.join("submissions");
    let a = write_sample(&input, "x/a-2020.txt", None);
    write_sample(&input, "x/b-2020.txt", Some("示例区妇联"));
    let ingest = IngestOptions {
        names_from_folder: true,
        ..IngestOptions::default()
    };
    let (files, problems) = ingest::discover(std::slice::from_ref(&input), &ingest).unwrap();
    let aliases = budgetsite::config::SiteConfig::default().aliases();
    let load = LoadOptions {
        aliases: &aliases,
        keep_up_to,
        previous: None,
        previous_started: 0,
        records: false,
        started: 0,
        stats: None,
    };
    let (batch, _) = load_files(&files, problems, &ingest, &load);
    (input, a, ingest, batch)
}

/// The data packages are kept while no form's or self-evaluation's identity changes
/// (`datapackage::key`): a self-evaluation added, then removed, changes what they list, and
/// each rebuild still equals a clean build.
#[test]
fn the_data_packages_follow_the_self_evaluations_they_list() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for file in ["a-2020.txt", "b-2020.txt"] {
        let name = (file == "a-2020.txt").then_some("示例区妇联");
        set_mtime(&write_sample(d, &format!("submissions/x/{file}"), name), 0);
    }
    let lists_evaluation = |d: &Path| {
        let site = tree(&d.join("public"));
        let packages: Vec<String> = site
            .iter()
            .filter(|(k, _)| k.ends_with("datapackage.json"))
            .map(|(_, v)| String::from_utf8_lossy(v).into_owned())
            .collect();
        assert_eq!(packages.len(), 2, "the site's and the district's");
        packages
            .iter()
            .map(|p| p.contains("self-evaluation.json") && p.contains("self-evaluations.csv"))
            .collect::<Vec<bool>>()
    };
    assert!(!cached(d, &[]).0);
    assert_eq!(lists_evaluation(d), [false, false]);
    let eval = write(
        d,
        "submissions/x/b-2020-自评.txt",
        crate::self_eval::eval_text(),
    );
    set_mtime(&eval, 10);
    assert!(!cached(d, &[]).0);
    assert_eq!(lists_evaluation(d), [true, true]);
    assert_same_as_clean(d, "after adding a self-evaluation");
    std::fs::remove_file(&eval).unwrap();
    assert!(!cached(d, &[]).0);
    assert_eq!(lists_evaluation(d), [false, false]);
    assert_same_as_clean(d, "after removing it");
}

/// `data/district.json`'s department objects are copied from the published file while what
/// each is made from is unchanged (`dataset::Reuse`): a changed figure is made again, and a
/// published file edited by hand is never copied from.
#[test]
fn district_json_copies_only_unchanged_departments_from_an_intact_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    three_departments_filed_long_ago(d);
    assert!(!cached(d, &[]).0);
    let site_json =
        |d: &Path| std::fs::read_to_string(d.join("public/data/district.json")).unwrap();
    assert!(site_json(d).contains("234.35"));
    // b's actuals of 2019 (income and spending, sums kept): its object changes, the others
    // are copied.
    let b = d.join("submissions/x/b-2020.txt");
    let text = std::fs::read_to_string(&b).unwrap();
    assert_eq!(text.matches("\t234.35\t").count(), 3);
    let text = text
        .replace("\t234.35\t", "\t244.35\t")
        .replacen("\t202.09\t", "\t212.09\t", 1);
    std::fs::write(&b, text).unwrap();
    set_mtime(&b, 10);
    assert!(!cached(d, &[]).0);
    assert!(site_json(d).contains("244.35"), "b's new figure");
    assert_same_as_clean(d, "after changing a figure");
    // The published file edited by hand, its size kept, inside a department's object: the
    // next build makes every object again (and the file equals a clean build's).
    let published = d.join("public/data/district.json");
    let json = site_json(d);
    let list = json.find("\"departments\": [").unwrap();
    let at = list + json[list..].find("234.35").unwrap();
    let mut tampered = json.clone();
    tampered.replace_range(at..at + 6, "999.99");
    std::fs::write(&published, tampered).unwrap();
    let c = d.join("submissions/x/c-2020.txt");
    let text = std::fs::read_to_string(&c).unwrap();
    std::fs::write(&c, text.replacen("提高", "提升", 1)).unwrap();
    set_mtime(&c, 20);
    assert!(!cached(d, &[]).0);
    assert!(
        !site_json(d).contains("999.99"),
        "nothing copied from the edited file"
    );
    assert_same_as_clean(d, "after editing the published file");
}

/// A year's pages are keyed by their departments' keys (`views::YearPlan`), not by their
/// rows: a rebuild after a change that moves a department to another page (and every row
/// after it), a form withheld for an error, and a department whose only form is withheld
/// is still the clean build's site.
#[test]
fn year_pages_keyed_by_their_departments_follow_every_change() {
    use budgetsite::output::views::TABLE_PAGE_ROWS;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let n = TABLE_PAGE_ROWS + 7;
    let put = |name: &str, year: i32, total: i64, broken: bool, step: i64| {
        let mut v = crate::figures::form(name, year, total, "≥90%");
        if broken {
            v["income"]["total"]["budget"] = serde_json::json!(999_999);
        }
        let text = serde_json::to_string_pretty(&v).unwrap();
        let path = write(d, &format!("submissions/示例区/{name}-{year}.json"), text);
        set_mtime(&path, step);
    };
    for i in 0..n {
        put(&format!("示例区单位{i:03}"), 2021, 100 + i as i64, false, 0);
    }
    put("示例区单位005", 2020, 50, false, 0);
    assert_eq!(cached(d, &[]), (false, 0));
    // The smallest department (last on the second page) and the largest (first on the
    // first) swap budgets: the year's totals stay, the rows of both pages move.
    let last = format!("示例区单位{:03}", n - 1);
    put("示例区单位000", 2021, 100 + n as i64 - 1, false, 10);
    put(&last, 2021, 100, false, 10);
    assert_eq!(cached(d, &[]), (false, 0));
    assert_same_as_clean(d, "two departments swapped pages");
    // A form withheld for an error, of a department with another year's form: its row
    // stays and says so.
    put("示例区单位005", 2021, 105, true, 20);
    assert_eq!(cached(d, &[]), (false, 1));
    assert_same_as_clean(d, "a form withheld");
    // A department whose only form is withheld joins the end of the table.
    put("示例区新单位", 2021, 1, true, 30);
    assert_eq!(cached(d, &[]), (false, 1));
    assert_same_as_clean(d, "a department whose only form is withheld");
}

/// The search page is keyed by what its view is made of (`search::page_input`: the districts
/// and every form's search text), not by the view: a rebuild after a form's indicator moves
/// to a category no other form has offers it on the page, as a clean build does; a change
/// outside the search text keeps the page.
#[test]
fn the_search_page_follows_the_categories_of_the_forms() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let put = |name: &str, category: &str, functions: &str, step: i64| {
        let mut v = crate::figures::form(name, 2021, 100, "≥90%");
        v["goals"][0]["indicators"][1]["level1"] = serde_json::json!(category);
        v["functions"] = serde_json::json!([functions]);
        let text = serde_json::to_string_pretty(&v).unwrap();
        let path = write(d, &format!("submissions/示例区/{name}-2021.json"), text);
        set_mtime(&path, step);
    };
    put("示例区甲局", "效益指标", "职能", 0);
    put("示例区乙局", "效益指标", "职能", 0);
    assert_eq!(cached(d, &[]), (false, 0));
    let page = || std::fs::read_to_string(d.join("public/search.html")).unwrap();
    assert!(!page().contains("满意度指标"));
    let before = identity(&d.join("public/search.html"));
    put("示例区乙局", "效益指标", "另一项职能", 10);
    cached(d, &[]);
    assert_eq!(identity(&d.join("public/search.html")), before, "kept");
    put("示例区乙局", "满意度指标", "另一项职能", 20);
    cached(d, &[]);
    assert!(page().contains("满意度指标"), "the new category is offered");
    assert_same_as_clean(d, "an indicator moved to a new category");
}
