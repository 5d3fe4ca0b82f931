//! The runtime folder (`$XDG_RUNTIME_DIR/limber`, or `/tmp/limber-$USER` without it) holds
//! the control socket and the agent's lock. Whoever controls it can answer for the agent,
//! so it must be a real directory (not a symlink), owned by the user, with no permission
//! for anyone else; the socket in it must be the user's too. The agent creates it that way
//! or refuses to start; every client checks it before connecting.

use std::fs;
use std::io;
use std::os::unix::fs::{DirBuilderExt, FileTypeExt, MetadataExt};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum UnsafeDir {
    #[error("{} is a symbolic link; Limber's runtime folder must be a real folder. Remove it and start Limber again", .0.display())]
    Symlink(PathBuf),
    #[error("{} is not a folder", .0.display())]
    NotADirectory(PathBuf),
    #[error("{} belongs to user {owner}, not to you (user {me}); Limber will not use it. Remove it (as its owner or root), or set XDG_RUNTIME_DIR", path.display())]
    NotOwned { path: PathBuf, owner: u32, me: u32 },
    #[error("{} can be used by other users (mode {mode:o}); Limber needs it private. Run `chmod 700 {}`", path.display(), path.display())]
    Loose { path: PathBuf, mode: u32 },
    #[error("the control socket {} belongs to user {owner}, not to you (user {me}); Limber will not talk to it", path.display())]
    SocketNotOwned { path: PathBuf, owner: u32, me: u32 },
    #[error("{} is not a socket", .0.display())]
    NotASocket(PathBuf),
    #[error("cannot use {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

fn me() -> u32 {
    rustix::process::getuid().as_raw()
}

/// Checks that `dir` exists and is the user's private folder.
pub fn check(dir: &Path) -> Result<(), UnsafeDir> {
    let meta = fs::symlink_metadata(dir).map_err(|source| UnsafeDir::Io {
        path: dir.to_owned(),
        source,
    })?;
    check_meta(dir, &meta)
}

fn check_meta(dir: &Path, meta: &fs::Metadata) -> Result<(), UnsafeDir> {
    if meta.file_type().is_symlink() {
        return Err(UnsafeDir::Symlink(dir.to_owned()));
    }
    if !meta.is_dir() {
        return Err(UnsafeDir::NotADirectory(dir.to_owned()));
    }
    if meta.uid() != me() {
        return Err(UnsafeDir::NotOwned {
            path: dir.to_owned(),
            owner: meta.uid(),
            me: me(),
        });
    }
    let mode = meta.mode() & 0o7777;
    if mode & 0o077 != 0 {
        return Err(UnsafeDir::Loose {
            path: dir.to_owned(),
            mode,
        });
    }
    Ok(())
}

/// Creates `dir` private (0700) if it is missing, then checks it. An existing folder is
/// never chmod-ed or taken over: if it is not private and the user's, that is the error.
pub fn prepare(dir: &Path) -> Result<(), UnsafeDir> {
    if let Some(parent) = dir.parent() {
        // The parent ($XDG_RUNTIME_DIR, or /tmp) is the system's; only create it if missing.
        if !parent.exists() {
            fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(parent)
                .map_err(|source| UnsafeDir::Io {
                    path: parent.to_owned(),
                    source,
                })?;
        }
    }
    match fs::DirBuilder::new().mode(0o700).create(dir) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
        Err(source) => {
            return Err(UnsafeDir::Io {
                path: dir.to_owned(),
                source,
            })
        }
    }
    check(dir)
}

/// Checks the folder, and that the socket in it is a socket of the user's.
pub fn check_socket(socket: &Path) -> Result<(), UnsafeDir> {
    if let Some(dir) = socket.parent() {
        check(dir)?;
    }
    let meta = fs::symlink_metadata(socket).map_err(|source| UnsafeDir::Io {
        path: socket.to_owned(),
        source,
    })?;
    if !meta.file_type().is_socket() {
        return Err(UnsafeDir::NotASocket(socket.to_owned()));
    }
    if meta.uid() != me() {
        return Err(UnsafeDir::SocketNotOwned {
            path: socket.to_owned(),
            owner: meta.uid(),
            me: me(),
        });
    }
    Ok(())
}

impl UnsafeDir {
    /// The folder or socket is simply not there (no agent has run): not a safety problem.
    pub fn is_missing(&self) -> bool {
        matches!(self, UnsafeDir::Io { source, .. } if source.kind() == io::ErrorKind::NotFound)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_fresh_folder_is_made_private_and_accepted() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("run/limber");
        prepare(&dir).unwrap();
        let mode = fs::metadata(&dir).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700);
        prepare(&dir).unwrap();
        check(&dir).unwrap();
    }

    #[test]
    fn loose_symlinked_or_wrong_kind_folders_are_refused_and_left_alone() {
        let root = tempfile::tempdir().unwrap();
        let loose = root.path().join("loose");
        fs::create_dir(&loose).unwrap();
        fs::set_permissions(&loose, fs::Permissions::from_mode(0o755)).unwrap();
        let error = prepare(&loose).unwrap_err();
        assert!(
            matches!(error, UnsafeDir::Loose { mode: 0o755, .. }),
            "{error}"
        );
        assert!(error.to_string().contains("chmod 700"));
        let mode = fs::metadata(&loose).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o755, "not chmod-ed behind the user's back");

        let target = root.path().join("target");
        fs::create_dir(&target).unwrap();
        fs::set_permissions(&target, fs::Permissions::from_mode(0o700)).unwrap();
        let link = root.path().join("link");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        assert!(matches!(prepare(&link).unwrap_err(), UnsafeDir::Symlink(_)));

        let file = root.path().join("file");
        fs::write(&file, "").unwrap();
        assert!(matches!(
            prepare(&file).unwrap_err(),
            UnsafeDir::NotADirectory(_)
        ));

        let missing = check(&root.path().join("missing")).unwrap_err();
        assert!(missing.is_missing());
    }

    #[test]
    fn a_socket_must_be_a_socket() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("limber");
        prepare(&dir).unwrap();
        let fake = dir.join("control.sock");
        fs::write(&fake, "").unwrap();
        assert!(matches!(
            check_socket(&fake).unwrap_err(),
            UnsafeDir::NotASocket(_)
        ));
        fs::remove_file(&fake).unwrap();
        let _listener = std::os::unix::net::UnixListener::bind(&fake).unwrap();
        check_socket(&fake).unwrap();
    }
}
