//! A key figure of the narrative ("more than $132 million in FY 2019") as a context indicator:
//! the reference sheet a mission would write for it, and the figure as its one data point, with
//! the sentence it was read from as the source.

use crate::indicator::{
    Frequency, Indicator, IndicatorCode, IndicatorType, IndicatorUnit, Marking, Measure,
    Observation, ObservationKind,
};
use crate::{CalendarYear, Direction, ElementId, Figure, Period, Unit};

/// What the figure does not say and the reader chooses.
#[derive(Debug, Clone, PartialEq)]
pub struct Choices {
    pub code: IndicatorCode,
    /// The element the indicator is attached to.
    pub element: ElementId,
    /// None: made from the figure's subject and text.
    pub title: Option<String>,
    /// None: the year the sentence names.
    pub period: Option<Period>,
    pub direction: Direction,
    /// Public when the figure comes from a public-release narrative.
    pub marking: Marking,
}

/// Why a figure cannot become a data point.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContextError {
    #[error("the figure {0:?} names no year: give the period it stands for (e.g. FY2022 or 2022)")]
    NoPeriod(String),
}

/// The indicator and its data point.
pub fn from_figure(
    figure: &Figure,
    choices: Choices,
) -> Result<(Indicator, Observation), ContextError> {
    let period = match (choices.period, figure.fiscal_year, figure.year) {
        (Some(p), _, _) => p,
        (None, Some(fy), _) => Period::FiscalYear(fy),
        (None, None, Some(y)) => CalendarYear::new(y)
            .map(Period::CalendarYear)
            .ok_or_else(|| ContextError::NoPeriod(figure.text.clone()))?,
        (None, None, None) => return Err(ContextError::NoPeriod(figure.text.clone())),
    };
    let unit = match figure.unit {
        Unit::Usd => IndicatorUnit::Usd,
        Unit::Percent => IndicatorUnit::Percent,
        Unit::Count if figure.subject.as_deref() == Some("people") => IndicatorUnit::People,
        Unit::Count => IndicatorUnit::Number,
    };
    let title = choices.title.unwrap_or_else(|| {
        let subject = figure.subject.as_deref().unwrap_or("figure");
        let mut s = subject.chars();
        let subject: String = s
            .next()
            .map(|c| c.to_uppercase().chain(s).collect())
            .unwrap_or_default();
        format!("{subject}: {} (as stated in the ICS)", figure.text)
    });
    let indicator = Indicator {
        code: choices.code.clone(),
        element: choices.element,
        title,
        definition: Some(format!(
            "A key figure of the strategy's narrative ({}), followed as context.",
            figure.node
        )),
        unit,
        direction: choices.direction,
        kind: IndicatorType::Context,
        measure: Measure::Quantitative,
        cumulative: false,
        frequency: Frequency::Annual,
        disaggregations: Vec::new(),
        data_source: Some("the strategy's narrative".into()),
        method: None,
        responsible_office: None,
        marking: choices.marking,
    };
    let observation = Observation {
        indicator: choices.code,
        period,
        kind: ObservationKind::Actual,
        value: figure.value,
        cell: Default::default(),
        source: Some(figure.sentence.clone()),
        note: Some(format!("as written: {}", figure.text)),
    };
    Ok((indicator, observation))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{FiscalYear, Node, Number};

    fn figure(unit: Unit, subject: Option<&str>, year: Option<i32>, fy: Option<i32>) -> Figure {
        Figure {
            text: "1.9 million".into(),
            value: 1_900_000.0,
            unit,
            subject: subject.map(str::to_string),
            year,
            fiscal_year: fy.and_then(FiscalYear::new),
            sentence: "1.9 million people were displaced in 2022.".into(),
            node: Node::Objective(Number::parse("3.2").unwrap_or_else(|e| panic!("{e}"))),
        }
    }

    fn choices(period: Option<Period>) -> Choices {
        Choices {
            code: "CTX-IDP".parse().unwrap_or_else(|e| panic!("{e}")),
            element: ElementId(11),
            title: None,
            period,
            direction: Direction::Decrease,
            marking: Marking::Public,
        }
    }

    #[test]
    fn a_figure_becomes_a_context_indicator_with_one_actual() {
        let (i, o) = from_figure(
            &figure(Unit::Count, Some("people"), Some(2022), None),
            choices(None),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(i.title, "People: 1.9 million (as stated in the ICS)");
        assert_eq!(i.unit, IndicatorUnit::People);
        assert_eq!(i.kind, IndicatorType::Context);
        assert_eq!(i.element, ElementId(11));
        assert_eq!(i.marking, Marking::Public);
        assert_eq!(o.period.to_string(), "2022");
        assert_eq!(o.kind, ObservationKind::Actual);
        assert_eq!(o.value, 1_900_000.0);
        assert_eq!(
            o.source.as_deref(),
            Some("1.9 million people were displaced in 2022.")
        );
    }

    #[test]
    fn the_period_comes_from_the_fiscal_year_then_the_year_then_the_reader() {
        let fy = from_figure(
            &figure(Unit::Usd, None, Some(2019), Some(2019)),
            choices(None),
        );
        assert_eq!(
            fy.map(|(i, o)| (i.unit, o.period.to_string())),
            Ok((IndicatorUnit::Usd, "FY2019".into()))
        );
        let none = from_figure(&figure(Unit::Percent, None, None, None), choices(None));
        assert_eq!(none, Err(ContextError::NoPeriod("1.9 million".into())));
        let given: Period = "FY2022".parse().unwrap_or_else(|e| panic!("{e}"));
        let chosen = from_figure(&figure(Unit::Count, None, None, None), choices(Some(given)));
        assert_eq!(
            chosen.map(|(i, o)| (i.unit, i.title, o.period)),
            Ok((
                IndicatorUnit::Number,
                "Figure: 1.9 million (as stated in the ICS)".into(),
                given
            ))
        );
    }
}
