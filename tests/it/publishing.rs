//! Nightly publishing that cannot lose the site (issue 11): refusals that keep the published
//! site (no declaration, vanished input, a site that would shrink by more than half, an
//! output path that is a file), one build at a time, crash safety under injected failures
//! and kills, and a cache that never changes the result.
//!
//! Failures are injected through the `site-io` failpoint, which every write, rename, delete
//! and flush of the site writer passes (`FAILPOINTS=site-io=K*off->return(abort)` kills the
//! process at the K+1-th of them).
//!
//! The builds here (`build`, `build_with`) run with the `no-flush` failpoint: the writer takes
//! every step it would, flushes included (each is still a failpoint step), but skips the
//! `syncfs`/`fsync` calls themselves. A killed process loses nothing it wrote unflushed, only
//! a power loss does, so no check here can tell; the loops' hundreds of builds would otherwise
//! each wait for every dirty page on the disk. Every other test's build, and the random
//! kills below, flush for real.

use crate::common;
use common::*;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Output;

type Tree = BTreeMap<String, Vec<u8>>;

/// `BUDGETSITE_EXHAUSTIVE=1` (a separate step of `.ci/run`) runs the crash-safety loops in
/// full: every failpoint step, 40 kills, every byte of the cache. Without it, `cargo test` runs
/// a fixed sample of each (the same every run), so the suite stays fast enough to mutate.
fn exhaustive() -> bool {
    std::env::var_os("BUDGETSITE_EXHAUSTIVE").is_some_and(|v| v == "1")
}

/// Failpoint steps sampled without `BUDGETSITE_EXHAUSTIVE`: the first `HEAD` steps, every
/// `STRIDE`-th after them (from a phase that differs between the tests' actions), the step at
/// which the build first finishes (found by bisecting the last stride), and the `TAIL` steps
/// before it, where the site is swapped in or the journal applied.
const HEAD: usize = 4;
const STRIDE: usize = 16;
const TAIL: usize = 3;

fn build(dir: &Path, extra: &[&str]) -> Output {
    build_with(dir, extra, "")
}

/// Builds skip the flushes themselves (the module's doc says why).
const NO_FLUSH: &str = "no-flush=return";

fn build_with(dir: &Path, extra: &[&str], failpoints: &str) -> Output {
    let mut args = vec!["build"];
    args.extend_from_slice(extra);
    bin()
        .args(&args)
        .current_dir(dir)
        .env(
            "FAILPOINTS",
            [failpoints, NO_FLUSH]
                .iter()
                .filter(|f| !f.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(";"),
        )
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Three departments of one district.
fn three_departments(d: &Path) {
    write_sample(d, "submissions/x/a-2020.txt", None);
    write_sample(d, "submissions/x/b-2020.txt", Some("示例区妇联"));
    write_sample(d, "submissions/x/c-2020.txt", Some("示例区科协"));
}

/// Entries beside `public` that a build left (the lock file is the build lock, not a
/// leftover).
fn leftovers(d: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public") && n != ".public.lock")
        .collect();
    v.sort();
    v
}

fn copy_dir(from: &Path, to: &Path) {
    let _ = std::fs::remove_dir_all(to);
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let target = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            // With its modification time, as the build cache remembers it.
            std::fs::copy(e.path(), &target).unwrap();
            let t = e.metadata().unwrap().modified().unwrap();
            set_mtime(&target, t);
        }
    }
}

// ---------------------------------------------------------------- finding 1: empty input

#[test]
fn an_empty_input_is_refused_and_the_site_kept() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    three_departments(d);
    assert_eq!(build(d, &[]).status.code(), Some(0));
    let before = tree(&d.join("public"));
    std::fs::create_dir_all(d.join("empty")).unwrap();
    for extra in [&["--strict"][..], &[], &["--no-cache"]] {
        let mut args = vec!["--input", "empty", "--output", "public"];
        args.extend_from_slice(extra);
        let o = build(d, &args);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(stderr(&o).contains("没有找到任何申报表"), "{}", stderr(&o));
        assert!(stderr(&o).contains("--allow-shrink"), "{}", stderr(&o));
        assert_eq!(tree(&d.join("public")), before);
    }
    // A folder of files none of which is a declaration is no better.
    write(d, "junk/readme.txt", "这不是申报表");
    let o = build(d, &["--input", "junk"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(tree(&d.join("public")), before);
    // Asked for, it is published.
    let o = build(d, &["--input", "empty", "--allow-shrink"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(tree(&d.join("public")).len() < before.len());
}

#[test]
fn check_of_a_folder_without_declarations_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("empty")).unwrap();
    let o = run(&["check", "empty"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("没有找到任何申报表"), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
}

#[test]
fn a_site_that_would_lose_more_than_half_its_departments_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    three_departments(d);
    assert_eq!(build(d, &[]).status.code(), Some(0));
    let before = tree(&d.join("public"));
    // 2 of 3 remain: published.
    std::fs::remove_file(d.join("submissions/x/c-2020.txt")).unwrap();
    assert_eq!(build(d, &[]).status.code(), Some(0));
    let two = tree(&d.join("public"));
    assert_ne!(two, before);
    // Put it back, then drop 2 of 3: refused, with or without the cache.
    write_sample(d, "submissions/x/c-2020.txt", Some("示例区科协"));
    assert_eq!(build(d, &[]).status.code(), Some(0));
    let three = tree(&d.join("public"));
    std::fs::remove_file(d.join("submissions/x/b-2020.txt")).unwrap();
    std::fs::remove_file(d.join("submissions/x/c-2020.txt")).unwrap();
    for extra in [&[][..], &["--no-cache"]] {
        let o = build(d, extra);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        let err = stderr(&o);
        assert!(
            err.contains("1 个部门") && err.contains("3 个部门"),
            "{err}"
        );
        assert_eq!(tree(&d.join("public")), three);
    }
    let o = build(d, &["--allow-shrink"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// The cache records how many departments the published site lists, and a `--strict`
/// refusal records the site's (unchanged), not the refused build's: the next build compares
/// with the site as it stands.
#[test]
fn after_a_strict_refusal_the_shrink_check_counts_the_site_as_it_stayed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    three_departments(d);
    assert_eq!(build(d, &[]).status.code(), Some(0));
    let three = tree(&d.join("public"));
    // 2 of 3 and a file that is no form: refused by --strict, the site kept with 3.
    std::fs::remove_file(d.join("submissions/x/c-2020.txt")).unwrap();
    write(d, "submissions/x/junk.txt", "不是申报表");
    let o = build(d, &["--strict"]);
    assert_ne!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(tree(&d.join("public")), three);
    // 1 of the 3 the site lists: refused, though it is half of the refused build's 2.
    std::fs::remove_file(d.join("submissions/x/b-2020.txt")).unwrap();
    std::fs::remove_file(d.join("submissions/x/junk.txt")).unwrap();
    let o = build(d, &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("1 个部门") && err.contains("3 个部门"),
        "{err}"
    );
    assert_eq!(tree(&d.join("public")), three);
}

// ---------------------------------------------------------------- finding 2: input vanishes

#[test]
fn an_input_folder_that_vanishes_mid_run_publishes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    three_departments(d);
    assert_eq!(build(d, &["--no-cache"]).status.code(), Some(0));
    let before = tree(&d.join("public"));
    // The run pauses once it has listed the files; the folder is moved away meanwhile.
    let child = bin()
        .args(["build", "--no-cache"])
        .current_dir(d)
        .env("FAILPOINTS", "load-discovered=sleep(3000)")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    wait_until_locked(&d.join(".public.lock"));
    std::thread::sleep(std::time::Duration::from_millis(500));
    std::fs::rename(d.join("submissions"), d.join("moved")).unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("消失"), "{}", stderr(&o));
    assert_eq!(tree(&d.join("public")), before);
    assert_eq!(leftovers(d), Vec::<String>::new());
}

// ---------------------------------------------------------------- finding 10: output is a file

#[test]
fn an_output_path_that_is_a_file_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    three_departments(d);
    write(d, "public", "my notes");
    let o = build(d, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("不是文件夹"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(d.join("public")).unwrap(),
        "my notes"
    );
    let names: Vec<_> = std::fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(names.is_empty(), "nothing created beside it: {names:?}");
}

// ---------------------------------------------------------------- finding 7: one at a time

fn hold(path: &Path) -> std::fs::File {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let f = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .unwrap();
    f.try_lock().unwrap();
    f
}

/// Waits (at most 10 s) until another process holds the lock file `path`.
fn wait_until_locked(path: &Path) {
    let started = std::time::Instant::now();
    loop {
        let held = std::fs::File::open(path).is_ok_and(|f| match f.try_lock_shared() {
            Ok(()) => false,
            Err(std::fs::TryLockError::WouldBlock) => true,
            Err(e) => panic!("{e}"),
        });
        if held {
            return;
        }
        assert!(
            started.elapsed().as_secs() < 10,
            "the build never took its lock"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[test]
fn a_second_build_is_refused_while_one_runs() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    three_departments(d);
    assert_eq!(build(d, &[]).status.code(), Some(0));
    let before = tree(&d.join("public"));
    write_sample(d, "submissions/x/c-2020.txt", Some("示例区残联"));
    for (lock, extra) in [
        (d.join(".budgetsite/lock"), &[][..]),
        (d.join(".public.lock"), &["--no-cache"][..]),
    ] {
        let held = hold(&lock);
        let o = build(d, extra);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(stderr(&o).contains("另一个 budgetsite 构建正在进行"));
        assert_eq!(tree(&d.join("public")), before);
        assert_eq!(leftovers(d), Vec::<String>::new());
        drop(held);
    }
    // Two real runs: the second, started while the first pauses, is refused (after the
    // lock's second of grace); the first publishes.
    let first = bin()
        .args(["build"])
        .current_dir(d)
        .env("FAILPOINTS", "load-discovered=sleep(4000)")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    wait_until_locked(&d.join(".public.lock"));
    let second = build(d, &[]);
    assert_eq!(second.status.code(), Some(2), "{}", stderr(&second));
    let first = first.wait_with_output().unwrap();
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    assert_ne!(tree(&d.join("public")), before);
    assert_eq!(leftovers(d), Vec::<String>::new());
    // The lock goes with its holder: the next run proceeds.
    assert_eq!(build(d, &[]).status.code(), Some(0));
}

// ---------------------------------------------------------------- findings 3 and 4: crashes

/// A project whose published site (and cache) is the old site `old`, whose inputs now make
/// the new site `new`; `saved` holds the published folder and cache to start each trial from.
struct Trial {
    dir: tempfile::TempDir,
    old: Tree,
    new: Tree,
}

impl Trial {
    /// `change` turns the old inputs into the new ones.
    fn new(change: impl Fn(&Path)) -> Trial {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        three_departments(d);
        assert_eq!(build(d, &[]).status.code(), Some(0));
        let old = tree(&d.join("public"));
        copy_dir(&d.join("public"), &d.join("saved/public"));
        copy_dir(&d.join(".budgetsite"), &d.join("saved/cache"));
        change(d);
        // The new site as a build over the old one writes it (its feeds included).
        seed_changes(&d.join("public"), &d.join("clean"));
        let o = build(d, &["--no-cache", "--output", "clean"]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let new = tree(&d.join("clean"));
        assert_ne!(old, new);
        Trial { dir, old, new }
    }

    fn d(&self) -> &Path {
        self.dir.path()
    }

    /// Back to the published old site and its cache, nothing beside it.
    fn reset(&self) {
        let d = self.d();
        for l in leftovers(d) {
            let p = d.join(l);
            if p.is_dir() {
                std::fs::remove_dir_all(&p).unwrap();
            } else {
                std::fs::remove_file(&p).unwrap();
            }
        }
        copy_dir(&d.join("saved/public"), &d.join("public"));
        copy_dir(&d.join("saved/cache"), &d.join(".budgetsite"));
    }

    /// Which site is published: "old", "new", or a description of the mix.
    fn which(&self) -> String {
        let now = tree(&self.d().join("public"));
        if now == self.old {
            "old".into()
        } else if now == self.new {
            "new".into()
        } else {
            let differs: Vec<_> = now
                .iter()
                .filter(|(k, v)| self.new.get(*k) != Some(v))
                .map(|(k, _)| k.clone())
                .take(5)
                .collect();
            format!("a mix ({} files; first not new: {differs:?})", now.len())
        }
    }

    /// Kills (or fails) the build at every file-system step in turn (with
    /// `BUDGETSITE_EXHAUSTIVE=1`; otherwise at the sample of steps `HEAD`, `STRIDE` and
    /// `TAIL` describe); after each, the published folder (once `recover` ran, as the next run
    /// does first) is the old or the new site exactly, and the next build publishes the new
    /// site. Returns how many steps the build took.
    fn every_step(&self, extra: &[&str], action: &str) -> usize {
        if exhaustive() {
            return self.steps(extra, action, 0..).expect("the build finishes");
        }
        let phase = (extra.concat() + action)
            .bytes()
            .map(usize::from)
            .sum::<usize>()
            % STRIDE;
        let sampled = (0..HEAD).chain((HEAD + phase..).step_by(STRIDE));
        let last = self
            .steps(extra, action, sampled)
            .expect("the build finishes");
        // The first step at which it finishes lies after the sampled step before `last`:
        // bisect (a build killed at step k is killed at every earlier step too).
        let (mut lo, mut hi) = (last.saturating_sub(STRIDE).max(HEAD - 1), last);
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            match self.steps(extra, action, std::iter::once(mid)) {
                Some(_) => hi = mid,
                None => lo = mid,
            }
        }
        // The steps just before it (the swap, the journal, the clean-up); `hi - 1` ran above.
        let tail = hi.saturating_sub(TAIL).max(HEAD)..hi - 1;
        assert_eq!(
            self.steps(extra, action, tail),
            None,
            "{action}: finished before step {hi}"
        );
        hi
    }

    /// `every_step` over the steps `ks` in turn: the first step at which the build finished
    /// and published the new site, or None if none of `ks` was one.
    fn steps(
        &self,
        extra: &[&str],
        action: &str,
        ks: impl Iterator<Item = usize>,
    ) -> Option<usize> {
        let d = self.d();
        for k in ks {
            self.reset();
            let failpoint = if k == 0 {
                format!("site-io={action}")
            } else {
                format!("site-io={k}*off->{action}")
            };
            let o = build_with(d, extra, &failpoint);
            let finished = o.status.code().is_some_and(|c| c < 2);
            // A one-shot failure (`1*`) leaves the old or new site as it ends; a killed run
            // or a lasting failure may leave a journal that the next run completes first.
            if !action.starts_with("1*") {
                budgetsite::publish::writer::recover(&d.join("public")).unwrap();
                assert_eq!(leftovers(d), Vec::<String>::new(), "step {k}");
            }
            let which = self.which();
            assert!(
                which == "old" || which == "new",
                "{action} at step {k}: {which}; {}",
                stderr(&o)
            );
            if !finished {
                assert!(o.status.code() == Some(2) || o.status.code().is_none());
            }
            let next = build(d, extra);
            assert!(
                next.status.code().unwrap() < 2,
                "after step {k}: {}",
                stderr(&next)
            );
            assert_eq!(self.which(), "new", "the run after step {k}");
            assert_eq!(leftovers(d), Vec::<String>::new(), "after step {k}");
            if finished && which == "new" {
                return Some(k);
            }
        }
        None
    }
}

#[test]
fn a_killed_incremental_build_leaves_the_old_or_the_new_site() {
    let trial = Trial::new(|d| {
        write_sample(d, "submissions/x/c-2020.txt", Some("示例区残联"));
        write_sample(d, "submissions/x/e-2020.txt", Some("示例区侨联"));
        std::fs::remove_file(d.join("submissions/x/a-2020.txt")).unwrap();
    });
    let steps = trial.every_step(&[], "return(abort)");
    assert!(steps > 5, "the update took {steps} steps");
}

#[test]
fn a_killed_whole_build_leaves_the_old_or_the_new_site() {
    let trial = Trial::new(|d| {
        write_sample(d, "submissions/x/c-2020.txt", Some("示例区残联"));
    });
    let steps = trial.every_step(&["--no-cache"], "return(abort)");
    assert!(steps > 5, "the build took {steps} steps");
}

/// A disk that fails at one step (or from it on), as a full disk or another I/O error, in an
/// incremental build or a whole one.
fn failing_disk(actions: &[(&[&str], &str)]) {
    let trial = Trial::new(|d| {
        write_sample(d, "submissions/x/c-2020.txt", Some("示例区残联"));
        std::fs::remove_file(d.join("submissions/x/a-2020.txt")).unwrap();
    });
    for (extra, action) in actions {
        let steps = trial.every_step(extra, action);
        assert!(steps > 5, "{action}: the build took {steps} steps");
    }
}

// Two tests, not one, so that the suite's two threads share the work.
#[test]
fn a_failing_disk_at_any_step_of_an_update_leaves_the_old_or_the_new_site() {
    failing_disk(&[(&[], "1*return(enospc)"), (&[], "return(enospc)")]);
}

#[test]
fn a_failing_disk_at_any_step_of_a_whole_build_leaves_the_old_or_the_new_site() {
    failing_disk(&[
        (&["--no-cache"], "1*return"),
        (&["--no-cache"], "return(enospc)"),
    ]);
}

#[test]
fn killed_at_random_instants_the_site_is_old_or_new() {
    // A bigger site, so that the kills land in every phase of the build.
    let trial = Trial::new(|d| {
        for i in 0..30 {
            write_sample(
                d,
                &format!("submissions/x/n{i}-2020.txt"),
                Some(&format!("示例区单位{i}")),
            );
        }
    });
    let d = trial.d();
    let mut seen = BTreeMap::new();
    // 40 kills 15 ms apart; without BUDGETSITE_EXHAUSTIVE every 4th of them (0, 60, …, 540 ms).
    let every = if exhaustive() { 1 } else { 4 };
    for delay in (0..40).step_by(every).map(|i| i * 15) {
        trial.reset();
        let mut child = bin()
            .args(["build"])
            .current_dir(d)
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        budgetsite::publish::writer::recover(&d.join("public")).unwrap();
        let which = trial.which();
        assert!(
            which == "old" || which == "new",
            "killed after {delay} ms: {which}"
        );
        *seen.entry(which).or_insert(0) += 1;
        assert_eq!(leftovers(d), Vec::<String>::new());
    }
    let next = build(d, &[]);
    assert!(next.status.code().unwrap() < 2);
    assert_eq!(trial.which(), "new");
    println!("kills: {seen:?}");
}

// ---------------------------------------------------------------- finding 6: cache bytes

#[test]
fn a_corrupted_cache_never_changes_the_result() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    three_departments(d);
    assert_eq!(build(d, &[]).status.code(), Some(0));
    let cache_file = std::fs::read_dir(d.join(".budgetsite"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "bin"))
        .unwrap();
    let good = std::fs::read(&cache_file).unwrap();
    copy_dir(&d.join("public"), &d.join("saved"));
    // Another form changes, so the next build uses the cache's records of the others.
    write_sample(d, "submissions/x/c-2020.txt", Some("示例区残联"));
    seed_changes(&d.join("public"), &d.join("clean"));
    assert_eq!(
        build(d, &["--no-cache", "--output", "clean"]).status.code(),
        Some(0)
    );
    let clean = tree(&d.join("clean"));
    // With BUDGETSITE_EXHAUSTIVE every offset. Otherwise a fixed sample of each part of the
    // file: the first and last byte of the format tag (19 bytes), every 4th byte of the
    // checksum after it (17 bytes), 8 offsets spread over the body and its last byte. (The
    // unit test in `cache` flips every offset of a whole cache file, in memory.)
    let (tag, sum) = (19, 17);
    let offsets: Vec<usize> = if exhaustive() {
        (0..good.len()).collect()
    } else {
        let body = good.len() - tag - sum;
        [0, tag - 1]
            .into_iter()
            .chain((tag..tag + sum).step_by(4))
            .chain((0..8).map(|j| tag + sum + j * body / 8))
            .chain([good.len() - 1])
            .collect()
    };
    assert!(good.len() > 1_000, "a cache of {} bytes", good.len());
    for &i in &offsets {
        let mut bad = good.clone();
        bad[i] ^= 0x01;
        std::fs::write(&cache_file, &bad).unwrap();
        copy_dir(&d.join("saved"), &d.join("public"));
        let o = build(d, &[]);
        assert_eq!(o.status.code(), Some(0), "byte {i}: {}", stderr(&o));
        assert!(tree(&d.join("public")) == clean, "byte {i} flipped");
        // What was saved back is sound: the next run is unchanged and still clean.
        let o = build(d, &[]);
        assert!(
            stderr(&o).contains("未变化"),
            "byte {i}: the cache was saved back"
        );
        assert!(tree(&d.join("public")) == clean, "byte {i}, next run");
    }
}

// ---------------------------------------------------------------- finding 5: stale stamps

fn set_mtime(p: &Path, t: std::time::SystemTime) {
    std::fs::File::options()
        .write(true)
        .open(p)
        .unwrap()
        .set_modified(t)
        .unwrap();
}

#[test]
fn a_form_changed_with_its_size_and_time_kept_is_read_again() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    three_departments(d);
    let b = d.join("submissions/x/b-2020.txt");
    // An old form (as after `cp -p` or `rsync -t`).
    let then = std::time::SystemTime::now() - std::time::Duration::from_secs(86_400);
    set_mtime(&b, then);
    assert_eq!(build(d, &[]).status.code(), Some(0));
    let before = tree(&d.join("public"));
    // The same size, the same time: the department's name changes.
    let text = std::fs::read_to_string(&b).unwrap();
    let edited = text.replace("示例区妇联", "示例区侨联");
    assert_eq!(text.len(), edited.len());
    assert_ne!(text, edited);
    std::fs::write(&b, &edited).unwrap();
    set_mtime(&b, then);
    let o = build(d, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stderr(&o).contains("未变化"), "the edit is seen");
    seed_changes(&d.join("public"), &d.join("clean"));
    let o = build(d, &["--no-cache", "--output", "clean"]);
    assert_eq!(o.status.code(), Some(0));
    let after = tree(&d.join("public"));
    assert!(after != before && after == tree(&d.join("clean")));
    // Editing another form of that department later does not make builds fail.
    std::fs::write(&b, &text).unwrap();
    set_mtime(&b, then);
    assert_eq!(build(d, &[]).status.code(), Some(0));
    write_sample(d, "submissions/x/b-2021.txt", Some("示例区妇联"));
    let o = build(d, &[]);
    assert!(o.status.code().unwrap() < 2, "{}", stderr(&o));
    let o = build(d, &[]);
    assert!(o.status.code().unwrap() < 2, "{}", stderr(&o));
}

#[test]
fn a_journal_cut_short_is_ignored_and_leftovers_are_removed() {
    // A leftover journal that was cut short is ignored and removed, not half-applied.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    three_departments(d);
    assert_eq!(build(d, &[]).status.code(), Some(0));
    let before = tree(&d.join("public"));
    write(
        d,
        ".public.journal",
        "budgetsite-journal-1\n0000\n{\"from\":",
    );
    std::fs::create_dir_all(d.join(".public.update-999999")).unwrap();
    std::fs::create_dir_all(d.join(".public.building-999999/x")).unwrap();
    let r = budgetsite::publish::writer::recover(&d.join("public")).unwrap();
    assert!(!r.replayed);
    assert_eq!(r.removed, 2);
    assert_eq!(tree(&d.join("public")), before);
    assert_eq!(leftovers(d), Vec::<String>::new());
}

// ---------------------------------------------------------------- finding 8: field limits

#[test]
fn one_over_long_form_stays_one_bad_form() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    three_departments(d);
    let long = "长".repeat(40_000);
    write_sample(d, "submissions/x/long-2020.txt", Some(&long));
    let (code, report) = check_json(d, &["submissions"]);
    assert_eq!(code, 1);
    assert!(
        codes(&report).contains(&(
            "submissions/x/long-2020.txt".to_owned(),
            "field-too-long".to_owned()
        )),
        "{report}"
    );
    let o = build(d, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("long-2020.txt") && err.contains("field-too-long"),
        "{err}"
    );
    let site = tree(&d.join("public"));
    let pages = site.keys().filter(|k| k.ends_with(".html")).count();
    assert_eq!(
        pages, 10,
        "the three others are published (with the search page)"
    );
    assert!(!site
        .values()
        .any(|v| String::from_utf8_lossy(v).contains(&long[..300])));
}

// ---------------------------------------------------------------- finding 9: districts

#[test]
fn two_districts_never_share_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Forms directly in the input make the district `本级`; so does the folder `本级`.
    write_sample(d, "submissions/a-2020.txt", Some("示例区妇联"));
    write_sample(d, "submissions/本级/b-2020.txt", Some("示例区科协"));
    // Two folders with one display name.
    write_sample(d, "submissions/甲/c-2020.txt", Some("示例区残联"));
    write_sample(d, "submissions/乙/d-2020.txt", Some("示例区侨联"));
    write(
        d,
        "site.toml",
        "[districts.\"甲\"]\ndisplay_name = \"同名区\"\n[districts.\"乙\"]\ndisplay_name = \"同名区\"\n",
    );
    let o = build(d, &["--no-cache"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let site = tree(&d.join("public"));
    let overviews: Vec<&String> = site
        .keys()
        .filter(|k| k.ends_with("/index.html") && k.matches('/').count() == 1)
        .collect();
    assert_eq!(overviews.len(), 4, "{overviews:?}");
    // Each district's data names its own department only.
    let data: Vec<String> = site
        .iter()
        .filter(|(k, _)| k.ends_with("/data/district.json") && k.matches('/').count() == 2)
        .map(|(_, v)| String::from_utf8_lossy(v).into_owned())
        .collect();
    assert_eq!(data.len(), 4);
    for name in ["示例区妇联", "示例区科协", "示例区残联", "示例区侨联"] {
        assert_eq!(
            data.iter().filter(|j| j.contains(name)).count(),
            1,
            "{name}"
        );
    }
    // Deterministic: a second clean build is byte-identical.
    let o = build(d, &["--no-cache", "--output", "again"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(tree(&d.join("again")) == site);
}

// ---------------------------------------------------------------- finding 11: runs anywhere

#[test]
fn the_config_beside_the_input_is_used_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_sample(d, "project/submissions/x/a-2020.txt", None);
    write(d, "project/site.toml", "title = \"项目旁的配置\"\n");
    std::fs::create_dir_all(d.join("elsewhere")).unwrap();
    let o = run(
        &[
            "build",
            "--input",
            "../project/submissions",
            "--output",
            "../out",
        ],
        &d.join("elsewhere"),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("配置文件：") && stderr(&o).contains("site.toml"));
    let home = std::fs::read_to_string(d.join("out/index.html")).unwrap();
    assert!(home.contains("项目旁的配置"));
    // `check` finds it too (its aliases matter there).
    let o = run(&["check", "../project/submissions"], &d.join("elsewhere"));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // None anywhere: said so.
    std::fs::remove_file(d.join("project/site.toml")).unwrap();
    let o = run(
        &[
            "build",
            "--input",
            "../project/submissions",
            "--output",
            "../out",
        ],
        &d.join("elsewhere"),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("未找到配置文件"), "{}", stderr(&o));
}

#[test]
fn init_writes_a_project_that_builds() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let o = run(&["init", "proj"], d);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let p = d.join("proj");
    for f in ["site.toml", ".github/workflows/nightly.yml", ".gitignore"] {
        assert!(p.join(f).is_file(), "{f}");
    }
    assert!(
        !p.join("site-templates").exists(),
        "templates only when asked"
    );
    let o = run(&["build"], &p);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let home = std::fs::read_to_string(p.join("public/index.html")).unwrap();
    assert!(home.contains("示例数据"), "the sample district is marked");
    let workflow = std::fs::read_to_string(p.join(".github/workflows/nightly.yml")).unwrap();
    assert!(workflow.contains("schedule") && workflow.contains("deploy-pages"));
    // Never overwrites.
    let o = run(&["init", "proj"], d);
    assert_eq!(o.status.code(), Some(2));
    // With the templates: the same site.
    let o = run(&["init", "--templates", "proj2"], d);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(d.join("proj2/site-templates/base.html").is_file());
    assert!(d.join("proj2/site-templates/static/style.css").is_file());
    let o = run(&["build"], &d.join("proj2"));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(tree(&d.join("proj2/public")) == tree(&p.join("public")));
}

#[test]
fn a_published_page_edited_with_its_size_and_time_kept_is_written_again() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    three_departments(d);
    assert_eq!(build(d, &[]).status.code(), Some(0));
    // An incremental update first, so renamed files are covered too.
    write_sample(d, "submissions/x/c-2020.txt", Some("示例区残联"));
    assert_eq!(build(d, &[]).status.code(), Some(0));
    let published = tree(&d.join("public"));
    for page in published.keys().filter(|k| k.ends_with(".html")) {
        let p = d.join("public").join(page);
        let before = std::fs::metadata(&p).unwrap().modified().unwrap();
        let bytes = std::fs::read(&p).unwrap();
        let mut edited = bytes.clone();
        let at = edited.len() / 2;
        edited[at] = if edited[at] == b'x' { b'y' } else { b'x' };
        std::fs::write(&p, &edited).unwrap();
        set_mtime(&p, before);
        let o = build(d, &[]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(!stderr(&o).contains("未变化"), "{page}: the edit is seen");
        assert!(
            tree(&d.join("public")) == published,
            "{page} is written again"
        );
    }
}
