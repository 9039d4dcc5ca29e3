use cairn_core::{Goal, ManagementObjective, Number, Objective, StrategyKind};

use super::*;

fn targets(text: &str) -> Vec<String> {
    read(text, None)
        .iter()
        .map(|l| l.target.to_string())
        .collect()
}

fn title_targets(title: &str) -> Vec<String> {
    read_title(title)
        .iter()
        .map(|l| l.target.to_string())
        .collect()
}

#[test]
fn lists_expand() {
    assert_eq!(
        targets(
            "aligns directly with Goals 1, 3, and 4 of the Africa Bureau's Joint Regional Strategy"
        ),
        ["AF-JRS/goal/1", "AF-JRS/goal/3", "AF-JRS/goal/4"]
    );
    assert_eq!(
        targets("via AF JRS Objectives 1.4, 1.5, 3.1, 3.2, and 3.4, and 4.3 as well as"),
        [
            "AF-JRS/objective/1.4",
            "AF-JRS/objective/1.5",
            "AF-JRS/objective/3.1",
            "AF-JRS/objective/3.2",
            "AF-JRS/objective/3.4",
            "AF-JRS/objective/4.3"
        ]
    );
    assert_eq!(
        targets("JSP Objectives 1.1-1.3 and Goals 2 through 3"),
        [
            "JSP/objective/1.1",
            "JSP/objective/1.2",
            "JSP/objective/1.3",
            "JSP/goal/2",
            "JSP/goal/3"
        ]
    );
}

#[test]
fn elements_of_the_framework_after_them() {
    assert_eq!(
        targets("supports Goal 3 of the Joint Strategic Plan and Objective 2.1 in the JSP."),
        ["JSP/goal/3", "JSP/objective/2.1"]
    );
    assert_eq!(
        targets("Goal 1 and Objective 1.2 of the State-USAID Joint Strategic Plan"),
        ["JSP/goal/1", "JSP/objective/1.2"]
    );
}

#[test]
fn framework_followed_by_its_elements() {
    assert_eq!(
        targets("This goal further links with the AF/AFR Joint Regional Strategy goals 1 and 3."),
        ["AF-JRS/goal/1", "AF-JRS/goal/3"]
    );
    assert_eq!(
        targets("JSP Goal 3 and Strategic Objective 3.1"),
        ["JSP/goal/3", "JSP/objective/3.1"]
    );
    assert_eq!(targets("the JSP's Goal 2"), ["JSP/goal/2"]);
    let links = read("supports Goal 1 of the JSP and Objective 1.2.", None);
    assert_eq!(links.len(), 2);
    assert_eq!(links[1].target.to_string(), "JSP/objective/1.2");
    assert_eq!(links[1].text, "Goal 1 of the JSP and Objective 1.2");
}

#[test]
fn its_objectives_refer_back_to_the_framework() {
    let links = read(
        "aligns directly with Goals 2 and 3 of the Africa Bureau's Joint Regional Strategy and its objectives 2.1, 2.2, and 3.4. This Objective also aligns",
        None,
    );
    let got: Vec<String> = links.iter().map(|l| l.target.to_string()).collect();
    assert_eq!(
        got,
        [
            "AF-JRS/goal/2",
            "AF-JRS/goal/3",
            "AF-JRS/objective/2.1",
            "AF-JRS/objective/2.2",
            "AF-JRS/objective/3.4"
        ]
    );
    assert_eq!(
        links[0].text,
        "Goals 2 and 3 of the Africa Bureau's Joint Regional Strategy"
    );
    assert_eq!(
        links[2].text,
        "Africa Bureau's Joint Regional Strategy and its objectives 2.1, 2.2, and 3.4"
    );
}

#[test]
fn references_to_the_missions_own_elements_are_not_links() {
    for text in [
        "Mission Objective 1.2 aligns with the mission's other work.",
        "Mission Goal 1 contributes to stability.",
        "This Objective also aligns with this mission goal.",
        "ICS Goal 2 and Objective 1.1 of the ICS.",
        "Mission Objectives 1.1 and 1.2 are linked.",
        "The Management Objective supports Mission objectives described above.",
    ] {
        assert_eq!(targets(text), Vec::<String>::new(), "{text}");
    }
    assert_eq!(
        targets("Mission Objective 1.1 aligns directly with AF JRS Objective 3.1"),
        ["AF-JRS/objective/3.1"]
    );
}

#[test]
fn bureau_names_map_to_codes() {
    assert_eq!(
        targets(
            "with the Bureau of Democracy, Human Rights, and Labor Functional Bureau Strategy objective 2.1"
        ),
        ["DRL-FBS/objective/2.1"]
    );
    assert_eq!(targets("DRL FBS Goal 1"), ["DRL-FBS/goal/1"]);
    assert_eq!(
        targets("supports INL's Functional Bureau Strategy."),
        ["INL-FBS"]
    );
    assert_eq!(
        targets("as well as Consular Affairs' Functional Bureau Strategy Goals 1 and 2."),
        ["CA-FBS/goal/1", "CA-FBS/goal/2"]
    );
    assert_eq!(
        targets(
            "linked to the Bureau of African Affairs Joint Regional Strategy through the goals"
        ),
        ["AF-JRS"]
    );
    assert_eq!(
        targets("the Bureau of Western Hemisphere Affairs Joint Regional Strategy Goal 2"),
        ["WHA-JRS/goal/2"]
    );
    assert_eq!(
        targets("Goal 1 of the East Asia and the Pacific Joint Regional Strategy"),
        ["EAP-JRS/goal/1"]
    );
    assert_eq!(
        targets("the Bureau of African Affairs (AF) Joint Regional Strategy Objective 2.2"),
        ["AF-JRS/objective/2.2"]
    );
    // A functional bureau strategy whose bureau is not named is not a link.
    assert_eq!(
        targets("the Functional Bureau Strategy Goal 1"),
        Vec::<String>::new()
    );
}

#[test]
fn acronyms_name_initiatives_or_strategies() {
    assert_eq!(
        targets(
            "including Global Climate Change (GCC), Feed the Future (FTF), Water for the World Act, \
             Resilience, the Global Food Security Strategy (GFSS), the President's Malaria \
             Initiative (PMI), the President's Emergency Plan for Aids Relief (PEPFAR), the Global \
             Health Security Agenda (GHSA), and Ending Preventable Child and Maternal Death (EPCMD)."
        ),
        [
            "initiative/GCC",
            "initiative/FTF",
            "initiative/GFSS",
            "initiative/PMI",
            "initiative/PEPFAR",
            "initiative/GHSA",
            "initiative/EPCMD"
        ]
    );
    assert_eq!(
        targets("the Young African Leaders Initiative (YALI)"),
        ["initiative/YALI"]
    );
    let wps = read("and U.S. Women, Peace and Security (WPS) Strategy.", None);
    assert_eq!(wps.len(), 1);
    assert_eq!(wps[0].target.to_string(), "strategy/WPS");
    assert_eq!(wps[0].text, "U.S. Women, Peace and Security (WPS) Strategy");
    assert_eq!(
        targets("the U.S. Strategy to Prevent Conflict and Promote Stability (SPCPS)"),
        ["strategy/SPCPS"]
    );
    // Organisations and threats are not strategies.
    assert_eq!(
        targets(
            "the Economic Community of West African States (ECOWAS), the United Nations Multidimensional Integrated Stabilization Mission in Mali (MINUSMA) and violent extremist organizations (VEO)"
        ),
        Vec::<String>::new()
    );
    // Initiatives read without their definition.
    assert_eq!(
        targets("through PEPFAR and Feed the Future"),
        ["initiative/PEPFAR", "initiative/FTF"]
    );
}

#[test]
fn strategies_without_acronym_take_kebab_names() {
    let links = read(
        "as well as to the White House's National Strategy on Gender Equity and Equality and U.S. Women, Peace and Security (WPS) Strategy.",
        None,
    );
    let got: Vec<String> = links.iter().map(|l| l.target.to_string()).collect();
    assert_eq!(
        got,
        [
            "strategy/national-strategy-on-gender-equity-and-equality",
            "strategy/WPS"
        ]
    );
    assert_eq!(
        links[0].text,
        "White House's National Strategy on Gender Equity and Equality"
    );
    assert_eq!(
        targets("as well as the U.S. Strategy on Countering Corruption."),
        ["strategy/us-strategy-on-countering-corruption"]
    );
    assert_eq!(
        targets("the U.S. Strategy Toward Sub-Saharan Africa and the Sahel Strategy"),
        [
            "strategy/us-strategy-toward-sub-saharan-africa",
            "strategy/sahel-strategy"
        ]
    );
    assert_eq!(
        targets("the Interim National Security Strategy, the Sahel Strategy, and Executive Orders"),
        ["NSS", "strategy/sahel-strategy"]
    );
    // Generic or self-referring names are not strategies.
    assert_eq!(
        targets("Our Strategy and the Integrated Country Strategy and the Mission Strategy"),
        Vec::<String>::new()
    );
}

#[test]
fn cdcs_markers_in_titles_are_equivalents() {
    for (title, want) in [
        ("Improved governance (CDCS DO1)", vec!["CDCS/do/1"]),
        (
            "Solidify the gains in targeted areas (CDCS DO 2)",
            vec!["CDCS/do/2"],
        ),
        ("Reduce vulnerability. (CDCS SpO)", vec!["CDCS/spo"]),
        (
            "Reduce vulnerability (CDCS Special Objective)",
            vec!["CDCS/spo"],
        ),
        (
            "Grow trade (CDCS Development Objective 3)",
            vec!["CDCS/do/3"],
        ),
        (
            "Two at once (CDCS DO1, DO2)",
            vec!["CDCS/do/1", "CDCS/do/2"],
        ),
        ("Mali lays the groundwork for a transition", vec![]),
        (
            "Malian security institutions under a security strategy",
            vec![],
        ),
    ] {
        assert_eq!(title_targets(title), want, "{title}");
    }
    let links = read_title("Improved governance and systems. (CDCS DO1)");
    assert_eq!(links.len(), 1);
    assert_eq!(links[0].relation, Relation::Equivalent);
    assert_eq!(links[0].text, "(CDCS DO1)");
}

#[test]
fn cdcs_references_in_linkages_support() {
    let links = read(
        "supports CDCS DO 1 and Development Objective 2 of the Country Development Cooperation Strategy, and the CDCS SpO.",
        None,
    );
    let got: Vec<String> = links.iter().map(|l| l.target.to_string()).collect();
    assert_eq!(got, ["CDCS/do/1", "CDCS/do/2", "CDCS/spo"]);
    assert!(links.iter().all(|l| l.relation == Relation::Supports));
    assert_eq!(targets("the USAID CDCS"), ["CDCS"]);
}

#[test]
fn frameworks_without_numbers_are_linked_whole() {
    assert_eq!(
        targets(
            "Mission Goal 1 contributes to the goals of the National Security Strategy by encouraging"
        ),
        ["NSS"]
    );
    assert_eq!(
        targets(
            "This mission goal also aligns with the Africa Joint Regional Strategy goals of improving democracy"
        ),
        ["AF-JRS"]
    );
    // The bare framework only when nothing numbered binds to it.
    assert_eq!(
        targets("the Africa Joint Regional Strategy, in particular AF JRS Goal 1"),
        ["AF-JRS/goal/1"]
    );
    assert_eq!(
        targets(
            "Mission objective 2.1 links with the Interim National Security Strategy priority of helping. This goal further links with the AF/AFR Joint Regional Strategy goals 1 and 3."
        ),
        ["NSS", "AF-JRS/goal/1", "AF-JRS/goal/3"]
    );
}

#[test]
fn unbound_numbers_yield_nothing() {
    for text in [
        "This supports Goals 1 and 3 and Objective 2.1.",
        "Objective 2.1 of this strategy",
        "The goals and objectives described above",
    ] {
        assert_eq!(targets(text), Vec::<String>::new(), "{text}");
    }
    // The NSS has no numbered goals: the mention stands alone.
    assert_eq!(targets("NSS Goal 1"), ["NSS"]);
}

#[test]
fn jrs_without_bureau_takes_the_documents_only_bureau() {
    let text = "aligns with the Joint Regional Strategy and its objectives 2.1, 2.2 and the JRS.";
    assert_eq!(targets(text), Vec::<String>::new());
    let got: Vec<String> = read(text, Some("AF"))
        .iter()
        .map(|l| l.target.to_string())
        .collect();
    assert_eq!(got, ["AF-JRS/objective/2.1", "AF-JRS/objective/2.2"]);

    let mut s = strategy(
        vec!["Closely aligned with the Bureau of African Affairs Joint Regional Strategy."],
        vec![goal("1", Some("Supports the JRS Goal 2."), vec![])],
        None,
    );
    resolve(&mut s);
    assert_eq!(holder_targets(&s, "goal:1"), ["AF-JRS/goal/2"]);

    let mut s = strategy(
        vec!["Aligned with the AF JRS and the Western Hemisphere Joint Regional Strategy."],
        vec![goal("1", Some("Supports the JRS Goal 2."), vec![])],
        None,
    );
    resolve(&mut s);
    assert_eq!(holder_targets(&s, "goal:1"), Vec::<String>::new());
}

#[test]
fn no_duplicate_targets() {
    let links = read(
        "AF JRS Goal 1, and Goal 1 of the Africa Bureau's Joint Regional Strategy; PMI and the President's Malaria Initiative (PMI).",
        None,
    );
    let got: Vec<String> = links.iter().map(|l| l.target.to_string()).collect();
    assert_eq!(got, ["AF-JRS/goal/1", "initiative/PMI"]);
    assert_eq!(links[0].text, "AF JRS Goal 1");

    // The title's equivalent wins over the same DO in the linkages.
    let mut s = strategy(
        vec![],
        vec![goal(
            "1",
            None,
            vec![objective(
                "1.1",
                "Governance (CDCS DO1)",
                "Supports CDCS DO1 and DO 2.",
            )],
        )],
        None,
    );
    resolve(&mut s);
    let o = &s.goals[0].objectives[0];
    let got: Vec<(String, Relation)> = o
        .links
        .iter()
        .map(|l| (l.target.to_string(), l.relation))
        .collect();
    assert_eq!(
        got,
        [
            ("CDCS/do/1".to_string(), Relation::Equivalent),
            ("CDCS/do/2".to_string(), Relation::Supports)
        ]
    );
}

#[test]
fn sub_objectives_are_resolved() {
    let mut sub = objective(
        "1.1.1",
        "A sub-objective (CDCS DO3)",
        "Supports JSP Goal 4.",
    );
    sub.sub_objectives.clear();
    let mut parent = objective("1.1", "An objective", "Supports JSP Goal 1.");
    parent.sub_objectives.push(sub);
    let mut s = strategy(vec![], vec![goal("1", None, vec![parent])], None);
    resolve(&mut s);
    let got: Vec<String> = s.goals[0].objectives[0].sub_objectives[0]
        .links
        .iter()
        .map(|l| l.target.to_string())
        .collect();
    assert_eq!(got, ["CDCS/do/3", "JSP/goal/4"]);
}

proptest::proptest! {
    #[test]
    fn never_panics(text in "[ A-Za-z0-9.,;:()'’“”—–&/-]{0,80}|(Goals? |Objectives? |DO|SpO|of the |AF JRS |Strategy |on |\\(|\\)|[0-9.]{1,4}|, |and |U\\.S\\. |Bureau's |[A-Z]{2,5} ){0,24}") {
        let _ = read(&text, Some("AF"));
        let _ = read_title(&text);
    }
}

#[test]
fn odd_inputs_do_not_panic() {
    for text in [
        "",
        "(",
        ")",
        "()",
        "( )",
        "Goal",
        "Goals 1 and",
        "of the",
        "(A)",
        "(AB)",
        "Strategy",
        "Strategy on",
        "’s",
        "'",
        "DO",
        "DO1.",
        "Objectives 1.1-",
        "1-2",
        "Goals 1-0 of the JSP",
        "… — “JRS” ‘",
        "é (É) Ü",
        "AF",
        "the Bureau of",
        ", , ,",
        "Feed the",
        "U.S.",
    ] {
        let _ = read(text, Some("AF"));
        let _ = read_title(text);
    }
}

// The seed document (samples/mali-ics-2022.txt): its Description and Linkages paragraphs as
// the importer reads them, checked against /work/shared/acceptance/mali-ics.expect.json.

const PRIORITIES: &str = "These mission goals are closely aligned with the Bureau of African Affairs Joint Regional Strategy, the Interim National Security Strategy, the Sahel Strategy, and Executive Orders on diversity, equity, and inclusion.";

const GOAL_1: &str = "After repeated undemocratic upheavals in Mali's government, Mission Goal 1 is central to the success of Embassy Bamako's efforts in Mali. The objectives and sub-objectives of Mission Goal 1 illustrate how the interagency will respond to these governance challenges. In support of the policy priority of a democratic transition in Mali, Mission Bamako can help Malians address profound governance deficiencies and long-standing human rights violations. In order to make progress on this governance goal, Malians must also perceive the U.S. government as a trusted partner. Democratic elections in Mali will also provide opportunities for increased security partnerships with the lifting of 7008 restrictions. Mission Goal 1 contributes to the goals of the National Security Strategy by encouraging responsive governance, strengthening rule of law, and respecting human rights. This mission goal also aligns with the Africa Joint Regional Strategy goals of improving democracy, human rights, and good governance, as well as the U.S. Strategy on Countering Corruption.";

const GOAL_2: &str = "Mission Goal 2 links with the Interim National Security Strategy priority of helping African nations combat threats posed by violent extremism, strengthening the rule of law, and bringing the continent's deadliest conflicts to an end. This goal further links with the AF/AFR Joint Regional Strategy goals 1 and 3. Mali continues to be plagued by a deteriorating security situation that threatens the stability and security of Mali, the Sahel region, and the West African littoral states, and a significant portion of Mali's territory remains ungoverned and insecure. Malian security and defense forces also face continued challenges regarding human rights, transparency, corruption, and the prosecution of those accused of violations. Mali must make significant institutional change to become more effective in stabilizing the country; adhering to civilian democratic rule; and improving its accountability, justice, and human rights. Mali's security and defense forces must also improve their ability to counter and contain the VEO threat, control its borders, and protect its civilians from ever-increasing violence across the country. Mission Bamako will stress the importance of respect for human rights and the implications of continued impunity for violations to transition government ministries and will work with G5 Sahel partners and Malian security and law enforcement authorities to share information and best practices to contain the potential for regional spillover of instability.";

const GOAL_3: &str = "Key U.S. interests in Mali include reducing chronic vulnerability by improving social development and increasing sustainable livelihoods; and encouraging economic growth, opportunity, and development by supporting sustainable development and increased U.S. economic investment. Over the past ten years Mali has seen improvements in the areas of health, nutrition, agriculture, education, and economic growth. These U.S. governmentsupported steady-state development efforts have had stabilizing effects for communities. However, despite these gains, Mali continues to suffer from high levels of maternal, infant, and child mortality; widespread poverty and malnutrition; and more than two million children aged between five and 17 years out of school. The increasing instability and insecurity coupled with ongoing detection of zoonotic and other infectious diseases and increasing food insecurity have added significant complexity and threaten to disrupt and reverse previous development gains. Although health, nutrition, agriculture, economic growth, and education will remain as central efforts of the U.S. government's assistance in Mali, it is imperative that the U.S. Mission employ an adaptive posture and approach to seize windows of opportunity given the security and political environment. In the more challenging regions, the U.S. government will leverage multi-sectoral development and intensify collaboration between humanitarian, development, and peace stakeholders to improve resilience and stabilization, while solidifying the overall socio-economic environment in the more stable geographic areas of the country.";

const OBJECTIVES: &[(&str, &str, &str)] = &[
    (
        "1.1",
        "Mali lays the groundwork for a transition to a civilian-led, democratically elected government that reflects Mali's diverse population.",
        "Mission Objective 1.1 aligns directly with Goals 1 and 3 of the Africa Bureau's Joint Regional Strategy in particular, via AF JRS Objectives 3.1 and 3.3 as well as to the White House's National Strategy on Gender Equity and Equality and U.S. Women, Peace and Security (WPS) Strategy.",
    ),
    (
        "1.2",
        "Mali increasingly perceives the United States as a trusted partner.",
        "Mission Objective 1.2 aligns directly with Goals 1 and 3 of the Africa Bureau's Joint Regional Strategy in particular, via AF JRS Objectives 1.1, 1.2, and 3.4. as well as Consular Affairs' Functional Bureau Strategy Goals 1 and 2.",
    ),
    (
        "1.3",
        "Mali advances political and social reform that provides fundamental rights and liberties in a diverse and inclusive environment.",
        "Mission Objective 1.3 aligns directly with Goals 1 and 3 of the Africa Bureau's Joint Regional Strategy in particular, via AF JRS Objectives 1.1, 1.5, 3.1, 3.2, and 3.4.",
    ),
    (
        "1.4",
        "Improved governance for strengthening democratic institutions and systems to promote peace, stability, and sustainable development. (CDCS DO1)",
        "Mission Objective 1.4 aligns directly with Goals 1, 3, and 4 of the Africa Bureau's Joint Regional Strategy in particular, via AF JRS Objectives 1.4, 1.5, 3.1, 3.2, and 3.4, and 4.3 as well as the U.S. Strategy on Countering Corruption.",
    ),
    (
        "2.1",
        "Malian security institutions, organized under a well-resourced security strategy, demonstrate increased efficiency, effectiveness, capacity, trustworthiness, and transparency.",
        "Mission objective 2.1 links with the Interim National Security Strategy priority of helping African nations combat threats posed by violent extremism, strengthening the rule of law, and bringing the continent's deadliest conflicts to an end. This goal further links with the AF/AFR Joint Regional Strategy goals 1 and 3.",
    ),
    (
        "2.2",
        "Mali is more stable and able to exercise increased control of its territory and borders, in partnership with allies, to combat transnational crime and violent extremism.",
        "Mission objective 2.2 links with the Interim National Security Strategy priority of helping African nations combat threats posed by violent extremism and bringing the continent's deadliest conflicts to an end. This goal further links with the AF/AFR Joint Regional Strategy goals 1 and 3.",
    ),
    (
        "3.1",
        "Solidify and deepen the development gains (health, education, economic growth) in targeted areas (CDCS DO2)",
        "Mission Objective 3.1 aligns directly with Goals 1 and 4 of the Africa Bureau's Joint Regional Strategy and its objectives 1.4, 4.1, and 4.4. Mali is a focus country for U.S. assistance priorities and initiatives found in Mission Objective 3.1, including Global Climate Change (GCC), Feed the Future (FTF), Water for the World Act, Resilience, the Global Food Security Strategy (GFSS), the President's Malaria Initiative (PMI), the President's Emergency Plan for Aids Relief (PEPFAR), the Global Health Security Agenda (GHSA), and Ending Preventable Child and Maternal Death (EPCMD).",
    ),
    (
        "3.2",
        "Reduce Malians' vulnerability and build community capacity to better prepare for and respond to shocks and stresses. (CDCS SpO)",
        "Mission Objective 3.2 aligns directly with Goals 1 and 4 of the Africa Bureau's Joint Regional Strategy and its objectives 1.4, 4.2 and 4.3. Mali is a focus country for U.S. assistance priorities and initiatives under Mission Objective 3.2, including the Global Food security Strategy (GFSS), Global Climate Change (GCC), Feed the Future (FTF), Water for the World Act, and Resilience.",
    ),
    (
        "3.3",
        "Improved business environment to facilitate trade, increase opportunities for American companies, and attract U.S. and foreign investment",
        "Mission Objective 3.3 aligns directly with Goals 2 and 3 of the Africa Bureau's Joint Regional Strategy and its objectives 2.1, 2.2, and 3.4. This Objective also aligns with Consular Affairs' Functional Bureau Strategy Goals 1 and 2.",
    ),
];

const MANAGEMENT: &str = "Achieving the Management Objective ensures that Mission Mali has the appropriate resources in place and the ability to achieve the broader Mission objectives described above regardless of the circumstances on the ground. This objective is, therefore, linked to the Bureau of African Affairs Joint Regional Strategy through the goals and objectives described above.";

/// "links": targets each holder must have.
const EXPECT_LINKS: &[(&str, &[&str])] = &[
    (
        "1.1",
        &[
            "AF-JRS/goal/1",
            "AF-JRS/goal/3",
            "AF-JRS/objective/3.1",
            "AF-JRS/objective/3.3",
            "strategy/WPS",
        ],
    ),
    (
        "1.2",
        &[
            "AF-JRS/objective/1.1",
            "AF-JRS/objective/1.2",
            "AF-JRS/objective/3.4",
            "CA-FBS/goal/1",
            "CA-FBS/goal/2",
        ],
    ),
    (
        "1.4",
        &[
            "CDCS/do/1",
            "AF-JRS/goal/4",
            "AF-JRS/objective/1.4",
            "AF-JRS/objective/4.3",
        ],
    ),
    ("2.1", &["NSS", "AF-JRS/goal/1", "AF-JRS/goal/3"]),
    (
        "3.1",
        &[
            "CDCS/do/2",
            "AF-JRS/goal/4",
            "AF-JRS/objective/4.4",
            "initiative/PEPFAR",
            "initiative/PMI",
            "initiative/FTF",
        ],
    ),
    (
        "3.2",
        &["CDCS/spo", "AF-JRS/objective/4.2", "initiative/GFSS"],
    ),
    (
        "3.3",
        &["AF-JRS/goal/2", "AF-JRS/objective/2.1", "CA-FBS/goal/1"],
    ),
    ("goal:2", &["NSS", "AF-JRS/goal/1", "AF-JRS/goal/3"]),
];

/// "links_exact": for a holder and a prefix, exactly these targets.
const EXPECT_EXACT: &[(&str, &str, &[&str])] = &[
    (
        "1.1",
        "AF-JRS/",
        &[
            "AF-JRS/goal/1",
            "AF-JRS/goal/3",
            "AF-JRS/objective/3.1",
            "AF-JRS/objective/3.3",
        ],
    ),
    (
        "1.2",
        "AF-JRS/",
        &[
            "AF-JRS/goal/1",
            "AF-JRS/goal/3",
            "AF-JRS/objective/1.1",
            "AF-JRS/objective/1.2",
            "AF-JRS/objective/3.4",
        ],
    ),
    ("1.2", "CA-FBS/", &["CA-FBS/goal/1", "CA-FBS/goal/2"]),
    (
        "1.3",
        "AF-JRS/",
        &[
            "AF-JRS/goal/1",
            "AF-JRS/goal/3",
            "AF-JRS/objective/1.1",
            "AF-JRS/objective/1.5",
            "AF-JRS/objective/3.1",
            "AF-JRS/objective/3.2",
            "AF-JRS/objective/3.4",
        ],
    ),
    (
        "1.4",
        "AF-JRS/",
        &[
            "AF-JRS/goal/1",
            "AF-JRS/goal/3",
            "AF-JRS/goal/4",
            "AF-JRS/objective/1.4",
            "AF-JRS/objective/1.5",
            "AF-JRS/objective/3.1",
            "AF-JRS/objective/3.2",
            "AF-JRS/objective/3.4",
            "AF-JRS/objective/4.3",
        ],
    ),
    ("1.4", "CDCS/", &["CDCS/do/1"]),
    ("2.1", "AF-JRS/", &["AF-JRS/goal/1", "AF-JRS/goal/3"]),
    ("2.2", "AF-JRS/", &["AF-JRS/goal/1", "AF-JRS/goal/3"]),
    (
        "3.1",
        "AF-JRS/",
        &[
            "AF-JRS/goal/1",
            "AF-JRS/goal/4",
            "AF-JRS/objective/1.4",
            "AF-JRS/objective/4.1",
            "AF-JRS/objective/4.4",
        ],
    ),
    ("3.1", "CDCS/", &["CDCS/do/2"]),
    (
        "3.2",
        "AF-JRS/",
        &[
            "AF-JRS/goal/1",
            "AF-JRS/goal/4",
            "AF-JRS/objective/1.4",
            "AF-JRS/objective/4.2",
            "AF-JRS/objective/4.3",
        ],
    ),
    ("3.2", "CDCS/", &["CDCS/spo"]),
    (
        "3.3",
        "AF-JRS/",
        &[
            "AF-JRS/goal/2",
            "AF-JRS/goal/3",
            "AF-JRS/objective/2.1",
            "AF-JRS/objective/2.2",
            "AF-JRS/objective/3.4",
        ],
    ),
    ("3.3", "CA-FBS/", &["CA-FBS/goal/1", "CA-FBS/goal/2"]),
    ("3.3", "CDCS/", &[]),
    ("management:1", "AF-JRS/", &[]),
];

const EXPECT_ABSENT: &[(&str, &[&str])] = &[
    ("3.2", &["strategy/GFSS"]),
    ("1.1", &["CDCS/do/1"]),
    ("2.1", &["CA-FBS/goal/1"]),
];

const EXPECT_RELATIONS: &[(&str, &str, Relation)] = &[
    ("1.4", "CDCS/do/1", Relation::Equivalent),
    ("3.1", "CDCS/do/2", Relation::Equivalent),
    ("3.2", "CDCS/spo", Relation::Equivalent),
    ("1.1", "AF-JRS/objective/3.1", Relation::Supports),
];

fn number(n: &str) -> Number {
    Number::parse(n).unwrap_or_else(|e| panic!("{e}"))
}

fn objective(n: &str, title: &str, linkages: &str) -> Objective {
    Objective {
        number: number(n),
        title: title.into(),
        justification: None,
        linkages: Some(linkages.into()),
        risks: None,
        links: Vec::new(),
        sub_objectives: Vec::new(),
    }
}

fn goal(n: &str, description: Option<&str>, objectives: Vec<Objective>) -> Goal {
    Goal {
        number: number(n),
        title: format!("Goal {n}"),
        description: description.map(str::to_string),
        links: Vec::new(),
        objectives,
    }
}

fn strategy(priorities: Vec<&str>, goals: Vec<Goal>, management: Option<&str>) -> Strategy {
    Strategy {
        kind: StrategyKind::Ics,
        country: Some("Mali".into()),
        title: "Integrated Country Strategy".into(),
        marking: None,
        approved: None,
        priorities: priorities.into_iter().map(str::to_string).collect(),
        goals,
        management_objectives: management
            .map(|text| ManagementObjective {
                number: Number::one(),
                title: "Management Objective".into(),
                justification: None,
                linkages: Some(text.into()),
                risks: None,
                links: Vec::new(),
            })
            .into_iter()
            .collect(),
        figures: Vec::new(),
    }
}

fn holder_links<'a>(s: &'a Strategy, holder: &str) -> &'a [Link] {
    if let Some(g) = holder.strip_prefix("goal:") {
        return s
            .goals
            .iter()
            .find(|x| x.number.as_str() == g)
            .map_or(&[], |x| &x.links);
    }
    if let Some(m) = holder.strip_prefix("management:") {
        return s
            .management_objectives
            .iter()
            .find(|x| x.number.as_str() == m)
            .map_or(&[], |x| &x.links);
    }
    s.objectives()
        .find(|o| o.number.as_str() == holder)
        .map_or(&[], |o| &o.links)
}

fn holder_targets(s: &Strategy, holder: &str) -> Vec<String> {
    holder_links(s, holder)
        .iter()
        .map(|l| l.target.to_string())
        .collect()
}

fn seed() -> Strategy {
    let objectives = |g: &str| {
        OBJECTIVES
            .iter()
            .filter(|(n, _, _)| n.starts_with(g))
            .map(|(n, title, linkages)| objective(n, title, linkages))
            .collect()
    };
    let mut s = strategy(
        vec![PRIORITIES],
        vec![
            goal("1", Some(GOAL_1), objectives("1.")),
            goal("2", Some(GOAL_2), objectives("2.")),
            goal("3", Some(GOAL_3), objectives("3.")),
        ],
        Some(MANAGEMENT),
    );
    resolve(&mut s);
    s
}

#[test]
fn seed_links_meet_the_acceptance_expectations() {
    let s = seed();
    for (holder, want) in EXPECT_LINKS {
        let got = holder_targets(&s, holder);
        for w in *want {
            assert!(
                got.iter().any(|g| g == w),
                "{holder}: {w} missing from {got:?}"
            );
        }
    }
    for (holder, prefix, want) in EXPECT_EXACT {
        let mut got: Vec<String> = holder_targets(&s, holder)
            .into_iter()
            .filter(|t| t.starts_with(prefix))
            .collect();
        got.sort();
        let mut want: Vec<String> = want.iter().map(|w| w.to_string()).collect();
        want.sort();
        assert_eq!(got, want, "{holder} {prefix}");
    }
    for (holder, absent) in EXPECT_ABSENT {
        let got = holder_targets(&s, holder);
        for a in *absent {
            assert!(!got.iter().any(|g| g == a), "{holder}: {a} in {got:?}");
        }
    }
    for (holder, target, relation) in EXPECT_RELATIONS {
        let link = holder_links(&s, holder)
            .iter()
            .find(|l| l.target.to_string() == *target);
        assert_eq!(
            link.map(|l| l.relation),
            Some(*relation),
            "{holder} {target}"
        );
    }
}

#[test]
fn seed_links_in_full() {
    let s = seed();
    let got = |holder: &str| -> Vec<(String, String)> {
        holder_links(&s, holder)
            .iter()
            .map(|l| (l.target.to_string(), l.text.clone()))
            .collect()
    };
    let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    };
    assert_eq!(
        got("goal:1"),
        pairs(&[
            ("NSS", "National Security Strategy"),
            ("AF-JRS", "Africa Joint Regional Strategy"),
            (
                "strategy/us-strategy-on-countering-corruption",
                "U.S. Strategy on Countering Corruption"
            ),
        ])
    );
    assert_eq!(got("goal:3"), pairs(&[]));
    assert_eq!(
        got("1.1"),
        pairs(&[
            (
                "AF-JRS/goal/1",
                "Goals 1 and 3 of the Africa Bureau's Joint Regional Strategy"
            ),
            (
                "AF-JRS/goal/3",
                "Goals 1 and 3 of the Africa Bureau's Joint Regional Strategy"
            ),
            ("AF-JRS/objective/3.1", "AF JRS Objectives 3.1 and 3.3"),
            ("AF-JRS/objective/3.3", "AF JRS Objectives 3.1 and 3.3"),
            (
                "strategy/national-strategy-on-gender-equity-and-equality",
                "White House's National Strategy on Gender Equity and Equality"
            ),
            (
                "strategy/WPS",
                "U.S. Women, Peace and Security (WPS) Strategy"
            ),
        ])
    );
    assert_eq!(
        got("3.2")
            .iter()
            .map(|(t, _)| t.as_str())
            .collect::<Vec<_>>(),
        [
            "CDCS/spo",
            "AF-JRS/goal/1",
            "AF-JRS/goal/4",
            "AF-JRS/objective/1.4",
            "AF-JRS/objective/4.2",
            "AF-JRS/objective/4.3",
            "initiative/GFSS",
            "initiative/GCC",
            "initiative/FTF",
        ]
    );
    assert_eq!(got("3.2")[0].1, "(CDCS SpO)");
    assert_eq!(
        got("management:1"),
        pairs(&[(
            "AF-JRS",
            "Bureau of African Affairs Joint Regional Strategy"
        )])
    );
}
