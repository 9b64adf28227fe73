//! Render: the Tera environment and the Markdown content pages. Templates come from the
//! templates folder (`site-templates/` by default); any template, stylesheet or content page
//! missing there falls back to the copy built into the binary, so users override only what
//! they change. Everything a form contains is escaped by Tera's autoescape; Markdown (the
//! bureau's own text) is sanitized with ammonia.

use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Templates, static assets and content pages built into the binary.
pub const BUILTIN_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../site-templates/base.html")),
    (
        "chart.html",
        include_str!("../../site-templates/chart.html"),
    ),
    (
        "district_body.html",
        include_str!("../../site-templates/district_body.html"),
    ),
    ("home.html", include_str!("../../site-templates/home.html")),
    (
        "district.html",
        include_str!("../../site-templates/district.html"),
    ),
    (
        "department.html",
        include_str!("../../site-templates/department.html"),
    ),
    (
        "evaluation.html",
        include_str!("../../site-templates/evaluation.html"),
    ),
    (
        "evaluation_board.html",
        include_str!("../../site-templates/evaluation_board.html"),
    ),
    (
        "report.html",
        include_str!("../../site-templates/report.html"),
    ),
    (
        "dashboard.html",
        include_str!("../../site-templates/dashboard.html"),
    ),
    ("year.html", include_str!("../../site-templates/year.html")),
    (
        "content.html",
        include_str!("../../site-templates/content.html"),
    ),
    (
        "search.html",
        include_str!("../../site-templates/search.html"),
    ),
];

pub const BUILTIN_STATIC: &[(&str, &str)] = &[
    (
        "style.css",
        include_str!("../../site-templates/static/style.css"),
    ),
    (
        "site.js",
        include_str!("../../site-templates/static/site.js"),
    ),
    (
        "search.js",
        include_str!("../../site-templates/static/search.js"),
    ),
];

pub const BUILTIN_CONTENT: &[(&str, &str)] = &[(
    "about.md",
    include_str!("../../site-templates/content/about.md"),
)];

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("模板 {name} 有误：{message}")]
    Template { name: String, message: String },
    #[error("渲染 {page} 失败（模板 {template}）：{message}")]
    Render {
        page: String,
        template: String,
        message: String,
    },
    #[error("无法读取模板文件 {path}：{source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// The user's files in `folder` (optionally only one extension), by name, sorted; hidden files
/// skipped. A missing folder has none.
fn user_files(folder: &Path, ext: Option<&str>) -> Result<Vec<(String, Vec<u8>)>, RenderError> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Ok(Vec::new());
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && ext.is_none_or(|ext| p.extension().is_some_and(|x| x == ext)))
        .collect();
    paths.sort();
    let mut out = Vec::new();
    for path in paths {
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        if name.starts_with('.') {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|source| RenderError::Read {
            path: path.clone(),
            source,
        })?;
        out.push((name, bytes));
    }
    Ok(out)
}

/// Text files of the templates folder over the built-in ones, by name.
fn layered(
    dir: &Path,
    sub: &str,
    builtin: &[(&str, &str)],
    ext: &str,
) -> Result<BTreeMap<String, String>, RenderError> {
    let mut out: BTreeMap<String, String> = builtin
        .iter()
        .map(|(n, c)| ((*n).to_owned(), (*c).to_owned()))
        .collect();
    let folder = dir.join(sub);
    for (name, bytes) in user_files(&folder, Some(ext))? {
        let text = String::from_utf8(bytes).map_err(|e| RenderError::Read {
            path: folder.join(&name),
            source: std::io::Error::new(std::io::ErrorKind::InvalidData, e),
        })?;
        out.insert(name, text);
    }
    Ok(out)
}

/// Static files: the built-in stylesheet and script, then the user's `static/` folder.
fn assets(dir: &Path) -> Result<BTreeMap<String, Vec<u8>>, RenderError> {
    let mut out: BTreeMap<String, Vec<u8>> = BUILTIN_STATIC
        .iter()
        .map(|(n, c)| ((*n).to_owned(), c.as_bytes().to_vec()))
        .collect();
    out.extend(user_files(&dir.join("static"), None)?);
    Ok(out)
}

/// The loaded templates, assets and content of one build.
pub struct Renderer {
    tera: tera::Tera,
    /// Files copied to `assets/`: the built-in stylesheet and script, plus anything in the
    /// templates folder's `static/` (a logo, say), which wins on a name clash.
    pub assets: BTreeMap<String, Vec<u8>>,
    pub content: BTreeMap<String, String>,
    /// A hash of every template, asset and content file loaded (names and bytes): what the
    /// build cache knows the templates by, without reading them again.
    pub digest: u64,
}

impl Renderer {
    pub fn load(dir: &Path) -> Result<Renderer, RenderError> {
        let templates = layered(dir, "", BUILTIN_TEMPLATES, "html")?;
        let mut tera = tera::Tera::new();
        tera.add_raw_templates(templates.iter().map(|(n, c)| (n.as_str(), c.as_str())))
            .map_err(|e| RenderError::Template {
                name: "site-templates".to_owned(),
                message: error_chain(&e),
            })?;
        let assets = assets(dir)?;
        let content = layered(dir, "content", BUILTIN_CONTENT, "md")?;
        let mut h = crate::hash::Fnv::new();
        for (name, text) in templates.iter().chain(&content) {
            h.text(name);
            h.bytes(text.as_bytes());
        }
        for (name, bytes) in &assets {
            h.text(name);
            h.bytes(bytes);
        }
        Ok(Renderer {
            tera,
            assets,
            content,
            digest: std::hash::Hasher::finish(&h),
        })
    }

    /// Renders `template` with `view` as the context (its fields are top-level variables).
    /// The page's bytes (UTF-8: Tera writes only the templates' text and escaped values).
    /// Rendered into a buffer, not a `String`: the conversion checked every byte of every
    /// page again (4 % of a province build's CPU). Sized for a department's page (30–45 KB),
    /// so that one grows once at most.
    pub fn render<T: Serialize>(
        &self,
        template: &str,
        page: &str,
        view: &T,
    ) -> Result<Vec<u8>, RenderError> {
        let failed = |e: &dyn std::error::Error| RenderError::Render {
            page: page.to_owned(),
            template: template.to_owned(),
            message: error_chain(e),
        };
        let context = tera::Context::from_serialize(view).map_err(|e| failed(&e))?;
        let mut html = Vec::with_capacity(48 * 1024);
        self.tera
            .render_to(template, &context, &mut html)
            .map_err(|e| failed(&e))?;
        Ok(html)
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut source = e.source();
    while let Some(inner) = source {
        s.push('：');
        s.push_str(&inner.to_string());
        source = inner.source();
    }
    s
}

/// Markdown to sanitized HTML. The first `# heading` is the page title.
pub fn markdown(text: &str) -> (Option<String>, String) {
    use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
    let mut title = None;
    let mut in_h1 = false;
    let mut events = Vec::new();
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_HEADING_ATTRIBUTES;
    for event in Parser::new_ext(text, options) {
        match &event {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            }) if title.is_none() => {
                in_h1 = true;
                title = Some(String::new());
                continue;
            }
            Event::End(TagEnd::Heading(HeadingLevel::H1)) if in_h1 => {
                in_h1 = false;
                continue;
            }
            Event::Text(t) | Event::Code(t) if in_h1 => {
                if let Some(title) = title.as_mut() {
                    title.push_str(t);
                }
                continue;
            }
            _ if in_h1 => continue,
            _ => {}
        }
        events.push(event);
    }
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    // Heading ids (`## 标题 {#anchor}`) survive so pages can link to sections.
    let clean = ammonia::Builder::default()
        .add_tag_attributes("h2", &["id"])
        .add_tag_attributes("h3", &["id"])
        .add_tag_attributes("h4", &["id"])
        .clean(&html)
        .to_string();
    (title, clean)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_is_sanitized_and_titled() {
        let (title, html) =
            markdown("# 说明\n\n正文 <script>alert(1)</script> <b onclick=\"x()\">粗</b>\n");
        assert_eq!(title.as_deref(), Some("说明"));
        assert!(!html.contains("<script"));
        assert!(!html.contains("onclick"));
        assert!(html.contains("<b>粗</b>"));
        let (_, html) = markdown("## 得分 {#quality}\n");
        assert!(html.contains("<h2 id=\"quality\">得分</h2>"), "{html}");
    }

    /// Pages may use tables and footnotes; only the first `# heading` is the title, read
    /// whole (its emphasis too), and later ones stay in the page.
    #[test]
    fn markdown_reads_tables_footnotes_and_one_title() {
        let (title, html) = markdown(
            "# 关于*本站*\n\n| 年度 | 部门 |\n| --- | --- |\n| 2020 | 12 |\n\n见注释[^1]。\n\n[^1]: 注释正文。\n\n# 附录\n\n附录正文\n",
        );
        assert_eq!(title.as_deref(), Some("关于本站"));
        assert!(
            html.contains("<table>") && html.contains("<td>12</td>"),
            "{html}"
        );
        assert!(html.contains("注释正文"), "{html}");
        assert!(html.contains("<sup"), "a footnote reference: {html}");
        assert!(html.contains("<h1>附录</h1>"), "{html}");
        assert!(
            !html.contains("本站"),
            "the title's words stay out of the body: {html}"
        );
        assert!(!html.contains("<em>"), "{html}");
    }

    #[test]
    fn builtin_templates_parse() {
        let dir = tempfile::tempdir().unwrap();
        let r = Renderer::load(dir.path()).unwrap();
        assert!(r.assets.contains_key("style.css"));
        assert!(r.content.contains_key("about.md"));
    }
}
