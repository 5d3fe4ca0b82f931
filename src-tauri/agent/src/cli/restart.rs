//! `limber restart`: stop the running agent, whatever version it is, and start this one.
//!
//! After a package upgrade the running agent is the old program and may speak another
//! protocol, so nothing here talks the protocol to it: the socket's peer credentials name
//! its process, which gets SIGTERM (the agent quits cleanly on it, as on `limber quit`).
//! The new agent is started in its own process group with no terminal, so closing the
//! terminal that ran `limber restart` does not end it.

use super::error::VerbError;
use limber_core::protocol::OpenArgs;
use limber_core::store::Paths;
use limber_ipc::Client;
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long the old agent has to stop, and the new one to answer.
const WAIT: Duration = Duration::from_secs(10);

pub async fn restart(open: bool) -> Result<(), VerbError> {
    let paths = Paths::from_process_env().map_err(VerbError::Paths)?;
    if let Some(pid) = running_agent(&paths) {
        stop(&paths, pid).await?;
    }
    let program = std::env::current_exe()?;
    Command::new(&program)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .map_err(|e| VerbError::Usage(format!("cannot start {}: {e}", program.display())))?;
    let started = Instant::now();
    let mut client = loop {
        match Client::connect(&paths.socket()).await {
            Ok(client) => break client,
            Err(e) if started.elapsed() > WAIT => return Err(e.into()),
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    };
    if open {
        client.call(OpenArgs { view: None }).await?;
    }
    println!("Limber restarted (version {})", limber_core::VERSION);
    Ok(())
}

/// The process behind the control socket, if one answers there and is the user's own.
fn running_agent(paths: &Paths) -> Option<rustix::process::Pid> {
    let stream = std::os::unix::net::UnixStream::connect(paths.socket()).ok()?;
    let peer = rustix::net::sockopt::socket_peercred(&stream).ok()?;
    (peer.uid == rustix::process::getuid()).then_some(peer.pid)
}

async fn stop(paths: &Paths, pid: rustix::process::Pid) -> Result<(), VerbError> {
    if let Err(e) = rustix::process::kill_process(pid, rustix::process::Signal::TERM) {
        return Err(VerbError::Usage(format!(
            "cannot stop the running agent (pid {}): {e}",
            pid.as_raw_nonzero()
        )));
    }
    // Gone once its single-instance lock is free: the lock goes with the process's last
    // file descriptor, whoever reaps it.
    let lock = std::fs::File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(paths.lock_file())?;
    let asked = Instant::now();
    while lock.try_lock().is_err() {
        if asked.elapsed() > WAIT {
            return Err(VerbError::Usage(format!(
                "the running agent (pid {}) did not stop within {} s",
                pid.as_raw_nonzero(),
                WAIT.as_secs()
            )));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    drop(lock);
    Ok(())
}
