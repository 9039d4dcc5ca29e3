//! The `cairn` binary from the outside: the public contracts of PRODUCT.md §3. One test target;
//! `acceptance/` holds copies of the shared acceptance expectations, asserted in `document`.

mod accounts;
mod document;
mod milestones;
mod monitoring;
mod store;
mod support;
