//! What every E2E test stands on: a sandbox with its own XDG directories, the real
//! `limber` binaries started as a user would, the test tray watcher, a dbusmenu client,
//! WebDriver sessions on the real window, and X11 helpers.
//!
//! The display, the session bus, dunst and tauri-driver come from `tests/e2e/run.sh`
//! (DISPLAY, DBUS_SESSION_BUS_ADDRESS, LIMBER_E2E_WEBDRIVER). Every process a test starts
//! is ended by PID when the test's `Sandbox` is dropped, whether the test passed or not.

#![allow(dead_code)]

use fantoccini::error::CmdError;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};
use zbus::zvariant::{OwnedValue, Value as ZValue};

pub const TIMEOUT: Duration = Duration::from_secs(20);

/// The unprivileged user `scripts/setup.sh --test` creates, for what refuses to run as
/// root (Sway).
pub const TEST_USER: &str = "limber-e2e";

pub fn running_as_root() -> bool {
    rustix::process::geteuid().is_root()
}

pub fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Where the binaries under test are: `$LIMBER_BIN_DIR`, else the debug build under
/// `$CARGO_TARGET_DIR` (or `target/`).
pub fn bin_dir() -> PathBuf {
    std::env::var_os("LIMBER_BIN_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            std::env::var_os("CARGO_TARGET_DIR")
                .map(PathBuf::from)
                .map(|dir| {
                    if dir.is_absolute() {
                        dir
                    } else {
                        workspace().join(dir)
                    }
                })
                .unwrap_or_else(|| workspace().join("target"))
                .join("debug")
        })
}

pub fn screenshots_dir() -> PathBuf {
    let dir = std::env::var_os("LIMBER_E2E_SCREENSHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("target/e2e-screenshots"));
    let _ = std::fs::create_dir_all(&dir);
    dir
}

/// Polls `probe` until it returns `Some`, or panics with `what` after `timeout`.
pub fn wait_for<T>(what: &str, timeout: Duration, mut probe: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(value) = probe() {
            return value;
        }
        assert!(
            start.elapsed() < timeout,
            "timed out after {timeout:?} waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

pub async fn wait_for_async<T, F, Fut>(what: &str, timeout: Duration, mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let start = Instant::now();
    loop {
        if let Some(value) = probe().await {
            return value;
        }
        assert!(
            start.elapsed() < timeout,
            "timed out after {timeout:?} waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

// ---------- processes ----------

/// (pid, parent pid, state, comm) of every process, from /proc.
pub fn processes() -> Vec<(u32, u32, char, String)> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.filter_map(|entry| {
        let pid: u32 = entry.ok()?.file_name().to_str()?.parse().ok()?;
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        // comm is in parentheses and may contain spaces: split at the last ')'.
        let open = stat.find('(')?;
        let close = stat.rfind(')')?;
        let comm = stat[open + 1..close].to_owned();
        let mut rest = stat[close + 2..].split_whitespace();
        let state = rest.next()?.chars().next()?;
        let ppid = rest.next()?.parse().ok()?;
        Some((pid, ppid, state, comm))
    })
    .collect()
}

/// Whether `pid` is running (a zombie has ended; it is only waiting to be reaped).
pub fn alive(pid: u32) -> bool {
    processes()
        .iter()
        .any(|(p, _, state, _)| *p == pid && *state != 'Z')
}

pub fn children(pid: u32) -> Vec<(u32, String)> {
    processes()
        .into_iter()
        .filter(|(_, ppid, state, _)| *ppid == pid && *state != 'Z')
        .map(|(p, _, _, comm)| (p, comm))
        .collect()
}

/// All live descendants of `pid`.
pub fn descendants(pid: u32) -> Vec<(u32, String)> {
    let all = processes();
    let mut found = Vec::new();
    let mut frontier = vec![pid];
    while let Some(parent) = frontier.pop() {
        for (p, ppid, state, comm) in &all {
            if *ppid == parent && *state != 'Z' {
                found.push((*p, comm.clone()));
                frontier.push(*p);
            }
        }
    }
    found
}

/// The environment of process `pid` (NUL-separated `NAME=value`), empty once it has exited.
pub fn environ(pid: u32) -> String {
    std::fs::read(format!("/proc/{pid}/environ"))
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default()
}

fn signal(pid: u32, name: &str) {
    let _ = Command::new("kill")
        .arg(format!("-{name}"))
        .arg(pid.to_string())
        .stderr(Stdio::null())
        .status();
}

// ---------- the sandbox ----------

pub struct Sandbox {
    pub name: String,
    pub dir: tempfile::TempDir,
    children: Vec<Child>,
    agent_pid: Option<u32>,
    /// A private session bus for this sandbox only (see `use_bare_bus`).
    bus: Option<String>,
    /// Extra environment for the agent and the CLI.
    env: Vec<(String, String)>,
    /// Runs `limber` as this user (see `run_as`).
    user: Option<String>,
    /// Environment the sandbox's programs do not inherit.
    removed_env: Vec<String>,
}

impl Sandbox {
    /// A sandbox for a user who has closed the first-run welcome.
    pub fn new(name: &str) -> Self {
        let sandbox = Self::first_run(name);
        std::fs::create_dir_all(sandbox.config_dir()).expect("config dir");
        std::fs::write(sandbox.settings_file(), "{\"welcomed\": true}\n").expect("settings");
        sandbox
    }

    /// A sandbox for someone starting Limber for the first time: no settings file.
    pub fn first_run(name: &str) -> Self {
        let dir = tempfile::Builder::new()
            .prefix("limber-e2e-")
            .tempdir()
            .expect("temp dir");
        for sub in ["config", "data", "runtime"] {
            std::fs::create_dir_all(dir.path().join(sub)).expect("xdg dir");
        }
        let _ = Command::new("chmod")
            .arg("700")
            .arg(dir.path().join("runtime"))
            .status();
        Self {
            name: name.to_owned(),
            dir,
            children: Vec::new(),
            agent_pid: None,
            bus: None,
            env: Vec::new(),
            user: None,
            removed_env: Vec::new(),
        }
    }

    pub fn config_dir(&self) -> PathBuf {
        self.dir.path().join("config/limber")
    }

    pub fn settings_file(&self) -> PathBuf {
        self.config_dir().join("settings.json")
    }

    pub fn socket(&self) -> PathBuf {
        self.dir.path().join("runtime/limber/control.sock")
    }

    /// The user's Downloads folder, as their desktop names it in `user-dirs.dirs`
    /// (translated, as it often is).
    pub fn downloads_dir(&self) -> PathBuf {
        self.dir.path().join("Téléchargements")
    }

    /// One of the binaries under test, run in the sandbox (as its user, if it has one).
    pub fn command(&self, program: &str) -> Command {
        let path = match &self.user {
            Some(_) => self.dir.path().join("bin").join(program),
            None => bin_dir().join(program),
        };
        self.command_for(&path)
    }

    /// Any program, run in the sandbox's environment (as its user, if it has one).
    pub fn command_for(&self, program: &Path) -> Command {
        let mut command = match &self.user {
            // setpriv execs the program: the child's PID is the program's.
            Some(user) => {
                let mut command = Command::new("setpriv");
                command
                    .args(["--reuid", user, "--regid", user, "--clear-groups", "--"])
                    .arg(program);
                command
            }
            None => Command::new(program),
        };
        // The Downloads folder comes from user-dirs.dirs, as on a real desktop.
        let config = self.dir.path().join("config");
        let _ = std::fs::create_dir_all(&config);
        let _ = std::fs::write(
            config.join("user-dirs.dirs"),
            "# written by xdg-user-dirs-update\nXDG_DOWNLOAD_DIR=\"$HOME/Téléchargements\"\n",
        );
        command
            .env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", &config)
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .env("XDG_RUNTIME_DIR", self.dir.path().join("runtime"))
            .env_remove("XDG_DOWNLOAD_DIR")
            // The desktop is what the test gives: no Wayland compositor or logind session
            // of the machine running the tests, and a system bus only where a test serves
            // one (the path below does not exist).
            .env_remove("WAYLAND_DISPLAY")
            .env_remove("WAYLAND_SOCKET")
            .env_remove("XDG_SESSION_TYPE")
            .env_remove("XDG_SESSION_ID")
            // Which allocator WebKit uses is the product's choice (window/webview.rs).
            .env_remove("Malloc")
            .env_remove("WebKitMallocForceEnabled")
            .env(
                "DBUS_SYSTEM_BUS_ADDRESS",
                format!(
                    "unix:path={}",
                    self.dir.path().join("no-system-bus").display()
                ),
            )
            .env("LIMBER_WINDOW_BIN", bin_dir().join("limber-window"))
            .env("RUST_LOG", "info")
            .stdin(Stdio::null());
        if let Some(bus) = &self.bus {
            command.env("DBUS_SESSION_BUS_ADDRESS", bus);
        }
        for key in &self.removed_env {
            command.env_remove(key);
        }
        command.envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        command
    }

    /// Stops setting a variable given with `set_env`.
    pub fn unset_env(&mut self, key: &str) {
        self.env.retain(|(k, _)| k != key);
    }

    /// Starts `limber` (the agent) without talking to it (it may be one the CLI refuses
    /// to talk to); returns its PID once its socket exists.
    pub fn spawn_agent(&mut self) -> u32 {
        let child = self
            .command("limber")
            .stdout(self.log_file("agent.out"))
            .stderr(self.log_file("agent.log"))
            .spawn()
            .expect("start limber");
        let pid = child.id();
        self.children.push(child);
        self.agent_pid = Some(pid);
        let socket = self.socket();
        wait_for("the agent's socket", TIMEOUT, || {
            socket.exists().then_some(())
        });
        pid
    }

    /// Keeps a variable of the test's environment (`DISPLAY`…) from the sandbox's programs.
    pub fn remove_env(&mut self, key: &str) {
        self.removed_env.push(key.to_owned());
    }

    /// The address of the sandbox's own bus, if it has one (see `use_bare_bus`).
    pub fn bus_address(&self) -> Option<String> {
        self.bus.clone()
    }

    /// Sets an environment variable for everything this sandbox starts from now on.
    pub fn set_env(&mut self, key: &str, value: &str) {
        self.env.push((key.to_owned(), value.to_owned()));
    }

    /// Runs `limber` as `user` from now on (Sway refuses to run as root, and the agent
    /// must run as the compositor's user): the sandbox becomes theirs, with its own copy of
    /// `limber` (the build may sit where they cannot read). Only needed when the tests run
    /// as root.
    pub fn run_as(&mut self, user: &str) {
        let bin = self.dir.path().join("bin");
        std::fs::create_dir_all(&bin).expect("bin dir");
        let from = bin_dir().join("limber");
        // A copy, not a link: the chown below must not reach the build's own file.
        std::fs::copy(&from, bin.join("limber")).expect("copy limber");
        let status = Command::new("chown")
            .args(["-R", &format!("{user}:{user}")])
            .arg(self.dir.path())
            .status()
            .expect("chown");
        assert!(status.success(), "chown the sandbox to {user}");
        self.user = Some(user.to_owned());
    }

    /// Ends `child` with the sandbox.
    pub fn adopt(&mut self, child: Child) {
        self.children.push(child);
    }

    /// Writes a routine file into the user's routines directory.
    pub fn add_routine(&self, id: &str, text: &str) {
        let dir = self.config_dir().join("routines");
        std::fs::create_dir_all(&dir).expect("routines dir");
        std::fs::write(dir.join(format!("{id}.json")), text).expect("routine file");
    }

    /// The history log's events, one JSON value per line.
    pub fn history(&self) -> Vec<Value> {
        std::fs::read_to_string(self.dir.path().join("data/limber/history.jsonl"))
            .unwrap_or_default()
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect()
    }

    /// Gives this sandbox its own session bus on which nothing can be activated: no
    /// notification daemon, no tray watcher.
    pub fn use_bare_bus(&mut self) {
        let config = workspace().join("tests/e2e/bare-bus.conf");
        let mut child = Command::new("dbus-daemon")
            .arg(format!("--config-file={}", config.display()))
            .args(["--nofork", "--nopidfile", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start dbus-daemon");
        let mut address = String::new();
        if let Some(stdout) = child.stdout.take() {
            use std::io::BufRead;
            let _ = std::io::BufReader::new(stdout).read_line(&mut address);
        }
        self.children.push(child);
        assert!(
            address.starts_with("unix:"),
            "bare bus address: {address:?}"
        );
        self.bus = Some(address.trim().to_owned());
    }

    fn log_file(&self, name: &str) -> std::fs::File {
        std::fs::File::create(self.dir.path().join(name)).expect("log file")
    }

    pub fn log(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(name)).unwrap_or_default()
    }

    /// Starts `limber` (the agent) and waits until `limber status` answers.
    pub fn start_agent(&mut self) -> u32 {
        let pid = self.spawn_agent();
        wait_for("the agent to answer `limber status`", TIMEOUT, || {
            self.limber(&["status"]).status.success().then_some(())
        });
        pid
    }

    pub fn agent_pid(&self) -> u32 {
        self.agent_pid.expect("agent started")
    }

    /// Runs a `limber` CLI verb to completion.
    pub fn limber(&self, args: &[&str]) -> Output {
        self.command("limber")
            .args(args)
            .output()
            .expect("run limber")
    }

    pub fn status(&self) -> Value {
        let out = self.limber(&["status", "--json"]);
        assert!(
            out.status.success(),
            "status failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("status is JSON")
    }

    /// Starts the test StatusNotifierWatcher; returns the file it records registrations in.
    pub fn start_watcher(&mut self) -> PathBuf {
        let record = self.dir.path().join("watcher.txt");
        let child = Command::new(bin_dir().join("sni-watcher"))
            .arg(&record)
            .stdout(Stdio::null())
            .stderr(self.log_file("watcher.log"))
            .spawn()
            .expect("start sni-watcher");
        self.children.push(child);
        wait_for("the watcher to own its name", TIMEOUT, || {
            self.log("watcher.log").contains("owning").then_some(())
        });
        record
    }

    /// The window processes the agent has started and that still run.
    pub fn window_processes(&self) -> Vec<u32> {
        children(self.agent_pid())
            .into_iter()
            .filter(|(_, comm)| comm == "limber-window")
            .map(|(pid, _)| pid)
            .collect()
    }

    /// The window process the agent spawned, once it runs.
    pub fn wait_for_window_process(&self) -> u32 {
        wait_for("limber-window to be started by the agent", TIMEOUT, || {
            self.window_processes().first().copied()
        })
    }

    /// Agents whose environment points at this sandbox.
    pub fn agents(&self) -> Vec<u32> {
        let runtime = format!(
            "XDG_RUNTIME_DIR={}",
            self.dir.path().join("runtime").display()
        );
        processes()
            .into_iter()
            .filter(|(pid, _, state, comm)| {
                comm == "limber" && *state != 'Z' && environ(*pid).contains(&runtime)
            })
            .map(|(pid, ..)| pid)
            .collect()
    }

    pub fn screenshot_root(&self, label: &str) -> PathBuf {
        screenshot_display(&self.name, label)
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        // Windows and their WebKit helpers first, then everything we started.
        let mut pids: Vec<u32> = Vec::new();
        for child in &self.children {
            pids.extend(descendants(child.id()).into_iter().map(|(p, _)| p));
        }
        if let Some(agent) = self.agent_pid {
            if alive(agent) {
                let _ = self.limber(&["quit"]);
            }
        }
        for pid in pids.iter().rev() {
            signal(*pid, "TERM");
        }
        for child in &mut self.children {
            let _ = child.kill();
            let _ = child.wait();
        }
        for pid in pids {
            if alive(pid) {
                signal(pid, "KILL");
            }
        }
        if std::thread::panicking() {
            for log in ["agent.log", "watcher.log"] {
                eprintln!("---- {log} ----\n{}", self.log(log));
            }
        }
    }
}

/// Saves what the X display shows as `<test>-<label>.png` in the screenshots folder.
pub fn screenshot_display(test: &str, label: &str) -> PathBuf {
    let path = screenshots_dir().join(format!("{test}-{label}.png"));
    let status = Command::new("import")
        .args(["-window", "root"])
        .arg(&path)
        .status();
    assert!(
        matches!(status, Ok(s) if s.success()),
        "import -window root failed"
    );
    path
}

// ---------- the tray over D-Bus ----------

#[derive(Debug, Clone)]
pub struct MenuNode {
    pub id: i32,
    pub label: String,
    pub enabled: bool,
    pub children: Vec<MenuNode>,
}

impl MenuNode {
    pub fn flatten(&self) -> Vec<MenuNode> {
        let mut all = vec![self.clone()];
        for child in &self.children {
            all.extend(child.flatten());
        }
        all
    }

    pub fn find(&self, label: &str) -> Option<MenuNode> {
        self.flatten().into_iter().find(|n| n.label == label)
    }
}

fn unwrap_variant<'a>(value: &'a ZValue<'a>) -> &'a ZValue<'a> {
    match value {
        ZValue::Value(inner) => unwrap_variant(inner),
        other => other,
    }
}

type RawNode = (i32, HashMap<String, OwnedValue>, Vec<OwnedValue>);

fn parse_node(raw: RawNode) -> MenuNode {
    let (id, props, children) = raw;
    let label = props
        .get("label")
        .and_then(|v| match unwrap_variant(v) {
            ZValue::Str(s) => Some(s.to_string()),
            _ => None,
        })
        .unwrap_or_default();
    let enabled = props
        .get("enabled")
        .map(|v| !matches!(unwrap_variant(v), ZValue::Bool(false)))
        .unwrap_or(true);
    let children = children
        .into_iter()
        .filter_map(|child| {
            let value: ZValue<'_> = unwrap_variant(&child).try_clone().ok()?;
            RawNode::try_from(value).ok().map(parse_node)
        })
        .collect();
    MenuNode {
        id,
        label,
        enabled,
        children,
    }
}

pub struct TrayClient {
    connection: zbus::Connection,
    pub service: String,
}

impl TrayClient {
    /// Waits for the agent's item to register with the test watcher.
    pub async fn from_record(record: &Path) -> TrayClient {
        let service = wait_for_async("the tray to register with the watcher", TIMEOUT, || async {
            let text = std::fs::read_to_string(record).ok()?;
            text.lines()
                .last()
                .and_then(|l| l.split_whitespace().nth(1))
                .map(str::to_owned)
        })
        .await;
        let connection = zbus::Connection::session().await.expect("session bus");
        TrayClient {
            connection,
            service,
        }
    }

    /// Calls a `com.canonical.dbusmenu` method on the item's menu.
    async fn menu_call<B>(&self, method: &str, body: &B) -> zbus::Message
    where
        B: serde::Serialize + zbus::zvariant::DynamicType,
    {
        self.connection
            .call_method(
                Some(self.service.as_str()),
                "/MenuBar",
                Some("com.canonical.dbusmenu"),
                method,
                body,
            )
            .await
            .unwrap_or_else(|e| panic!("dbusmenu {method}: {e}"))
    }

    pub async fn layout(&self) -> MenuNode {
        let reply = self
            .menu_call("GetLayout", &(0i32, -1i32, Vec::<String>::new()))
            .await;
        let (_revision, layout): (u32, RawNode) = reply.body().deserialize().expect("layout");
        parse_node(layout)
    }

    /// Clicks a menu item, as a tray host does when the user picks it.
    pub async fn click(&self, label: &str) {
        let node = self
            .layout()
            .await
            .find(label)
            .unwrap_or_else(|| panic!("no menu item {label:?}"));
        self.menu_call("Event", &(node.id, "clicked", ZValue::I32(0), 0u32))
            .await;
    }
}

// ---------- the window over X11 ----------

/// An atom of the display, by name.
fn atom(conn: &impl x11rb::connection::Connection, name: &str) -> Option<u32> {
    use x11rb::protocol::xproto::ConnectionExt;
    conn.intern_atom(false, name.as_bytes())
        .ok()
        .and_then(|c| c.reply().ok())
        .map(|r| r.atom)
}

/// Every X window, at any depth, whose `_NET_WM_PID` is `pid`, with the connection that
/// found them.
fn windows_of(pid: u32) -> (x11rb::rust_connection::RustConnection, Vec<u32>) {
    use x11rb::connection::Connection;
    use x11rb::protocol::xproto::{AtomEnum, ConnectionExt};
    let (conn, screen) = x11rb::connect(None).expect("X display");
    let root = conn.setup().roots[screen].root;
    let Some(net_wm_pid) = atom(&conn, "_NET_WM_PID") else {
        return (conn, Vec::new());
    };
    let mut owned = Vec::new();
    let mut stack = vec![root];
    while let Some(window) = stack.pop() {
        if let Ok(Ok(tree)) = conn.query_tree(window).map(|c| c.reply()) {
            stack.extend(tree.children);
        }
        let owner = conn
            .get_property(false, window, net_wm_pid, AtomEnum::CARDINAL, 0, 1)
            .ok()
            .and_then(|c| c.reply().ok())
            .and_then(|r| r.value32().and_then(|mut v| v.next()));
        if owner == Some(pid) {
            owned.push(window);
        }
    }
    (conn, owned)
}

/// Asks the window of process `pid` to close, as a window manager's close button does
/// (WM_DELETE_WINDOW). Returns how many windows were asked.
pub fn close_windows_of(pid: u32) -> usize {
    use x11rb::connection::Connection;
    use x11rb::protocol::xproto::{ClientMessageEvent, ConnectionExt, EventMask};
    let (conn, windows) = windows_of(pid);
    let (Some(protocols), Some(delete)) =
        (atom(&conn, "WM_PROTOCOLS"), atom(&conn, "WM_DELETE_WINDOW"))
    else {
        return 0;
    };
    for &window in &windows {
        let event = ClientMessageEvent::new(32, window, protocols, [delete, 0, 0, 0, 0]);
        let _ = conn.send_event(false, window, EventMask::NO_EVENT, event);
    }
    let _ = conn.flush();
    windows.len()
}

/// How many windows of process `pid` are mapped and viewable on the display.
pub fn viewable_windows_of(pid: u32) -> usize {
    use x11rb::protocol::xproto::{ConnectionExt, MapState};
    let (conn, windows) = windows_of(pid);
    windows
        .into_iter()
        .filter(|&window| {
            conn.get_window_attributes(window)
                .ok()
                .and_then(|c| c.reply().ok())
                .is_some_and(|a| a.map_state == MapState::VIEWABLE)
        })
        .count()
}

// ---------- the window over WebDriver ----------

pub struct Ui {
    pub client: Client,
    name: String,
}

fn transient(error: &CmdError) -> bool {
    // tauri-driver sometimes drops a keep-alive connection: retry those, never HTTP errors.
    matches!(
        error,
        CmdError::Lost(_) | CmdError::Failed(_) | CmdError::FailedC(_)
    )
}

impl Ui {
    /// Starts a real `limber-window` through tauri-driver, pointed at the sandbox's agent.
    pub async fn open(sandbox: &Sandbox) -> Ui {
        let url = std::env::var("LIMBER_E2E_WEBDRIVER")
            .unwrap_or_else(|_| "http://127.0.0.1:4444".to_owned());
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("browserName".to_owned(), json!("wry"));
        capabilities.insert(
            "tauri:options".to_owned(),
            json!({
                "application": bin_dir().join("limber-window"),
                "args": ["--socket", sandbox.socket()],
            }),
        );
        let mut last = None;
        for _ in 0..5 {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector)
                .capabilities(capabilities.clone())
                .connect(&url)
                .await
            {
                Ok(client) => {
                    let ui = Ui {
                        client,
                        name: sandbox.name.clone(),
                    };
                    // The window shows itself once the page holds the agent's data; a
                    // user can do nothing before, and neither may a test.
                    ui.wait_js(
                        "the window to show",
                        "return document.querySelector('h1') !== null && document.visibilityState === 'visible'",
                    )
                    .await;
                    return ui;
                }
                Err(e) => {
                    last = Some(e.to_string());
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
            }
        }
        panic!("no WebDriver session at {url}: {last:?}");
    }

    async fn retry<T, F, Fut>(&self, mut action: F) -> Result<T, CmdError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, CmdError>>,
    {
        let mut attempt = 0;
        loop {
            // No WebDriver call may hang a test (and CI) forever.
            let result = match tokio::time::timeout(TIMEOUT, action()).await {
                Ok(result) => result,
                Err(_) => panic!("a WebDriver call did not answer within {TIMEOUT:?}"),
            };
            match result {
                Err(e) if transient(&e) && attempt < 4 => {
                    attempt += 1;
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                other => return other,
            }
        }
    }

    pub async fn js(&self, script: &str) -> Value {
        self.retry(|| self.client.execute(script, vec![]))
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// Polls a script until it returns something truthy; returns that value.
    pub async fn wait_js(&self, what: &str, script: &str) -> Value {
        wait_for_async(what, TIMEOUT, || async {
            let value = self
                .retry(|| self.client.execute(script, vec![]))
                .await
                .ok()?;
            let truthy = !matches!(value, Value::Null | Value::Bool(false))
                && value != json!("")
                && value != json!(0);
            truthy.then_some(value)
        })
        .await
    }

    pub async fn text(&self, css: &str) -> String {
        let script = format!(
            "const el = document.querySelector({}); return el ? el.textContent : null;",
            json!(css)
        );
        self.js(&script)
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    pub async fn click(&self, css: &str) {
        let element = self
            .retry(|| self.client.find(Locator::Css(css)))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"));
        // Centred first, as a user would scroll to it: at an edge, a sticky bar (the
        // welcome's buttons) can cover it.
        let script = format!(
            "document.querySelector({})?.scrollIntoView({{block: 'center'}})",
            json!(css)
        );
        self.js(&script).await;
        self.retry(|| element.click())
            .await
            .unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    /// Types into an input as a user would: clear, type, then Tab away (which commits it).
    pub async fn type_into(&self, css: &str, text: &str) {
        let element = self
            .retry(|| self.client.find(Locator::Css(css)))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"));
        self.retry(|| element.clear())
            .await
            .unwrap_or_else(|e| panic!("clear {css}: {e}"));
        let keys = format!("{text}\u{E004}");
        self.retry(|| element.send_keys(&keys))
            .await
            .unwrap_or_else(|e| panic!("type {css}: {e}"));
    }

    /// Chooses a file in a file input, as a user picking it in the file dialog would.
    pub async fn type_into_file(&self, css: &str, path: &Path) {
        let element = self
            .retry(|| self.client.find(Locator::Css(css)))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"));
        let text = path.display().to_string();
        self.retry(|| element.send_keys(&text))
            .await
            .unwrap_or_else(|e| panic!("choose {text} in {css}: {e}"));
    }

    /// Presses and releases a key, as a user does (WebDriver key actions on the focused
    /// page). `key` is a character or one of fantoccini's `Key` codes.
    pub async fn press(&self, key: char) {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        let actions = KeyActions::new("keyboard".to_owned())
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key });
        self.retry(|| self.client.perform_actions(actions.clone()))
            .await
            .unwrap_or_else(|e| panic!("press {key:?}: {e}"));
    }

    /// Shows the page in dark (or light) colours whatever the desktop's theme.
    pub async fn theme(&self, theme: &str) {
        self.js(&format!(
            "document.documentElement.dataset.theme = {}; return true;",
            json!(theme)
        ))
        .await;
        // Let WebKit paint the new colours before a screenshot.
        tokio::time::sleep(Duration::from_millis(400)).await;
    }

    /// Saves what the display shows (the window is the only one on it). Taken from the X
    /// server rather than through WebDriver: WebKitWebDriver's screenshot was seen to hang
    /// for good on some pages that render normally (rAF fires, the page answers scripts).
    pub async fn screenshot(&self, label: &str) -> PathBuf {
        // Let WebKit paint the latest change first.
        tokio::time::sleep(Duration::from_millis(300)).await;
        screenshot_display(&self.name, label)
    }

    /// Waits until the window shows the agent's schedule (it is connected).
    pub async fn wait_connected(&self) {
        self.wait_js(
            "the window to connect",
            "return document.querySelector('[data-countdown]')?.textContent.includes(':')",
        )
        .await;
    }

    pub async fn close(self) {
        let _ = self.client.close().await;
    }
}

// ---------- the notification daemon ----------

/// Waits until dunst shows at least one notification (`what` names it).
pub fn wait_for_notification(what: &str) {
    wait_for(what, TIMEOUT, || {
        (dunstctl(&["count", "displayed"])
            .parse::<u32>()
            .unwrap_or(0)
            >= 1)
            .then_some(())
    });
}

/// Waits until dunst shows at least one notification, then closes them all into its
/// history and returns that history (notifications reach `history` only once closed).
pub fn dunst_history_after_one() -> String {
    wait_for_notification("a notification");
    dunstctl(&["close-all"]);
    dunstctl(&["history"])
}

/// Runs `dunstctl` against the shared test session's dunst.
pub fn dunstctl(args: &[&str]) -> String {
    let out = Command::new("dunstctl")
        .args(args)
        .output()
        .expect("dunstctl");
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// Makes dunst's context menu pick the entry containing `text` (see tests/e2e/dmenu.sh),
/// and returns what the menus offered so far.
pub fn dmenu_pick(text: &str) {
    let pick = std::env::var("LIMBER_E2E_PICK_FILE").expect("run through tests/e2e/run.sh");
    std::fs::write(pick, text).expect("write pick file");
}

pub fn dmenu_log() -> String {
    std::env::var("LIMBER_E2E_DMENU_LOG")
        .ok()
        .and_then(|p| std::fs::read_to_string(p).ok())
        .unwrap_or_default()
}
