//! Command-line grammar.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Cairn turns a mission's Integrated Country Strategy into a living, measurable plan.
#[derive(Debug, Parser)]
#[command(name = "cairn", version, about)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub struct Global {
    /// Database URL: sqlite://PATH (relative), sqlite:///ABSOLUTE/PATH or
    /// postgres://USER@HOST:PORT/DB.
    #[arg(
        long,
        global = true,
        env = "CAIRN_DATABASE_URL",
        default_value = "sqlite://cairn.db"
    )]
    pub db: String,
    /// Who is acting, recorded in revisions and the audit trail [default: $CAIRN_ACTOR, else
    /// the OS user].
    #[arg(long, global = true, env = "CAIRN_ACTOR")]
    pub actor: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read a strategy document (text or Markdown) and print it as JSON.
    Parse {
        /// The document: text extracted from the published PDF, or Markdown.
        file: PathBuf,
    },
    /// Report what is wrong with a strategy document, or with a mission's stored revision.
    Check {
        /// A document's path, or a stored mission's slug.
        target: String,
        /// With a mission: check this revision instead of the latest.
        #[arg(long)]
        rev: Option<u32>,
        /// Print {"diagnostics": [...]} instead of human-readable lines.
        #[arg(long)]
        json: bool,
    },
    /// Render a strategy in its official layout.
    Render {
        file: PathBuf,
        #[arg(long, value_enum)]
        format: Format,
        /// Refuse unless the whole output may be released to the public.
        #[arg(long)]
        public: bool,
        /// Write here instead of stdout (atomically: all or nothing).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Print the JSON Schema of `cairn parse` output.
    Schema,
    /// Store a document as its mission's next revision.
    Import {
        file: PathBuf,
        /// The mission's slug [default: from the document's country, e.g. mali].
        #[arg(long)]
        mission: Option<String>,
        /// The mission's regional bureau code when the import creates it (AF, EUR, …).
        #[arg(long)]
        bureau: Option<String>,
        /// Why: recorded with the revision.
        #[arg(short, long)]
        message: Option<String>,
        /// The revision this import builds on [default: the latest when the command starts];
        /// refused if someone stored another revision since.
        #[arg(long)]
        base: Option<u32>,
        #[arg(long)]
        json: bool,
    },
    /// List the missions.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Show a mission's strategy at a revision, with stable element ids.
    Show {
        mission: String,
        #[arg(long)]
        rev: Option<u32>,
        #[arg(long)]
        json: bool,
    },
    /// A mission's revisions: who stored what, when and why.
    History {
        mission: String,
        #[arg(long)]
        json: bool,
    },
    /// What changed between two revisions of a mission.
    Diff {
        mission: String,
        from: u32,
        to: u32,
        #[arg(long)]
        json: bool,
    },
    /// Store a new revision equal to an earlier one.
    Revert {
        mission: String,
        rev: u32,
        #[arg(short, long)]
        message: Option<String>,
    },
    /// Change a mission's settings.
    Mission {
        #[command(subcommand)]
        command: MissionCommand,
    },
    /// The audit trail.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Change one field of a mission's strategy (the new text comes from --value or stdin).
    Edit {
        mission: String,
        /// The element: priorities, goal:1, objective:1.2, management:1.
        node: String,
        /// title, description, justification, linkages, risks or priorities.
        field: String,
        /// The new text [default: read from stdin].
        #[arg(long)]
        value: Option<String>,
        /// Why: recorded with the revision.
        #[arg(short, long)]
        message: String,
        /// The revision this edit builds on [default: the latest].
        #[arg(long)]
        base: Option<u32>,
    },
    /// Run the web application and the HTTP API.
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: String,
        /// On an empty database: import the sample Mali ICS and create an admin whose
        /// one-time password is printed once.
        #[arg(long)]
        demo: bool,
        /// Mark cookies Secure (when a TLS proxy sits in front).
        #[arg(long)]
        secure_cookies: bool,
    },
    /// Indicators: import their reference sheets from CSV.
    Indicator {
        #[command(subcommand)]
        command: IndicatorCommand,
    },
    /// Baselines, targets and actuals: import and export CSV.
    Data {
        #[command(subcommand)]
        command: DataCommand,
    },
    /// Milestones (dated deliverables): import, export and list.
    Milestone {
        #[command(subcommand)]
        command: MilestoneCommand,
    },
    /// Where a mission stands in a fiscal year: every indicator rated, rolled up.
    Status {
        mission: String,
        /// The fiscal year: 2023 means FY2023 (Oct 1 2022 – Sep 30 2023).
        #[arg(long)]
        fy: Option<u32>,
        #[arg(long)]
        json: bool,
    },
    /// User accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Database administration.
    Db {
        #[command(subcommand)]
        command: DbCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum MissionCommand {
    /// Set a mission's bureau or country.
    Set {
        mission: String,
        #[arg(long)]
        bureau: Option<String>,
        #[arg(long)]
        country: Option<String>,
        /// The settings version this change builds on; refused if they changed since.
        #[arg(long)]
        base_version: Option<u32>,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Print every entry, oldest first.
    Log {
        #[arg(long)]
        json: bool,
    },
    /// Check the hash chain and that every revision has its entry; exit 1 naming the first
    /// bad entry.
    Verify {
        /// The head hash recorded earlier (e.g. by an auditor): also prove nothing was cut off.
        #[arg(long)]
        head: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum IndicatorCommand {
    /// Add or update indicators from CSV (mission,element,code,title,unit,direction,frequency,…);
    /// every row is checked first and nothing is written when any is wrong.
    Import {
        file: PathBuf,
        /// Check only; write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Turn a key figure of the narrative into a context indicator, with the figure as its
    /// data point and the sentence as source. Figures are numbered f1, f2, … in the latest
    /// revision (`cairn show MISSION --json` lists them with their ids).
    FromFigure {
        mission: String,
        /// The figure's id: f7 (or 7).
        figure: String,
        /// The indicator's code [default: CTX-F<n>].
        #[arg(long)]
        code: Option<String>,
        /// Its title [default: made from the figure's subject and text].
        #[arg(long)]
        title: Option<String>,
        /// The element it belongs to: 3, 3.2, M1 [default: where the figure stands].
        #[arg(long)]
        element: Option<String>,
        /// The period the figure stands for: FY2022, 2022, … [default: the year its sentence names].
        #[arg(long)]
        period: Option<String>,
        /// Which way is better.
        #[arg(long, default_value = "increase")]
        direction: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum DataCommand {
    /// Add or correct data from CSV (mission,indicator,period,kind,value,[dimensions…],[source,note]);
    /// every row is checked first and nothing is written when any is wrong.
    Import {
        file: PathBuf,
        /// Why (kept with every corrected value) [default: import FILE].
        #[arg(short, long)]
        message: Option<String>,
        #[arg(long)]
        dry_run: bool,
    },
    /// Every value an indicator's data has had: who set or corrected it, when and why.
    History {
        mission: String,
        indicator: String,
        #[arg(long)]
        json: bool,
    },
    /// Write the data in the import format.
    Export {
        #[arg(long)]
        mission: Option<String>,
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum MilestoneCommand {
    /// Add or update milestones from CSV (mission,element,code,title,due,status,[note,marking]);
    /// every row is checked first and nothing is written when any is wrong.
    Import {
        file: PathBuf,
        /// Check only; write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Write the milestones in the import format.
    Export {
        #[arg(long)]
        mission: Option<String>,
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// A mission's milestones with every status each has had.
    List {
        mission: String,
        /// Also rate each for this fiscal year (2023 means FY2023).
        #[arg(long)]
        fy: Option<u32>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user; without --password-stdin, prints a one-time password to change at first
    /// sign-in.
    Add {
        name: String,
        /// viewer, editor, approver or admin.
        #[arg(long, default_value = "viewer")]
        role: String,
        /// Read the password from the first line of stdin.
        #[arg(long)]
        password_stdin: bool,
    },
    /// List users.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Disable a user (ends their sessions).
    Disable { name: String },
    /// Enable a disabled user.
    Enable { name: String },
    /// Change a user's role.
    SetRole { name: String, role: String },
    /// Set a new password (one-time unless --password-stdin); ends their sessions.
    ResetPassword {
        name: String,
        #[arg(long)]
        password_stdin: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Create or upgrade the schema (every command does this on first use).
    Migrate,
    /// Check the database's integrity, its references and the audit chain.
    Check,
    /// Write a consistent copy of everything to FILE while writers run.
    Backup { file: PathBuf },
    /// Load a backup into an empty database.
    Restore { file: PathBuf },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Md,
    Html,
    Pdf,
}
