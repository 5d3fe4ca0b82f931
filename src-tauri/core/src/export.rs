//! The history as CSV or JSON, written event by event to any writer, so an export of a
//! history of any size takes the memory of one event.

use crate::history::{EventKind, HistoryEvent};
use crate::protocol::ExportFormat;
use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use std::io::{self, Write};

/// The JSON export's format number (version 1 kept the field names of protocol 1).
pub const JSON_FORMAT: u32 = 2;

/// One CSV row: one column per field any event has, empty where an event has none.
#[derive(Serialize)]
struct CsvRow<'a> {
    at: DateTime<FixedOffset>,
    #[serde(rename = "type")]
    kind: &'static str,
    routine: Option<&'a str>,
    outcome: Option<&'static str>,
    steps_done: Option<u32>,
    steps_total: Option<u32>,
    active_s: Option<u32>,
    from_break: Option<bool>,
    sitting_min: Option<u32>,
    away_min: Option<u32>,
    was_due: Option<bool>,
    snooze_min: Option<u32>,
    score: Option<u8>,
    area: Option<&'static str>,
    note: Option<&'a str>,
    therapy: Option<&'static str>,
    length_min: Option<u32>,
}

impl<'a> CsvRow<'a> {
    fn of(event: &'a HistoryEvent) -> CsvRow<'a> {
        let mut row = CsvRow {
            at: event.at,
            kind: event.kind.type_name(),
            routine: None,
            outcome: None,
            steps_done: None,
            steps_total: None,
            active_s: None,
            from_break: None,
            sitting_min: None,
            away_min: None,
            was_due: None,
            snooze_min: None,
            score: None,
            area: None,
            note: None,
            therapy: None,
            length_min: None,
        };
        match &event.kind {
            EventKind::BreakDue { sitting_min } => row.sitting_min = Some(*sitting_min),
            EventKind::BreakSnoozed { snooze_min } => row.snooze_min = Some(*snooze_min),
            EventKind::BreakSkipped | EventKind::PostureCheck => {}
            EventKind::NaturalBreak { away_min, was_due } => {
                row.away_min = Some(*away_min);
                row.was_due = Some(*was_due);
            }
            EventKind::Session(r) => {
                row.routine = Some(&r.routine);
                row.outcome = Some(r.outcome.name());
                row.steps_done = Some(r.steps_done);
                row.steps_total = Some(r.steps_total);
                row.active_s = Some(r.active_s);
                row.from_break = Some(r.from_break);
            }
            EventKind::CheckIn {
                score, area, note, ..
            } => {
                row.score = Some(score.get());
                row.area = area.map(|a| a.name());
                row.note = note.as_ref().map(|n| n.as_str());
            }
            EventKind::Therapy {
                therapy,
                length_min,
                completed,
            } => {
                row.therapy = Some(therapy.name());
                row.length_min = Some(*length_min);
                row.outcome = Some(if *completed { "completed" } else { "stopped" });
            }
        }
        row
    }
}

/// What an export wrote.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Written {
    pub events: u64,
}

const CSV_HEADER: [&str; 17] = [
    "at",
    "type",
    "routine",
    "outcome",
    "steps_done",
    "steps_total",
    "active_s",
    "from_break",
    "sitting_min",
    "away_min",
    "was_due",
    "snooze_min",
    "score",
    "area",
    "note",
    "therapy",
    "length_min",
];

enum Inner<W: Write> {
    Csv(Box<csv::Writer<W>>),
    Json(W),
}

/// Writes an export one event at a time. Any write error is returned, never dropped.
pub struct Writer<W: Write> {
    inner: Inner<W>,
    written: Written,
}

impl<W: Write> Writer<W> {
    pub fn new(format: ExportFormat, mut out: W) -> io::Result<Writer<W>> {
        let inner = match format {
            ExportFormat::Csv => Inner::Csv(Box::new(csv::Writer::from_writer(out))),
            ExportFormat::Json => {
                write!(out, "{{\"format\": {JSON_FORMAT}, \"events\": [")?;
                Inner::Json(out)
            }
        };
        Ok(Writer {
            inner,
            written: Written::default(),
        })
    }

    pub fn event(&mut self, event: &HistoryEvent) -> io::Result<()> {
        match &mut self.inner {
            Inner::Csv(writer) => writer
                .serialize(CsvRow::of(event))
                .map_err(io::Error::other)?,
            Inner::Json(out) => {
                out.write_all(if self.written.events == 0 {
                    b"\n  "
                } else {
                    b",\n  "
                })?;
                serde_json::to_writer(&mut *out, event)?;
            }
        }
        self.written.events += 1;
        Ok(())
    }

    pub fn finish(self) -> io::Result<Written> {
        match self.inner {
            Inner::Csv(mut writer) => {
                if self.written.events == 0 {
                    // The header alone, so an empty history is still a readable file.
                    writer.write_record(CSV_HEADER).map_err(io::Error::other)?;
                }
                writer.flush()?;
            }
            Inner::Json(mut out) => {
                out.write_all(b"\n]}\n")?;
                out.flush()?;
            }
        }
        Ok(self.written)
    }
}

/// Writes `events` in `format` to `out`.
pub fn write<W: Write>(
    format: ExportFormat,
    events: impl Iterator<Item = HistoryEvent>,
    out: W,
) -> io::Result<Written> {
    let mut writer = Writer::new(format, out)?;
    for event in events {
        writer.event(&event)?;
    }
    writer.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::{BackArea, Note, Score};
    use crate::session::{Outcome, SessionRecord};

    fn at(text: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(text).unwrap()
    }

    fn events() -> Vec<HistoryEvent> {
        vec![
            HistoryEvent {
                at: at("2026-11-24T10:00:00+01:00"),
                kind: EventKind::Session(SessionRecord {
                    routine: "hourly".into(),
                    routine_name: "Hourly break".into(),
                    outcome: Outcome::Completed,
                    steps_done: 4,
                    steps_total: 4,
                    active_s: 180,
                    started_at: at("2026-11-24T09:57:00+01:00"),
                    ended_at: at("2026-11-24T10:00:00+01:00"),
                    from_break: true,
                }),
            },
            HistoryEvent {
                at: at("2026-11-24T10:01:00+01:00"),
                kind: EventKind::CheckIn {
                    score: Score::try_from(3).unwrap(),
                    area: Some(BackArea::Neck),
                    note: Some(Note::try_from("stiff, \"tight\"\nafter lunch".to_owned()).unwrap()),
                    after_session: true,
                },
            },
        ]
    }

    #[test]
    fn csv_and_json_exports_hold_every_event() {
        let mut csv_bytes = Vec::new();
        let written = write(ExportFormat::Csv, events().into_iter(), &mut csv_bytes).unwrap();
        assert_eq!(written.events, 2);
        let mut reader = csv::Reader::from_reader(csv_bytes.as_slice());
        let headers = reader.headers().unwrap().clone();
        assert_eq!(
            headers.iter().collect::<Vec<_>>(),
            CSV_HEADER,
            "the header names every column"
        );
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(&rows[0][0], "2026-11-24T10:00:00+01:00");
        assert_eq!(&rows[0][1], "session");
        assert_eq!(&rows[0][6], "180");
        assert_eq!(&rows[1][14], "stiff, \"tight\"\nafter lunch");
        assert_eq!(&rows[1][13], "neck");

        let mut json_bytes = Vec::new();
        write(ExportFormat::Json, events().into_iter(), &mut json_bytes).unwrap();
        let json: serde_json::Value = serde_json::from_slice(&json_bytes).unwrap();
        assert_eq!(json["format"], JSON_FORMAT);
        let back: Vec<HistoryEvent> = serde_json::from_value(json["events"].clone()).unwrap();
        assert_eq!(back, events());
    }

    #[test]
    fn an_empty_history_exports_a_readable_file() {
        let mut csv_bytes = Vec::new();
        write(ExportFormat::Csv, std::iter::empty(), &mut csv_bytes).unwrap();
        assert!(String::from_utf8(csv_bytes)
            .unwrap()
            .starts_with("at,type,"));
        let mut json_bytes = Vec::new();
        write(ExportFormat::Json, std::iter::empty(), &mut json_bytes).unwrap();
        let json: serde_json::Value = serde_json::from_slice(&json_bytes).unwrap();
        assert_eq!(json["events"], serde_json::json!([]));
    }

    /// A writer that fails after a few bytes, as a full disk does.
    struct Full(usize);
    impl Write for Full {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.0 < buf.len() {
                return Err(io::Error::new(io::ErrorKind::StorageFull, "disk full"));
            }
            self.0 -= buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn write_errors_are_reported_not_dropped() {
        for format in [ExportFormat::Csv, ExportFormat::Json] {
            let many = std::iter::repeat_n(events(), 1000).flatten();
            let error = write(format, many, Full(10_000)).unwrap_err();
            assert!(
                error.to_string().contains("disk full"),
                "{format:?}: {error}"
            );
        }
    }
}
