//! GNOME's do-not-disturb: the `show-banners` key of `org.gnome.desktop.notifications` in
//! the user's dconf database (GNOME's settings portal does not expose it). The database is
//! a GVariant database file read with `gvdb`; dconf's writer announces every change with a
//! `Notify` signal, on which it is read again.

use super::{Kind, Report, Reports};
use futures_util::StreamExt;
use std::path::PathBuf;
use zbus::{Connection, MatchRule, MessageStream};

const KEY: &str = "/org/gnome/desktop/notifications/show-banners";
const PREFIX: &str = "/org/gnome/desktop/notifications/";

/// The user's dconf database: `$XDG_CONFIG_HOME/dconf/user`.
fn database() -> Option<PathBuf> {
    let config = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(config.join("dconf/user"))
}

/// Whether notifications are silenced: `show-banners` is false. A missing file or key is
/// the default, banners on.
pub fn banners_off(path: &std::path::Path) -> bool {
    let Ok(bytes) = limber_core::store::read_regular(path, 16 * 1024 * 1024) else {
        return false;
    };
    let Ok(file) = gvdb::read::File::from_bytes(std::borrow::Cow::Owned(bytes)) else {
        return false;
    };
    let Ok(table) = file.hash_table() else {
        return false;
    };
    table.get::<bool>(KEY).is_ok_and(|shown| !shown)
}

pub fn spawn(reports: Reports) {
    let Some(path) = database() else {
        return;
    };
    tokio::spawn(async move {
        let report = |busy| Report {
            source: "GNOME notifications",
            kind: Kind::DoNotDisturb,
            busy,
        };
        let check = || {
            let path = path.clone();
            tokio::task::spawn_blocking(move || banners_off(&path))
        };
        // Only desktops that keep their settings in dconf have the file.
        if !path.exists() {
            return;
        }
        let Ok(connection) = Connection::session().await else {
            return;
        };
        let rule = MatchRule::builder()
            .msg_type(zbus::message::Type::Signal)
            .interface("ca.desrt.dconf.Writer")
            .and_then(|r| r.member("Notify"))
            .and_then(|r| r.arg_path(0, PREFIX))
            .map(|r| r.build());
        let Ok(rule) = rule else {
            return;
        };
        let Ok(mut changes) = MessageStream::for_match_rule(rule, &connection, Some(8)).await
        else {
            return;
        };
        loop {
            let busy = check().await.unwrap_or(false);
            if reports.send(report(busy)).is_err() || changes.next().await.is_none() {
                return;
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn banners_off_in_a_dconf_database_is_do_not_disturb() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("user");
        let write = |shown: bool| {
            let mut table = gvdb::write::HashTableBuilder::new();
            table.insert(KEY, shown).unwrap();
            table
                .insert("/org/gnome/desktop/interface/clock-format", "24h")
                .unwrap();
            let bytes = gvdb::write::FileWriter::new()
                .write_to_vec_with_table(table)
                .unwrap();
            std::fs::write(&path, bytes).unwrap();
        };
        assert!(!banners_off(&path), "no database: banners on");
        write(false);
        assert!(banners_off(&path));
        write(true);
        assert!(!banners_off(&path));
        std::fs::write(&path, b"garbage").unwrap();
        assert!(
            !banners_off(&path),
            "an unreadable database changes nothing"
        );
    }
}
