//! Renders a strategy in the official layout: cover with marking, table of contents, the four
//! sections.
