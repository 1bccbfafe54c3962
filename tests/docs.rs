//! The documentation and packaging promise what users get: a short user-facing README
//! whose links resolve, every subcommand shown, license files, a stripped release build.

use std::path::Path;

mod common;

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Relative link targets of a Markdown file (`](target)`), without anchors.
fn links(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in text.match_indices("](") {
        let rest = &text[i + 2..];
        let Some(end) = rest.find(')') else { continue };
        let target = &rest[..end];
        if target.starts_with("http") || target.starts_with('#') || target.starts_with('<') {
            continue;
        }
        out.push(target.split('#').next().unwrap_or(target).to_string());
    }
    out
}

#[test]
fn readme_is_short_and_for_users() {
    let readme = read("README.md");
    assert!(
        readme.len() < 15_000,
        "README.md is {} bytes; keep it under 15 KB (details go to docs/)",
        readme.len()
    );
    // Internals live in docs/ and CONTRIBUTING.md: no source files, commits or fuzzing.
    for internal in ["src/", "tests/", "commit ", "cargo fuzz", "load average"] {
        assert!(
            !readme.contains(internal),
            "README.md mentions {internal:?}: internal detail, move it to docs/"
        );
    }
    assert!(readme.contains("cargo install --locked --path ."));
    assert!(
        readme.contains("python3"),
        "README says what the tests need"
    );
}

#[test]
fn markdown_links_resolve() {
    let mut files = vec![
        "README.md".to_string(),
        "CONTRIBUTING.md".to_string(),
        "CHANGELOG.md".to_string(),
    ];
    for entry in std::fs::read_dir("docs").expect("docs/") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "md") {
            files.push(path.display().to_string());
        }
    }
    for file in &files {
        let base = Path::new(file).parent().expect("parent");
        for target in links(&read(file)) {
            assert!(
                base.join(&target).exists(),
                "{file} links to {target}, which does not exist"
            );
        }
    }
    let readme = read("README.md");
    for doc in [
        "docs/model.md",
        "docs/failures.md",
        "CONTRIBUTING.md",
        "CHANGELOG.md",
    ] {
        assert!(readme.contains(&format!("]({doc}")), "README links {doc}");
    }
}

#[test]
fn every_subcommand_is_in_the_readme() {
    let out = common::bin().arg("--help").output().expect("runs");
    let help = String::from_utf8(out.stdout).expect("UTF-8");
    let commands: Vec<&str> = help
        .split("Commands:")
        .nth(1)
        .expect("a command list")
        .lines()
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .collect();
    assert!(commands.len() >= 7, "{commands:?}");
    let readme = read("README.md");
    for c in commands {
        assert!(
            readme.contains(&format!("tulossopimus {c} ")),
            "README.md has no example of `tulossopimus {c}`"
        );
    }
}

#[test]
fn licenses_and_changelog_exist() {
    let mit = read("LICENSE-MIT");
    assert!(mit.contains("Permission is hereby granted, free of charge"));
    let apache = read("LICENSE-APACHE");
    assert!(apache.contains("Apache License") && apache.contains("Version 2.0, January 2004"));
    assert!(apache.contains("END OF TERMS AND CONDITIONS"));
    let cargo = read("Cargo.toml");
    assert!(cargo.contains("license = \"MIT OR Apache-2.0\""));
    assert!(read("CHANGELOG.md").starts_with("# Changelog"));
}

/// The `[profile.NAME]` section of Cargo.toml, up to the next section.
fn profile(cargo: &str, name: &str) -> String {
    let head = format!("[profile.{name}]\n");
    let start = cargo
        .find(&head)
        .unwrap_or_else(|| panic!("no [profile.{name}]"));
    let body = &cargo[start + head.len()..];
    body[..body.find("\n[").unwrap_or(body.len())].to_string()
}

#[test]
fn release_is_stripped_and_profiling_keeps_line_tables() {
    let cargo = read("Cargo.toml");
    let release = profile(&cargo, "release");
    assert!(release.contains("strip = true"), "{release}");
    assert!(release.contains("debug = false"), "{release}");
    let profiling = profile(&cargo, "profiling");
    assert!(profiling.contains("inherits = \"release\""), "{profiling}");
    assert!(profiling.contains("debug = 1"), "{profiling}");
    assert!(read("CONTRIBUTING.md").contains("--profile profiling"));
}
