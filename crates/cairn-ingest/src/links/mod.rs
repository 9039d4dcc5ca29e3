//! Linkages → links: reads references to higher strategies out of narrative text (PRODUCT.md
//! §2, "Link targets").
//!
//! One linear pass of a hand-written tokenizer per text, then three readers over its tokens:
//! [`framework`] finds mentions of the JRS, FBS, JSP, NSS and CDCS with the bureau their words
//! name; [`refs`] reads element lists ("Goals 1, 3, and 4") and binds each to the mention it
//! belongs to ("… of the Africa Bureau's Joint Regional Strategy", "AF JRS Objectives …", "…
//! and its objectives …"); [`names`] reads initiatives and other named strategies. A mention
//! no numbered reference binds to yields the framework alone. What cannot be bound yields
//! nothing: the text stays verbatim beside the links.

mod framework;
mod names;
mod refs;
mod token;

#[cfg(test)]
mod tests;

use std::collections::HashSet;
use std::hash::Hash;

use cairn_core::link::Element;
use cairn_core::{Link, Objective, Relation, Strategy, Target};

use framework::{Family, Fw, Mention};
use names::Named;
use refs::Bound;
use token::{Text, Tok};

/// Fills every element's `links`: goals from their Description, objectives (at any depth)
/// from their Linkages and the CDCS marker of their title ("(CDCS DO1)", an `equivalent`
/// link), management objectives from their Linkages. Earlier links are replaced.
pub fn resolve(strategy: &mut Strategy) {
    let mut reader = Reader::default();
    fill(strategy, &mut reader);
    // Rare: a JRS named without its bureau ("the JRS"). Read again once the document's
    // bureau is known, rather than scanning every text for it up front.
    if reader.unresolved_jrs {
        reader.jrs_bureau = document_bureau(strategy, &mut reader);
        if reader.jrs_bureau.is_some() {
            fill(strategy, &mut reader);
        }
    }
}

fn fill(strategy: &mut Strategy, reader: &mut Reader) {
    for goal in &mut strategy.goals {
        goal.links = match &goal.description {
            Some(text) => reader.read(text),
            None => Vec::new(),
        };
        for objective in &mut goal.objectives {
            resolve_objective(objective, reader);
        }
    }
    for m in &mut strategy.management_objectives {
        m.links = match &m.linkages {
            Some(text) => reader.read(text),
            None => Vec::new(),
        };
    }
}

/// The `supports` links of one Linkages or Description text. `jrs_bureau` is the regional
/// bureau a JRS named without one belongs to ("the JRS"); without it such mentions yield
/// nothing.
pub fn read(text: &str, jrs_bureau: Option<&str>) -> Vec<Link> {
    let mut reader = Reader {
        jrs_bureau: jrs_bureau.map(str::to_string),
        ..Reader::default()
    };
    reader.read(text)
}

/// The `equivalent` links of an objective's title: its CDCS marker ("(CDCS DO1)" →
/// `CDCS/do/1`, "(CDCS SpO)" → `CDCS/spo`).
pub fn read_title(title: &str) -> Vec<Link> {
    Reader::default().read_title(title)
}

fn resolve_objective(objective: &mut Objective, reader: &mut Reader) {
    let mut links = reader.read_title(&objective.title);
    if let Some(text) = &objective.linkages {
        // Titles seldom carry a marker: then the text's links are all.
        let read = reader.read(text);
        if links.is_empty() {
            links = read;
        } else {
            links.extend(read);
        }
    }
    objective.links = dedupe(links, |l| &l.target);
    for sub in &mut objective.sub_objectives {
        resolve_objective(sub, reader);
    }
}

/// The regional bureau of the document's JRS when every JRS it names with a bureau names the
/// same one.
fn document_bureau(strategy: &Strategy, reader: &mut Reader) -> Option<String> {
    let mut found: Option<String> = None;
    let mut several = false;
    let mut visit = |text: &str, reader: &mut Reader| {
        if several || !(text.contains("JRS") || text.contains("egional")) {
            return;
        }
        for code in reader.jrs_bureaus(text) {
            match &found {
                Some(f) if *f != code => several = true,
                Some(_) => {}
                None => found = Some(code),
            }
        }
    };
    for p in &strategy.priorities {
        visit(p, reader);
    }
    for g in &strategy.goals {
        visit(&g.title, reader);
        for text in g.description.iter() {
            visit(text, reader);
        }
        for o in g.objectives.iter().flat_map(Objective::walk) {
            visit(&o.title, reader);
            for text in [&o.justification, &o.linkages, &o.risks]
                .into_iter()
                .flatten()
            {
                visit(text, reader);
            }
        }
    }
    for m in &strategy.management_objectives {
        visit(&m.title, reader);
        for text in [&m.justification, &m.linkages, &m.risks]
            .into_iter()
            .flatten()
        {
            visit(text, reader);
        }
    }
    if several { None } else { found }
}

/// Keeps the first item to each target.
fn dedupe<T, K: Hash + Eq + Clone>(mut items: Vec<T>, target: impl Fn(&T) -> &K) -> Vec<T> {
    // Texts hold a handful of links: comparing beats hashing until there are many.
    if items.len() <= 32 {
        let mut kept = 0;
        for k in 0..items.len() {
            if !items[..kept].iter().any(|x| target(x) == target(&items[k])) {
                items.swap(kept, k);
                kept += 1;
            }
        }
        items.truncate(kept);
        return items;
    }
    let mut seen = HashSet::with_capacity(items.len());
    items.retain(|x| seen.insert(target(x).clone()));
    items
}

/// Buffers reused from text to text, so that reading allocates little beyond the links.
#[derive(Default)]
struct Reader {
    jrs_bureau: Option<String>,
    /// Whether a JRS without a bureau was met while `jrs_bureau` was unknown.
    unresolved_jrs: bool,
    toks: Vec<Tok>,
    mentions: Vec<Mention>,
    bound: Vec<Bound>,
    named: Vec<Named>,
    claimed: Vec<bool>,
}

/// A link found in a text: where it sorts, what it points at and the tokens it was read
/// from. The target is built only for the links kept.
struct Found<'a> {
    pos: usize,
    key: Key<'a>,
    from: usize,
    to: usize,
}

/// What a found link points at, borrowed from what the text yielded.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Key<'a> {
    /// A framework's element.
    Element(Fw<'a>, &'a Element),
    /// A framework as a whole.
    Whole(Fw<'a>),
    /// An initiative or a named strategy.
    Named(&'a Target),
}

impl Key<'_> {
    fn target(self) -> Target {
        match self {
            Key::Element(fw, e) => Target::Framework(fw.framework(), Some(e.clone())),
            Key::Whole(fw) => Target::Framework(fw.framework(), None),
            Key::Named(t) => t.clone(),
        }
    }
}

impl Reader {
    fn jrs_bureaus(&mut self, src: &str) -> Vec<String> {
        token::tokenize(src, &mut self.toks);
        let t = Text {
            src,
            toks: &self.toks,
        };
        framework::find(&t, &mut self.mentions);
        self.mentions
            .iter()
            .filter(|m| m.family == Family::Jrs)
            .filter_map(|m| m.bureau.clone())
            .collect()
    }

    /// Tokenizes `src` and finds its mentions and bound references.
    fn scan(&mut self, src: &str) {
        token::tokenize(src, &mut self.toks);
        let t = Text {
            src,
            toks: &self.toks,
        };
        framework::find(&t, &mut self.mentions);
        self.bound.clear();
        refs::bind(&t, &self.mentions, &mut self.bound);
    }

    fn framework_of(&self, mention: Option<usize>) -> Option<Fw<'_>> {
        match mention {
            None => Some(Fw::Cdcs),
            Some(m) => self
                .mentions
                .get(m)
                .and_then(|m| m.framework(self.jrs_bureau.as_deref())),
        }
    }

    fn read(&mut self, src: &str) -> Vec<Link> {
        self.scan(src);
        if self.jrs_bureau.is_none() {
            self.unresolved_jrs |= self
                .mentions
                .iter()
                .any(|m| m.family == Family::Jrs && m.bureau.is_none());
        }
        self.claimed.clear();
        self.claimed.resize(self.toks.len(), false);
        for m in &self.mentions {
            for c in self.claimed.iter_mut().take(m.end).skip(m.start) {
                *c = true;
            }
        }
        let t = Text {
            src,
            toks: &self.toks,
        };
        self.named.clear();
        names::find(&t, &mut self.claimed, &mut self.named);
        let mut found: Vec<Found> =
            Vec::with_capacity(self.bound.len() + self.mentions.len() + self.named.len());
        let mut numbered: Vec<Fw> = Vec::new();
        for b in &self.bound {
            if let Some(fw) = self.framework_of(b.mention) {
                if !numbered.contains(&fw) {
                    numbered.push(fw);
                }
                found.push(Found {
                    pos: b.pos,
                    key: Key::Element(fw, &b.element),
                    from: b.from,
                    to: b.to,
                });
            }
        }
        // A framework no numbered reference binds to is referred to as a whole.
        for m in &self.mentions {
            if let Some(fw) = m.framework(self.jrs_bureau.as_deref())
                && !numbered.contains(&fw)
            {
                found.push(Found {
                    pos: m.start,
                    key: Key::Whole(fw),
                    from: m.start,
                    to: m.end,
                });
            }
        }
        found.extend(self.named.iter().map(|n| Found {
            pos: n.from,
            key: Key::Named(&n.target),
            from: n.from,
            to: n.to,
        }));
        // Stable: at one position, element lists keep their written order.
        found.sort_by_key(|f| f.pos);
        dedupe(found, |f| &f.key)
            .into_iter()
            .map(|f| Link {
                target: f.key.target(),
                relation: Relation::Supports,
                text: t.span(f.from, f.to).to_string(),
            })
            .collect()
    }

    fn read_title(&mut self, src: &str) -> Vec<Link> {
        // Most titles carry no marker: skip them without tokenizing.
        let marker = ["DO", "Sp", "SP", "pecial", "evelopment"];
        if !marker.iter().any(|m| src.contains(m)) {
            return Vec::new();
        }
        self.scan(src);
        let t = Text {
            src,
            toks: &self.toks,
        };
        let links = self
            .bound
            .iter()
            .filter(|b| matches!(b.element, Element::Do(_) | Element::Spo))
            .filter(|b| self.framework_of(b.mention) == Some(Fw::Cdcs))
            .map(|b| {
                let (from, to) = parenthesised(&t, b.from, b.to);
                Link {
                    target: Target::Framework(Fw::Cdcs.framework(), Some(b.element.clone())),
                    relation: Relation::Equivalent,
                    text: t.span(from, to).to_string(),
                }
            })
            .collect();
        dedupe(links, |l| &l.target)
    }
}

/// Widens tokens `from..to` to the parentheses close around them ("(CDCS DO1)").
fn parenthesised(t: &Text, from: usize, to: usize) -> (usize, usize) {
    let open = (0..from)
        .rev()
        .take(4)
        .take_while(|&k| !t.punct(k, ")"))
        .find(|&k| t.punct(k, "("));
    let close = (to..t.len())
        .take(4)
        .take_while(|&k| !t.punct(k, "("))
        .find(|&k| t.punct(k, ")"));
    match (open, close) {
        (Some(o), Some(c)) => (o, c + 1),
        _ => (from, to),
    }
}
