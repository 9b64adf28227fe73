//! Rules on the form's fields: `missing-field` (what every declaration must name) and
//! `field-too-long` (a name or text longer than the site or a spreadsheet cell holds).
use super::{column_name, Rules, MAX_CELL_CHARS, MAX_NAME_CHARS};
use crate::diagnostic::Code;
use crate::model::{Column, Layout, Row};

impl Rules<'_> {
    /// Field limits: a department name longer than `MAX_NAME_CHARS`, or any text longer
    /// than a spreadsheet cell holds (`MAX_CELL_CHARS`), is an error on this file — so it is
    /// not published, and never fails the build for the others.
    pub(super) fn field_limits(&mut self) {
        let d = self.decl;
        if let Some(name) = &d.department {
            let n = name.chars().count();
            if n > MAX_NAME_CHARS {
                self.push(
                    Code::FieldTooLong,
                    self.source.department.or(self.source.title),
                    format!("部门名称有 {n} 个字，超过上限 {MAX_NAME_CHARS} 个字，请填写单位全称"),
                );
            }
        }
        let mut texts: Vec<(&str, &str)> = Vec::new();
        for (label, value) in [
            ("填报人", &d.filled_by),
            ("联系电话", &d.phone),
            ("单位", &d.unit),
            ("中长期目标", &d.long_term_goal),
            ("年度目标", &d.annual_goal),
        ] {
            texts.extend(value.as_deref().map(|v| (label, v)));
        }
        texts.extend(d.functions.iter().map(|t| ("部门职能概述", t.as_str())));
        texts.extend(d.annual_tasks.iter().map(|t| ("年度主要任务", t.as_str())));
        texts.extend(d.overall_goals.iter().map(|t| ("整体绩效目标", t.as_str())));
        for g in &d.goals {
            texts.extend(g.name.as_deref().map(|t| ("年度目标名称", t)));
            for i in &g.indicators {
                for v in [&i.level1, &i.level2, &i.name, &i.target, &i.standard] {
                    texts.extend(v.as_deref().map(|t| ("绩效指标", t)));
                }
                texts.extend(
                    i.prior_years
                        .0
                        .iter()
                        .filter_map(|(_, v)| v.as_deref())
                        .map(|t| ("绩效指标", t)),
                );
            }
        }
        let mut said = std::collections::BTreeSet::new();
        for (label, text) in texts {
            let n = text.chars().count();
            if n > MAX_CELL_CHARS && said.insert(label) {
                self.push(
                    Code::FieldTooLong,
                    self.source.title,
                    format!(
                        "“{label}”中有一段 {n} 个字的内容，超过电子表格单元格上限 {MAX_CELL_CHARS} 个字，请精简或分段"
                    ),
                );
            }
        }
    }

    pub(super) fn missing_fields(&mut self) {
        let title = self.source.title;
        if self.decl.department.as_deref().is_none_or(str::is_empty) {
            self.push(
                Code::MissingField,
                self.source.department.or(title),
                "未填写部门名称，请在“部门名称”后填写单位全称".to_owned(),
            );
        }
        if self.decl.fiscal_year.is_none() {
            self.push(
                Code::MissingField,
                title,
                "未找到预算年度，标题应为“YYYY年度部门整体支出绩效目标申报表”".to_owned(),
            );
        }
        // A layout without a money block (Fujian has no income, Hunan no money at all) has no
        // total to miss.
        for row in [Row::IncomeTotal, Row::ExpenditureTotal] {
            if !self.decl.has_block(row) {
                continue;
            }
            let bad = self.source.is_bad(row, Column::Budget);
            if self.decl.budget_line(row).budget.is_none() && !bad {
                let first_part = match row {
                    Row::IncomeTotal => Row::FiscalAppropriation,
                    _ => Row::Basic,
                };
                let line = self.source.row(row).or(self.source.row(first_part));
                let name = column_name(self.decl, Column::Budget);
                let label = match self.decl.layout {
                    Some(Layout::Fujian) => "资金总额",
                    _ => row.label(),
                };
                self.push(
                    Code::MissingField,
                    line.or(title),
                    format!("未填写{label}（{name}），请填写当年预算合计金额"),
                );
            }
        }
    }
}
