//! The XDG autostart entry (`$XDG_CONFIG_HOME/autostart/limber.desktop`) that starts
//! Limber at login, following the freedesktop Autostart and Desktop Entry specifications.
//!
//! Turning it off deletes the file (`X-GNOME-Autostart-enabled=false` is not honoured by
//! systemd's autostart generator, which KDE Plasma uses). `TryExec` makes an entry left
//! behind after the package is removed harmless: sessions skip it. `--login` tells the
//! agent it was started at login (no window then, and quiet if one already runs).

use super::write_atomic;
use std::io;
use std::path::Path;

/// The program for `Exec`/`TryExec`, written as the spec requires: a bare name or an
/// absolute path, quoted when it holds a space or a character the spec reserves.
pub fn exec_program(program: &str) -> String {
    const RESERVED: &[char] = &[
        ' ', '\t', '\n', '"', '\'', '\\', '>', '<', '~', '|', '&', ';', '$', '*', '?', '#', '(',
        ')', '`',
    ];
    if !program.contains(RESERVED) {
        return program.to_owned();
    }
    let mut quoted = String::from("\"");
    for c in program.chars() {
        if matches!(c, '"' | '`' | '$' | '\\') {
            quoted.push('\\');
        }
        quoted.push(c);
    }
    quoted.push('"');
    // In a desktop file's string values a backslash is itself escaped.
    quoted.replace('\\', "\\\\")
}

/// The entry's text for `program` (a bare `limber` when that is the one on `PATH`, else
/// the absolute path of the running binary).
pub fn entry(program: &str) -> String {
    let exec = exec_program(program);
    format!(
        "[Desktop Entry]\n\
         Type=Application\n\
         Name=Limber\n\
         Comment=Stretch breaks and posture reminders from the tray\n\
         Exec={exec} --login\n\
         TryExec={exec}\n\
         Icon=limber\n\
         Terminal=false\n\
         NoDisplay=true\n\
         X-GNOME-Autostart-enabled=true\n"
    )
}

/// Writes the entry (atomically) or removes it.
pub fn set(file: &Path, program: Option<&str>) -> io::Result<()> {
    match program {
        Some(program) => write_atomic(file, entry(program).as_bytes()),
        None => match std::fs::remove_file(file) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_entry_starts_limber_at_login_and_is_skipped_once_limber_is_gone() {
        let text = entry("limber");
        assert!(text.starts_with("[Desktop Entry]\n"));
        assert!(text.contains("\nExec=limber --login\n"));
        assert!(text.contains("\nTryExec=limber\n"));
    }

    #[test]
    fn a_path_with_spaces_or_reserved_characters_is_quoted() {
        assert_eq!(
            exec_program("/opt/limber/bin/limber"),
            "/opt/limber/bin/limber"
        );
        assert_eq!(
            exec_program("/home/ann/My Apps/limber"),
            "\"/home/ann/My Apps/limber\""
        );
        assert_eq!(exec_program("/tmp/a$b/limber"), "\"/tmp/a\\\\$b/limber\"");
    }

    #[test]
    fn set_writes_and_removes_and_removing_twice_is_fine() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("autostart/limber.desktop");
        set(&file, Some("limber")).unwrap();
        assert!(std::fs::read_to_string(&file)
            .unwrap()
            .contains("Exec=limber --login"));
        set(&file, None).unwrap();
        assert!(!file.exists());
        set(&file, None).unwrap();
    }
}
