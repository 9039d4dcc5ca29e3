//! Eight bytes at a time ("SWAR"), for the scans that every byte of the narrative goes
//! through: `zero_bytes(x)` flags the bytes of `x` that are zero, `bytes_below(x, n)` those
//! below `n` (bytes of 0x80 and above never). Flags above the first true one may be false
//! alarms (borrows), but the lowest flag is exact and no flag appears without a true one.

const ONES: u64 = 0x0101_0101_0101_0101;
pub(crate) const HIGHS: u64 = 0x8080_8080_8080_8080;

pub(crate) fn bytes_below(x: u64, n: u8) -> u64 {
    x.wrapping_sub(ONES * u64::from(n)) & !x & HIGHS
}

pub(crate) fn zero_bytes(x: u64) -> u64 {
    bytes_below(x, 1)
}

pub(crate) fn splat(c: u8) -> u64 {
    ONES * u64::from(c)
}

/// Eight bytes from `b[i..]`, the first in the lowest lane.
pub(crate) fn load(b: &[u8], i: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&b[i..i + 8]);
    u64::from_le_bytes(w)
}

/// Flags the ASCII letters among the bytes of `x`, each flag exact.
pub(crate) fn letters(x: u64) -> u64 {
    // Lowercase, then 'a' <= byte <= 'z' in seven-bit lanes (no carry crosses a lane).
    let y = x | splat(0x20);
    let low = y & splat(0x7f);
    (splat(127 + b'z' + 1) - low) & !y & (low + splat(127 - (b'a' - 1))) & HIGHS
}

/// The first byte at or after `i` that is not an ASCII letter (the end of `b` when none).
pub(crate) fn next_non_letter(b: &[u8], mut i: usize) -> usize {
    while i + 8 <= b.len() {
        let m = !letters(load(b, i)) & HIGHS;
        if m != 0 {
            return i + (m.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    (i..b.len())
        .find(|&k| !b[k].is_ascii_alphabetic())
        .unwrap_or(b.len())
}
