//! `tpm-site build`: content folder to site folder.

use std::path::PathBuf;

use clap::Args;

use super::{ContentArg, EXIT_CONTENT, EXIT_OK, EXIT_USAGE, plural, print_diagnostics};
use crate::diagnostics::Diagnostics;
use crate::site::{self, BuildError, BuildOptions};

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Print the time of each step (load, analyze, render, write).
    #[arg(long)]
    pub timings: bool,
    #[command(flatten)]
    pub content: ContentArg,
    /// Where to write the site. It is replaced as a whole: on Linux and macOS in
    /// one atomic exchange (the folder always holds the old or the new site);
    /// elsewhere, or on a file system without the exchange, by two renames
    /// with an instant between them when the folder is missing. A folder that
    /// tpm-site did not create is refused unless it is empty. The site it
    /// replaces is kept beside it as a hidden spare (`.<name>.tpm-site-spare`)
    /// that the next build writes over.
    #[arg(long, value_name = "DIR", default_value = "public")]
    pub output: PathBuf,
    /// The published address, e.g. https://org.github.io/repo/ (overrides site.base_url).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<crate::model::BaseUrl>,
    /// Build the site as of this date (YYYY-MM-DD) instead of the newest report's date.
    #[arg(long, value_name = "DATE", value_parser = super::parse_date_arg)]
    pub as_of: Option<jiff::civil::Date>,
    /// The commit shown on every report page (default: each report shows the
    /// last commit that changed its own file, when the content folder is in a
    /// git repository; none otherwise).
    #[arg(long, value_name = "COMMIT", value_parser = parse_commit)]
    pub source_commit: Option<String>,
}

fn parse_commit(s: &str) -> Result<String, String> {
    site::clean_commit(s).ok_or_else(|| {
        "expected 1 to 64 letters, digits, '.', '_', '-', '+' or '/' (e.g. a commit id)".to_string()
    })
}

pub fn run(args: &BuildArgs) -> i32 {
    let opts = BuildOptions {
        content: args.content.content.clone(),
        output: args.output.clone(),
        base_url: args.base_url.clone(),
        as_of: args.as_of,
        include_drafts: false,
        source_commit: args.source_commit.clone(),
    };
    let mut diags = Diagnostics::new();
    let result = site::build(&opts, &mut diags);
    let (errors, warnings) = print_diagnostics(diags, &opts.content);
    match result {
        Ok(summary) => {
            println!(
                "Built {} pages ({} files) in {:.2} s with {} into {}/ — open {}",
                summary.pages,
                summary.files,
                summary.elapsed.as_secs_f64(),
                plural(warnings, "warning"),
                opts.output.display(),
                opts.output.join("index.html").display()
            );
            if args.timings {
                let parts: Vec<String> = summary
                    .phases
                    .iter()
                    .map(|(name, d)| format!("{name} {:.3} s", d.as_secs_f64()))
                    .collect();
                println!(
                    "Timings: {} (charts: {:.3} s of CPU within render)",
                    parts.join(", "),
                    summary.charts_cpu.as_secs_f64()
                );
            }
            EXIT_OK
        }
        Err(BuildError::Content) => {
            eprintln!(
                "error: build failed with {} and {}; nothing was written ({} is unchanged)",
                plural(errors, "error"),
                plural(warnings, "warning"),
                opts.output.display()
            );
            EXIT_CONTENT
        }
        Err(e @ BuildError::Guard(_)) => {
            eprintln!("error: {e}");
            EXIT_CONTENT
        }
        Err(e) => {
            eprintln!("error: {e}");
            EXIT_USAGE
        }
    }
}
