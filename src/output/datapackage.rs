//! What describes the downloads to tools: a Frictionless Data Package (`datapackage.json`) per
//! district (`<district>/datapackage.json`) and for the whole site (`datapackage.json`). Every
//! CSV download is a tabular resource with its Table Schema — field names as in the file,
//! types, units (万元, %), Chinese titles and descriptions, its primary key and, for the
//! district's latest-year table, a foreign key to that year's table — and every JSON download
//! a resource of its own. Fiscal Data Package properties are added where they fit: the
//! package's `countryCode` and `fiscalPeriod`, and each field's `columnType` (amounts also
//! `currency`, `factor`, `direction` and `phase`). Paths are relative to the package's folder,
//! never leaving it, so a package works wherever the site is copied.

use crate::analyze::District;
use crate::output::views;
use serde::Serialize;

/// One column of the year tables (`years/<Y>/departments.csv`, `data/departments.csv`), in
/// file order: what a tool needs to read it.
pub struct FieldSpec {
    /// The header in the file.
    pub name: &'static str,
    /// Table Schema type: `string`, `year`, `number`, `integer`.
    pub kind: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    /// `万元` or `%`, for numbers.
    pub unit: Option<&'static str>,
    /// Fiscal Data Package column type.
    pub column_type: &'static str,
    /// For amounts: `revenue` or `expenditure`, and `approved` (budget) or `executed` (actual).
    pub money: Option<(&'static str, &'static str)>,
}

const fn field(
    name: &'static str,
    kind: &'static str,
    title: &'static str,
    description: &'static str,
    unit: Option<&'static str>,
    column_type: &'static str,
    money: Option<(&'static str, &'static str)>,
) -> FieldSpec {
    FieldSpec {
        name,
        kind,
        title,
        description,
        unit,
        column_type,
        money,
    }
}

const WAN: Option<&str> = Some("万元");
const PCT: Option<&str> = Some("%");

/// The columns of a year table, in order (`dataset::year_table` writes these headers).
pub const YEAR_TABLE: [FieldSpec; 17] = [
    field("部门", "string", "部门", "部门名称；机构改革中更名的部门按 site.toml 的 [aliases] 合并为新名称。", None, "administrative-classification:generic:label", None),
    field("预算年度", "year", "预算年度", "申报表的预算年度。", None, "date:fiscal-year", None),
    field("收入合计（万元）", "number", "收入合计", "预算年度的部门收入预算合计（财政拨款 + 其他资金）。表式不含收入预算（福建、湖南表式）或申报表未填时为空，不是 0。", WAN, "value", Some(("revenue", "approved"))),
    field("财政拨款（万元）", "number", "财政拨款", "收入预算中的财政拨款。申报表未填时为空，不是 0。", WAN, "value", Some(("revenue", "approved"))),
    field("其他资金（万元）", "number", "其他资金", "收入预算中的其他资金。申报表未填时为空，不是 0（页面显示“未填”）。", WAN, "value", Some(("revenue", "approved"))),
    field("支出合计（万元）", "number", "支出合计", "预算年度的部门支出预算合计（基本支出 + 项目支出）。表式不含资金情况（湖南表式）时为空。", WAN, "value", Some(("expenditure", "approved"))),
    field("基本支出（万元）", "number", "基本支出", "支出预算中的基本支出。申报表未填时为空。", WAN, "value", Some(("expenditure", "approved"))),
    field("项目支出（万元）", "number", "项目支出", "支出预算中的项目支出。申报表未填时为空。", WAN, "value", Some(("expenditure", "approved"))),
    field("基本支出占比（%）", "number", "基本支出占比", "基本支出 ÷ 支出合计 × 100，保留两位小数（93.58 即 93.58%）。", PCT, "value", None),
    field("项目支出占比（%）", "number", "项目支出占比", "项目支出 ÷ 支出合计 × 100，保留两位小数。", PCT, "value", None),
    field("财政拨款依赖度（%）", "number", "财政拨款依赖度", "财政拨款 ÷ 收入合计 × 100，保留两位小数。", PCT, "value", None),
    field("预算增长率（%）", "number", "预算增长率", "（本年预算收入合计 ÷ 上年预算收入合计 − 1）× 100，保留两位小数；没有上年预算时为空。", PCT, "value", None),
    field("实际支出（万元）", "number", "实际支出", "该年度的实际支出合计，取自以后年度申报表的“近两年收支情况”（较新的申报表优先）；尚无时为空。", WAN, "value", Some(("expenditure", "executed"))),
    field("预算执行率（%）", "number", "预算执行率", "实际支出 ÷ 预算支出合计 × 100，保留两位小数；缺一方时为空。", PCT, "value", None),
    field("绩效指标数", "integer", "绩效指标数", "申报表中绩效指标的个数。", None, "value", None),
    field("目标质量得分（0–100）", "number", "目标质量得分", "绩效目标质量得分（0–100），计算方法见网站“说明”页。", None, "value", None),
    field("质量提示数", "integer", "质量提示数", "校验发现的警告条数（详见网站的校验报告）。", None, "value", None),
];

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Package<'a> {
    profile: &'static str,
    name: String,
    title: String,
    description: String,
    country_code: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    fiscal_period: Option<Period>,
    resources: Resources<'a>,
}

/// A package's resources, made as they are written: a resource per form and self-evaluation
/// was 46 MB of descriptors at 20,000 departments, all held while the package was written.
struct Resources<'a> {
    /// The site's own, before the districts'.
    first: Vec<Resource>,
    /// Each district with the prefix of its resources' names and the folder of their paths
    /// (`""` in the district's own package, `<slug>.` and `<slug>/` in the site's).
    districts: Vec<(&'a District<'a>, String, String)>,
}

impl Serialize for Resources<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = serializer.serialize_seq(None)?;
        for r in &self.first {
            seq.serialize_element(r)?;
        }
        for (d, prefix, folder) in &self.districts {
            // A form's name could repeat another's once cleaned (`lü` and `lv`): it takes
            // `-2`, `-3`.
            let mut seen = std::collections::BTreeSet::new();
            for mut r in resources(d, prefix, folder) {
                let base = r.name.clone();
                let mut n = 1;
                while !seen.insert(r.name.clone()) {
                    n += 1;
                    r.name = format!("{base}-{n}");
                }
                seq.serialize_element(&r)?;
            }
        }
        seq.end()
    }
}

#[derive(Serialize)]
struct Period {
    start: String,
    end: String,
}

#[derive(Serialize)]
struct Resource {
    name: String,
    path: String,
    profile: &'static str,
    title: String,
    description: String,
    format: &'static str,
    mediatype: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    encoding: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    schema: Option<Schema>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Schema {
    fields: Vec<Field>,
    missing_values: [&'static str; 1],
    primary_key: [&'static str; 2],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    foreign_keys: Vec<ForeignKey>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Field {
    name: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    title: &'static str,
    description: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    unit: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    constraints: Option<Constraints>,
    column_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    currency: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    factor: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    direction: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    phase: Option<&'static str>,
}

#[derive(Serialize)]
struct Constraints {
    required: bool,
}

#[derive(Serialize)]
struct ForeignKey {
    fields: [&'static str; 2],
    reference: Reference,
}

#[derive(Serialize)]
struct Reference {
    resource: String,
    fields: [&'static str; 2],
}

const KEY: [&str; 2] = ["部门", "预算年度"];

/// The self-evaluations' year table (`years/<year>/self-evaluations.csv`, issue 19), in file order.
const EVALUATION_TABLE: [FieldSpec; 19] = {
    const fn n(name: &'static str, title: &'static str, unit: Option<&'static str>) -> FieldSpec {
        field(name, "number", title, title, unit, "value", None)
    }
    const fn i(name: &'static str, title: &'static str) -> FieldSpec {
        field(name, "integer", title, title, None, "value", None)
    }
    const fn t(name: &'static str, title: &'static str) -> FieldSpec {
        field(name, "string", title, title, None, "unknown:string", None)
    }
    [
        t("部门", "部门名称"),
        field(
            "年度",
            "year",
            "评价年度",
            "自评的预算年度",
            None,
            "date:fiscal-year",
            None,
        ),
        field(
            "年初预算数（万元）",
            "number",
            "年初预算数",
            "年初预算数（自评表所填）",
            Some("万元"),
            "value",
            Some(("expenditure", "approved")),
        ),
        field(
            "全年预算数（万元）",
            "number",
            "全年预算数",
            "全年（调整后）预算数",
            Some("万元"),
            "value",
            Some(("expenditure", "adjusted")),
        ),
        field(
            "全年执行数（万元）",
            "number",
            "全年执行数",
            "全年执行数",
            Some("万元"),
            "value",
            Some(("expenditure", "executed")),
        ),
        n(
            "预算执行率（%）",
            "预算执行率：全年执行数 ÷ 全年预算数",
            Some("%"),
        ),
        n("预算执行分值", "预算执行的分值（权重）", None),
        n("预算执行自评得分", "部门自评的预算执行得分", None),
        n("预算执行复核得分", "按全国评分规则复核的预算执行得分", None),
        n("自评得分", "部门自评总分", None),
        n("复核得分", "按全国评分规则复核的总分", None),
        n("自评高出复核", "自评得分 − 复核得分", None),
        t("自评等级", "部门自评等级（优/良/中/差）"),
        t("复核等级", "按复核得分定的等级"),
        i("指标数", "自评表的绩效指标数"),
        i("指标值改动数", "年度指标值与申报时不同的指标数"),
        i("未自评的申报指标数", "申报了而自评表中没有的指标数"),
        i("新增指标数", "自评表中有而申报时没有的指标数"),
        i("提示数", "自评表的检查提示（警告）数"),
    ]
};
const EVALUATION_KEY: [&str; 2] = ["部门", "年度"];

/// A year's changed and dropped targets (`years/<year>/changed-targets.csv`), in file order.
const CHANGES_TABLE: [FieldSpec; 6] = {
    const fn t(name: &'static str, title: &'static str) -> FieldSpec {
        field(name, "string", title, title, None, "unknown:string", None)
    }
    [
        t("部门", "部门名称"),
        field(
            "序号",
            "integer",
            "序号",
            "该部门的第几条（先改动的指标，按自评表的顺序，再未自评的申报指标）",
            None,
            "value",
            None,
        ),
        t("指标", "三级指标名称"),
        t("申报指标值", "申报表中的预期当年实现值"),
        t("自评指标值", "自评表所用的年度指标值；未自评的指标为空"),
        t("情况", "指标值改动，或未自评"),
    ]
};
const CHANGES_KEY: [&str; 2] = ["部门", "序号"];

/// A resource name as the spec allows (`[-a-z0-9._/]`): an address's `ü` is written `v`, as
/// pinyin is typed; anything else not allowed becomes `_`.
fn clean(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            'ü' => 'v',
            'a'..='z' | '0'..='9' | '-' | '.' | '_' => c,
            _ => '_',
        })
        .collect()
}

fn schema(foreign: Option<String>) -> Schema {
    schema_of(&YEAR_TABLE, KEY, foreign)
}

fn schema_of(fields: &[FieldSpec], key: [&'static str; 2], foreign: Option<String>) -> Schema {
    Schema {
        fields: fields
            .iter()
            .map(|f| Field {
                name: f.name,
                kind: f.kind,
                title: f.title,
                description: f.description,
                unit: f.unit,
                constraints: key
                    .contains(&f.name)
                    .then_some(Constraints { required: true }),
                column_type: f.column_type,
                currency: f.money.map(|_| "CNY"),
                factor: f.money.map(|_| 10_000),
                direction: f.money.map(|m| m.0),
                phase: f.money.map(|m| m.1),
            })
            .collect(),
        missing_values: [""],
        primary_key: key,
        foreign_keys: foreign
            .into_iter()
            .map(|resource| ForeignKey {
                fields: key,
                reference: Reference {
                    resource: clean(&resource),
                    fields: key,
                },
            })
            .collect(),
    }
}

fn table(
    name: String,
    path: String,
    title: String,
    description: String,
    foreign: Option<String>,
) -> Resource {
    Resource {
        name: clean(&name),
        path,
        profile: "tabular-data-resource",
        title,
        description,
        format: "csv",
        mediatype: "text/csv",
        encoding: Some("utf-8"),
        schema: Some(schema(foreign)),
    }
}

fn json(name: String, path: String, title: String, description: String) -> Resource {
    Resource {
        name: clean(&name),
        path,
        profile: "data-resource",
        title,
        description,
        format: "json",
        mediatype: "application/json",
        encoding: Some("utf-8"),
        schema: None,
    }
}

/// A district's resources, named with `prefix` and with paths under `folder` (`""` inside the
/// district's own package, `<slug>/` in the site's).
fn resources<'r>(
    d: &'r District<'r>,
    prefix: &'r str,
    folder: &'r str,
) -> impl Iterator<Item = Resource> + 'r {
    // Paths of the views are from the site root: `<slug>/…`.
    let local = move |p: String| {
        let inside = p
            .strip_prefix(&format!("{}/", d.slug))
            .unwrap_or(&p)
            .to_owned();
        format!("{folder}{inside}")
    };
    let year_name = |y: i32| format!("{prefix}departments-{y}");
    let mut out: Vec<Resource> = Vec::new();
    if let Some(latest) = d.latest_year() {
        out.push(table(
            format!("{prefix}departments"),
            local(views::district_table(d, "csv")),
            format!("{}各部门预算一览（最新年度）", d.name),
            format!(
                "{}最新预算年度（{latest}年）各部门的预算、结构、增长、执行与目标质量，一行一个部门；与 {} 相同。同名的 .xlsx 为同一张表的 Excel 工作簿。",
                d.name,
                local(views::year_table(d, latest, "csv"))
            ),
            Some(year_name(latest)),
        ));
    }
    for &y in &d.years {
        out.push(table(
            year_name(y),
            local(views::year_table(d, y, "csv")),
            format!("{}{y}年度各部门预算", d.name),
            format!(
                "{}{y}年度报送且无错误的每个部门一行。同名的 .xlsx 为同一张表的 Excel 工作簿。",
                d.name
            ),
            None,
        ));
    }
    for &y in &d.years {
        if crate::output::evaluations::has_table(d, y) {
            let mut r = table(
                format!("{prefix}self-evaluations-{y}"),
                local(crate::output::evaluations::table_path(d, y, "csv")),
                format!("{}{y}年度部门整体支出绩效自评", d.name),
                format!(
                    "{}{y}年度报送且无错误的每份自评表一行：预算执行、自评与复核得分和等级、指标改动。同名的 .xlsx 为同一张表的 Excel 工作簿。",
                    d.name
                ),
                None,
            );
            r.schema = Some(schema_of(&EVALUATION_TABLE, EVALUATION_KEY, None));
            out.push(r);
            let mut r = table(
                format!("{prefix}changed-targets-{y}"),
                local(crate::output::evaluations::changes_path(d, y, "csv")),
                format!("{}{y}年度改动或未自评的指标", d.name),
                format!(
                    "{}{y}年度自评表中年度指标值与申报时不同的指标，以及申报了而自评表中没有的指标，每条一行。同名的 .xlsx 为同一张表的 Excel 工作簿。",
                    d.name
                ),
                None,
            );
            r.schema = Some(schema_of(&CHANGES_TABLE, CHANGES_KEY, None));
            out.push(r);
        }
    }
    out.push(json(
        format!("{prefix}district"),
        local(views::district_json(d)),
        format!("{}历年数据", d.name),
        "模式 district/v1：各年度合计（申报表未填的数按 0 计入合计）与各部门历年预算、实际、增长率、执行率；部门的未填数为 null。金额单位：万元。".to_owned(),
    ));
    const FORM: &str = "模式 declaration/v1：申报表的全部内容（资金、职能、目标与指标）；未填的单元格为 null。金额单位：万元。";
    const EVALUATION: &str = "模式 self-evaluation/v1：自评表的全部内容（预算执行、目标完成、指标实际值与得分）；未填的单元格为 null。金额单位：万元。";
    let forms = d.departments.iter().flat_map(move |dep| {
        dep.forms.iter().map(move |f| {
            json(
                format!("{prefix}form-{}-{}", dep.slug, f.year),
                local(views::declaration_json(d, dep, f.year)),
                format!("{}{}年度绩效目标申报表", dep.name, f.year),
                FORM.to_owned(),
            )
        })
    });
    let evaluations = d.departments.iter().flat_map(move |dep| {
        dep.evaluations.iter().map(move |e| {
            json(
                format!("{prefix}self-evaluation-{}-{}", dep.slug, e.year),
                local(views::evaluation_json(d, dep, e.year)),
                format!("{}{}年度绩效自评表", dep.name, e.year),
                EVALUATION.to_owned(),
            )
        })
    });
    out.into_iter().chain(forms).chain(evaluations)
}

fn period(years: impl Iterator<Item = i32> + Clone) -> Option<Period> {
    let first = years.clone().min()?;
    let last = years.max()?;
    Some(Period {
        start: format!("{first}-01-01"),
        end: format!("{last}-12-31"),
    })
}

/// A package as its `datapackage.json` (pretty JSON and a final line break), written to
/// `out` as it is serialised: a 20,000-department district's is 30 MB.
pub fn write(p: &Package<'_>, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, p)?;
    out.write_all(b"\n")
}

/// `<district>/datapackage.json`.
pub fn district<'a>(d: &'a District<'a>) -> Package<'a> {
    Package {
        profile: "data-package",
        name: format!("budgetsite-{}", d.slug),
        title: format!("{}部门整体支出绩效目标数据", d.name),
        description: format!(
            "{}各部门整体支出绩效目标申报表中的预算数据与计算所得指标。只含没有错误的申报表；金额单位万元，百分比保留两位小数；申报表未填的数为空（CSV）或 null（JSON），不是 0。",
            d.name
        ),
        country_code: "CN",
        fiscal_period: period(d.years.iter().copied()),
        resources: Resources {
            first: Vec::new(),
            districts: vec![(d, String::new(), String::new())],
        },
    }
}

/// The site's `datapackage.json`: every district's resources (named `<slug>.…`) and the
/// site-wide `data/district.json`.
pub fn site<'a>(districts: &[&'a District<'a>], title: &str) -> Package<'a> {
    let mut first = vec![json(
        "district".to_owned(),
        "data/district.json".to_owned(),
        format!("{title}：全部地区历年数据"),
        "模式 district/v1：全部地区的年度合计与各部门历年数据（申报表未填的数按 0 计入合计，部门的未填数为 null）。金额单位：万元。".to_owned(),
    )];
    first.push(json(
        "changes".to_owned(),
        crate::output::feed::STATE_PATH.to_owned(),
        "每次构建的更新记录".to_owned(),
        "模式 changes/v1：各部门上次发布的申报表（预算支出、指标数、内容摘要、未发布的年度）与更新条目（feed.xml 由此生成，每个地区保留最近 200 条）。".to_owned(),
    ));
    Package {
        profile: "data-package",
        name: "budgetsite".to_owned(),
        title: format!("{title}：数据"),
        description: "各地区部门整体支出绩效目标申报表中的预算数据与计算所得指标。只含没有错误的申报表；金额单位万元，百分比保留两位小数；申报表未填的数为空（CSV）或 null（JSON），不是 0。每个地区另有自己的 datapackage.json。".to_owned(),
        country_code: "CN",
        fiscal_period: period(districts.iter().flat_map(|d| d.years.iter().copied())),
        resources: Resources {
            first,
            districts: districts
                .iter()
                .map(|d| (*d, format!("{}.", d.slug), format!("{}/", d.slug)))
                .collect(),
        },
    }
}

/// What a package's bytes are made from, hashed: the title, and of each district in order its
/// name, slug and years, each department's slug and name and the years of its forms and
/// self-evaluations (`resources` reads nothing else; a year table's self-evaluation resources
/// follow from the self-evaluations' years). Not a form's content, so a rebuild after a form's
/// text changed keeps both packages (at 2,000 departments they were 13 % of such a rebuild's
/// instructions). The caller adds the tool's and the config's key; a test changes each input.
pub fn key<'a>(districts: impl IntoIterator<Item = &'a District<'a>>, title: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = crate::hash::Fnv::new();
    h.text(title);
    for d in districts {
        h.text(&d.name);
        h.text(&d.slug);
        h.write_usize(d.years.len());
        for &y in &d.years {
            h.write_i32(y);
        }
        h.write_usize(d.departments.len());
        for dep in &d.departments {
            h.text(&dep.slug);
            h.text(&dep.name);
            h.write_usize(dep.forms.len());
            for f in &dep.forms {
                h.write_i32(f.year);
            }
            h.write_usize(dep.evaluations.len());
            for e in &dep.evaluations {
                h.write_i32(e.year);
            }
        }
    }
    h.finish()
}

/// Where a district's package is published.
pub fn district_path(d: &District<'_>) -> String {
    format!("{}/datapackage.json", d.slug)
}

pub const SITE_PATH: &str = "datapackage.json";
