//! The importer on arbitrary bytes: it must never panic, and what it reads must render and
//! read back without panicking either.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(parsed) = cairn_ingest::parse(data) {
        let md = cairn_render::markdown(&parsed.strategy);
        let _ = cairn_render::html(&parsed.strategy);
        let _ = cairn_ingest::parse(md.as_bytes());
    }
});
