//! Every number the site publishes, against an oracle computed from the generator's truth
//! alone (`examples/gen_district/oracle.rs`), for a generated city with every quirk, rename,
//! gap, singleton, revision and planted error: the year tables as CSV and as XLSX (every cell,
//! read back with calamine), the department pages' year tables, charts (labels read back from
//! the SVG's text, values from the chart's data table) and quality scores, and the dashboard's
//! year totals, top-10 share, growth quartiles, outliers and score board.

use crate::common;
use budgetsite_gen as generator;
use budgetsite_gen::oracle;

use budgetsite::build::{build, BuildOptions};
use common::html::{between, data_values, number, rows, svg_texts};
use generator::{generate, GenOptions, Plant, QuirkLevel, Truth};
use rust_decimal::Decimal;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// A 5-year city of 36 departments with every quirk and every rule planted, 3 renames (joined
/// by `[aliases]`), 3 gap years, 3 singletons and 3 revised actuals, built once for all tests.
struct Site {
    _dir: tempfile::TempDir,
    truth: Truth,
    public: PathBuf,
    /// The district's folder in the site (`<slug>/`).
    district: String,
    /// Department name → page path.
    pages: BTreeMap<String, String>,
}

fn site() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in");
        let options = GenOptions {
            seed: 23,
            departments: 36,
            years: vec![2019, 2020, 2021, 2022, 2023],
            quirks: QuirkLevel::All,
            plant: Plant::All,
            plant_count: 1,
            json_share: 10,
            renames: 3,
            gaps: 3,
            singletons: 3,
            revisions: 3,
            swings: 8,
            ..GenOptions::default()
        };
        let truth = generate(&options, &input).unwrap();
        let config = dir.path().join("site.toml");
        std::fs::copy(input.join(".truth/aliases.toml"), &config).unwrap();
        let public = dir.path().join("public");
        let outcome = build(&BuildOptions {
            input,
            output: public.clone(),
            config,
            config_required: true,
            ..BuildOptions::default()
        })
        .unwrap();
        assert!(outcome.written.is_some());
        let json: Value = serde_json::from_str(&read(&public, "data/district.json")).unwrap();
        let pages: BTreeMap<String, String> = json["departments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (
                    d["department"].as_str().unwrap().to_owned(),
                    d["page"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        let first = pages.values().next().unwrap();
        let district = first[..=first.find('/').unwrap()].to_owned();
        Site {
            _dir: dir,
            truth,
            public,
            district,
            pages,
        }
    })
}

#[track_caller]
fn read(public: &Path, rel: &str) -> String {
    std::fs::read_to_string(public.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn r2(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        .normalize()
}

/// The 17 columns of a year-table row as the oracle wants them (numbers to 2 places), with the
/// warning count as "0" or "some".
fn want_cells(r: &oracle::YearRow) -> Vec<String> {
    let s = |d: Option<Decimal>| d.map(|d| format!("{:.2}", r2(d))).unwrap_or_default();
    // A figure the form left blank is an empty cell, never 0.00.
    let [income, fiscal, other, spending, basic, project] = r.budget.published();
    vec![
        r.department.clone(),
        r.year.to_string(),
        s(income),
        s(fiscal),
        s(other),
        s(spending),
        s(basic),
        s(project),
        s(r.basic_share),
        s(r.project_share),
        s(r.fiscal_dependence),
        s(r.growth),
        s(r.actual_expenditure),
        s(r.execution),
        r.indicators.to_string(),
        s(Some(r.score)),
        if r.warned { "some" } else { "0" }.to_owned(),
    ]
}

const YEAR_TABLE_HEADER: [&str; 17] = [
    "部门",
    "预算年度",
    "收入合计（万元）",
    "财政拨款（万元）",
    "其他资金（万元）",
    "支出合计（万元）",
    "基本支出（万元）",
    "项目支出（万元）",
    "基本支出占比（%）",
    "项目支出占比（%）",
    "财政拨款依赖度（%）",
    "预算增长率（%）",
    "实际支出（万元）",
    "预算执行率（%）",
    "绩效指标数",
    "目标质量得分（0–100）",
    "质量提示数",
];

/// The warnings cell as "0" or "some", so the oracle need not count the findings.
fn warnings_cell(mut cells: Vec<String>) -> Vec<String> {
    if let Some(w) = cells.get_mut(16) {
        if w != "0" {
            *w = "some".to_owned();
        }
    }
    cells
}

fn csv_rows(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    let text = std::str::from_utf8(bytes).unwrap();
    let text = text.strip_prefix('\u{feff}').expect("a BOM");
    let mut lines = text.split("\r\n").filter(|l| !l.is_empty()).map(|l| {
        // Generated names hold no comma or quote: a plain split is exact here.
        assert!(!l.contains('"'), "{l}");
        l.split(',').map(str::to_owned).collect::<Vec<_>>()
    });
    let header = lines.next().unwrap();
    (header, lines.map(warnings_cell).collect())
}

fn xlsx_rows(bytes: Vec<u8>) -> (Vec<String>, Vec<Vec<String>>) {
    use calamine::{Data, Reader};
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let sheet = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&sheet).unwrap();
    let mut it = range.rows().map(|r| {
        r.iter()
            .enumerate()
            .map(|(c, cell)| match cell {
                Data::Empty => String::new(),
                Data::String(s) => s.clone(),
                // Money and percentages are numbers with 2 places; the year and the counts
                // (columns 1, 14, 16) are integers.
                Data::Float(f) if [1, 14, 16].contains(&c) => {
                    assert_eq!(f.fract(), 0.0, "column {c}: {f}");
                    format!("{f:.0}")
                }
                Data::Float(f) => format!("{f:.2}"),
                Data::Int(i) => i.to_string(),
                other => panic!("unexpected cell {other:?}"),
            })
            .collect::<Vec<_>>()
    });
    let header = it.next().unwrap();
    (header, it.map(warnings_cell).collect())
}

#[test]
fn year_tables_csv_and_xlsx_hold_the_oracles_figures_in_every_cell() {
    let s = site();
    let years = oracle::form_years(&s.truth);
    assert_eq!(years, vec![2019, 2020, 2021, 2022, 2023]);
    let mut cells = 0;
    let mut growth_negative = 0;
    for &year in &years {
        let want = oracle::year_rows(&s.truth, year);
        let mut want_rows: Vec<Vec<String>> = want.values().map(want_cells).collect();
        want_rows.sort();
        for ext in ["csv", "xlsx"] {
            let rel = format!("{}years/{year}/departments.{ext}", s.district);
            let bytes = std::fs::read(s.public.join(&rel)).unwrap();
            let (header, mut got) = if ext == "csv" {
                csv_rows(&bytes)
            } else {
                xlsx_rows(bytes)
            };
            assert_eq!(header, YEAR_TABLE_HEADER, "{rel}");
            got.sort();
            assert_eq!(got.len(), want_rows.len(), "{rel}: rows");
            for (g, w) in got.iter().zip(&want_rows) {
                assert_eq!(g, w, "{rel}: row of {}", w[0]);
                cells += g.len();
            }
        }
        growth_negative += want
            .values()
            .filter(|r| r.growth.is_some_and(|g| g.is_sign_negative()))
            .count();
    }
    assert!(cells > 1_000, "{cells} cells");
    assert!(growth_negative > 0, "no falling budget in the city");
    // The district's download is the latest year's table.
    let latest = years.last().unwrap();
    for ext in ["csv", "xlsx"] {
        assert_eq!(
            std::fs::read(
                s.public
                    .join(format!("{}data/departments.{ext}", s.district))
            )
            .unwrap(),
            std::fs::read(
                s.public
                    .join(format!("{}years/{latest}/departments.{ext}", s.district))
            )
            .unwrap()
        );
    }
}

/// The figure with `id` in a page: (its SVG, its data table's rows, its summary).
fn chart<'a>(page: &'a str, id: &str) -> (&'a str, Vec<Vec<String>>, String) {
    let fig = between(
        page,
        &format!("<figure class=\"chart-figure\" id=\"{id}\">"),
        "</figure>",
    );
    let svg = between(fig, "<svg", "</svg>");
    let summary = common::html::text(between(fig, "<p class=\"chart-summary\">", "</p>"));
    (svg, rows(fig), summary)
}

/// `1234.5` → `1,234.50`.
fn thousands(v: Decimal) -> String {
    let s = format!("{:.2}", r2(v));
    let (int, frac) = s.split_once('.').unwrap();
    let (sign, int) = int.strip_prefix('-').map_or(("", int), |i| ("-", i));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("{sign}{out}.{frac}")
}

fn year_label(y: i32) -> String {
    format!("{y}年")
}

#[test]
fn department_pages_show_the_oracles_years_charts_and_scores() {
    let s = site();
    let scores = oracle::form_scores(&s.truth);
    let mut checked_years = 0;
    let mut checked_forms = 0;
    let mut measurable_forms = 0;
    for d in &s.truth.expected_district.departments {
        let page = read(&s.public, &s.pages[&d.department]);
        let what = &d.department;
        // 历年预算与实际: latest year first.
        let table = between(&page, "<h2 id=\"trend-h\">", "</table>");
        let got = rows(table);
        let want: Vec<Vec<Option<String>>> = d
            .series
            .iter()
            .rev()
            .map(|(&y, p)| {
                let b = p.budget;
                let prev = d.series.get(&(y - 1)).and_then(|q| q.budget);
                let f = |v: Option<Decimal>| v.map(|v| r2(v).to_string());
                vec![
                    Some(year_label(y)),
                    f(b.map(|b| b.income_total)),
                    f(b.map(|b| b.expenditure_total)),
                    f(p.actual.map(|a| a.expenditure_total)),
                    f(b.zip(prev)
                        .and_then(|(b, p)| oracle::growth(b.income_total, p.income_total))),
                    f(b.zip(p.actual).and_then(|(b, a)| {
                        oracle::percent(a.expenditure_total, b.expenditure_total)
                    })),
                    f(b.and_then(|b| oracle::percent(b.fiscal_appropriation, b.income_total))),
                    f(b.and_then(|b| oracle::percent(b.basic, b.expenditure_total))),
                ]
            })
            .collect();
        let got: Vec<Vec<Option<String>>> = got
            .iter()
            .map(|r| {
                r.iter()
                    .enumerate()
                    .map(|(i, c)| {
                        if i == 0 {
                            Some(c.clone())
                        } else {
                            number(c).map(|v| v.to_string())
                        }
                    })
                    .collect()
            })
            .collect();
        assert_eq!(got, want, "{what}: year table");
        checked_years += want.len();

        // The budget-vs-actual chart: the year labels drawn in the SVG, the values of its data
        // table, and its text alternative naming the years it covers.
        let (svg, table, summary) = chart(&page, "chart-years");
        let labels: Vec<String> = d.series.keys().map(|&y| year_label(y)).collect();
        // A label too wide for its slot is drawn on two lines (`2019` and `年`): the labels
        // are compared as the run of text they make, in drawing order.
        let drawn = svg_texts(svg).concat();
        let axis: String = labels.concat();
        assert!(
            drawn.contains(&axis),
            "{what}: year labels {axis} not drawn in the SVG: {drawn}"
        );
        let want_table: Vec<Vec<Option<String>>> = d
            .series
            .iter()
            .map(|(&y, p)| {
                vec![
                    Some(year_label(y)),
                    p.budget.map(|b| r2(b.expenditure_total).to_string()),
                    p.actual.map(|a| r2(a.expenditure_total).to_string()),
                ]
            })
            .collect();
        let got_table: Vec<Vec<Option<String>>> = table
            .iter()
            .map(|r| {
                vec![
                    Some(r[0].clone()),
                    number(&r[1]).map(|v| v.to_string()),
                    number(&r[2]).map(|v| v.to_string()),
                ]
            })
            .collect();
        assert_eq!(got_table, want_table, "{what}: chart data");
        // The text alternative names the largest value and its year (first maximum of the
        // budget series, then of the actual series).
        let values = d
            .series
            .iter()
            .filter_map(|(&y, p)| Some((y, "预算支出", p.budget?.expenditure_total)))
            .chain(
                d.series
                    .iter()
                    .filter_map(|(&y, p)| Some((y, "实际支出", p.actual?.expenditure_total))),
            );
        let (y, series, v) = values
            .fold(None, |best: Option<(i32, &str, Decimal)>, cur| match best {
                Some(b) if b.2 >= cur.2 => Some(b),
                _ => Some(cur),
            })
            .unwrap();
        let want = format!(
            "{what}历年预算与实际支出（万元）。{y}年{series}最高，为 {} 万元。",
            thousands(v)
        );
        assert_eq!(summary, want, "{what}: chart summary");

        // Each form's quality line: score (1 place), goals, indicators.
        for part in page.split("<article class=\"form\"").skip(1) {
            let year: i32 = between(part, "<h2 id=", "年度部门整体支出绩效目标")
                .rsplit('>')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            let line = common::html::text(between(part, "<p class=\"quality\">", "</p>"));
            let want = &scores[&(d.department.clone(), year)];
            let expect = format!(
                "目标质量得分 {:.1} / 100：{} 个年度目标、{} 项指标",
                want.score_1, want.goals, want.indicators
            );
            assert!(
                line.starts_with(&expect),
                "{what} {year}: {line:?} vs {expect:?}"
            );
            checked_forms += 1;
            measurable_forms += usize::from(want.measurable > 0);
        }
    }
    assert!(checked_years > 100, "{checked_years}");
    assert!(checked_forms > 100, "{checked_forms}");
    assert!(
        measurable_forms > 50,
        "{measurable_forms} forms with measurable targets"
    );
}

#[test]
fn the_dashboard_shows_the_oracles_totals_spread_outliers_and_scores() {
    let s = site();
    let page = read(&s.public, &format!("{}dashboard.html", s.district));
    let t = &s.truth.expected_district;

    // 历年汇总: year, departments, budget, actual, execution, growth, basic, project,
    // dependence, top-10 share.
    let got = rows(between(&page, "<h2 id=\"years-h\">", "</table>"));
    let want: Vec<Vec<Option<String>>> = t
        .years
        .iter()
        .map(|(&y, p)| {
            let b = p.budget;
            let prev = t.years.get(&(y - 1)).and_then(|q| q.budget);
            let f = |v: Option<Decimal>| v.map(|v| r2(v).to_string());
            vec![
                Some(year_label(y)),
                // A year known only from later forms' actuals has no department reporting:
                // shown as — (issue 12), not 0.
                Some(if p.departments == 0 {
                    "—".to_owned()
                } else {
                    p.departments.to_string()
                }),
                f(b.map(|b| b.expenditure_total)),
                f(p.actual.map(|a| a.expenditure_total)),
                f(b.zip(p.actual)
                    .and_then(|(b, a)| oracle::percent(a.expenditure_total, b.expenditure_total))),
                f(b.zip(prev)
                    .and_then(|(b, p)| oracle::growth(b.income_total, p.income_total))),
                f(b.and_then(|b| oracle::percent(b.basic, b.expenditure_total))),
                f(b.and_then(|b| oracle::percent(b.project, b.expenditure_total))),
                f(b.and_then(|b| oracle::percent(b.fiscal_appropriation, b.income_total))),
                f(oracle::top_share(&s.truth, y)),
            ]
        })
        .collect();
    let got: Vec<Vec<Option<String>>> = got
        .iter()
        .map(|r| {
            r.iter()
                .enumerate()
                .map(|(i, c)| match i {
                    0 | 1 => Some(c.clone()),
                    _ => number(c).map(|v| v.to_string()),
                })
                .collect()
        })
        .collect();
    let mut got_sorted = got.clone();
    got_sorted.sort();
    assert_eq!(got_sorted, want, "dashboard year totals");
    // Top-10 share is below 100 % in a year with more than 10 departments.
    assert!(want
        .iter()
        .any(|r| r[9].as_deref().is_some_and(|v| v != "100")));

    // The spread of budget growth: count, min, Q1, median, Q3, max.
    let got = rows(between(&page, "<h2 id=\"spread-h\">", "</table>"));
    let want: Vec<Vec<String>> = t
        .years
        .keys()
        .filter_map(|&y| {
            let (count, q) = oracle::growth_spread(&s.truth, y)?;
            let mut r = vec![year_label(y), count.to_string()];
            r.extend(q.iter().map(|v| format!("{v:.2}%")));
            Some(r)
        })
        .collect();
    let mut got: Vec<Vec<String>> = got
        .into_iter()
        .map(|r| r.into_iter().map(|c| c.replace(',', "")).collect())
        .collect();
    got.sort();
    assert_eq!(got, want, "growth quartiles");
    assert!(want.len() >= 3);

    // Outliers, both directions of growth and of execution.
    let got = rows(between(&page, "<h2 id=\"outliers-h\">", "</section>"));
    let mut got: Vec<oracle::Outlier> = got
        .iter()
        .map(|r| {
            let kind = match r[2].as_str() {
                "预算增长异常" => "预算增长异常",
                "执行率异常" => "执行率异常",
                k => panic!("unknown kind {k}"),
            };
            (
                r[0].parse().unwrap(),
                r[1].clone(),
                kind,
                number(&r[3]).unwrap(),
            )
        })
        .collect();
    got.sort();
    let want = oracle::outliers(&s.truth);
    assert_eq!(got, want, "outliers");
    let count = |kind: &str, negative: bool| {
        want.iter()
            .filter(|o| o.2 == kind && (o.3 < Decimal::ZERO || o.3 < Decimal::from(80)) == negative)
            .count()
    };
    assert!(
        count("预算增长异常", true) > 0,
        "no shrinking budget flagged"
    );
    assert!(
        count("预算增长异常", false) > 0,
        "no growing budget flagged"
    );
    assert!(count("执行率异常", true) > 0 || count("执行率异常", false) > 0);
    assert!(page.contains(&format!("异常情况（{}）", want.len())));

    // Score board: each department's latest form.
    let got = rows(between(&page, "<h2 id=\"score-h\">", "</table>"));
    let latest = oracle::latest_scores(&s.truth);
    assert_eq!(got.len(), latest.len(), "score board rows");
    for r in &got {
        let (year, sc) = &latest[&r[0]];
        let per_goal = (sc.goals > 0)
            .then(|| oracle::ratio(sc.indicators as i128, sc.goals as i128, 1).to_string());
        let share = (sc.indicators > 0).then(|| {
            format!(
                "{:.2}%",
                oracle::ratio(sc.measurable as i128 * 100, sc.indicators as i128, 2)
            )
        });
        let want = vec![
            r[0].clone(),
            year.to_string(),
            format!("{:.1}", sc.score_1),
            sc.goals.to_string(),
            sc.indicators.to_string(),
            per_goal.unwrap_or_else(|| "—".to_owned()),
            share.unwrap_or_else(|| "—".to_owned()),
            sc.coverage.to_string(),
        ];
        assert_eq!(r, &want, "score board row of {}", r[0]);
    }
    // The score's parts are exercised: some forms score above 50 (measurable targets weigh
    // half the score).
    assert!(latest.values().any(|(_, sc)| sc.score > Decimal::from(50)));
}

#[test]
fn year_pages_show_the_oracles_rows_and_sort_values() {
    let s = site();
    let (mut checked, mut withheld_rows) = (0, 0);
    for year in oracle::form_years(&s.truth) {
        let page = read(&s.public, &format!("{}years/{year}/index.html", s.district));
        let want = oracle::year_rows(&s.truth, year);
        let table = between(&page, "<table class=\"sortable data\">", "</table>");
        let (shown, values) = (rows(table), data_values(table));
        // The year's withheld forms stand in its table too, one row a department, no figures.
        let withheld = shown
            .iter()
            .filter(|cells| cells.last().is_some_and(|s| s == "有错误，未发布"))
            .count();
        assert_eq!(
            withheld,
            oracle::withheld_in(&s.truth, year).len(),
            "{year}: withheld"
        );
        withheld_rows += withheld;
        assert_eq!(shown.len(), want.len() + withheld, "{year}: rows");
        let published = shown
            .iter()
            .zip(&values)
            .filter(|(cells, _)| cells.last().is_some_and(|s| s != "有错误，未发布"));
        for (cells, values) in published {
            let w = &want[&cells[0]];
            let b = &w.budget;
            let two = |d: Option<Decimal>| d.map(r2);
            // Shown: money and percentages (2 places), the score (1 place), the status.
            let got: Vec<Option<Decimal>> = cells[1..8].iter().map(|c| number(c)).collect();
            let score_1 = oracle::form_scores(&s.truth)[&(w.department.clone(), year)].score_1;
            assert_eq!(
                got,
                vec![
                    two(Some(b.income_total)),
                    two(Some(b.expenditure_total)),
                    two(w.basic_share),
                    two(w.fiscal_dependence),
                    two(w.growth),
                    two(w.execution),
                    Some(score_1.normalize()),
                ],
                "{year} {}",
                w.department
            );
            // A clean form passes; one with planted warnings shows how many.
            if w.warned {
                assert!(
                    cells[8].ends_with("条提示"),
                    "{year} {}: {}",
                    w.department,
                    cells[8]
                );
            } else {
                assert_eq!(cells[8], "通过", "{year} {}", w.department);
            }
            // The machine-readable sort values: 2 places, empty when there is no figure.
            let plain = |d: Option<Decimal>| d.map(|d| format!("{:.2}", r2(d))).unwrap_or_default();
            assert_eq!(
                values,
                &vec![
                    plain(Some(b.income_total)),
                    plain(Some(b.expenditure_total)),
                    plain(w.basic_share),
                    plain(w.fiscal_dependence),
                    plain(w.growth),
                    plain(w.execution),
                    plain(Some(w.score)),
                ],
                "{year} {}: sort values",
                w.department
            );
            checked += 1;
        }
        // The totals: departments, budget and actual spending.
        let t = &s.truth.expected_district.years[&year];
        let stats = common::html::text(between(&page, "<dl class=\"stats\">", "</dl>"));
        assert!(
            stats.contains(&format!("报送部门{} 个", t.departments)),
            "{stats}"
        );
        // Headline figures read in 亿元 from 1 亿元 up; the exact 万元 value is its title.
        assert!(
            page.contains(&format!(
                "<dt>预算支出</dt><dd title=\"{} 万元\">",
                thousands(t.budget.unwrap().expenditure_total)
            )),
            "{year}: {stats}"
        );
    }
    assert!(checked > 100, "{checked}");
    assert!(
        withheld_rows > 0,
        "the planted errors withhold forms of years with a page"
    );
}

#[test]
fn dashboard_charts_hold_the_oracles_series() {
    let s = site();
    let page = read(&s.public, &format!("{}dashboard.html", s.district));
    let t = &s.truth.expected_district;
    let shown = |rows: Vec<Vec<String>>| -> Vec<Vec<Option<Decimal>>> {
        rows.iter()
            .map(|r| r[1..].iter().map(|c| number(c)).collect())
            .collect()
    };
    // Totals: every year, budget and actual spending.
    let (svg, table, _) = chart(&page, "chart-totals");
    let labels: Vec<String> = t.years.keys().map(|&y| year_label(y)).collect();
    assert_eq!(
        table.iter().map(|r| r[0].clone()).collect::<Vec<_>>(),
        labels
    );
    assert!(
        svg_texts(svg).concat().contains(&labels.concat()),
        "totals: year labels"
    );
    let want: Vec<Vec<Option<Decimal>>> = t
        .years
        .values()
        .map(|p| {
            vec![
                p.budget.map(|b| r2(b.expenditure_total)),
                p.actual.map(|a| r2(a.expenditure_total)),
            ]
        })
        .collect();
    assert_eq!(shown(table), want, "totals chart");
    // Structure: the budget years, basic and project spending.
    let (_, table, _) = chart(&page, "chart-structure");
    let want: Vec<Vec<Option<Decimal>>> = t
        .years
        .values()
        .filter_map(|p| p.budget)
        .map(|b| vec![Some(r2(b.basic)), Some(r2(b.project))])
        .collect();
    assert_eq!(shown(table), want, "structure chart");
    // Growth: how many departments fall in each band, in the latest year with growth.
    let (_, table, _) = chart(&page, "chart-growth");
    let year = *t
        .years
        .keys()
        .rev()
        .find(|&&y| oracle::growth_spread(&s.truth, y).is_some())
        .unwrap();
    let growths: Vec<Decimal> = t
        .departments
        .iter()
        .filter_map(|d| {
            let b = d.series.get(&year)?.budget?;
            let p = d.series.get(&(year - 1))?.budget?;
            // Exact enough to place in a band: 4 places of a percentage.
            let (c, pc) = (b.income_total, p.income_total);
            (!pc.is_zero()).then(|| (c - pc) * Decimal::ONE_HUNDRED / pc)
        })
        .collect();
    let bands = [
        (None, Some(-30)),
        (Some(-30), Some(-10)),
        (Some(-10), Some(0)),
        (Some(0), Some(10)),
        (Some(10), Some(30)),
        (Some(30), None),
    ];
    let want: Vec<Vec<Option<Decimal>>> = bands
        .iter()
        .map(|(lo, hi): &(Option<i64>, Option<i64>)| {
            let n = growths
                .iter()
                .filter(|g| {
                    lo.is_none_or(|l| **g >= Decimal::from(l))
                        && hi.is_none_or(|h| **g < Decimal::from(h))
                })
                .count();
            vec![Some(Decimal::from(n as u64))]
        })
        .collect();
    assert_eq!(shown(table), want, "growth bands of {year}");
    assert_eq!(
        want.iter().map(|r| r[0].unwrap()).sum::<Decimal>(),
        Decimal::from(oracle::growth_spread(&s.truth, year).unwrap().0 as u64)
    );
}

/// A `district/v1` document's years and departments' series, numbers by value.
fn figures_of(v: &Value) -> (Value, BTreeMap<String, Value>) {
    let by_value = common::by_value;
    (
        by_value(&v["years"]),
        v["departments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (
                    d["department"].as_str().unwrap().to_owned(),
                    by_value(&d["series"]),
                )
            })
            .collect(),
    )
}

#[test]
fn both_district_json_files_hold_the_truths_sums_and_series() {
    // The site's `data/district.json` sums every district; each district has its own in
    // `<slug>/data/district.json`. With one district both equal the truth (a sum computed
    // wrongly twice must not cancel out).
    let s = site();
    let want = figures_of(&serde_json::to_value(&s.truth.expected_district).unwrap());
    for rel in [
        "data/district.json".to_owned(),
        format!("{}data/district.json", s.district),
    ] {
        let got: Value = serde_json::from_str(&read(&s.public, &rel)).unwrap();
        let got = figures_of(&got);
        assert_eq!(got.0, want.0, "{rel}: years");
        assert_eq!(got.1, want.1, "{rel}: departments' series");
    }
    // The sums include every part: some year has other funds.
    assert!(s
        .truth
        .expected_district
        .years
        .values()
        .any(|y| y.budget.is_some_and(|b| !b.other.is_zero())));
}

/// The first place where `got` and `want` differ (`.income.total.budget: 286.41 ≠ 286.42`),
/// numbers compared by value. Keys the truth leaves out (`layout`, written only by the
/// generator's `--layouts`) are not compared; every key it has must be there.
fn first_difference(got: &Value, want: &Value, at: &str) -> Option<String> {
    match (got, want) {
        (Value::Object(g), Value::Object(w)) => w.keys().find_map(|k| {
            let null = Value::Null;
            first_difference(
                g.get(k).unwrap_or(&null),
                w.get(k).unwrap_or(&null),
                &format!("{at}.{k}"),
            )
        }),
        (Value::Array(g), Value::Array(w)) if g.len() == w.len() => g
            .iter()
            .zip(w)
            .enumerate()
            .find_map(|(i, (g, w))| first_difference(g, w, &format!("{at}[{i}]"))),
        _ if common::by_value(got) == common::by_value(want) => None,
        _ => Some(format!("{at}: {got} ≠ {want}")),
    }
}

#[test]
fn each_published_forms_json_download_is_the_declaration_the_truth_wrote() {
    let s = site();
    // Published: a form that holds a declaration and carries no error (warnings publish).
    let is_error = |c: &String| {
        budgetsite::Code::from_str_code(c).map(|c| c.severity())
            == Some(budgetsite::Severity::Error)
    };
    let mut want: BTreeMap<(String, i64), Value> = BTreeMap::new();
    for f in &s.truth.files {
        if let (Some(d), false) = (&f.expected, f.planted.iter().any(is_error)) {
            let mut v = serde_json::to_value(d).unwrap();
            // Contacts are not published without `publish_contacts`.
            v["filled_by"] = Value::Null;
            v["phone"] = Value::Null;
            let key = (f.department.clone(), i64::from(f.fiscal_year));
            assert!(
                want.insert(key, v).is_none(),
                "{}: two published forms",
                f.path
            );
        }
    }
    let data = s.public.join(&s.district).join("data");
    let mut got: BTreeMap<(String, i64), Value> = BTreeMap::new();
    for e in std::fs::read_dir(&data).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if !name.ends_with(".json") || name == "district.json" {
            continue;
        }
        let v: Value = serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap();
        let key = (
            v["department"].as_str().unwrap().to_owned(),
            v["fiscal_year"].as_i64().unwrap(),
        );
        assert!(
            got.insert(key, v).is_none(),
            "{name}: a second download of its form"
        );
    }
    assert!(want.len() > 100, "{} published forms only", want.len());
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        want.keys().collect::<Vec<_>>(),
        "the forms with a JSON download (department, year), against the truth's published forms"
    );
    for (key, w) in &want {
        if let Some(diff) = first_difference(&got[key], w, "") {
            panic!("{} {}'s JSON download: {diff}", key.0, key.1);
        }
    }
}

/// The rule catalog as README.md states it: (code, severity) in catalog order.
fn readme_catalog() -> Vec<(String, String)> {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let section = &readme[readme.find("## Rule catalog").unwrap()..];
    section
        .lines()
        .skip_while(|l| !l.starts_with("| `"))
        .take_while(|l| l.starts_with("| `"))
        .map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            (cells[1].trim_matches('`').to_owned(), cells[2].to_owned())
        })
        .collect()
}

#[test]
fn the_method_page_and_the_report_list_the_readmes_rule_catalog() {
    let s = site();
    let catalog = readme_catalog();
    assert_eq!(
        catalog.len(),
        budgetsite::Code::ALL.len(),
        "README's catalog: {catalog:?}"
    );
    let label = |severity: &str| match severity {
        "error" => "错误",
        "warning" => "警告",
        other => panic!("README gives severity {other:?}"),
    };
    let about = read(&s.public, "about.html");
    let rows_of = rows(between(&about, "<h2 id=\"rules\">", "</table>"));
    let shown: Vec<(String, String)> = rows_of
        .iter()
        .map(|r| (r[0].clone(), r[2].clone()))
        .collect();
    let want: Vec<(String, String)> = catalog
        .iter()
        .map(|(c, sev)| (c.clone(), label(sev).to_owned()))
        .collect();
    assert_eq!(
        shown, want,
        "about.html's rule catalog (code, severity), against README"
    );
    for r in &rows_of {
        assert!(!r[1].is_empty(), "about.html: rule {} has no name", r[0]);
    }
    // The indicator taxonomy, against the spec's paragraph ("Taxonomy (…): 产出 → 数量, …;
    // …"): each level 1 with its level-2 names, in the spec's order (mutation testing: an
    // empty table went unseen).
    let spec = std::fs::read_to_string("docs/spec/declaration-v1.md").unwrap();
    let paragraph = &spec[spec.find("\nTaxonomy (").expect("the spec's taxonomy") + 1..];
    let paragraph = &paragraph[..paragraph.find("\n\n").unwrap()];
    let listed = paragraph[paragraph.find("): ").unwrap() + 3..].replace('\n', " ");
    let taxonomy: Vec<Vec<String>> = listed
        .trim_end_matches('.')
        .split(';')
        .map(|entry| {
            let (l1, l2) = entry.split_once('→').unwrap();
            let l2: Vec<String> = l2.split(',').map(|x| format!("{}指标", x.trim())).collect();
            vec![format!("{}指标", l1.trim()), l2.join("、")]
        })
        .collect();
    assert_eq!(taxonomy.len(), 4, "the spec's taxonomy: {taxonomy:?}");
    assert_eq!(
        rows(between(&about, "<h2 id=\"taxonomy\">", "</table>")),
        taxonomy,
        "about.html's indicator taxonomy (level 1, its level-2 names), against the spec"
    );
    // The report's table per rule: every rule, in the same order, with its severity.
    let report = read(&s.public, "report.html");
    let shown: Vec<(String, String)> = rows(between(&report, "<h2 id=\"rules-h\">", "</table>"))
        .iter()
        .map(|r| (r[0].rsplit(' ').next().unwrap().to_owned(), r[1].clone()))
        .collect();
    assert_eq!(
        shown, want,
        "report.html's rules (code, severity), against README"
    );
}

#[test]
fn the_report_lists_every_planted_finding_on_its_file_and_none_on_a_clean_one() {
    let s = site();
    let report = read(&s.public, "report.html");
    // The codes the report lists per file (the path under the input folder).
    let mut listed: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for group in report.split("<details class=\"file-group\"").skip(1) {
        let file = common::html::text(between(group, "文件：<code>", "</code>"));
        let file = file.trim_start_matches("文件：");
        // Named as the build names them: under the input folder `in/`.
        let rel = file.strip_prefix("in/").unwrap_or(file).to_owned();
        for row in rows(between(group, "<table", "</table>")) {
            let code = row[1].rsplit(' ').next().unwrap().to_owned();
            listed.entry(rel.clone()).or_default().push(code);
        }
    }
    let mut planted = 0;
    for f in &s.truth.files {
        let codes = listed.get(&f.path).cloned().unwrap_or_default();
        if f.planted.is_empty() {
            assert!(
                codes.is_empty(),
                "report.html lists {codes:?} on the clean {}",
                f.path
            );
        }
        for code in &f.planted {
            planted += 1;
            assert!(
                codes.contains(code),
                "report.html does not list the {code} planted in {}: it lists {codes:?}",
                f.path
            );
        }
    }
    assert!(planted >= 17, "{planted} planted findings");
    let planted_codes: std::collections::BTreeSet<&String> =
        s.truth.files.iter().flat_map(|f| &f.planted).collect();
    assert_eq!(
        planted_codes.len(),
        17,
        "every plantable rule is in the city: {planted_codes:?}"
    );
}
