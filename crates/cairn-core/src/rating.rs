//! How an indicator did against its target, and how ratings roll up to objectives, goals and
//! the mission (PRODUCT.md §2, Ratings). Pure arithmetic: the numbers come from the caller.
//!
//! Deviation d = (actual − target) / |target| when increase is better, (target − actual) /
//! |target| when decrease is better. Above target: d > +10%. On target: −10% ≤ d ≤ +10%.
//! Improved: d < −10% but the actual is better than the previous period's. Below target:
//! otherwise. Not available: no actual or no target. A zero target compares the actual with it
//! directly. The boundaries belong to "on target", as written in decimal: 1.1 against a target
//! of 1.0 is +10% exactly, although binary floating point makes it 0.10000000000000009.

use std::fmt;
use std::str::FromStr;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Which way is better for an indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Increase,
    Decrease,
}

impl Direction {
    /// Whether `a` is better than `b` in this direction.
    pub fn better(self, a: f64, b: f64) -> bool {
        match self {
            Self::Increase => a > b,
            Self::Decrease => a < b,
        }
    }
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Increase => "increase",
            Self::Decrease => "decrease",
        }
    }
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Direction {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "increase" => Ok(Self::Increase),
            "decrease" => Ok(Self::Decrease),
            _ => Err(format!(
                "{s:?} is not a direction: expected increase or decrease"
            )),
        }
    }
}

/// A rating. The order is the roll-up's: below < improved < on < above; `NotAvailable` is
/// not a rating of performance and never takes part in "the lowest".
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Rating {
    NotAvailable,
    BelowTarget,
    Improved,
    OnTarget,
    AboveTarget,
}

impl Rating {
    pub const ALL: [Self; 5] = [
        Self::NotAvailable,
        Self::BelowTarget,
        Self::Improved,
        Self::OnTarget,
        Self::AboveTarget,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::NotAvailable => "not-available",
            Self::BelowTarget => "below-target",
            Self::Improved => "improved",
            Self::OnTarget => "on-target",
            Self::AboveTarget => "above-target",
        }
    }

    pub fn is_rated(self) -> bool {
        self != Self::NotAvailable
    }
}

impl fmt::Display for Rating {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The thresholds of the rating scheme (the defaults: ±10%).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Scheme {
    /// Above target when the deviation exceeds this.
    pub above: f64,
    /// Below "on target" when the deviation is under minus this.
    pub below: f64,
}

impl Default for Scheme {
    fn default() -> Self {
        Self {
            above: 0.10,
            below: 0.10,
        }
    }
}

/// Relative tolerance within which a deviation counts as equal to a threshold, so that values
/// written in decimal land on the boundary they were written at.
const TOLERANCE: f64 = 1e-9;

/// The deviation of an actual from its target; None for a zero or non-finite target.
pub fn deviation(direction: Direction, target: f64, actual: f64) -> Option<f64> {
    if target == 0.0 || !target.is_finite() || !actual.is_finite() {
        return None;
    }
    let d = (actual - target) / target.abs();
    Some(match direction {
        Direction::Increase => d,
        Direction::Decrease => -d,
    })
}

/// What a period's figures for one indicator are.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Figures {
    pub target: Option<f64>,
    pub actual: Option<f64>,
    /// The previous period's actual, for "improved".
    pub previous: Option<f64>,
}

/// An indicator's rating for a period, with its deviation and achievement when they exist.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Assessment {
    pub rating: Rating,
    pub deviation: Option<f64>,
    /// 1 + deviation: 1.0 is exactly on target, whichever direction is better.
    pub achievement: Option<f64>,
}

impl Scheme {
    /// Rates one indicator's figures.
    pub fn assess(&self, direction: Direction, f: Figures) -> Assessment {
        let not_available = Assessment {
            rating: Rating::NotAvailable,
            deviation: None,
            achievement: None,
        };
        let (Some(target), Some(actual)) = (f.target, f.actual) else {
            return not_available;
        };
        if !target.is_finite() || !actual.is_finite() {
            return not_available;
        }
        let Some(d) = deviation(direction, target, actual) else {
            // A zero target: the actual against it directly.
            let rating = if actual == target {
                Rating::OnTarget
            } else if direction.better(actual, target) {
                Rating::AboveTarget
            } else {
                Rating::BelowTarget
            };
            return Assessment {
                rating,
                deviation: None,
                achievement: None,
            };
        };
        let at = |threshold: f64| (d - threshold).abs() <= TOLERANCE * threshold.abs().max(1.0);
        let rating = if d > self.above && !at(self.above) {
            Rating::AboveTarget
        } else if d >= -self.below || at(-self.below) {
            Rating::OnTarget
        } else if f
            .previous
            .is_some_and(|p| p.is_finite() && direction.better(actual, p))
        {
            Rating::Improved
        } else {
            Rating::BelowTarget
        };
        Assessment {
            rating,
            deviation: Some(d),
            achievement: Some(1.0 + d),
        }
    }
}

/// A rating with how much of what lies beneath was rated.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RolledUp {
    pub rating: Rating,
    /// How many of the parts were rated, of how many.
    pub rated: usize,
    pub total: usize,
}

impl RolledUp {
    /// rated / total (0 when there is nothing).
    pub fn completeness(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.rated as f64 / self.total as f64
        }
    }
}

/// How the parts' ratings make the whole's.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "kebab-case")]
pub enum RollUp {
    /// The lowest rating among the rated parts (the default).
    #[default]
    Lowest,
    /// The weighted mean of the parts' achievements, each capped, rated with the scheme's
    /// thresholds (a mean cannot say "improved": below the band it is below target).
    WeightedMean { cap: f64 },
}

/// One part of a roll-up: its rating, its achievement (for the mean rule) and its weight.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Part {
    pub rating: Rating,
    pub achievement: Option<f64>,
    pub weight: f64,
}

impl Part {
    pub fn of(rating: Rating) -> Self {
        Self {
            rating,
            achievement: None,
            weight: 1.0,
        }
    }
}

impl RollUp {
    /// The whole's rating from its parts.
    pub fn apply(&self, scheme: &Scheme, parts: &[Part]) -> RolledUp {
        let rated: Vec<&Part> = parts.iter().filter(|p| p.rating.is_rated()).collect();
        let rating = match self {
            Self::Lowest => rated
                .iter()
                .map(|p| p.rating)
                .min()
                .unwrap_or(Rating::NotAvailable),
            Self::WeightedMean { cap } => {
                let weighed: Vec<(f64, f64)> = rated
                    .iter()
                    .filter_map(|p| p.achievement.map(|a| (a.min(*cap), p.weight)))
                    .filter(|(a, w)| a.is_finite() && w.is_finite() && *w > 0.0)
                    .collect();
                let total_weight: f64 = weighed.iter().map(|(_, w)| w).sum();
                if total_weight > 0.0 {
                    let mean = weighed.iter().map(|(a, w)| a * w).sum::<f64>() / total_weight;
                    let figures = Figures {
                        target: Some(1.0),
                        actual: Some(mean),
                        previous: None,
                    };
                    scheme.assess(Direction::Increase, figures).rating
                } else {
                    // Parts rated without an achievement (zero targets): fall back to the lowest.
                    rated
                        .iter()
                        .map(|p| p.rating)
                        .min()
                        .unwrap_or(Rating::NotAvailable)
                }
            }
        };
        RolledUp {
            rating,
            rated: rated.len(),
            total: parts.len(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Direction::{Decrease, Increase};
    use Rating::*;

    fn rate(direction: Direction, target: f64, actual: f64, previous: Option<f64>) -> Rating {
        Scheme::default()
            .assess(
                direction,
                Figures {
                    target: Some(target),
                    actual: Some(actual),
                    previous,
                },
            )
            .rating
    }

    #[test]
    fn the_band_boundaries_are_on_target() {
        // Exactly ±10%, including values that are not exact in binary.
        assert_eq!(rate(Increase, 100.0, 110.0, None), OnTarget);
        assert_eq!(rate(Increase, 100.0, 90.0, None), OnTarget);
        assert_eq!(rate(Increase, 1.0, 1.1, None), OnTarget);
        assert_eq!(rate(Increase, 1.0, 0.9, None), OnTarget);
        assert_eq!(rate(Increase, 0.7, 0.77, None), OnTarget);
        assert_eq!(rate(Increase, 0.7, 0.63, None), OnTarget);
        assert_eq!(rate(Decrease, 30.0, 33.0, None), OnTarget);
        assert_eq!(rate(Decrease, 30.0, 27.0, None), OnTarget);
        // Just past them.
        assert_eq!(rate(Increase, 100.0, 110.001, None), AboveTarget);
        assert_eq!(rate(Increase, 100.0, 89.999, None), BelowTarget);
        assert_eq!(rate(Decrease, 30.0, 26.99, None), AboveTarget);
        assert_eq!(rate(Decrease, 30.0, 33.01, None), BelowTarget);
    }

    #[test]
    fn direction_turns_the_deviation() {
        assert_eq!(deviation(Increase, 200.0, 150.0), Some(-0.25));
        assert_eq!(deviation(Decrease, 200.0, 150.0), Some(0.25));
        // A negative target (a balance, a change) divides by its magnitude.
        assert_eq!(deviation(Increase, -200.0, -100.0), Some(0.5));
        assert_eq!(rate(Decrease, 50.0, 20.0, None), AboveTarget);
        assert_eq!(rate(Decrease, 50.0, 80.0, None), BelowTarget);
    }

    #[test]
    fn improved_needs_a_better_actual_than_the_previous_period() {
        assert_eq!(rate(Increase, 100.0, 70.0, Some(60.0)), Improved);
        assert_eq!(
            rate(Increase, 100.0, 70.0, Some(70.0)),
            BelowTarget,
            "equal is not better"
        );
        assert_eq!(rate(Increase, 100.0, 70.0, Some(80.0)), BelowTarget);
        assert_eq!(
            rate(Increase, 100.0, 70.0, None),
            BelowTarget,
            "no previous period"
        );
        assert_eq!(rate(Decrease, 10.0, 14.0, Some(16.0)), Improved);
        assert_eq!(rate(Decrease, 10.0, 14.0, Some(12.0)), BelowTarget);
        // Within the band the previous period does not matter.
        assert_eq!(rate(Increase, 100.0, 95.0, Some(99.0)), OnTarget);
    }

    #[test]
    fn a_zero_target_compares_directly() {
        assert_eq!(rate(Increase, 0.0, 0.0, None), OnTarget);
        assert_eq!(rate(Increase, 0.0, 3.0, None), AboveTarget);
        assert_eq!(rate(Increase, 0.0, -1.0, None), BelowTarget);
        assert_eq!(rate(Decrease, 0.0, 0.0, None), OnTarget);
        assert_eq!(rate(Decrease, 0.0, 2.0, None), BelowTarget);
        let a = Scheme::default().assess(
            Decrease,
            Figures {
                target: Some(0.0),
                actual: Some(-1.0),
                previous: None,
            },
        );
        assert_eq!(
            (a.rating, a.deviation, a.achievement),
            (AboveTarget, None, None)
        );
    }

    #[test]
    fn missing_figures_are_not_available() {
        let s = Scheme::default();
        for f in [
            Figures::default(),
            Figures {
                target: Some(1.0),
                ..Figures::default()
            },
            Figures {
                actual: Some(1.0),
                previous: Some(0.5),
                ..Figures::default()
            },
            Figures {
                target: Some(f64::NAN),
                actual: Some(1.0),
                previous: None,
            },
        ] {
            assert_eq!(s.assess(Increase, f).rating, NotAvailable, "{f:?}");
        }
    }

    #[test]
    fn achievement_is_one_plus_the_deviation() {
        let a = Scheme::default().assess(
            Decrease,
            Figures {
                target: Some(40.0),
                actual: Some(30.0),
                previous: None,
            },
        );
        assert_eq!(a.deviation, Some(0.25));
        assert_eq!(a.achievement, Some(1.25));
    }

    #[test]
    fn thresholds_are_configurable() {
        let wide = Scheme {
            above: 0.25,
            below: 0.05,
        };
        let f = |actual| Figures {
            target: Some(100.0),
            actual: Some(actual),
            previous: None,
        };
        assert_eq!(wide.assess(Increase, f(120.0)).rating, OnTarget);
        assert_eq!(wide.assess(Increase, f(125.0)).rating, OnTarget);
        assert_eq!(wide.assess(Increase, f(126.0)).rating, AboveTarget);
        assert_eq!(wide.assess(Increase, f(95.0)).rating, OnTarget);
        assert_eq!(wide.assess(Increase, f(94.0)).rating, BelowTarget);
    }

    #[test]
    fn the_lowest_rated_part_rules_and_completeness_counts_the_rest() {
        let lowest = |r: &[Rating]| {
            let parts: Vec<Part> = r.iter().copied().map(Part::of).collect();
            RollUp::Lowest.apply(&Scheme::default(), &parts)
        };
        let r = lowest(&[AboveTarget, OnTarget, NotAvailable, Improved]);
        assert_eq!((r.rating, r.rated, r.total), (Improved, 3, 4));
        assert_eq!(r.completeness(), 0.75);
        assert_eq!(lowest(&[AboveTarget, BelowTarget]).rating, BelowTarget);
        assert_eq!(lowest(&[OnTarget, AboveTarget]).rating, OnTarget);
        let none = lowest(&[NotAvailable, NotAvailable]);
        assert_eq!((none.rating, none.rated, none.total), (NotAvailable, 0, 2));
        let empty = lowest(&[]);
        assert_eq!((empty.rating, empty.completeness()), (NotAvailable, 0.0));
    }

    #[test]
    fn the_weighted_mean_caps_each_achievement() {
        let part = |achievement: f64, weight: f64| Part {
            rating: OnTarget,
            achievement: Some(achievement),
            weight,
        };
        let mean = RollUp::WeightedMean { cap: 1.2 };
        let s = Scheme::default();
        // 3.0 is capped at 1.2: (1.2 + 0.6) / 2 = 0.9, on the band's lower edge.
        assert_eq!(
            mean.apply(&s, &[part(3.0, 1.0), part(0.6, 1.0)]).rating,
            OnTarget
        );
        // Weights: (1.2·1 + 0.6·3) / 4 = 0.75, below.
        assert_eq!(
            mean.apply(&s, &[part(3.0, 1.0), part(0.6, 3.0)]).rating,
            BelowTarget
        );
        assert_eq!(mean.apply(&s, &[part(1.15, 1.0)]).rating, AboveTarget);
        // Parts not rated take no part, but count in completeness.
        let r = mean.apply(&s, &[part(1.0, 1.0), Part::of(NotAvailable)]);
        assert_eq!((r.rating, r.rated, r.total), (OnTarget, 1, 2));
    }

    #[test]
    fn names() {
        let json: Vec<String> = Rating::ALL
            .iter()
            .map(|r| serde_json::to_string(r).unwrap_or_default())
            .collect();
        assert_eq!(
            json,
            [
                "\"not-available\"",
                "\"below-target\"",
                "\"improved\"",
                "\"on-target\"",
                "\"above-target\""
            ]
        );
        for r in Rating::ALL {
            assert_eq!(
                format!("\"{r}\""),
                serde_json::to_string(&r).unwrap_or_default()
            );
        }
        assert_eq!("decrease".parse(), Ok(Decrease));
        assert!("down".parse::<Direction>().is_err());
    }

    proptest::proptest! {
        /// Moving the actual in the better direction never lowers the rating.
        #[test]
        fn better_actuals_never_rate_lower(
            target in -1e6f64..1e6,
            actual in -1e6f64..1e6,
            step in 0.0f64..1e6,
            decrease in proptest::bool::ANY,
        ) {
            let direction = if decrease { Decrease } else { Increase };
            let better = if decrease { actual - step } else { actual + step };
            let a = rate(direction, target, actual, None);
            let b = rate(direction, target, better, None);
            proptest::prop_assert!(b >= a, "{a:?} then {b:?}");
        }

        /// The rating depends on the deviation alone: scaling target and actual together keeps it.
        #[test]
        fn scaling_keeps_the_rating(
            target in 1.0f64..1e4,
            ratio in 0.0f64..3.0,
            scale in 1.0f64..1000.0,
        ) {
            let actual = target * ratio;
            proptest::prop_assert_eq!(
                rate(Increase, target, actual, None),
                rate(Increase, target * scale, actual * scale, None)
            );
        }
    }
}
