//! Key figures: quantities in the narrative (money with its fiscal year, people, percentages).
//!
//! One pass per text: [`sentence`] finds the sentences, [`words`] cuts each into classified
//! chunks, [`phrase`] reads its year expressions and figure phrases, and [`bind`] ties each
//! figure to the year its sentence states.
//!
//! What is a figure: money ("$132 million", "US$5M", "5 million dollars"), percentages
//! ("4.8%", "five percent", "12 per cent", "3 percentage points"), and counts — a number with
//! a scale word ("1.9 million", "two million children") or a number followed, within two
//! words, by a people or thing noun ("3,500 refugees"). Numbers may be spelled out. Not
//! figures: years, dates, durations and ages, element numbers ("Goals 1 and 3"), ordinals,
//! identifiers ("COVID-19", "G5 Sahel", "7008 restrictions"), ranges and ratios, other
//! currencies.
//!
//! `text` is the phrase as written: the number with its currency sign, scale words and unit
//! ("$132 million", "4.8%", "1.9 million"); what a count counts is its `subject` ("people").

mod phrase;
mod sentence;
mod words;

use cairn_core::period::FiscalYear;
use cairn_core::{Figure, Node, Objective, Strategy};

use phrase::{Found, When, YearExpr};

/// Every figure in the strategy's narrative, in document order: the priorities, then each
/// goal's description followed by its objectives' (and sub-objectives') justification,
/// linkages and risks, then the management objectives' blocks.
pub fn collect(strategy: &Strategy) -> Vec<Figure> {
    let mut out = Vec::new();
    let mut scratch = Scratch::default();
    let mut read = |text, node: &Node| read_sentences(text, node, &mut out, true, &mut scratch);
    for p in &strategy.priorities {
        read(p, &Node::Priorities);
    }
    for goal in &strategy.goals {
        if let Some(d) = &goal.description {
            read(d, &Node::Goal(goal.number.clone()));
        }
        for o in goal.objectives.iter().flat_map(Objective::walk) {
            let node = Node::Objective(o.number.clone());
            for block in [&o.justification, &o.linkages, &o.risks]
                .into_iter()
                .flatten()
            {
                read(block, &node);
            }
        }
    }
    for m in &strategy.management_objectives {
        let node = Node::Management(m.number.clone());
        for block in [&m.justification, &m.linkages, &m.risks]
            .into_iter()
            .flatten()
        {
            read(block, &node);
        }
    }
    out
}

/// The figures of one text, in order, each marked as standing at `node`.
pub fn extract(text: &str, node: &Node) -> Vec<Figure> {
    let mut out = Vec::new();
    read_sentences(text, node, &mut out, true, &mut Scratch::default());
    out
}

/// Buffers reused from sentence to sentence and from text to text.
#[derive(Default)]
struct Scratch<'a> {
    chunks: Vec<words::Chunk<'a>>,
    used: Vec<bool>,
    years: Vec<YearExpr>,
    found: Vec<Found>,
    when: Vec<Option<When>>,
}

/// Appends the figures of `text` to `out`. Linear in the length of the text: each sentence
/// is cut into chunks once and every scan over them is bounded. `skip` passes over the
/// sentences that cannot hold a figure (the tests check that doing so never loses one).
fn read_sentences<'a>(
    text: &'a str,
    node: &Node,
    out: &mut Vec<Figure>,
    skip: bool,
    scratch: &mut Scratch<'a>,
) {
    let Scratch {
        chunks,
        used,
        years,
        found,
        when,
    } = scratch;
    for sentence::Sentence {
        start: s,
        end: e,
        candidate,
    } in sentence::sentences(text)
    {
        if skip && !candidate {
            continue;
        }
        chunks.clear();
        words::chunks(text, s, e, chunks);
        used.clear();
        used.resize(chunks.len(), false);
        years.clear();
        phrase::years(chunks, used, years);
        found.clear();
        let mut i = 0;
        while i < chunks.len() {
            if used[i] || !phrase::can_start(&chunks[i]) {
                i += 1;
                continue;
            }
            match phrase::figure_at(chunks, used, i) {
                Some(f) => {
                    i = f.end;
                    found.push(f);
                }
                None => i += 1,
            }
        }
        if found.is_empty() {
            continue;
        }
        bind(found, years, chunks.len(), when);
        let sentence = &text[s..e];
        for (f, w) in found.iter().zip(when.iter()) {
            out.push(Figure {
                text: text[f.text.0..f.text.1].to_string(),
                value: f.value,
                unit: f.unit,
                subject: f.subject.map(|(a, b)| text[a..b].to_string()),
                year: match w {
                    Some(When::Calendar(y)) => Some(*y),
                    _ => None,
                },
                fiscal_year: match w {
                    Some(When::Fiscal(y)) => Some(FiscalYear(*y)),
                    _ => None,
                },
                sentence: sentence.to_string(),
                node: node.clone(),
            });
        }
    }
}

/// Ties each figure of a sentence to a year expression of the same sentence: the nearest one
/// after it and before the next figure; else the nearest one before it; else, when the next
/// figure restates it in another unit and took a year from after itself, that same year
/// ("more than 35 percent of the population, approximately 7.5 million people, … in 2022";
/// but not "2.5 million Malians, up from 1.3 million in 2020").
fn bind(found: &[Found], years: &[YearExpr], n: usize, out: &mut Vec<Option<When>>) {
    out.clear();
    out.resize(found.len(), None);
    let mut chained: Option<When> = None;
    for (k, f) in found.iter().enumerate().rev() {
        let next_start = found.get(k + 1).map_or(n, |g| g.first);
        let after = years.partition_point(|y| y.first < f.end);
        let following = years.get(after).filter(|y| y.first < next_start);
        let before = years.partition_point(|y| y.last < f.first);
        let preceding = before.checked_sub(1).map(|b| &years[b]);
        let (w, from_after) = match (following, preceding) {
            (Some(y), _) => (Some(y.when), true),
            (None, Some(y)) => (Some(y.when), false),
            (None, None) => {
                let restated = found.get(k + 1).is_some_and(|g| g.unit != f.unit);
                let w = chained.filter(|_| restated);
                (w, w.is_some())
            }
        };
        out[k] = w;
        chained = if from_after { w } else { None };
    }
}

#[cfg(test)]
mod tests {
    use cairn_core::{Goal, ManagementObjective, Number, Objective, Strategy, StrategyKind, Unit};

    use super::*;

    /// (text, value, unit, subject, year, fiscal year) of each figure.
    type Row = (String, f64, Unit, Option<String>, Option<i32>, Option<i32>);

    fn rows(text: &str) -> Vec<Row> {
        extract(text, &Node::Priorities)
            .into_iter()
            .map(|f| {
                (
                    f.text,
                    f.value,
                    f.unit,
                    f.subject,
                    f.year,
                    f.fiscal_year.map(|y| y.0),
                )
            })
            .collect()
    }

    fn row(text: &str, value: f64, unit: Unit) -> Row {
        (text.to_string(), value, unit, None, None, None)
    }

    fn count(text: &str, value: f64, subject: Option<&str>) -> Row {
        (
            text.to_string(),
            value,
            Unit::Count,
            subject.map(str::to_string),
            None,
            None,
        )
    }

    fn in_year(mut r: Row, year: i32) -> Row {
        r.4 = Some(year);
        r
    }

    fn in_fy(mut r: Row, fy: i32) -> Row {
        r.5 = Some(fy);
        r
    }

    fn values(text: &str) -> Vec<(f64, Unit)> {
        rows(text).into_iter().map(|r| (r.1, r.2)).collect()
    }

    fn number(s: &str) -> Number {
        Number::parse(s).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn money_with_scales_and_suffixes() {
        assert_eq!(
            rows("It cost $132 million, then $1.5 billion and $250 thousand and $500."),
            vec![
                row("$132 million", 132e6, Unit::Usd),
                row("$1.5 billion", 1.5e9, Unit::Usd),
                row("$250 thousand", 250e3, Unit::Usd),
                row("$500", 500.0, Unit::Usd),
            ]
        );
        assert_eq!(
            rows("Grants of US$5 million, USD 2.3 million, $5M, $1.2B and $3.4bn."),
            vec![
                row("US$5 million", 5e6, Unit::Usd),
                row("USD 2.3 million", 2.3e6, Unit::Usd),
                row("$5M", 5e6, Unit::Usd),
                row("$1.2B", 1.2e9, Unit::Usd),
                row("$3.4bn", 3.4e9, Unit::Usd),
            ]
        );
        assert_eq!(
            rows("It gave 5 million dollars and five million U.S. dollars and 700 USD."),
            vec![
                row("5 million dollars", 5e6, Unit::Usd),
                row("five million U.S. dollars", 5e6, Unit::Usd),
                row("700 USD", 700.0, Unit::Usd),
            ]
        );
        assert_eq!(
            rows("It totaled more than \\$132 million."),
            vec![row("$132 million", 132e6, Unit::Usd)]
        );
        // "$1,250,000" with separators; 1.9 million is exact.
        assert_eq!(
            values("A grant of $1,250,000."),
            vec![(1_250_000.0, Unit::Usd)]
        );
        assert_eq!(
            values("About $1.9 million."),
            vec![(1_900_000.0, Unit::Usd)]
        );
    }

    #[test]
    fn percent_forms() {
        assert_eq!(
            rows("Poverty rose 4.8% and 35 percent, 12 per cent, 3 percentage points and 2.5 %."),
            vec![
                row("4.8%", 4.8, Unit::Percent),
                row("35 percent", 35.0, Unit::Percent),
                row("12 per cent", 12.0, Unit::Percent),
                row("3 percentage points", 3.0, Unit::Percent),
                row("2.5 %", 2.5, Unit::Percent),
            ]
        );
        assert_eq!(
            rows("Growth was five percent, then twenty-five percent."),
            vec![
                row("five percent", 5.0, Unit::Percent),
                row("twenty-five percent", 25.0, Unit::Percent),
            ]
        );
    }

    #[test]
    fn spelled_out_numbers() {
        assert_eq!(
            rows(
                "More than two million children, three hundred schools, one hundred and fifty \
                 teachers, a million people, twenty five percent and ninety-nine villages."
            ),
            vec![
                count("two million", 2e6, Some("children")),
                count("three hundred", 300.0, Some("schools")),
                count("one hundred and fifty", 150.0, Some("teachers")),
                count("a million", 1e6, Some("people")),
                row("twenty five percent", 25.0, Unit::Percent),
                count("ninety-nine", 99.0, Some("villages")),
            ]
        );
        assert_eq!(
            values("Two million five hundred thousand people."),
            vec![(2_500_000.0, Unit::Count)]
        );
        // Spelled numbers without a scale, unit or counted noun are not figures.
        assert!(rows("One of the three goals is to build two strong institutions.").is_empty());
    }

    #[test]
    fn counts_with_subject() {
        assert_eq!(
            rows(
                "The camps hold 3,500 refugees, 1.2 million internally displaced persons, \
                 4,000 metric tons of food, 600 health facilities and 120 new schools."
            ),
            vec![
                count("3,500", 3500.0, Some("refugees")),
                count("1.2 million", 1.2e6, Some("internally displaced persons")),
                count("4,000", 4000.0, Some("metric tons")),
                count("600", 600.0, Some("health facilities")),
                count("120", 120.0, Some("schools")),
            ]
        );
        assert_eq!(
            rows("About 1,000 U.S. citizens and 75 U.S. direct-hire employees live there."),
            vec![
                count("1,000", 1000.0, Some("citizens")),
                count("75", 75.0, Some("employees")),
            ]
        );
        assert_eq!(
            rows("About 1.9 million are at risk, and 2 million Malians and 15,000 IDPs."),
            vec![
                count("1.9 million", 1.9e6, None),
                count("2 million", 2e6, Some("Malians")),
                count("15,000", 15000.0, Some("IDPs")),
            ]
        );
    }

    #[test]
    fn years_and_dates_are_not_figures() {
        for text in [
            "Implementation of the 2015 Algiers Peace Accord has stagnated.",
            "Mali's economy had grown since 2014, and the 2012 rebellion and 2018 elections \
             followed.",
            "On May 24, 2021, military officers detained civilian transition officials.",
            "On January 1, 2022, the government announced an extension, and on 9 January 2022 \
             sanctions followed.",
            "By June 30, 2025 soldiers will leave.",
        ] {
            assert_eq!(rows(text), vec![], "{text}");
        }
    }

    #[test]
    fn durations_and_ages_are_not_figures() {
        for text in [
            "The transition government has an 18-month mandate.",
            "It would seek a five-year extension of its mandate.",
            "Over the past ten years Mali has seen improvements.",
            "Children aged between five and 17 years are out of school.",
            "A 12 month program for 15-year-old girls ran for 3 years.",
        ] {
            assert_eq!(rows(text), vec![], "{text}");
        }
        // The children are counted, their ages are not.
        assert_eq!(
            rows("More than two million children aged between five and 17 years out of school."),
            vec![count("two million", 2e6, Some("children"))]
        );
    }

    #[test]
    fn element_numbers_ordinals_and_identifiers_are_not_figures() {
        for text in [
            "Mission Goal 1 aligns with Goals 1 and 3 and Objective 1.1.",
            "It links with the Joint Regional Strategy and its objectives 2.1, 2.2, and 3.4.",
            "It aligns with AF JRS Objectives 1.1, 1.2, and 3.4. as well as Goals 1 and 2.",
            "The 1st and 2nd rounds of the third dialogue were held.",
            "COVID-19 and the G5 Sahel, and COVID 19 cases rose.",
            "Elections will allow the lifting of 7008 restrictions.",
            "Section 7008 restrictions apply to Grade 5 students and No. 3 schools.",
            "It costs 500 billion CFA francs.",
            "Between 10-15 percent and 5–10 percent and $10–15 million are ranges.",
            "One in five children is stunted.",
        ] {
            assert_eq!(rows(text), vec![], "{text}");
        }
    }

    #[test]
    fn fiscal_year_forms() {
        for (text, fy) in [
            ("It totaled $5 million in FY 2019.", 2019),
            ("It totaled $5 million in FY2019.", 2019),
            ("It totaled $5 million in FY19.", 2019),
            ("It totaled $5 million in FY-2020.", 2020),
            ("It totaled $5 million in fiscal year 2019.", 2019),
            ("It totaled $5 million in Fiscal Year (FY) 2021.", 2021),
            ("FY 2022 funding reached $5 million.", 2022),
        ] {
            assert_eq!(
                rows(text),
                vec![in_fy(row("$5 million", 5e6, Unit::Usd), fy)],
                "{text}"
            );
        }
        // A span of fiscal years names no single one.
        assert_eq!(
            rows("It totaled $5 million in FY 2019–2021."),
            vec![row("$5 million", 5e6, Unit::Usd)]
        );
        assert_eq!(
            rows("It totaled $5 million in FY 2020 and FY 2021."),
            vec![row("$5 million", 5e6, Unit::Usd)]
        );
    }

    #[test]
    fn calendar_year_binding() {
        for (text, year) in [
            ("Poverty will reach 4.8% in 2022.", 2022),
            ("The plan targets 5 percent for 2022.", 2022),
            ("Enrollment should grow 10 percent by 2025.", 2025),
            ("In 2021, 3 million people were affected.", 2021),
            ("Growth reached 3 percent during 2023.", 2023),
            ("Growth reached 3 percent in early 2023.", 2023),
            ("In August 2020, 3 percent of the budget went.", 2020),
            ("Rates fall 2 percent by the end of 2025.", 2025),
            ("Exports grew 2 percent in calendar year 2019.", 2019),
        ] {
            let got = rows(text);
            assert_eq!(got.len(), 1, "{text}");
            assert_eq!(got[0].4, Some(year), "{text}");
            assert_eq!(got[0].5, None, "{text}");
        }
    }

    #[test]
    fn since_and_bare_years_do_not_bind() {
        assert_eq!(
            rows(
                "Prior to the 2020 coup, Mali's economy was growing at an average of five \
                 percent annually since 2014."
            ),
            vec![row("five percent", 5.0, Unit::Percent)]
        );
        assert_eq!(
            rows("From 2019 to 2021, aid rose 5 percent."),
            vec![row("5 percent", 5.0, Unit::Percent)]
        );
    }

    #[test]
    fn each_figure_takes_the_nearest_following_year_before_the_next_figure() {
        let text = "U.S. bilateral foreign assistance to Mali's development totaled more than \
                    $132 million in FY 2019 and over $156 million in FY 2020; with nearly $144 \
                    million anticipated for FY 2021 to support food security.";
        assert_eq!(
            rows(text),
            vec![
                in_fy(row("$132 million", 132e6, Unit::Usd), 2019),
                in_fy(row("$156 million", 156e6, Unit::Usd), 2020),
                in_fy(row("$144 million", 144e6, Unit::Usd), 2021),
            ]
        );
        // Else the nearest one before it.
        assert_eq!(
            rows(
                "U.S. humanitarian assistance to Mali in FY 2021 accounts for an additional $75 million."
            ),
            vec![in_fy(row("$75 million", 75e6, Unit::Usd), 2021)]
        );
        assert_eq!(
            rows("In 2021, growth was 5 percent, and 3 million people will need help in 2022."),
            vec![
                in_year(row("5 percent", 5.0, Unit::Percent), 2021),
                in_year(count("3 million", 3e6, Some("people")), 2022),
            ]
        );
        // A figure with no year of its own takes the one the next figure took from after it.
        assert_eq!(
            rows(
                "Overall, more than 35 percent of the Malian population, approximately 7.5 \
                 million people, will require humanitarian assistance in 2022."
            ),
            vec![
                in_year(row("35 percent", 35.0, Unit::Percent), 2022),
                in_year(count("7.5 million", 7.5e6, Some("people")), 2022),
            ]
        );
        // A figure compared with another of its unit does not take the other's year.
        assert_eq!(
            rows("Some 2.5 million Malians are food insecure, up from 1.3 million in 2020."),
            vec![
                count("2.5 million", 2.5e6, Some("Malians")),
                in_year(count("1.3 million", 1.3e6, None), 2020),
            ]
        );
        assert_eq!(
            rows(
                "A total of 1,200 schools were closed as of December 2021, affecting 360,000 children."
            ),
            vec![
                in_year(count("1,200", 1200.0, Some("schools")), 2021),
                in_year(count("360,000", 360000.0, Some("children")), 2021),
            ]
        );
        // Years in another sentence never bind.
        assert_eq!(
            rows("Aid rose in 2020. It reached $5 million."),
            vec![row("$5 million", 5e6, Unit::Usd)]
        );
    }

    #[test]
    fn figure_keeps_its_sentence_verbatim() {
        let text = "Mali is large.  In 2022, 1.9 million people are projected to suffer from \
                    food insecurity, the highest level since 2015. Next.";
        let figs = extract(text, &Node::Objective(number("3.2")));
        assert_eq!(figs.len(), 1);
        assert_eq!(
            figs[0].sentence,
            "In 2022, 1.9 million people are projected to suffer from food insecurity, the \
             highest level since 2015."
        );
        assert_eq!(figs[0].node, Node::Objective(number("3.2")));
        assert_eq!(figs[0].year, Some(2022));
    }

    /// The narrative of the seed strategy (Mali, 2022) as the layout stage hands it over,
    /// every paragraph that holds a number or a number word.
    const SEED: &[(&str, &str)] = &[
        (
            "priorities",
            "U.S. relations with Mali are at a critical juncture. The United States continues to press for a return to a democratically elected government while the transition government, touting a democratic reform agenda, appears to be entrenching itself for the long haul. While France has traditionally been Mali's primary foreign partner, increasing anti-French sentiment complicates the U.S.-Mali relationship; however, we can seize opportunities to improve our standing with the Malian public and transition government. Following 2018 elections, Mali experienced significant political upheavals that hindered service provision and stagnated security partnerships with the United States. In August 2020, a group of military officers overthrew the elected government. In October 2020, that group ceded power to a transition government, with an 18-month mandate to hold elections and return Mali to constitutional rule by February 2022, as agreed with the Economic Community of West African States (ECOWAS). Per U.S. law, the 2020 coup triggered restrictions on foreign assistance, significantly impacting the Mission's ability to partner with security forces and limiting other forms of assistance.",
        ),
        (
            "priorities",
            "On May 24, 2021, military officers detained civilian transition officials, and, on June 7, 2021, Colonel Assimi Goita was sworn in as transition president in a further consolidation of military power. Following dialogues at municipal, county, regional, diaspora, and national levels in December 2021, on January 1, 2022, the transition government announced it would seek a five-year extension of its mandate. In response, ECOWAS then reimposed strict economic sanctions on Mali and restricted travel between Mali and ECOWAS countries on January 9, 2022. Given these constraints, our goals are to support a transition to democratic governance, emphasize capacity building in limited security partnerships, and improve socioeconomic outcomes and resilience for the Malian people.",
        ),
        (
            "priorities",
            "A more prosperous Mali, with improved access to social services, reduced corruption, and increased employment opportunities, would provide greater opportunities for U.S. trade and investment. Prior to the 2020 coup and the COVID-19 crisis, Mali's economy was growing at an average of five percent annually since 2014. Due to the economic impact of COVID-19 in particular, real GDP declined significantly in 2020. Some foreign investment has continued in key sectors such as energy and mining; however, investment remains limited due to continued insecurity. Mali remains near the bottom of the Human Development Index, notably on health and economic outcomes. As co-chair with UNICEF of Mali's Health Sector Donors Partners Group, the Mission hopes to lead donor coordination for efficient and effective public health impact.",
        ),
        (
            "priorities",
            "Implementation of the 2015 Algiers Peace Accord has stagnated. UN peacekeeping forces (MINUSMA) provide some measure of protection in the north and center of the country, but Mali's persistent failure to hold and secure territory cleared by French Operation Barkhane and other partner forces has impeded efforts to improve governance and service delivery in outlying areas. Insecurity has spread to the southern regions and increasingly threatens the capital region. Furthermore, the deployment of Russia-backed Wagner Group forces in Mali will likely further destabilize Mali's territory and increase human rights abuses, as well as divert resources away from the Malian people.",
        ),
        (
            "priorities",
            "Despite political turmoil, increasing insecurity, and restrictions on assistance, the United States remains the largest bilateral donor to Mali. U.S. bilateral foreign assistance to Mali's development totaled more than $132 million in FY 2019 and over $156 million in FY 2020; with nearly $144 million anticipated for FY 2021 to support food security, health, basic education, water/sanitation, nutrition, protection, livelihoods, peacebuilding, and governance. U.S. humanitarian assistance to Mali in FY 2021 accounts for an additional $75 million.",
        ),
        (
            "goal:1",
            "After repeated undemocratic upheavals in Mali's government, Mission Goal 1 is central to the success of Embassy Bamako's efforts in Mali. The objectives and sub-objectives of Mission Goal 1 illustrate how the interagency will respond to these governance challenges. In support of the policy priority of a democratic transition in Mali, Mission Bamako can help Malians address profound governance deficiencies and long-standing human rights violations. In order to make progress on this governance goal, Malians must also perceive the U.S. government as a trusted partner. Democratic elections in Mali will also provide opportunities for increased security partnerships with the lifting of 7008 restrictions. Mission Goal 1 contributes to the goals of the National Security Strategy by encouraging responsive governance, strengthening rule of law, and respecting human rights. This mission goal also aligns with the Africa Joint Regional Strategy goals of improving democracy, human rights, and good governance, as well as the U.S. Strategy on Countering Corruption.",
        ),
        (
            "objective:1.1",
            "After two government overthrows in less than a year, it is imperative that Mali's transition government holds free, fair, and transparent elections and returns power to a democratically elected government. To address the drivers of past rebellions and ongoing conflict, the government must serve the interests of Mali's ethnically and geographically diverse population.",
        ),
        (
            "objective:1.1",
            "Mission Objective 1.1 aligns directly with Goals 1 and 3 of the Africa Bureau's Joint Regional Strategy in particular, via AF JRS Objectives 3.1 and 3.3 as well as to the White House's National Strategy on Gender Equity and Equality and U.S. Women, Peace and Security (WPS) Strategy.",
        ),
        (
            "objective:1.1",
            "Mali's transition government has requested a five-year transition extension beyond the period prescribed in its founding charter. Any resulting delay in elections could have resoundingly negative consequences on the United States' ability to partner with and provide assistance to Mali in the future. To mitigate this risk, Mission Bamako will continue to communicate to the transition government the negative impacts of delaying elections on U.S. partnerships and assistance.",
        ),
        (
            "objective:1.2",
            "Despite limits on U.S. security assistance to Mali following the latter's August 2020 coup d'état, the United States remains the largest donor of bilateral humanitarian and development assistance to Mali. Once Mali holds democratic elections, the United States will look to increase our security assistance to help Malians build a more secure and prosperous future.",
        ),
        (
            "objective:1.2",
            "Mission Objective 1.2 aligns directly with Goals 1 and 3 of the Africa Bureau's Joint Regional Strategy in particular, via AF JRS Objectives 1.1, 1.2, and 3.4. as well as Consular Affairs' Functional Bureau Strategy Goals 1 and 2.",
        ),
        (
            "objective:1.3",
            "Mission Objective 1.3 aligns directly with Goals 1 and 3 of the Africa Bureau's Joint Regional Strategy in particular, via AF JRS Objectives 1.1, 1.5, 3.1, 3.2, and 3.4.",
        ),
        (
            "objective:1.3",
            "Without political and institutional reform, Mali risks returning to the same frustration and dissatisfaction that underpinned the 2020 political crisis. To mitigate this risk, Mission Bamako continues to support political and institutional reforms that will result in a foundation for representative and inclusive governance.",
        ),
        (
            "objective:1.4",
            "Mission Objective 1.4 aligns directly with Goals 1, 3, and 4 of the Africa Bureau's Joint Regional Strategy in particular, via AF JRS Objectives 1.4, 1.5, 3.1, 3.2, and 3.4, and 4.3 as well as the U.S. Strategy on Countering Corruption.",
        ),
        (
            "goal:2",
            "Mission Goal 2 links with the Interim National Security Strategy priority of helping African nations combat threats posed by violent extremism, strengthening the rule of law, and bringing the continent's deadliest conflicts to an end. This goal further links with the AF/AFR Joint Regional Strategy goals 1 and 3. Mali continues to be plagued by a deteriorating security situation that threatens the stability and security of Mali, the Sahel region, and the West African littoral states, and a significant portion of Mali's territory remains ungoverned and insecure. Malian security and defense forces also face continued challenges regarding human rights, transparency, corruption, and the prosecution of those accused of violations. Mali must make significant institutional change to become more effective in stabilizing the country; adhering to civilian democratic rule; and improving its accountability, justice, and human rights. Mali's security and defense forces must also improve their ability to counter and contain the VEO threat, control its borders, and protect its civilians from ever-increasing violence across the country. Mission Bamako will stress the importance of respect for human rights and the implications of continued impunity for violations to transition government ministries and will work with G5 Sahel partners and Malian security and law enforcement authorities to share information and best practices to contain the potential for regional spillover of instability.",
        ),
        (
            "objective:2.1",
            "Mission objective 2.1 links with the Interim National Security Strategy priority of helping African nations combat threats posed by violent extremism, strengthening the rule of law, and bringing the continent's deadliest conflicts to an end. This goal further links with the AF/AFR Joint Regional Strategy goals 1 and 3.",
        ),
        (
            "objective:2.2",
            "If Mali is unable to regain control of its territory and borders, and effectively put an end to the increasing violence gripping the country, the possibility for instability and crisis to spread to much of West Africa is almost certain to occur. To counter this risk, the embassy will work with G5 Sahel partners and Malian authorities to share information and best practices to contain the potential for regional spillover of instability.",
        ),
        (
            "goal:3",
            "Key U.S. interests in Mali include reducing chronic vulnerability by improving social development and increasing sustainable livelihoods; and encouraging economic growth, opportunity, and development by supporting sustainable development and increased U.S. economic investment. Over the past ten years Mali has seen improvements in the areas of health, nutrition, agriculture, education, and economic growth. These U.S. governmentsupported steady-state development efforts have had stabilizing effects for communities. However, despite these gains, Mali continues to suffer from high levels of maternal, infant, and child mortality; widespread poverty and malnutrition; and more than two million children aged between five and 17 years out of school. The increasing instability and insecurity coupled with ongoing detection of zoonotic and other infectious diseases and increasing food insecurity have added significant complexity and threaten to disrupt and reverse previous development gains.",
        ),
        (
            "objective:3.1",
            "Mission Objective 3.1 aligns directly with Goals 1 and 4 of the Africa Bureau's Joint Regional Strategy and its objectives 1.4, 4.1, and 4.4. Mali is a focus country for U.S. assistance priorities and initiatives found in Mission Objective 3.1, including Global Climate Change (GCC), Feed the Future (FTF), Water for the World Act, Resilience, the Global Food Security Strategy (GFSS), the President's Malaria Initiative (PMI), the President's Emergency Plan for Aids Relief (PEPFAR), the Global Health Security Agenda (GHSA), and Ending Preventable Child and Maternal Death (EPCMD).",
        ),
        (
            "objective:3.1",
            "From conflict to COVID-19 and from the coup to ECOWAS sanctions, Mali's challenges seem insurmountable. Rapid population growth may negate progress in all development sectors. Without U.S. government assistance, health, economic, and education outcomes will be negatively impacted increasing Malians' vulnerabilities to malign actors.",
        ),
        (
            "objective:3.2",
            "Prolonged displacement, disrupted trade flows, and competition over natural resources continue to increase vulnerabilities among affected households. Mali is experiencing a complex emergency stemming from the 2012 rebellion, climate change, and regional sectarianism. The humanitarian situation continues to deteriorate as insecurity, violence, and chronic vulnerabilities are compounded by recurrent shocks, such as droughts and floods. In 2021, 3 million people were affected by the poor rains and an extended lean season. In 2022, 1.9 million people are projected to suffer from an elevated level of acute food insecurity, the highest level since 2015. Overall, more than 35 percent of the Malian population, approximately 7.5 million people, will require humanitarian assistance in 2022.",
        ),
        (
            "objective:3.2",
            "Mission Objective 3.2 aligns directly with Goals 1 and 4 of the Africa Bureau's Joint Regional Strategy and its objectives 1.4, 4.2 and 4.3. Mali is a focus country for U.S. assistance priorities and initiatives under Mission Objective 3.2, including the Global Food security Strategy (GFSS), Global Climate Change (GCC), Feed the Future (FTF), Water for the World Act, and Resilience.",
        ),
        (
            "objective:3.3",
            "Prior to the 2020 coup and the COVID-19 crisis, Mali's economy was growing at five percent on average since 2014. Some foreign investment has returned in key sectors such as energy, but investment remains limited by continuing insecurity in the country. Due to the economic impact of COVID-19 in particular, real GDP declined significantly in 2020 and Malian's capacity to recover from income loss, reduced remittances and a higher cost of living has eroded economic gains. The World Bank forecasts an increased poverty rate of 4.8% in 2022.",
        ),
        (
            "objective:3.3",
            "Mission Objective 3.3 aligns directly with Goals 2 and 3 of the Africa Bureau's Joint Regional Strategy and its objectives 2.1, 2.2, and 3.4. This Objective also aligns with Consular Affairs' Functional Bureau Strategy Goals 1 and 2.",
        ),
        (
            "management:1",
            "Operating in an increasingly less secure environment, Mission Bamako has continued to struggle with staffing, particularly with those positions for which greater experience is required. In addition, these circumstances require that we be prepared to respond properly should a crisis occur, and then continue to operate effectively with a diminished staffing posture thereafter.",
        ),
    ];

    #[test]
    fn seed_strategy_figures() {
        let mut got = Vec::new();
        for (node, text) in SEED {
            let node: Node = node.parse().unwrap_or_else(|e| panic!("{e}"));
            for f in extract(text, &node) {
                assert!(text.contains(&f.sentence), "{:?}", f.sentence);
                assert!(f.sentence.contains(&f.text), "{:?}", f.text);
                got.push((
                    f.node.to_string(),
                    f.text,
                    f.value,
                    f.unit,
                    f.subject,
                    f.year,
                    f.fiscal_year.map(|y| y.to_string()),
                ));
            }
        }
        let s = |x: &str| x.to_string();
        let fy = |y: &str| Some(s(y));
        let want = vec![
            (
                s("priorities"),
                s("five percent"),
                5.0,
                Unit::Percent,
                None,
                None,
                None,
            ),
            (
                s("priorities"),
                s("$132 million"),
                132e6,
                Unit::Usd,
                None,
                None,
                fy("FY2019"),
            ),
            (
                s("priorities"),
                s("$156 million"),
                156e6,
                Unit::Usd,
                None,
                None,
                fy("FY2020"),
            ),
            (
                s("priorities"),
                s("$144 million"),
                144e6,
                Unit::Usd,
                None,
                None,
                fy("FY2021"),
            ),
            (
                s("priorities"),
                s("$75 million"),
                75e6,
                Unit::Usd,
                None,
                None,
                fy("FY2021"),
            ),
            (
                s("goal:3"),
                s("two million"),
                2e6,
                Unit::Count,
                Some(s("children")),
                None,
                None,
            ),
            (
                s("objective:3.2"),
                s("3 million"),
                3e6,
                Unit::Count,
                Some(s("people")),
                Some(2021),
                None,
            ),
            (
                s("objective:3.2"),
                s("1.9 million"),
                1.9e6,
                Unit::Count,
                Some(s("people")),
                Some(2022),
                None,
            ),
            (
                s("objective:3.2"),
                s("35 percent"),
                35.0,
                Unit::Percent,
                None,
                Some(2022),
                None,
            ),
            (
                s("objective:3.2"),
                s("7.5 million"),
                7.5e6,
                Unit::Count,
                Some(s("people")),
                Some(2022),
                None,
            ),
            (
                s("objective:3.3"),
                s("five percent"),
                5.0,
                Unit::Percent,
                None,
                None,
                None,
            ),
            (
                s("objective:3.3"),
                s("4.8%"),
                4.8,
                Unit::Percent,
                None,
                Some(2022),
                None,
            ),
        ];
        assert_eq!(got, want);
        // The exact values the acceptance file checks.
        assert!(
            got.iter()
                .any(|g| g.2 == 1_900_000.0 && g.0 == "objective:3.2")
        );
        assert!(got.iter().any(|g| g.2 == 4.8 && g.0 == "objective:3.3"));
    }

    fn objective(n: &str, justification: &str, subs: Vec<Objective>) -> Objective {
        Objective {
            number: number(n),
            title: format!("Objective {n}"),
            justification: Some(justification.to_string()),
            linkages: Some("It aligns with Goals 1 and 3.".to_string()),
            risks: None,
            links: Vec::new(),
            sub_objectives: subs,
        }
    }

    #[test]
    fn collect_reads_every_block_in_document_order() {
        let strategy = Strategy {
            kind: StrategyKind::Ics,
            country: Some("Mali".into()),
            title: "Integrated Country Strategy".into(),
            marking: None,
            approved: None,
            priorities: vec![
                "Aid was $132 million in FY 2019.".into(),
                "No figures.".into(),
            ],
            goals: vec![
                Goal {
                    number: number("1"),
                    title: "Goal".into(),
                    description: Some("Two million children are out of school.".into()),
                    links: Vec::new(),
                    objectives: vec![objective(
                        "1.1",
                        "Growth was 5 percent.",
                        vec![objective("1.1.1", "It reached 300 schools.", Vec::new())],
                    )],
                },
                Goal {
                    number: number("2"),
                    title: "Goal".into(),
                    description: None,
                    links: Vec::new(),
                    objectives: vec![objective("2.1", "In 2022, 1.9 million people.", Vec::new())],
                },
            ],
            management_objectives: vec![ManagementObjective {
                number: number("1"),
                title: "Management".into(),
                justification: None,
                linkages: None,
                risks: Some("Staffing fell 10 percent.".into()),
                links: Vec::new(),
            }],
            figures: Vec::new(),
        };
        let got: Vec<(String, f64)> = collect(&strategy)
            .into_iter()
            .map(|f| (f.node.to_string(), f.value))
            .collect();
        let want: Vec<(String, f64)> = [
            ("priorities", 132e6),
            ("goal:1", 2e6),
            ("objective:1.1", 5.0),
            ("objective:1.1.1", 300.0),
            ("objective:2.1", 1.9e6),
            ("management:1", 10.0),
        ]
        .iter()
        .map(|(n, v)| (n.to_string(), *v))
        .collect();
        assert_eq!(got, want);
    }

    /// Every figure found when reading every sentence, in order.
    fn unfiltered(text: &str) -> Vec<Figure> {
        let mut out = Vec::new();
        read_sentences(
            text,
            &Node::Priorities,
            &mut out,
            false,
            &mut Scratch::default(),
        );
        out
    }

    #[test]
    fn passing_over_sentences_never_loses_a_figure_of_the_seed() {
        for (_, text) in SEED {
            assert_eq!(extract(text, &Node::Priorities), unfiltered(text), "{text}");
        }
    }

    const WORDS: &[&str] = &[
        "$5",
        "US$",
        "USD",
        "3,500",
        "1.9",
        "4.8%",
        "2022",
        "FY",
        "FY2019",
        "in",
        "by",
        "the",
        "of",
        "and",
        "to",
        "a",
        "five",
        "twenty-five",
        "hundred",
        "million",
        "percent",
        "per",
        "cent",
        "percentage",
        "points",
        "dollars",
        "U.S.",
        "people",
        "new",
        "Malian",
        "refugees",
        "internally",
        "displaced",
        "persons",
        "metric",
        "tons",
        "years",
        "Goal",
        "Objectives",
        "1.1,",
        "May",
        "24,",
        "aged",
        "COVID-19",
        "G5",
        "since",
        "(FY)",
        "fiscal",
        "year",
        "–",
        "-",
        "10-15",
        "five-year",
        "In",
        "2021,",
        "one",
        "aid",
        "rose",
        "was",
        "Mali",
        "e.g.,",
        "growth.",
        "Dr.",
        "3.4.",
        "CFA",
        "francs",
        "citizens",
        "direct-hire",
        "as",
        "December",
        "Malians",
        "up",
        "from",
        "approximately",
    ];

    proptest::proptest! {
        #[test]
        fn passing_over_sentences_never_loses_a_figure(
            picks in proptest::collection::vec(0..WORDS.len(), 0..40),
            seps in proptest::collection::vec(0..4usize, 0..40),
        ) {
            let mut text = String::new();
            for (k, &p) in picks.iter().enumerate() {
                text.push_str(WORDS[p]);
                text.push_str([" ", " ", ". ", ", "][seps.get(k).copied().unwrap_or(0)]);
            }
            proptest::prop_assert_eq!(extract(&text, &Node::Priorities), unfiltered(&text));
        }
    }

    proptest::proptest! {
        #[test]
        fn any_text_is_read_without_panic(text in "\\PC{0,200}") {
            for f in extract(&text, &Node::Priorities) {
                proptest::prop_assert!(text.contains(&f.sentence));
                proptest::prop_assert!(f.sentence.contains(&f.text));
            }
        }

        #[test]
        fn number_heavy_text_is_read_without_panic(
            text in "([0-9$%.,\\- ]|one|hundred|million|FY|in|a|and| |\u{2013}|\u{a0}|\u{201d}){0,80}",
        ) {
            let _ = extract(&text, &Node::Priorities);
        }
    }

    #[test]
    fn huge_and_repeated_numbers_do_not_overflow() {
        let long = "9".repeat(400);
        assert!(
            extract(
                &format!("In {long} there were {long} people."),
                &Node::Priorities
            )
            .is_empty()
        );
        let text = "one hundred one hundred one hundred one hundred one hundred one hundred \
                    one hundred one hundred one hundred one hundred one hundred people.";
        let figs = extract(text, &Node::Priorities);
        assert!(figs.iter().all(|f| f.value.is_finite()));
        let text = format!("It cost ${}.", " million".repeat(60));
        let _ = extract(&text, &Node::Priorities);
    }

    #[test]
    fn empty_and_figureless_texts() {
        assert!(extract("", &Node::Priorities).is_empty());
        assert!(extract("   \n\n  ", &Node::Priorities).is_empty());
        assert!(extract("$ % . , FY in 2022.", &Node::Priorities).is_empty());
    }
}
