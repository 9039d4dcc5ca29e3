//! The small grammars of the core: element numbers, link targets, nodes, fiscal years and
//! periods. Each must never panic, and whatever parses must print back to a string that parses
//! the same.
#![no_main]

use cairn_core::figure::Node;
use cairn_core::period::{CalendarYear, FiscalQuarter, FiscalYear, Month, Period};
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
    match s.parse::<Period>() {
        Ok(p) => {
            // The grammar is strict: what parses is already the canonical text.
            assert_eq!(p.to_string(), s);
            assert_eq!(p.to_string().parse::<Period>().ok(), Some(p));
            assert!(p.start() <= p.end() && p.contains(&p));
            if let Some(fy) = p.fiscal_year() {
                assert!(Period::FiscalYear(fy).contains(&p));
            }
            for q in [p.checked_previous(), p.checked_next()]
                .into_iter()
                .flatten()
            {
                assert_eq!(q.to_string().parse::<Period>().ok(), Some(q));
            }
            // Each kind's own parser agrees with the shared one.
            assert_eq!(
                s.parse::<FiscalYear>().ok().map(Period::from),
                Some(p).filter(|p| matches!(p, Period::FiscalYear(_)))
            );
            assert_eq!(
                s.parse::<FiscalQuarter>().ok().map(Period::from),
                Some(p).filter(|p| matches!(p, Period::FiscalQuarter(_)))
            );
            assert_eq!(
                s.parse::<Month>().ok().map(Period::from),
                Some(p).filter(|p| matches!(p, Period::Month(_)))
            );
            assert_eq!(
                s.parse::<CalendarYear>().ok().map(Period::from),
                Some(p).filter(|p| matches!(p, Period::CalendarYear(_)))
            );
        }
        Err(e) => assert!(s.parse::<FiscalYear>().is_err() && e.value == s),
    }
});
