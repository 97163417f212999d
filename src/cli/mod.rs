//! The command line: one module per subcommand, each with its usage on top.
//!
//! All help and messages are Dutch. Exit codes (also in the README):
//! 0 klaar, 1 interne fout, 2 verkeerde aanroep, 3 onbruikbaar invoerbestand,
//! 4 configuratiefout, 5 controle gevonden (audit, --strikt), 6 schrijffout,
//! 7 sjabloonfout, 8 registerfout.

pub mod analyse;
pub mod audit;
pub mod bench;
pub mod check;
pub mod demo;
pub mod evaluate;
pub mod init;
pub mod report;
pub mod sample;
pub mod signals;

use crate::error::{Error, Result};
use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};
use std::io::IsTerminal;
use std::path::PathBuf;

const HELP_TEMPLATE: &str = "{before-help}{name} {version}\n{about-with-newline}\n{usage-heading} {usage}\n\n{all-args}{after-help}";

/// rodedraad: signaalanalyse en rapportage voor de Belangenbehartiger voor Belastingplichtigen en Toeslaggerechtigden.
#[derive(Parser, Debug)]
#[command(
    name = "rodedraad",
    version,
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true,
    help_template = HELP_TEMPLATE,
    after_help = "Afsluitcodes: 0 klaar, 1 interne fout, 2 verkeerde aanroep, 3 onbruikbaar invoerbestand, 4 configuratiefout, 5 controle vond iets, 6 schrijffout, 7 sjabloonfout, 8 registerfout."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Toon deze hulp.
    #[arg(short = 'h', long = "help", action = clap::ArgAction::Help, global = true)]
    help: Option<bool>,
    /// Toon het versienummer.
    #[arg(short = 'V', long = "versie", action = clap::ArgAction::Version)]
    version: Option<bool>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Draai de hele keten op de ingebouwde voorbeelddata (rapporten onder reports/demo).
    Demo(demo::DemoArgs),
    /// Controleer casus- en signaalexports en schrijf de quarantaine en controle.json.
    #[command(name = "controleer", alias = "check")]
    Check(check::CheckArgs),
    /// Maak een begin-rodedraad.toml voor een nieuwe export.
    #[command(name = "inrichten", alias = "init")]
    Init(init::InitArgs),
    /// Bereken de indicatoren en zoek de rode draden over een periode.
    #[command(name = "analyse", alias = "analyseer")]
    Analyse(analyse::AnalyseArgs),
    /// Maak de Kamerrapportage of de interne kwartaalanalyse.
    #[command(name = "rapport", alias = "report")]
    Report(report::ReportArgs),
    /// Controleer een uitvoermap op persoonsgegevens en kleine aantallen.
    Audit(audit::AuditArgs),
    /// Meet precisie en recall van de rode draden tegen geplante draden.
    #[command(name = "evalueer", alias = "evaluate")]
    Evaluate(evaluate::EvaluateArgs),
    /// Signalenregister: importeren, rode draden doorzetten, status, export naar KSM en IBTD.
    #[command(name = "signalen", alias = "signals")]
    Signals(signals::SignalsArgs),
    /// Maak synthetische voorbeelddata met geplante rode draden.
    #[command(name = "voorbeeld", alias = "sample")]
    Sample(sample::SampleArgs),
    /// Meet de snelheid op een grote synthetische set.
    #[command(name = "meet", alias = "bench")]
    Bench(bench::BenchArgs),
}

/// Options shared by commands that read exports.
#[derive(Args, Debug, Clone)]
pub struct InputArgs {
    /// Casusbestand (CSV, XLSX of Parquet).
    #[arg(long = "casussen", alias = "cases", value_name = "BESTAND")]
    pub cases: PathBuf,
    /// Signaalbestand (CSV, XLSX of Parquet).
    #[arg(long = "signalen", alias = "signals", value_name = "BESTAND")]
    pub signals: Option<PathBuf>,
    /// Configuratiebestand (rodedraad.toml); zonder: de ingebouwde standaard.
    #[arg(long, value_name = "BESTAND")]
    pub config: Option<PathBuf>,
    /// Exportdatum (jjjj-mm-dd): geen datum in de data mag later zijn. Standaard vandaag.
    #[arg(long = "exportdatum", value_name = "DATUM", value_parser = parse_date_arg)]
    pub export_date: Option<chrono::NaiveDate>,
}

/// The period options shared by `analyse` and `report`.
#[derive(Args, Debug, Clone)]
pub struct PeriodArgs {
    /// Periode: 2025, 2026-H1, 2026-Q3 of 2026-01-01..2026-06-30.
    #[arg(long = "periode", alias = "period", value_name = "P")]
    pub period: crate::analyse::period::Period,
    /// Peildatum (jjjj-mm-dd); standaard het einde van de periode.
    #[arg(long = "peildatum", value_name = "DATUM", value_parser = parse_date_arg)]
    pub reference_date: Option<chrono::NaiveDate>,
}

impl InputArgs {
    /// The exports named by these options, for the pipeline.
    pub fn sources(&self) -> crate::pipeline::Sources {
        crate::pipeline::Sources {
            cases: self.cases.clone(),
            signals: self.signals.clone(),
            export_date: self.export_date,
        }
    }

    pub fn export_date(&self) -> chrono::NaiveDate {
        self.export_date
            .unwrap_or_else(|| chrono::Local::now().date_naive())
    }
}

/// Parses a date argument (ISO or dd-mm-jjjj).
pub fn parse_date_arg(s: &str) -> std::result::Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| chrono::NaiveDate::parse_from_str(s, "%d-%m-%Y"))
        .map_err(|_| format!("\"{s}\" is geen datum; gebruik jjjj-mm-dd, bijvoorbeeld 2026-06-30"))
}

/// Whether progress bars may be drawn (a terminal, not a pipe or CI).
pub fn interactive() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("CI").is_none()
}

/// A spinner on a terminal, nothing in a pipe.
pub fn progress(msg: &str) -> indicatif::ProgressBar {
    if interactive() {
        let pb = indicatif::ProgressBar::new_spinner();
        pb.set_message(msg.to_string());
        pb.enable_steady_tick(std::time::Duration::from_millis(120));
        pb
    } else {
        indicatif::ProgressBar::hidden()
    }
}

/// Runs the analysis of `when` with a spinner on a terminal; the spinner is returned
/// so the command can go on showing its own steps.
pub fn analyse_with_progress(
    input: &InputArgs,
    when: &PeriodArgs,
    cfg: &crate::config::Config,
) -> Result<(crate::analyse::Analysis, indicatif::ProgressBar)> {
    let pb = progress("invoer inlezen en controleren");
    let an = crate::pipeline::analyse(
        &input.sources(),
        &when.period,
        when.reference_date,
        cfg,
        &|m| pb.set_message(m.to_string()),
    )?;
    Ok((an, pb))
}

/// clap writes a few fixed English words in its help; this puts them in Dutch (also
/// where clap wrapped the line right after the word).
pub fn dutch_help(help: &str) -> String {
    static BRACKETS: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"\[(default|aliases|alias|possible values):(\s)").unwrap()
    });
    let help = BRACKETS.replace_all(help, |c: &regex::Captures| {
        let word = match &c[1] {
            "default" => "standaard",
            "possible values" => "mogelijke waarden",
            _ => "ook",
        };
        format!("[{word}:{}", &c[2])
    });
    help.replace("Usage:", "Gebruik:")
        .replace("Options:", "Opties:")
        .replace("Commands:", "Opdrachten:")
        .replace("Arguments:", "Argumenten:")
        .replace("<COMMAND>", "<OPDRACHT>")
        .replace("[OPTIONS]", "[OPTIES]")
}

fn dutch_clap_error(e: &clap::Error) -> String {
    use clap::error::{ContextKind, ErrorKind};
    let ctx = |k| e.get(k).map(|v| v.to_string()).unwrap_or_default();
    let what = match e.kind() {
        ErrorKind::UnknownArgument => format!("onbekende optie {}", ctx(ContextKind::InvalidArg)),
        ErrorKind::InvalidSubcommand => {
            format!("onbekende opdracht {}", ctx(ContextKind::InvalidSubcommand))
        }
        ErrorKind::MissingRequiredArgument => format!(
            "verplichte optie ontbreekt: {}",
            ctx(ContextKind::InvalidArg)
        ),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "geef een opdracht op, bijvoorbeeld: rodedraad demo".to_string()
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => format!(
            "ongeldige waarde {} voor {}",
            ctx(ContextKind::InvalidValue),
            ctx(ContextKind::InvalidArg)
        ),
        ErrorKind::ArgumentConflict => {
            format!("opties gaan niet samen: {}", ctx(ContextKind::InvalidArg))
        }
        ErrorKind::TooManyValues => {
            format!("te veel waarden voor {}", ctx(ContextKind::InvalidArg))
        }
        _ => "ongeldige aanroep".to_string(),
    };
    let detail = match e.kind() {
        clap::error::ErrorKind::ValueValidation => {
            e.source().map(|s| format!(": {s}")).unwrap_or_default()
        }
        _ => String::new(),
    };
    format!("fout: {what}{detail}\nGebruik 'rodedraad --help' of 'rodedraad <opdracht> --help' voor de mogelijkheden.")
}

use std::error::Error as _;

/// Replaces Rust's English panic message by a Dutch one with a bug hint; the
/// process then exits with code 1 (interne fout) instead of 101.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let place = info
            .location()
            .map(|l| format!(" ({}:{})", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "fout: interne fout: rodedraad is onverwacht gestopt{place}: {what}\nDit is een fout in rodedraad, niet in uw invoer. Meld het aan het ontwikkelteam met de opdracht en (een deel van) de invoer."
        );
        std::process::exit(1);
    }));
}

/// Runs the command line and returns the process exit code.
pub fn main() -> i32 {
    let matches = match Cli::command().try_get_matches() {
        Ok(m) => m,
        Err(e) => {
            use clap::error::ErrorKind;
            return match e.kind() {
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
                    print!("{}", dutch_help(&e.render().to_string()));
                    0
                }
                _ => {
                    eprintln!("{}", dutch_clap_error(&e));
                    2
                }
            };
        }
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{}", dutch_clap_error(&e));
            return 2;
        }
    };
    match run(cli.command) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("fout: {e}");
            e.exit_code()
        }
    }
}

/// Runs one command; `Ok(code)` lets a command finish with a non-zero code on purpose.
pub fn run(cmd: Command) -> Result<i32> {
    match cmd {
        Command::Demo(a) => demo::run(a),
        Command::Check(a) => check::run(a),
        Command::Init(a) => init::run(a),
        Command::Analyse(a) => analyse::run(a),
        Command::Report(a) => report::run(a),
        Command::Audit(a) => audit::run(a),
        Command::Evaluate(a) => evaluate::run(a),
        Command::Signals(a) => signals::run(a),
        Command::Sample(a) => sample::run(a),
        Command::Bench(a) => bench::run(a),
    }
}

/// Loads the config of an [`InputArgs`].
pub fn load_config(path: Option<&std::path::Path>) -> Result<crate::config::Config> {
    crate::config::Config::load_or_default(path)
}

pub(crate) fn usage_error(m: impl Into<String>) -> Error {
    Error::Usage(m.into())
}
