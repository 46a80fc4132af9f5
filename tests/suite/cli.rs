//! The command line: exit statuses, help, and where messages go.

use crate::support::{Site, article, run};

fn code(site: &Site, args: &[&str]) -> (i32, String, String) {
    let output = run(site.root(), args);
    (
        output.status.code().expect("exit code"),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn unknown_flag_is_a_usage_error() {
    let site = Site::new();
    let (status, _, stderr) = code(&site, &["build", "--no-such-flag"]);
    assert_eq!(status, 2, "{stderr}");
    assert!(stderr.contains("--no-such-flag"), "{stderr}");
    assert!(!site.path("dist").exists());
}

#[test]
fn unknown_command_is_a_usage_error() {
    let site = Site::new();
    assert_eq!(code(&site, &["bulid"]).0, 2);
    assert_eq!(code(&site, &[]).0, 2);
}

#[test]
fn missing_flag_value_is_a_usage_error() {
    let site = Site::new();
    assert_eq!(code(&site, &["build", "--output"]).0, 2);
    assert_eq!(code(&site, &["build", "--root"]).0, 2);
}

#[test]
fn build_help_mentions_every_flag() {
    let site = Site::new();
    let (status, stdout, _) = code(&site, &["build", "--help"]);
    assert_eq!(status, 0);
    for flag in ["--root", "--output", "--drafts", "--base-url"] {
        assert!(stdout.contains(flag), "`build --help` does not mention {flag}:\n{stdout}");
    }
}

#[test]
fn version_flag_prints_the_version() {
    let site = Site::new();
    let (status, stdout, _) = code(&site, &["--version"]);
    assert_eq!(status, 0);
    assert!(stdout.contains(env!("CARGO_PKG_VERSION")), "{stdout}");
}

#[test]
fn build_reports_on_stderr_and_keeps_stdout_empty() {
    let site = Site::new();
    site.write("articles/a.md", &article("A", "2025-01-01", "Body.\n"));
    let build = site.build_ok(&[]);
    assert_eq!(build.stdout, "");
    assert!(build.stderr.contains("Built 1 article"), "{}", build.stderr);
}

#[test]
fn missing_root_is_a_site_error() {
    let site = Site::new();
    let missing = site.tmp().join("nope");
    let (status, _, stderr) = code(&site, &["build", "--root", missing.to_str().unwrap()]);
    assert_eq!(status, 1, "{stderr}");
    assert!(stderr.contains("site.yaml"), "{stderr}");
    assert!(!missing.exists(), "nothing is created for a missing site");
}

#[test]
fn empty_site_builds() {
    let build = Site::new().build_ok(&[]);
    assert!(build.exists("index.html"));
    assert!(build.exists("authors/jane/index.html"));
}

#[test]
fn completion_scripts_for_every_shell() {
    let site = Site::new();
    for (shell, marker) in [
        ("bash", "_verdict()"),
        ("zsh", "#compdef verdict"),
        ("fish", "complete -c verdict"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let (status, stdout, stderr) = code(&site, &["completion", shell]);
        assert_eq!(status, 0, "{shell}: {stderr}");
        assert!(stdout.contains(marker), "{shell}: {}", &stdout[..stdout.len().min(300)]);
        for word in ["build", "serve", "check", "new", "init", "base-url", "config", "external"] {
            assert!(stdout.contains(word), "{shell} completes `{word}`");
        }
    }
    let (status, _, stderr) = code(&site, &["completion", "tcsh"]);
    assert_eq!(status, 2, "an unknown shell is a usage error: {stderr}");
}

#[test]
fn man_page_in_roff() {
    let site = Site::new();
    let (status, stdout, stderr) = code(&site, &["man"]);
    assert_eq!(status, 0, "{stderr}");
    assert!(stdout.contains(".TH verdict 1"), "{stdout}");
    assert!(stdout.contains("serve"), "lists the commands");
}

#[test]
fn zola_and_hugo_spellings_of_the_flags() {
    let site = Site::new();
    site.write("articles/a.md", &article("A", "2025-01-01", "Body.\n"));
    let out = site.tmp().join("public");
    let (status, _, stderr) = code(
        &site,
        &["build", "--output-dir", out.to_str().unwrap(), "-u", "https://example.org/blog/"],
    );
    assert_eq!(status, 0, "{stderr}");
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(index.contains("href=\"https://example.org/blog/\""), "built for -u's address");
    let (_, help, _) = code(&site, &["serve", "--help"]);
    for flag in ["-u, --base-url", "-O, --open", "-i, --bind", "[alias: --interface]"] {
        assert!(help.contains(flag), "serve --help lacks `{flag}`:\n{help}");
    }
}

#[test]
fn interface_is_an_alias_of_bind_and_serve_takes_a_base_url() {
    // Refused at parse time when the URL is not one: nothing starts.
    let site = Site::new();
    let (status, _, stderr) =
        code(&site, &["serve", "--interface", "127.0.0.1", "--base-url", "not a url"]);
    assert_eq!(status, 2, "{stderr}");
    assert!(stderr.contains("is not an absolute http(s) URL"), "{stderr}");
}
