//! A deterministic generator of Integrated Country Strategy documents in the layouts that
//! PRODUCT.md §2 describes, for the parse benchmark.
//!
//! Every document has a cover, a table of contents, the Chief of Mission Priorities, the
//! Mission Strategic Framework (section 2, the compact outline), the detail of the goals and
//! objectives (section 3) and the management objective(s) (section 4). Documents vary in:
//! - the number of goals (1–6), objectives per goal (1–5) and sub-objective depth (0–2 extra
//!   levels: 1.1.1, 1.1.1.1);
//! - paragraph lengths (1–8 sentences), built from a vocabulary with linkage phrases and
//!   figures;
//! - the layout: PDF text with "- Label:" bullets, Markdown with `#` headings and
//!   `**Label:**`, table cells "| Label | text |", or "● LABEL:" capitals;
//! - running headers and footers ("FOR PUBLIC RELEASE", "Page N of M", bare page numbers)
//!   every ~40 lines, mid-paragraph included;
//! - CRLF line endings (~1/4) and the 2018 generation without Linkages and Risks (~1/5).
//!
//! [`check`] parses a document and compares the result with what was generated: the tree
//! (goal, objective and management objective numbers and titles), every narrative block's
//! text, the cover facts, and no diagnostics.

use std::fmt;

use cairn_ingest::{Parsed, parse};

/// A small deterministic PRNG (SplitMix64).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `num / den`.
    pub fn chance(&mut self, num: usize, den: usize) -> bool {
        self.below(den) < num
    }

    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

/// How the document is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Layout {
    /// Text extracted from the published PDF: wrapped lines, "- Label:" / "• **Label:**" bullets.
    Plain,
    /// Markdown: `#` headings, `**Label:**`, escaped dollar signs.
    Markdown,
    /// Table cells: "| Mission Goal 1 | title |", "| Justification | text |".
    Table,
    /// "● JUSTIFICATION:" bullets and headings in capitals.
    Caps,
}

impl Layout {
    pub const ALL: [Layout; 4] = [Layout::Plain, Layout::Markdown, Layout::Table, Layout::Caps];
}

/// The running header/footer printed at each page break.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Furniture {
    /// "FOR PUBLIC RELEASE" / "Page N of M", no blank lines.
    BannerPageOf,
    /// A blank line, "FOR PUBLIC RELEASE", a bare page number, a blank line.
    BlankBannerNumber,
    /// A bare page number.
    BareNumber,
    /// The cover title, the banner, the approval date and "Page N of M".
    FullHeader,
    /// "FOR PUBLIC RELEASE | Page N of M" between blank lines.
    OneLineFooter,
}

impl Furniture {
    pub const ALL: [Furniture; 5] = [
        Furniture::BannerPageOf,
        Furniture::BlankBannerNumber,
        Furniture::BareNumber,
        Furniture::FullHeader,
        Furniture::OneLineFooter,
    ];

    fn has_blank_lines(self) -> bool {
        matches!(
            self,
            Furniture::BlankBannerNumber | Furniture::OneLineFooter
        )
    }
}

/// The choices that make a document's form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Variant {
    pub layout: Layout,
    pub crlf: bool,
    /// The 2018 generation: Description and Justification only.
    pub gen2018: bool,
    /// Extra sub-objective levels below objectives (0–2).
    pub depth: usize,
    pub furniture: Furniture,
}

impl fmt::Display for Variant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?}{}{} depth {} furniture {:?}",
            self.layout,
            if self.crlf { " CRLF" } else { "" },
            if self.gen2018 { " 2018" } else { " 2022" },
            self.depth,
            self.furniture
        )
    }
}

/// A narrative block: paragraphs of plain text ("$" unescaped).
type Block = Vec<String>;

#[derive(Debug, Clone)]
pub struct ObjectiveSpec {
    pub number: String,
    pub title: String,
    pub justification: Block,
    pub linkages: Option<Block>,
    pub risks: Option<Block>,
    pub subs: Vec<ObjectiveSpec>,
}

impl ObjectiveSpec {
    fn walk<'a>(&'a self, out: &mut Vec<&'a ObjectiveSpec>) {
        out.push(self);
        for s in &self.subs {
            s.walk(out);
        }
    }
}

#[derive(Debug, Clone)]
pub struct GoalSpec {
    pub number: String,
    pub title: String,
    pub description: Block,
    pub objectives: Vec<ObjectiveSpec>,
}

#[derive(Debug, Clone)]
pub struct ManagementSpec {
    /// None for a document's single unnumbered management objective.
    pub number: Option<usize>,
    pub title: String,
    pub justification: Block,
    pub linkages: Option<Block>,
    pub risks: Option<Block>,
}

/// What a document says, independent of its layout.
#[derive(Debug, Clone)]
pub struct Spec {
    pub country_caps: &'static str,
    pub country: &'static str,
    pub approved: Option<&'static str>,
    pub priorities: Vec<String>,
    pub goals: Vec<GoalSpec>,
    pub managements: Vec<ManagementSpec>,
}

impl Spec {
    pub fn objectives(&self) -> Vec<&ObjectiveSpec> {
        let mut out = Vec::new();
        for g in &self.goals {
            for o in &g.objectives {
                o.walk(&mut out);
            }
        }
        out
    }
}

/// A generated document and what it was generated from.
pub struct Doc {
    pub bytes: Vec<u8>,
    pub variant: Variant,
    pub spec: Spec,
}

// ---------------------------------------------------------------------------------------
// Vocabulary

const COUNTRIES: &[(&str, &str)] = &[
    ("MALI", "Mali"),
    ("BURKINA FASO", "Burkina Faso"),
    ("NIGER", "Niger"),
    ("SENEGAL", "Senegal"),
    ("GUINEA-BISSAU", "Guinea-Bissau"),
    ("COTE D'IVOIRE", "Cote d'Ivoire"),
    ("REPUBLIC OF TESTLAND", "Republic of Testland"),
    ("BOSNIA AND HERZEGOVINA", "Bosnia and Herzegovina"),
];

const APPROVED: &[&str] = &[
    "Approved: May 5, 2022",
    "Approved: March 14, 2022",
    "Approved: 09/30/2022",
    "Approved: April 12, 2018",
];

const SUBJECTS: &[&str] = &[
    "The Mission",
    "The embassy",
    "The transition government",
    "Each local partner",
    "U.S. assistance",
    "The regional administration",
    "Civil society",
    "The interagency team",
    "The health ministry",
    "The security sector",
    "The donor community",
    "Our public diplomacy program",
];

const VERBS: &[&str] = &[
    "will strengthen",
    "continues to support",
    "has expanded",
    "seeks to improve",
    "aims to reduce pressure on",
    "will closely monitor",
    "coordinates closely on",
    "reinforces",
    "depends on",
    "must rebuild",
];

const OBJECTS: &[&str] = &[
    "democratic institutions in the capital region",
    "access to basic education for girls",
    "food security across the Sahel",
    "border control and territorial integrity",
    "public trust in the justice sector",
    "maternal and child health services",
    "the business environment for American companies",
    "community resilience to climate shocks",
    "civilian oversight of the security sector",
    "transparent management of public finances",
    "water and sanitation in rural districts",
    "the rule of law in the north and center of the country",
];

const FIGURES: &[&str] = &[
    "with assistance that totaled more than $132 million in FY 2019",
    "reaching 1.9 million people in 2022",
    "while inflation reached 4.8% in 2022",
    "with nearly $144 million anticipated for FY 2021",
    "as more than 35 percent of the population, approximately 7.5 million people, will require assistance in 2022",
    "after real GDP declined by 1.6 percent in 2020",
    "covering 3 million people affected by poor rains in 2021",
    "with an additional $75 million in humanitarian assistance",
    "as coverage fell to 61% in 2021",
];

const OPENERS: &[&str] = &[
    "",
    "",
    "",
    "Despite persistent insecurity, ",
    "In the coming years, ",
    "Since 2015, ",
    "Over the strategy period, ",
    "With limited resources, ",
];

const LINKAGES: &[&str] = &[
    "This objective aligns directly with Goals 1 and 3 of the Africa Bureau's Joint Regional Strategy, in particular via AF JRS Objectives 3.1 and 3.3.",
    "It also supports Consular Affairs' Functional Bureau Strategy Goals 1 and 2.",
    "Programs in this area contribute to the President's Malaria Initiative (PMI) and Feed the Future (FTF).",
    "The work advances the Interim National Security Strategy priority of helping African nations combat violent extremism.",
    "This objective links with the AF/AFR Joint Regional Strategy goals 1 and 3.",
    "It aligns with Goals 1, 3, and 4 of the Africa Bureau's Joint Regional Strategy and its objectives 1.4, 4.1, and 4.4.",
    "Activities also support the U.S. Women, Peace and Security (WPS) Strategy.",
    "It contributes to the Joint Strategic Plan Goal 3 and JSP Objective 3.1 through shared programs.",
    "This work supports the Democracy, Human Rights, and Labor Functional Bureau Strategy Objective 2.1 in the regions.",
    "Investments here support the Global Health Security Agenda (GHSA) and the President's Emergency Plan for AIDS Relief (PEPFAR).",
];

const RISK_CONDITIONS: &[&str] = &[
    "If security deteriorates further, programs may be suspended in the most affected regions.",
    "Delays in the electoral calendar could restrict the assistance the United States may provide.",
    "Rapid population growth may negate progress in all development sectors.",
    "Increased reliance on foreign private military companies may undermine stability.",
    "Recurrent droughts and floods could reverse hard-won development gains.",
    "Staffing gaps could leave key programs without oversight.",
];

const MITIGATIONS: &[&str] = &[
    "To mitigate this risk, the Mission will continue to communicate the consequences of delay to the transition government.",
    "To counter this risk, the embassy will work with regional partners to share information and best practices.",
    "The Mission will monitor the rapidly changing environment and target resources to areas with elevated needs.",
    "Contingency plans and remote monitoring will keep programs running.",
];

const TITLE_PREDICATES: &[&str] = &[
    "'s democratic institutions are strengthened and its governance more responsive",
    " increasingly perceives the United States as a trusted partner",
    " advances political and social reform in a diverse and inclusive environment",
    "'s security institutions demonstrate increased efficiency, capacity, and transparency",
    " exercises increased control of its territory and borders in partnership with allies",
    "'s population makes significant advances in socio-economic conditions",
    " solidifies and deepens development gains in health, education, and economic growth",
    "'s communities better prepare for and respond to shocks and stresses",
    " improves its business environment to attract American and foreign investment",
    "'s courts decide cases promptly and fairly",
    "'s elections are free, fair, and transparent",
];

const TITLE_SUFFIXES: &[&str] = &[
    ".",
    ".",
    ".",
    "",
    " (CDCS DO1)",
    " (CDCS DO2)",
    " (CDCS SpO)",
];

const MANAGEMENT_TITLES: &[&str] = &[
    "The Mission has the resources needed to achieve its objectives despite a changing operating environment.",
    "Recruitment and retention of U.S. and Local Staff improve.",
    "Facilities are modernised and continuity of operations plans refined.",
];

// ---------------------------------------------------------------------------------------
// Content

fn sentence(rng: &mut Rng) -> String {
    let opener = *rng.pick(OPENERS);
    let mut subject = (*rng.pick(SUBJECTS)).to_string();
    if !opener.is_empty()
        && ["The ", "Our ", "Each "]
            .iter()
            .any(|a| subject.starts_with(a))
    {
        let first = subject[..1].to_lowercase();
        subject.replace_range(..1, &first);
    }
    let mut s = format!(
        "{opener}{subject} {} {}",
        rng.pick(VERBS),
        rng.pick(OBJECTS)
    );
    if rng.chance(1, 3) {
        s.push_str(", ");
        let figure = *rng.pick(FIGURES);
        s.push_str(figure);
    }
    s.push('.');
    s
}

/// A paragraph of 1–8 sentences, some of them from `extra` when given.
fn paragraph(rng: &mut Rng, extra: Option<&[&str]>) -> String {
    let n = rng.range(1, 8);
    let mut sentences = Vec::with_capacity(n);
    for _ in 0..n {
        match extra {
            Some(pool) if rng.chance(1, 2) => sentences.push((*rng.pick(pool)).to_string()),
            _ => sentences.push(sentence(rng)),
        }
    }
    sentences.join(" ")
}

fn linkages(rng: &mut Rng) -> Block {
    let n = rng.range(1, 4);
    let mut s: Vec<&str> = Vec::with_capacity(n);
    for _ in 0..n {
        s.push(*rng.pick(LINKAGES));
    }
    vec![s.join(" ")]
}

fn risks(rng: &mut Rng) -> Block {
    let mut s = vec![
        (*rng.pick(RISK_CONDITIONS)).to_string(),
        (*rng.pick(MITIGATIONS)).to_string(),
    ];
    if rng.chance(1, 2) {
        s.insert(1, sentence(rng));
    }
    vec![s.join(" ")]
}

fn title(rng: &mut Rng, country: &str) -> String {
    format!(
        "{country}{}{}",
        rng.pick(TITLE_PREDICATES),
        rng.pick(TITLE_SUFFIXES)
    )
}

fn objective(
    rng: &mut Rng,
    number: String,
    levels: usize,
    v: &Variant,
    country: &str,
) -> ObjectiveSpec {
    let mut justification = vec![paragraph(rng, None)];
    if rng.chance(1, 6) {
        justification.push(paragraph(rng, None));
    }
    let (linkages, risks) = if v.gen2018 {
        (None, None)
    } else {
        (Some(linkages(rng)), Some(risks(rng)))
    };
    let subs = if levels == 0 {
        Vec::new()
    } else {
        (1..=rng.range(0, 2))
            .map(|k| objective(rng, format!("{number}.{k}"), levels - 1, v, country))
            .collect()
    };
    ObjectiveSpec {
        number,
        title: title(rng, country),
        justification,
        linkages,
        risks,
        subs,
    }
}

fn spec(rng: &mut Rng, v: &Variant, goals: usize) -> Spec {
    let &(country_caps, country) = rng.pick(COUNTRIES);
    let approved = rng.chance(1, 2).then(|| *rng.pick(APPROVED));
    let priorities = (0..rng.range(2, 5))
        .map(|_| paragraph(rng, Some(LINKAGES)))
        .collect();
    let mut goal_specs: Vec<GoalSpec> = (1..=goals)
        .map(|g| {
            let title = title(rng, country);
            let mut description = vec![paragraph(rng, Some(LINKAGES))];
            if rng.chance(1, 5) {
                description.push(paragraph(rng, None));
            }
            let objectives = (1..=rng.range(1, 5))
                .map(|o| objective(rng, format!("{g}.{o}"), v.depth, v, country))
                .collect();
            GoalSpec {
                number: g.to_string(),
                title,
                description,
                objectives,
            }
        })
        .collect();
    // The document reaches its depth at least once.
    if v.depth > 0 {
        let mut o = &mut goal_specs[0].objectives[0];
        for _ in 0..v.depth {
            if o.subs.is_empty() {
                let n = format!("{}.1", o.number);
                let mut sub = objective(rng, n, 0, v, country);
                sub.subs.clear();
                o.subs.push(sub);
            }
            o = &mut o.subs[0];
        }
    }
    let n_mgmt = rng.range(1, 3);
    let unnumbered = n_mgmt == 1 && rng.chance(1, 2);
    let managements = (1..=n_mgmt)
        .map(|m| ManagementSpec {
            number: (!unnumbered).then_some(m),
            title: MANAGEMENT_TITLES[(m - 1) % MANAGEMENT_TITLES.len()].to_string(),
            justification: vec![paragraph(rng, None)],
            linkages: (!v.gen2018).then(|| linkages(rng)),
            risks: (!v.gen2018).then(|| risks(rng)),
        })
        .collect();
    Spec {
        country_caps,
        country,
        approved,
        priorities,
        goals: goal_specs,
        managements,
    }
}

// ---------------------------------------------------------------------------------------
// Layout

/// Whether a page break may follow a line, and of which kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Brk {
    /// Any running header or footer.
    Any,
    /// Only furniture without blank lines (a wrapped heading continues on the next line).
    Tight,
}

struct Out {
    lines: Vec<(String, Brk)>,
    layout: Layout,
}

impl Out {
    fn line(&mut self, s: impl Into<String>) {
        self.lines.push((s.into(), Brk::Any));
    }

    fn blank(&mut self) {
        self.line("");
    }

    /// Text as the layout writes it: Markdown escapes the dollar sign.
    fn text(&self, s: &str) -> String {
        if self.layout == Layout::Markdown {
            s.replace('$', "\\$")
        } else {
            s.to_string()
        }
    }

    /// A paragraph starting with `lead`, wrapped at `width` (None: one line); continuation
    /// lines are prefixed with `indent`.
    fn para(&mut self, lead: &str, text: &str, width: Option<usize>, indent: &str) {
        let text = self.text(text);
        let Some(width) = width else {
            self.line(format!("{lead}{text}"));
            return;
        };
        // Greedy wrapping into lines of words.
        let mut lines: Vec<Vec<&str>> = vec![Vec::new()];
        let mut len = lead.len();
        for w in text.split(' ') {
            let cur = lines.len() - 1;
            if !lines[cur].is_empty() && len + 1 + w.len() > width {
                lines.push(Vec::new());
                len = indent.len();
            } else if !lines[cur].is_empty() {
                len += 1;
            }
            len += w.len();
            let cur = lines.len() - 1;
            lines[cur].push(w);
        }
        for (i, words) in lines.iter().enumerate() {
            let head = if i == 0 { lead } else { indent };
            self.line(format!("{head}{}", words.join(" ")));
        }
    }

    /// A heading line; in the PDF layouts a long one wraps, and the break between its lines
    /// is tight.
    fn heading(&mut self, text: &str, wrap: bool) {
        if wrap && text.len() > 95 {
            let cut = text.get(..90).and_then(|h| h.rfind(' ')).unwrap_or(90);
            self.lines.push((text[..cut].to_string(), Brk::Tight));
            self.line(format!(" {}", &text[cut + 1..]));
        } else {
            self.line(text);
        }
    }
}

const SECTION_NAMES: [&str; 3] = [
    "Chief of Mission Priorities",
    "Mission Strategic Framework",
    "Mission Goals and Objectives",
];

/// Writes one labelled block in the document's layout.
fn block(out: &mut Out, rng: &mut Rng, label: &str, paras: &[String], width: Option<usize>) {
    if out.layout == Layout::Table {
        // One cell holds the whole block; some rows lose their outer pipes in extraction.
        let text = out.text(&paras.join(" "));
        if rng.chance(1, 4) {
            out.line(format!("{label} | {text}"));
        } else {
            out.line(format!("| {label} | {text} |"));
        }
        return;
    }
    for (i, p) in paras.iter().enumerate() {
        let lead = if i > 0 {
            String::new()
        } else {
            match out.layout {
                Layout::Plain => match rng.below(5) {
                    0 => format!("- {label}: "),
                    1 => format!("{label}: "),
                    2 => format!("• {label}: "),
                    3 => format!("- **{label}:** "),
                    _ => format!("• **{label}:** "),
                },
                Layout::Markdown => match rng.below(3) {
                    0 => format!("**{label}:** "),
                    1 => format!("- **{label}:** "),
                    _ => format!("* {label}: "),
                },
                Layout::Caps | Layout::Table => format!("● {}: ", label.to_uppercase()),
            }
        };
        let indent = if out.layout == Layout::Plain && rng.chance(1, 2) {
            " "
        } else {
            ""
        };
        if i > 0 {
            out.blank();
        }
        out.para(&lead, p, width, indent);
    }
}

fn heading_text(
    layout: Layout,
    kind: &str,
    number: Option<&str>,
    title: &str,
    summary: bool,
    depth: usize,
) -> String {
    let caps = layout == Layout::Caps && !summary;
    let name = if caps {
        kind.to_uppercase()
    } else {
        kind.to_string()
    };
    let num = number.map(|n| format!(" {n}")).unwrap_or_default();
    match layout {
        Layout::Plain | Layout::Caps => format!("{name}{num}: {title}"),
        Layout::Markdown if summary => format!("**{name}{num}:** {title}"),
        Layout::Markdown => format!("{} {name}{num}: {title}", "#".repeat((depth + 2).min(6))),
        Layout::Table => format!("| {name}{num} | {title} |"),
    }
}

fn render(spec: &Spec, v: &Variant, rng: &mut Rng) -> Vec<(String, Brk)> {
    let layout = v.layout;
    let mut out = Out {
        lines: Vec::new(),
        layout,
    };
    let width = match layout {
        Layout::Plain | Layout::Caps => Some(rng.range(78, 95)),
        Layout::Markdown if rng.chance(1, 2) => Some(rng.range(90, 110)),
        Layout::Markdown | Layout::Table => None,
    };
    let wrap_headings = matches!(layout, Layout::Plain | Layout::Caps);
    let md = layout == Layout::Markdown;
    let management_name = if spec.managements.len() > 1 {
        "Management Objectives"
    } else {
        "Management Objective"
    };
    let numbered_sections = !v.gen2018 || rng.chance(1, 2);
    let section = |i: usize| -> String {
        let name = if i == 3 {
            management_name
        } else {
            SECTION_NAMES[i]
        };
        let num = if numbered_sections {
            format!("{}. ", i + 1)
        } else {
            String::new()
        };
        if md {
            format!("## {num}{name}")
        } else {
            format!("{num}{name}")
        }
    };

    // Cover.
    if md {
        out.line("# Integrated Country Strategy");
        out.blank();
        out.line(format!("**{}**", spec.country_caps));
        out.blank();
        out.line("**FOR PUBLIC RELEASE**");
    } else {
        out.blank();
        out.line("Integrated Country Strategy");
        out.blank();
        out.line(spec.country_caps);
        out.blank();
        out.line("FOR PUBLIC RELEASE");
    }
    out.blank();
    if let Some(a) = spec.approved {
        out.line(a);
        out.blank();
    }

    // Table of contents.
    out.line(if md {
        "## Table of Contents"
    } else {
        "Table of Contents"
    });
    out.blank();
    let dots = rng.chance(1, 2);
    for (i, page) in [1, 4, 6, 14].into_iter().enumerate() {
        let name = if i == 3 {
            management_name
        } else {
            SECTION_NAMES[i]
        };
        let num = if numbered_sections {
            format!("{}.", i + 1)
        } else {
            String::new()
        };
        out.line(if md {
            format!("{}{name}", if num.is_empty() { num } else { num + " " })
        } else if dots {
            format!(
                "{}{name} {} {page}",
                if num.is_empty() { num } else { num + " " },
                ".".repeat(40 - name.len().min(36))
            )
        } else {
            format!("{num}\t{name}\t{page}")
        });
    }
    out.blank();

    // 1. Priorities.
    out.line(section(0));
    out.blank();
    for p in &spec.priorities {
        out.para("", p, width, "");
        out.blank();
    }

    // 2. Framework.
    out.line(section(1));
    out.blank();
    let table_row = |out: &mut Out, rng: &mut Rng, text: String| {
        // Some table rows lose their outer pipes in extraction.
        if rng.chance(1, 4) {
            let inner = text
                .trim_start_matches("| ")
                .trim_end_matches(" |")
                .to_string();
            out.line(inner);
        } else {
            out.line(text);
        }
    };
    for g in &spec.goals {
        let h = heading_text(layout, "Mission Goal", Some(&g.number), &g.title, true, 1);
        if layout == Layout::Table {
            table_row(&mut out, rng, h);
            out.line("|---|---|");
        } else {
            out.heading(&h, wrap_headings);
        }
        let mut objs = Vec::new();
        for o in &g.objectives {
            o.walk(&mut objs);
        }
        for o in objs {
            let depth = o.number.split('.').count();
            let kind = if depth > 2 {
                "Sub-Objective"
            } else {
                "Mission Objective"
            };
            let h = heading_text(layout, kind, Some(&o.number), &o.title, true, depth);
            match layout {
                Layout::Table => table_row(&mut out, rng, h),
                Layout::Markdown => {
                    out.line(format!("{}- {h}", "  ".repeat(depth - 2)));
                }
                Layout::Plain | Layout::Caps => {
                    let bullet = match (layout, depth) {
                        (Layout::Caps, 2) => "● ",
                        (_, 2) => "- ",
                        _ => "   o ",
                    };
                    out.heading(&format!("{bullet}{h}"), wrap_headings);
                }
            }
        }
        out.blank();
    }
    for m in &spec.managements {
        let num = m.number.map(|n| n.to_string());
        let h = heading_text(
            layout,
            "Management Objective",
            num.as_deref(),
            &m.title,
            true,
            1,
        );
        if layout == Layout::Table {
            table_row(&mut out, rng, h);
        } else {
            out.heading(&h, wrap_headings);
        }
        out.blank();
    }

    // 3. Detail.
    out.line(section(2));
    out.blank();
    let detail_heading = |out: &mut Out,
                          rng: &mut Rng,
                          kind: &str,
                          number: Option<&str>,
                          title: &str,
                          depth: usize| {
        let h = heading_text(layout, kind, number, title, false, depth);
        if layout == Layout::Table {
            table_row(out, rng, h);
            out.line("|---|---|");
        } else if layout == Layout::Plain && kind == "Mission Goal" && rng.chance(1, 8) {
            // The number on its own line, the title on the next.
            out.line(format!("Mission Goal {}", number.unwrap_or_default()));
            out.para("", title, width, "");
        } else {
            out.heading(&h, wrap_headings);
        }
        if layout != Layout::Table {
            out.blank();
        }
    };
    let blocks = |out: &mut Out, rng: &mut Rng, j: &Block, l: &Option<Block>, r: &Option<Block>| {
        // PDF bullets often follow one another without blank lines.
        let tight = layout == Layout::Plain && rng.chance(1, 2);
        let mut all = vec![("Justification", j)];
        if let Some(l) = l {
            all.push(("Linkages", l));
        }
        if let Some(r) = r {
            all.push(("Risks", r));
        }
        for (name, paras) in all {
            block(out, rng, name, paras, width);
            if !tight && layout != Layout::Table {
                out.blank();
            }
        }
        out.blank();
    };
    for g in &spec.goals {
        detail_heading(&mut out, rng, "Mission Goal", Some(&g.number), &g.title, 1);
        block(&mut out, rng, "Description", &g.description, width);
        out.blank();
        let mut objs = Vec::new();
        for o in &g.objectives {
            o.walk(&mut objs);
        }
        for o in objs {
            let depth = o.number.split('.').count();
            let kind = if depth > 2 {
                "Sub-Objective"
            } else if rng.chance(1, 2) {
                "Objective"
            } else {
                "Mission Objective"
            };
            detail_heading(&mut out, rng, kind, Some(&o.number), &o.title, depth);
            blocks(&mut out, rng, &o.justification, &o.linkages, &o.risks);
        }
    }

    // 4. Management.
    out.line(section(3));
    out.blank();
    for m in &spec.managements {
        let num = m.number.map(|n| n.to_string());
        detail_heading(
            &mut out,
            rng,
            "Management Objective",
            num.as_deref(),
            &m.title,
            1,
        );
        blocks(&mut out, rng, &m.justification, &m.linkages, &m.risks);
    }
    out.lines
}

fn ends_sentence(t: &str) -> bool {
    t.trim_end().ends_with(['.', '!', '?', ':', ';', ')'])
}

/// Inserts running headers and footers every ~40 lines, wherever they fall (mid-paragraph
/// included), and joins the lines.
fn paginate(lines: Vec<(String, Brk)>, v: &Variant, rng: &mut Rng) -> Vec<u8> {
    let pages = lines.len() / 35 + 2;
    let eol = if v.crlf { "\r\n" } else { "\n" };
    let mut out =
        String::with_capacity(lines.iter().map(|(l, _)| l.len() + 2).sum::<usize>() + pages * 40);
    let mut next_break = rng.range(35, 45);
    let mut page = 1;
    let mut lines = lines.into_iter().peekable();
    let mut n = 0;
    while let Some((line, brk)) = lines.next() {
        out.push_str(&line);
        out.push_str(eol);
        n += 1;
        if n < next_break {
            continue;
        }
        let Some((next, _)) = lines.peek_mut() else {
            break;
        };
        let mut style = v.furniture;
        if brk == Brk::Tight && style.has_blank_lines() {
            style = Furniture::BareNumber;
        }
        page += 1;
        let furniture: Vec<String> = match style {
            Furniture::BannerPageOf => vec![
                "FOR PUBLIC RELEASE".into(),
                format!("Page {page} of {pages}"),
            ],
            Furniture::BlankBannerNumber => {
                vec![
                    String::new(),
                    "FOR PUBLIC RELEASE".into(),
                    page.to_string(),
                    String::new(),
                ]
            }
            Furniture::BareNumber => vec![page.to_string()],
            Furniture::FullHeader => vec![
                "Integrated Country Strategy".into(),
                "FOR PUBLIC RELEASE".into(),
                "Approved: May 5, 2022".into(),
                format!("Page {page} of {pages}"),
            ],
            Furniture::OneLineFooter => vec![
                String::new(),
                format!("FOR PUBLIC RELEASE | Page {page} of {pages}"),
                String::new(),
            ],
        };
        for f in furniture {
            out.push_str(&f);
            out.push_str(eol);
        }
        // A page break that turned the rest of a sentence into a bullet (PDF text only).
        if v.layout == Layout::Plain
            && style.has_blank_lines()
            && !line.trim().is_empty()
            && !ends_sentence(&line)
            && next
                .trim_start()
                .starts_with(|c: char| c.is_ascii_lowercase())
            && rng.chance(1, 3)
        {
            *next = format!("- {}", next.trim_start());
        }
        next_break = n + rng.range(35, 45);
    }
    out.into_bytes()
}

/// Generates one document of the given form; `goals` fixes the number of goals.
pub fn document(seed: u64, v: Variant, goals: usize) -> Doc {
    let mut rng = Rng::new(seed);
    let spec = spec(&mut rng, &v, goals);
    let lines = render(&spec, &v, &mut rng);
    let bytes = paginate(lines, &v, &mut rng);
    Doc {
        bytes,
        variant: v,
        spec,
    }
}

/// The `i`-th document of the corpus.
pub fn varied(seed: u64, i: usize) -> Doc {
    let mut rng = Rng::new(seed ^ (i as u64).wrapping_mul(0xD1B5_4A32_D192_ED03));
    let v = Variant {
        layout: Layout::ALL[i % Layout::ALL.len()],
        crlf: rng.chance(1, 4),
        gen2018: rng.chance(1, 5),
        depth: rng.below(3),
        furniture: *rng.pick(&Furniture::ALL),
    };
    let goals = rng.range(1, 6);
    document(rng.next_u64(), v, goals)
}

/// `n` varied documents.
pub fn corpus(seed: u64, n: usize) -> Vec<Doc> {
    (0..n).map(|i| varied(seed, i)).collect()
}

/// A single document of about `target` bytes: PDF text, 2022 generation, many goals.
pub fn large(seed: u64, target: usize) -> Doc {
    let v = Variant {
        layout: Layout::Plain,
        crlf: false,
        gen2018: false,
        depth: 1,
        furniture: Furniture::BannerPageOf,
    };
    let mut goals = 20;
    let mut doc = document(seed, v, goals);
    for _ in 0..3 {
        let scaled = (goals as f64 * target as f64 / doc.bytes.len() as f64).round() as usize;
        if scaled == goals {
            break;
        }
        goals = scaled.max(1);
        doc = document(seed, v, goals);
    }
    doc
}

// ---------------------------------------------------------------------------------------
// Checking

fn norm(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn same_block(what: &str, expected: Option<&Block>, got: Option<&str>) -> Result<(), String> {
    let e = expected.map(|b| norm(&b.join(" ")));
    let g = got.map(norm);
    if e == g {
        Ok(())
    } else {
        Err(format!("{what}: expected {e:?}\n     got {g:?}"))
    }
}

/// Parses the document and compares the result with what was generated.
pub fn check(doc: &Doc) -> Result<Parsed, String> {
    let p = parse(&doc.bytes).map_err(|e| format!("parse failed: {e}"))?;
    let s = &p.strategy;
    let spec = &doc.spec;
    if s.goals.len() != spec.goals.len() {
        return Err(format!(
            "{} goals generated, {} read",
            spec.goals.len(),
            s.goals.len()
        ));
    }
    let got: Vec<&str> = s.objectives().map(|o| o.number.as_str()).collect();
    let want_objs = spec.objectives();
    let want: Vec<&str> = want_objs.iter().map(|o| o.number.as_str()).collect();
    if got != want {
        return Err(format!("objectives: generated {want:?}, read {got:?}"));
    }
    let got_m: Vec<&str> = s
        .management_objectives
        .iter()
        .map(|m| m.number.as_str())
        .collect();
    let want_m: Vec<String> = spec
        .managements
        .iter()
        .enumerate()
        .map(|(i, m)| m.number.unwrap_or(i + 1).to_string())
        .collect();
    if got_m != want_m {
        return Err(format!(
            "management objectives: generated {want_m:?}, read {got_m:?}"
        ));
    }
    if !p.diagnostics.is_empty() {
        let d: Vec<String> = p
            .diagnostics
            .iter()
            .map(|d| format!("{:?} line {}: {}", d.code, d.line, d.message))
            .collect();
        return Err(format!("unexpected diagnostics: {d:#?}"));
    }
    if s.country.as_deref() != Some(spec.country) {
        return Err(format!(
            "country {:?}, expected {:?}",
            s.country, spec.country
        ));
    }
    if s.marking.as_deref() != Some("FOR PUBLIC RELEASE") {
        return Err(format!("marking {:?}", s.marking));
    }
    if s.priorities.is_empty() {
        return Err("no priorities read".into());
    }
    let title = |what: &str, want: &str, got: &str| {
        if norm(want) == norm(got) {
            Ok(())
        } else {
            Err(format!("{what} title: expected {want:?}, got {got:?}"))
        }
    };
    for (g, w) in s.goals.iter().zip(&spec.goals) {
        title(&format!("goal {}", w.number), &w.title, &g.title)?;
        same_block(
            &format!("goal {} description", w.number),
            Some(&w.description),
            g.description.as_deref(),
        )?;
    }
    for (o, w) in s.objectives().zip(&want_objs) {
        let n = &w.number;
        title(&format!("objective {n}"), &w.title, &o.title)?;
        same_block(
            &format!("objective {n} justification"),
            Some(&w.justification),
            o.justification.as_deref(),
        )?;
        same_block(
            &format!("objective {n} linkages"),
            w.linkages.as_ref(),
            o.linkages.as_deref(),
        )?;
        same_block(
            &format!("objective {n} risks"),
            w.risks.as_ref(),
            o.risks.as_deref(),
        )?;
    }
    for (m, w) in s.management_objectives.iter().zip(&spec.managements) {
        let n = m.number.as_str();
        title(&format!("management objective {n}"), &w.title, &m.title)?;
        same_block(
            &format!("management objective {n} justification"),
            Some(&w.justification),
            m.justification.as_deref(),
        )?;
        same_block(
            &format!("management objective {n} linkages"),
            w.linkages.as_ref(),
            m.linkages.as_deref(),
        )?;
        same_block(
            &format!("management objective {n} risks"),
            w.risks.as_ref(),
            m.risks.as_deref(),
        )?;
    }
    Ok(p)
}
