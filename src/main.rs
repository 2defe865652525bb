//! The `tpm-site` binary: parse arguments, run, exit with the command's code.

use clap::Parser;

fn main() {
    let cli = tpm_site::commands::Cli::parse();
    std::process::exit(tpm_site::commands::run(cli));
}
