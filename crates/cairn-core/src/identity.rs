//! Stable identity of elements across revisions: a goal or objective keeps its id when it is
//! renumbered or retitled, so that what is attached to it (indicators, risks, reviews) stays
//! attached.
//!
//! [`carry`] gives every element of a new revision the id of the element it continues in the
//! revision it was based on. The rule (also in ARCHITECTURE.md, "Identity across revisions"):
//!
//! - Elements match only elements of the same kind: goal with goal, objective with objective
//!   at any depth (a sub-objective can be promoted), management objective with management
//!   objective. Each old id goes to at most one new element. Goals are matched first, then
//!   management objectives, then objectives, each kind through the three passes below, so that
//!   an objective's parent already has its id when the objective is looked at.
//! - Pass 1, **unchanged**: same number and same title (compared with
//!   [`crate::title::comparable`]); for objectives also the same parent id.
//! - Pass 2, **renumbered** or **moved**: same title, when that title belongs to exactly one
//!   remaining old and one remaining new element of the kind (repeated titles go to pass 3).
//! - Pass 3, **retitled** (perhaps also renumbered): the remaining pairs are scored, in
//!   thousandths, `content + position`, where content is `1000 × title similarity + 500 ×
//!   narrative similarity` (a similarity is the Jaccard index of the two word sets: lower
//!   case, words of one letter and stop words dropped; the narrative is the description or
//!   justification, linkages and risks), and position is 500 for the same number (goals,
//!   management objectives), or 250 for the same number plus 250 for the same parent id
//!   (objectives). A pair matches when content ≥ [`MIN_CONTENT`] and the total ≥
//!   [`MIN_SCORE`]. Matches are taken greedily, best score first (ties: the earlier new
//!   element, then the earlier old one).
//! - **Split** (one old element is the best match of several new ones): the best-scoring new
//!   element keeps the id; the others get fresh ids unless they match another old element.
//!   **Merge** (several old elements best match one new one): the new element keeps the
//!   best-scoring old id; the other old ids end.
//! - Every other new element gets a fresh id, counting up in document order from the
//!   previous identity's [`Identity::next_free`]. An id that ended is never given again: the
//!   identity carries the high-water mark [`Identity::next`].
//!
//! Pass 3 scores candidates from an index, never all pairs: the old elements sharing the new
//! title's rarest words (words shared by more than [`COMMON_WORD`] remaining old elements are
//! skipped; lists are added until [`MAX_CANDIDATES`] are reached), the old element with the
//! same number and those with the same narrative (up to [`MAX_CANDIDATES`]). The cost is linear
//! in the size of the document times that bound.
//!
//! Deterministic and pure: the hash maps use a fixed hasher (FNV-1a) and are only looked up,
//! never iterated into the result.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{ManagementObjective, Node, Number, Objective, Strategy};

/// An element's id, unique within its mission: `e1`, `e2`, … in order of first appearance.
/// Written as that string everywhere (a strategy's elements, diffs, stored identities); read
/// also as the bare number identities were stored as before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ElementId(pub u32);

impl Serialize for ElementId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ElementId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Form {
            Text(String),
            Number(u32),
        }
        match Form::deserialize(d)? {
            Form::Number(n) => Ok(Self(n)),
            Form::Text(t) => t
                .strip_prefix('e')
                .and_then(|n| n.parse().ok())
                .filter(|n: &u32| n.to_string() == t[1..])
                .map(Self)
                .ok_or_else(|| {
                    serde::de::Error::custom(format!(
                        "{t:?} is not an element id: expected e1, e2, …"
                    ))
                }),
        }
    }
}

impl JsonSchema for ElementId {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ElementId".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "An element's stable id within its mission: e1, e2, …",
            "type": "string",
            "pattern": "^e[1-9][0-9]*$"
        })
    }
}

impl fmt::Display for ElementId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "e{}", self.0)
    }
}

/// Which id each element of one revision has, by its place in that revision (`goal:1`,
/// `objective:1.2`, `management:1`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct Identity {
    pub ids: BTreeMap<Node, ElementId>,
    /// The first id never given to any element of the mission up to this revision (a
    /// high-water mark), so that the id of a removed or merged-away element is never given
    /// again. 0 in identities written before the field existed; [`Identity::next_free`] then
    /// falls back to the largest id + 1.
    #[serde(default)]
    pub next: u32,
}

impl Identity {
    /// The first id never used by this identity or the revisions before it.
    pub fn next_free(&self) -> ElementId {
        let max = self.ids.values().map(|id| id.0).max().unwrap_or(0);
        ElementId(self.next.max(max + 1))
    }

    pub fn get(&self, node: &Node) -> Option<ElementId> {
        self.ids.get(node).copied()
    }
}

/// Every element node of a strategy in document order: goals, objectives and sub-objectives,
/// management objectives.
pub fn element_nodes(s: &Strategy) -> Vec<Node> {
    let mut out = Vec::new();
    for g in &s.goals {
        out.push(Node::Goal(g.number.clone()));
        for o in g.objectives.iter().flat_map(crate::Objective::walk) {
            out.push(Node::Objective(o.number.clone()));
        }
    }
    for m in &s.management_objectives {
        out.push(Node::Management(m.number.clone()));
    }
    out
}

/// The lowest content score (title and narrative, in thousandths) of a pass-3 match.
pub const MIN_CONTENT: u32 = 300;
/// The lowest total score (content and position, in thousandths) of a pass-3 match.
pub const MIN_SCORE: u32 = 600;
/// How many pass-3 candidates one new element draws from its title words at most.
pub const MAX_CANDIDATES: usize = 32;
/// A title word shared by more remaining old elements than this proposes no candidates.
pub const COMMON_WORD: usize = 64;

/// Words that say nothing about which element a title or narrative belongs to.
const STOP_WORDS: &[&str] = &[
    "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "into", "is", "its", "of",
    "on", "or", "our", "that", "the", "their", "this", "through", "to", "with",
];

/// FNV-1a: a hasher without random keys (results never depend on iteration order anyway, but
/// core stays free of randomness) and fast on the short keys used here.
pub(crate) struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

pub(crate) type Map<K, V> = HashMap<K, V, BuildHasherDefault<Fnv>>;

/// Gives every element of `next` an id: the id of the element it continues in `prev` (the
/// revision it was based on), or a fresh one from `prev`'s `next_free` on. See the module
/// documentation for the matching rule.
///
/// An element whose place repeats an earlier one (a `duplicate-number` error) shares that
/// place's id: only the first element with a given node takes part.
pub fn carry(prev: Option<(&Strategy, &Identity)>, next: &Strategy) -> Identity {
    let mut words = Words::default();
    let new = elements(next, &mut words);
    let old: Vec<Elem> = match prev {
        Some((s, ident)) => {
            // One hash lookup per element rather than a tree walk comparing dotted numbers.
            let by_place: Map<(Kind, &Number), ElementId> = ident
                .ids
                .iter()
                .filter_map(|(node, &id)| Some((Kind::of(node)?, id)))
                .collect();
            let mut old = elements(s, &mut words);
            for e in &mut old {
                e.id = by_place.get(&(e.kind, e.number)).copied();
            }
            old
        }
        None => Vec::new(),
    };
    let ids = Matcher::new(&old, &new).run();

    let start = prev.map_or(ElementId(1), |(_, i)| i.next_free());
    let mut fresh = start.0;
    let mut out: Vec<(Node, ElementId)> = Vec::with_capacity(new.len());
    for (e, id) in new.iter().zip(ids) {
        let id = id.unwrap_or_else(|| {
            fresh += 1;
            ElementId(fresh - 1)
        });
        out.push((e.node(), id));
    }
    // Sorted once with parsed keys, the map is built without comparing dotted numbers again.
    out.sort_by_cached_key(|(node, _)| match node {
        Node::Priorities => (0, Vec::new()),
        Node::Goal(n) => (1, parts(n)),
        Node::Objective(n) => (2, parts(n)),
        Node::Management(n) => (3, parts(n)),
    });
    Identity {
        ids: out.into_iter().collect(),
        next: fresh,
    }
}

/// A number's parts as integers, ordered as [`Number`] orders.
fn parts(n: &Number) -> Vec<u32> {
    n.as_str()
        .split('.')
        .map(|p| p.parse().unwrap_or(0))
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Goal,
    Objective,
    Management,
}

impl Kind {
    fn of(node: &Node) -> Option<(Self, &Number)> {
        match node {
            Node::Priorities => None,
            Node::Goal(n) => Some((Self::Goal, n)),
            Node::Objective(n) => Some((Self::Objective, n)),
            Node::Management(n) => Some((Self::Management, n)),
        }
    }
}

/// One element as the matcher sees it.
struct Elem<'a> {
    kind: Kind,
    number: &'a Number,
    /// The title in its comparable form.
    title: String,
    /// Title words, sorted ids without repeats.
    title_words: Vec<u32>,
    /// Narrative words (description or justification, linkages, risks).
    text_words: Vec<u32>,
    /// A hash of the narrative (0 when there is none), to find elements whose narrative did
    /// not change.
    text: u64,
    /// Index (in the same list) of the element this one sits under.
    parent: Option<usize>,
    /// The element's id (old elements only).
    id: Option<ElementId>,
}

/// Interns words so that word sets are sorted integer lists.
#[derive(Default)]
struct Words(Map<String, u32>);

impl Words {
    fn set<'t>(&mut self, texts: impl IntoIterator<Item = &'t str>) -> Vec<u32> {
        let mut out = Vec::new();
        for w in texts
            .into_iter()
            .flat_map(|t| t.split(|c: char| !c.is_alphanumeric()))
            .filter(|w| w.chars().nth(1).is_some())
        {
            let lower;
            let w = if w
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            {
                w
            } else {
                lower = w.to_lowercase();
                lower.as_str()
            };
            if STOP_WORDS.contains(&w) {
                continue;
            }
            let id = match self.0.get(w) {
                Some(&id) => id,
                None => {
                    let id = self.0.len() as u32;
                    self.0.insert(w.to_string(), id);
                    id
                }
            };
            out.push(id);
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

impl Elem<'_> {
    fn node(&self) -> Node {
        let n = self.number.clone();
        match self.kind {
            Kind::Goal => Node::Goal(n),
            Kind::Objective => Node::Objective(n),
            Kind::Management => Node::Management(n),
        }
    }
}

/// The elements of a strategy in document order, the first of each node only.
fn elements<'a>(s: &'a Strategy, words: &mut Words) -> Vec<Elem<'a>> {
    struct Walk<'a, 'w> {
        out: Vec<Elem<'a>>,
        seen: Map<(Kind, &'a Number), ()>,
        words: &'w mut Words,
    }
    impl<'a> Walk<'a, '_> {
        fn push(
            &mut self,
            kind: Kind,
            number: &'a Number,
            title: &str,
            blocks: &[Option<&String>],
            parent: Option<usize>,
        ) -> Option<usize> {
            if self.seen.insert((kind, number), ()).is_some() {
                return None;
            }
            let mut text = Fnv::default();
            for b in blocks.iter().flatten() {
                text.write(b.as_bytes());
                text.write_u8(0xff);
            }
            let present = blocks.iter().any(Option::is_some);
            self.out.push(Elem {
                kind,
                number,
                title: crate::title::comparable(title),
                title_words: self.words.set([title]),
                text_words: self.words.set(blocks.iter().flatten().map(|b| b.as_str())),
                text: if present { text.finish() } else { 0 },
                parent,
                id: None,
            });
            Some(self.out.len() - 1)
        }

        fn objective(&mut self, o: &'a Objective, parent: Option<usize>) {
            let me = self.push(
                Kind::Objective,
                &o.number,
                &o.title,
                &[
                    o.justification.as_ref(),
                    o.linkages.as_ref(),
                    o.risks.as_ref(),
                ],
                parent,
            );
            for s in &o.sub_objectives {
                self.objective(s, me);
            }
        }

        fn management(&mut self, m: &'a ManagementObjective) {
            self.push(
                Kind::Management,
                &m.number,
                &m.title,
                &[
                    m.justification.as_ref(),
                    m.linkages.as_ref(),
                    m.risks.as_ref(),
                ],
                None,
            );
        }
    }

    let mut w = Walk {
        out: Vec::new(),
        seen: Map::default(),
        words,
    };
    for g in &s.goals {
        let me = w.push(
            Kind::Goal,
            &g.number,
            &g.title,
            &[g.description.as_ref()],
            None,
        );
        for o in &g.objectives {
            w.objective(o, me);
        }
    }
    for m in &s.management_objectives {
        w.management(m);
    }
    w.out
}

/// The Jaccard index of two sorted sets, in thousandths; 0 when both are empty.
fn jaccard(a: &[u32], b: &[u32]) -> u32 {
    let (mut i, mut j, mut shared) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - shared;
    (shared * 1000).checked_div(union).map_or(0, |j| j as u32)
}

struct Matcher<'e, 'a> {
    old: &'e [Elem<'a>],
    new: &'e [Elem<'a>],
    /// Whether each old element's id is spoken for (or it has none to give).
    taken: Vec<bool>,
    /// The id each new element got so far.
    ids: Vec<Option<ElementId>>,
}

impl<'e, 'a> Matcher<'e, 'a> {
    fn new(old: &'e [Elem<'a>], new: &'e [Elem<'a>]) -> Self {
        Self {
            old,
            new,
            taken: old.iter().map(|e| e.id.is_none()).collect(),
            ids: vec![None; new.len()],
        }
    }

    fn link(&mut self, o: usize, n: usize) {
        self.taken[o] = true;
        self.ids[n] = self.old[o].id;
    }

    /// Goals first, so that objectives can compare parents; then management objectives and
    /// objectives, each kind through the three passes.
    fn run(mut self) -> Vec<Option<ElementId>> {
        for kind in [Kind::Goal, Kind::Management, Kind::Objective] {
            self.same_place_same_title(kind);
            self.same_title(kind);
            self.similar(kind);
        }
        self.ids
    }

    /// Whether old element `o` and new element `n` sit under the same element (by id).
    fn same_parent(&self, o: usize, n: usize) -> bool {
        let old_parent = self.old[o].parent.and_then(|p| self.old[p].id);
        let new_parent = self.new[n].parent.and_then(|p| self.ids[p]);
        old_parent.is_some() && old_parent == new_parent
    }

    /// Pass 1: same number, same title (and, for objectives, the same parent).
    fn same_place_same_title(&mut self, kind: Kind) {
        let by_number: Map<&Number, usize> = self
            .old
            .iter()
            .enumerate()
            .filter(|(i, e)| e.kind == kind && !self.taken[*i])
            .map(|(i, e)| (e.number, i))
            .collect();
        // Document order: a parent is settled before its children are looked at.
        for n in 0..self.new.len() {
            if self.new[n].kind != kind {
                continue;
            }
            if let Some(&o) = by_number.get(self.new[n].number)
                && self.old[o].title == self.new[n].title
                && (kind != Kind::Objective || self.same_parent(o, n))
            {
                self.link(o, n);
            }
        }
    }

    /// Pass 2: same title elsewhere, when the title is unique among what remains.
    fn same_title(&mut self, kind: Kind) {
        let mut old_by: Map<&str, Vec<usize>> = Map::default();
        for (i, e) in self.old.iter().enumerate() {
            if e.kind == kind && !self.taken[i] {
                old_by.entry(e.title.as_str()).or_default().push(i);
            }
        }
        let mut new_by: Map<&str, usize> = Map::default();
        for (e, id) in self.new.iter().zip(&self.ids) {
            if e.kind == kind && id.is_none() {
                *new_by.entry(e.title.as_str()).or_default() += 1;
            }
        }
        for n in 0..self.new.len() {
            let e = &self.new[n];
            if e.kind != kind || self.ids[n].is_some() || new_by.get(e.title.as_str()) != Some(&1) {
                continue;
            }
            if let Some(&[o]) = old_by.get(e.title.as_str()).map(Vec::as_slice) {
                self.link(o, n);
            }
        }
    }

    /// Pass 3: the remaining elements of one kind, scored, best first.
    fn similar(&mut self, kind: Kind) {
        let old_left: Vec<usize> = (0..self.old.len())
            .filter(|&i| !self.taken[i] && self.old[i].kind == kind)
            .collect();
        if old_left.is_empty() {
            return;
        }
        let mut postings: Map<u32, Vec<usize>> = Map::default();
        let mut by_number: Map<&Number, usize> = Map::default();
        let mut by_text: Map<u64, Vec<usize>> = Map::default();
        for &o in &old_left {
            let e = &self.old[o];
            for &w in &e.title_words {
                postings.entry(w).or_default().push(o);
            }
            by_number.entry(e.number).or_insert(o);
            if e.text != 0 {
                by_text.entry(e.text).or_default().push(o);
            }
        }

        let mut pairs: Vec<(u32, usize, usize)> = Vec::new();
        let mut candidates: Vec<usize> = Vec::new();
        for n in 0..self.new.len() {
            let e = &self.new[n];
            if e.kind != kind || self.ids[n].is_some() {
                continue;
            }
            candidates.clear();
            // The rarest title words first: they say the most about which element this is.
            let mut lists: Vec<&Vec<usize>> = e
                .title_words
                .iter()
                .filter_map(|w| postings.get(w))
                .filter(|l| l.len() <= COMMON_WORD)
                .collect();
            lists.sort_by_key(|l| l.len());
            for l in lists {
                if candidates.len() >= MAX_CANDIDATES {
                    break;
                }
                candidates.extend_from_slice(l);
            }
            candidates.extend(by_number.get(e.number));
            if let Some(l) = by_text.get(&e.text).filter(|_| e.text != 0) {
                candidates.extend(l.iter().take(MAX_CANDIDATES));
            }
            candidates.sort_unstable();
            candidates.dedup();
            for &o in &candidates {
                if let Some(score) = self.score(o, n) {
                    pairs.push((score, n, o));
                }
            }
        }
        // Best first; ties by document order of the new, then of the old element.
        pairs.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        for (_, n, o) in pairs {
            if self.ids[n].is_none() && !self.taken[o] {
                self.link(o, n);
            }
        }
    }

    /// The pass-3 score of old element `o` continuing as new element `n`, when it is a match.
    fn score(&self, o: usize, n: usize) -> Option<u32> {
        let (a, b) = (&self.old[o], &self.new[n]);
        let content =
            jaccard(&a.title_words, &b.title_words) + jaccard(&a.text_words, &b.text_words) / 2;
        let same_number = u32::from(a.number == b.number);
        let position = match a.kind {
            Kind::Goal | Kind::Management => 500 * same_number,
            Kind::Objective => 250 * same_number + 250 * u32::from(self.same_parent(o, n)),
        };
        (content >= MIN_CONTENT && content + position >= MIN_SCORE).then_some(content + position)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Goal, StrategyKind};
    use proptest::prelude::{prop_assert, prop_assert_eq, proptest};
    use proptest::strategy::Strategy as _;

    fn num(s: &str) -> Number {
        Number::parse(s).unwrap_or_else(|e| panic!("{e}"))
    }

    fn objective(number: &str, title: &str, text: &str) -> Objective {
        Objective {
            number: num(number),
            title: title.into(),
            justification: (!text.is_empty()).then(|| text.to_string()),
            linkages: None,
            risks: None,
            links: Vec::new(),
            sub_objectives: Vec::new(),
        }
    }

    /// Inserts an objective under its parent by number (the parent must come first).
    fn place(list: &mut [Objective], o: Objective) -> Option<Objective> {
        let parent = o.number.parent()?;
        for c in list.iter_mut() {
            if c.number == parent {
                c.sub_objectives.push(o);
                return None;
            }
            if o.number.as_str().starts_with(&format!("{}.", c.number)) {
                return place(&mut c.sub_objectives, o);
            }
        }
        Some(o)
    }

    /// A strategy from lines `G 1 | title | narrative`, `O 1.2 | title | narrative`,
    /// `M 1 | title | narrative` (the narrative is optional).
    fn doc(spec: &str) -> Strategy {
        let mut s = Strategy {
            kind: StrategyKind::Ics,
            country: Some("Mali".into()),
            title: "Integrated Country Strategy".into(),
            marking: None,
            approved: None,
            priorities: Vec::new(),
            goals: Vec::new(),
            management_objectives: Vec::new(),
            figures: Vec::new(),
        };
        for line in spec.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let mut parts = line.splitn(3, '|').map(str::trim);
            let head = parts.next().unwrap_or_default();
            let title = parts.next().unwrap_or_default();
            let text = parts.next().unwrap_or_default();
            let (kind, number) = head.split_once(' ').unwrap_or_else(|| panic!("{line}"));
            match kind {
                "G" => s.goals.push(Goal {
                    number: num(number),
                    title: title.into(),
                    description: (!text.is_empty()).then(|| text.to_string()),
                    links: Vec::new(),
                    objectives: Vec::new(),
                }),
                "O" => {
                    let o = objective(number, title, text);
                    let goal = o.number.as_str().split('.').next().map(num);
                    let g = s
                        .goals
                        .iter_mut()
                        .find(|g| Some(&g.number) == goal.as_ref())
                        .unwrap_or_else(|| panic!("no goal for {line}"));
                    if let Some(o) = place(&mut g.objectives, o) {
                        g.objectives.push(o);
                    }
                }
                "M" => s.management_objectives.push(ManagementObjective {
                    number: num(number),
                    title: title.into(),
                    justification: (!text.is_empty()).then(|| text.to_string()),
                    linkages: None,
                    risks: None,
                    links: Vec::new(),
                }),
                _ => panic!("bad line {line}"),
            }
        }
        s
    }

    fn node(s: &str) -> Node {
        s.parse().unwrap_or_else(|e| panic!("{e}"))
    }

    fn id(i: &Identity, n: &str) -> u32 {
        i.get(&node(n))
            .unwrap_or_else(|| panic!("{n} has no id in {i:?}"))
            .0
    }

    /// The first revision's identity and the second's, carried from it.
    fn revise(a: &str, b: &str) -> (Identity, Identity) {
        let (a, b) = (doc(a), doc(b));
        let first = carry(None, &a);
        let second = carry(Some((&a, &first)), &b);
        (first, second)
    }

    const BASE: &str = "
        G 1 | Mali lays the groundwork for a durable peace | Security and stability across the north and centre of the country.
        O 1.1 | Strengthen the capacity of the Malian security forces | Professional forces protect civilians and respect human rights.
        O 1.2 | Advance the implementation of the peace accord | The Algiers accord remains the framework for reconciliation.
        O 1.3 | Reduce the threat of violent extremism | Communities resist recruitment by armed groups in Mopti and Segou.
        G 2 | Mali achieves inclusive economic growth | Private investment and trade create jobs for young Malians.
        O 2.1 | Improve the business climate for U.S. and foreign investment | Reforms of the commercial courts and tax administration.
        O 2.2 | Increase agricultural productivity and resilience | Farmers adopt improved seed, irrigation and storage.
        M 1 | Modernize the embassy's facilities and operations | The new annex and consolidated warehouse serve every agency.
        M 2 | Recruit and retain a skilled local workforce | Competitive compensation and training keep locally employed staff.
    ";

    #[test]
    fn ids_are_written_as_strings_and_read_in_either_form() {
        assert_eq!(
            serde_json::to_string(&ElementId(7)).ok().as_deref(),
            Some("\"e7\"")
        );
        for (json, want) in [
            ("\"e7\"", Some(7)),
            ("7", Some(7)),
            ("\"7\"", None),
            ("\"e07\"", None),
            ("\"ex\"", None),
        ] {
            let got = serde_json::from_str::<ElementId>(json).ok().map(|i| i.0);
            assert_eq!(got, want, "{json}");
        }
    }

    #[test]
    fn first_revision_numbers_ids_in_document_order() {
        let i = carry(None, &doc(BASE));
        let order: Vec<u32> = element_nodes(&doc(BASE))
            .iter()
            .map(|n| id(&i, &n.to_string()))
            .collect();
        assert_eq!(order, (1..=9).collect::<Vec<_>>());
        assert_eq!(i.next, 10);
        assert_eq!(i.next_free(), ElementId(10));
    }

    #[test]
    fn unchanged_keeps_every_id() {
        let (a, b) = revise(BASE, BASE);
        assert_eq!(a, b);
    }

    #[test]
    fn renumbered_after_an_insertion_keeps_its_id() {
        let (a, b) = revise(
            BASE,
            &BASE
                .replace(
                    "O 1.2 | Advance",
                    "O 1.2 | Protect civilians in conflict zones | New.\nO 1.3 | Advance",
                )
                .replace("O 1.3 | Reduce", "O 1.4 | Reduce"),
        );
        assert_eq!(id(&b, "objective:1.3"), id(&a, "objective:1.2"));
        assert_eq!(id(&b, "objective:1.4"), id(&a, "objective:1.3"));
        assert_eq!(id(&b, "objective:1.2"), 10, "the inserted objective is new");
        assert_eq!(id(&b, "goal:2"), id(&a, "goal:2"));
    }

    #[test]
    fn retitled_keeps_its_id() {
        let (a, b) = revise(
            BASE,
            &BASE.replace(
                "Strengthen the capacity of the Malian security forces",
                "Build the capacity and accountability of the Malian security forces",
            ),
        );
        assert_eq!(b, a);
    }

    #[test]
    fn retitled_with_a_new_narrative_keeps_its_id_in_place() {
        let (a, b) = revise(
            BASE,
            &BASE.replace(
                "Increase agricultural productivity and resilience | Farmers adopt improved seed, irrigation and storage.",
                "Increase agricultural resilience | Drought-tolerant crops and insurance for herders.",
            ),
        );
        assert_eq!(id(&b, "objective:2.2"), id(&a, "objective:2.2"));
    }

    #[test]
    fn rewritten_title_with_the_same_narrative_keeps_its_id() {
        let (a, b) = revise(
            BASE,
            &BASE.replace(
                "Modernize the embassy's facilities and operations",
                "Platform",
            ),
        );
        assert_eq!(b, a);
    }

    #[test]
    fn replaced_element_gets_a_fresh_id() {
        let (a, b) = revise(
            BASE,
            &BASE.replace(
                "O 2.2 | Increase agricultural productivity and resilience | Farmers adopt improved seed, irrigation and storage.",
                "O 2.2 | Expand access to electricity | Off-grid solar reaches rural clinics.",
            ),
        );
        assert_eq!(id(&b, "objective:2.2"), 10);
        assert_eq!(b.next, 11);
        assert!(!b.ids.values().any(|&v| v.0 == id(&a, "objective:2.2")));
    }

    #[test]
    fn renumbered_and_retitled_keeps_its_id() {
        let (a, b) = revise(
            BASE,
            &BASE
                .replace(
                    "O 1.2 | Advance the implementation of the peace accord |",
                    "O 1.3 | Advance implementation of the Algiers peace accord |",
                )
                .replace("O 1.3 | Reduce", "O 1.2 | Reduce"),
        );
        assert_eq!(id(&b, "objective:1.3"), id(&a, "objective:1.2"));
        assert_eq!(id(&b, "objective:1.2"), id(&a, "objective:1.3"));
    }

    #[test]
    fn moved_to_another_goal_keeps_its_id() {
        let moved = "O 2.3 | Advance the implementation of the peace accord | The Algiers accord remains the framework for reconciliation.";
        let b = BASE
            .replace("O 1.2 | Advance the implementation of the peace accord | The Algiers accord remains the framework for reconciliation.", "")
            .replace("O 1.3 | Reduce", "O 1.2 | Reduce")
            .replace("M 1 |", &format!("{moved}\nM 1 |"));
        let (a, b) = revise(BASE, &b);
        assert_eq!(id(&b, "objective:2.3"), id(&a, "objective:1.2"));
        assert_eq!(id(&b, "objective:1.2"), id(&a, "objective:1.3"));
        assert_eq!(b.ids.len(), a.ids.len());
        assert_eq!(b.next, a.next);
    }

    #[test]
    fn moved_and_retitled_keeps_its_id() {
        let moved = "O 2.3 | Advance the implementation of the Algiers accord | The Algiers accord remains the framework for reconciliation.";
        let b = BASE
            .replace("O 1.2 | Advance the implementation of the peace accord | The Algiers accord remains the framework for reconciliation.", "")
            .replace("O 1.3 | Reduce", "O 1.2 | Reduce")
            .replace("M 1 |", &format!("{moved}\nM 1 |"));
        let (a, b) = revise(BASE, &b);
        assert_eq!(id(&b, "objective:2.3"), id(&a, "objective:1.2"));
    }

    #[test]
    fn added_elements_get_fresh_ids_in_document_order() {
        let b = BASE.replace(
            "M 1 |",
            "G 3 | Mali's health system withstands epidemics | Surveillance and response.\n\
             O 3.1 | Detect outbreaks early | Laboratories and reporting.\n\
             M 1 |",
        ) + "\nM 3 | Secure the embassy's information systems | Zero trust.";
        let (a, b) = revise(BASE, &b);
        assert_eq!(id(&b, "goal:3"), 10);
        assert_eq!(id(&b, "objective:3.1"), 11);
        assert_eq!(id(&b, "management:3"), 12);
        assert_eq!(b.next, 13);
        for n in ["goal:1", "objective:2.2", "management:2"] {
            assert_eq!(id(&b, n), id(&a, n));
        }
    }

    #[test]
    fn removed_element_ends_and_its_id_is_never_reused() {
        // Management 2 holds the largest id (9); removing it must not free 9.
        let without = BASE.replace(
            "M 2 | Recruit and retain a skilled local workforce | Competitive compensation and training keep locally employed staff.",
            "",
        );
        let (s1, s2) = (doc(BASE), doc(&without));
        let i1 = carry(None, &s1);
        let i2 = carry(Some((&s1, &i1)), &s2);
        assert_eq!(i2.ids.len(), 8);
        assert!(!i2.ids.values().any(|v| v.0 == 9));
        assert_eq!(i2.next_free(), ElementId(10));
        let with_new = without.clone() + "\nM 2 | Reduce the embassy's carbon footprint | Solar.";
        let s3 = doc(&with_new);
        let i3 = carry(Some((&s2, &i2)), &s3);
        assert_eq!(id(&i3, "management:2"), 10, "9 ended with its element");
        // The same holds when the identity went through JSON.
        let json = serde_json::to_string(&i2).unwrap_or_else(|e| panic!("{e}"));
        let back: Identity = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back, i2);
        // An identity written before `next` existed reads with next = 0 and still works.
        let old: Identity =
            serde_json::from_str(r#"{"ids":{"goal:1":3}}"#).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(old.next_free(), ElementId(4));
    }

    #[test]
    fn split_keeps_the_id_with_the_best_match() {
        let base = "
            G 1 | Health | Health.
            O 1.1 | Improve health and education outcomes for children | Clinics and schools in every region.
            O 1.2 | Protect women and girls | Gender-based violence.
        ";
        let split = "
            G 1 | Health | Health.
            O 1.1 | Improve health outcomes for children | Clinics in every region.
            O 1.2 | Improve education outcomes for children | Schools in every region.
            O 1.3 | Protect women and girls | Gender-based violence.
        ";
        let (a, b) = revise(base, split);
        assert_eq!(id(&b, "objective:1.1"), id(&a, "objective:1.1"));
        assert_eq!(id(&b, "objective:1.2"), a.next, "the other half is new");
        assert_eq!(id(&b, "objective:1.3"), id(&a, "objective:1.2"));
    }

    #[test]
    fn merge_keeps_the_best_scoring_old_id() {
        let base = "
            G 1 | Health | Health.
            O 1.1 | Improve health outcomes for children | Clinics in every region.
            O 1.2 | Improve education outcomes for children | Schools in every region.
            O 1.3 | Protect women and girls | Gender-based violence.
        ";
        let merged = "
            G 1 | Health | Health.
            O 1.1 | Improve health and education outcomes for children | Clinics and schools in every region.
            O 1.2 | Protect women and girls | Gender-based violence.
        ";
        let (a, b) = revise(base, merged);
        assert_eq!(id(&b, "objective:1.1"), id(&a, "objective:1.1"));
        assert_eq!(id(&b, "objective:1.2"), id(&a, "objective:1.3"));
        let ended = id(&a, "objective:1.2");
        assert!(
            !b.ids.values().any(|v| v.0 == ended),
            "the other old id ends"
        );
        assert_eq!(b.next, a.next);
    }

    #[test]
    fn promoted_sub_objective_keeps_its_id() {
        let base = "
            G 1 | Security | Peace.
            O 1.1 | Strengthen the security forces | Training.
            O 1.1.1 | Professionalize military justice | Courts martial.
            O 1.2 | Reduce violent extremism | Prevention.
        ";
        let promoted = "
            G 1 | Security | Peace.
            O 1.1 | Strengthen the security forces | Training.
            O 1.2 | Reduce violent extremism | Prevention.
            O 1.3 | Professionalize military justice | Courts martial.
        ";
        let (a, b) = revise(base, promoted);
        assert_eq!(id(&b, "objective:1.3"), id(&a, "objective:1.1.1"));
        assert_eq!(id(&b, "objective:1.2"), id(&a, "objective:1.2"));
        assert_eq!(b.next, a.next);
    }

    #[test]
    fn management_objective_renumbered_keeps_its_id() {
        let b = BASE.replace("M 2 |", "M 3 |").replace("M 1 |", "M 2 |")
            + "\nM 1 | Secure the embassy's information systems | Zero trust.";
        let (a, b) = revise(BASE, &b);
        assert_eq!(id(&b, "management:2"), id(&a, "management:1"));
        assert_eq!(id(&b, "management:3"), id(&a, "management:2"));
        assert_eq!(id(&b, "management:1"), 10);
    }

    #[test]
    fn goal_renumbered_with_its_objectives_keeps_every_id() {
        let swapped = "
            G 1 | Mali achieves inclusive economic growth | Private investment and trade create jobs for young Malians.
            O 1.1 | Improve the business climate for U.S. and foreign investment | Reforms of the commercial courts and tax administration.
            O 1.2 | Increase agricultural productivity and resilience | Farmers adopt improved seed, irrigation and storage.
            G 2 | Mali lays the groundwork for a durable peace | Security and stability across the north and centre of the country.
            O 2.1 | Strengthen the capacity of the Malian security forces | Professional forces protect civilians and respect human rights.
            O 2.2 | Advance the implementation of the peace accord | The Algiers accord remains the framework for reconciliation.
            O 2.3 | Reduce the threat of violent extremism | Communities resist recruitment by armed groups in Mopti and Segou.
            M 1 | Modernize the embassy's facilities and operations | The new annex and consolidated warehouse serve every agency.
            M 2 | Recruit and retain a skilled local workforce | Competitive compensation and training keep locally employed staff.
        ";
        let (a, b) = revise(BASE, swapped);
        for (from, to) in [
            ("goal:1", "goal:2"),
            ("goal:2", "goal:1"),
            ("objective:1.1", "objective:2.1"),
            ("objective:1.2", "objective:2.2"),
            ("objective:1.3", "objective:2.3"),
            ("objective:2.1", "objective:1.1"),
            ("objective:2.2", "objective:1.2"),
        ] {
            assert_eq!(id(&b, to), id(&a, from), "{from} → {to}");
        }
        assert_eq!(b.next, a.next);
    }

    #[test]
    fn repeated_titles_follow_their_parent() {
        let base = "
            G 1 | Peace | Security.
            O 1.1 | Strengthen partnerships | With the ministry of defence.
            G 2 | Prosperity | Growth.
            O 2.1 | Strengthen partnerships | With the chamber of commerce.
        ";
        let swapped = "
            G 1 | Prosperity | Growth.
            O 1.1 | Strengthen partnerships | With the chamber of commerce.
            G 2 | Peace | Security.
            O 2.1 | Strengthen partnerships | With the ministry of defence.
        ";
        let (a, b) = revise(base, swapped);
        assert_eq!(id(&b, "goal:1"), id(&a, "goal:2"));
        assert_eq!(id(&b, "objective:1.1"), id(&a, "objective:2.1"));
        assert_eq!(id(&b, "objective:2.1"), id(&a, "objective:1.1"));
    }

    #[test]
    fn kinds_never_match_each_other() {
        let base = "
            G 1 | Strengthen health systems | Clinics.
            M 1 | Strengthen health systems | Clinics.
        ";
        let b = "
            G 1 | Prosperity | Trade.
            O 1.1 | Strengthen health systems | Clinics.
        ";
        let (a, b) = revise(base, b);
        assert_eq!(id(&b, "goal:1"), 3);
        assert_eq!(id(&b, "objective:1.1"), 4);
        assert_eq!(a.next, 3);
    }

    #[test]
    fn duplicate_numbers_share_one_id() {
        let dup = "
            G 1 | Peace | Security.
            O 1.1 | First | One.
            O 1.1 | Second | Two.
        ";
        let s = doc(dup);
        let i = carry(None, &s);
        assert_eq!(i.ids.len(), 2);
        assert_eq!(carry(Some((&s, &i)), &s), i);
    }

    #[test]
    fn deterministic() {
        let b = BASE
            .replace("Strengthen the capacity", "Build the capacity")
            .replace("O 1.3 |", "O 1.4 |")
            .replace("M 2 |", "M 3 |");
        let (s1, s2) = (doc(BASE), doc(&b));
        let i1 = carry(None, &s1);
        let first = carry(Some((&s1, &i1)), &s2);
        for _ in 0..5 {
            assert_eq!(carry(Some((&s1, &i1)), &s2), first);
        }
    }

    #[test]
    fn large_document_fully_retitled_keeps_every_id() {
        let mut spec = String::new();
        for g in 1..=100 {
            spec.push_str(&format!(
                "G {g} | Goal about topic{g} | Narrative of goal {g}.\n"
            ));
            for o in 1..=100 {
                spec.push_str(&format!(
                    "O {g}.{o} | Improve the delivery of service{g}x{o} in region{o} | Justification of objective {g}.{o} in district{g}.\n"
                ));
            }
        }
        let retitled = spec.replace("Improve the delivery of", "Expand delivery of");
        let (a, b) = revise(&spec, &retitled);
        assert_eq!(a.ids.len(), 10_100);
        assert_eq!(a, b);
    }

    fn arb_doc() -> impl proptest::strategy::Strategy<Value = crate::Strategy> {
        let title = proptest::sample::select(vec![
            "Peace",
            "Growth",
            "Health systems",
            "Strengthen partnerships",
            "Reduce corruption",
            "Improve governance",
            "Security",
            "",
        ]);
        let text = proptest::option::of(proptest::sample::select(vec![
            "Clinics in every region.",
            "Training for forces.",
            "Courts and budgets.",
        ]));
        let objective = (
            title.clone(),
            text.clone(),
            proptest::collection::vec((title.clone(), text.clone()), 0..3),
        );
        let goal = (
            title.clone(),
            text.clone(),
            proptest::collection::vec(objective, 0..4),
        );
        (
            proptest::collection::vec(goal, 1..5),
            proptest::collection::vec((title, text), 0..3),
        )
            .prop_map(|(goals, managements)| {
                let mut spec = String::new();
                for (g, (t, d, objs)) in goals.iter().enumerate() {
                    let g = g + 1;
                    spec.push_str(&format!("G {g} | {t} | {}\n", d.unwrap_or_default()));
                    for (o, (t, d, subs)) in objs.iter().enumerate() {
                        let o = o + 1;
                        spec.push_str(&format!("O {g}.{o} | {t} | {}\n", d.unwrap_or_default()));
                        for (k, (t, d)) in subs.iter().enumerate() {
                            spec.push_str(&format!(
                                "O {g}.{o}.{} | {t} | {}\n",
                                k + 1,
                                d.unwrap_or_default()
                            ));
                        }
                    }
                }
                for (m, (t, d)) in managements.iter().enumerate() {
                    spec.push_str(&format!("M {} | {t} | {}\n", m + 1, d.unwrap_or_default()));
                }
                doc(&spec)
            })
    }

    fn unique(i: &Identity) -> bool {
        let mut seen: Vec<u32> = i.ids.values().map(|v| v.0).collect();
        seen.sort_unstable();
        seen.windows(2).all(|w| w[0] != w[1]) && seen.iter().all(|&v| v < i.next_free().0)
    }

    proptest! {
        #[test]
        fn unchanged_input_keeps_every_id(s in arb_doc()) {
            let first = carry(None, &s);
            prop_assert!(unique(&first));
            prop_assert_eq!(first.ids.len(), element_nodes(&s).len());
            let again = carry(Some((&s, &first)), &s);
            prop_assert_eq!(&again, &first);
        }

        #[test]
        fn ids_stay_unique_across_any_edit(a in arb_doc(), b in arb_doc(), c in arb_doc()) {
            let ia = carry(None, &a);
            let ib = carry(Some((&a, &ia)), &b);
            let ic = carry(Some((&b, &ib)), &c);
            prop_assert!(unique(&ib));
            prop_assert!(unique(&ic));
            prop_assert!(ib.next >= ia.next && ic.next >= ib.next);
            // An id that ended in b never comes back in c.
            for v in ia.ids.values() {
                if !ib.ids.values().any(|w| w == v) {
                    prop_assert!(!ic.ids.values().any(|w| w == v), "{} came back", v);
                }
            }
        }
    }
}
