//! A strategy's text as blocks — one per element field — for search and for editing one field
//! at a time.

use std::fmt;
use std::str::FromStr;

use crate::{Node, Number, Objective, Strategy};

/// A field of an element that holds text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    Title,
    /// A goal's description.
    Description,
    Justification,
    Linkages,
    Risks,
    /// The Chief of Mission priorities, paragraphs separated by blank lines.
    Priorities,
}

impl Field {
    pub const ALL: [Self; 6] = [
        Self::Title,
        Self::Description,
        Self::Justification,
        Self::Linkages,
        Self::Risks,
        Self::Priorities,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Title => "title",
            Self::Description => "description",
            Self::Justification => "justification",
            Self::Linkages => "linkages",
            Self::Risks => "risks",
            Self::Priorities => "priorities",
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a string is not a field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{0:?} is not a field: expected title, description, justification, linkages, risks or priorities"
)]
pub struct FieldError(pub String);

impl FromStr for Field {
    type Err = FieldError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|f| f.as_str() == s)
            .ok_or_else(|| FieldError(s.to_string()))
    }
}

crate::serde_as_string!(Field);

/// One field's text, with the element it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub node: Node,
    pub field: Field,
    /// The element as a reader names it: "Objective 1.2: Strengthen …", "Chief of Mission Priorities".
    pub heading: String,
    pub text: String,
}

/// Why an edit cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("the strategy has no {0}")]
    NoSuchNode(Node),
    #[error("{node} has no {field} field")]
    NoSuchField { node: Node, field: Field },
    #[error("a title cannot be empty")]
    EmptyTitle,
    #[error("a title is one line: it cannot hold a line break")]
    MultilineTitle,
}

impl Strategy {
    /// Every non-empty text field, in document order.
    pub fn blocks(&self) -> Vec<Block> {
        let mut out = Vec::new();
        let mut push = |node: &Node, heading: &str, field: Field, text: Option<&str>| {
            if let Some(t) = text.filter(|t| !t.trim().is_empty()) {
                out.push(Block {
                    node: node.clone(),
                    field,
                    heading: heading.to_string(),
                    text: t.to_string(),
                });
            }
        };
        let priorities = self.priorities.join("\n\n");
        push(
            &Node::Priorities,
            "Chief of Mission Priorities",
            Field::Priorities,
            Some(&priorities),
        );
        for g in &self.goals {
            let node = Node::Goal(g.number.clone());
            let heading = format!("Mission Goal {}: {}", g.number, g.title);
            push(&node, &heading, Field::Title, Some(&g.title));
            push(
                &node,
                &heading,
                Field::Description,
                g.description.as_deref(),
            );
            for o in g.objectives.iter().flat_map(Objective::walk) {
                let node = Node::Objective(o.number.clone());
                let heading = format!(
                    "{}: {}",
                    crate::ElementKind::Objective.label(&o.number),
                    o.title
                );
                push(&node, &heading, Field::Title, Some(&o.title));
                push(
                    &node,
                    &heading,
                    Field::Justification,
                    o.justification.as_deref(),
                );
                push(&node, &heading, Field::Linkages, o.linkages.as_deref());
                push(&node, &heading, Field::Risks, o.risks.as_deref());
            }
        }
        for m in &self.management_objectives {
            let node = Node::Management(m.number.clone());
            let heading = format!("Management Objective {}: {}", m.number, m.title);
            push(&node, &heading, Field::Title, Some(&m.title));
            push(
                &node,
                &heading,
                Field::Justification,
                m.justification.as_deref(),
            );
            push(&node, &heading, Field::Linkages, m.linkages.as_deref());
            push(&node, &heading, Field::Risks, m.risks.as_deref());
        }
        out
    }

    /// The current text of one field (None when the field is empty).
    pub fn field(&self, node: &Node, field: Field) -> Result<Option<String>, EditError> {
        let mut copy = self.clone();
        let slot = copy.slot(node, field)?;
        Ok(match slot {
            Slot::Title(t) => Some(t.clone()),
            Slot::Text(t) => t.clone(),
            Slot::Paragraphs(p) => (!p.is_empty()).then(|| p.join("\n\n")),
        })
    }

    /// Replaces one field's text. Narrative is trimmed and an empty one removed; a title must
    /// be one non-empty line. Links and figures are not re-derived here: the importer does that
    /// when the edited strategy is read back.
    pub fn set_field(&mut self, node: &Node, field: Field, value: &str) -> Result<(), EditError> {
        let value = value.replace("\r\n", "\n").replace('\r', "\n");
        let value = value.trim();
        match self.slot(node, field)? {
            Slot::Title(t) => {
                if value.is_empty() {
                    return Err(EditError::EmptyTitle);
                }
                if value.contains('\n') {
                    return Err(EditError::MultilineTitle);
                }
                *t = value.to_string();
            }
            Slot::Text(t) => *t = (!value.is_empty()).then(|| value.to_string()),
            Slot::Paragraphs(p) => {
                *p = value
                    .split("\n\n")
                    .map(|para| para.split_whitespace().collect::<Vec<_>>().join(" "))
                    .filter(|para| !para.is_empty())
                    .collect();
            }
        }
        Ok(())
    }

    fn slot(&mut self, node: &Node, field: Field) -> Result<Slot<'_>, EditError> {
        let no_field = || EditError::NoSuchField {
            node: node.clone(),
            field,
        };
        let no_node = || EditError::NoSuchNode(node.clone());
        match node {
            Node::Priorities => match field {
                Field::Priorities => Ok(Slot::Paragraphs(&mut self.priorities)),
                _ => Err(no_field()),
            },
            Node::Goal(n) => {
                let g = self
                    .goals
                    .iter_mut()
                    .find(|g| &g.number == n)
                    .ok_or_else(no_node)?;
                match field {
                    Field::Title => Ok(Slot::Title(&mut g.title)),
                    Field::Description => Ok(Slot::Text(&mut g.description)),
                    _ => Err(no_field()),
                }
            }
            Node::Objective(n) => {
                let o = self
                    .goals
                    .iter_mut()
                    .find_map(|g| find_objective(&mut g.objectives, n))
                    .ok_or_else(no_node)?;
                match field {
                    Field::Title => Ok(Slot::Title(&mut o.title)),
                    Field::Justification => Ok(Slot::Text(&mut o.justification)),
                    Field::Linkages => Ok(Slot::Text(&mut o.linkages)),
                    Field::Risks => Ok(Slot::Text(&mut o.risks)),
                    _ => Err(no_field()),
                }
            }
            Node::Management(n) => {
                let m = self
                    .management_objectives
                    .iter_mut()
                    .find(|m| &m.number == n)
                    .ok_or_else(no_node)?;
                match field {
                    Field::Title => Ok(Slot::Title(&mut m.title)),
                    Field::Justification => Ok(Slot::Text(&mut m.justification)),
                    Field::Linkages => Ok(Slot::Text(&mut m.linkages)),
                    Field::Risks => Ok(Slot::Text(&mut m.risks)),
                    _ => Err(no_field()),
                }
            }
        }
    }

    /// Whether the document is marked for public release, so anonymous visitors may read it.
    pub fn is_public(&self) -> bool {
        self.marking
            .as_deref()
            .is_some_and(|m| m.trim().eq_ignore_ascii_case("FOR PUBLIC RELEASE"))
    }
}

enum Slot<'a> {
    Title(&'a mut String),
    Text(&'a mut Option<String>),
    Paragraphs(&'a mut Vec<String>),
}

fn find_objective<'a>(list: &'a mut [Objective], n: &Number) -> Option<&'a mut Objective> {
    for o in list {
        if &o.number == n {
            return Some(o);
        }
        if let Some(found) = find_objective(&mut o.sub_objectives, n) {
            return Some(found);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Goal, StrategyKind};

    fn num(s: &str) -> Number {
        Number::parse(s).unwrap_or_else(|e| panic!("{e}"))
    }

    fn sample() -> Strategy {
        let obj = |n: &str, subs: Vec<Objective>| Objective {
            number: num(n),
            title: format!("Objective {n}"),
            justification: Some("Why.".into()),
            linkages: None,
            risks: Some("Risk.".into()),
            links: vec![],
            sub_objectives: subs,
        };
        Strategy {
            kind: StrategyKind::Ics,
            country: Some("Mali".into()),
            title: "Integrated Country Strategy".into(),
            marking: Some("FOR PUBLIC RELEASE".into()),
            approved: None,
            priorities: vec!["First.".into(), "Second.".into()],
            goals: vec![Goal {
                number: num("1"),
                title: "Peace".into(),
                description: None,
                links: vec![],
                objectives: vec![obj("1.1", vec![obj("1.1.1", vec![])])],
            }],
            management_objectives: vec![],
            figures: vec![],
        }
    }

    #[test]
    fn blocks_cover_every_non_empty_field_in_order() {
        let b = sample().blocks();
        let names: Vec<String> = b
            .iter()
            .map(|b| format!("{} {}", b.node, b.field))
            .collect();
        assert_eq!(
            names,
            [
                "priorities priorities",
                "goal:1 title",
                "objective:1.1 title",
                "objective:1.1 justification",
                "objective:1.1 risks",
                "objective:1.1.1 title",
                "objective:1.1.1 justification",
                "objective:1.1.1 risks",
            ]
        );
        assert_eq!(b[0].text, "First.\n\nSecond.");
        assert_eq!(b[5].heading, "Sub-Objective 1.1.1: Objective 1.1.1");
    }

    #[test]
    fn set_field_edits_one_place_and_reads_back() {
        let mut s = sample();
        let node = Node::Objective(num("1.1.1"));
        s.set_field(&node, Field::Justification, "  New why.\r\n")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            s.field(&node, Field::Justification),
            Ok(Some("New why.".into()))
        );
        assert_eq!(
            s.field(&Node::Objective(num("1.1")), Field::Justification),
            Ok(Some("Why.".into()))
        );
        s.set_field(&node, Field::Risks, " ")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.field(&node, Field::Risks), Ok(None));
        s.set_field(&Node::Priorities, Field::Priorities, "A\nb.\n\n\nC.")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.priorities, ["A b.", "C."]);
    }

    #[test]
    fn set_field_refuses_what_does_not_fit() {
        let mut s = sample();
        let goal = Node::Goal(num("1"));
        assert_eq!(
            s.set_field(&goal, Field::Title, " "),
            Err(EditError::EmptyTitle)
        );
        assert_eq!(
            s.set_field(&goal, Field::Title, "a\nb"),
            Err(EditError::MultilineTitle)
        );
        assert!(matches!(
            s.set_field(&goal, Field::Risks, "x"),
            Err(EditError::NoSuchField { .. })
        ));
        assert!(matches!(
            s.set_field(&Node::Goal(num("9")), Field::Title, "x"),
            Err(EditError::NoSuchNode(_))
        ));
        assert_eq!(s, sample(), "a refused edit changes nothing");
    }

    #[test]
    fn public_marking() {
        let mut s = sample();
        assert!(s.is_public());
        s.marking = Some("SENSITIVE BUT UNCLASSIFIED".into());
        assert!(!s.is_public());
        s.marking = None;
        assert!(!s.is_public());
    }
}
