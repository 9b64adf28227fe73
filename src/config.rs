//! `site.toml`: what the finance bureau configures about its site, and where a run finds it
//! (`locate`: the working directory, else beside the input folder). Unknown keys are refused
//! with a message naming them, so a typo never silently does nothing.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct SiteConfig {
    /// The site's title, on every page.
    pub title: String,
    /// Name of the district whose forms lie directly in the input folder (not in a subfolder).
    pub district_name: String,
    /// Where the site is published, e.g. `https://czj.example.gov.cn/yusuan/`. Used only for
    /// canonical links; every link inside the site is relative, so the site works under any
    /// path and from `file://` whatever this says.
    pub base_path: String,
    /// Footer text on every page (plain text).
    pub footer: String,
    /// Publish 填报人 and 联系电话 (off unless the bureau decides to).
    pub publish_contacts: bool,
    /// Per district folder: settings.
    pub districts: BTreeMap<String, DistrictConfig>,
    /// Old department name → new name (机构改革): a renamed department keeps one series.
    pub aliases: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct DistrictConfig {
    /// Fictional sample data: every page of the district says 示例数据 prominently.
    pub sample_data: bool,
    /// A display name other than the folder's name.
    pub display_name: Option<String>,
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            title: "部门整体支出绩效目标公开".to_owned(),
            district_name: "本级".to_owned(),
            base_path: String::new(),
            footer: "本站由 budgetsite 根据各部门报送的《部门整体支出绩效目标申报表》生成。"
                .to_owned(),
            publish_contacts: false,
            districts: BTreeMap::new(),
            aliases: BTreeMap::new(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("无法读取配置文件 {path}：{source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("配置文件 {path} 有误：{message}")]
    Invalid { path: PathBuf, message: String },
}

/// The config file's usual name.
pub const CONFIG_FILE: &str = "site.toml";

/// The config a run uses when none is named: `site.toml` in the working directory, else
/// beside the input folder (the project the submissions belong to, when run from elsewhere).
/// None when neither exists: the default configuration.
pub fn locate(input: &Path) -> Option<PathBuf> {
    let here = PathBuf::from(CONFIG_FILE);
    if here.is_file() {
        return Some(here);
    }
    let beside = std::path::absolute(input).ok()?.parent()?.join(CONFIG_FILE);
    beside.is_file().then_some(beside)
}

impl SiteConfig {
    /// Reads `path`. A missing file is the default configuration only when `required` is
    /// false (the default `site.toml`); a file named on the command line must exist.
    pub fn load(path: &Path, required: bool) -> Result<SiteConfig, ConfigError> {
        Self::read(path, required).map(|(config, _)| config)
    }

    /// `load`, and a hash of what was read (the bytes, or that there was no file): how the
    /// build cache knows the config without reading it again.
    pub fn read(path: &Path, required: bool) -> Result<(SiteConfig, u64), ConfigError> {
        let mut h = crate::hash::Fnv::new();
        h.text(&path.to_string_lossy());
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => {
                h.text("absent");
                return Ok((SiteConfig::default(), std::hash::Hasher::finish(&h)));
            }
            Err(source) => {
                return Err(ConfigError::Read {
                    path: path.to_owned(),
                    source,
                })
            }
        };
        h.bytes(text.as_bytes());
        let config = Self::parse(&text).map_err(|message| ConfigError::Invalid {
            path: path.to_owned(),
            message,
        })?;
        Ok((config, std::hash::Hasher::finish(&h)))
    }

    pub fn parse(text: &str) -> Result<SiteConfig, String> {
        toml::from_str(text).map_err(|e| {
            let msg = e.message().to_owned();
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
            let hint = if msg.contains("unquoted key") {
                "（中文名称作键时请加引号，如 [districts.\"示例区\"]）"
            } else {
                ""
            };
            let msg = msg
                .replace("unknown field", "未知的配置项")
                .replace("expected one of", "可用的配置项为")
                .replace("invalid type", "类型错误");
            match line {
                Some(l) => format!("第 {l} 行：{msg}{hint}"),
                None => format!("{msg}{hint}"),
            }
        })
    }

    pub fn aliases(&self) -> crate::model::identity::Aliases {
        crate::model::identity::Aliases::new(&self.aliases)
    }

    pub fn district(&self, folder: &str) -> DistrictConfig {
        self.districts.get(folder).cloned().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_overrides() {
        let c = SiteConfig::parse("").unwrap();
        assert_eq!(c, SiteConfig::default());
        assert!(!c.publish_contacts);
        let c = SiteConfig::parse(
            "title = \"某区预算公开\"\npublish_contacts = true\n[districts.\"示例区\"]\nsample_data = true\n",
        )
        .unwrap();
        assert_eq!(c.title, "某区预算公开");
        assert!(c.publish_contacts);
        assert!(c.district("示例区").sample_data);
        assert!(!c.district("别的区").sample_data);
    }

    #[test]
    fn unknown_keys_are_refused_with_the_line() {
        let e = SiteConfig::parse("title = \"x\"\npublish_contact = true\n").unwrap_err();
        assert!(e.contains("第 2 行"), "{e}");
        assert!(e.contains("publish_contact"), "{e}");
        assert!(e.contains("未知的配置项"), "{e}");
        let e = SiteConfig::parse("[districts.a]\nsample = true\n").unwrap_err();
        assert!(e.contains("sample"), "{e}");
        let e = SiteConfig::parse("[districts.示例区]\nsample_data = true\n").unwrap_err();
        assert!(e.contains("[districts.\"示例区\"]"), "{e}");
    }
}
