//! Bureau codes and the names documents use for them.

/// Regional bureaus: code and official name.
pub const REGIONAL: &[(&str, &str)] = &[
    ("AF", "Bureau of African Affairs"),
    ("EAP", "Bureau of East Asian and Pacific Affairs"),
    ("EUR", "Bureau of European and Eurasian Affairs"),
    ("NEA", "Bureau of Near Eastern Affairs"),
    ("SCA", "Bureau of South and Central Asian Affairs"),
    ("WHA", "Bureau of Western Hemisphere Affairs"),
];

/// Other words documents use for a regional bureau ("Africa Bureau's Joint Regional Strategy",
/// "AF/AFR Joint Regional Strategy"), lower-case, longest first within a bureau.
pub const REGIONAL_ALIASES: &[(&str, &str)] = &[
    ("AF", "bureau of african affairs"),
    ("AF", "african affairs"),
    ("AF", "africa bureau"),
    ("AF", "african"),
    ("AF", "africa"),
    ("AF", "af/afr"),
    ("AF", "afr"),
    ("EAP", "bureau of east asian and pacific affairs"),
    ("EAP", "east asian and pacific affairs"),
    ("EAP", "east asia and the pacific"),
    ("EAP", "east asian and pacific"),
    ("EAP", "east asia and pacific"),
    ("EAP", "east asia"),
    ("EUR", "bureau of european and eurasian affairs"),
    ("EUR", "european and eurasian affairs"),
    ("EUR", "european and eurasian"),
    ("EUR", "europe and eurasia"),
    ("EUR", "europe"),
    ("NEA", "bureau of near eastern affairs"),
    ("NEA", "near eastern affairs"),
    ("NEA", "near eastern"),
    ("NEA", "near east"),
    ("SCA", "bureau of south and central asian affairs"),
    ("SCA", "south and central asian affairs"),
    ("SCA", "south and central asian"),
    ("SCA", "south and central asia"),
    ("WHA", "bureau of western hemisphere affairs"),
    ("WHA", "western hemisphere affairs"),
    ("WHA", "western hemisphere"),
];

/// Functional bureaus and offices with a strategy of their own: code and name as documents
/// write it (lower-case, without "Bureau of").
pub const FUNCTIONAL: &[(&str, &str)] = &[
    ("A", "administration"),
    ("AVC", "arms control, verification, and compliance"),
    ("AVC", "arms control, verification and compliance"),
    ("CA", "consular affairs"),
    ("CDP", "cyberspace and digital policy"),
    ("CGFS", "comptroller and global financial services"),
    ("CSO", "conflict and stabilization operations"),
    ("CT", "counterterrorism"),
    ("DRL", "democracy, human rights, and labor"),
    ("DRL", "democracy, human rights and labor"),
    ("DS", "diplomatic security"),
    ("EB", "economic and business affairs"),
    ("ECA", "educational and cultural affairs"),
    ("ENR", "energy resources"),
    ("GPA", "global public affairs"),
    ("GHSD", "global health security and diplomacy"),
    ("GTM", "global talent management"),
    ("GWI", "global women's issues"),
    ("INL", "international narcotics and law enforcement affairs"),
    ("INL", "international narcotics and law enforcement"),
    ("IO", "international organization affairs"),
    ("IRM", "information resource management"),
    ("ISN", "international security and nonproliferation"),
    ("MED", "medical services"),
    ("OBO", "overseas buildings operations"),
    (
        "OES",
        "oceans and international environmental and scientific affairs",
    ),
    ("PM", "political-military affairs"),
    ("PRM", "population, refugees, and migration"),
    ("PRM", "population, refugees and migration"),
    ("TIP", "trafficking in persons"),
];

/// The official name of a regional bureau code.
pub fn regional_name(code: &str) -> Option<&'static str> {
    REGIONAL.iter().find(|(c, _)| *c == code).map(|(_, n)| *n)
}

/// Whether `code` names a regional bureau.
pub fn is_regional(code: &str) -> bool {
    regional_name(code).is_some()
}

/// Whether `code` names a functional bureau Cairn knows.
pub fn is_functional(code: &str) -> bool {
    FUNCTIONAL.iter().any(|(c, _)| *c == code)
}
