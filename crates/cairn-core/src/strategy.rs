//! The strategy tree: goals, objectives of any depth, management objectives and their narrative.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{Figure, Link, Number};

/// Which family of strategy a document belongs to (PRODUCT.md §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum StrategyKind {
    /// Integrated Country Strategy (a mission's).
    Ics,
    /// Joint Regional Strategy (a regional bureau's).
    Jrs,
    /// Functional Bureau Strategy.
    Fbs,
    /// State–USAID Joint Strategic Plan.
    Jsp,
    /// National Security Strategy.
    Nss,
    /// USAID Country Development Cooperation Strategy.
    Cdcs,
}

impl StrategyKind {
    pub const ALL: [Self; 6] = [
        Self::Ics,
        Self::Jrs,
        Self::Fbs,
        Self::Jsp,
        Self::Nss,
        Self::Cdcs,
    ];

    /// The document title as printed on a cover of this kind.
    pub const fn cover_title(self) -> &'static str {
        match self {
            Self::Ics => "Integrated Country Strategy",
            Self::Jrs => "Joint Regional Strategy",
            Self::Fbs => "Functional Bureau Strategy",
            Self::Jsp => "Joint Strategic Plan",
            Self::Nss => "National Security Strategy",
            Self::Cdcs => "Country Development Cooperation Strategy",
        }
    }
}

/// A strategy as published: cover facts, the Chief of Mission's priorities and the framework.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Strategy {
    pub kind: StrategyKind,
    /// The country as a name ("Mali"), not as the cover's capitals.
    pub country: Option<String>,
    pub title: String,
    /// The banner as printed ("FOR PUBLIC RELEASE"); null when the document has none.
    pub marking: Option<String>,
    /// The approval date when the cover states one.
    pub approved: Option<NaiveDate>,
    /// Chief of Mission Priorities, one entry per paragraph.
    pub priorities: Vec<String>,
    pub goals: Vec<Goal>,
    pub management_objectives: Vec<ManagementObjective>,
    /// Quantities found in the narrative.
    pub figures: Vec<Figure>,
}

/// A Mission Goal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Goal {
    pub number: Number,
    pub title: String,
    pub description: Option<String>,
    pub links: Vec<Link>,
    pub objectives: Vec<Objective>,
}

/// A Mission Objective or, nested, a sub-objective of any depth.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Objective {
    pub number: Number,
    pub title: String,
    pub justification: Option<String>,
    pub linkages: Option<String>,
    pub risks: Option<String>,
    pub links: Vec<Link>,
    pub sub_objectives: Vec<Objective>,
}

/// A Management Objective; numbered "1" when the document has a single unnumbered one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ManagementObjective {
    pub number: Number,
    pub title: String,
    pub justification: Option<String>,
    pub linkages: Option<String>,
    pub risks: Option<String>,
    pub links: Vec<Link>,
}

/// The kinds of numbered element a framework holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ElementKind {
    Goal,
    /// An objective; a number with three or more parts makes it a sub-objective.
    Objective,
    ManagementObjective,
}

impl ElementKind {
    /// How the element is named in prose and diagnostics ("Objective 2.2").
    pub fn label(self, number: &Number) -> String {
        match self {
            Self::Goal => format!("Goal {number}"),
            Self::Objective if number.depth() > 2 => format!("Sub-Objective {number}"),
            Self::Objective => format!("Objective {number}"),
            Self::ManagementObjective => format!("Management Objective {number}"),
        }
    }
}

impl Objective {
    /// This objective and every sub-objective below it, depth first.
    pub fn walk(&self) -> Vec<&Objective> {
        let mut out = Vec::new();
        self.walk_into(&mut out);
        out
    }

    fn walk_into<'a>(&'a self, out: &mut Vec<&'a Objective>) {
        out.push(self);
        for s in &self.sub_objectives {
            s.walk_into(out);
        }
    }
}

impl Strategy {
    /// Every objective and sub-objective, in document order.
    pub fn objectives(&self) -> impl Iterator<Item = &Objective> {
        self.goals
            .iter()
            .flat_map(|g| g.objectives.iter().flat_map(Objective::walk))
    }

    /// Whether this document belongs to the 2022 generation (Linkages and Risks present).
    pub fn has_linkages_and_risks(&self) -> bool {
        self.objectives()
            .any(|o| o.linkages.is_some() || o.risks.is_some())
            || self
                .management_objectives
                .iter()
                .any(|m| m.linkages.is_some() || m.risks.is_some())
    }
}
