//! The command line: arguments in, validated options once, exit code out.
//!
//! Everything a user can get wrong is caught here or in policy loading and reported with exit
//! code 2 — before any scanning starts.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::policy::{self, FailOn, Policy};
use crate::report::{self, Content, Format, RenderOptions};
use crate::rules;
use crate::scan::{self, Progress, ScanOptions};

/// Exit codes.
pub const EXIT_CLEAN: i32 = 0;
pub const EXIT_FINDINGS: i32 = 1;
pub const EXIT_ERROR: i32 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "aibom",
    version,
    about = "Bill of materials and compliance checks for AI/ML repositories",
    max_term_width = 100
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan a repository and report findings.
    Scan(ScanArgs),
    /// Write the bill of materials only (inventory and relations, no findings).
    Bom(ScanArgs),
    /// Write the audit report for legal and compliance readers (`--format html|md`, default
    /// html): verdict, inventory, licence obligations, attribution, lineage, personal data,
    /// prompts, agent tools, exceptions. Exit code 0 unless `--fail-on` is given.
    Report(ScanArgs),
    /// List the rules, or explain one.
    Rules(RulesArgs),
    /// List the licence database, or show one licence's terms.
    Licenses(LicensesArgs),
    /// Write a starter aibom.toml: project questions, one [[tool]] entry per agent tool found
    /// (with its inferred tier), and corpus and model skeletons. Never overwrites a file.
    Init(crate::init::InitArgs),
    /// Print the keyed hash (`hmac:<hex>`) of an email address or phone number read from
    /// standard input, as the erasure log stores subjects. The key comes from an environment
    /// variable; the value is never echoed.
    HashSubject(crate::privacy::cli::HashSubjectArgs),
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// The repository to scan.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Config file (default: aibom.toml at the repository root, if present).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Output format for standard output (and for a plain `--output FILE`).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write output to FILE, or FORMAT=FILE; repeat for several outputs in one run.
    #[arg(long, value_name = "[FORMAT=]FILE")]
    pub output: Vec<String>,
    /// Lowest severity that makes the exit code 1 (default: error, or `fail_on` in the config).
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Worker threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// Do not read or write the caches (hashes, corpus statistics, personal-data reports).
    #[arg(long)]
    pub no_cache: bool,
    /// Pre-commit mode: scan the staged files (read from the git index) and what they relate
    /// to; report findings on the staged files only.
    #[arg(long, conflicts_with = "since")]
    pub staged: bool,
    /// Pull-request mode: report only findings on artefacts changed since the merge base of
    /// REF and HEAD.
    #[arg(long, value_name = "REF")]
    pub since: Option<String>,
    /// Print findings only: no inventory, no summary, no progress bar.
    #[arg(long, short)]
    pub quiet: bool,
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Extra licence records (an organisation's own), layered over the built-in database.
    #[arg(long, value_name = "DIR")]
    pub license_db: Option<PathBuf>,
    /// Resolve external parents' licences through a local Hugging Face cache (default:
    /// $HF_HUB_CACHE, $HF_HOME/hub, ~/.cache/huggingface/hub).
    #[arg(long, value_name = "DIR", num_args = 0..=1, require_equals = true, default_missing_value = "")]
    pub hf_cache: Option<PathBuf>,
    /// Also ask the Hugging Face Hub about external parents (honours HF_ENDPOINT and HF_TOKEN).
    /// Nothing else uses the network.
    #[arg(long)]
    pub online: bool,
    /// Accepted findings: those whose fingerprint is in FILE are suppressed and do not fail.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Write every current finding to FILE as a baseline (the exit code is then 0). Needs a
    /// full scan: a baseline of the staged or changed files alone would drop the others.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["staged", "since"])]
    pub write_baseline: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// A rule code to explain (e.g. MOD001).
    pub code: Option<String>,
    /// Print the full rule reference as Markdown (the source of docs/rules.md).
    #[arg(long)]
    pub markdown: bool,
}

#[derive(Debug, Args)]
pub struct LicensesArgs {
    /// A licence id, Hugging Face id or alias to show (e.g. llama-3.1).
    pub id: Option<String>,
    /// Extra licence records, layered over the built-in database.
    #[arg(long, value_name = "DIR")]
    pub license_db: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Run the command line and return the exit code.
pub fn run(cli: Cli) -> i32 {
    match cli.command {
        Command::Scan(args) => run_scan(args, Content::Scan),
        Command::Bom(args) => run_scan(args, Content::BomOnly),
        Command::Report(args) => run_report(args),
        Command::Rules(args) => run_rules(args),
        Command::Licenses(args) => run_licenses(args),
        Command::Init(args) => crate::init::run(args),
        Command::HashSubject(args) => crate::privacy::cli::run(args),
    }
}

/// `aibom report`: a scan whose outputs are the audit report (HTML unless `--format md`).
fn run_report(mut args: ScanArgs) -> i32 {
    // `--output md=FILE` alone writes only that file; standard output and plain `--output FILE`
    // get HTML unless `--format` says otherwise.
    let plain_output = args.output.iter().any(|spec| !spec.contains('='));
    if args.format.is_none() && (args.output.is_empty() || plain_output) {
        args.format = Some(Format::Html);
    }
    let other = |f: Format| !matches!(f, Format::Html | Format::Md);
    let named = args
        .output
        .iter()
        .filter_map(|spec| spec.split_once('=').and_then(|(f, _)| Format::parse(f)));
    if args.format.is_some_and(other) || named.into_iter().any(other) {
        eprintln!(
            "error: `aibom report` writes html or md; use `aibom scan` or `aibom bom` for other formats"
        );
        return EXIT_ERROR;
    }
    args.fail_on.get_or_insert(FailOn::Never);
    run_scan(args, Content::Scan)
}

fn run_rules(args: RulesArgs) -> i32 {
    let mut stdout = std::io::stdout().lock();
    let text = match (&args.code, args.markdown) {
        (_, true) => rules::render_docs(),
        (Some(code), false) => match rules::find(code) {
            Some(rule) => rules::render_doc(rule.meta()),
            None => {
                eprintln!("error: no rule has the code `{code}`; `aibom rules` lists them");
                return EXIT_ERROR;
            }
        },
        (None, false) => {
            let mut s = String::new();
            for rule in rules::registry::RULES {
                let m = rule.meta();
                s.push_str(&format!(
                    "{}  {:<32} {:<8} {}\n",
                    m.code,
                    m.name,
                    m.default_severity.as_str(),
                    m.summary
                ));
            }
            s
        }
    };
    let _ = stdout.write_all(text.as_bytes());
    EXIT_CLEAN
}

fn load_license_db(dir: Option<&Path>) -> Result<crate::license::LicenseDb, i32> {
    let db = match dir {
        Some(dir) => crate::license::LicenseDb::with_overlay(dir),
        None => crate::license::LicenseDb::embedded(),
    };
    db.map_err(|e| {
        eprintln!("error: {e}");
        EXIT_ERROR
    })
}

fn run_licenses(args: LicensesArgs) -> i32 {
    let db = match load_license_db(args.license_db.as_deref()) {
        Ok(db) => db,
        Err(code) => return code,
    };
    let text = match &args.id {
        None => crate::license::render::list(&db),
        Some(id) => match db.lookup(id) {
            Some(record) => crate::license::render::show(record),
            None => {
                eprintln!("error: no licence `{id}` in the database; `aibom licenses` lists them");
                return EXIT_ERROR;
            }
        },
    };
    // Records may come from a `--license-db` folder: its text is shown, never obeyed.
    let text = crate::report::visible::lines(&text);
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    EXIT_CLEAN
}

/// One requested output: a format and where it goes (`None` = stdout).
struct OutputTarget {
    format: Format,
    file: Option<PathBuf>,
}

fn parse_outputs(args: &ScanArgs) -> Result<Vec<OutputTarget>, String> {
    let default_format = args.format.unwrap_or(Format::Human);
    let mut targets = Vec::new();
    let mut plain_file = false;
    for spec in &args.output {
        match spec.split_once('=') {
            Some((format, file)) => {
                let format = Format::parse(format)
                    .ok_or_else(|| format!("unknown output format `{format}` in `--output {spec}` (expected human, json, sarif, cyclonedx, spdx, html or md)"))?;
                if file.is_empty() {
                    return Err(format!("`--output {spec}` names no file"));
                }
                targets.push(OutputTarget {
                    format,
                    file: Some(PathBuf::from(file)),
                });
            }
            None => {
                plain_file = true;
                targets.push(OutputTarget {
                    format: default_format,
                    file: Some(PathBuf::from(spec)),
                });
            }
        }
    }
    if targets.is_empty() || (!plain_file && args.format.is_some()) {
        targets.insert(
            0,
            OutputTarget {
                format: default_format,
                file: None,
            },
        );
    }
    Ok(targets)
}

fn load_policy(args: &ScanArgs, db: &crate::license::LicenseDb) -> Result<Policy, i32> {
    let path = match &args.config {
        Some(p) => Some(p.clone()),
        None => Some(args.path.join("aibom.toml")).filter(|p| p.is_file()),
    };
    // `--staged` checks the commit being made: the staged config, when there is one.
    let staged_text = match (&path, args.staged, &args.config) {
        (Some(path), true, None) => {
            crate::git::staged_text(&args.path, "aibom.toml").map(|text| (text, path.clone()))
        }
        _ => None,
    };
    if let Some((text, path)) = staged_text {
        return policy::config::load_text_with_license_db(text, &path, db.clone()).map_err(|e| {
            eprintln!("{:?}", miette::Report::new(e.visible()));
            EXIT_ERROR
        });
    }
    match path {
        None => Ok(Policy::default()),
        Some(path) => policy::config::load_with_license_db(&path, db.clone()).map_err(|e| {
            eprintln!("{:?}", miette::Report::new(e.visible()));
            EXIT_ERROR
        }),
    }
}

static PROGRESS: Progress = Progress {
    total_bytes: AtomicU64::new(0),
    done_bytes: AtomicU64::new(0),
};

/// One pool of worker threads for the scan and the rendering of its reports: `--jobs` bounds
/// both.
fn run_scan(args: ScanArgs, content: Content) -> i32 {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.map_or(0, |jobs| jobs.max(1)))
        .build();
    match pool {
        Ok(pool) => pool.install(|| scan_and_report(args, content)),
        Err(e) => {
            eprintln!("error: cannot start worker threads: {e}");
            EXIT_ERROR
        }
    }
}

fn scan_and_report(args: ScanArgs, content: Content) -> i32 {
    let targets = match parse_outputs(&args) {
        Ok(t) => t,
        Err(message) => {
            eprintln!("error: {message}");
            return EXIT_ERROR;
        }
    };
    if content == Content::BomOnly && targets.iter().any(|t| t.format == Format::Sarif) {
        eprintln!(
            "error: SARIF holds findings, not a bill of materials; use `aibom scan --format sarif`"
        );
        return EXIT_ERROR;
    }
    let license_db = match load_license_db(args.license_db.as_deref()) {
        Ok(db) => db,
        Err(code) => return code,
    };
    let policy = match load_policy(&args, &license_db) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let fail_on = args.fail_on.or(policy.fail_on).unwrap_or(FailOn::Error);
    let show_progress = !args.quiet && std::io::stderr().is_terminal();
    let mut options = ScanOptions::new(&args.path);
    options.policy = policy;
    options.cache_dir = if args.no_cache {
        None
    } else {
        crate::hash::default_cache_dir()
    };
    options.progress = Some(&PROGRESS);
    options.changes = match (&args.staged, &args.since) {
        (true, _) => crate::git::ChangeScope::Staged,
        (false, Some(reference)) => crate::git::ChangeScope::Since(reference.clone()),
        (false, None) => crate::git::ChangeScope::All,
    };
    options.license_db = Some(std::sync::Arc::new(license_db));
    options.hf_cache = match &args.hf_cache {
        Some(dir) if dir.as_os_str().is_empty() => crate::license::hf_cache::default_dir(),
        other => other.clone(),
    };
    options.online = args.online.then(crate::license::hub::Hub::from_env);
    if let Some(path) = &args.baseline {
        match crate::suppression::Baseline::load(path) {
            Ok(baseline) => {
                options.baseline = Some(crate::suppression::BaselineInput {
                    baseline,
                    path: scan::display_relative(&args.path, path),
                })
            }
            Err(e) => {
                eprintln!("error: cannot read baseline {}: {e}", path.display());
                return EXIT_ERROR;
            }
        }
    }

    let ticker = show_progress.then(spawn_progress_bar);
    let result = scan::scan(options);
    if let Some((stop, handle)) = ticker {
        drop(stop);
        let _ = handle.join();
    }
    // The process ends right after this function: freeing the inventory and findings one
    // allocation at a time would only delay the exit (a few percent of a small scan).
    let result = match result {
        Ok(r) => std::mem::ManuallyDrop::new(r),
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_ERROR;
        }
    };

    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        }
    };
    for target in &targets {
        let render = RenderOptions {
            content,
            color: color && target.file.is_none(),
            quiet: args.quiet,
        };
        let reporter = report::reporter(target.format);
        let written = match &target.file {
            None => {
                let mut out = std::io::BufWriter::new(std::io::stdout().lock());
                reporter
                    .render(&result, &render, &mut out)
                    .and_then(|()| out.flush())
            }
            Some(path) => write_file(path, |out| reporter.render(&result, &render, out)),
        };
        if let Err(e) = written {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                break;
            }
            let to = target
                .file
                .as_deref()
                .map_or("standard output".to_owned(), |p| p.display().to_string());
            eprintln!("error: cannot write {to}: {e}");
            return EXIT_ERROR;
        }
    }
    if let Some(path) = &args.write_baseline {
        // Hygiene findings (EXC*) are fixed, never accepted: a baseline of them would go stale.
        let baseline = crate::suppression::Baseline::from_findings(
            result
                .findings
                .iter()
                .filter(|f| !f.code.starts_with("EXC"))
                .chain(
                    result
                        .suppressed
                        .iter()
                        .filter(|s| {
                            s.suppression.kind == crate::suppression::SuppressionKind::Baseline
                        })
                        .map(|s| &s.finding),
                ),
        );
        let written = write_file(path, |out| {
            serde_json::to_writer_pretty(&mut *out, &baseline)?;
            out.write_all(b"\n")
        });
        if let Err(e) = written {
            eprintln!("error: cannot write {}: {e}", path.display());
            return EXIT_ERROR;
        }
        return EXIT_CLEAN;
    }
    if content == Content::Scan && result.findings.iter().any(|f| fail_on.fails(f.severity)) {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}

fn write_file(
    path: &Path,
    render: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    render(&mut out)?;
    out.flush()
}

/// A progress bar on stderr that appears only once a scan has run for a second.
fn spawn_progress_bar() -> (mpsc::Sender<()>, std::thread::JoinHandle<()>) {
    let (stop, stopped) = mpsc::channel::<()>();
    let handle = std::thread::spawn(move || {
        let start = Instant::now();
        let mut bar: Option<indicatif::ProgressBar> = None;
        while let Err(mpsc::RecvTimeoutError::Timeout) =
            stopped.recv_timeout(Duration::from_millis(100))
        {
            if start.elapsed() < Duration::from_secs(1) {
                continue;
            }
            let total = PROGRESS.total_bytes.load(Ordering::Relaxed);
            let bar = bar.get_or_insert_with(|| {
                let bar = indicatif::ProgressBar::with_draw_target(Some(total), indicatif::ProgressDrawTarget::stderr());
                if let Ok(style) = indicatif::ProgressStyle::with_template(
                    "{spinner} scanning {bar:30} {bytes}/{total_bytes} ({bytes_per_sec}, {eta} left)",
                ) {
                    bar.set_style(style);
                }
                bar
            });
            bar.set_length(total);
            bar.set_position(PROGRESS.done_bytes.load(Ordering::Relaxed));
        }
        if let Some(bar) = bar {
            bar.finish_and_clear();
        }
    });
    (stop, handle)
}
