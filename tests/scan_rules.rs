//! `vetted scan` with the shipped rule packs and with an admin's `--rules DIR`: the expected
//! rules fire, and every finding's offsets select exactly its text in the extracted text.

use crate::util::{run, stderr, stdout};

/// A draft that trips every shipped family once, with evasions (full-width, a line wrap inside a
/// CJK term, a zero-width space) and look-alikes that must stay silent.
const SAMPLE: &str = "关于设备采购的通知\n\
密级：机密★10年\n\
联系人：张三，电话 13800138000，邮箱 zhang.san@example.com\n\
该型雷达为军用装备，工作于X波段，探测距离300公里，由95837部队接收。\n\
交付地点位于北纬40°12′ 东经116°10′，属军事管理区，禁止拍摄。\n\
ＴＯＰ ＳＥＣＲＥＴ — the Secretary of the Secretariat will attend.\n\
本文件属于国家\n\
秘密，编号110105194912310021，流水号4111111111111112，订单12345。\n\
机\u{200B}密资料\n";

fn scan_json(args: &[&str]) -> serde_json::Value {
    let out = run(args);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

#[test]
fn the_shipped_packs_find_every_family_at_the_right_offsets() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sample.txt");
    std::fs::write(&file, SAMPLE).unwrap();
    let json = scan_json(&["scan", "--json", file.to_str().unwrap()]);

    let chars: Vec<char> = SAMPLE.chars().collect();
    let mut got = Vec::new();
    for finding in json["findings"].as_array().unwrap() {
        let (start, end) =
            (finding["start"].as_u64().unwrap() as usize, finding["end"].as_u64().unwrap() as usize);
        let text = finding["text"].as_str().unwrap();
        let span: String = chars[start..end].iter().collect();
        assert_eq!(text, span, "finding {finding}");
        got.push(format!("{} {}", finding["rule"].as_str().unwrap(), text));
    }
    let expected = [
        "classification.field.zh 密级：机密★10年",
        "personal.mobile 13800138000",
        "personal.email zhang.san@example.com",
        "technical.frequency X波段",
        // Unit, coordinates, parameters and a restricted area within 200 characters.
        "mosaic X波段，探测距离300公里，由95837部队接收。\n交付地点位于北纬40°12′ 东经116°10′，属军事管理区，禁止拍摄",
        "technical.range 探测距离300公里",
        "military.unit_designator 95837部队",
        "technical.delivery_site 交付地点位于北纬40°12′ 东经116°10′",
        "restricted.coordinates.zh 北纬40°12′",
        "restricted.coordinates.zh 东经116°10′",
        "restricted.area_name 军事管理区",
        "restricted.area_name 禁止拍摄",
        "classification.marking.en ＴＯＰ ＳＥＣＲＥＴ",
        "classification.state_secret.zh 属于国家\n秘密",
        "classification.level.zh 机\u{200B}密",
    ];
    assert_eq!(got, expected, "\n  got: {got:#?}");
    let first = &json["findings"][0];
    assert_eq!(first["location"]["paragraph"], 2);
    assert_eq!(first["severity"], "critical");
    assert_eq!(first["reason"], "state_secret");
    assert_eq!(first["hidden"], false);
}

#[test]
fn an_admin_rule_directory_replaces_the_shipped_packs() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    std::fs::write(
        rules.join("site.toml"),
        r#"
[pack]
id = "site"
name = { zh = "本单位", en = "Our site" }

[[rules]]
id = "site.codename"
category = "project"
severity = "high"
confidence = 0.9
reason = "work_secret"
description = { zh = "项目代号", en = "Project code name" }
terms = ["蓝天工程"]
"#,
    )
    .unwrap();
    let file = dir.path().join("note.md");
    std::fs::write(&file, "# 蓝天 工程\n95837部队\n").unwrap();
    let json = scan_json(&["scan", "--json", "--rules", rules.to_str().unwrap(), file.to_str().unwrap()]);
    let findings = json["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "only the admin's rule runs: {findings:#?}");
    assert_eq!(findings[0]["rule"], "site.codename");
    assert_eq!(findings[0]["text"], "蓝天 工程");
    assert_eq!((findings[0]["start"].as_u64(), findings[0]["end"].as_u64()), (Some(2), Some(7)));
}

#[test]
fn a_broken_rule_pack_exits_one_naming_the_file_and_the_rule() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("broken.toml"),
        "[pack]\nid = \"x\"\nname = { zh = \"坏\", en = \"bad\" }\n[[rules]]\nid = \"x.bad\"\ncategory = \"c\"\n\
         severity = \"high\"\nconfidence = 0.5\nreason = \"sensitive\"\ndescription = { zh = \"坏\", en = \"bad\" }\n\
         pattern = '(unclosed'\n",
    )
    .unwrap();
    let file = dir.path().join("note.txt");
    std::fs::write(&file, "text\n").unwrap();
    let out = run(&["scan", "--rules", dir.path().to_str().unwrap(), file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("broken.toml") && err.contains("x.bad"), "{err}");
}
