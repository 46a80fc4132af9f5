//! `-c/--config FILE`: another configuration file for the same site. A relative path is
//! read from the site folder (`--root`), which stays the site whatever file configures it.

use crate::diagnostics::verdict;
use crate::support::{Site, snapshot};

fn two_files() -> Site {
    Site::fixture("config/two-files")
}

#[test]
fn build_reads_the_configuration_file_given_with_c() {
    let site = two_files();
    let production = site.build_ok(&[]);
    let page = production.read("rust-vs-go/index.html");
    assert!(page.contains("Production site"), "{page}");
    assert!(page.contains("https://example.com/rust-vs-go/"));
    assert!(page.contains("Jane Doe"));

    let out = site.tmp().join("staging");
    for flag in ["-c", "--config"] {
        let staging = site.build_ok(&[flag, "staging.yaml", "--output", out.to_str().unwrap()]);
        let page = staging.read("rust-vs-go/index.html");
        assert!(page.contains("Staging site") && !page.contains("Production site"), "{page}");
        assert!(page.contains("https://staging.example.com/preview/rust-vs-go/"));
        assert!(page.contains("Bob Roe"), "default_author of staging.yaml");
    }
    // The default build is untouched by the other.
    assert!(site.read_dist("rust-vs-go/index.html").contains("Production site"));
}

#[test]
fn a_relative_config_is_read_from_the_site_folder() {
    let site = two_files();
    let outside = site.tmp();
    let run = verdict(outside, &["build", "--root", "site", "-c", "staging.yaml"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(site.read_dist("index.html").contains("Staging site"));

    // Written from the current folder instead, it names the file it looked for.
    let run = verdict(outside, &["build", "--root", "site", "-c", "site/staging.yaml"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("error: the configuration file `site/site/staging.yaml` does not exist"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "= help: a relative `--config` is read from the site folder (`site`); check the name, or give an absolute path"
        ),
        "{}",
        run.stderr
    );
    assert!(site.read_dist("index.html").contains("Staging site"), "the output is kept");
}

#[test]
fn a_config_outside_the_site_is_read_by_its_absolute_path() {
    let site = two_files();
    let elsewhere = site.tmp().join("configs/preview.yaml");
    std::fs::create_dir_all(elsewhere.parent().unwrap()).unwrap();
    std::fs::write(
        &elsewhere,
        "title: From elsewhere\nbase_url: https://example.org/\ndefault_author: jane\n",
    )
    .unwrap();
    let build = site.build_ok(&["-c", elsewhere.to_str().unwrap()]);
    let page = build.read("rust-vs-go/index.html");
    assert!(page.contains("From elsewhere") && page.contains("https://example.org/rust-vs-go/"));
    // Themes, templates and content still come from the site folder.
    assert!(build.exists("rust-vs-go/index.html") && build.exists("authors/jane/index.html"));
}

#[test]
fn errors_name_the_configuration_file_given_and_keep_the_output() {
    let site = two_files();
    site.build_ok(&[]);
    let before = snapshot(&site.path("dist"));
    site.write(
        "staging.yaml",
        "title: Staging\nbase_url: https://staging.example.com/\ntheme: nope\npaginat: 3\n",
    );
    let failed = site.build(&["-c", "staging.yaml"]);
    let errors = failed.assert_site_error();
    // Both of its problems, each at its line, and the content checked all the same.
    let at =
        |line| errors.iter().find(|e| e.path == "staging.yaml" && e.location == Some((line, 1)));
    assert_eq!(
        at(3).map(|e| e.message.as_str()),
        Some("unknown theme `nope`"),
        "{}",
        failed.stderr
    );
    assert_eq!(at(4).and_then(|e| e.help.as_deref()), Some("did you mean `paginate`?"));
    assert!(errors.iter().any(|e| e.path == "articles/rust-vs-go.md"), "no default_author here");
    assert!(snapshot(&site.path("dist")) == before, "the output is as it was");

    site.write("staging.yaml", "");
    let errors = site.build(&["-c", "staging.yaml"]).assert_site_error();
    let empty = errors.iter().find(|e| e.path == "staging.yaml").expect("an error in staging.yaml");
    assert_eq!(empty.message, "`staging.yaml` is empty");
    assert!(snapshot(&site.path("dist")) == before, "the output is as it was");
}

#[test]
fn check_and_new_read_the_configuration_file_given() {
    let site = two_files();
    let run = verdict(site.root(), &["check", "-c", "staging.yaml"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    site.write("staging.yaml", "title: Staging\nbase_url: staging.example.com\n");
    let run = verdict(site.root(), &["check", "--config", "staging.yaml"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("staging.yaml:2:1: error: `base_url` is not an absolute http(s) URL"),
        "{}",
        run.stderr
    );
    let run = verdict(site.root(), &["check", "-c", "missing.yaml"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("the configuration file"), "{}", run.stderr);

    site.write(
        "staging.yaml",
        "title: Staging\nbase_url: https://s.example.com/\ndefault_author: bob\n",
    );
    let run = verdict(site.root(), &["new", "Zig vs C", "-c", "staging.yaml"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let written = std::fs::read_to_string(site.path("articles/zig-vs-c.md")).unwrap();
    assert!(written.contains("author: bob"), "{written}");
}
