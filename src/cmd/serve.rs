//! `verdict serve`.

use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;

use clap::Args;

use crate::config::CONFIG_FILE;
use crate::diagnostics::print_message;
use crate::serve::{ServeOptions, serve};
use crate::site::Drafts;

/// Options of `verdict serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Site folder, holding `site.yaml`.
    #[arg(long, short, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// Read the configuration from FILE instead of `site.yaml`, and watch it. A relative
    /// path is read from the site folder (`--root`), which stays the site: themes,
    /// content and the output are found from there.
    #[arg(long, short = 'c', value_name = "FILE", default_value = CONFIG_FILE)]
    pub config: PathBuf,
    /// Port to listen on [default: 1111, or the next free one if it is taken]. `0` picks
    /// any free port.
    #[arg(long, short, value_name = "PORT")]
    pub port: Option<u16>,
    /// Address to listen on. Anything but a loopback address lets other machines see the
    /// preview.
    #[arg(long, visible_alias = "interface", short = 'i', value_name = "ADDRESS", default_value = "127.0.0.1", value_parser = parse_address)]
    pub bind: IpAddr,
    /// The address the preview's links are made for [default: http://ADDRESS:PORT/ of
    /// this machine]: for a phone on the same network, `--bind 0.0.0.0 --base-url
    /// http://192.168.1.5:1111/`.
    #[arg(long, short = 'u', value_name = "URL", value_parser = parse_base_url)]
    pub base_url: Option<String>,
    /// Also build articles and pages marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Open the site in the default browser once it is built.
    #[arg(long, short = 'O')]
    pub open: bool,
}

/// An absolute http(s) URL, ending in `/` once read.
fn parse_base_url(text: &str) -> Result<String, String> {
    crate::config::normalize_base_url(text).ok_or_else(|| {
        format!("`{text}` is not an absolute http(s) URL (such as http://192.168.1.5:1111/)")
    })
}

/// An IP address, or `localhost`.
fn parse_address(text: &str) -> Result<IpAddr, String> {
    if text.eq_ignore_ascii_case("localhost") {
        return Ok(IpAddr::V4(Ipv4Addr::LOCALHOST));
    }
    text.parse().map_err(|_| format!("`{text}` is not an IP address (such as 127.0.0.1 or ::1)"))
}

impl ServeArgs {
    /// Serves until Ctrl-C. Returns the exit code.
    pub fn run(&self) -> i32 {
        let options = ServeOptions {
            root: self.root.clone(),
            config: self.config.clone(),
            bind: self.bind,
            port: self.port,
            drafts: if self.drafts { Drafts::Include } else { Drafts::Skip },
            open: self.open,
            base_url: self.base_url.clone(),
        };
        match serve(&options) {
            Ok(()) => 0,
            Err(error) => {
                print_message(&error.to_string(), error.hint());
                error.exit_code()
            }
        }
    }
}
