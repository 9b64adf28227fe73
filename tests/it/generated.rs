//! The reader and the rules against a generated district whose truth is known: every field of
//! every form read exactly (field accuracy), every planted rule found on its file (recall), and
//! nothing reported on a clean form (precision), with every quirk of the form in the mix.

use budgetsite_gen as generator;
#[path = "support/score.rs"]
mod score;

use budgetsite::ingest::IngestOptions;
use generator::{generate, GenOptions, Plant, QuirkLevel};

#[test]
fn a_generated_district_with_every_quirk_reads_exactly_and_every_planted_rule_fires() {
    for quirks in [QuirkLevel::Some, QuirkLevel::All] {
        let options = GenOptions {
            seed: 7,
            departments: 30,
            years: vec![2020, 2021, 2022],
            quirks,
            plant: Plant::All,
            plant_count: 2,
            json_share: 15,
            ..GenOptions::default()
        };
        let dir = tempfile::tempdir().unwrap();
        let truth = generate(&options, dir.path()).unwrap();
        let batch =
            budgetsite::load(&[dir.path().to_path_buf()], &IngestOptions::default()).unwrap();
        let prefix = format!("{}/", dir.path().to_string_lossy().replace('\\', "/"));
        let s = score::score(&truth, &batch.files, &prefix);
        assert!(s.fields > 3_000, "{} fields only", s.fields);
        assert!(s.wrong_fields.is_empty(), "{:#?}", s.wrong_fields);
        assert_eq!(s.fields_right, s.fields);
        assert!(s.missed.is_empty(), "{:#?}", s.missed);
        assert_eq!(s.found, s.planted, "rule recall");
        assert!(s.planted >= 17 * 2 - 2, "{} planted", s.planted);
        assert!(s.clean_files > 30, "{} clean files", s.clean_files);
        assert!(
            s.clean_with_findings.is_empty(),
            "{:#?}",
            s.clean_with_findings
        );
    }
}
