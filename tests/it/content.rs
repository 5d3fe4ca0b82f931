//! The Guide's words (ui/js/guide-content.js) against the seed pages: every `quote` is a
//! seed sentence, verbatim; nothing else in the file (what the window shows) shares six
//! words in a row with any seed. The exercises' data has the same checks in the core.

use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_owned()
}

/// The seed pages beside this checkout (`../shared/seeds`), or `$LIMBER_SEEDS`.
fn seeds() -> Option<Vec<(String, String)>> {
    let dir = std::env::var_os("LIMBER_SEEDS")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("../shared/seeds"));
    let mut pages = Vec::new();
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(entry.path()).ok()?;
        pages.push((name.chars().take(3).collect(), text));
    }
    Some(pages)
}

/// The seed pages, or `None` after saying loudly that `test` compared nothing. Where the
/// environment variable `CI` is set (CI has `../shared/seeds`), missing seeds fail the test
/// instead: a check that cannot run must not pass there.
fn seeds_or_skip(test: &str) -> Option<Vec<(String, String)>> {
    let found = seeds();
    if found.is_none() {
        let message = format!(
            "\n{bar}\nSKIPPED {test}: the seed pages are not beside this checkout \
             (../shared/seeds, or set LIMBER_SEEDS), so nothing was compared with them.\n{bar}\n",
            bar = "!".repeat(78)
        );
        assert!(
            std::env::var_os("CI").is_none(),
            "{message}CI is set: the seed pages must be there"
        );
        // Straight to stderr: the test harness would swallow eprintln! of a passing test.
        let _ = std::io::Write::write_all(&mut std::io::stderr(), message.as_bytes());
    }
    found
}

#[derive(Debug, PartialEq)]
struct Literal {
    text: String,
    /// The identifier before the colon, if the literal is an object value (`quote: '…'`).
    key: String,
}

/// The string literals of a JS module ('…', "…", `…` without `${}`), skipping comments.
fn literals(source: &str) -> Vec<Literal> {
    let chars: Vec<char> = source.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '/' if chars.get(i + 1) == Some(&'/') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '/' if chars.get(i + 1) == Some(&'*') => {
                i += 2;
                while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                    i += 1;
                }
                i += 2;
            }
            quote @ ('\'' | '"' | '`') => {
                let before: String = chars[..i].iter().collect();
                let key = before
                    .trim_end()
                    .strip_suffix(':')
                    .map(|b| {
                        b.trim_end()
                            .chars()
                            .rev()
                            .take_while(|c| c.is_alphanumeric() || *c == '_')
                            .collect::<String>()
                            .chars()
                            .rev()
                            .collect()
                    })
                    .unwrap_or_default();
                let mut text = String::new();
                i += 1;
                while i < chars.len() && chars[i] != quote {
                    if chars[i] == '\\' && i + 1 < chars.len() {
                        i += 1;
                    }
                    text.push(chars[i]);
                    i += 1;
                }
                i += 1;
                out.push(Literal { text, key });
            }
            _ => i += 1,
        }
    }
    out
}

fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

#[test]
fn the_guide_quotes_the_seeds_exactly_and_says_everything_in_its_own_words() {
    let source = std::fs::read_to_string(workspace().join("ui/js/guide-content.js")).unwrap();
    let found = literals(&source);
    let quotes: Vec<&Literal> = found.iter().filter(|l| l.key == "quote").collect();
    assert!(
        quotes.len() > 40,
        "the guide keeps its sources: {}",
        quotes.len()
    );
    // Every quote sits next to the seed it comes from: `{ seed: '002', quote: '…' }`.
    let seeds_of: Vec<&Literal> = found.iter().filter(|l| l.key == "seed").collect();
    assert_eq!(seeds_of.len(), quotes.len());
    let Some(pages) =
        seeds_or_skip("the_guide_quotes_the_seeds_exactly_and_says_everything_in_its_own_words")
    else {
        return;
    };
    for (seed, quote) in seeds_of.iter().zip(&quotes) {
        let page = pages
            .iter()
            .find(|(n, _)| *n == seed.text)
            .unwrap_or_else(|| panic!("no seed {}", seed.text));
        assert!(
            squash(&page.1).contains(&squash(&quote.text)),
            "not verbatim in seed {}: {}",
            seed.text,
            quote.text
        );
    }
    let seed_words: Vec<Vec<String>> = pages.iter().map(|(_, t)| words(t)).collect();
    // Naming a page by its title is a citation, not a paste.
    let titles: Vec<String> = pages
        .iter()
        .filter_map(|(_, t)| t.lines().next().map(squash))
        .collect();
    let is_title = |text: &str| {
        titles
            .iter()
            .any(|t| *t == squash(text.trim_matches(['“', '”'])))
    };
    for shown in found
        .iter()
        .filter(|l| l.key != "quote" && l.key != "seed" && !is_title(&l.text))
    {
        let ours = words(&shown.text);
        for run in ours.windows(6) {
            for page in &seed_words {
                assert!(
                    !page.windows(6).any(|w| w == run),
                    "pasted from a seed ({:?}) in: {}",
                    run.join(" "),
                    shown.text
                );
            }
        }
    }
}

#[test]
fn the_literal_scanner_reads_js_strings() {
    let found = literals(
        "// a 'comment'\nconst x = { seed: '002', quote: `it's \"x\"` }; /* 'no' */ f(\"a\\\"b\");",
    );
    let pairs: Vec<(&str, &str)> = found
        .iter()
        .map(|l| (l.key.as_str(), l.text.as_str()))
        .collect();
    assert_eq!(
        pairs,
        vec![("seed", "002"), ("quote", "it's \"x\""), ("", "a\"b")]
    );
}
