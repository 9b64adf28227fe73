use super::*;

/// The tail of a state with nothing published.
fn empty_tail() -> Tail<'static> {
    static PIECES: crate::output::dataset::Pieces = crate::output::dataset::Pieces {
        list_start: 0,
        entries: Vec::new(),
    };
    Tail {
        racy: &[],
        manifest: None,
        districts: 0,
        departments: 0,
        published_forms: 0,
        unpublished_files: 0,
        diagnostics: &[],
        published_departments: 0,
        pieces: &PIECES,
    }
}

fn record(display: &str, size: u64) -> Record {
    Record {
        display: display.into(),
        sheet: Some("表1".into()),
        stamp: Stamp { size, modified: 9 },
        change: 3,
        digest: 4,
        facts: None,
        evaluation: None,
        diagnostics: Vec::new(),
    }
}

/// A state with these records and nothing published.
fn state_with(inputs: u64, records: Vec<Record>) -> State<Record> {
    State {
        inputs,
        started: 2,
        tool: 4,
        site: 5,
        records: records.into(),
        racy: Vec::new(),
        manifest: None,
        districts: 0,
        departments: 0,
        published_forms: 0,
        unpublished_files: 0,
        diagnostics: Vec::new(),
        published_departments: 0,
        pieces: Default::default(),
        file: None,
    }
}

#[test]
fn a_cache_file_with_any_byte_flipped_is_treated_as_absent() {
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::new(dir.path(), &dir.path().join("public"));
    let mut manifest = Manifest::new();
    manifest.insert(
        "index.html".into(),
        crate::publish::writer::PublishedFile {
            key: 7,
            digest: 9,
            stamp: Stamp {
                size: 26895,
                modified: 1,
            },
            change: 8,
        },
    );
    manifest.insert(
        "b/index.html".into(),
        crate::publish::writer::PublishedFile {
            key: 1,
            digest: 2,
            stamp: Stamp {
                size: 3,
                modified: 4,
            },
            change: 5,
        },
    );
    cache.save(&State {
        racy: vec![(PathBuf::from("a.txt"), 3)],
        manifest: Some(manifest),
        districts: 1,
        departments: 2,
        published_forms: 3,
        published_departments: 2,
        ..state_with(1, vec![record("a.txt", 1), record("b.txt", 2)])
    });
    let good = std::fs::read(cache.file()).unwrap();
    assert!(Cache::decode(&good).is_some());
    let body = &good[FORMAT.len() + 17..];
    let state = Cache::decode(&good).unwrap();
    assert_eq!(state.records.list.len(), 2);
    let files: Vec<&String> = state.manifest.as_ref().unwrap().keys().collect();
    assert_eq!(files, ["b/index.html", "index.html"]);
    // Read back and saved again: the same bytes.
    let again = Cache::new(&dir.path().join("again"), &dir.path().join("public"));
    again.save(&state);
    assert_eq!(std::fs::read(again.file()).unwrap(), good);
    let in_body: Vec<Block> = (state.records.blocks.iter())
        .map(|b| Block {
            at: b.at - FORMAT.len() - 17,
            ..*b
        })
        .collect();
    assert_eq!(in_body.len(), 1);
    let sum = checksum(body, &in_body).unwrap();
    assert_eq!(good[FORMAT.len()..FORMAT.len() + 17], sum);
    assert!(!cache.file().with_extension("bin.tmp").exists());
    for i in 0..good.len() {
        for flip in [0x01u8, 0x80, 0xff] {
            let mut bad = good.clone();
            bad[i] ^= flip;
            assert!(Cache::decode(&bad).is_none(), "byte {i} ^ {flip:#x}");
        }
    }
    for len in 0..good.len() {
        assert!(Cache::decode(&good[..len]).is_none(), "cut at {len}");
    }
}

/// A save begun while the site is published and dropped unfinished (the build failed)
/// leaves the last cache as it was and no temporary file.
#[test]
fn a_save_left_unfinished_keeps_the_last_cache() {
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::new(dir.path(), &dir.path().join("public"));
    cache.save(&state_with(1, Vec::new()));
    let head = Head {
        inputs: 9,
        started: 2,
        tool: 4,
        site: 5,
    };
    let saving = cache.begin(&head, &Vec::<Record>::new(), None).unwrap();
    assert!(cache.file().with_extension("bin.tmp").exists());
    drop(saving);
    assert!(!cache.file().with_extension("bin.tmp").exists());
    assert_eq!(cache.load().unwrap().inputs, 1);
    let saving = cache.begin(&head, &Vec::<Record>::new(), None).unwrap();
    saving.finish(&empty_tail());
    assert_eq!(cache.load().unwrap().inputs, 9);
    assert!(!cache.file().with_extension("bin.tmp").exists());
}

/// The cache file is mapped to be read: an empty, a cut or a foreign file at its place
/// loads as no cache (a full build), and one saved over the mapped one while its state is
/// in use leaves that state whole.
#[test]
fn a_mapped_cache_file_that_is_empty_cut_or_replaced_is_read_safely() {
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::new(dir.path(), &dir.path().join("public"));
    let state = |inputs, n: usize| {
        let records = (0..n).map(|i| record(&format!("a/{i}.txt"), i as u64));
        state_with(inputs, records.collect())
    };
    cache.save(&state(1, 300));
    let whole = std::fs::read(cache.file()).unwrap();
    for len in [0, FORMAT.len(), whole.len() / 2, whole.len() - 1] {
        std::fs::write(cache.file(), &whole[..len]).unwrap();
        assert!(cache.load().is_none(), "cut at {len}");
    }
    std::fs::write(cache.file(), b"not a cache file").unwrap();
    assert!(cache.load().is_none());
    std::fs::write(cache.file(), &whole).unwrap();
    let loaded = cache.load().unwrap();
    cache.save(&state(2, 5));
    assert_eq!(cache.load().unwrap().records.list.len(), 5);
    assert_eq!(loaded.inputs, 1);
    assert_eq!(loaded.records.list.len(), 300);
    assert_eq!(loaded.records.list[299].stamp.size, 299);
}

/// Records are read back boxed, and a box is saved as what it holds: a cache saved with
/// plain records reads back the same, and saved again from the boxes is the same file.
#[test]
fn records_read_back_boxed_from_the_bytes_of_plain_ones() {
    let dir = tempfile::tempdir().unwrap();
    let public = dir.path().join("public");
    let (plain_cache, boxed_cache) = (
        Cache::new(&dir.path().join("plain"), &public),
        Cache::new(&dir.path().join("boxed"), &public),
    );
    let plain = State {
        districts: 1,
        departments: 2,
        published_forms: 2,
        ..state_with(1, vec![record("a.txt", 10), record("b.xlsx", 20)])
    };
    plain_cache.save(&plain);
    let boxed: State = plain_cache.load().unwrap();
    let read: Vec<(&str, u64)> = boxed
        .records
        .list
        .iter()
        .map(|r| (r.display.as_str(), r.stamp.size))
        .collect();
    assert_eq!(read, [("a.txt", 10), ("b.xlsx", 20)]);
    boxed_cache.save(&boxed);
    assert_eq!(
        std::fs::read(boxed_cache.file()).unwrap(),
        std::fs::read(plain_cache.file()).unwrap()
    );
}

/// A save copies from the last cache file each block whose records are all, in order,
/// that block's records there (`Reused`), and makes the others: the file reads back with
/// the copied blocks' records as they were read (here other records stand in the build's
/// place, to tell a copied block from a made one) and the made block's as given, and
/// passes its checksum. Records that moved (one inserted before them) are all made.
#[test]
fn unchanged_record_blocks_are_copied_from_the_last_cache_file() {
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::new(dir.path(), &dir.path().join("public"));
    let head = Head {
        inputs: 1,
        started: 2,
        tool: 4,
        site: 5,
    };
    let tail = empty_tail();
    let n = 2 * blocks::BLOCK + 44;
    let old: Vec<Record> = (0..n).map(|i| record(&format!("{i:04}.txt"), 1)).collect();
    cache.begin(&head, &old, None).unwrap().finish(&tail);
    let last = cache.load().unwrap();
    assert_eq!(last.records.blocks.len(), 3);
    let sizes =
        |state: &State| -> Vec<u64> { state.records.list.iter().map(|r| r.stamp.size).collect() };
    // This build's records: all others (size 2); the first and last blocks' said to be
    // the last file's, and all but one of the middle block's.
    let new: Vec<Record> = (0..n).map(|i| record(&format!("{i:04}.txt"), 2)).collect();
    let mut origins: Vec<Option<usize>> = (0..n).map(Some).collect();
    origins[blocks::BLOCK + 5] = None;
    let reused = Reused {
        file: last.file.as_deref().unwrap(),
        blocks: &last.records.blocks,
        origins: &origins,
    };
    cache
        .begin(&head, &new, Some(&reused))
        .unwrap()
        .finish(&tail);
    let read = sizes(&cache.load().unwrap());
    let b = blocks::BLOCK;
    let expected: Vec<u64> = (0..n)
        .map(|i| if (b..2 * b).contains(&i) { 2 } else { 1 })
        .collect();
    assert_eq!(read, expected);
    // One record inserted first: every other one is one place on, nothing is copied.
    let last = cache.load().unwrap();
    let origins: Vec<Option<usize>> = std::iter::once(None).chain((0..n).map(Some)).collect();
    let moved: Vec<Record> = (0..=n).map(|i| record(&format!("{i:04}.txt"), 3)).collect();
    let reused = Reused {
        file: last.file.as_deref().unwrap(),
        blocks: &last.records.blocks,
        origins: &origins,
    };
    cache
        .begin(&head, &moved, Some(&reused))
        .unwrap()
        .finish(&tail);
    assert_eq!(sizes(&cache.load().unwrap()), vec![3; n + 1]);
}

#[test]
fn fingerprints_follow_content_metadata_and_options() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir_all(input.join(".hidden")).unwrap();
    std::fs::write(input.join("a.txt"), "x").unwrap();
    let config = dir.path().join("c.toml");
    let fp = |opts: &str| {
        let (files, problems) = crate::ingest::discover(
            std::slice::from_ref(&input),
            &crate::ingest::IngestOptions::default(),
        )
        .unwrap();
        let (_, config) = crate::config::SiteConfig::read(&config, false).unwrap();
        inputs_fingerprint(&files, &stat_inputs(&files), &problems, 7, config, opts)
    };
    let first = fp("");
    assert_eq!(first, fp(""));
    assert_ne!(first, fp("--strict"));
    std::fs::write(input.join(".hidden/b.txt"), "y").unwrap();
    assert_eq!(first, fp(""), "hidden files are not read by the build");
    std::fs::write(input.join("a.txt"), "xy").unwrap();
    assert_ne!(first, fp(""));
    std::fs::write(&config, "title = \"x\"").unwrap();
    let with_config = fp("");
    assert_ne!(first, with_config, "a config appeared");
    std::fs::write(&config, "title = \"y\"").unwrap();
    assert_ne!(with_config, fp(""));
    let (files, problems) = crate::ingest::discover(
        std::slice::from_ref(&input),
        &crate::ingest::IngestOptions::default(),
    )
    .unwrap();
    assert_ne!(
        inputs_fingerprint(&files, &stat_inputs(&files), &problems, 7, 1, ""),
        inputs_fingerprint(&files, &stat_inputs(&files), &problems, 8, 1, ""),
        "templates"
    );
}
