//! The reader for canonical JSON (`declaration/v1`, spec §2): a canonical file is itself
//! a submission and reads back to the same declaration. Wrong types become diagnostics that
//! name the JSON path; nesting beyond serde_json's recursion limit is refused, not overflowed.

use crate::diagnostic::{Code, Diagnostic};
use crate::ingest::ParsedForm;
use crate::model::{
    BudgetLine, Declaration, Duty, Expenditure, Goal, Income, Indicator, Layout, SourceMap,
    YearMap, SCHEMA,
};
use rust_decimal::Decimal;
use serde_json::{Map, Value};

/// Reads canonical JSON. `Err` is a `not-a-declaration` diagnostic.
pub fn parse(text: &str, file: &str) -> Result<ParsedForm, Diagnostic> {
    let not_a_declaration = |message: String| Diagnostic::new(Code::NotADeclaration, file, message);
    let value: Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| {
        not_a_declaration(format!(
            "JSON 无法解析（第 {} 行第 {} 列：{}），请提交 declaration/v1 格式的文件",
            e.line(),
            e.column(),
            e
        ))
        .at(u32::try_from(e.line()).ok().filter(|&l| l > 0))
    })?;
    let Value::Object(root) = value else {
        return Err(not_a_declaration(
            "JSON 顶层不是对象，不是 declaration/v1 申报表".to_owned(),
        ));
    };
    match root.get("schema") {
        Some(Value::String(s)) if s == SCHEMA => {}
        other => {
            let found = other.map_or("（缺失）".to_owned(), |v| truncate(&v.to_string()));
            return Err(not_a_declaration(format!(
                "JSON 的 schema 为 {found}，应为 \"{SCHEMA}\""
            )));
        }
    }
    let mut r = Reader {
        file,
        diagnostics: Vec::new(),
        source: SourceMap::default(),
    };
    let declaration = r.declaration(&root);
    Ok(ParsedForm {
        declaration,
        source: r.source,
        diagnostics: r.diagnostics,
    })
}

/// A `prior_years` key: a plausible year written as itself (`"2019"`, not `"02019"` or
/// `"+2019"`, which would make two keys one year).
fn year_key_of(key: &str) -> Option<i32> {
    key.parse::<i32>()
        .ok()
        .filter(|y| crate::model::is_plausible_year(*y) && y.to_string() == key)
}

fn truncate(s: &str) -> String {
    let mut t: String = s.chars().take(40).collect();
    if s.chars().count() > 40 {
        t.push('…');
    }
    t
}

struct Reader<'a> {
    file: &'a str,
    diagnostics: Vec<Diagnostic>,
    source: SourceMap,
}

impl Reader<'_> {
    fn wrong(&mut self, code: Code, path: &str, expected: &str, found: &Value) {
        self.diagnostics.push(Diagnostic::new(
            code,
            self.file,
            format!(
                "JSON 字段 {path} 应为{expected}，实际为 {}",
                truncate(&found.to_string())
            ),
        ));
    }

    fn declaration(&mut self, root: &Map<String, Value>) -> Declaration {
        let mut d = Declaration::new();
        d.fiscal_year = self.year(root.get("fiscal_year"), "fiscal_year");
        d.department = self.string(root, "department", "department");
        d.filled_by = self.string(root, "filled_by", "filled_by");
        d.phone = self.string(root, "phone", "phone");
        d.unit = self.string(root, "unit", "unit");
        // `null` is an absent block (a layout without money); a missing key reads as an empty
        // block, as in files written before layouts, so `missing-field` still speaks.
        use crate::model::Row;
        if !matches!(root.get("income"), Some(Value::Null)) {
            let income = self.object(root, "income");
            d.income = Some(Income {
                fiscal_appropriation: self.line(
                    &income,
                    "income",
                    "fiscal_appropriation",
                    Row::FiscalAppropriation,
                ),
                other: self.line(&income, "income", "other", Row::Other),
                total: self.line(&income, "income", "total", Row::IncomeTotal),
            });
        } else {
            d.income = None;
        }
        if !matches!(root.get("expenditure"), Some(Value::Null)) {
            let expenditure = self.object(root, "expenditure");
            d.expenditure = Some(Expenditure {
                basic: self.line(&expenditure, "expenditure", "basic", Row::Basic),
                project: self.line(&expenditure, "expenditure", "project", Row::Project),
                total: self.line(&expenditure, "expenditure", "total", Row::ExpenditureTotal),
            });
        } else {
            d.expenditure = None;
        }
        d.layout = match self.string(root, "layout", "layout") {
            None => None,
            Some(key) => {
                let layout = Layout::from_key(&key);
                if layout.is_none() {
                    let known: Vec<&str> = Layout::ALL.iter().map(|l| l.key()).collect();
                    self.wrong(
                        Code::NotADeclaration,
                        "layout",
                        &format!("{} 之一", known.join("、")),
                        &Value::String(key),
                    );
                }
                layout
            }
        };
        d.budget_code = self.string(root, "budget_code", "budget_code");
        d.duties = self.duties(root);
        d.functions = self.strings(root, "functions");
        d.annual_tasks = self.strings(root, "annual_tasks");
        d.long_term_goal = self.string(root, "long_term_goal", "long_term_goal");
        d.annual_goal = self.string(root, "annual_goal", "annual_goal");
        d.overall_goals = self.strings(root, "overall_goals");
        d.goals = self.goals(root);
        d
    }

    fn object(&mut self, parent: &Map<String, Value>, key: &str) -> Map<String, Value> {
        match parent.get(key) {
            Some(Value::Object(m)) => m.clone(),
            None | Some(Value::Null) => Map::new(),
            Some(other) => {
                self.wrong(Code::NotADeclaration, key, "对象", other);
                Map::new()
            }
        }
    }

    fn year(&mut self, value: Option<&Value>, path: &str) -> Option<i32> {
        match value {
            None | Some(Value::Null) => None,
            Some(Value::Number(n)) => match n.as_i64().and_then(|y| i32::try_from(y).ok()) {
                Some(y) if crate::model::is_plausible_year(y) => Some(y),
                _ => {
                    self.wrong(
                        Code::BadNumber,
                        path,
                        "四位年份",
                        value.unwrap_or(&Value::Null),
                    );
                    None
                }
            },
            Some(other) => {
                self.wrong(Code::BadNumber, path, "整数年份", other);
                None
            }
        }
    }

    fn string(&mut self, parent: &Map<String, Value>, key: &str, path: &str) -> Option<String> {
        match parent.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(other) => {
                self.wrong(Code::NotADeclaration, path, "字符串", other);
                None
            }
        }
    }

    fn strings(&mut self, parent: &Map<String, Value>, key: &str) -> Vec<String> {
        match parent.get(key) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .filter_map(|(i, v)| match v {
                    Value::String(s) => Some(s.clone()),
                    other => {
                        self.wrong(
                            Code::NotADeclaration,
                            &format!("{key}[{i}]"),
                            "字符串",
                            other,
                        );
                        None
                    }
                })
                .collect(),
            Some(other) => {
                self.wrong(Code::NotADeclaration, key, "字符串数组", other);
                Vec::new()
            }
        }
    }

    fn amount(&mut self, value: Option<&Value>, path: &str, bad: &mut bool) -> Option<Decimal> {
        match value {
            None | Some(Value::Null) => None,
            Some(Value::Number(n)) => match crate::ingest::cells::parse_amount(&n.to_string()) {
                Ok(Some(d)) => Some(d),
                Ok(None) | Err(_) => {
                    self.wrong(
                        Code::BadNumber,
                        path,
                        "可精确表示的金额",
                        value.unwrap_or(&Value::Null),
                    );
                    *bad = true;
                    None
                }
            },
            Some(other) => {
                self.wrong(Code::BadNumber, path, "数字或 null", other);
                *bad = true;
                None
            }
        }
    }

    fn line(
        &mut self,
        parent: &Map<String, Value>,
        group: &str,
        key: &str,
        row: crate::model::Row,
    ) -> BudgetLine {
        use crate::model::Column;
        let path = format!("{group}.{key}");
        let m = self.object(parent, key);
        let mut bad = false;
        let budget = self.amount(m.get("budget"), &format!("{path}.budget"), &mut bad);
        if std::mem::take(&mut bad) {
            self.source.bad_cells.push((row, Column::Budget));
        }
        let share_percent = self.amount(
            m.get("share_percent"),
            &format!("{path}.share_percent"),
            &mut bad,
        );
        if std::mem::take(&mut bad) {
            self.source.bad_cells.push((row, Column::Share));
        }
        let prior_map = self.object(&m, "prior_years");
        let mut prior = Vec::new();
        for (year_key, value) in &prior_map {
            let Some(year) = year_key_of(year_key) else {
                self.wrong(
                    Code::NotADeclaration,
                    &format!("{path}.prior_years"),
                    "以年份为键的对象",
                    &Value::String(year_key.clone()),
                );
                continue;
            };
            let v = self.amount(Some(value), &format!("{path}.prior_years.{year}"), &mut bad);
            if std::mem::take(&mut bad) {
                self.source.bad_cells.push((row, Column::Prior(year)));
            }
            prior.push((year, v));
        }
        let mut prior_years = YearMap(prior);
        prior_years.sort_latest_first();
        BudgetLine {
            budget,
            share_percent,
            prior_years,
        }
    }

    fn goals(&mut self, root: &Map<String, Value>) -> Vec<Goal> {
        let items = match root.get("goals") {
            None | Some(Value::Null) => return Vec::new(),
            Some(Value::Array(items)) => items,
            Some(other) => {
                self.wrong(Code::NotADeclaration, "goals", "数组", other);
                return Vec::new();
            }
        };
        let mut goals = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let path = format!("goals[{i}]");
            let Value::Object(g) = item else {
                self.wrong(Code::NotADeclaration, &path, "对象", item);
                continue;
            };
            // `null` is the single table of a layout without goal blocks.
            let number = match g.get("number") {
                Some(Value::Null) => None,
                Some(Value::Number(n)) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
                _ => Some((i + 1) as u32),
            };
            let name = self.string(g, "name", &format!("{path}.name"));
            let mut indicators = Vec::new();
            match g.get("indicators") {
                None | Some(Value::Null) => {}
                Some(Value::Array(list)) => {
                    for (j, ind) in list.iter().enumerate() {
                        let ipath = format!("{path}.indicators[{j}]");
                        let Value::Object(m) = ind else {
                            self.wrong(Code::NotADeclaration, &ipath, "对象", ind);
                            continue;
                        };
                        indicators.push(self.indicator(m, &ipath));
                    }
                }
                Some(other) => self.wrong(
                    Code::NotADeclaration,
                    &format!("{path}.indicators"),
                    "数组",
                    other,
                ),
            }
            goals.push(Goal {
                number,
                name,
                indicators,
            });
        }
        goals
    }

    fn indicator(&mut self, m: &Map<String, Value>, path: &str) -> Indicator {
        let prior_map = self.object(m, "prior_years");
        let mut prior = Vec::new();
        for (k, v) in &prior_map {
            let Some(year) = year_key_of(k) else {
                self.wrong(
                    Code::NotADeclaration,
                    &format!("{path}.prior_years"),
                    "以年份为键的对象",
                    &Value::String(k.clone()),
                );
                continue;
            };
            let text = match v {
                Value::Null => None,
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                other => {
                    self.wrong(
                        Code::NotADeclaration,
                        &format!("{path}.prior_years.{k}"),
                        "字符串",
                        other,
                    );
                    None
                }
            };
            prior.push((year, text));
        }
        let mut prior_years = YearMap(prior);
        prior_years.sort_latest_first();
        Indicator {
            level1: self.string(m, "level1", &format!("{path}.level1")),
            level2: self.string(m, "level2", &format!("{path}.level2")),
            name: self.string(m, "name", &format!("{path}.name")),
            prior_years,
            target: self.string(m, "target", &format!("{path}.target")),
            standard: self.string(m, "standard", &format!("{path}.standard")),
            unit: self.string(m, "unit", &format!("{path}.unit")),
            value_kind: self.string(m, "value_kind", &format!("{path}.value_kind")),
            explanation: self.string(m, "explanation", &format!("{path}.explanation")),
            remark: self.string(m, "remark", &format!("{path}.remark")),
        }
    }

    fn duties(&mut self, root: &Map<String, Value>) -> Vec<Duty> {
        let items = match root.get("duties") {
            None | Some(Value::Null) => return Vec::new(),
            Some(Value::Array(items)) => items,
            Some(other) => {
                self.wrong(Code::NotADeclaration, "duties", "数组", other);
                return Vec::new();
            }
        };
        let mut duties = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let path = format!("duties[{i}]");
            let Value::Object(m) = item else {
                self.wrong(Code::NotADeclaration, &path, "对象", item);
                continue;
            };
            let mut bad = false;
            duties.push(Duty {
                function: self.string(m, "function", &format!("{path}.function")),
                task: self.string(m, "task", &format!("{path}.task")),
                project: self.string(m, "project", &format!("{path}.project")),
                amount: self.amount(m.get("amount"), &format!("{path}.amount"), &mut bad),
            });
        }
        duties
    }
}
