//! Writing a district's files: each department and year to its layout and format, and the truth beside them.

use super::*;

// ---------------------------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------------------------

pub(crate) struct Generator<'a> {
    pub(crate) seed: u64,
    pub(crate) district: &'a str,
    pub(crate) quirks: QuirkLevel,
    pub(crate) json_share: u32,
    pub(crate) layouts: &'a [FormLayout],
    pub(crate) formats: &'a [FileFormat],
}

/// One department-year: the form to write (or what is planted instead of it).
pub(crate) struct Slot<'a> {
    pub(crate) d: u64,
    pub(crate) dept: &'a Dept,
    pub(crate) stable: &'a DeptStable,
    pub(crate) series: &'a Series,
    pub(crate) year: i32,
    /// The budget years the department files a form for.
    pub(crate) years: &'a [i32],
    pub(crate) code: Option<&'static str>,
}

impl Generator<'_> {
    pub(crate) fn write_slot(&self, dir: &Path, slot: &Slot, truth: &mut Truth) -> io::Result<()> {
        let Slot {
            d,
            dept,
            stable,
            series,
            year,
            years,
            code,
        } = *slot;
        let file_name = format!("{}-{year}", dept.name);
        let mut entry = TruthFile {
            path: String::new(),
            department: dept.name.clone(),
            fiscal_year: year,
            format: "text".to_string(),
            encoding: "utf-8".to_string(),
            quirks: Vec::new(),
            expected: None,
            planted: code.map(|c| vec![c.to_string()]).unwrap_or_default(),
            plant_details: Vec::new(),
            quality: None,
        };
        match code {
            Some("unreadable-file") => {
                let mut rng = Rng::derive(&[self.seed, S_JUNK, d, year as u64]);
                let (bytes, format, detail) = if rng.chance(50) {
                    (Vec::new(), "empty", "empty file (0 bytes)")
                } else {
                    let n = rng.range(256, 4096) as usize;
                    let mut v = b"PK\x03\x04\x14\x00\x00\x00".to_vec();
                    v.extend((0..n).map(|_| rng.next_u64() as u8));
                    v.extend_from_slice(&[0, 0, 0xFF, 0xFE, 0x80]);
                    (
                        v,
                        "binary",
                        "binary junk (zip-like header, random bytes, NULs)",
                    )
                };
                entry.path = format!("{}/{file_name}.txt", self.district);
                entry.format = format.to_string();
                entry.encoding = "none".to_string();
                entry.plant_details.push(PlantDetail {
                    code: "unreadable-file".into(),
                    line: None,
                    detail: detail.into(),
                });
                std::fs::write(dir.join(format!("{file_name}.txt")), bytes)?;
                truth.files.push(entry);
                return Ok(());
            }
            Some("not-a-declaration") => {
                let text = format!(
                    "关于{name}{year}年度部门预算公开有关事项的说明\n\n根据区财政局统一部署，现将本单位{year}年度部门预算公开有关事项说明如下：\n一、本单位预算已按规定程序报区人民代表大会审查批准。\n二、相关表格另行报送，本文件仅作说明。\n\n{name}\n{year}年1月\n",
                    name = dept.name
                );
                entry.path = format!("{}/{file_name}.txt", self.district);
                entry.plant_details.push(PlantDetail {
                    code: "not-a-declaration".into(),
                    line: None,
                    detail: "a UTF-8 notice with neither form title nor table".into(),
                });
                std::fs::write(dir.join(format!("{file_name}.txt")), text)?;
                truth.files.push(entry);
                return Ok(());
            }
            _ => {}
        }

        let mut content_rng = Rng::derive(&[self.seed, S_CONTENT, d, year as u64]);
        let mut form = build_form(dept, stable, series, year, &mut content_rng);
        let mut planted = None;
        if let Some(c) = code.filter(|&c| c != "duplicate-submission") {
            let mut rng = Rng::derive(&[self.seed, S_PLANT, d, year as u64]);
            planted = Some(plant(c, &mut form, years, dept.domain, &mut rng));
        }
        let mut fmt_rng = Rng::derive(&[self.seed, S_FORMAT, d, year as u64]);
        let as_json = self.json_share > 0
            && fmt_rng.below(100) < self.json_share as usize
            && json_can_carry(code);
        let quirk_stream = Rng::derive(&[self.seed, S_QUIRKS, d, year as u64]);
        // A clean form may be printed in another layout or saved as a spreadsheet; planted
        // forms stay text exports of the sample's layout, where their lines are known.
        if code.is_none() && !as_json && !(self.layouts.is_empty() && self.formats.is_empty()) {
            // A department prints all its forms in one layout; the file format may change.
            let mut dept_rng = Rng::derive(&[self.seed, S_LAYOUT, d]);
            let mut rng = Rng::derive(&[self.seed, S_LAYOUT, d, year as u64]);
            let (layout, format) =
                layouts::choose(self.layouts, self.formats, &mut dept_rng, &mut rng);
            if !(layout == FormLayout::Hubei && format == FileFormat::Txt) {
                let written =
                    layouts::write(dir, &file_name, &mut form, stable, layout, format, &mut rng)?;
                entry.path = format!("{}/{}", self.district, written.file);
                entry.format = written.format;
                entry.encoding = written.encoding;
                entry.quirks = written.quirks;
                entry.expected = Some(form.decl);
                truth.files.push(entry);
                return Ok(());
            }
            form.decl.layout = Some("hubei".to_string());
        }
        let lines = self.write_form(dir, &file_name, &form, as_json, quirk_stream, &mut entry)?;
        if let Some(p) = planted {
            let line = p
                .anchor
                .and_then(|a| lines.iter().find(|(b, _)| *b == a).map(|(_, l)| *l));
            entry.plant_details.push(PlantDetail {
                code: p.code.to_string(),
                line,
                detail: p.detail,
            });
        }
        entry.expected = Some(form.decl.clone());
        let duplicate = code == Some("duplicate-submission");
        if duplicate {
            entry.plant_details.push(PlantDetail {
                code: "duplicate-submission".into(),
                line: None,
                detail: format!("same declaration also in {file_name}-副本.txt"),
            });
        }
        truth.files.push(entry);

        if duplicate {
            let mut copy = TruthFile {
                path: String::new(),
                department: dept.name.clone(),
                fiscal_year: year,
                format: "text".to_string(),
                encoding: "utf-8".to_string(),
                quirks: Vec::new(),
                expected: None,
                planted: vec!["duplicate-submission".to_string()],
                plant_details: vec![PlantDetail {
                    code: "duplicate-submission".into(),
                    line: None,
                    detail: format!("copy of {file_name}, rendered with other quirks"),
                }],
                quality: None,
            };
            let copy_name = format!("{file_name}-副本");
            let rng = Rng::derive(&[self.seed, S_DUPLICATE, d, year as u64]);
            self.write_form(dir, &copy_name, &form, false, rng, &mut copy)?;
            copy.expected = Some(form.decl);
            truth.files.push(copy);
        }
        Ok(())
    }

    /// Writes the form as text (with quirks) or canonical JSON; returns the anchors' lines.
    pub(crate) fn write_form(
        &self,
        dir: &Path,
        name: &str,
        form: &Form,
        as_json: bool,
        mut rng: Rng,
        entry: &mut TruthFile,
    ) -> io::Result<Vec<(Anchor, u32)>> {
        if as_json {
            let mut text = serde_json::to_string_pretty(&form.decl).map_err(io::Error::other)?;
            text.push('\n');
            entry.path = format!("{}/{name}.json", self.district);
            entry.format = "json".to_string();
            std::fs::write(dir.join(format!("{name}.json")), text)?;
            return Ok(Vec::new());
        }
        let q = Quirks::choose(self.quirks, &mut rng);
        let r = render(form, &q, &mut rng);
        entry.path = format!("{}/{name}.txt", self.district);
        entry.encoding = q.enc.name().to_string();
        entry.quirks = r.quirks;
        std::fs::write(dir.join(format!("{name}.txt")), q.enc.encode(&r.text))?;
        Ok(r.anchors)
    }
}
