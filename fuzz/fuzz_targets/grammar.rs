//! The small grammars of the core: element numbers, link targets, nodes, fiscal years. Each
//! must never panic, and whatever parses must print back to a string that parses the same.
#![no_main]

use cairn_core::figure::Node;
use cairn_core::period::FiscalYear;
use cairn_core::{Number, Target};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|s: &str| {
    if let Ok(n) = Number::parse(s) {
        assert_eq!(Number::parse(&n.to_string()).ok(), Some(n));
    }
    if let Ok(t) = s.parse::<Target>() {
        assert_eq!(t.to_string().parse::<Target>().ok(), Some(t));
    }
    if let Ok(n) = s.parse::<Node>() {
        assert_eq!(n.to_string().parse::<Node>().ok(), Some(n));
    }
    if let Ok(fy) = s.parse::<FiscalYear>() {
        assert_eq!(fy.to_string().parse::<FiscalYear>().ok(), Some(fy));
    }
});
