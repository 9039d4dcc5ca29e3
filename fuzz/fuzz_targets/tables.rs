//! The indicator, data and milestone CSV readers on arbitrary bytes, against a caller that knows every
//! mission, element and indicator: they must never panic, and whatever they accept must write
//! out and read back to the same rows.
#![no_main]

use cairn_core::indicator::{Frequency, IndicatorType, IndicatorUnit, Marking, Measure};
use cairn_core::{Direction, ElementId, Indicator, IndicatorCode};
use cairn_ingest::tables::{
    Known, element_node, read_data, read_indicators, read_milestones, write_data,
    write_indicators, write_milestones,
};
use libfuzzer_sys::fuzz_target;

/// Knows everything: every element is e1, every indicator is disaggregated by sex, age band
/// and region.
struct Permissive;

impl Known for Permissive {
    fn element(&self, _: &str, element: &str) -> Result<ElementId, String> {
        element_node(element).map(|_| ElementId(1))
    }

    fn indicator(&self, _: &str, code: &IndicatorCode) -> Result<Indicator, String> {
        Ok(Indicator {
            code: code.clone(),
            element: ElementId(1),
            title: "Fuzzed".into(),
            definition: None,
            unit: IndicatorUnit::Number,
            direction: Direction::Increase,
            kind: IndicatorType::Outcome,
            measure: Measure::Quantitative,
            cumulative: false,
            frequency: Frequency::Quarterly,
            disaggregations: vec!["sex".into(), "age band".into(), "region".into()],
            data_source: None,
            method: None,
            responsible_office: None,
            marking: Marking::Sbu,
        })
    }
}

fuzz_target!(|data: &[u8]| {
    match read_data(data, &Permissive) {
        Ok(rows) => {
            let text = write_data(&rows);
            let back = read_data(text.as_bytes(), &Permissive);
            assert_eq!(back.as_ref().ok(), Some(&rows), "{text}");
        }
        Err(errors) => assert!(!errors.is_empty() && errors.iter().all(|e| e.row >= 1)),
    }
    match read_indicators(data, &Permissive) {
        Ok(rows) => {
            let text = write_indicators(&rows, |_, _| "1".to_string());
            let back = read_indicators(text.as_bytes(), &Permissive);
            assert_eq!(back.as_ref().ok(), Some(&rows), "{text}");
        }
        Err(errors) => assert!(!errors.is_empty() && errors.iter().all(|e| e.row >= 1)),
    }
    match read_milestones(data, &Permissive) {
        Ok(rows) => {
            let text = write_milestones(&rows, |_, _| "1".to_string());
            let back = read_milestones(text.as_bytes(), &Permissive);
            assert_eq!(back.as_ref().ok(), Some(&rows), "{text}");
        }
        Err(errors) => assert!(!errors.is_empty() && errors.iter().all(|e| e.row >= 1)),
    }
});
