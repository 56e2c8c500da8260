//! The `lantern` command line: parses arguments and hands over to the library.

use clap::{CommandFactory, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

use lantern::translations::Status;

/// mimalloc: the build allocates many short-lived strings and template values on two
/// threads; glibc malloc spent ~10% of the CPU and faulted in fresh pages.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "lantern",
    version = VERSION,
    about = "A fast, private static site generator for multilingual awareness sites",
    after_help = "Examples:\n  lantern init my-site          create a site\n  lantern serve --root my-site  preview it at http://127.0.0.1:1111/\n  lantern build --root my-site  write the publishable site to my-site/site"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// `lantern --version`: the version and the commit it was built from (see build.rs).
const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (", env!("LANTERN_COMMIT"), ")");

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (default: ./site)
    #[command(
        after_help = "Examples:\n  lantern build\n  lantern build --root my-site -o /tmp/preview\n  lantern build --base-url https://org.github.io/repo/"
    )]
    Build {
        /// The site's folder (holding lantern.toml)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Include pages with `draft = true`
        #[arg(long)]
        drafts: bool,
        /// Use this base URL instead of the one in lantern.toml
        #[arg(long)]
        base_url: Option<String>,
        /// Write here instead of the configured output folder
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Print the time each stage took
        #[arg(long)]
        timings: bool,
    },
    /// Build, serve on this machine, and rebuild and reload the browser on every change
    #[command(
        after_help = "Examples:\n  lantern serve\n  lantern serve --root my-site --port 8080 --open\n  lantern serve --poll          (network drives, WSL)"
    )]
    Serve {
        /// The site's folder (holding lantern.toml)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Port to listen on (the next free one is used if it is taken; 0 picks any)
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on; anything but loopback makes the preview public
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the site in the default browser
        #[arg(long)]
        open: bool,
        /// Hide pages with `draft = true` (shown, with a banner, by default)
        #[arg(long)]
        no_drafts: bool,
        /// Milliseconds to wait for more changes before rebuilding
        #[arg(long, default_value_t = 50)]
        debounce: u64,
        /// Poll for changes instead of using the system's file events (network drives, WSL)
        #[arg(long)]
        poll: bool,
        /// Also answer requests for this host name (a LAN preview); repeatable
        #[arg(long, value_name = "NAME")]
        allow_host: Vec<String>,
        /// Connections kept open at once (the oldest idle one is closed beyond this)
        #[arg(long, default_value_t = lantern::serve::Limits::default().max_connections, hide = true)]
        max_connections: usize,
        /// Milliseconds a connection may wait for its next request before it is closed
        #[arg(long, hide = true)]
        idle_timeout_ms: Option<u64>,
    },
    /// Show which translations are up to date, outdated, missing or untracked
    #[command(
        after_help = "Examples:\n  lantern translations\n  lantern translations --fail-on outdated,missing\n  lantern translations --mark-current content/guides/dead-drops.ko.md"
    )]
    Translations {
        /// The site's folder (holding lantern.toml)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output format
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Exit with code 1 when any translation has one of these states
        #[arg(long, value_enum, value_delimiter = ',')]
        fail_on: Vec<FailOn>,
        /// Record that this translation matches its source as it is now
        #[arg(long, value_name = "PATH")]
        mark_current: Option<PathBuf>,
    },
    /// Create a page from an archetype, e.g. `lantern new guides/dead-drops.md`
    #[command(
        after_help = "Examples:\n  lantern new guides/dead-drops.md\n  lantern new news/2026-report.md --root my-site"
    )]
    New {
        /// Path below content/
        path: String,
        /// The site's folder (holding lantern.toml)
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Build in memory (writing nothing) and run the check rules: links, sources,
    /// reviews, translations, accessibility, privacy, words, plain language, page weight
    Check {
        /// The site's folder (holding lantern.toml)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output format
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
        /// Exit with code 1 on errors only, or on warnings too
        #[arg(long, value_enum, default_value_t = CheckFailOn::Error)]
        fail_on: CheckFailOn,
        /// List every rule with its default level, and exit
        #[arg(long)]
        list: bool,
        /// Also ask every link to another host whether it still answers (needs the network;
        /// settings in [check.external])
        #[arg(long)]
        external: bool,
        /// Measure reviews against this day instead of today (YYYY-MM-DD)
        #[arg(long, hide = true)]
        today: Option<jiff::civil::Date>,
    },
    /// Create a new site in DIR that builds with the built-in theme
    #[command(
        after_help = "Examples:\n  lantern init my-site                   (GitHub Pages workflow)\n  lantern init my-site --host netlify    (netlify.toml)\n  lantern init my-site --host cloudflare (Cloudflare Pages settings)"
    )]
    Init {
        /// Folder to create (must be empty or not exist)
        dir: PathBuf,
        /// Where the site will be published: writes that host's deploy file
        #[arg(long, value_enum, default_value_t = Host::Github)]
        host: Host,
    },
    /// Print a completion script for a shell
    #[command(
        after_help = "Examples:\n  lantern completions bash > ~/.local/share/bash-completion/completions/lantern\n  lantern completions zsh > ~/.zfunc/_lantern\n  lantern completions fish > ~/.config/fish/completions/lantern.fish\n  lantern completions powershell >> $PROFILE"
    )]
    Completions {
        /// The shell to complete for
        shell: clap_complete::Shell,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Host {
    /// GitHub Pages: .github/workflows/pages.yml
    Github,
    /// Netlify: netlify.toml
    Netlify,
    /// Cloudflare Pages: CLOUDFLARE-PAGES.md with the settings to enter
    Cloudflare,
}

impl From<Host> for lantern::init::Host {
    fn from(h: Host) -> lantern::init::Host {
        match h {
            Host::Github => lantern::init::Host::GitHub,
            Host::Netlify => lantern::init::Host::Netlify,
            Host::Cloudflare => lantern::init::Host::Cloudflare,
        }
    }
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum CheckFormat {
    Text,
    Json,
    Github,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum CheckFailOn {
    Error,
    Warning,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum FailOn {
    Outdated,
    Missing,
    Untracked,
}

impl From<FailOn> for Status {
    fn from(f: FailOn) -> Status {
        match f {
            FailOn::Outdated => Status::Outdated,
            FailOn::Missing => Status::Missing,
            FailOn::Untracked => Status::Untracked,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            root,
            drafts,
            base_url,
            output,
            timings,
        } => {
            let opts = lantern::build::BuildOptions {
                root,
                drafts,
                base_url,
                output,
            };
            match lantern::build::build_then_exit(&opts) {
                Ok(report) => {
                    for w in &report.warnings {
                        eprint!("{w}");
                    }
                    println!("{}", report.summary());
                    if timings {
                        for stage in &report.timings {
                            let peak = stage
                                .peak_kib
                                .map(|k| format!("   peak memory {:>5} MiB", k / 1024))
                                .unwrap_or_default();
                            println!(
                                "  {:<10} {:>7.1} ms{peak}",
                                stage.name,
                                stage.time.as_secs_f64() * 1000.0
                            );
                        }
                        println!("  files written: {}", report.files_written);
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("{e}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Serve {
            root,
            port,
            bind,
            open,
            no_drafts,
            debounce,
            poll,
            allow_host,
            max_connections,
            idle_timeout_ms,
        } => {
            let opts = lantern::serve::ServeOptions {
                root,
                port,
                bind,
                open,
                drafts: !no_drafts,
                debounce: std::time::Duration::from_millis(debounce),
                poll,
                allow_hosts: allow_host,
                limits: lantern::serve::Limits::new(
                    max_connections,
                    idle_timeout_ms.map(std::time::Duration::from_millis),
                ),
            };
            match lantern::serve::serve(opts) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Translations {
            root,
            format,
            fail_on,
            mark_current,
        } => {
            let fail_on: Vec<Status> = fail_on.into_iter().map(Status::from).collect();
            let result = match mark_current {
                Some(path) => lantern::translations::cli::mark(&root, &path),
                None => lantern::translations::cli::show(
                    &root,
                    matches!(format, Format::Json),
                    &fail_on,
                ),
            };
            match result {
                Ok(true) => ExitCode::SUCCESS,
                Ok(false) => ExitCode::FAILURE,
                Err(e) => {
                    eprintln!("{e}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::New { path, root } => {
            let today = jiff::Zoned::now().date();
            match lantern::new::new_page(&root, &path, today) {
                Ok(created) => {
                    println!(
                        "Created {} (a draft: set draft = false to publish)",
                        created.display()
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Check {
            root,
            format,
            fail_on,
            list,
            external,
            today,
        } => run_check(root, format, fail_on, list, external, today),
        Command::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "lantern",
                &mut std::io::stdout(),
            );
            ExitCode::SUCCESS
        }
        Command::Init { dir, host } => match lantern::init::init(&dir, host.into()) {
            Ok(()) => {
                println!("Created a new site in {}", dir.display());
                println!("Next: lantern build --root {}", dir.display());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
    }
}

/// `lantern check`: prints the findings and fails the gate on errors (or warnings).
fn run_check(
    root: PathBuf,
    format: CheckFormat,
    fail_on: CheckFailOn,
    list: bool,
    external: bool,
    today: Option<jiff::civil::Date>,
) -> ExitCode {
    use lantern::check::{self, Level, output};
    if list {
        for (id, level, what) in check::RULES {
            println!("{id:<22} {:<7} {what}", level.label());
        }
        return ExitCode::SUCCESS;
    }
    let report = match check::run(&check::CheckOptions {
        root,
        today,
        external,
    }) {
        Ok(report) => report,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    for w in &report.build_warnings {
        eprint!("{w}");
    }
    let findings = &report.findings;
    print!(
        "{}",
        match format {
            CheckFormat::Text => output::text(findings, &report.reviews),
            CheckFormat::Json => output::json(findings),
            CheckFormat::Github => output::github(findings),
        }
    );
    let threshold = match fail_on {
        CheckFailOn::Error => Level::Error,
        CheckFailOn::Warning => Level::Warning,
    };
    if findings.iter().any(|f| f.severity >= threshold) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
