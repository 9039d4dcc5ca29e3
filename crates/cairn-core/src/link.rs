//! Links from an element to a higher strategy, and the canonical target grammar (PRODUCT.md §2):
//! `AF-JRS/goal/1`, `DRL-FBS/objective/2.1`, `JSP/goal/3`, `NSS`, `CDCS/do/1`, `CDCS/spo`,
//! `initiative/PEPFAR`, `strategy/WPS`, `strategy/us-strategy-on-countering-corruption`.

use std::fmt;
use std::str::FromStr;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::Number;
use crate::bureau;

/// One resolved reference from an element's narrative (or title) to a higher strategy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Link {
    pub target: Target,
    pub relation: Relation,
    /// The words of the document the link was read from, verbatim.
    pub text: String,
}

/// How the element relates to the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Relation {
    /// A Linkages or Description statement: the element contributes to the target.
    Supports,
    /// A CDCS marker in the title ("(CDCS DO1)"): the element *is* the target.
    Equivalent,
}

/// A higher framework a mission strategy can point at. Targets are relative to the document:
/// `CDCS` is this mission's CDCS, `AF-JRS` the JRS in force for the strategy's period.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Framework {
    /// A regional bureau's Joint Regional Strategy, by bureau code (`AF`).
    Jrs(String),
    /// A functional bureau's strategy, by bureau code (`CA`, `DRL`).
    Fbs(String),
    Jsp,
    Nss,
    Cdcs,
}

/// A numbered element inside a framework.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Element {
    Goal(Number),
    Objective(Number),
    /// A CDCS Development Objective.
    Do(Number),
    /// A CDCS Special Objective.
    Spo,
}

/// A canonical link target.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    /// A framework as a whole (`NSS`, `AF-JRS`) or one of its elements (`AF-JRS/goal/1`).
    Framework(Framework, Option<Element>),
    /// A presidential initiative by its acronym as written (`initiative/PEPFAR`).
    Initiative(String),
    /// Another named strategy, by acronym or kebab-case name (`strategy/WPS`).
    Strategy(String),
}

/// Why a string is not a canonical link target.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{value:?} is not a link target: {reason}")]
pub struct TargetError {
    pub value: String,
    pub reason: &'static str,
}

impl fmt::Display for Framework {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Jrs(code) => write!(f, "{code}-JRS"),
            Self::Fbs(code) => write!(f, "{code}-FBS"),
            Self::Jsp => f.write_str("JSP"),
            Self::Nss => f.write_str("NSS"),
            Self::Cdcs => f.write_str("CDCS"),
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Framework(fw, None) => write!(f, "{fw}"),
            Self::Framework(fw, Some(Element::Goal(n))) => write!(f, "{fw}/goal/{n}"),
            Self::Framework(fw, Some(Element::Objective(n))) => write!(f, "{fw}/objective/{n}"),
            Self::Framework(fw, Some(Element::Do(n))) => write!(f, "{fw}/do/{n}"),
            Self::Framework(fw, Some(Element::Spo)) => write!(f, "{fw}/spo"),
            Self::Initiative(a) => write!(f, "initiative/{a}"),
            Self::Strategy(a) => write!(f, "strategy/{a}"),
        }
    }
}

fn is_code(s: &str) -> bool {
    !s.is_empty() && s.len() <= 8 && s.bytes().all(|b| b.is_ascii_uppercase())
}

fn is_kebab_or_acronym(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

impl FromStr for Target {
    type Err = TargetError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = |reason| TargetError {
            value: s.to_string(),
            reason,
        };
        let mut parts = s.splitn(3, '/');
        let head = parts.next().unwrap_or_default();
        let kind = parts.next();
        let rest = parts.next();
        match head {
            "initiative" | "strategy" => {
                let name = kind.filter(|n| is_kebab_or_acronym(n) && rest.is_none());
                let name = name.ok_or_else(|| err("expected one acronym or kebab-case name"))?;
                return Ok(if head == "initiative" {
                    Self::Initiative(name.into())
                } else {
                    Self::Strategy(name.into())
                });
            }
            _ => {}
        }
        let framework = match head {
            "JSP" => Framework::Jsp,
            "NSS" => Framework::Nss,
            "CDCS" => Framework::Cdcs,
            _ => match head.split_once('-') {
                Some((code, "JRS")) if bureau::regional_name(code).is_some() => {
                    Framework::Jrs(code.into())
                }
                Some((code, "FBS")) if is_code(code) => Framework::Fbs(code.into()),
                _ => return Err(err("unknown framework")),
            },
        };
        let number = |r: Option<&str>| {
            r.and_then(|n| Number::parse(n).ok())
                .ok_or_else(|| err("expected a dotted number after the element kind"))
        };
        let element = match (kind, &framework) {
            (None, _) => None,
            (Some("goal"), _) => Some(Element::Goal(number(rest)?)),
            (Some("objective"), _) => Some(Element::Objective(number(rest)?)),
            (Some("do"), Framework::Cdcs) => Some(Element::Do(number(rest)?)),
            (Some("spo"), Framework::Cdcs) if rest.is_none() => Some(Element::Spo),
            _ => return Err(err("unknown element kind for this framework")),
        };
        Ok(Self::Framework(framework, element))
    }
}

crate::serde_as_string!(Target);

impl JsonSchema for Target {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Target".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "Canonical link target: AF-JRS/goal/1, CA-FBS/objective/2.1, JSP/goal/3, NSS, CDCS/do/1, CDCS/spo, initiative/PEPFAR, strategy/WPS",
            "pattern": "^(([A-Z]{1,8}-(JRS|FBS)|JSP|NSS|CDCS)(/(goal|objective|do)/[0-9.]+|/spo)?|(initiative|strategy)/[A-Za-z0-9-]+)$"
        })
    }
}

/// Makes a kebab-case name for a strategy that has no acronym ("U.S. Strategy on Countering
/// Corruption" → "us-strategy-on-countering-corruption").
pub fn kebab_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for word in name.split(|c: char| !(c.is_alphanumeric() || c == '.' || c == '\'' || c == '’'))
    {
        let w: String = word
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect();
        if w.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&w);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_strings_round_trip() {
        for s in [
            "AF-JRS",
            "AF-JRS/goal/1",
            "AF-JRS/objective/3.1",
            "CA-FBS/goal/2",
            "DRL-FBS/objective/2.1",
            "JSP/goal/3",
            "JSP/objective/3.1",
            "NSS",
            "CDCS/do/1",
            "CDCS/spo",
            "initiative/PEPFAR",
            "strategy/WPS",
            "strategy/us-strategy-on-countering-corruption",
        ] {
            let t: Target = s.parse().unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(t.to_string(), s);
        }
    }

    #[test]
    fn rejects_malformed_targets() {
        for s in [
            "",
            "XX-JRS",
            "AF-JRS/goal",
            "AF-JRS/goal/x",
            "NSS/spo",
            "AF-JRS/do/1",
            "initiative/",
            "strategy/a/b",
            "af-jrs",
            "CDCS/spo/1",
        ] {
            assert!(s.parse::<Target>().is_err(), "{s} accepted");
        }
    }

    #[test]
    fn kebab_names() {
        assert_eq!(
            kebab_name("U.S. Strategy on Countering Corruption"),
            "us-strategy-on-countering-corruption"
        );
        assert_eq!(
            kebab_name("National Strategy on Gender Equity and Equality"),
            "national-strategy-on-gender-equity-and-equality"
        );
        assert_eq!(kebab_name("Sahel Strategy"), "sahel-strategy");
        assert_eq!(
            kebab_name("Women's Economic Strategy"),
            "womens-economic-strategy"
        );
    }
}
