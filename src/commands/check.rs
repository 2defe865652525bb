//! `tpm-site check`: load and analyse, report every problem, write nothing.

use clap::Args;

use super::{ContentArg, EXIT_CONTENT, EXIT_OK, EXIT_USAGE, plural, print_diagnostics};
use crate::diagnostics::Diagnostics;
use crate::site;

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub content: ContentArg,
    /// Treat warnings as errors (exit 1 when there are any).
    #[arg(long)]
    pub deny_warnings: bool,
}

pub fn run(args: &CheckArgs) -> i32 {
    let dir = &args.content.content;
    let mut diags = Diagnostics::new();
    let result = site::analyze_dir(dir, None, false, &mut diags);
    let (errors, warnings) = print_diagnostics(diags, dir);
    match result {
        Ok(Some(a)) if errors == 0 => {
            let p = &a.program;
            println!(
                "{}: {} items, {} teams, {} reports; forecast end {} (committed {}); {}",
                p.meta.name,
                p.items.len(),
                p.teams.len(),
                p.reports.len(),
                a.current.forecast_end,
                p.meta.end,
                plural(warnings, "warning")
            );
            if args.deny_warnings && warnings > 0 { EXIT_CONTENT } else { EXIT_OK }
        }
        Ok(_) => {
            eprintln!("error: {} and {} in {}", plural(errors, "error"), plural(warnings, "warning"), dir.display());
            EXIT_CONTENT
        }
        Err(e) => {
            eprintln!("error: {e}");
            EXIT_USAGE
        }
    }
}
