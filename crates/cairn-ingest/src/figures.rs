//! Key figures: quantities in the narrative (money with its fiscal year, people, percentages).

use cairn_core::{Figure, Strategy};

/// Every figure in the strategy's narrative, in document order.
pub fn collect(_strategy: &Strategy) -> Vec<Figure> {
    Vec::new()
}
