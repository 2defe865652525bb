//! `tpm-site serve`: live preview on loopback, rebuilt on every change.

use std::net::IpAddr;

use clap::Args;

use super::{ContentArg, EXIT_OK, EXIT_USAGE};
use crate::site::serve::{ServeOptions, serve};

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub content: ContentArg,
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Address to listen on. Only requests for localhost or this address are answered.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: IpAddr,
}

pub fn run(args: &ServeArgs) -> i32 {
    let opts = ServeOptions {
        content: args.content.content.clone(),
        bind: args.bind,
        port: args.port,
    };
    match serve(&opts) {
        Ok(()) => EXIT_OK,
        Err(e) => {
            eprintln!("error: {e}");
            EXIT_USAGE
        }
    }
}
