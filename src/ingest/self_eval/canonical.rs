//! Canonical JSON of a self-evaluation (`self-evaluation/v1`, contract §2) read back: the
//! file `convert` prints is itself a submission and reads back to the same form. A wrong
//! schema, a wrong type or an unknown key is `not-a-declaration` naming what was wrong.

use super::ParsedEval;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::self_evaluation::{EvalSource, SelfEvaluation, FORM_NAME, SCHEMA};
use serde_json::Value;

/// Whether JSON text claims to be a self-evaluation (its `schema`), without reading it whole
/// when the words are not there at all.
pub fn is_self_evaluation(text: &str) -> bool {
    text.contains(SCHEMA)
        && serde_json::from_str::<Value>(text.trim_start_matches('\u{feff}'))
            .ok()
            .and_then(|v| v.get("schema").and_then(Value::as_str).map(|s| s == SCHEMA))
            .unwrap_or(false)
}

/// Reads canonical JSON. `Err` is a `not-a-declaration` diagnostic.
pub fn parse(text: &str, file: &str) -> Result<ParsedEval, Diagnostic> {
    let wrong = |message: String| Diagnostic::new(Code::NotADeclaration, file, message);
    let form: SelfEvaluation =
        serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| {
            wrong(format!(
                "自评表 JSON 无法读取（第 {} 行第 {} 列：{e}），请提交 {SCHEMA} 格式的文件",
                e.line(),
                e.column()
            ))
            .at(u32::try_from(e.line()).ok().filter(|&l| l > 0))
        })?;
    if form.schema != SCHEMA || form.form != FORM_NAME {
        return Err(wrong(format!(
            "JSON 的 schema 或 form 为 “{}”“{}”，应为 “{SCHEMA}”“{FORM_NAME}”",
            form.schema, form.form
        )));
    }
    Ok(ParsedEval {
        form,
        source: EvalSource::default(),
        diagnostics: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_expected_sample_json_reads_back_to_itself() {
        let json = std::fs::read_to_string(
            "tests/fixtures/self_eval/武汉市新洲区总工会-2020-自评.expected.json",
        )
        .unwrap();
        assert!(is_self_evaluation(&json));
        let parsed = parse(&json, "a.json").unwrap();
        assert_eq!(parsed.form.to_canonical_json().trim_end(), json.trim_end());
    }

    #[test]
    fn wrong_json_is_a_finding_not_a_panic() {
        assert!(!is_self_evaluation("{\"schema\": \"declaration/v1\"}"));
        let e = parse("{\"schema\": 1}", "a.json").unwrap_err();
        assert_eq!(e.code, Code::NotADeclaration);
        let json = std::fs::read_to_string(
            "tests/fixtures/self_eval/武汉市新洲区总工会-2020-自评.expected.json",
        )
        .unwrap()
        .replace("\"weight\": 10,", "\"weight\": \"十\",");
        let e = parse(&json, "a.json").unwrap_err();
        assert!(e.message.contains("无法读取"), "{}", e.message);
        assert!(e.line.is_some());
    }
}
