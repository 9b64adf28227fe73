//! Byte-identical outputs across refactorings (issue 9): every file of the site built from the
//! bundled `submissions/` and from a generated city with every quirk and error planted, `check`
//! in all three formats (with its exit code) and `convert` of every bundled form, each reduced
//! to its length and a 64-bit FNV-1a digest, compared with `tests/fixtures/identical.txt`.
//!
//! A change that alters output on purpose re-records the manifest with
//! `BUDGETSITE_BLESS=1 cargo test --test it identical::` and says why in its commit; the diff of the
//! manifest shows which outputs moved.

use crate::common;
use budgetsite_gen as generator;

use generator::{generate, GenOptions, Plant, QuirkLevel};
use std::collections::BTreeMap;
use std::path::Path;

/// The test's own digest, so that a change to the project's hasher cannot hide a change in
/// output.
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

type Manifest = BTreeMap<String, (usize, u64)>;

fn record(m: &mut Manifest, key: String, bytes: &[u8]) {
    assert!(
        m.insert(key.clone(), (bytes.len(), fnv(bytes))).is_none(),
        "{key} twice"
    );
}

fn run_and_record(m: &mut Manifest, key: &str, args: &[&str], dir: &Path) {
    let o = common::run(args, dir);
    let mut bytes = o.stdout.clone();
    bytes.extend_from_slice(format!("\nexit {:?}", o.status.code()).as_bytes());
    record(m, key.to_owned(), &bytes);
}

/// `build` into a fresh folder, then every file it wrote.
fn record_site(m: &mut Manifest, prefix: &str, dir: &Path, input: &str) {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let o = common::run(
        &[
            "build",
            "--no-cache",
            "--input",
            input,
            "--output",
            public.to_str().unwrap(),
        ],
        dir,
    );
    assert!(
        o.status.code() == Some(0) || o.status.code() == Some(1),
        "build failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    for (path, bytes) in common::tree(&public) {
        record(m, format!("{prefix}/{path}"), &bytes);
    }
}

fn record_checks(m: &mut Manifest, prefix: &str, dir: &Path, input: &str) {
    for format in ["text", "json", "github"] {
        run_and_record(
            m,
            &format!("{prefix}/check.{format}"),
            &["check", "--format", format, input],
            dir,
        );
    }
}

fn bundled(m: &mut Manifest) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    record_site(m, "bundled/site", root, "submissions");
    record_checks(m, "bundled", root, "submissions");
    let mut forms: Vec<String> = walkdir::WalkDir::new(root.join("submissions"))
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(root)
                .unwrap()
                .to_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    forms.sort();
    for form in forms {
        run_and_record(
            m,
            &format!("bundled/convert/{form}"),
            &["convert", &form],
            root,
        );
    }
}

fn generated(m: &mut Manifest) {
    let dir = tempfile::tempdir().unwrap();
    let options = GenOptions {
        seed: 9,
        departments: 14,
        years: vec![2020, 2021, 2022],
        quirks: QuirkLevel::All,
        plant: Plant::All,
        plant_count: 1,
        json_share: 10,
        renames: 2,
        gaps: 2,
        singletons: 1,
        revisions: 2,
        swings: 3,
        ..GenOptions::default()
    };
    generate(&options, &dir.path().join("城")).unwrap();
    std::fs::copy(
        dir.path().join("城/.truth/aliases.toml"),
        dir.path().join("site.toml"),
    )
    .unwrap();
    record_site(m, "generated/site", dir.path(), "城");
    record_checks(m, "generated", dir.path(), "城");
}

fn manifest_path() -> std::path::PathBuf {
    common::fixtures().join("identical.txt")
}

fn parse(text: &str) -> Manifest {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let mut parts = l.splitn(3, ' ');
            let digest = u64::from_str_radix(parts.next().unwrap(), 16).unwrap();
            let len = parts.next().unwrap().parse().unwrap();
            (parts.next().unwrap().to_owned(), (len, digest))
        })
        .collect()
}

#[test]
fn outputs_are_byte_identical_to_the_recorded_ones() {
    let mut got = Manifest::new();
    bundled(&mut got);
    generated(&mut got);
    if std::env::var_os("BUDGETSITE_BLESS").is_some() {
        let mut text = String::from(
            "# FNV-1a-64 digest, length, output (tests/it/identical.rs; re-record with BUDGETSITE_BLESS=1)\n",
        );
        for (key, (len, digest)) in &got {
            text.push_str(&format!("{digest:016x} {len} {key}\n"));
        }
        std::fs::write(manifest_path(), text).unwrap();
        return;
    }
    let want = parse(&std::fs::read_to_string(manifest_path()).unwrap());
    let mut differ: Vec<String> = Vec::new();
    for key in want.keys().chain(got.keys()) {
        if want.get(key) != got.get(key) && !differ.contains(key) {
            differ.push(key.clone());
        }
    }
    assert!(
        differ.is_empty(),
        "{} outputs differ from tests/fixtures/identical.txt (missing, new or changed):\n{}",
        differ.len(),
        differ
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(got.len() > 300, "only {} outputs recorded", got.len());
}
