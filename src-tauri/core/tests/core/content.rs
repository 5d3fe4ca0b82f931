//! The Guide's words (ui/js/guide-content.js) against the seed pages: every `quote` is a
//! seed sentence, verbatim; nothing else in the file (what the window shows) shares six
//! words in a row with any seed. The exercises' data has the same checks in the core.

use std::path::{Path, PathBuf};

/// The checkout's root (this crate is `src-tauri/core`).
fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
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

/// The two lists of the Guide's "When to get help" (also shown in the first-run welcome).
#[derive(Clone, Copy, Debug, PartialEq)]
enum List {
    /// `RED_FLAGS`: don't stretch, get medical help now.
    Now,
    /// `SEE_PRO`: see a health professional soon.
    Soon,
}

/// Every warning sign the seed pages give, by a fragment of its sentence (verbatim in that
/// seed), and the item of the lists that covers it, in the list it belongs to.
const WARNING_SIGNS: &[(&str, &str, List, &str)] = &[
    // 002, "Red Flags: When Back Pain Is a Medical Emergency"
    ("002", "Sudden loss of bowel or bladder control is the most urgent red flag.", List::Now, "bladder"),
    ("002", "Numbness in the groin or \"saddle area\"", List::Now, "saddle"),
    ("002", "you're also running a high fever", List::Now, "fever"),
    ("002", "Unexplained weight loss accompanying back pain", List::Now, "weight"),
    ("002", "If your back pain follows a significant trauma", List::Now, "trauma"),
    ("002", "even minor falls can cause vertebral compression fractures", List::Now, "trauma"),
    ("002", "Severe pain that's progressively worsening", List::Now, "worsening"),
    ("002", "if you're developing new neurological symptoms", List::Now, "numbness"),
    ("002", "if you're developing new neurological symptoms", List::Now, "leg-weakness"),
    // 002, "When to Seek Professional Help"
    ("002", "Pain that persists beyond a few weeks deserves professional attention.", List::Soon, "weeks"),
    ("002", "Severe pain that doesn't respond to rest is another red flag.", List::Soon, "severe"),
    ("002", "Pain radiating down your legs, especially if it extends below the knee", List::Soon, "leg"),
    ("002", "New or worsening weakness in one or both legs needs immediate attention.", List::Now, "leg-weakness"),
    ("002", "Weakness, numbness, or tingling in your legs is particularly concerning.", List::Now, "numbness"),
    ("002", "Weakness, numbness, or tingling in your legs is particularly concerning.", List::Soon, "nerve"),
    ("002", "Unexplained weight loss combined with back pain", List::Now, "weight"),
    ("002", "even if the pain doesn't seem severe at first", List::Now, "trauma"),
    // 002, elsewhere: the FAQ, referred pain, osteoporosis
    ("002", "If your pain hasn't improved after a couple of weeks, or if it's getting worse instead of better", List::Soon, "home-week"),
    ("002", "sometimes accompanied by fever or changes in urination", List::Soon, "kidney"),
    ("002", "comes with other symptoms like fever, nausea, or shortness of breath", List::Now, "chest"),
    ("002", "something as simple as a sneeze or a minor fall, causing sudden, severe back pain", List::Now, "trauma"),
    // 000, "When to Seek Doctor Help"
    ("000", "Severe or persistent pain: If the pain is severe", List::Soon, "severe"),
    ("000", "Numbness or weakness: If you notice any numbness or weakness in your arms, hands, or legs.", List::Now, "numbness"),
    ("000", "Numbness or weakness: If you notice any numbness or weakness in your arms, hands, or legs.", List::Soon, "nerve"),
    ("000", "accompanied by chest pain, shortness of breath, dizziness", List::Now, "chest"),
    // 003
    ("003", "Call your doctor if your back pain hasn’t improved after a week of home treatment", List::Soon, "home-week"),
];

/// The seed sections that list warning signs (seed, heading, the next heading), and the
/// paragraphs in them that are not a sign: every other paragraph there must be in
/// `WARNING_SIGNS`, so a sign the table forgot fails the test.
const SIGN_SECTIONS: &[(&str, &str, &str)] = &[
    (
        "002",
        "When to Seek Professional Help",
        "Red Flags: When Back Pain Is a Medical Emergency",
    ),
    (
        "002",
        "Red Flags: When Back Pain Is a Medical Emergency",
        "Frequently Asked Questions about Back Muscle Pain",
    ),
    (
        "000",
        "When to Seek Doctor Help",
        "Burning pain in the upper back can be caused",
    ),
];
const NOT_SIGNS: &[&str] = &[
    "Most back pain improves with time and self-care",
    "A physical therapist can be an invaluable partner",
    "Most of the time, when your back muscles hurt, it's not an emergency.",
    "I want you to know these warning signs",
    "For guidance on when to seek emergency care",
    "These emergencies are rare.",
    "If you experience any of the following",
];

/// The item ids of one list in guide-content.js (`export const NAME = {…}` up to the next
/// export).
fn list_ids(source: &str, name: &str) -> Vec<String> {
    let start = source
        .find(&format!("export const {name} = {{"))
        .unwrap_or_else(|| panic!("no {name} in guide-content.js"));
    let rest = &source[start..];
    let end = rest[1..].find("export ").map_or(rest.len(), |i| i + 1);
    let block = &rest[..end];
    let items = &block[block.find("items: [").expect("an items list")..];
    literals(items)
        .into_iter()
        .filter(|l| l.key == "id")
        .map(|l| l.text)
        .collect()
}

#[test]
fn every_warning_sign_of_the_seeds_has_an_item_in_the_right_list() {
    let source = std::fs::read_to_string(workspace().join("ui/js/guide-content.js")).unwrap();
    let now = list_ids(&source, "RED_FLAGS");
    let soon = list_ids(&source, "SEE_PRO");
    assert!(now.len() >= 8 && soon.len() >= 4, "{now:?} {soon:?}");
    for (seed, fragment, list, id) in WARNING_SIGNS {
        let (ids, name) = match list {
            List::Now => (&now, "RED_FLAGS (get medical help now)"),
            List::Soon => (&soon, "SEE_PRO (see someone soon)"),
        };
        assert!(
            ids.iter().any(|i| i == id),
            "seed {seed}: {fragment:?} needs the item {id:?} in {name}; it has {ids:?}"
        );
    }
    let Some(pages) =
        seeds_or_skip("every_warning_sign_of_the_seeds_has_an_item_in_the_right_list")
    else {
        return;
    };
    let page = |seed: &str| {
        pages
            .iter()
            .find(|(n, _)| n == seed)
            .map(|(_, t)| t.as_str())
            .unwrap_or_else(|| panic!("no seed {seed}"))
    };
    for (seed, fragment, _, _) in WARNING_SIGNS {
        assert!(
            squash(page(seed)).contains(&squash(fragment)),
            "not verbatim in seed {seed}: {fragment}"
        );
    }
    for (seed, heading, next) in SIGN_SECTIONS {
        let lines: Vec<&str> = page(seed)
            .lines()
            .skip_while(|l| l.trim() != *heading)
            .skip(1)
            .take_while(|l| !l.trim().starts_with(next))
            .filter(|l| !l.trim().is_empty())
            .collect();
        assert!(!lines.is_empty(), "seed {seed}: no section {heading:?}");
        for line in lines {
            let line = squash(line);
            let mapped = WARNING_SIGNS
                .iter()
                .any(|(s, f, _, _)| s == seed && line.contains(&squash(f)));
            let not_a_sign = NOT_SIGNS.iter().any(|f| line.contains(&squash(f)));
            assert!(
                mapped || not_a_sign,
                "seed {seed}, {heading:?}: a warning sign with no item in the lists: {line}"
            );
        }
    }
}

/// The views that show exercise timings (the routine builder and the exercise library).
const TIMING_VIEWS: [&str; 1] = ["ui/js/views/routines.js"];

#[test]
fn no_timing_is_shown_as_the_articles_unless_the_data_says_the_article_gives_it() {
    for view in TIMING_VIEWS {
        let source = std::fs::read_to_string(workspace().join(view)).unwrap();
        for (n, line) in source.lines().enumerate() {
            // Lines of a block comment (`/** … */`) are not shown.
            if line.trim_start().starts_with('*') || line.trim_start().starts_with("/*") {
                continue;
            }
            let credits_the_article = literals(line).iter().any(|l| {
                let text = l.text.to_lowercase();
                // `h('article', …)` is an element, not a credit.
                text != "article" && text.contains("article")
            });
            assert!(
                !credits_the_article || line.contains("timing_from === 'article'"),
                "{view}:{}: mentions the article where it is not the exercise's timing_from: {line}",
                n + 1
            );
        }
    }
}

/// The tray's heat cautions are the Guide's, word for word: one text, two places.
#[test]
fn the_heat_cautions_the_agent_shows_are_the_guides() {
    let source = std::fs::read_to_string(workspace().join("ui/js/guide-content.js")).unwrap();
    let start = source
        .find("export const HEAT_CAUTIONS = [")
        .expect("HEAT_CAUTIONS in guide-content.js");
    let rest = &source[start..];
    let block = &rest[..rest.find("\n];").expect("the end of HEAT_CAUTIONS")];
    let found = literals(block);
    let leads = found.iter().filter(|l| l.key == "lead").map(|l| &l.text);
    let texts = found.iter().filter(|l| l.key == "text").map(|l| &l.text);
    let guide: Vec<String> = leads.zip(texts).map(|(l, t)| format!("{l} {t}")).collect();
    assert_eq!(guide, limber_core::therapy::HEAT_CAUTIONS);
}
