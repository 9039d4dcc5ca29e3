//! `serve --demo`: an empty database gets the sample Mali ICS, its illustrative indicators and
//! data, and an administrator whose one-time password is printed once.

use cairn_app::{Base, ImportRequest};
use cairn_core::Role;
use cairn_store::{Slug, Store, Username};

/// The sample document, as published (see samples/README.md).
pub const SAMPLE: &str = include_str!("../../../samples/mali-ics-2022.txt");

/// Illustrative indicators and data for the sample (see samples/README.md): every title says
/// "Illustrative", except two context indicators that carry the ICS's own figures.
pub const DEMO_INDICATORS: &str = include_str!("../../../samples/demo-indicators.csv");
pub const DEMO_DATA: &str = include_str!("../../../samples/demo-data.csv");
/// Illustrative milestones for the demo (samples/README.md says so).
pub const DEMO_MILESTONES: &str = include_str!("../../../samples/demo-milestones.csv");

/// The demo administrator's name.
pub const ADMIN: &str = "admin";

/// What seeding did.
#[derive(Debug)]
pub enum Seeded {
    /// The database already held data: nothing was added.
    AlreadyThere,
    /// The sample was imported and the admin created with this one-time password.
    Fresh { one_time_password: String },
}

/// Seeds an empty database.
pub fn seed(store: &dyn Store) -> Result<Seeded, Box<dyn std::error::Error + Send + Sync>> {
    if !store.missions()?.is_empty() || !store.users()?.is_empty() {
        return Ok(Seeded::AlreadyThere);
    }
    cairn_app::import::import(
        store,
        ImportRequest {
            bytes: SAMPLE.as_bytes(),
            mission: Some(Slug::parse("mali")?),
            bureau: Some("AF".into()),
            message: "demo: the Mali ICS as published".into(),
            base: Base::Expect(None),
            actor: "demo".into(),
        },
    )?;
    cairn_app::monitoring::import_indicators(
        store,
        None,
        DEMO_INDICATORS.as_bytes(),
        "demo",
        false,
    )?;
    cairn_app::monitoring::import_data(
        store,
        None,
        DEMO_DATA.as_bytes(),
        "demo",
        "demo: illustrative data and the ICS's own figures",
        false,
    )?;
    cairn_app::milestones::import_milestones(
        store,
        None,
        DEMO_MILESTONES.as_bytes(),
        "demo",
        false,
    )?;
    let (_, otp) = cairn_app::accounts::add_user(
        store,
        Username::parse(ADMIN)?,
        Role::Admin,
        None,
        "demo".into(),
    )?;
    Ok(Seeded::Fresh {
        one_time_password: otp.unwrap_or_default(),
    })
}
