//! The README's tables of `limber status --json` against the types: every field the agent
//! sends is documented, and nothing documented is missing from what it sends.

use chrono::{Duration, FixedOffset, NaiveDate, TimeZone};
use limber_core::catalog::Catalog;
use limber_core::protocol::{Status, PROTOCOL_VERSION};
use limber_core::schedule::{Config, Schedule};
use limber_core::session::{Session, SessionEffect};
use limber_core::therapy::{Pain, Therapy, TherapyKind, TherapyMinutes};
use limber_core::Now;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Field names per table: "status" for the top level, then each object's own table.
fn documented() -> BTreeMap<String, BTreeSet<String>> {
    let readme = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md"),
    )
    .expect("README.md");
    let start = readme
        .find("### `limber status --json`")
        .expect("the status section");
    let section = &readme[start..];
    let end = section.find("\n## ").unwrap_or(section.len());
    let mut tables: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut current = "status".to_owned();
    for line in section[..end].lines() {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix('`') {
            // A table's caption: "`session`" alone, or followed by " — words".
            if let Some((name, after)) = rest.split_once('`') {
                if (after.is_empty() || after.starts_with(" —"))
                    && name.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                {
                    current = name.to_owned();
                    continue;
                }
            }
        }
        if let Some(row) = line.strip_prefix("| `") {
            if let Some((field, _)) = row.split_once('`') {
                tables
                    .entry(current.clone())
                    .or_default()
                    .insert(field.to_owned());
            }
        }
    }
    tables
}

fn keys(value: &Value) -> BTreeSet<String> {
    value
        .as_object()
        .expect("an object")
        .keys()
        .cloned()
        .collect()
}

/// A status with every optional object present, made by the real state machines.
fn full_status() -> Value {
    let tz = FixedOffset::east_opt(3600).unwrap();
    let at = |ms: u64| {
        Now::new(
            ms,
            tz.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap()
                + Duration::milliseconds(i64::try_from(ms).unwrap()),
        )
    };
    let catalog = Catalog::builtin().unwrap();
    let routine = catalog.routine("desk-reset").unwrap().clone();
    let exercises = catalog.exercises_of(&routine);
    let running = Session::start(routine.clone(), exercises.clone(), false, &at(0));
    let mut finished = Session::start(routine, exercises, false, &at(0));
    let record = match finished
        .handle(limber_core::session::SessionAction::Stop, &at(9_000))
        .pop()
    {
        Some(SessionEffect::Finished(record)) => record,
        other => panic!("{other:?}"),
    };
    let therapy = Therapy::start(
        TherapyKind::Ice,
        TherapyMinutes::default(),
        Duration::minutes(15),
        &at(0),
    );
    let mut schedule = Schedule::new(Config::default(), &at(0));
    schedule.set_busy(
        limber_core::schedule::Busy {
            fullscreen: true,
            ..Default::default()
        },
        &at(0),
    );
    let status = Status {
        version: limber_core::VERSION.to_owned(),
        protocol: PROTOCOL_VERSION,
        schedule: schedule.snapshot(&at(1_000)),
        settings_notice: Some(String::new()),
        history_notice: Some(String::new()),
        tray: true,
        window_open: false,
        idle_detection: String::new(),
        lock_detection: String::new(),
        pid: 1,
        session: running.snapshot(&at(1_000)),
        last_session: Some(record),
        therapy: Some(therapy.snapshot(&at(1_000))),
        pain: Some(Pain::from_dates(
            NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
            NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
        )),
    };
    serde_json::to_value(status).unwrap()
}

#[test]
fn the_readme_documents_every_status_field_and_no_other() {
    let tables = documented();
    let status = full_status();
    assert_eq!(
        tables.get("status"),
        Some(&keys(&status)),
        "top-level fields"
    );
    for object in ["session", "last_session", "therapy", "pain", "hold"] {
        assert_eq!(
            tables.get(object),
            Some(&keys(&status[object])),
            "the fields of `{object}`"
        );
    }
}

#[test]
fn instants_are_rfc3339_with_an_offset() {
    let status = full_status();
    for (object, field) in [
        ("", "next_break_at"),
        ("session", "ends_at"),
        ("therapy", "ends_at"),
        ("last_session", "started_at"),
        ("last_session", "ended_at"),
    ] {
        let value = if object.is_empty() {
            &status[field]
        } else {
            &status[object][field]
        };
        let text = value
            .as_str()
            .unwrap_or_else(|| panic!("{object}.{field}: {value}"));
        let parsed = chrono::DateTime::parse_from_rfc3339(text).expect(text);
        assert!(text.ends_with("+01:00"), "{object}.{field}: {text}");
        let _ = parsed;
    }
}
