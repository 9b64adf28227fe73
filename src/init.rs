//! `budgetsite init [DIR]`: a starter project — `site.toml` with every option explained (all
//! commented out but the sample district's), one sample form, a CI workflow that builds
//! nightly and publishes to GitHub Pages, a `.gitignore`; with `--templates` also a copy of
//! the built-in templates to change. It never overwrites: if any file it would write exists,
//! it writes nothing and names them.

use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum InitError {
    #[error("{} 已存在，未写入任何文件（init 不会覆盖已有文件）", .0.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join("、"))]
    Exists(Vec<PathBuf>),
    #[error("无法写入 {path}：{source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// The starter `site.toml`.
pub const SITE_TOML: &str = r#"# budgetsite 的网站配置。每一项都可省略，省略时使用 # 后面写的默认值。
# budgetsite 在工作目录中查找 site.toml，找不到时在申报表文件夹（--input）旁边查找；
# 也可以用 --config 指定。

# 网站标题，显示在每个页面上。
# title = "部门整体支出绩效目标公开"

# 直接放在申报表文件夹（不在子文件夹中）的申报表所属地区的名称。
# district_name = "本级"

# 网站发布的地址，仅用于规范链接（canonical）；站内链接都是相对链接。
# base_path = "https://czj.example.gov.cn/yusuan/"

# 每个页面底部的文字（纯文本）。
# footer = "本站由 budgetsite 根据各部门报送的《部门整体支出绩效目标申报表》生成。"

# 是否公开填报人和联系电话（默认不公开）。
# publish_contacts = false

# 机构改革：部门更名对照表（旧名称 = 新名称），更名前后的申报表算作同一个部门。
# [aliases]
# "示例区工会联合会" = "示例区总工会"

# 每个地区（申报表文件夹下的第一级子文件夹）的设置。
# display_name：页面上显示的地区名称（默认为文件夹名）；
# sample_data：虚构的示例数据，页面上醒目标注“示例数据”。
[districts."示例区"]
sample_data = true
# display_name = "示例区"
"#;

/// The starter CI workflow (GitHub Actions): nightly build, published to GitHub Pages.
pub const WORKFLOW: &str = r#"# 每晚构建网站并发布到 GitHub Pages（仓库设置 → Pages → Source 选 GitHub Actions）。
# budgetsite 的退出码：0 无问题；1 有错误或警告（有错误的申报表未发布，其余照常发布）；
# 2 拒绝发布或无法完成（没有申报表、部门数减少一半以上、另一个构建正在进行、磁盘错误等），
# 此时不部署，已发布的网站保持原样。
name: nightly

on:
  schedule:
    - cron: "0 18 * * *" # 每天北京时间 02:00
  workflow_dispatch:
  push:
    branches: [main]

permissions:
  contents: read
  pages: write
  id-token: write

concurrency:
  group: pages
  cancel-in-progress: false

env:
  # budgetsite 的源代码仓库（git 地址），按实际情况修改。
  BUDGETSITE_GIT: https://github.com/OWNER/budgetsite

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: 安装 budgetsite
        run: cargo install --locked --git "$BUDGETSITE_GIT" budgetsite
      - name: 检查申报表（在文件上标注问题）
        run: budgetsite check --format github submissions || true
      - name: 取回已发布网站的更新记录（feed.xml 据此说明本次变化；首次发布时没有）
        run: |
          mkdir -p public/data
          curl -fsSL "https://${GITHUB_REPOSITORY_OWNER}.github.io/${GITHUB_REPOSITORY#*/}/data/changes.json" \
            -o public/data/changes.json || rm -f public/data/changes.json
      - name: 构建网站
        run: |
          # 更新条目的时间取本次构建的时间。
          export SOURCE_DATE_EPOCH="$(date +%s)"
          status=0
          budgetsite build --no-cache || status=$?
          # 1 = 有问题的申报表未发布，其余照常发布；2 = 拒绝发布，保持原网站。
          if [ "$status" -ge 2 ]; then exit "$status"; fi
      - uses: actions/upload-pages-artifact@v3
        with:
          path: public

  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"#;

const GITIGNORE: &str = "/public/\n/.budgetsite/\n/.public.*\n";

/// The sample form (fictional, clean).
const SAMPLE_FORM: (&str, &str) = (
    "submissions/示例区/示例区教育局-2022.txt",
    include_str!("../submissions/示例区/示例区教育局-2022.txt"),
);

/// What `init` writes, by path relative to the project folder.
pub fn files(templates: bool) -> Vec<(String, &'static str)> {
    let mut v: Vec<(String, &'static str)> = vec![
        ("site.toml".into(), SITE_TOML),
        (".github/workflows/nightly.yml".into(), WORKFLOW),
        (".gitignore".into(), GITIGNORE),
        (SAMPLE_FORM.0.into(), SAMPLE_FORM.1),
    ];
    if templates {
        use crate::output::render::{BUILTIN_CONTENT, BUILTIN_STATIC, BUILTIN_TEMPLATES};
        for (name, text) in BUILTIN_TEMPLATES {
            v.push((format!("site-templates/{name}"), text));
        }
        for (name, text) in BUILTIN_STATIC {
            v.push((format!("site-templates/static/{name}"), text));
        }
        for (name, text) in BUILTIN_CONTENT {
            v.push((format!("site-templates/content/{name}"), text));
        }
    }
    v
}

/// Writes the starter project into `dir` (created if needed); returns the files written.
pub fn init(dir: &Path, templates: bool) -> Result<Vec<PathBuf>, InitError> {
    let files = files(templates);
    let existing: Vec<PathBuf> = files
        .iter()
        .map(|(rel, _)| dir.join(rel))
        .filter(|p| p.exists())
        .collect();
    if !existing.is_empty() {
        return Err(InitError::Exists(existing));
    }
    let mut written = Vec::new();
    for (rel, text) in files {
        let path = dir.join(rel);
        let io = |source| InitError::Io {
            path: path.clone(),
            source,
        };
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
        std::fs::write(&path, text).map_err(io)?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_starter_config_parses_and_so_does_every_option_uncommented() {
        let config = crate::config::SiteConfig::parse(SITE_TOML).unwrap();
        assert!(config.district("示例区").sample_data);
        // Uncommenting every option gives a valid config: none is misspelt or misplaced.
        let setting = |l: &str| {
            l.starts_with('[')
                || (l.contains(" = ")
                    && l.starts_with(|c: char| c.is_ascii_lowercase() || c == '"'))
        };
        let all: String = SITE_TOML
            .lines()
            .map(|l| match l.strip_prefix("# ") {
                Some(rest) if setting(rest) => format!("{rest}\n"),
                _ => format!("{l}\n"),
            })
            .collect();
        let parsed =
            crate::config::SiteConfig::parse(&all).unwrap_or_else(|e| panic!("{e}\n{all}"));
        assert_eq!(parsed.base_path, "https://czj.example.gov.cn/yusuan/");
        assert_eq!(parsed.aliases.len(), 1);
        assert_eq!(
            parsed.district("示例区").display_name.as_deref(),
            Some("示例区")
        );
        for key in [
            "title =",
            "district_name =",
            "base_path =",
            "footer =",
            "publish_contacts =",
            "[aliases]",
            "display_name =",
            "sample_data =",
        ] {
            assert!(all.contains(key), "{key}");
        }
    }

    #[test]
    fn init_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("site.toml"), "mine").unwrap();
        let e = init(dir.path(), false).unwrap_err();
        assert!(e.to_string().contains("site.toml"), "{e}");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        assert_eq!(
            std::fs::read_to_string(dir.path().join("site.toml")).unwrap(),
            "mine"
        );
    }
}
