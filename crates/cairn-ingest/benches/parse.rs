//! Parse throughput of the importer (`cairn_ingest::parse`), in bytes of input per second.
//!
//! - `parse_seed`: the reference document, samples/mali-ics-2022.txt (28 KB).
//! - `parse_corpus`: 1,000 generated documents of varied depth, layout and size (see
//!   `corpus/mod.rs`); one iteration parses the whole corpus.
//! - `parse_large` / `parse_large_1_5mb`: one generated ~15 MB document and one a tenth of its
//!   size, to show that the time grows linearly with the size.
//! - `line_scan_seed` / `line_scan_corpus`: a plain scan of the same bytes that counts lines and
//!   non-blank lines, as a reference for what "reading the bytes once" costs on this machine.
//!
//! Every generated document is parsed once and checked against what was generated (tree,
//! titles, narrative text, no diagnostics) before anything is timed.
//!
//! Run: `cargo bench -p cairn-ingest --bench parse` (or `bench/parse` for a summary).

mod corpus;

use std::sync::LazyLock;

use divan::counter::BytesCount;
use divan::{Bencher, black_box};

/// Seeds the generator; fixed so that every run measures the same bytes.
const CORPUS_SEED: u64 = 0x00C0_FFEE_CA12_0001;
const CORPUS_DOCS: usize = 1_000;
const LARGE_BYTES: usize = 15_000_000;

fn main() {
    divan::main();
}

static SEED: LazyLock<Vec<u8>> = LazyLock::new(|| {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../samples/mali-ics-2022.txt"
    );
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    if let Err(e) = cairn_ingest::parse(&bytes) {
        panic!("the seed does not parse: {e}");
    }
    bytes
});

static CORPUS: LazyLock<Vec<corpus::Doc>> = LazyLock::new(|| {
    let docs = corpus::corpus(CORPUS_SEED, CORPUS_DOCS);
    let failures: Vec<String> = docs
        .iter()
        .enumerate()
        .filter_map(|(i, d)| {
            corpus::check(d)
                .err()
                .map(|e| format!("document {i} ({}): {e}", d.variant))
        })
        .collect();
    if !failures.is_empty() {
        panic!(
            "{} of {} generated documents do not read back as generated:\n{}",
            failures.len(),
            docs.len(),
            failures.join("\n")
        );
    }
    let bytes: usize = docs.iter().map(|d| d.bytes.len()).sum();
    let goals: usize = docs.iter().map(|d| d.spec.goals.len()).sum();
    let objectives: usize = docs.iter().map(|d| d.spec.objectives().len()).sum();
    eprintln!(
        "corpus: {} documents, {:.2} MB, {goals} goals, {objectives} objectives and sub-objectives; \
         sizes {:.1}–{:.1} KB; all read back as generated",
        docs.len(),
        bytes as f64 / 1e6,
        docs.iter().map(|d| d.bytes.len()).min().unwrap_or(0) as f64 / 1e3,
        docs.iter().map(|d| d.bytes.len()).max().unwrap_or(0) as f64 / 1e3,
    );
    docs
});

fn large(target: usize) -> corpus::Doc {
    let doc = corpus::large(CORPUS_SEED, target);
    if let Err(e) = corpus::check(&doc) {
        panic!(
            "the large document ({} bytes) does not read back: {e}",
            doc.bytes.len()
        );
    }
    eprintln!(
        "large document: {:.2} MB, {} goals, {} objectives and sub-objectives",
        doc.bytes.len() as f64 / 1e6,
        doc.spec.goals.len(),
        doc.spec.objectives().len()
    );
    doc
}

static LARGE: LazyLock<corpus::Doc> = LazyLock::new(|| large(LARGE_BYTES));
static LARGE_TENTH: LazyLock<corpus::Doc> = LazyLock::new(|| large(LARGE_BYTES / 10));

/// The reference: lines and non-blank lines.
fn line_scan(bytes: &[u8]) -> (usize, usize) {
    let mut lines = 0;
    let mut non_blank = 0;
    for l in bytes.split(|&b| b == b'\n') {
        lines += 1;
        if !l.iter().all(u8::is_ascii_whitespace) {
            non_blank += 1;
        }
    }
    (lines, non_blank)
}

fn parse_ok(bytes: &[u8]) -> bool {
    cairn_ingest::parse(black_box(bytes)).is_ok()
}

#[divan::bench]
fn parse_seed(bencher: Bencher) {
    let seed = SEED.as_slice();
    bencher
        .counter(BytesCount::of_slice(seed))
        .bench(|| black_box(parse_ok(seed)));
}

#[divan::bench]
fn line_scan_seed(bencher: Bencher) {
    let seed = SEED.as_slice();
    bencher
        .counter(BytesCount::of_slice(seed))
        .bench(|| black_box(line_scan(black_box(seed))));
}

fn corpus_bytes() -> usize {
    CORPUS.iter().map(|d| d.bytes.len()).sum()
}

#[divan::bench(sample_count = 20)]
fn parse_corpus(bencher: Bencher) {
    let docs = &*CORPUS;
    bencher
        .counter(BytesCount::new(corpus_bytes()))
        .bench(|| docs.iter().filter(|d| parse_ok(&d.bytes)).count());
}

#[divan::bench(sample_count = 20)]
fn line_scan_corpus(bencher: Bencher) {
    let docs = &*CORPUS;
    bencher.counter(BytesCount::new(corpus_bytes())).bench(|| {
        docs.iter()
            .map(|d| line_scan(black_box(&d.bytes)).1)
            .sum::<usize>()
    });
}

#[divan::bench(sample_count = 20)]
fn parse_large(bencher: Bencher) {
    let doc = &*LARGE;
    bencher
        .counter(BytesCount::of_slice(&doc.bytes))
        .bench(|| parse_ok(&doc.bytes));
}

#[divan::bench(sample_count = 20)]
fn parse_large_1_5mb(bencher: Bencher) {
    let doc = &*LARGE_TENTH;
    bencher
        .counter(BytesCount::of_slice(&doc.bytes))
        .bench(|| parse_ok(&doc.bytes));
}
