//! The indicator, data and milestone CSV formats (public contracts): every kind of error named by row,
//! column and value; nothing returned when any row is bad; the element forms; the writers read
//! back; the Mali fixture pair reads cleanly.

use std::collections::BTreeMap;
use std::fmt::Debug;

use cairn_core::indicator::{Frequency, IndicatorType, IndicatorUnit, Marking, Measure};
use cairn_core::{Direction, ElementId, Indicator, IndicatorCode, Observation, ObservationKind};
use cairn_core::{Milestone, MilestoneStatus, Node, Period};
use cairn_ingest::tables::{
    Including, Known, TableError, element_node, element_text, read_data, read_indicators,
    read_milestones, write_data, write_indicators, write_milestones,
};
use proptest::prelude::*;

/// Mission "mali" with the ICS's elements (plus a sub-objective and a second mission, "niger",
/// whose only management objective is unnumbered), and the indicators given.
struct Fake {
    elements: Vec<(&'static str, &'static str, u32)>,
    indicators: Vec<(String, Indicator)>,
}

fn fake(indicators: Vec<(String, Indicator)>) -> Fake {
    let mali = [
        "1", "1.1", "1.1.2", "1.2", "1.3", "1.4", "2", "2.1", "2.2", "3", "3.1", "3.2", "3.3", "M1",
    ];
    let mut elements: Vec<(&str, &str, u32)> = mali
        .iter()
        .zip(1..)
        .map(|(e, id)| ("mali", *e, id))
        .collect();
    elements.extend([("niger", "1", 1), ("niger", "M1", 2)]);
    Fake {
        elements,
        indicators,
    }
}

impl Known for Fake {
    fn mission(&self, mission: &str) -> Result<(), String> {
        if self.elements.iter().any(|(m, _, _)| *m == mission) {
            Ok(())
        } else {
            Err(format!(
                "there is no mission {mission:?}: the missions are mali, niger"
            ))
        }
    }

    fn element(&self, mission: &str, element: &str) -> Result<ElementId, String> {
        self.elements
            .iter()
            .find(|(m, e, _)| *m == mission && *e == element)
            .map(|(_, _, id)| ElementId(*id))
            .ok_or_else(|| format!("mission {mission} has no element {element}"))
    }

    fn indicator(&self, mission: &str, code: &IndicatorCode) -> Result<Indicator, String> {
        self.indicators
            .iter()
            .find(|(m, i)| m == mission && i.code == *code)
            .map(|(_, i)| i.clone())
            .ok_or_else(|| format!("mission {mission} has no indicator {code}"))
    }
}

fn code(s: &str) -> IndicatorCode {
    s.parse().unwrap_or_else(|e| panic!("{e}"))
}

fn period(s: &str) -> Period {
    s.parse().unwrap_or_else(|e| panic!("{e}"))
}

fn indicator(c: &str, element: u32, disaggregations: &[&str]) -> Indicator {
    Indicator {
        code: code(c),
        element: ElementId(element),
        title: format!("Indicator {c}"),
        definition: None,
        unit: IndicatorUnit::People,
        direction: Direction::Increase,
        kind: IndicatorType::Outcome,
        measure: Measure::Quantitative,
        cumulative: false,
        frequency: Frequency::Quarterly,
        disaggregations: disaggregations.iter().map(|d| (*d).to_string()).collect(),
        data_source: None,
        method: None,
        responsible_office: None,
        marking: Marking::Sbu,
    }
}

/// Mali's indicators for the data tests: EG.3.2-27 by sex, HL.1-1 by sex and age band,
/// PS.6.2-1 not disaggregated.
fn known() -> Fake {
    fake(vec![
        ("mali".into(), indicator("EG.3.2-27", 13, &["sex"])),
        ("mali".into(), indicator("HL.1-1", 11, &["sex", "age band"])),
        ("mali".into(), indicator("PS.6.2-1", 10, &[])),
    ])
}

fn errors<T: Debug>(r: Result<T, Vec<TableError>>) -> Vec<TableError> {
    match r {
        Ok(v) => panic!("accepted: {v:#?}"),
        Err(e) => e,
    }
}

fn one<T: Debug>(r: Result<T, Vec<TableError>>) -> TableError {
    let mut e = errors(r);
    assert_eq!(e.len(), 1, "{e:#?}");
    e.remove(0)
}

fn ok<T: Debug>(r: Result<T, Vec<TableError>>) -> T {
    r.unwrap_or_else(|e| {
        let lines: Vec<String> = e.iter().map(ToString::to_string).collect();
        panic!("refused:\n{}", lines.join("\n"))
    })
}

/// Asserts where an error is and what it says.
fn assert_error(
    e: &TableError,
    row: usize,
    column: Option<&str>,
    value: Option<&str>,
    says: &[&str],
) {
    assert_eq!(e.row, row, "{e}");
    assert_eq!(e.column.as_deref(), column, "{e}");
    assert_eq!(e.value.as_deref(), value, "{e}");
    for s in says {
        assert!(e.message.contains(s), "{e:?} does not say {s:?}");
    }
}

const DATA_HEADER: &str = "mission,indicator,period,kind,value,sex,source,note\n";
const INDICATOR_HEADER: &str = "mission,element,code,title,unit,direction,frequency\n";

fn data(rows: &str) -> Result<Vec<(String, Observation)>, Vec<TableError>> {
    read_data(format!("{DATA_HEADER}{rows}").as_bytes(), &known())
}

fn indicators(rows: &str) -> Result<Vec<(String, Indicator)>, Vec<TableError>> {
    read_indicators(format!("{INDICATOR_HEADER}{rows}").as_bytes(), &known())
}

// --- One test per kind of error -----------------------------------------------------------

#[test]
fn unknown_mission() {
    let e = one(data(
        "mali,EG.3.2-27,FY2023,actual,5,,,\nmaly,EG.3.2-27,FY2023,target,5,,,\n",
    ));
    assert_error(
        &e,
        3,
        Some("mission"),
        Some("maly"),
        &["no mission \"maly\"", "mali, niger"],
    );
    let e = one(indicators("atlantis,1,X-1,T,number,increase,annual\n"));
    assert_error(&e, 2, Some("mission"), Some("atlantis"), &["no mission"]);
}

#[test]
fn unknown_element() {
    let e = one(indicators(
        "mali,1.1,X-1,T,number,increase,annual\nmali,4.1,X-2,T,number,increase,annual\n",
    ));
    assert_error(
        &e,
        3,
        Some("element"),
        Some("4.1"),
        &["mali has no element 4.1"],
    );
    // A form that is no element at all is refused before the caller is asked.
    let e = one(indicators("mali,goal 1,X-1,T,number,increase,annual\n"));
    assert_error(
        &e,
        2,
        Some("element"),
        Some("goal 1"),
        &["\"goal 1\" is not an element", "1.2", "M1"],
    );
    let e = one(indicators("mali,m1,X-1,T,number,increase,annual\n"));
    assert_error(
        &e,
        2,
        Some("element"),
        Some("m1"),
        &["M is written in capitals"],
    );
}

#[test]
fn unknown_indicator() {
    let e = one(data("mali,EG.3.2-99,FY2023,actual,5,,,\n"));
    assert_error(
        &e,
        2,
        Some("indicator"),
        Some("EG.3.2-99"),
        &["mali has no indicator EG.3.2-99"],
    );
    // Not a code at all: the core's message.
    let e = one(data("mali,EG 3.2,FY2023,actual,5,,,\n"));
    assert_error(
        &e,
        2,
        Some("indicator"),
        Some("EG 3.2"),
        &["\"EG 3.2\" is not an indicator code: expected"],
    );
}

#[test]
fn unparseable_period() {
    let e = one(data(
        "mali,EG.3.2-27,FY2023,actual,5,,,\nmali,EG.3.2-27,2023-13,actual,5,,,\n",
    ));
    assert_error(
        &e,
        3,
        Some("period"),
        Some("2023-13"),
        &[
            "\"2023-13\" is not a period: the month must be 01 to 12",
            "FY2023Q1",
        ],
    );
    assert!(
        e.to_string()
            .starts_with("row 3, column period: \"2023-13\" is not a period: "),
        "{e}"
    );
}

#[test]
fn non_numeric_value() {
    let e = one(data("mali,EG.3.2-27,FY2023,actual,\"1,000\",,,\n"));
    assert_error(
        &e,
        2,
        Some("value"),
        Some("1,000"),
        &["\"1,000\" is not a number", "thousands separators", "1250"],
    );
    for (value, says) in [
        ("twelve", "expected a number"),
        ("45%", "% sign"),
        ("1.2E+06", "exponent"),
        ("$500", "currency"),
        ("+3", "plus sign"),
        ("NaN", "expected a number"),
    ] {
        let e = one(data(&format!("mali,EG.3.2-27,FY2023,actual,{value},,,\n")));
        assert_error(&e, 2, Some("value"), Some(value), &[says]);
    }
}

#[test]
fn undeclared_dimension() {
    // PS.6.2-1 has no disaggregations; a value under "sex" is refused, a blank is the total.
    let e = one(data(
        "mali,PS.6.2-1,FY2023,actual,5,,,\nmali,PS.6.2-1,FY2023,actual,3,female,,\n",
    ));
    assert_error(
        &e,
        3,
        Some("sex"),
        Some("female"),
        &[
            "PS.6.2-1 does not declare the dimension \"sex\"",
            "no disaggregations",
        ],
    );
    let text = "mission,indicator,period,kind,value,region\nmali,EG.3.2-27,FY2023,actual,5,Mopti\n";
    let e = one(read_data(text.as_bytes(), &known()));
    assert_error(
        &e,
        2,
        Some("region"),
        Some("Mopti"),
        &[
            "does not declare the dimension \"region\"",
            "disaggregated by sex",
        ],
    );
}

#[test]
fn duplicate_rows() {
    let e = one(data(
        "mali,EG.3.2-27,FY2023,actual,5,,,\n\
         mali,EG.3.2-27,FY2023,actual,4,female,,\n\
         mali,EG.3.2-27,FY2023,target,5,,,\n\
         mali,EG.3.2-27,FY2023,actual,6,female,other source,\n",
    ));
    assert_error(
        &e,
        5,
        None,
        None,
        &["repeats row 3", "EG.3.2-27, FY2023, actual, sex=female"],
    );
    let e = one(indicators(
        "mali,1.1,X-1,T,number,increase,annual\n\
         niger,1,X-1,T,number,increase,annual\n\
         mali,1.2,X-1,Other,number,increase,annual\n",
    ));
    assert_error(
        &e,
        4,
        Some("code"),
        Some("X-1"),
        &["X-1 of mission mali is already defined in row 2"],
    );
}

#[test]
fn missing_required_column() {
    let text = "mission,indicator,Period,value\nmali,EG.3.2-27,FY2023,5\n";
    let e = errors(read_data(text.as_bytes(), &known()));
    assert_eq!(e.len(), 2, "{e:#?}");
    assert_error(
        &e[0],
        1,
        Some("period"),
        None,
        &[
            "the required column \"period\" is missing",
            "\"Period\" must be written \"period\"",
            "the header is: mission,indicator,Period,value",
        ],
    );
    assert_error(&e[1], 1, Some("kind"), None, &["\"kind\" is missing"]);
    let e = one(read_indicators(
        b"mission,element,code,title,unit,direction\n",
        &known(),
    ));
    assert_error(
        &e,
        1,
        Some("frequency"),
        None,
        &["\"frequency\" is missing"],
    );
    // A spreadsheet set to semicolons is told so.
    let e = errors(read_data(
        b"mission;indicator;period;kind;value\nmali;EG.3.2-27;FY2023;actual;5\n",
        &known(),
    ));
    assert_eq!(e.len(), 5, "{e:#?}");
    assert_error(
        &e[0],
        1,
        Some("mission"),
        None,
        &["separated by \";\"", "CSV (comma delimited)"],
    );
    // The indicator CSV also refuses a column it does not know.
    let e = one(read_indicators(
        b"mission,element,code,title,unit,direction,frequency,data source\n",
        &known(),
    ));
    assert_error(
        &e,
        1,
        Some("data source"),
        Some("data source"),
        &["did you mean \"data_source\"?"],
    );
}

#[test]
fn empty_required_cell() {
    let e = one(data("mali,EG.3.2-27,,actual,5,,,\n"));
    assert_error(
        &e,
        2,
        Some("period"),
        None,
        &["the cell is empty: expected a fiscal year (FY2023)"],
    );
    assert_eq!(
        e.to_string(),
        "row 2, column period: the cell is empty: expected a fiscal year (FY2023), a fiscal \
         quarter (FY2023Q1), a month (2023-01) or a calendar year (2023)"
    );
    let e = one(indicators("mali,1.1,X-1,   ,number,increase,annual\n"));
    assert_error(&e, 2, Some("title"), None, &["the cell is empty"]);
    let e = one(indicators("mali,1.1,X-1,T,,increase,annual\n"));
    assert_error(
        &e,
        2,
        Some("unit"),
        None,
        &["expected one of number, percent, USD, people, score"],
    );
}

#[test]
fn unknown_vocabulary_value() {
    let e = one(indicators("mali,1.1,X-1,T,usd,increase,annual\n"));
    assert_error(
        &e,
        2,
        Some("unit"),
        Some("usd"),
        &["\"usd\" is not a unit: expected number, percent, USD, people, score"],
    );
    let e = one(indicators("mali,1.1,X-1,T,USD,up,annual\n"));
    assert_error(
        &e,
        2,
        Some("direction"),
        Some("up"),
        &["\"up\" is not a direction: expected increase or decrease"],
    );
    let e = one(indicators("mali,1.1,X-1,T,USD,increase,yearly\n"));
    assert_error(
        &e,
        2,
        Some("frequency"),
        Some("yearly"),
        &["\"yearly\" is not a reporting frequency"],
    );
    let e = one(data("mali,EG.3.2-27,FY2023,actuals,5,,,\n"));
    assert_error(
        &e,
        2,
        Some("kind"),
        Some("actuals"),
        &["\"actuals\" is not an observation kind: expected baseline, target, actual"],
    );
    let header = "mission,element,code,title,unit,direction,frequency,measure,cumulative,\
                  disaggregations,marking,type\n";
    for (cells, column, value, says) in [
        (
            "count,,,,",
            "measure",
            "count",
            "\"count\" is not a measure",
        ),
        (",maybe,,,", "cumulative", "maybe", "true, false, yes or no"),
        (
            ",,sex;;age,,",
            "disaggregations",
            "sex;;age",
            "blank dimension name",
        ),
        (
            ",,sex; sex,,",
            "disaggregations",
            "sex; sex",
            "\"sex\" twice",
        ),
        (
            ",,source,,",
            "disaggregations",
            "source",
            "column of the data CSV",
        ),
        (
            ",,,secret,",
            "marking",
            "secret",
            "\"secret\" is not a marking",
        ),
        (
            ",,,,impact",
            "type",
            "impact",
            "\"impact\" is not an indicator type",
        ),
    ] {
        let text = format!("{header}mali,1.1,X-1,T,USD,increase,annual,{cells}\n");
        let e = one(read_indicators(text.as_bytes(), &known()));
        assert_error(&e, 2, Some(column), Some(value), &[says]);
    }
}

#[test]
fn wrong_number_of_fields() {
    let e = errors(data(
        "mali,EG.3.2-27,FY2023,actual,1,000,,,\nmali,EG.3.2-27,FY2023,target,5,,,\n\
         mali,EG.3.2-27,FY2024,target\n",
    ));
    assert_eq!(e.len(), 2, "{e:#?}");
    assert_error(
        &e[0],
        2,
        None,
        None,
        &[
            "the row has 9 cells but the header has 8 columns",
            "double quotes",
        ],
    );
    assert_error(
        &e[1],
        4,
        None,
        None,
        &[
            "the row has 4 cells but the header has 8",
            "every row needs a cell",
        ],
    );
}

#[test]
fn not_utf8() {
    let mut text = DATA_HEADER.as_bytes().to_vec();
    text.extend_from_slice(b"mali,EG.3.2-27,FY2023,actual,5,,Minist\xe8re,\n");
    let e = one(read_data(&text, &known()));
    assert_error(
        &e,
        2,
        Some("source"),
        Some("Minist\u{FFFD}re"),
        &["not UTF-8", "0xE8", "\"Minist\"", "CSV UTF-8"],
    );
    let e = one(read_indicators(b"mission,\xffelement\n", &known()));
    assert_error(
        &e,
        1,
        None,
        Some("\u{FFFD}element"),
        &["header", "not UTF-8"],
    );
}

#[test]
fn empty_file_and_blank_header_names() {
    let e = one(read_data(b"", &known()));
    assert_error(
        &e,
        1,
        None,
        None,
        &["the file is empty", "mission,indicator,period,kind,value"],
    );
    let e = one(read_data(b"\xEF\xBB\xBF\r\n\r\n", &known()));
    assert_error(&e, 1, None, None, &["the file is empty"]);
    let e = one(read_data(
        b"mission,indicator,period,kind,value,,note\n",
        &known(),
    ));
    assert_error(&e, 1, None, None, &["column 6 has no name"]);
    let e = one(read_data(
        b"mission,indicator,period,kind,value,sex,sex\n",
        &known(),
    ));
    assert_error(
        &e,
        1,
        Some("sex"),
        Some("sex"),
        &["names the column \"sex\" twice"],
    );
}

#[test]
fn every_error_is_reported_in_row_order() {
    let e = errors(data(
        "mali,EG.3.2-27,FY23,actuals,n/a,,,\n\
         mali,EG.3.2-27,FY2023,actual,5,,,\n\
         ,,,,,,,\n\
         narnia,EG.3.2-27,FY2023,target,,,,\n\
         mali,EG.3.2-27\n",
    ));
    let at: Vec<(usize, Option<&str>)> = e.iter().map(|e| (e.row, e.column.as_deref())).collect();
    assert_eq!(
        at,
        [
            (2, Some("period")),
            (2, Some("kind")),
            (2, Some("value")),
            (5, Some("mission")),
            (5, Some("value")),
            (6, None),
        ]
    );
}

#[test]
fn one_bad_row_among_good_ones_returns_nothing_but_its_error() {
    let mut rows = String::new();
    for q in 1..=4 {
        rows.push_str(&format!("mali,EG.3.2-27,FY2023Q{q},actual,{q}0,,,\n"));
    }
    rows.push_str("mali,EG.3.2-27,FY2024Q5,actual,50,,,\n");
    for q in 1..=4 {
        rows.push_str(&format!("mali,EG.3.2-27,FY2025Q{q},actual,{q}0,female,,\n"));
    }
    let e = one(data(&rows));
    assert_error(&e, 6, Some("period"), Some("FY2024Q5"), &["not a period"]);
    assert_eq!(
        ok(data(&rows.replace("FY2024Q5", "FY2024Q4"))).len(),
        9,
        "the same rows without the bad one"
    );
    let e = one(indicators(
        "mali,1.1,X-1,T,number,increase,annual\nmali,1.2,X-2,T,number,increase,sometimes\n\
         mali,1.3,X-3,T,number,increase,annual\n",
    ));
    assert_error(&e, 3, Some("frequency"), Some("sometimes"), &[]);
}

// --- Happy paths ----------------------------------------------------------------------------

#[test]
fn three_indicators_with_disaggregations() {
    let text = "\u{FEFF}mission,element,code,title,unit,direction,frequency,measure,cumulative,\
                disaggregations,definition,data_source,marking,type,method,responsible_office\r\n\
                mali,3.3,EG.3.2-27,\"Value of financing, accessed\",USD,increase,annual,,TRUE,\
                sex,\"Loans and grants;\r\nin \"\"U.S. dollars\"\"\",IP reports,public,output,\
                Partner records,USAID/Mali\r\n\
                mali,3.1,HL.1-1,People reached,people,increase,quarterly,quantitative,no,\
                \" sex ; age band \",,,,,,\r\n\
                niger,M,MGT-1,Positions filled,percent,decrease,semi-annual,ordinal,,,,,,,,\r\n";
    let rows = ok(read_indicators(text.as_bytes(), &known()));
    assert_eq!(rows.len(), 3);
    let (mission, eg) = &rows[0];
    assert_eq!(mission, "mali");
    assert_eq!(
        *eg,
        Indicator {
            code: code("EG.3.2-27"),
            element: ElementId(13),
            title: "Value of financing, accessed".into(),
            definition: Some("Loans and grants;\r\nin \"U.S. dollars\"".into()),
            unit: IndicatorUnit::Usd,
            direction: Direction::Increase,
            kind: IndicatorType::Output,
            measure: Measure::Quantitative,
            cumulative: true,
            frequency: Frequency::Annual,
            disaggregations: vec!["sex".into()],
            data_source: Some("IP reports".into()),
            method: Some("Partner records".into()),
            responsible_office: Some("USAID/Mali".into()),
            marking: Marking::Public,
        }
    );
    let hl = &rows[1].1;
    assert_eq!(hl.disaggregations, ["sex", "age band"]);
    assert_eq!(
        (hl.element, hl.cumulative, hl.marking, hl.kind),
        (ElementId(11), false, Marking::Sbu, IndicatorType::Outcome)
    );
    let (mission, mgt) = &rows[2];
    assert_eq!(mission, "niger");
    assert_eq!(
        (mgt.element, mgt.direction, mgt.measure, mgt.frequency),
        (
            ElementId(2),
            Direction::Decrease,
            Measure::Ordinal,
            Frequency::SemiAnnual
        )
    );
    assert!(mgt.disaggregations.is_empty() && mgt.definition.is_none());
}

#[test]
fn three_observations_with_dimensions() {
    // Columns in another order; a blank dimension cell is the total over it.
    let text = "note,value,age band,kind,period,sex,indicator,mission,source\n\
                ,21450,,actual,FY2023Q1,,HL.1-1,mali,DHIS2\n\
                \"Mopti, Ségou\",-3650.5,under 5,actual,2023-01,female,HL.1-1,mali,\n\
                ,0.25,,target,2023,male,HL.1-1,mali,\n";
    let rows = ok(read_data(text.as_bytes(), &known()));
    let cell = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).into(), (*v).into()))
            .collect()
    };
    let obs =
        |p: &str, kind, value, c: &[(&str, &str)], source: Option<&str>, note: Option<&str>| {
            (
                "mali".to_string(),
                Observation {
                    indicator: code("HL.1-1"),
                    period: period(p),
                    kind,
                    value,
                    cell: cell(c),
                    source: source.map(Into::into),
                    note: note.map(Into::into),
                },
            )
        };
    assert_eq!(
        rows,
        [
            obs(
                "FY2023Q1",
                ObservationKind::Actual,
                21450.0,
                &[],
                Some("DHIS2"),
                None
            ),
            obs(
                "2023-01",
                ObservationKind::Actual,
                -3650.5,
                &[("age band", "under 5"), ("sex", "female")],
                None,
                Some("Mopti, Ségou")
            ),
            obs(
                "2023",
                ObservationKind::Target,
                0.25,
                &[("sex", "male")],
                None,
                None
            ),
        ]
    );
    assert!(rows[0].1.is_total());
}

#[test]
fn element_forms() {
    let cases = [
        (
            "1",
            Node::Goal("1".parse().unwrap_or_else(|e| panic!("{e}"))),
            "1",
        ),
        (
            "1.2",
            Node::Objective("1.2".parse().unwrap_or_else(|e| panic!("{e}"))),
            "1.2",
        ),
        (
            "1.1.2",
            Node::Objective("1.1.2".parse().unwrap_or_else(|e| panic!("{e}"))),
            "1.1.2",
        ),
        (
            "M1",
            Node::Management("1".parse().unwrap_or_else(|e| panic!("{e}"))),
            "M1",
        ),
        (
            "M",
            Node::Management("1".parse().unwrap_or_else(|e| panic!("{e}"))),
            "M1",
        ),
    ];
    for (text, node, canonical) in &cases {
        assert_eq!(element_node(text).as_ref(), Ok(node), "{text}");
        assert_eq!(element_text(node), *canonical);
    }
    for bad in ["", "0", "1..2", "G1", "M1a", "Goal 1", "-1", "m", "MM1"] {
        assert!(element_node(bad).is_err(), "{bad}");
    }
    let rows = ok(indicators(
        "mali,1,X-1,T,number,increase,annual\n\
         mali,1.2,X-2,T,number,increase,annual\n\
         mali,1.1.2,X-3,T,number,increase,annual\n\
         mali,M1,X-4,T,number,increase,annual\n\
         niger,M,X-5,T,number,increase,annual\n",
    ));
    let ids: Vec<u32> = rows.iter().map(|(_, i)| i.element.0).collect();
    assert_eq!(ids, [1, 4, 3, 14, 2]);
}

#[test]
fn rows_are_numbered_as_a_spreadsheet_shows_them() {
    // A quoted line break stays inside its row; blank lines count; CR, LF and CRLF alike.
    for newline in ["\n", "\r\n", "\r"] {
        let text = [
            "mission,indicator,period,kind,value,sex,source,note",
            "mali,EG.3.2-27,FY2023,actual,5,,,\"two",
            "lines\"",
            "",
            "mali,EG.3.2-27,FY2023,target,x,,,",
        ]
        .join(newline);
        let e = one(read_data(text.as_bytes(), &known()));
        assert_error(&e, 4, Some("value"), Some("x"), &[]);
    }
}

// --- Fixtures ---------------------------------------------------------------------------------

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/tables/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Mission Mali's elements as its ICS numbers them: three goals, their objectives and the one
/// unnumbered management objective.
struct Mali;

impl Known for Mali {
    fn mission(&self, mission: &str) -> Result<(), String> {
        (mission == "mali")
            .then_some(())
            .ok_or_else(|| format!("no mission {mission:?}: the mission is mali"))
    }

    fn element(&self, _: &str, element: &str) -> Result<ElementId, String> {
        let numbers = [
            "1", "1.1", "1.2", "1.3", "1.4", "2", "2.1", "2.2", "3", "3.1", "3.2", "3.3", "M1",
        ];
        numbers
            .iter()
            .position(|n| *n == element)
            .map(|i| ElementId(u32::try_from(i).unwrap_or_default() + 1))
            .ok_or_else(|| format!("no element {element}: Mali has {}", numbers.join(", ")))
    }

    fn indicator(&self, mission: &str, code: &IndicatorCode) -> Result<Indicator, String> {
        Err(format!("no indicator {code} in {mission} yet"))
    }
}

#[test]
fn mali_fixtures_read_cleanly() {
    let indicators = ok(read_indicators(&fixture("indicators.csv"), &Mali));
    let codes: Vec<&str> = indicators.iter().map(|(_, i)| i.code.as_str()).collect();
    assert_eq!(
        codes,
        [
            "PD-MALI-1",
            "PS.6.2-1",
            "HL.1-1",
            "EG.3.2-27",
            "CTX-FOOD-1",
            "MGT-MALI-1"
        ]
    );
    let mgt = &indicators[5].1;
    assert_eq!(mgt.element, ElementId(13));
    assert!(indicators[3].1.cumulative);
    // The data refer to the indicators just read.
    let known = Including::new(&Mali, &indicators);
    let data = ok(read_data(&fixture("data.csv"), &known));
    assert_eq!(data.len(), 48);
    assert!(data.iter().all(|(m, _)| m == "mali"));
    let by_sex = data
        .iter()
        .filter(|(_, o)| o.cell.contains_key("sex"))
        .count();
    assert_eq!(by_sex, 8);
    // Without the indicators, every row names its unknown indicator.
    let e = errors(read_data(&fixture("data.csv"), &Mali));
    assert_eq!(e.len(), 48);
    assert!(e.iter().all(|e| e.column.as_deref() == Some("indicator")));
    // Written and read back: the same rows.
    assert_eq!(ok(read_data(write_data(&data).as_bytes(), &known)), data);
    let numbers = |_: &str, id: ElementId| {
        [
            "1", "1.1", "1.2", "1.3", "1.4", "2", "2.1", "2.2", "3", "3.1", "3.2", "3.3", "M1",
        ][usize::try_from(id.0).unwrap_or_default() - 1]
            .to_string()
    };
    let written = write_indicators(&indicators, numbers);
    assert_eq!(ok(read_indicators(written.as_bytes(), &Mali)), indicators);
}

// --- Round trips ------------------------------------------------------------------------------

/// Knows every mission, element and indicator; every indicator is disaggregated by `dims`.
struct Anything(Vec<String>);

impl Known for Anything {
    fn element(&self, _: &str, element: &str) -> Result<ElementId, String> {
        // Goals as their number, objectives and management objectives as 1000 + an index.
        let node = element_node(element)?;
        let id = match &node {
            Node::Goal(n) => n.as_str().parse().unwrap_or(0),
            Node::Objective(n) => 1000 + n.as_str().replace('.', "").parse::<u32>().unwrap_or(0),
            Node::Management(n) => 900 + n.as_str().parse::<u32>().unwrap_or(0),
            Node::Priorities => 0,
        };
        Ok(ElementId(id))
    }

    fn indicator(&self, _: &str, code: &IndicatorCode) -> Result<Indicator, String> {
        let dims: Vec<&str> = self.0.iter().map(String::as_str).collect();
        Ok(indicator(code.as_str(), 1, &dims))
    }
}

const DIMS: [&str; 4] = ["sex", "age band", "region, district", "quote\"d"];

fn any_period() -> impl Strategy<Value = Period> {
    prop_oneof![
        (1001..=9999i32)
            .prop_filter_map("year", |y| cairn_core::FiscalYear::new(y).map(Period::from)),
        (1001..=9999i32, 1..=4u8).prop_filter_map("quarter", |(y, q)| {
            cairn_core::FiscalYear::new(y)
                .and_then(|fy| cairn_core::FiscalQuarter::new(fy, q))
                .map(Period::from)
        }),
        (1001..=9998i32, 1..=12u8).prop_filter_map("month", |(y, m)| cairn_core::Month::new(y, m)
            .map(Period::from)),
        (1001..=9998i32).prop_filter_map("calendar year", |y| {
            cairn_core::CalendarYear::new(y).map(Period::from)
        }),
    ]
}

fn any_value() -> impl Strategy<Value = f64> {
    prop_oneof![
        (-1_000_000i64..1_000_000).prop_map(|n| n as f64),
        (-100_000i64..100_000).prop_map(|n| n as f64 / 100.0),
        -1e9..1e9f64,
        any::<f64>().prop_filter("finite", |v| v.is_finite()),
        Just(0.1),
        Just(-0.0),
        Just(f64::MAX),
        Just(f64::MIN_POSITIVE),
        Just(5e-324),
    ]
}

/// Trimmed, non-blank text with the characters CSV must quote.
fn any_text() -> impl Strategy<Value = String> {
    "[A-Za-z0-9 ,;\"\n\r'éÅ–]{1,12}"
        .prop_map(|s| s.trim().to_string())
        .prop_filter("not blank", |s| !s.is_empty())
}

fn any_observation() -> impl Strategy<Value = (String, Observation)> {
    (
        prop::sample::select(vec!["mali", "niger", "af-jrs"]),
        prop::sample::select(vec!["EG.3.2-27", "HL.1-1", "PS.6.2-1", "x"]),
        any_period(),
        prop::sample::select(ObservationKind::ALL.to_vec()),
        any_value(),
        prop::collection::btree_map(prop::sample::select(DIMS.to_vec()), any_text(), 0..3),
        prop::option::of(any_text()),
        prop::option::of(any_text()),
    )
        .prop_map(|(mission, c, period, kind, value, cell, source, note)| {
            (
                mission.to_string(),
                Observation {
                    indicator: code(c),
                    period,
                    kind,
                    value,
                    cell: cell.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
                    source,
                    note,
                },
            )
        })
}

proptest! {
    #[test]
    fn written_data_reads_back_the_same(rows in prop::collection::vec(any_observation(), 0..24)) {
        // One row per mission, indicator, period, kind and cell.
        let mut seen = std::collections::HashSet::new();
        let rows: Vec<(String, Observation)> = rows
            .into_iter()
            .filter(|(m, o)| {
                seen.insert((m.clone(), o.indicator.clone(), o.period, o.kind, o.cell.clone()))
            })
            .collect();
        let text = write_data(&rows);
        let known = Anything(DIMS.iter().map(|d| (*d).to_string()).collect());
        let back = read_data(text.as_bytes(), &known);
        prop_assert_eq!(back.as_ref().map_err(|e| e.iter().map(ToString::to_string).collect::<Vec<_>>()), Ok(&rows), "{}", text);
        let bits = |rows: &[(String, Observation)]| -> Vec<u64> {
            rows.iter().map(|(_, o)| o.value.to_bits()).collect()
        };
        prop_assert_eq!(bits(&back.unwrap_or_default()), bits(&rows));
    }

    #[test]
    fn written_indicators_read_back_the_same(
        titles in prop::collection::vec(any_text(), 1..6),
        definition in prop::option::of(any_text()),
        dims in prop::sample::subsequence(DIMS.to_vec(), 0..=4),
        cumulative in any::<bool>(),
    ) {
        let rows: Vec<(String, Indicator)> = titles
            .iter()
            .enumerate()
            .map(|(n, title)| {
                let mut i = indicator(&format!("X-{n}"), [1, 1012, 901][n % 3], &dims);
                i.title = title.clone();
                i.definition = definition.clone();
                i.cumulative = cumulative;
                i.unit = IndicatorUnit::ALL[n % IndicatorUnit::ALL.len()];
                i.frequency = Frequency::ALL[n % Frequency::ALL.len()];
                ("mali".to_string(), i)
            })
            .collect();
        let numbers = |_: &str, id: ElementId| match id.0 {
            1 => "1".to_string(),
            1012 => "1.2".to_string(),
            _ => "M".to_string(),
        };
        let text = write_indicators(&rows, numbers);
        let back = read_indicators(text.as_bytes(), &Anything(Vec::new()));
        prop_assert_eq!(back.map_err(|e| e.iter().map(ToString::to_string).collect::<Vec<_>>()), Ok(rows), "{}", text);
    }
}

// --- The milestone CSV ------------------------------------------------------------------------

const MILESTONE_HEADER: &str = "mission,element,code,title,due,status\n";

fn milestones(rows: &str) -> Result<Vec<(String, Milestone)>, Vec<TableError>> {
    read_milestones(format!("{MILESTONE_HEADER}{rows}").as_bytes(), &known())
}

fn day(s: &str) -> chrono::NaiveDate {
    s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
}

#[test]
fn milestones_read_with_their_optional_columns_in_any_order() {
    let text = "\u{FEFF}status,due,title,code,element,mission,marking,note\r\n\
                in-progress,2024-02-04,\"Electoral calendar published, with dates\",M-CALENDAR,1.1,mali,,\r\n\
                delayed,2023-09-30,Security sector review,M-SSR,2.1,mali,public,\"Postponed; \"\"awaiting decree\"\"\"\r\n\
                done,2022-10-01,Continuity plan tested,M-COOP,M,niger,sbu,\r\n";
    let rows = ok(read_milestones(text.as_bytes(), &known()));
    assert_eq!(
        rows,
        [
            (
                "mali".to_string(),
                Milestone {
                    code: "M-CALENDAR".parse().unwrap_or_else(|e| panic!("{e}")),
                    element: ElementId(2),
                    title: "Electoral calendar published, with dates".into(),
                    due: day("2024-02-04"),
                    status: MilestoneStatus::InProgress,
                    note: None,
                    marking: Marking::Sbu,
                }
            ),
            (
                "mali".to_string(),
                Milestone {
                    code: "M-SSR".parse().unwrap_or_else(|e| panic!("{e}")),
                    element: ElementId(8),
                    title: "Security sector review".into(),
                    due: day("2023-09-30"),
                    status: MilestoneStatus::Delayed,
                    note: Some("Postponed; \"awaiting decree\"".into()),
                    marking: Marking::Public,
                }
            ),
            (
                "niger".to_string(),
                Milestone {
                    code: "M-COOP".parse().unwrap_or_else(|e| panic!("{e}")),
                    element: ElementId(2),
                    title: "Continuity plan tested".into(),
                    due: day("2022-10-01"),
                    status: MilestoneStatus::Done,
                    note: None,
                    marking: Marking::Sbu,
                }
            ),
        ]
    );
    // The same code in another mission is another milestone.
    assert_eq!(
        ok(milestones(
            "mali,1,M-1,A,2024-01-01,done\nniger,1,M-1,B,2024-01-01,done\n"
        ))
        .len(),
        2
    );
}

#[test]
fn milestone_mission_element_and_code_errors() {
    let e = one(milestones("atlantis,1,M-1,T,2024-01-01,done\n"));
    assert_error(&e, 2, Some("mission"), Some("atlantis"), &["no mission"]);
    let e = one(milestones("mali,4.1,M-1,T,2024-01-01,done\n"));
    assert_error(
        &e,
        2,
        Some("element"),
        Some("4.1"),
        &["mali has no element 4.1"],
    );
    let e = one(milestones("mali,Objective 1,M-1,T,2024-01-01,done\n"));
    assert_error(
        &e,
        2,
        Some("element"),
        Some("Objective 1"),
        &["is not an element", "M1"],
    );
    let e = one(milestones("mali,1,M 1,T,2024-01-01,done\n"));
    assert_error(
        &e,
        2,
        Some("code"),
        Some("M 1"),
        &["\"M 1\" is not a milestone code", "M-ELECTIONS"],
    );
    let e = one(milestones(
        "mali,1,M-1,T,2024-01-01,done\nmali,1.2,M-1,Other,2025-01-01,done\n",
    ));
    assert_error(
        &e,
        3,
        Some("code"),
        Some("M-1"),
        &["milestone M-1 of mission mali is already defined in row 2"],
    );
}

#[test]
fn milestone_due_dates_are_year_month_day_and_exist() {
    for (due, says) in [
        ("31/03/2024", "written with hyphens, year first"),
        ("2024-3-31", "expected year-month-day, e.g. 2024-03-31"),
        ("March 2024", "expected year-month-day"),
        ("2024-13-01", "the month must be 01 to 12"),
        ("2023-02-29", "2023-02 has no day 29"),
        ("2024-04-31", "2024-04 has no day 31"),
    ] {
        let e = one(milestones(&format!("mali,1,M-1,T,{due},done\n")));
        assert_error(
            &e,
            2,
            Some("due"),
            Some(due),
            &[&format!("{due:?} is not a date"), says],
        );
    }
    assert_eq!(
        ok(milestones("mali,1,M-1,T,2024-02-29,done\n"))[0].1.due,
        day("2024-02-29")
    );
}

#[test]
fn milestone_vocabularies_and_empty_cells() {
    let e = one(milestones("mali,1,M-1,T,2024-01-01,finished\n"));
    assert_error(
        &e,
        2,
        Some("status"),
        Some("finished"),
        &[
            "\"finished\" is not a milestone status: expected not-started, in-progress, done, delayed, dropped",
        ],
    );
    let text =
        "mission,element,code,title,due,status,marking\nmali,1,M-1,T,2024-01-01,done,secret\n";
    let e = one(read_milestones(text.as_bytes(), &known()));
    assert_error(&e, 2, Some("marking"), Some("secret"), &["public, sbu"]);
    let e = errors(milestones("mali,1,M-1,,,\n"));
    let at: Vec<(Option<&str>, &str)> = e
        .iter()
        .map(|e| (e.column.as_deref(), e.message.as_str()))
        .collect();
    assert_eq!(
        at,
        [
            (
                Some("title"),
                "the cell is empty: expected the milestone's title"
            ),
            (
                Some("due"),
                "the cell is empty: expected the day it is due, e.g. 2024-03-31"
            ),
            (
                Some("status"),
                "the cell is empty: expected one of not-started, in-progress, done, delayed, dropped"
            ),
        ]
    );
}

#[test]
fn milestone_columns_are_checked_first() {
    let text = "mission,element,code,title,Due,state\nmali,1,M-1,T,2024-01-01,done\n";
    let e = errors(read_milestones(text.as_bytes(), &known()));
    let at: Vec<(usize, Option<&str>)> = e.iter().map(|e| (e.row, e.column.as_deref())).collect();
    assert_eq!(
        at,
        [
            (1, Some("Due")),
            (1, Some("state")),
            (1, Some("due")),
            (1, Some("status"))
        ]
    );
    assert!(
        e[0].message.contains("did you mean \"due\"?")
            && e[1]
                .message
                .contains("not a column of the milestone CSV: expected mission,element,code,title,due,status and optionally note,marking"),
        "{e:#?}"
    );
    assert!(
        e[2].message.contains("\"Due\" must be written \"due\""),
        "{e:#?}"
    );
}

#[test]
fn one_bad_milestone_returns_every_error_and_no_rows() {
    let e = errors(milestones(
        "mali,1,M-1,T,2024-01-01,done\n\
         mali,9,M-2,T,2024-02-30,done\n\
         mali,1,M-3\n\
         mali,1.1,M-4,T,2024-01-01,started\n",
    ));
    let at: Vec<(usize, Option<&str>)> = e.iter().map(|e| (e.row, e.column.as_deref())).collect();
    assert_eq!(
        at,
        [
            (3, Some("element")),
            (3, Some("due")),
            (4, None),
            (5, Some("status"))
        ]
    );
}

fn any_milestone() -> impl Strategy<Value = (String, Milestone)> {
    (
        prop::sample::select(vec!["mali", "niger"]),
        prop::sample::select(vec![1u32, 1012, 901]),
        "[A-Za-z0-9][A-Za-z0-9._-]{0,39}",
        any_text(),
        (0i32..=9999, 1u32..=366),
        prop::sample::select(MilestoneStatus::ALL.to_vec()),
        prop::option::of(any_text()),
        prop::sample::select(Marking::ALL.to_vec()),
    )
        .prop_filter_map(
            "a day of the year",
            |(mission, element, code, title, (year, ordinal), status, note, marking)| {
                Some((
                    mission.to_string(),
                    Milestone {
                        code: code.parse().ok()?,
                        element: ElementId(element),
                        title,
                        due: chrono::NaiveDate::from_yo_opt(year, ordinal)?,
                        status,
                        note,
                        marking,
                    },
                ))
            },
        )
}

proptest! {
    #[test]
    fn written_milestones_read_back_the_same(rows in prop::collection::vec(any_milestone(), 0..12)) {
        // One row per mission and code.
        let mut seen = std::collections::HashSet::new();
        let rows: Vec<(String, Milestone)> = rows
            .into_iter()
            .filter(|(m, x)| seen.insert((m.clone(), x.code.clone())))
            .collect();
        let numbers = |_: &str, id: ElementId| match id.0 {
            1 => "1".to_string(),
            1012 => "1.2".to_string(),
            _ => "M".to_string(),
        };
        let text = write_milestones(&rows, numbers);
        let back = read_milestones(text.as_bytes(), &Anything(Vec::new()));
        prop_assert_eq!(back.map_err(|e| e.iter().map(ToString::to_string).collect::<Vec<_>>()), Ok(rows), "{}", text);
    }
}
