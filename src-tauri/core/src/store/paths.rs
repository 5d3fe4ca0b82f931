//! Where Limber keeps its files, from the XDG base-directory variables.

use std::ffi::OsString;
use std::path::PathBuf;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paths {
    /// `$XDG_CONFIG_HOME/limber`: settings.json, routines/.
    pub config_dir: PathBuf,
    /// `$XDG_DATA_HOME/limber`: history.jsonl.
    pub data_dir: PathBuf,
    /// `$XDG_RUNTIME_DIR/limber`, or `/tmp/limber-$USER` without it: control.sock,
    /// agent.lock. Private to the user (mode 0700, owned by them; checked by `limber-ipc`).
    pub runtime_dir: PathBuf,
    /// Where exports from the window are saved: `$XDG_DOWNLOAD_DIR`, else the Downloads
    /// folder of `user-dirs.dirs` (often translated), else `~/Downloads`.
    pub downloads_dir: PathBuf,
    /// `$XDG_CONFIG_HOME/autostart`: where the login entry goes.
    pub autostart_dir: PathBuf,
}

impl Paths {
    /// Resolves the directories from environment values passed in (`var` is
    /// `std::env::var_os` in the binaries and a table in tests). Relative values are ignored,
    /// as the XDG specification asks. The Downloads folder is looked up in `user-dirs.dirs`
    /// (through the `dirs` crate, which reads the process environment) only when
    /// `XDG_DOWNLOAD_DIR` is not given.
    pub fn from_env(var: impl Fn(&str) -> Option<OsString>) -> Result<Paths, String> {
        let absolute = |name: &str| var(name).map(PathBuf::from).filter(|p| p.is_absolute());
        let home = absolute("HOME");
        let base = |name: &str, fallback: &str| {
            absolute(name)
                .or_else(|| home.as_ref().map(|h| h.join(fallback)))
                .ok_or_else(|| format!("neither ${name} nor $HOME is set to an absolute path"))
        };
        let runtime_dir = match absolute("XDG_RUNTIME_DIR") {
            Some(dir) => dir.join("limber"),
            None => {
                let user = var("USER")
                    .map(|u| u.to_string_lossy().into_owned())
                    .filter(|u| !u.is_empty() && !u.contains('/'))
                    .unwrap_or_else(|| "user".to_owned());
                PathBuf::from("/tmp").join(format!("limber-{user}"))
            }
        };
        let config_home = base("XDG_CONFIG_HOME", ".config")?;
        let downloads_dir = match absolute("XDG_DOWNLOAD_DIR") {
            Some(dir) => dir,
            None => dirs::download_dir()
                .filter(|d| d.is_absolute())
                .map_or_else(|| base("HOME", "Downloads"), Ok)?,
        };
        Ok(Paths {
            config_dir: config_home.join("limber"),
            data_dir: base("XDG_DATA_HOME", ".local/share")?.join("limber"),
            runtime_dir,
            downloads_dir,
            autostart_dir: config_home.join("autostart"),
        })
    }

    /// The real environment's paths.
    pub fn from_process_env() -> Result<Paths, String> {
        Paths::from_env(|name| std::env::var_os(name))
    }

    /// Every directory under `root`, as tests want them.
    pub fn under(root: &std::path::Path) -> Paths {
        Paths {
            config_dir: root.join("config/limber"),
            data_dir: root.join("data/limber"),
            runtime_dir: root.join("runtime/limber"),
            downloads_dir: root.join("downloads"),
            autostart_dir: root.join("config/autostart"),
        }
    }

    pub fn settings_file(&self) -> PathBuf {
        self.config_dir.join("settings.json")
    }

    pub fn history_file(&self) -> PathBuf {
        self.data_dir.join("history.jsonl")
    }

    pub fn routines_dir(&self) -> PathBuf {
        self.config_dir.join("routines")
    }

    pub fn socket(&self) -> PathBuf {
        self.runtime_dir.join("control.sock")
    }

    pub fn lock_file(&self) -> PathBuf {
        self.runtime_dir.join("agent.lock")
    }

    /// The XDG autostart entry that starts Limber at login (present only while
    /// `start_at_login` is on).
    pub fn autostart_file(&self) -> PathBuf {
        self.autostart_dir.join("limber.desktop")
    }

    /// Where the CLI's exports to standard output are written first.
    pub fn spool_dir(&self) -> PathBuf {
        self.runtime_dir.join("spool")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<OsString> + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| OsString::from(v))
        }
    }

    #[test]
    fn xdg_variables_win_and_relative_ones_are_ignored() {
        let paths = Paths::from_env(env(&[
            ("HOME", "/home/a"),
            ("XDG_CONFIG_HOME", "/cfg"),
            ("XDG_DATA_HOME", "relative/data"),
            ("XDG_RUNTIME_DIR", "/run/user/1000"),
            ("XDG_DOWNLOAD_DIR", "/home/a/Téléchargements"),
        ]))
        .unwrap();
        assert_eq!(
            paths.settings_file(),
            PathBuf::from("/cfg/limber/settings.json")
        );
        assert_eq!(paths.data_dir, PathBuf::from("/home/a/.local/share/limber"));
        assert_eq!(
            paths.socket(),
            PathBuf::from("/run/user/1000/limber/control.sock")
        );
        assert_eq!(
            paths.downloads_dir,
            PathBuf::from("/home/a/Téléchargements")
        );
        assert_eq!(paths.autostart_dir, PathBuf::from("/cfg/autostart"));
        assert!(Paths::from_env(env(&[])).is_err());
    }

    #[test]
    fn without_a_runtime_dir_the_fallback_is_per_user_in_tmp() {
        let paths = Paths::from_env(env(&[
            ("HOME", "/home/a"),
            ("USER", "ann"),
            ("XDG_DOWNLOAD_DIR", "/d"),
        ]))
        .unwrap();
        assert_eq!(paths.runtime_dir, PathBuf::from("/tmp/limber-ann"));
        let sneaky = Paths::from_env(env(&[
            ("HOME", "/home/a"),
            ("USER", "../etc"),
            ("XDG_DOWNLOAD_DIR", "/d"),
        ]))
        .unwrap();
        assert_eq!(sneaky.runtime_dir, PathBuf::from("/tmp/limber-user"));
    }
}
