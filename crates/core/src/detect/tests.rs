//! The shipped rule packs as a spec: for each family, tiny texts and exactly what they raise.
//!
//! `check(text, expected)` scans `text` as a TXT file with the built-in packs and compares the
//! findings as `"rule matched-text"` lines, in text order. Look-alikes are cases that expect
//! nothing (`&[]`); evasions are cases whose matched text keeps the evasion characters, because
//! findings report the original text.

use std::path::PathBuf;
use std::sync::OnceLock;

use super::*;
use crate::document::{DocumentBuilder, Format, HiddenItem, HiddenKind, Layout, Location, Origin};
use crate::error::ErrorKind;
use crate::ingest;
use crate::limits::Limits;

fn builtin() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| match RuleSet::builtin() {
        Ok(rules) => rules,
        Err(e) => panic!("the shipped packs do not load: {e}"),
    })
}

fn text_document(text: &str) -> Document {
    match ingest::read(text.as_bytes(), Some("draft.txt"), &Limits::default()) {
        Ok(document) => document,
        Err(e) => panic!("cannot read {text:?}: {e}"),
    }
}

/// Findings as `"rule text"` lines; every finding's text must be its span of the document.
fn summarize(document: &Document, findings: &[Finding]) -> Vec<String> {
    findings
        .iter()
        .map(|f| {
            assert_eq!(f.text, document.slice(f.start, f.end), "finding {} text is not its span", f.rule);
            format!("{} {}", f.rule, f.text)
        })
        .collect()
}

#[track_caller]
fn check_with(rules: &RuleSet, text: &str, expected: &[&str]) {
    let document = text_document(text);
    let got = summarize(&document, &scan(&document, rules));
    assert_eq!(got, expected, "\n  text:     {text:?}\n  expected: {expected:#?}\n  got:      {got:#?}");
}

#[track_caller]
fn check(text: &str, expected: &[&str]) {
    check_with(builtin(), text, expected);
}

#[test]
fn chinese_classification_markings() {
    check("机密★10年", &["classification.marking.zh 机密★10年"]);
    check("绝密★长期", &["classification.marking.zh 绝密★长期"]);
    check("秘密 ★ 5个月", &["classification.marking.zh 秘密 ★ 5个月"]);
    // The field covers the marking inside it: one finding, not three.
    check("密级：机密★10年", &["classification.field.zh 密级：机密★10年"]);
    check("密级: 秘密", &["classification.field.zh 密级: 秘密"]);
    check("保密期限：20年", &["classification.period.zh 保密期限：20年"]);
    check("本文件属于国家秘密。", &["classification.state_secret.zh 属于国家秘密"]);
    check("涉密人员名单", &["classification.state_secret.zh 涉密人员"]);
    check(
        "工作秘密，注意保管",
        &["classification.work_secret.zh 工作秘密", "classification.work_secret.zh 注意保管"],
    );
    check("内部资料 请勿外传", &["classification.work_secret.zh 内部资料"]);
    check("这份机密文件", &["classification.level.zh 机密"]);
    check("他说出了秘密。", &["classification.secret.zh 秘密"]);
}

#[test]
fn chinese_classification_look_alikes() {
    check("《秘密花园》是一本书", &[]);
    check("这是一个小秘密", &[]);
    check("保护数据的机密性", &[]);
    check("本项目为非涉密项目", &[]);
    check("揭秘密码学的历史", &[]);
    check("商业秘密保护", &[]);
    check("公开通知：周五开会", &[]);
}

#[test]
fn english_classification_markings() {
    check("TOP SECRET", &["classification.marking.en TOP SECRET"]);
    check("SECRET//NOFORN", &["classification.marking.en SECRET//NOFORN"]);
    check("CONFIDENTIAL", &["classification.marking.en CONFIDENTIAL"]);
    check("Handling: FOUO", &["classification.dissemination.en FOUO"]);
    check("for official use only", &["classification.dissemination.en for official use only"]);
    check("CUI//BASIC", &["classification.cui.en CUI//BASIC"]);
}

#[test]
fn english_classification_look_alikes() {
    check("The Secretary met the Secretariat.", &[]);
    check("the secretary kept a secret", &[]);
    check("Confidential information of the vendor", &[]);
    check("a cui bono argument", &[]);
    check("SECRETARY", &[]);
}

#[test]
fn evasions_are_seen_through_and_reported_as_written() {
    // Full-width letters and digits.
    check("ＴＯＰ ＳＥＣＲＥＴ", &["classification.marking.en ＴＯＰ ＳＥＣＲＥＴ"]);
    check("机密★１０年", &["classification.marking.zh 机密★１０年"]);
    check("９５８３７部队", &["military.unit_designator ９５８３７部队"]);
    // Zero-width characters inside a term.
    check("机\u{200B}密★10年", &["classification.marking.zh 机\u{200B}密★10年"]);
    check("S\u{200D}ECRET", &["classification.marking.en S\u{200D}ECRET"]);
    // Spaces and a line wrap inside a CJK term.
    check("绝 密 ★", &["classification.marking.zh 绝 密 ★"]);
    check("该文件属于绝\n密★级", &["classification.marking.zh 绝\n密★"]);
    check("该文件属于绝\r\n密★级", &["classification.marking.zh 绝\r\n密★"]);
}

#[test]
fn a_blank_line_ends_the_paragraph_so_no_term_spans_it() {
    check("绝\n\n密★", &[]);
}

#[test]
fn technical_parameters_need_military_or_classified_context() {
    check(
        "该型雷达为军用装备，工作于X波段，频率9.3GHz，探测距离300公里。",
        &["technical.frequency X波段", "technical.frequency 9.3GHz", "technical.range 探测距离300公里"],
    );
    check("导弹命中精度CEP≤5m", &["technical.accuracy CEP≤5m"]);
    check("型号 XX-12，军用", &["technical.model 型号 XX-12"]);
    check("采购军用无人机 20 架", &["technical.quantity 20 架"]);
    check("军品交付地点：某市东郊仓库", &["technical.delivery_site 交付地点：某市东郊仓库"]);
    check("Range 300 km for the military variant", &["technical.range Range 300 km"]);
}

#[test]
fn technical_parameters_without_context_are_ordinary() {
    check("家用路由器工作频率2.4GHz", &[]);
    check("自驾游射程 300km", &[]);
    check("采购办公电脑 20 台", &[]);
    check("型号 HP-1020 打印机", &[]);
}

#[test]
fn military_units_and_facilities() {
    check("95837部队", &["military.unit_designator 95837部队"]);
    check("解放军95837 部队驻地", &["military.unit_designator 95837 部队"]);
    check("某部官兵在训练", &["military.unit_vague 某部"]);
    check("国防科工局第五研究所", &["military.facility 第五研究所"]);
    check("PLA Unit 61398 of the army", &["military.unit_designator.en PLA Unit 61398"]);
}

#[test]
fn military_look_alikes() {
    check("订单号12345已发货", &[]);
    check("195837部队", &[]);
    check("某部门负责人", &[]);
    check("第五研究所发布了论文", &[]);
    check("Unit 61398 of the course", &[]);
}

#[test]
fn restricted_areas_and_coordinates() {
    check("前方军事管理区，禁止拍摄", &["restricted.area_name 军事管理区", "restricted.area_name 禁止拍摄"]);
    check("某弹药库附近", &["restricted.area_name 弹药库"]);
    check("坐标 40.123456, 116.654321", &["restricted.coordinates.decimal 40.123456, 116.654321"]);
    check(
        "40°12′30″N 116°10′05″E",
        &["restricted.coordinates.dms 40°12′30″N", "restricted.coordinates.dms 116°10′05″E"],
    );
    check("40°12'30\"N", &["restricted.coordinates.dms 40°12'30\"N"]);
    check(
        "北纬40°12′ 东经116°10′",
        &["restricted.coordinates.zh 北纬40°12′", "restricted.coordinates.zh 东经116°10′"],
    );
    check("北纬40度12分30秒", &["restricted.coordinates.zh 北纬40度12分30秒"]);
}

#[test]
fn restricted_area_look_alikes() {
    check("篮球禁区内犯规", &[]);
    // Public coordinates on the allow-list.
    check("天安门广场位于 39°54′27″N 116°23′27″E", &[]);
    check("天安门：北纬39°54′27″ 东经116°23′27″", &[]);
    check("坐标 39.9042, 116.4074", &[]);
    // Not a latitude.
    check("比值 95.123456, 116.654321", &[]);
}

#[test]
fn decimal_coordinates_gain_confidence_from_context() {
    let confidence = |text: &str| {
        let document = text_document(text);
        scan(&document, builtin()).first().map(|f| f.confidence)
    };
    assert_eq!(confidence("40.123456, 116.654321"), Some(0.7));
    assert_eq!(confidence("坐标 40.123456, 116.654321"), Some(0.9));
}

#[test]
fn personal_identifiers() {
    check("身份证号11010519491231002X", &["personal.resident_id 11010519491231002X"]);
    check("电话13800138000", &["personal.mobile 13800138000"]);
    check("手机 +86 138-0013-8000", &["personal.mobile +86 138-0013-8000"]);
    check("座机010-12345678", &["personal.landline 010-12345678"]);
    check("邮箱 zhang.san@example.com", &["personal.email zhang.san@example.com"]);
    check("护照号E12345678", &["personal.passport E12345678"]);
    check("卡号 4111 1111 1111 1111", &["personal.bank_card 4111 1111 1111 1111"]);
    check("车牌京A12345", &["personal.licence_plate 京A12345"]);
    check("新能源车牌京AD12345", &["personal.licence_plate 京AD12345"]);
}

#[test]
fn personal_identifier_look_alikes() {
    // An 18-digit number with a bad check digit.
    check("编号110105194912310021", &[]);
    // A 16-digit number that fails the Luhn checksum.
    check("流水号4111111111111112", &[]);
    // Too many digits for a mobile number.
    check("138001380001", &[]);
    check("Version 2.13800138000", &[]);
}

#[test]
fn passports_are_surer_next_to_the_word_passport() {
    let confidence = |text: &str| {
        let document = text_document(text);
        scan(&document, builtin()).first().map(|f| f.confidence)
    };
    assert_eq!(confidence("E12345678"), Some(0.5));
    assert_eq!(confidence("护照 E12345678"), Some(0.9));
}

#[test]
fn three_distinct_categories_close_together_make_a_mosaic() {
    let text = "95837部队驻地位于北纬40°12′，部署军用雷达，探测距离300公里。";
    let document = text_document(text);
    let findings = scan(&document, builtin());
    let mosaic: Vec<&Finding> = findings.iter().filter(|f| f.rule == "mosaic").collect();
    assert_eq!(mosaic.len(), 1, "{findings:#?}");
    let mosaic = mosaic[0];
    assert_eq!((mosaic.category.as_str(), mosaic.severity), ("mosaic", Severity::High));
    assert_eq!(mosaic.text, "95837部队驻地位于北纬40°12′，部署军用雷达，探测距离300公里");
    for part in [
        "military_unit 「95837部队」",
        "coordinates 「北纬40°12′」",
        "technical_parameter 「探测距离300公里」",
    ] {
        assert!(mosaic.note.contains(part), "note {:?} lacks {part}", mosaic.note);
    }
    // The parts are still reported on their own.
    assert_eq!(findings.len(), 4, "{findings:#?}");
}

#[test]
fn two_categories_or_three_far_apart_are_no_mosaic() {
    let no_mosaic = |text: &str| {
        let document = text_document(text);
        let findings = scan(&document, builtin());
        assert!(!findings.is_empty(), "the parts fire: {text}");
        assert!(findings.iter().all(|f| f.rule != "mosaic"), "{findings:#?}");
    };
    no_mosaic("95837部队驻地位于北纬40°12′。");
    let filler = "这是一段与主题无关的文字。".repeat(20);
    no_mosaic(&format!("95837部队驻地{filler}北纬40°12′{filler}军用雷达探测距离300公里"));
}

#[test]
fn the_mosaic_category_list_is_data() {
    let config = builtin().mosaic().expect("the shipped packs declare a mosaic");
    assert_eq!(config.min_categories, 3);
    assert_eq!(config.window, 200);
    assert!(config.categories.iter().any(|c| c == "military_unit"));
}

/// A document with a paragraph and a comment, built as a DOCX reader would.
fn docx_with_comment(body: &str, comment: &str) -> Document {
    let mut builder = DocumentBuilder::new(Format::Docx);
    for (i, c) in body.chars().enumerate() {
        builder.push(c, Origin::Docx { part: 0, atom: i as u32 });
    }
    builder.end_block(Location::paragraph("word/document.xml", 1));
    builder.add_hidden(HiddenItem {
        kind: HiddenKind::Comment,
        label: "comment by 张三".into(),
        text: comment.into(),
        location: Location::part("word/comments.xml"),
    });
    builder.finish(Layout::Flow)
}

#[test]
fn a_finding_in_a_hidden_item_is_hidden_and_located_there() {
    let document = docx_with_comment("公开通知", "此段涉及95837部队");
    let findings = scan(&document, builtin());
    assert_eq!(
        summarize(&document, &findings),
        ["hidden.comment 此段涉及95837部队", "military.unit_designator 95837部队"]
    );
    let unit = &findings[1];
    assert!(unit.hidden);
    assert_eq!(unit.location, Location::part("word/comments.xml"));
    assert_eq!(findings.iter().map(|f| f.id).collect::<Vec<_>>(), [1, 2]);
}

#[test]
fn no_term_spans_two_paragraphs_or_the_body_and_a_comment() {
    let mut builder = DocumentBuilder::new(Format::Docx);
    for (i, c) in "机密★5年；绝".chars().enumerate() {
        builder.push(c, Origin::Docx { part: 0, atom: i as u32 });
    }
    builder.end_block(Location::paragraph("word/document.xml", 1));
    for (i, c) in "密★".chars().enumerate() {
        builder.push(c, Origin::Docx { part: 0, atom: 100 + i as u32 });
    }
    builder.end_block(Location::paragraph("word/document.xml", 2));
    let document = builder.finish(Layout::Flow);
    assert_eq!(summarize(&document, &scan(&document, builtin())), ["classification.marking.zh 机密★5年"]);

    let document = docx_with_comment("报告为绝", "密★");
    assert_eq!(summarize(&document, &scan(&document, builtin())), ["hidden.comment 密★"]);
}

#[test]
fn findings_are_numbered_in_text_order_and_scans_are_deterministic() {
    let text = "联系人 13800138000，TOP SECRET，95837部队";
    let document = text_document(text);
    let first = scan(&document, builtin());
    assert_eq!(first.iter().map(|f| f.id).collect::<Vec<_>>(), [1, 2, 3]);
    assert!(first.windows(2).all(|w| w[0].start <= w[1].start));
    assert_eq!(first, scan(&document, builtin()));
}

// ---- Admin-edited packs: `load_dir` ----

/// A fresh directory holding `files` (name, content).
fn rule_dir(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("vetted-rules-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (file, content) in files {
        std::fs::write(dir.join(file), content).unwrap();
    }
    dir
}

const PACK_HEADER: &str = "[pack]\nid = \"site\"\nname = { zh = \"本单位\", en = \"Our site\" }\n";

fn rule(body: &str) -> String {
    format!(
        "{PACK_HEADER}\n[[rules]]\nid = \"site.rule\"\ncategory = \"site\"\nseverity = \"high\"\n\
         confidence = 0.9\nreason = \"work_secret\"\ndescription = {{ zh = \"测试\", en = \"test\" }}\n{body}\n"
    )
}

#[track_caller]
fn check_load_error(name: &str, files: &[(&str, &str)], expected: &[&str]) {
    let dir = rule_dir(name, files);
    let error = match RuleSet::load_dir(&dir) {
        Ok(_) => panic!("{name}: the packs loaded"),
        Err(e) => e,
    };
    assert_eq!(error.kind(), ErrorKind::Rules, "{name}: {error}");
    for part in expected {
        assert!(error.message().contains(part), "{name}: {:?} lacks {part:?}", error.message());
    }
}

#[test]
fn bad_packs_are_refused_naming_the_file_and_the_rule() {
    check_load_error("syntax", &[("a.toml", "[pack\n")], &["a.toml", "not a valid rule pack"]);
    check_load_error(
        "unknown-field",
        &[("a.toml", &rule("terms = [\"x\"]\nsevertiy = 1"))],
        &["a.toml", "severtiy"],
    );
    check_load_error(
        "regex",
        &[("a.toml", &rule("pattern = '(unclosed'"))],
        &["a.toml", "site.rule", "pattern"],
    );
    check_load_error("empty-match", &[("a.toml", &rule("pattern = 'x*'"))], &["site.rule", "empty string"]);
    check_load_error("both", &[("a.toml", &rule("pattern = 'x'\nterms = [\"y\"]"))], &["site.rule", "both"]);
    check_load_error("neither", &[("a.toml", &rule(""))], &["site.rule", "neither"]);
    check_load_error(
        "reason",
        &[("a.toml", &rule("terms = [\"x\"]").replace("work_secret", "gossip"))],
        &["site.rule", "gossip"],
    );
    check_load_error(
        "confidence",
        &[("a.toml", &rule("terms = [\"x\"]").replace("0.9", "1.5"))],
        &["site.rule", "confidence"],
    );
    check_load_error(
        "validator",
        &[("a.toml", &rule("terms = [\"x\"]\nvalidator = \"luhn\""))],
        &["site.rule"],
    );
    check_load_error(
        "no-lexicon",
        &[("a.toml", &rule("lexicon = \"missing.txt\""))],
        &["site.rule", "missing.txt"],
    );
    check_load_error(
        "escaping-lexicon",
        &[("a.toml", &rule("lexicon = \"../etc/passwd\""))],
        &["site.rule", "inside the rule directory"],
    );
    check_load_error(
        "context",
        &[("a.toml", &rule("terms = [\"x\"]\n[rules.context]\nwords = [\"y\"]\nwindow = 0"))],
        &["site.rule", "window"],
    );
    check_load_error(
        "duplicate",
        &[
            ("a.toml", &rule("terms = [\"x\"]")),
            ("b.toml", &rule("terms = [\"y\"]").replace("\"site\"", "\"other\"")),
        ],
        &["site.rule", "site", "other"],
    );
    check_load_error("empty-dir", &[], &["no *.toml"]);
}

#[test]
fn an_admin_pack_with_a_lexicon_file_and_context_loads_and_fires() {
    let pack = rule(
        "lexicon = \"names.txt\"\nterms = [\"红星项目\"]\n[rules.context]\nwords = [\"试验\"]\nwindow = 10\nrequired = true",
    );
    let dir =
        rule_dir("lexicon", &[("site.toml", &pack), ("names.txt", "# code names\n蓝天工程\n\nBlue Sky\n")]);
    let rules = RuleSet::load_dir(&dir).unwrap();
    assert_eq!(rules.rule_count(), 1);
    assert_eq!(rules.packs()[0].name_en, "Our site");
    check_with(&rules, "蓝天工程试验", &["site.rule 蓝天工程"]);
    check_with(&rules, "BLUE  SKY 试验", &["site.rule BLUE  SKY"]);
    check_with(&rules, "红星项目将于下月试验", &["site.rule 红星项目"]);
    check_with(&rules, "蓝天工程", &[]);
    check_with(&rules, "红星项目的宣传材料很多，下一季度才试验", &[]);
}

#[test]
fn a_disabled_pack_is_checked_but_does_not_run() {
    let pack = rule("terms = [\"红星项目\"]").replace("[pack]\n", "[pack]\nenabled = false\n");
    let dir = rule_dir("disabled", &[("site.toml", &pack)]);
    let rules = RuleSet::load_dir(&dir).unwrap();
    assert_eq!(rules.rule_count(), 0);
    assert!(!rules.packs()[0].enabled);
    check_with(&rules, "红星项目", &[]);
}

#[test]
fn negative_context_cancels_a_match() {
    let pack = rule("terms = [\"演习\"]\n[rules.context]\nnegative = [\"消防\"]\nwindow = 5");
    let dir = rule_dir("negative", &[("site.toml", &pack)]);
    let rules = RuleSet::load_dir(&dir).unwrap();
    check_with(&rules, "联合演习", &["site.rule 演习"]);
    check_with(&rules, "消防演习", &[]);
}
