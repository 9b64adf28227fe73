//! Snapshots (insta) of what people read: every diagnostic renderer (`check` as text, JSON and
//! GitHub annotations, for text exports and for the layout fixtures' workbooks, whose findings
//! name the sheet) and
//! the view structs the templates receive for the bundled site's pages. A change shows as a
//! readable diff; accept it with `cargo insta review` (or `INSTA_UPDATE=always cargo test
//! --test it snapshots::`) and say why in the commit.

use budgetsite::analyze::{self, stats};
use budgetsite::config::SiteConfig;
use budgetsite::ingest::IngestOptions;
use budgetsite::output::views;
use budgetsite::report::{self, Format, TextStyle};
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn batch(input: &str) -> budgetsite::Batch {
    let options = IngestOptions {
        names_from_folder: true,
        ..IngestOptions::default()
    };
    let config = SiteConfig::load(&root().join("site.toml"), true).unwrap();
    budgetsite::load::load_with_aliases(&[root().join(input)], &options, &config.aliases()).unwrap()
}

fn rendered(input: &str, format: Format) -> String {
    report::render(&batch(input), format, TextStyle { color: false })
}

#[test]
fn check_in_every_format() {
    for (format, ext) in [
        (Format::Text, "text"),
        (Format::Json, "json"),
        (Format::Github, "github"),
    ] {
        for (input, what) in [
            ("submissions/示例区", "district"),
            ("tests/fixtures/layouts", "workbooks"),
        ] {
            let name = format!("check_{ext}_{what}");
            insta::assert_snapshot!(name.as_str(), rendered(input, format));
        }
    }
}

/// The views of the bundled site's pages: home, 示例区's overview, dashboard and 2022 page, a
/// department with three years, and the report.
#[test]
fn views_of_the_bundled_site() {
    let input = PathBuf::from("submissions");
    let config = SiteConfig::load(&root().join("site.toml"), true).unwrap();
    let batch = batch("submissions");
    let model = analyze::analyze(&batch, &root().join(&input), &config);
    insta::assert_json_snapshot!("view_home", views::home(&model, &config));
    // The bundled site's report is one page.
    let report = views::report(&batch, &model, &config);
    assert_eq!(report.len(), 1);
    insta::assert_json_snapshot!("view_report", report[0]);
    let d = model
        .districts
        .iter()
        .find(|d| d.name == "示例区")
        .expect("示例区");
    let figures = stats::district(d);
    let path = views::district_index(d);
    insta::assert_json_snapshot!(
        "view_district",
        views::district(d, &figures, &config, &path)
    );
    insta::assert_json_snapshot!("view_dashboard", views::dashboard(d, &figures, &config));
    insta::assert_json_snapshot!("view_year_2022", views::year(d, &figures, &config, 2022));
    let (i, dep) = d
        .departments
        .iter()
        .enumerate()
        .find(|(_, dep)| dep.name == "示例区教育局")
        .expect("示例区教育局");
    let ingest = IngestOptions {
        names_from_folder: true,
        ..IngestOptions::default()
    };
    let declarations = dep.declarations(&ingest, &Default::default()).unwrap();
    let refs: Vec<&budgetsite::Declaration> = declarations.iter().map(AsRef::as_ref).collect();
    insta::assert_json_snapshot!(
        "view_department",
        views::department(d, dep, &figures.departments[i], &config, &refs)
    );
}
