//! Which styles hide text: a run is hidden by `w:vanish` set on the run itself, or else by its
//! character style, or else by its paragraph's style, each style inheriting through `w:basedOn`.
//! A reviewer must not see text as visible that Word hides, nor miss it when it is removed.

use std::collections::BTreeMap;

use super::package::Package;
use super::xml::{self, Cursor, Node, Ns};
use crate::error::Result;
use crate::limits::Limits;

const STYLES_PART: &str = "word/styles.xml";

/// The hidden-text setting of each style that has one, directly or through `w:basedOn`.
#[derive(Debug, Default)]
pub(crate) struct Styles {
    hidden: BTreeMap<String, bool>,
}

/// One `w:style` as written: its own `w:vanish` setting, if any, and its parent.
#[derive(Default)]
struct Declared {
    vanish: Option<bool>,
    based_on: Option<String>,
}

impl Styles {
    /// Reads `word/styles.xml`; a package without it has no styles.
    pub(crate) fn read(package: &Package, limits: &Limits) -> Result<Styles> {
        let Some(bytes) = package.get(STYLES_PART) else { return Ok(Styles::default()) };
        let (text, _) = xml::decode(bytes, STYLES_PART)?;
        Styles::parse(&text, limits)
    }

    fn parse(text: &str, limits: &Limits) -> Result<Styles> {
        let mut cursor = Cursor::new(text, limits);
        let mut declared: BTreeMap<String, Declared> = BTreeMap::new();
        let mut open: Vec<(Ns, String)> = Vec::new();
        let mut current: Option<String> = None;
        while let Some(item) = cursor.next()? {
            match item.node {
                Node::Start(tag) => {
                    if tag.is_w("style") {
                        current = tag.attr("styleId")?;
                    }
                    open.push((tag.ns, tag.local.to_owned()));
                }
                Node::Empty(tag) => {
                    let Some(id) = current.as_ref() else { continue };
                    let parent = open.last().map(|(ns, local)| (*ns, local.as_str()));
                    let entry = declared.entry(id.clone()).or_default();
                    if tag.is_w("basedOn") && parent == Some((Ns::W, "style")) {
                        entry.based_on = tag.attr("val")?;
                    } else if tag.is_w("vanish")
                        && parent == Some((Ns::W, "rPr"))
                        && open.len() >= 2
                        && open.get(open.len() - 2).is_some_and(|(ns, l)| *ns == Ns::W && l == "style")
                    {
                        entry.vanish =
                            Some(!matches!(tag.attr("val")?.as_deref(), Some("0" | "false" | "off")));
                    }
                }
                Node::End(..) => {
                    let closed = open.pop();
                    if closed.is_some_and(|(ns, local)| ns == Ns::W && local == "style") {
                        current = None;
                    }
                }
                _ => {}
            }
        }
        // Resolve inheritance; a chain longer than the number of styles is a cycle and ends.
        let mut hidden = BTreeMap::new();
        for id in declared.keys() {
            let mut at = Some(id);
            for _ in 0..declared.len() {
                let Some(style) = at.and_then(|id| declared.get(id)) else { break };
                if let Some(vanish) = style.vanish {
                    hidden.insert(id.clone(), vanish);
                    break;
                }
                at = style.based_on.as_ref();
            }
        }
        Ok(Styles { hidden })
    }

    /// Whether style `id` hides text, if it says.
    pub(crate) fn hides(&self, id: &str) -> Option<bool> {
        self.hidden.get(id).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vanish_is_inherited_through_based_on_and_can_be_switched_off() {
        let xml = r#"<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
            <w:style w:type="character" w:styleId="Secret"><w:rPr><w:vanish/></w:rPr></w:style>
            <w:style w:type="character" w:styleId="MoreSecret"><w:basedOn w:val="Secret"/></w:style>
            <w:style w:type="character" w:styleId="Shown"><w:basedOn w:val="Secret"/><w:rPr><w:vanish w:val="0"/></w:rPr></w:style>
            <w:style w:type="paragraph" w:styleId="Plain"><w:pPr><w:rPr><w:vanish/></w:rPr></w:pPr></w:style>
            <w:style w:type="character" w:styleId="Loop1"><w:basedOn w:val="Loop2"/></w:style>
            <w:style w:type="character" w:styleId="Loop2"><w:basedOn w:val="Loop1"/></w:style>
        </w:styles>"#;
        let styles = Styles::parse(xml, &Limits::default()).unwrap();
        let got: Vec<Option<bool>> = ["Secret", "MoreSecret", "Shown", "Plain", "Loop1", "Missing"]
            .iter()
            .map(|s| styles.hides(s))
            .collect();
        // A paragraph style's paragraph-mark formatting (pPr/rPr) does not hide its runs.
        assert_eq!(got, [Some(true), Some(true), Some(false), None, None, None]);
    }
}
