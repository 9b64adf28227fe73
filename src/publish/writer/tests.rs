use super::*;

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap()
}

#[test]
fn a_dropped_build_leaves_the_old_site_and_no_staging() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("index.html"), "old").unwrap();
    {
        let w = Writer::whole(&out).unwrap();
        w.write("index.html", 0, b"new").unwrap();
    }
    assert_eq!(read(&out.join("index.html")), "old");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn a_committed_build_replaces_the_site_whole() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("stale.html"), "old").unwrap();
    let w = Writer::whole(&out).unwrap();
    w.write("a/b/index.html", 7, b"new").unwrap();
    let (stats, manifest) = w.commit().unwrap();
    assert_eq!(
        stats,
        WriteStats {
            files: 1,
            bytes: 3,
            changed: 1
        }
    );
    assert_eq!(manifest["a/b/index.html"].key, 7);
    assert!(!out.join("stale.html").exists());
    assert_eq!(read(&out.join("a/b/index.html")), "new");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

/// A site of three files, published whole; returns its manifest.
fn published(out: &Path) -> Manifest {
    let w = Writer::whole(out).unwrap();
    w.write("index.html", 1, b"home").unwrap();
    w.write("a/one.html", 2, b"one").unwrap();
    w.write("b/two.html", 3, b"two").unwrap();
    w.commit().unwrap().1
}

#[test]
fn an_update_touches_only_what_changed_and_removes_what_is_gone() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let manifest = published(&out);
    let w = Writer::update(&out, manifest.clone()).unwrap();
    assert!(w.keep("a/one.html", 2), "same key, untouched file");
    assert!(!w.keep("index.html", 9), "another key");
    w.write("index.html", 9, b"home").unwrap(); // same bytes: left alone
    w.write("c/new.html", 4, b"new").unwrap();
    let (stats, after) = w.commit().unwrap();
    assert_eq!(stats.files, 3);
    assert_eq!(stats.changed, 2, "one written, one removed");
    assert_eq!(after["index.html"].key, 9);
    assert_eq!(after["index.html"].stamp, manifest["index.html"].stamp);
    assert_eq!(read(&out.join("c/new.html")), "new");
    assert!(!out.join("b").exists(), "an emptied folder goes");
    let names: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(names, ["a", "c", "index.html"], "no temporary file left");
}

/// A file written in pieces (`write_with`) is the file `write` writes: the same bytes and
/// manifest entry; in an update, the same bytes leave the published file alone, other
/// bytes replace it, and a producer's error fails the write and leaves the site as it was.
#[test]
fn a_file_written_in_pieces_is_the_file_written_whole() {
    let pieces: [&[u8]; 4] = [b"{\n  \"a\": ", b"12345678901", b"", b"\n}\n"];
    let produce = |w: &mut dyn std::io::Write| pieces.iter().try_for_each(|p| w.write_all(p));
    let whole: Vec<u8> = pieces.concat();
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    let w = Writer::whole(&a).unwrap();
    w.write_with("d/district.json", 5, produce).unwrap();
    let (_, by_pieces) = w.commit().unwrap();
    let w = Writer::whole(&b).unwrap();
    w.write("d/district.json", 5, &whole).unwrap();
    let (_, by_bytes) = w.commit().unwrap();
    assert_eq!(std::fs::read(a.join("d/district.json")).unwrap(), whole);
    let (p, q) = (by_pieces["d/district.json"], by_bytes["d/district.json"]);
    assert_eq!(
        (p.key, p.digest, p.stamp.size),
        (q.key, q.digest, q.stamp.size)
    );
    // An update with the same bytes: left alone (its stamp and change kept).
    let w = Writer::update(&a, by_pieces.clone()).unwrap();
    w.write_with("d/district.json", 6, produce).unwrap();
    let (stats, after) = w.commit().unwrap();
    assert_eq!(stats.changed, 0, "same bytes: nothing written");
    assert_eq!(after["d/district.json"].key, 6);
    assert_eq!(after["d/district.json"].stamp, p.stamp);
    assert_eq!(after["d/district.json"].change, p.change);
    // Other bytes replace it.
    let w = Writer::update(&a, after.clone()).unwrap();
    w.write_with("d/district.json", 6, |w| w.write_all(b"{}\n"))
        .unwrap();
    let (stats, after) = w.commit().unwrap();
    assert_eq!(stats.changed, 1);
    assert_eq!(read(&a.join("d/district.json")), "{}\n");
    assert_eq!(after["d/district.json"].digest, digest(b"{}\n"));
    // A producer that fails: the error comes back and the site stays as it was.
    let w = Writer::update(&a, after).unwrap();
    let failed = w.write_with("d/district.json", 7, |w| {
        w.write_all(b"{\"half\"")?;
        Err(std::io::Error::other("serialiser failed"))
    });
    assert!(matches!(failed, Err(WriteError::Io { .. })), "{failed:?}");
    drop(w);
    assert_eq!(read(&a.join("d/district.json")), "{}\n");
}

/// `replace_with` makes its file once, straight into the site (`write_with` makes a published
/// file into a digest first), and records it as `write_with` does.
#[test]
fn a_replaced_file_is_made_once() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let manifest = published(&out);
    let made = std::sync::atomic::AtomicUsize::new(0);
    let produce = |w: &mut dyn std::io::Write| {
        made.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        w.write_all(b"changes")
    };
    let w = Writer::update(&out, manifest.clone()).unwrap();
    assert!(!w.keep("index.html", 8));
    w.replace_with("index.html", 8, produce).unwrap();
    w.write_with("a/one.html", 9, produce).unwrap();
    let (stats, after) = w.commit().unwrap();
    assert_eq!(
        made.into_inner(),
        3,
        "once replaced, twice written with a check"
    );
    assert_eq!(stats.changed, 3, "two written, b/two.html removed");
    assert_eq!(read(&out.join("index.html")), "changes");
    assert_eq!(after["index.html"].key, 8);
    assert_eq!(after["index.html"].digest, digest(b"changes"));
    assert_eq!(after["index.html"].digest, after["a/one.html"].digest);
}

/// Bytes are compared, not only sizes: a page whose text changed but not its length (a
/// figure `12.5` → `13.5`) is written again, by `write` and by `write_with`.
#[test]
fn other_bytes_of_the_same_length_are_written_again() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let manifest = published(&out);
    let w = Writer::update(&out, manifest).unwrap();
    assert!(w.keep("index.html", 1));
    w.write("a/one.html", 2, b"ONE").unwrap();
    w.write_with("b/two.html", 3, |w| w.write_all(b"TWO"))
        .unwrap();
    let (stats, _) = w.commit().unwrap();
    assert_eq!(stats.changed, 2, "both pages written again");
    assert_eq!(read(&out.join("a/one.html")), "ONE");
    assert_eq!(read(&out.join("b/two.html")), "TWO");
}

#[test]
fn a_file_and_its_folder_are_kept_together_or_not_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let w = Writer::whole(&out).unwrap();
    w.write("s/x.js", 7, b"manifest").unwrap();
    w.write("s/x/w0.js", 7, b"chunk").unwrap();
    w.write("s/x/d0.js", 7, b"record").unwrap();
    w.write("s/xy.js", 8, b"another").unwrap();
    let manifest = w.commit().unwrap().1;
    let w = Writer::update(&out, manifest.clone()).unwrap();
    assert!(!w.keep_with_folder("s/x.js", "s/x/", 6), "another key");
    assert!(w.keep_with_folder("s/x.js", "s/x/", 7));
    assert!(w.keep("s/xy.js", 8));
    let (stats, after) = w.commit().unwrap();
    assert_eq!((stats.files, stats.changed), (4, 0));
    assert_eq!(after, manifest);
    // One file of the folder edited by hand: nothing is kept, all is written again.
    std::fs::write(out.join("s/x/d0.js"), "edited").unwrap();
    let w = Writer::update(&out, after).unwrap();
    assert!(!w.keep_with_folder("s/x.js", "s/x/", 7));
    assert!(
        !w.keep_with_folder("s/none.js", "s/none/", 7),
        "nothing to keep"
    );
    w.write("s/x.js", 7, b"manifest").unwrap();
    w.write("s/x/d0.js", 7, b"record").unwrap();
    w.keep("s/xy.js", 8);
    let (stats, after) = w.commit().unwrap();
    assert_eq!(stats.files, 3, "the chunk not written again is gone");
    assert!(!after.contains_key("s/x/w0.js"));
    assert_eq!(read(&out.join("s/x/d0.js")), "record");
}

#[test]
fn a_failed_update_leaves_the_old_site_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let manifest = published(&out);
    {
        let w = Writer::update(&out, manifest).unwrap();
        w.write("index.html", 1, b"changed").unwrap();
        w.write("new/deep/page.html", 5, b"x").unwrap();
        // dropped without commit: the build failed
    }
    assert_eq!(read(&out.join("index.html")), "home");
    assert!(!out.join("new").exists());
    assert_eq!(read(&out.join("b/two.html")), "two");
    assert_eq!(files_under(&out).unwrap().len(), 3);
}

/// A file edited by hand is written again, an untouched one kept, a stray removed: by an
/// update that stamps the published files at once, and by one whose files were surveyed on
/// a thread of their own (`Survey`, as a build starts it before reading its input).
#[test]
fn a_file_edited_by_hand_is_written_again() {
    for surveyed in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let manifest = published(&out);
        std::fs::write(out.join("a/one.html"), "edited by hand").unwrap();
        std::fs::write(out.join("stray.html"), "not ours").unwrap();
        let w = if surveyed {
            Writer::update_surveyed(&out, manifest, Survey::start(&out)).unwrap()
        } else {
            Writer::update(&out, manifest).unwrap()
        };
        assert!(!w.keep("a/one.html", 2), "surveyed: {surveyed}");
        w.write("a/one.html", 2, b"one").unwrap();
        assert!(w.keep("index.html", 1));
        assert!(w.keep("b/two.html", 3));
        w.commit().unwrap();
        assert_eq!(read(&out.join("a/one.html")), "one");
        assert!(!out.join("stray.html").exists());
        assert_eq!(files_under(&out).unwrap().len(), 3);
    }
}

/// Every file under the output, hidden ones and links too (a link stamped as itself, a
/// linked folder not entered), named from the output with `/`, stamped as `symlink_metadata`
/// stamps it.
#[test]
fn files_under_lists_every_file_with_its_own_stamp() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    for (rel, text) in [
        ("index.html", "home"),
        (".hidden", "x"),
        ("a/b/c.html", "deep"),
        ("a/d.json", "{}"),
    ] {
        let path = out.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(out.join("index.html"), out.join("link.html")).unwrap();
        std::os::unix::fs::symlink(out.join("a"), out.join("folder-link")).unwrap();
    }
    let listed = files_under(&out).unwrap();
    let mut expected = vec![".hidden", "a/b/c.html", "a/d.json", "index.html"];
    if cfg!(unix) {
        expected.extend(["folder-link", "link.html"]);
    }
    expected.sort_unstable();
    assert_eq!(
        listed.keys().map(String::as_str).collect::<Vec<_>>(),
        expected
    );
    for (rel, on_disk) in &listed {
        let meta = std::fs::symlink_metadata(out.join(rel)).unwrap();
        assert_eq!(
            *on_disk,
            (Stamp::of(&meta), crate::files::change_of(&meta)),
            "{rel}"
        );
    }
}

/// The survey's thread lowers its own priority, not the build's: the thread that spawned it
/// keeps its nice value.
#[cfg(target_os = "linux")]
#[test]
fn the_survey_alone_yields_to_the_build() {
    let here = || rustix::process::getpriority_process(None).expect("own nice value");
    let before = here();
    let inside = std::thread::spawn(move || {
        super::below_the_build();
        here()
    })
    .join()
    .expect("thread");
    assert!(inside >= 10, "the survey's nice value: {inside}");
    assert_eq!(here(), before, "the build's own threads keep theirs");
}
