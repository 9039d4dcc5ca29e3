//! Where a mission stands in a fiscal year: every indicator rated against its target, and the
//! ratings rolled up objective by objective, goal by goal, to the mission (PRODUCT.md §2).
//!
//! An element's parts are its own indicators and the elements beneath it (a goal's objectives,
//! an objective's sub-objectives). The mission rolls up its goals; management objectives are
//! rated the same way and listed beside them, outside the mission's rating, which speaks of
//! the goals alone.

use schemars::JsonSchema;
use serde::Serialize;

use crate::indicator::{Indicator, Milestone, Observation, year_figures};
use crate::rating::{Figures, Part, RollUp, RolledUp, Scheme};
use crate::{FiscalYear, Identity, Node, Number, Objective, Rating, Strategy};

/// How one indicator did.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct IndicatorStatus {
    pub code: String,
    pub title: String,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
    pub actual: Option<f64>,
    /// 1.0 is exactly on target, whichever direction is better.
    pub achievement: Option<f64>,
    pub rating: Rating,
}

/// How one milestone stands in the year ([`Milestone::rating`]).
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct MilestoneRating {
    pub code: String,
    pub title: String,
    /// ISO date.
    pub due: String,
    /// `not-started`, `in-progress`, `done`, `delayed`, `dropped`.
    pub status: String,
    /// None when it does not count in the year (not yet due, done in an earlier year, dropped).
    pub rating: Option<Rating>,
}

/// How one element did: its rating, how complete that is, and what it is made of.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ElementStatus {
    pub number: String,
    pub title: String,
    pub rating: Rating,
    /// Rated parts / all parts (0 when there are none).
    pub completeness: f64,
    pub indicators: Vec<IndicatorStatus>,
    /// Its milestones, each rated for the year when it counts in it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub milestones: Vec<MilestoneRating>,
    /// A goal's objectives, an objective's sub-objectives.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub objectives: Vec<ElementStatus>,
}

/// The whole picture for a fiscal year.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Status {
    pub period: FiscalYear,
    pub rating: Rating,
    pub completeness: f64,
    pub goals: Vec<ElementStatus>,
    pub management_objectives: Vec<ElementStatus>,
}

/// What the roll-up needs besides the strategy.
pub struct Inputs<'a> {
    pub identity: &'a Identity,
    pub indicators: &'a [Indicator],
    pub milestones: &'a [Milestone],
    pub observations: &'a [Observation],
    pub scheme: Scheme,
    pub rule: RollUp,
}

/// Rates everything in `strategy` for fiscal year `fy`, each indicator's figures read from the
/// observations by [`year_figures`].
pub fn status(strategy: &Strategy, inputs: &Inputs<'_>, fy: FiscalYear) -> Status {
    let figures = |i: usize| year_figures(&inputs.indicators[i], inputs.observations, fy);
    Walk {
        identity: inputs.identity,
        indicators: inputs.indicators,
        milestones: inputs.milestones,
        scheme: inputs.scheme,
        rule: inputs.rule,
        fy,
        figures: &figures,
    }
    .status(strategy)
}

/// An indicator's baseline and figures for the year, by its index among the indicators.
pub(crate) type FiguresOf<'a> = &'a dyn Fn(usize) -> (Option<f64>, Figures);

/// The one walk down a strategy that rates its indicators and rolls the ratings up, whatever
/// the figures come from ([`status`] or the [`crate::portfolio`]).
pub(crate) struct Walk<'a> {
    pub identity: &'a Identity,
    pub indicators: &'a [Indicator],
    pub milestones: &'a [Milestone],
    pub scheme: Scheme,
    pub rule: RollUp,
    pub fy: FiscalYear,
    pub figures: FiguresOf<'a>,
}

impl Walk<'_> {
    pub fn status(&self, strategy: &Strategy) -> Status {
        let goals: Vec<ElementStatus> = strategy
            .goals
            .iter()
            .map(|g| {
                let objectives = g.objectives.iter().map(|o| self.objective(o)).collect();
                self.element(
                    Node::Goal(g.number.clone()),
                    &g.number,
                    &g.title,
                    objectives,
                )
            })
            .collect();
        let management_objectives = strategy
            .management_objectives
            .iter()
            .map(|m| {
                self.element(
                    Node::Management(m.number.clone()),
                    &m.number,
                    &m.title,
                    Vec::new(),
                )
            })
            .collect();
        let parts: Vec<Part> = goals.iter().map(|g| Part::of(g.rating)).collect();
        let rolled: RolledUp = self.rule.apply(&self.scheme, &parts);
        Status {
            period: self.fy,
            rating: rolled.rating,
            completeness: rolled.completeness(),
            goals,
            management_objectives,
        }
    }

    fn indicators_of(&self, node: Node) -> Vec<(IndicatorStatus, Part)> {
        let Some(id) = self.identity.get(&node) else {
            return Vec::new();
        };
        self.indicators
            .iter()
            .enumerate()
            .filter(|(_, i)| i.element == id)
            .map(|(n, i)| {
                let (baseline, figures) = (self.figures)(n);
                let a = self.scheme.assess(i.direction, figures);
                (
                    IndicatorStatus {
                        code: i.code.to_string(),
                        title: i.title.clone(),
                        baseline,
                        target: figures.target,
                        actual: figures.actual,
                        achievement: a.achievement,
                        rating: a.rating,
                    },
                    Part {
                        rating: a.rating,
                        achievement: a.achievement,
                        weight: 1.0,
                    },
                )
            })
            .collect()
    }

    fn element(
        &self,
        node: Node,
        number: &Number,
        title: &str,
        children: Vec<ElementStatus>,
    ) -> ElementStatus {
        let id = self.identity.get(&node);
        let (indicators, mut parts): (Vec<IndicatorStatus>, Vec<Part>) =
            self.indicators_of(node).into_iter().unzip();
        // A milestone that counts in the year is a part like an indicator; one that does not
        // is listed without a rating and left out of completeness.
        let milestones: Vec<MilestoneRating> = self
            .milestones
            .iter()
            .filter(|m| id == Some(m.element))
            .map(|m| MilestoneRating {
                code: m.code.to_string(),
                title: m.title.clone(),
                due: m.due.to_string(),
                status: m.status.to_string(),
                rating: m.rating(self.fy),
            })
            .collect();
        parts.extend(milestones.iter().filter_map(|m| m.rating).map(Part::of));
        parts.extend(children.iter().map(|c| Part {
            rating: c.rating,
            achievement: None,
            weight: 1.0,
        }));
        let rolled = self.rule.apply(&self.scheme, &parts);
        ElementStatus {
            number: number.to_string(),
            title: title.to_string(),
            rating: rolled.rating,
            completeness: rolled.completeness(),
            indicators,
            milestones,
            objectives: children,
        }
    }

    fn objective(&self, o: &Objective) -> ElementStatus {
        let subs = o.sub_objectives.iter().map(|s| self.objective(s)).collect();
        self.element(Node::Objective(o.number.clone()), &o.number, &o.title, subs)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::indicator::{Frequency, IndicatorType, IndicatorUnit, Marking, Measure};
    use crate::{
        Direction, ElementId, Goal, ManagementObjective, ObservationKind, Period, StrategyKind,
    };

    fn num(s: &str) -> Number {
        Number::parse(s).unwrap_or_else(|e| panic!("{e}"))
    }

    fn objective(n: &str, subs: Vec<Objective>) -> Objective {
        Objective {
            number: num(n),
            title: format!("Objective {n}"),
            justification: None,
            linkages: None,
            risks: None,
            links: vec![],
            sub_objectives: subs,
        }
    }

    /// Goal 1 (objectives 1.1 with sub-objective 1.1.1, and 1.2), goal 2 (objective 2.1),
    /// management objective 1.
    pub(crate) fn strategy() -> (Strategy, Identity) {
        let s = Strategy {
            kind: StrategyKind::Ics,
            country: Some("Examplia".into()),
            title: "Integrated Country Strategy".into(),
            marking: None,
            approved: None,
            priorities: vec![],
            goals: vec![
                Goal {
                    number: num("1"),
                    title: "Peace".into(),
                    description: None,
                    links: vec![],
                    objectives: vec![
                        objective("1.1", vec![objective("1.1.1", vec![])]),
                        objective("1.2", vec![]),
                    ],
                },
                Goal {
                    number: num("2"),
                    title: "Growth".into(),
                    description: None,
                    links: vec![],
                    objectives: vec![objective("2.1", vec![])],
                },
            ],
            management_objectives: vec![ManagementObjective {
                number: num("1"),
                title: "Facilities".into(),
                justification: None,
                linkages: None,
                risks: None,
                links: vec![],
            }],
            figures: vec![],
        };
        let identity = crate::identity::carry(None, &s);
        (s, identity)
    }

    pub(crate) fn indicator(code: &str, element: ElementId, direction: Direction) -> Indicator {
        Indicator {
            code: code.parse().unwrap_or_else(|e| panic!("{e}")),
            element,
            title: code.into(),
            definition: None,
            unit: IndicatorUnit::Number,
            direction,
            kind: IndicatorType::Outcome,
            measure: Measure::Quantitative,
            cumulative: false,
            frequency: Frequency::Annual,
            disaggregations: vec![],
            data_source: None,
            method: None,
            responsible_office: None,
            marking: Marking::Sbu,
        }
    }

    pub(crate) fn obs(code: &str, period: &str, kind: ObservationKind, value: f64) -> Observation {
        Observation {
            indicator: code.parse().unwrap_or_else(|e| panic!("{e}")),
            period: period.parse::<Period>().unwrap_or_else(|e| panic!("{e}")),
            kind,
            value,
            cell: Default::default(),
            source: None,
            note: None,
        }
    }

    #[test]
    fn ratings_roll_up_from_indicators_to_the_mission() {
        use ObservationKind::{Actual, Target};
        let (s, identity) = strategy();
        let id = |node: &str| {
            identity
                .get(&node.parse().unwrap_or_else(|e| panic!("{e}")))
                .unwrap_or_else(|| panic!("{node}"))
        };
        let indicators = vec![
            indicator("A", id("objective:1.1"), Direction::Increase),
            indicator("B", id("objective:1.1.1"), Direction::Increase),
            indicator("C", id("objective:1.2"), Direction::Decrease),
            indicator("D", id("objective:2.1"), Direction::Increase),
            indicator("E", id("management:1"), Direction::Increase),
        ];
        let observations = vec![
            obs("A", "FY2023", Target, 100.0),
            obs("A", "FY2023", Actual, 120.0), // above
            obs("B", "FY2023", Target, 100.0),
            obs("B", "FY2023", Actual, 70.0), // below, but better than FY2022
            obs("B", "FY2022", Actual, 50.0),
            obs("C", "FY2023", Target, 10.0),
            obs("C", "FY2023", Actual, 10.5), // on target (decrease)
            obs("D", "FY2023", Target, 100.0), // no actual: not available
            obs("E", "FY2023", Target, 5.0),
            obs("E", "FY2023", Actual, 1.0), // below, outside the mission's rating
        ];
        let inputs = Inputs {
            identity: &identity,
            indicators: &indicators,
            observations: &observations,
            scheme: Scheme::default(),
            rule: RollUp::Lowest,
            milestones: &[],
        };
        let st = status(&s, &inputs, FiscalYear(2023));
        let g1 = &st.goals[0];
        let o11 = &g1.objectives[0];
        assert_eq!(o11.indicators[0].rating, Rating::AboveTarget);
        assert_eq!(o11.objectives[0].rating, Rating::Improved);
        // 1.1 = lowest of its indicator (above) and its sub-objective (improved).
        assert_eq!((o11.rating, o11.completeness), (Rating::Improved, 1.0));
        assert_eq!(g1.objectives[1].rating, Rating::OnTarget);
        assert_eq!(g1.rating, Rating::Improved);
        let g2 = &st.goals[1];
        assert_eq!((g2.rating, g2.completeness), (Rating::NotAvailable, 0.0));
        assert_eq!(g2.objectives[0].indicators[0].target, Some(100.0));
        // The mission: lowest of the rated goals; one of two goals rated.
        assert_eq!((st.rating, st.completeness), (Rating::Improved, 0.5));
        assert_eq!(st.management_objectives[0].rating, Rating::BelowTarget);
        let json = serde_json::to_value(&st).unwrap_or_default();
        assert_eq!(json["period"], "FY2023");
        assert_eq!(
            json["goals"][0]["objectives"][0]["indicators"][0]["achievement"],
            1.2
        );
        assert_eq!(json["goals"][1]["rating"], "not-available");
    }

    #[test]
    fn milestones_that_count_in_the_year_are_parts_of_their_element() {
        use crate::indicator::MilestoneStatus;
        let (s, identity) = strategy();
        let at = |node: &str| {
            identity
                .get(&node.parse().unwrap_or_else(|e| panic!("{e}")))
                .unwrap_or_else(|| panic!("{node}"))
        };
        let milestone = |code: &str, node: &str, due: &str, status| Milestone {
            code: code.parse().unwrap_or_else(|e| panic!("{e}")),
            element: at(node),
            title: code.into(),
            due: due.parse().unwrap_or_else(|e| panic!("{e}")),
            status,
            note: None,
            marking: Marking::Sbu,
        };
        let milestones = vec![
            milestone(
                "M-DONE",
                "objective:1.2",
                "2023-03-31",
                MilestoneStatus::Done,
            ),
            milestone(
                "M-LATE",
                "objective:2.1",
                "2023-06-30",
                MilestoneStatus::InProgress,
            ),
            milestone(
                "M-NEXT",
                "objective:2.1",
                "2024-06-30",
                MilestoneStatus::NotStarted,
            ),
        ];
        let inputs = Inputs {
            identity: &identity,
            indicators: &[],
            observations: &[],
            scheme: Scheme::default(),
            rule: RollUp::Lowest,
            milestones: &milestones,
        };
        let st = status(&s, &inputs, FiscalYear(2023));
        let o12 = &st.goals[0].objectives[1];
        assert_eq!((o12.rating, o12.completeness), (Rating::OnTarget, 1.0));
        // Overdue in progress: below; due next year: listed, not counted.
        let o21 = &st.goals[1].objectives[0];
        assert_eq!((o21.rating, o21.completeness), (Rating::BelowTarget, 1.0));
        assert_eq!(o21.milestones.len(), 2);
        assert_eq!(o21.milestones[1].rating, None);
        assert_eq!(st.rating, Rating::BelowTarget);
        let json = serde_json::to_value(&st).unwrap_or_default();
        assert_eq!(
            json["goals"][1]["objectives"][0]["milestones"][0]["status"],
            "in-progress"
        );
        // The next year the late one still counts; the done one no longer does.
        let st = status(&s, &inputs, FiscalYear(2024));
        assert_eq!(st.goals[0].objectives[1].rating, Rating::NotAvailable);
        assert_eq!(st.goals[1].objectives[0].rating, Rating::BelowTarget);
    }

    #[test]
    fn a_strategy_without_indicators_is_not_available_everywhere() {
        let (s, identity) = strategy();
        let inputs = Inputs {
            identity: &identity,
            indicators: &[],
            observations: &[],
            scheme: Scheme::default(),
            rule: RollUp::Lowest,
            milestones: &[],
        };
        let st = status(&s, &inputs, FiscalYear(2023));
        assert_eq!((st.rating, st.completeness), (Rating::NotAvailable, 0.0));
        assert!(st.goals.iter().all(|g| g.rating == Rating::NotAvailable));
    }
}
