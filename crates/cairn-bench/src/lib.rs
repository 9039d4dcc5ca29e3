//! The portfolio the monitoring benchmark rates (issue 5, point 10), generated: deterministic
//! for a seed, and made one mission at a time, so that millions of observations never need to
//! be in memory as [`Observation`]s at once.
//!
//! Every mission has a small strategy (4 goals of 2 objectives, the first of each with a
//! sub-objective, and a management objective: 13 elements that carry indicators) and
//! [`Spec::indicators`] indicators spread over those elements in turn. Two in three count people
//! (flows: a year's months add up), one in three are percentages (levels: the year's latest month
//! stands), half of those better when lower. Each indicator has, in each of the [`CELLS`] (the
//! total, sex = female / male, age = 0-14 / 15-24 / 25+), an actual for every month of the
//! fiscal years, a target for every fiscal year (between 0.8 and 1.25 times what the year's
//! actuals make, so that every rating occurs) and a baseline for the fiscal year before. Flows
//! are whole numbers and the cells of a month add up to its total; percentages have one decimal.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use cairn_core::indicator::{Frequency, IndicatorType, IndicatorUnit, Marking, Measure};
use cairn_core::portfolio::Portfolio;
use cairn_core::rating::{RollUp, Scheme};
use cairn_core::{
    Direction, FiscalYear, Goal, Identity, Indicator, ManagementObjective, Number, Objective,
    Observation, ObservationKind, Period, Strategy, StrategyKind,
};
use cairn_store::Slug;

/// The disaggregation cells every indicator reports, the total first.
pub const CELLS: [&[(&str, &str)]; 6] = [
    &[],
    &[("sex", "female")],
    &[("sex", "male")],
    &[("age", "0-14")],
    &[("age", "15-24")],
    &[("age", "25+")],
];

/// The portfolio's size and seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spec {
    pub missions: usize,
    pub indicators: usize,
    /// The first fiscal year with actuals and targets.
    pub first_year: i32,
    /// How many fiscal years (each: 12 monthly actuals and a target per cell).
    pub years: i32,
    pub seed: u64,
}

impl Default for Spec {
    /// 200 missions × 40 indicators × 120 months (FY2016–FY2025) × 6 cells: 5,760,000 actuals,
    /// with 480,000 targets and 48,000 baselines.
    fn default() -> Self {
        Self {
            missions: 200,
            indicators: 40,
            first_year: 2016,
            years: 10,
            seed: 2024,
        }
    }
}

/// One generated mission.
#[derive(Debug, Clone)]
pub struct Mission {
    pub slug: Slug,
    pub country: String,
    pub strategy: Strategy,
    /// The ids a store gives the strategy's elements at its first revision.
    pub identity: Identity,
    pub indicators: Vec<Indicator>,
    /// By indicator, then kind (baseline, targets, actuals), cell and period, so that each
    /// series comes in order.
    pub observations: Vec<Observation>,
}

impl Spec {
    /// Observations per mission.
    pub fn observations_per_mission(&self) -> usize {
        let years = usize::try_from(self.years).unwrap_or(0);
        self.indicators * CELLS.len() * (1 + years * 13)
    }

    pub fn fiscal_years(&self) -> impl Iterator<Item = FiscalYear> + use<> {
        (self.first_year..self.first_year + self.years).map(FiscalYear)
    }

    /// The `n`th mission.
    pub fn mission(&self, n: usize) -> Mission {
        let slug = Slug::parse(&format!("mission-{n:03}")).unwrap_or_else(|e| panic!("{e}"));
        let country = format!("Country {n:03}");
        let strategy = strategy(&country);
        let identity = cairn_core::identity::carry(None, &strategy);
        let carriers: Vec<_> = identity
            .ids
            .iter()
            .filter(|(node, _)| !matches!(node, cairn_core::Node::Goal(_)))
            .map(|(_, id)| *id)
            .collect();
        let mut rng = Rng::new(self.seed ^ (n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let mut indicators = Vec::with_capacity(self.indicators);
        let mut observations = Vec::with_capacity(self.observations_per_mission());
        for k in 0..self.indicators {
            let percent = k % 3 == 2;
            let indicator = Indicator {
                code: format!("PI.{k:02}")
                    .parse()
                    .unwrap_or_else(|e| panic!("{e}")),
                element: carriers[k % carriers.len()],
                title: format!("Indicator {k} of {country}"),
                definition: None,
                unit: if percent {
                    IndicatorUnit::Percent
                } else {
                    IndicatorUnit::People
                },
                direction: if percent && k % 2 == 1 {
                    Direction::Decrease
                } else {
                    Direction::Increase
                },
                kind: IndicatorType::Outcome,
                measure: Measure::Quantitative,
                cumulative: false,
                frequency: Frequency::Monthly,
                disaggregations: vec!["sex".into(), "age".into()],
                data_source: None,
                method: None,
                responsible_office: None,
                marking: Marking::Sbu,
            };
            self.series(&indicator, percent, &mut rng, &mut observations);
            indicators.push(indicator);
        }
        Mission {
            slug,
            country,
            strategy,
            identity,
            indicators,
            observations,
        }
    }

    /// Every mission, made as it is asked for.
    pub fn missions(&self) -> impl Iterator<Item = Mission> + use<> {
        let spec = *self;
        (0..self.missions).map(move |n| spec.mission(n))
    }

    /// The whole portfolio in memory, rated by the default scheme and rule, and the time its
    /// missions took to add (their generation aside).
    pub fn portfolio(&self) -> (Portfolio, Duration) {
        let mut portfolio = Portfolio::new(Scheme::default(), RollUp::default());
        let mut adding = Duration::ZERO;
        for m in self.missions() {
            let t = Instant::now();
            portfolio
                .add_mission(
                    m.slug.as_str(),
                    m.strategy,
                    m.identity,
                    m.indicators,
                    &m.observations,
                )
                .unwrap_or_else(|e| panic!("{e}"));
            adding += t.elapsed();
        }
        (portfolio, adding)
    }

    /// One indicator's baselines, targets and actuals, in every cell.
    fn series(
        &self,
        indicator: &Indicator,
        percent: bool,
        rng: &mut Rng,
        out: &mut Vec<Observation>,
    ) {
        let months = usize::try_from(self.years * 12).unwrap_or(0);
        // actuals[month][cell]
        let mut actuals = vec![[0.0; CELLS.len()]; months];
        let level = 20.0 + rng.below(60.0);
        let (base, growth) = (20.0 + rng.below(480.0), rng.below(0.08) - 0.02);
        let trend = rng.below(5.0) - 2.0;
        let shares = [
            0.35 + rng.below(0.3),
            0.2 + rng.below(0.2),
            0.2 + rng.below(0.2),
        ];
        let spread = [
            rng.below(8.0) - 4.0,
            rng.below(10.0) - 5.0,
            rng.below(6.0) - 3.0,
        ];
        for (t, cells) in actuals.iter_mut().enumerate() {
            let years = t as f64 / 12.0;
            let season = 1.0 + 0.2 * (std::f64::consts::TAU * years + level).sin();
            if percent {
                let v = level + trend * years + rng.below(10.0) - 5.0;
                let one = |v: f64| (v.clamp(0.0, 100.0) * 10.0).round() / 10.0;
                *cells = [
                    one(v),
                    one(v + spread[0]),
                    one(v - spread[0]),
                    one(v + spread[1]),
                    one(v + spread[2]),
                    one(v - spread[1] - spread[2]),
                ];
            } else {
                let total =
                    (base * (1.0 + growth).powf(years) * season * (0.85 + rng.below(0.3))).round();
                let female = (total * shares[0]).round();
                let young = (total * shares[1]).round();
                let youth = (total * shares[2]).round();
                *cells = [
                    total,
                    female,
                    total - female,
                    young,
                    youth,
                    total - young - youth,
                ];
            }
        }
        let cells: Vec<BTreeMap<String, String>> = CELLS
            .iter()
            .map(|c| {
                c.iter()
                    .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
                    .collect()
            })
            .collect();
        let mut push = |period: Period, kind, value, cell: &BTreeMap<String, String>| {
            out.push(Observation {
                indicator: indicator.code.clone(),
                period,
                kind,
                value,
                cell: cell.clone(),
                source: None,
                note: None,
            });
        };
        let before = Period::FiscalYear(FiscalYear(self.first_year - 1));
        for (c, cell) in cells.iter().enumerate() {
            let v = if percent {
                (actuals[0][c] * 10.0).round() / 10.0
            } else {
                (actuals[..12].iter().map(|m| m[c]).sum::<f64>() / (1.0 + growth)).round()
            };
            push(before, ObservationKind::Baseline, v, cell);
        }
        for (c, cell) in cells.iter().enumerate() {
            for (y, fy) in self.fiscal_years().enumerate() {
                let year = &actuals[y * 12..y * 12 + 12];
                let made = if percent {
                    year[11][c]
                } else {
                    year.iter().map(|m| m[c]).sum()
                };
                let factor = 0.8 + rng.below(0.45);
                let target = if percent {
                    ((made / factor).clamp(0.0, 100.0) * 10.0).round() / 10.0
                } else {
                    (made / factor).round()
                };
                push(
                    Period::FiscalYear(fy),
                    ObservationKind::Target,
                    target,
                    cell,
                );
            }
        }
        for (c, cell) in cells.iter().enumerate() {
            let months = self.fiscal_years().flat_map(FiscalYear::months);
            for (month, m) in months.zip(&actuals) {
                push(Period::Month(month), ObservationKind::Actual, m[c], cell);
            }
        }
    }
}

/// The strategy of a generated mission.
fn strategy(country: &str) -> Strategy {
    let number = |s: String| Number::parse(&s).unwrap_or_else(|e| panic!("{e}"));
    let objective = |n: String, subs: Vec<Objective>| Objective {
        title: format!("Objective {n}"),
        number: number(n),
        justification: None,
        linkages: None,
        risks: None,
        links: Vec::new(),
        sub_objectives: subs,
    };
    Strategy {
        kind: StrategyKind::Ics,
        country: Some(country.to_string()),
        title: "Integrated Country Strategy".into(),
        marking: Some("FOR PUBLIC RELEASE".into()),
        approved: None,
        priorities: vec![format!("{country} matters.")],
        goals: (1..=4)
            .map(|g| Goal {
                number: number(g.to_string()),
                title: format!("Goal {g}"),
                description: None,
                links: Vec::new(),
                objectives: vec![
                    objective(
                        format!("{g}.1"),
                        vec![objective(format!("{g}.1.1"), Vec::new())],
                    ),
                    objective(format!("{g}.2"), Vec::new()),
                ],
            })
            .collect(),
        management_objectives: vec![ManagementObjective {
            number: number("1".into()),
            title: "Resources".into(),
            justification: None,
            linkages: None,
            risks: None,
            links: Vec::new(),
        }],
        figures: Vec::new(),
    }
}

/// SplitMix64: small, fast and the same everywhere.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Self(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, bound).
    fn below(&mut self, bound: f64) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 * bound
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    fn small() -> Spec {
        Spec {
            missions: 3,
            indicators: 6,
            years: 3,
            ..Spec::default()
        }
    }

    #[test]
    fn missions_are_the_same_for_a_seed_and_have_every_row() {
        let spec = small();
        let (a, b) = (spec.mission(1), spec.mission(1));
        assert_eq!(a.observations, b.observations);
        assert_eq!(a.observations.len(), spec.observations_per_mission());
        assert_ne!(a.observations, spec.mission(2).observations);
        let other = Spec { seed: 7, ..spec };
        assert_ne!(a.observations, other.mission(1).observations);
        // Every indicator hangs on an element of the strategy.
        assert!(
            a.indicators
                .iter()
                .all(|i| a.identity.ids.values().any(|id| *id == i.element))
        );
    }

    #[test]
    fn a_months_cells_add_up_to_its_total_for_flows() {
        let m = small().mission(0);
        let of = |cell: &[(&str, &str)]| -> f64 {
            m.observations
                .iter()
                .filter(|o| {
                    o.indicator.as_str() == "PI.00"
                        && o.kind == ObservationKind::Actual
                        && o.period.to_string() == "2016-03"
                        && o.cell.len() == cell.len()
                        && cell
                            .iter()
                            .all(|(k, v)| o.cell.get(*k).map(String::as_str) == Some(*v))
                })
                .map(|o| o.value)
                .sum()
        };
        let total = of(CELLS[0]);
        assert!(total > 0.0);
        assert_eq!(of(CELLS[1]) + of(CELLS[2]), total);
        assert_eq!(of(CELLS[3]) + of(CELLS[4]) + of(CELLS[5]), total);
    }

    #[test]
    fn the_portfolio_meets_every_rating() {
        let spec = small();
        let (p, _) = spec.portfolio();
        let mut seen = BTreeSet::new();
        for (m, _) in p.missions() {
            for fy in spec.fiscal_years() {
                let st = p.status(m, fy);
                for g in &st.goals {
                    for o in &g.objectives {
                        seen.extend(o.indicators.iter().map(|i| i.rating));
                    }
                }
            }
        }
        use cairn_core::Rating::*;
        assert_eq!(
            seen,
            BTreeSet::from([BelowTarget, Improved, OnTarget, AboveTarget])
        );
    }
}
