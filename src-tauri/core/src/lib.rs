//! Limber's pure core.
//!
//! Invariants: this crate knows nothing about Tauri, tokio, D-Bus or the window. It never
//! reads a clock: every function that depends on time takes a [`Now`]. The only module that
//! touches the file system is [`store`].

pub mod catalog;
pub mod error;
pub mod export;
pub mod history;
pub mod json;
pub mod posture;
pub mod protocol;
pub mod routine;
pub mod schedule;
pub mod session;
pub mod settings;
pub mod stats;
pub mod store;
pub mod therapy;
pub mod time;

pub use error::AgentError;
pub use time::Now;

/// The name a unit enum value has on the wire (its serde string): `Side::Left` → "left",
/// `View::Settings` → "settings". Empty for a value that is not a string on the wire.
pub fn wire_name<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => name,
        _ => String::new(),
    }
}

/// The version of Limber, shared by the agent, the window and `limber --version`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

#[cfg(test)]
mod tests {
    use super::*;

    /// The names the code uses for log types, CSV cells and messages are the serde names.
    #[test]
    fn static_names_are_the_wire_names() {
        use strum::VariantArray;
        for kind in therapy::TherapyKind::VARIANTS {
            assert_eq!(kind.name(), wire_name(kind));
        }
        for area in history::BackArea::VARIANTS {
            assert_eq!(area.name(), wire_name(area));
        }
        for outcome in [
            session::Outcome::Completed,
            session::Outcome::Stopped,
            session::Outcome::Abandoned,
        ] {
            assert_eq!(outcome.name(), wire_name(&outcome));
        }
        let kinds = [
            history::EventKind::BreakSkipped,
            history::EventKind::PostureCheck,
            history::EventKind::BreakDue { sitting_min: 1 },
            history::EventKind::BreakSnoozed { snooze_min: 1 },
            history::EventKind::NaturalBreak {
                away_min: 1,
                was_due: false,
            },
        ];
        for kind in kinds {
            let value = serde_json::to_value(&kind).unwrap();
            assert_eq!(value["type"], kind.type_name());
        }
    }
}
