//! What changed between two revisions of a strategy, element by element (by id, so that a
//! renumbered or retitled element is one change, not a removal and an addition) and block by
//! block, with a word-level diff of every changed text. Only what changed appears.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use similar::{ChangeTag, TextDiff};

use crate::identity::Map;
use crate::{ElementId, Identity, ManagementObjective, Node, Objective, Strategy};

/// The changes from one revision to another. Unchanged elements and blocks appear nowhere.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct StrategyDiff {
    /// Cover facts that changed.
    pub cover: Vec<CoverChange>,
    /// Elements removed (in the old document's order), then elements added, renumbered or
    /// retitled (in the new document's order).
    pub elements: Vec<ElementChange>,
    /// Narrative blocks whose text changed, including those of added and removed elements:
    /// the priorities first, then in the order of `elements`.
    pub blocks: Vec<BlockChange>,
}

impl StrategyDiff {
    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.cover.is_empty() && self.elements.is_empty() && self.blocks.is_empty()
    }
}

/// A cover fact that changed; `null` stands for "not stated".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CoverChange {
    pub field: CoverField,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// The cover facts a strategy states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum CoverField {
    Kind,
    Country,
    Title,
    Marking,
    /// The approval date (ISO).
    Approved,
}

/// What happened to one element, named by its id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "change", rename_all = "lowercase")]
pub enum ElementChange {
    /// New in this revision.
    Added {
        id: ElementId,
        node: Node,
        title: String,
    },
    /// Gone from this revision (its id ends: it is never given again).
    Removed {
        id: ElementId,
        node: Node,
        title: String,
    },
    /// The same element at another place.
    Renumbered { id: ElementId, from: Node, to: Node },
    /// The same element under another title (`node` is its place in the new revision).
    Retitled {
        id: ElementId,
        node: Node,
        old: String,
        new: String,
        words: Vec<WordSegment>,
    },
}

impl ElementChange {
    pub fn id(&self) -> ElementId {
        match self {
            Self::Added { id, .. }
            | Self::Removed { id, .. }
            | Self::Renumbered { id, .. }
            | Self::Retitled { id, .. } => *id,
        }
    }
}

/// A narrative block whose text changed; `null` stands for "absent".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct BlockChange {
    /// The element the block belongs to; none for the priorities.
    pub id: Option<ElementId>,
    /// The element's place in the new revision (in the old one when it was removed).
    pub node: Node,
    pub block: Block,
    pub old: Option<String>,
    pub new: Option<String>,
    /// From the old text to the new, word by word.
    pub words: Vec<WordSegment>,
}

/// The narrative blocks of a strategy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Block {
    /// The Chief of Mission Priorities (paragraphs joined by a blank line).
    Priorities,
    /// A goal's description.
    Description,
    Justification,
    Linkages,
    Risks,
}

impl Block {
    pub fn name(self) -> &'static str {
        match self {
            Self::Priorities => "priorities",
            Self::Description => "description",
            Self::Justification => "justification",
            Self::Linkages => "linkages",
            Self::Risks => "risks",
        }
    }
}

/// One piece of a word-level diff. The `equal` and `delete` pieces in order spell the old
/// text exactly, the `equal` and `insert` pieces the new one; neighbouring pieces never have
/// the same `op`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct WordSegment {
    pub op: WordOp,
    pub text: String,
}

/// What a piece of a word-level diff is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum WordOp {
    Equal,
    Delete,
    Insert,
}

/// The word-level diff from `old` to `new` (words and the whitespace between them are the
/// units).
pub fn words(old: &str, new: &str) -> Vec<WordSegment> {
    let diff = TextDiff::from_words(old, new);
    let mut out: Vec<WordSegment> = Vec::new();
    for change in diff.iter_all_changes() {
        let op = match change.tag() {
            ChangeTag::Equal => WordOp::Equal,
            ChangeTag::Delete => WordOp::Delete,
            ChangeTag::Insert => WordOp::Insert,
        };
        match out.last_mut() {
            Some(last) if last.op == op => last.text.push_str(change.value()),
            _ => out.push(WordSegment {
                op,
                text: change.value().to_string(),
            }),
        }
    }
    out
}

/// The changes from `old` to `new`, each a strategy with the identity of its elements (as
/// [`crate::identity::carry`] gives them). Elements are paired by id. An element its identity
/// gives no id, or whose place repeats an earlier element's (a `duplicate-number` error), is
/// not compared.
pub fn diff(old: (&Strategy, &Identity), new: (&Strategy, &Identity)) -> StrategyDiff {
    let (os, ns) = (old.0, new.0);
    let mut out = StrategyDiff {
        cover: cover(os, ns),
        ..StrategyDiff::default()
    };

    let priorities = |s: &Strategy| (!s.priorities.is_empty()).then(|| s.priorities.join("\n\n"));
    block(
        &mut out.blocks,
        None,
        &Node::Priorities,
        Block::Priorities,
        priorities(os).as_deref(),
        priorities(ns).as_deref(),
    );

    let olds = elements(os, old.1);
    let news = elements(ns, new.1);
    let old_by_id: Map<ElementId, usize> =
        olds.iter().enumerate().map(|(i, e)| (e.id, i)).collect();
    let new_by_id: Map<ElementId, usize> =
        news.iter().enumerate().map(|(i, e)| (e.id, i)).collect();

    for e in olds.iter().filter(|e| !new_by_id.contains_key(&e.id)) {
        out.elements.push(ElementChange::Removed {
            id: e.id,
            node: e.node.clone(),
            title: e.title.to_string(),
        });
        for &(b, text) in &e.blocks {
            block(&mut out.blocks, Some(e.id), &e.node, b, text, None);
        }
    }

    for n in &news {
        let Some(o) = old_by_id.get(&n.id).map(|&i| &olds[i]) else {
            out.elements.push(ElementChange::Added {
                id: n.id,
                node: n.node.clone(),
                title: n.title.to_string(),
            });
            for &(b, text) in &n.blocks {
                block(&mut out.blocks, Some(n.id), &n.node, b, None, text);
            }
            continue;
        };
        if o.node != n.node {
            out.elements.push(ElementChange::Renumbered {
                id: n.id,
                from: o.node.clone(),
                to: n.node.clone(),
            });
        }
        if o.title != n.title {
            out.elements.push(ElementChange::Retitled {
                id: n.id,
                node: n.node.clone(),
                old: o.title.to_string(),
                new: n.title.to_string(),
                words: words(o.title, n.title),
            });
        }
        // Blocks by name: both lists follow one fixed order, and an element could (with an
        // identity from elsewhere) have changed kind.
        let mut names: Vec<Block> = o.blocks.iter().chain(&n.blocks).map(|b| b.0).collect();
        names.sort_by_key(|b| *b as u8);
        names.dedup();
        for b in names {
            block(
                &mut out.blocks,
                Some(n.id),
                &n.node,
                b,
                o.block(b),
                n.block(b),
            );
        }
    }
    out
}

fn cover(os: &Strategy, ns: &Strategy) -> Vec<CoverChange> {
    let kind = |s: &Strategy| {
        serde_json::to_value(s.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
    };
    let approved = |s: &Strategy| s.approved.map(|d| d.to_string());
    let facts = [
        (CoverField::Kind, kind(os), kind(ns)),
        (CoverField::Country, os.country.clone(), ns.country.clone()),
        (
            CoverField::Title,
            Some(os.title.clone()),
            Some(ns.title.clone()),
        ),
        (CoverField::Marking, os.marking.clone(), ns.marking.clone()),
        (CoverField::Approved, approved(os), approved(ns)),
    ];
    facts
        .into_iter()
        .filter(|(_, old, new)| old != new)
        .map(|(field, old, new)| CoverChange { field, old, new })
        .collect()
}

/// Records a block change when the text differs.
fn block(
    out: &mut Vec<BlockChange>,
    id: Option<ElementId>,
    node: &Node,
    block: Block,
    old: Option<&str>,
    new: Option<&str>,
) {
    if old == new {
        return;
    }
    out.push(BlockChange {
        id,
        node: node.clone(),
        block,
        old: old.map(str::to_string),
        new: new.map(str::to_string),
        words: words(old.unwrap_or_default(), new.unwrap_or_default()),
    });
}

/// An element as the diff sees it.
struct Elem<'a> {
    id: ElementId,
    node: Node,
    title: &'a str,
    blocks: Vec<(Block, Option<&'a str>)>,
}

impl<'a> Elem<'a> {
    fn block(&self, b: Block) -> Option<&'a str> {
        self.blocks.iter().find(|x| x.0 == b).and_then(|x| x.1)
    }
}

/// The elements of a strategy that have an id, in document order, the first of each node.
fn elements<'a>(s: &'a Strategy, ident: &Identity) -> Vec<Elem<'a>> {
    struct Collect<'a, 'i> {
        ident: &'i Identity,
        out: Vec<Elem<'a>>,
        nodes: Map<Node, ()>,
        ids: Map<ElementId, ()>,
    }
    impl<'a> Collect<'a, '_> {
        fn push(&mut self, node: Node, title: &'a str, blocks: Vec<(Block, Option<&'a str>)>) {
            let Some(id) = self.ident.get(&node) else {
                return;
            };
            if self.nodes.insert(node.clone(), ()).is_some() || self.ids.insert(id, ()).is_some() {
                return;
            }
            self.out.push(Elem {
                id,
                node,
                title,
                blocks,
            });
        }

        fn objective(&mut self, o: &'a Objective) {
            self.push(
                Node::Objective(o.number.clone()),
                &o.title,
                vec![
                    (Block::Justification, o.justification.as_deref()),
                    (Block::Linkages, o.linkages.as_deref()),
                    (Block::Risks, o.risks.as_deref()),
                ],
            );
            for s in &o.sub_objectives {
                self.objective(s);
            }
        }

        fn management(&mut self, m: &'a ManagementObjective) {
            self.push(
                Node::Management(m.number.clone()),
                &m.title,
                vec![
                    (Block::Justification, m.justification.as_deref()),
                    (Block::Linkages, m.linkages.as_deref()),
                    (Block::Risks, m.risks.as_deref()),
                ],
            );
        }
    }

    let mut c = Collect {
        ident,
        out: Vec::new(),
        nodes: Map::default(),
        ids: Map::default(),
    };
    for g in &s.goals {
        c.push(
            Node::Goal(g.number.clone()),
            &g.title,
            vec![(Block::Description, g.description.as_deref())],
        );
        for o in &g.objectives {
            c.objective(o);
        }
    }
    for m in &s.management_objectives {
        c.management(m);
    }
    c.out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::carry;
    use crate::{Goal, Number, StrategyKind};
    use proptest::prelude::{prop_assert_eq, proptest};

    fn num(s: &str) -> Number {
        Number::parse(s).unwrap_or_else(|e| panic!("{e}"))
    }

    fn node(s: &str) -> Node {
        s.parse().unwrap_or_else(|e| panic!("{e}"))
    }

    fn objective(number: &str, title: &str, justification: &str) -> Objective {
        Objective {
            number: num(number),
            title: title.into(),
            justification: Some(justification.into()),
            linkages: None,
            risks: None,
            links: Vec::new(),
            sub_objectives: Vec::new(),
        }
    }

    fn base() -> Strategy {
        Strategy {
            kind: StrategyKind::Ics,
            country: Some("Mali".into()),
            title: "Integrated Country Strategy".into(),
            marking: Some("FOR PUBLIC RELEASE".into()),
            approved: "2022-03-01".parse().ok(),
            priorities: vec![
                "Peace in the north.".into(),
                "Growth for all Malians.".into(),
            ],
            goals: vec![Goal {
                number: num("1"),
                title: "Mali lays the groundwork for a durable peace".into(),
                description: Some("Security across the north and centre.".into()),
                links: Vec::new(),
                objectives: vec![
                    objective(
                        "1.1",
                        "Strengthen the Malian security forces",
                        "Professional forces protect civilians.",
                    ),
                    objective(
                        "1.2",
                        "Advance the peace accord",
                        "The Algiers accord frames reconciliation.",
                    ),
                ],
            }],
            management_objectives: vec![ManagementObjective {
                number: num("1"),
                title: "Modernize the embassy's facilities".into(),
                justification: Some("The new annex serves every agency.".into()),
                linkages: None,
                risks: None,
                links: Vec::new(),
            }],
            figures: Vec::new(),
        }
    }

    /// The diff from `a` to `b`, with `b`'s identity carried from `a`'s.
    fn between(a: &Strategy, b: &Strategy) -> StrategyDiff {
        let ia = carry(None, a);
        let ib = carry(Some((a, &ia)), b);
        diff((a, &ia), (b, &ib))
    }

    fn spell(words: &[WordSegment], skip: WordOp) -> String {
        words
            .iter()
            .filter(|w| w.op != skip)
            .map(|w| w.text.as_str())
            .collect()
    }

    #[test]
    fn same_revision_is_empty() {
        let s = base();
        let d = between(&s, &s);
        assert!(d.is_empty(), "{d:?}");
        let json = serde_json::to_value(&d).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            json,
            serde_json::json!({"cover": [], "elements": [], "blocks": []})
        );
    }

    #[test]
    fn cover_changes() {
        let a = base();
        let mut b = base();
        b.approved = "2023-05-04".parse().ok();
        b.marking = None;
        let d = between(&a, &b);
        assert_eq!(
            d.cover,
            vec![
                CoverChange {
                    field: CoverField::Marking,
                    old: Some("FOR PUBLIC RELEASE".into()),
                    new: None,
                },
                CoverChange {
                    field: CoverField::Approved,
                    old: Some("2022-03-01".into()),
                    new: Some("2023-05-04".into()),
                },
            ]
        );
        assert!(d.elements.is_empty() && d.blocks.is_empty());
    }

    #[test]
    fn renumbered_element_is_one_change_without_its_unchanged_blocks() {
        let a = base();
        let mut b = base();
        b.goals[0].objectives.insert(
            0,
            objective("1.1", "Protect civilians in conflict zones", "New."),
        );
        b.goals[0].objectives[1].number = num("1.2");
        b.goals[0].objectives[2].number = num("1.3");
        let d = between(&a, &b);
        assert_eq!(
            d.elements,
            vec![
                ElementChange::Added {
                    id: ElementId(5),
                    node: node("objective:1.1"),
                    title: "Protect civilians in conflict zones".into(),
                },
                ElementChange::Renumbered {
                    id: ElementId(2),
                    from: node("objective:1.1"),
                    to: node("objective:1.2"),
                },
                ElementChange::Renumbered {
                    id: ElementId(3),
                    from: node("objective:1.2"),
                    to: node("objective:1.3"),
                },
            ]
        );
        // Only the added objective's justification is new text.
        assert_eq!(d.blocks.len(), 1);
        assert_eq!(d.blocks[0].id, Some(ElementId(5)));
        assert_eq!(d.blocks[0].old, None);
        assert_eq!(d.blocks[0].new.as_deref(), Some("New."));
    }

    #[test]
    fn retitled_element_has_a_word_diff() {
        let a = base();
        let mut b = base();
        b.goals[0].objectives[0].title = "Strengthen and professionalize the Malian army".into();
        let d = between(&a, &b);
        let [
            ElementChange::Retitled {
                id,
                node: at,
                old,
                new,
                words,
            },
        ] = d.elements.as_slice()
        else {
            panic!("{:?}", d.elements)
        };
        assert_eq!((*id, at), (ElementId(2), &node("objective:1.1")));
        assert_eq!(old, "Strengthen the Malian security forces");
        assert_eq!(new, "Strengthen and professionalize the Malian army");
        assert_eq!(&spell(words, WordOp::Insert), old);
        assert_eq!(&spell(words, WordOp::Delete), new);
        assert!(words.contains(&WordSegment {
            op: WordOp::Insert,
            text: "and professionalize ".into()
        }));
        assert!(d.blocks.is_empty());
    }

    #[test]
    fn changed_blocks_only() {
        let a = base();
        let mut b = base();
        b.goals[0].objectives[1].justification =
            Some("The Algiers accord still frames reconciliation.".into());
        b.goals[0].objectives[1].risks = Some("Armed groups withdraw.".into());
        b.priorities[1] = "Inclusive growth for all Malians.".into();
        let d = between(&a, &b);
        assert!(d.elements.is_empty());
        let summary: Vec<(Option<ElementId>, &str, Block)> = d
            .blocks
            .iter()
            .map(|c| (c.id, c.node.to_string(), c.block))
            .map(|(i, n, b)| {
                (
                    i,
                    if n == "priorities" {
                        "priorities"
                    } else {
                        "objective:1.2"
                    },
                    b,
                )
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                (None, "priorities", Block::Priorities),
                (Some(ElementId(3)), "objective:1.2", Block::Justification),
                (Some(ElementId(3)), "objective:1.2", Block::Risks),
            ]
        );
        assert_eq!(d.blocks[2].old, None);
        assert_eq!(
            d.blocks[1].words,
            vec![
                WordSegment {
                    op: WordOp::Equal,
                    text: "The Algiers accord ".into()
                },
                WordSegment {
                    op: WordOp::Insert,
                    text: "still ".into()
                },
                WordSegment {
                    op: WordOp::Equal,
                    text: "frames reconciliation.".into()
                },
            ]
        );
        // Nothing unchanged leaks into the diff.
        let json = serde_json::to_string(&d).unwrap_or_else(|e| panic!("{e}"));
        for unchanged in ["Professional forces", "Security across", "new annex"] {
            assert!(!json.contains(unchanged), "{unchanged} in {json}");
        }
    }

    #[test]
    fn removed_element_takes_its_blocks() {
        let a = base();
        let mut b = base();
        b.management_objectives.clear();
        let d = between(&a, &b);
        assert_eq!(
            d.elements,
            vec![ElementChange::Removed {
                id: ElementId(4),
                node: node("management:1"),
                title: "Modernize the embassy's facilities".into(),
            }]
        );
        assert_eq!(d.blocks.len(), 1);
        assert_eq!(d.blocks[0].new, None);
        assert_eq!(d.blocks[0].words[0].op, WordOp::Delete);
    }

    #[test]
    fn moved_and_retitled_element_reports_both() {
        let a = base();
        let mut b = base();
        let mut o = b.goals[0].objectives.remove(1);
        o.number = num("2.1");
        o.title = "Advance the Algiers peace accord".into();
        b.goals.push(Goal {
            number: num("2"),
            title: "Mali achieves inclusive growth".into(),
            description: None,
            links: Vec::new(),
            objectives: vec![o],
        });
        let d = between(&a, &b);
        let changes: Vec<String> = d
            .elements
            .iter()
            .map(|c| {
                serde_json::to_value(c).unwrap_or_else(|e| panic!("{e}"))["change"].to_string()
            })
            .collect();
        assert_eq!(changes, ["\"added\"", "\"renumbered\"", "\"retitled\""]);
        assert!(d.elements.iter().skip(1).all(|c| c.id() == ElementId(3)));
        let json = serde_json::to_value(&d.elements[1]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            json,
            serde_json::json!({"change": "renumbered", "id": "e3", "from": "objective:1.2", "to": "objective:2.1"})
        );
    }

    #[test]
    fn word_segments_merge_neighbours() {
        let w = words("a b c d", "a x y d");
        assert!(w.windows(2).all(|p| p[0].op != p[1].op), "{w:?}");
        assert_eq!(spell(&w, WordOp::Insert), "a b c d");
        assert_eq!(spell(&w, WordOp::Delete), "a x y d");
        assert!(words("same", "same").iter().all(|s| s.op == WordOp::Equal));
        assert!(words("", "").is_empty());
    }

    #[test]
    fn schema_names_the_changes() {
        let schema = serde_json::to_string(&schemars::schema_for!(StrategyDiff))
            .unwrap_or_else(|e| panic!("{e}"));
        for name in ["renumbered", "retitled", "justification", "insert"] {
            assert!(schema.contains(name), "{name}");
        }
    }

    proptest! {
        #[test]
        fn segments_spell_both_texts(old in "[abc ]{0,40}", new in "[abc ]{0,40}") {
            let w = words(&old, &new);
            prop_assert_eq!(spell(&w, WordOp::Insert), old);
            prop_assert_eq!(spell(&w, WordOp::Delete), new);
        }
    }
}
