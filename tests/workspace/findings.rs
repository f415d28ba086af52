//! Findings through the CLI, as the built-in rule packs make them: decisions one by one, submit
//! refused while any is open, and the cross-document mosaic check.

use super::Office;

fn findings(office: &Office, doc: &str) -> Vec<serde_json::Value> {
    let json: serde_json::Value = serde_json::from_str(&office.ok(&["findings", doc, "--json"])).unwrap();
    json.as_array().unwrap().clone()
}

/// `(category, status)` of each finding, in id order.
fn statuses(office: &Office, doc: &str) -> Vec<(String, String)> {
    findings(office, doc)
        .iter()
        .map(|f| (f["category"].as_str().unwrap().to_string(), f["status"].as_str().unwrap().to_string()))
        .collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected.iter().map(|(c, s)| (c.to_string(), s.to_string())).collect()
}

#[test]
fn every_finding_is_decided_before_review_can_be_signed() {
    let office = Office::new();
    let doc = office.import(&office.write("n.txt", "通知：95837部队将于下月开放。联系电话13800138000。\n"));
    assert_eq!(statuses(&office, &doc), pairs(&[("military_unit", "open"), ("personal_identifier", "open")]));

    let line = office.refused_as("rita", &["submit", &doc]);
    assert!(line.contains("2 finding(s) still undecided (#1, #2)"), "{line}");
    office.ok_as("rita", &["decide", &doc, "--keep", "2", "--reason", "单位公开办公电话"]);
    let line = office.refused_as("rita", &["submit", &doc]);
    assert!(line.contains("(#1)"), "{line}");
    office.ok_as("rita", &["decide", &doc, "--redact", "1"]);
    assert_eq!(
        statuses(&office, &doc),
        pairs(&[("military_unit", "redact"), ("personal_identifier", "keep")])
    );
    let kept = &findings(&office, &doc)[1];
    assert_eq!(kept["decision_reason"], "单位公开办公电话");
    assert_eq!(kept["decided_by"], "rita");

    office.ok_as("rita", &["submit", &doc]);
    office.ok_as("alan", &["approve", &doc]);
    let out = office.path("public.txt");
    office.ok_as("alan", &["export", &doc, "--out", out.to_str().unwrap()]);
    assert_eq!(std::fs::read_to_string(out).unwrap(), "通知：███████将于下月开放。联系电话13800138000。\n");
}

#[test]
fn a_draft_completing_a_mosaic_with_an_earlier_release_names_it() {
    let office = Office::new();
    // Released earlier, the unit designator kept as already public.
    let earlier = office.import(&office.write("open-day.txt", "95837部队举行开放日活动。\n"));
    office.ok_as("rita", &["decide", &earlier, "--keep", "all", "--reason", "开放日已公开报道"]);
    office.ok_as("rita", &["submit", &earlier]);
    office.ok_as("alan", &["approve", &earlier]);
    office
        .ok_as("alan", &["export", &earlier, "--out", office.path("open-day.public.txt").to_str().unwrap()]);

    // Today's draft names a place and equipment: harmless alone, revealing with the unit.
    let draft = office.import(&office.write("drill.txt", "演习在军事管理区进行，雷达工作频率9.4GHz。\n"));
    let mosaic: Vec<serde_json::Value> =
        findings(&office, &draft).into_iter().filter(|f| f["rule"] == "mosaic.cross_document").collect();
    assert_eq!(mosaic.len(), 1, "{mosaic:?}");
    assert_eq!(mosaic[0]["category"], "mosaic");
    assert_eq!(mosaic[0]["status"], "open");
    let note = mosaic[0]["note"].as_str().unwrap();
    assert!(note.contains(&format!("{earlier} revision 1")), "{note}");
}
