//! Knowing when the user is away, on real and test desktops: the Wayland idle protocols
//! (a test compositor speaking `ext-idle-notify-v1` versions 1 and 2 and
//! `org_kde_kwin_idle`, and a real headless Sway 1.7), a locked screen and sleep from
//! logind (served by the test on a private system bus, with the real interface and
//! signals), and the status's word when nothing can be read.

use crate::harness::{
    running_as_root, wait_for, wait_for_async, workspace, Sandbox, TEST_USER, TIMEOUT,
};
use serde_json::Value;
use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use zbus::object_server::SignalEmitter;
use zbus::zvariant::{ObjectPath, OwnedObjectPath};

/// A sandbox whose natural break is one minute, with no tray, notification daemon or
/// Mutter (its own bare session bus) and no window.
fn sandbox(name: &str) -> Sandbox {
    let mut sandbox = Sandbox::new(name);
    std::fs::write(
        sandbox.settings_file(),
        "{\"welcomed\": true, \"natural_break_min\": 1}\n",
    )
    .expect("settings");
    sandbox.use_bare_bus();
    sandbox.set_env("LIMBER_WINDOW_BIN", "/bin/true");
    sandbox
}

fn natural_breaks(sandbox: &Sandbox) -> Vec<Value> {
    sandbox
        .history()
        .into_iter()
        .filter(|e| e["type"] == "natural_break")
        .collect()
}

fn wait_status(sandbox: &Sandbox, what: &str, done: impl Fn(&Value) -> bool) -> Value {
    wait_for(what, TIMEOUT, || {
        let status = sandbox.status();
        done(&status).then_some(status)
    })
}

// ---------- the test compositor ----------

/// `fake-compositor` on a socket in the sandbox; its clock runs 60 times faster, so a
/// one-minute natural break passes in a second.
struct Compositor {
    child: Child,
    stdin: ChildStdin,
    said: Arc<Mutex<Vec<String>>>,
}

impl Compositor {
    fn start(sandbox: &mut Sandbox, args: &[&str]) -> Compositor {
        let socket = sandbox.dir.path().join("wayland-test");
        let mut child = Command::new(crate::harness::bin_dir().join("fake-compositor"))
            .arg(&socket)
            .args(args)
            .args(["--scale", "60"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start fake-compositor");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let said = Arc::new(Mutex::new(Vec::new()));
        let lines = said.clone();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
            {
                lines.lock().unwrap().push(line);
            }
        });
        let compositor = Compositor { child, stdin, said };
        compositor.wait_said("ready");
        sandbox.set_env("WAYLAND_DISPLAY", &socket.to_string_lossy());
        compositor
    }

    fn wait_said(&self, line: &str) {
        wait_for(&format!("the compositor to say {line:?}"), TIMEOUT, || {
            self.said
                .lock()
                .unwrap()
                .iter()
                .any(|l| l == line)
                .then_some(())
        });
    }

    fn send(&mut self, command: &str) {
        writeln!(self.stdin, "{command}").expect("write to the compositor");
        self.stdin.flush().expect("flush");
    }
}

impl Drop for Compositor {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Away after a natural break's length without input, back at the next input.
fn away_and_back(sandbox: &Sandbox, compositor: &mut Compositor, breaks_before: usize) {
    wait_status(sandbox, "away after a minute without input", |s| {
        s["away"] == true
    });
    wait_for("the natural break in the history", TIMEOUT, || {
        (natural_breaks(sandbox).len() > breaks_before).then_some(())
    });
    compositor.send("input");
    wait_status(sandbox, "back at the first input", |s| s["away"] == false);
}

#[test]
fn every_wayland_idle_protocol_makes_a_natural_break() {
    let protocols: [(&[&str], &str); 3] = [
        (
            &["--ext", "2"],
            "Wayland ext-idle-notify-v1 (version 2, input only)",
        ),
        (&["--ext", "1"], "Wayland ext-idle-notify-v1"),
        (&["--ext", "0", "--kde"], "Wayland org_kde_kwin_idle"),
    ];
    for (args, name) in protocols {
        let mut sandbox = sandbox("wayland-idle");
        let mut compositor = Compositor::start(&mut sandbox, args);
        sandbox.start_agent();
        let status = sandbox.status();
        assert_eq!(status["idle_detection"], name, "{args:?}");
        // One notification at the natural break's length (and, on version 2, a second
        // one that inhibitors hold).
        wait_for(
            "a notification at the natural break's length",
            TIMEOUT,
            || {
                compositor
                    .said
                    .lock()
                    .unwrap()
                    .iter()
                    .any(|l| l.ends_with("timeout 60000 ms"))
                    .then_some(())
            },
        );
        away_and_back(&sandbox, &mut compositor, 0);
    }
}

#[test]
fn on_version_2_a_film_with_nobody_typing_is_busy_not_away() {
    let mut sandbox = sandbox("wayland-inhibitor");
    let mut compositor = Compositor::start(&mut sandbox, &["--ext", "2"]);
    sandbox.start_agent();
    away_and_back(&sandbox, &mut compositor, 0);
    // A video player takes an idle inhibitor; the user watches without touching anything.
    compositor.send("inhibit");
    compositor.send("input");
    let status = wait_status(&sandbox, "a hold for the inhibitor", |s| {
        s["hold"]["reason"] == "inhibited"
    });
    assert_eq!(status["away"], false);
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(natural_breaks(&sandbox).len(), 1, "watching is not a break");
    // The film ends and the user leaves: a minute later, away.
    compositor.send("release");
    wait_status(&sandbox, "away once the inhibitor is gone", |s| {
        s["away"] == true && s["hold"].is_null()
    });
    wait_for("the second natural break", TIMEOUT, || {
        (natural_breaks(&sandbox).len() == 2).then_some(())
    });
    // The compositor goes away: the status says so, and breaks follow the clock.
    drop(compositor);
    let status = wait_status(&sandbox, "the lost compositor in the status", |s| {
        s["idle_detection"]
            .as_str()
            .is_some_and(|d| d.starts_with("none: the Wayland compositor closed the connection"))
    });
    assert_eq!(status["away"], false);
}

#[test]
fn without_an_idle_source_the_status_says_why_and_what_would_fix_it() {
    let mut sandbox = sandbox("wayland-none");
    let _compositor = Compositor::start(&mut sandbox, &["--ext", "0"]);
    sandbox.start_agent();
    let status = sandbox.status();
    let said = status["idle_detection"].as_str().unwrap_or_default();
    assert!(
        said.starts_with("none: this Wayland compositor offers no idle protocol Limber reads")
            && said.contains("ext-idle-notify-v1 protocol (KDE Plasma 6, Sway 1.8 or later")
            && said.ends_with("breaks follow the clock only"),
        "{said}"
    );
    let status_text = sandbox.limber(&["status"]);
    let text = String::from_utf8_lossy(&status_text.stdout);
    assert!(text.contains("Idle time: none:"), "{text}");

    let mut sandbox = self::sandbox("no-display");
    sandbox.remove_env("DISPLAY");
    sandbox.start_agent();
    let said = sandbox.status()["idle_detection"].clone();
    assert!(
        said.as_str().is_some_and(
            |s| s.starts_with("none: Limber was started without WAYLAND_DISPLAY or DISPLAY")
        ),
        "{said}"
    );
}

// ---------- logind, served by the test ----------

#[derive(zbus::DBusError, Debug)]
#[zbus(prefix = "org.freedesktop.login1")]
enum LoginError {
    #[zbus(error)]
    ZBus(zbus::Error),
    NoSuchSession(String),
}

const SESSION_PATH: &str = "/org/freedesktop/login1/session/c7";

/// `org.freedesktop.login1.Manager` as logind has it, for one session, "c7".
struct Manager;

#[zbus::interface(name = "org.freedesktop.login1.Manager")]
impl Manager {
    async fn get_session(&self, id: &str) -> Result<OwnedObjectPath, LoginError> {
        match id {
            // "auto": the caller's own session, as logind resolves it.
            "c7" | "auto" | "self" => Ok(ObjectPath::try_from(SESSION_PATH)
                .map_err(zbus::Error::from)?
                .into()),
            _ => Err(LoginError::NoSuchSession(format!(
                "No session '{id}' known"
            ))),
        }
    }

    #[zbus(signal)]
    async fn prepare_for_sleep(emitter: &SignalEmitter<'_>, start: bool) -> zbus::Result<()>;
}

/// `org.freedesktop.login1.Session`: its id and `LockedHint`, which logind changes (and
/// signals) when the desktop's lock screen calls `SetLockedHint`.
struct Session {
    locked: bool,
}

#[zbus::interface(name = "org.freedesktop.login1.Session")]
impl Session {
    #[zbus(property(emits_changed_signal = "const"))]
    fn id(&self) -> &str {
        "c7"
    }

    #[zbus(property)]
    fn locked_hint(&self) -> bool {
        self.locked
    }
}

/// A private system bus and a fake logind on it.
struct Logind {
    connection: zbus::Connection,
    _bus: Child,
}

impl Logind {
    async fn serve(sandbox: &mut Sandbox) -> Logind {
        let socket = sandbox.dir.path().join("system_bus_socket");
        let address = format!("unix:path={}", socket.display());
        let bus = Command::new("dbus-daemon")
            .arg(format!(
                "--config-file={}",
                workspace().join("tests/e2e/system-bus.conf").display()
            ))
            .arg(format!("--address={address}"))
            .args(["--nofork", "--nopidfile"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the system bus");
        wait_for("the system bus socket", TIMEOUT, || {
            socket.exists().then_some(())
        });
        let connection = zbus::connection::Builder::address(address.as_str())
            .expect("address")
            .name("org.freedesktop.login1")
            .expect("name")
            .serve_at("/org/freedesktop/login1", Manager)
            .expect("manager")
            .serve_at(SESSION_PATH, Session { locked: false })
            .expect("session")
            .build()
            .await
            .expect("logind on the private system bus");
        sandbox.set_env("DBUS_SYSTEM_BUS_ADDRESS", &address);
        Logind {
            connection,
            _bus: bus,
        }
    }

    async fn lock(&self, locked: bool) {
        let session = self
            .connection
            .object_server()
            .interface::<_, Session>(SESSION_PATH)
            .await
            .expect("session");
        session.get_mut().await.locked = locked;
        session
            .get()
            .await
            .locked_hint_changed(session.signal_emitter())
            .await
            .expect("LockedHint changed");
    }

    async fn prepare_for_sleep(&self, start: bool) {
        let manager = self
            .connection
            .object_server()
            .interface::<_, Manager>("/org/freedesktop/login1")
            .await
            .expect("manager");
        Manager::prepare_for_sleep(manager.signal_emitter(), start)
            .await
            .expect("PrepareForSleep");
    }
}

impl Drop for Logind {
    fn drop(&mut self) {
        let _ = self._bus.kill();
        let _ = self._bus.wait();
    }
}

// ---------- KDE's ScreenSaver service ----------

/// `org.freedesktop.ScreenSaver` as KDE Plasma before 5.27 answers it on Wayland: the
/// session's idle time, in milliseconds.
struct ScreenSaver {
    idle_ms: u32,
}

#[zbus::interface(name = "org.freedesktop.ScreenSaver")]
impl ScreenSaver {
    fn get_session_idle_time(&self) -> u32 {
        self.idle_ms
    }
}

// ---------- a real Sway ----------

/// Headless Sway 1.7 (it offers `org_kde_kwin_idle`), as the sandbox's user.
struct Sway {
    child: Child,
    sandbox_dir: PathBuf,
}

impl Sway {
    fn start(sandbox: &mut Sandbox) -> Sway {
        if running_as_root() {
            sandbox.run_as(TEST_USER);
        }
        let config = sandbox.dir.path().join("sway.conf");
        std::fs::write(&config, "output HEADLESS-1 resolution 640x480\n").expect("sway config");
        let log = std::fs::File::create(sandbox.dir.path().join("sway.log")).expect("sway log");
        let child = sandbox
            .command_for(std::path::Path::new("/usr/bin/sway"))
            .arg("-c")
            .arg(&config)
            .env("WLR_BACKENDS", "headless")
            .env("WLR_LIBINPUT_NO_DEVICES", "1")
            .env("WLR_RENDERER", "pixman")
            .env_remove("DISPLAY")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start sway");
        let runtime = sandbox.dir.path().join("runtime");
        let display = wait_for("sway's Wayland socket", TIMEOUT, || {
            std::fs::read_dir(&runtime)
                .ok()?
                .flatten()
                .find_map(|entry| {
                    let name = entry.file_name().to_string_lossy().into_owned();
                    (name.starts_with("wayland-") && !name.ends_with(".lock")).then_some(name)
                })
        });
        sandbox.set_env("WAYLAND_DISPLAY", &display);
        Sway {
            child,
            sandbox_dir: sandbox.dir.path().to_owned(),
        }
    }

    /// Moves the pointer: input, as far as Sway's idle timers are concerned.
    fn input(&self, sandbox: &Sandbox) {
        let runtime = self.sandbox_dir.join("runtime");
        let ipc = std::fs::read_dir(&runtime)
            .expect("runtime dir")
            .flatten()
            .find(|e| e.file_name().to_string_lossy().starts_with("sway-ipc."))
            .expect("sway's IPC socket")
            .path();
        let out = sandbox
            .command_for(std::path::Path::new("/usr/bin/swaymsg"))
            .arg("-s")
            .arg(ipc)
            .args(["seat", "-", "cursor", "move", "1", "1"])
            .output()
            .expect("swaymsg");
        assert!(
            out.status.success(),
            "swaymsg: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

impl Drop for Sway {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The slow one: a real minute of lock, of sleep and of no input under Sway, side by
/// side so the minute is waited once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_locked_screen_a_sleep_and_a_minute_idle_under_sway_are_natural_breaks() {
    // The screen locked, on a desktop that sets LockedHint (GNOME, KDE); no idle source.
    let mut locking = sandbox("logind-lock");
    locking.remove_env("DISPLAY");
    locking.set_env("XDG_SESSION_ID", "c7");
    let lock_logind = Logind::serve(&mut locking).await;
    locking.start_agent();
    // The machine asleep; the session found as "auto" (no XDG_SESSION_ID).
    let mut sleeping = sandbox("logind-sleep");
    sleeping.remove_env("DISPLAY");
    let sleep_logind = Logind::serve(&mut sleeping).await;
    sleeping.start_agent();
    // A Wayland compositor without idle protocols, and KDE's ScreenSaver service saying
    // the user left a minute and a half ago.
    let mut screensaver = sandbox("screensaver");
    let _compositor = Compositor::start(&mut screensaver, &["--ext", "0"]);
    let bus = screensaver.bus_address().expect("the sandbox's bus");
    let _service = zbus::connection::Builder::address(bus.as_str())
        .expect("address")
        .name("org.freedesktop.ScreenSaver")
        .expect("name")
        .serve_at(
            "/org/freedesktop/ScreenSaver",
            ScreenSaver { idle_ms: 90_000 },
        )
        .expect("serve")
        .build()
        .await
        .expect("a ScreenSaver service");
    screensaver.start_agent();
    // No input under a real Sway.
    let mut swaying = sandbox("sway");
    let sway = Sway::start(&mut swaying);
    swaying.start_agent();
    let start = Instant::now();

    let status = locking.status();
    assert_eq!(status["lock_detection"], "logind session c7");
    assert!(
        status["idle_detection"]
            .as_str()
            .is_some_and(|s| s.starts_with("none:")),
        "{status}"
    );
    assert_eq!(sleeping.status()["lock_detection"], "logind session c7");
    assert_eq!(
        swaying.status()["idle_detection"],
        "Wayland org_kde_kwin_idle"
    );
    assert_eq!(
        screensaver.status()["idle_detection"],
        "org.freedesktop.ScreenSaver GetSessionIdleTime"
    );

    lock_logind.lock(true).await;
    wait_for_async("the lock in the status", TIMEOUT, || async {
        (locking.status()["locked"] == true).then_some(())
    })
    .await;
    sleep_logind.prepare_for_sleep(true).await;
    let asleep = Instant::now();

    // A minute of each (Sway's countdown began before `start`).
    let minute = Duration::from_secs(61);
    tokio::time::sleep(minute.saturating_sub(asleep.elapsed())).await;
    sleep_logind.prepare_for_sleep(false).await;
    assert!(start.elapsed() < Duration::from_secs(90));
    for (sandbox, what) in [
        (&locking, "a minute locked"),
        (&sleeping, "a minute asleep"),
        (&swaying, "a minute without input under Sway"),
        (&screensaver, "KDE's ScreenSaver idle time"),
    ] {
        let breaks = wait_for(&format!("{what} to be a natural break"), TIMEOUT, || {
            let breaks = natural_breaks(sandbox);
            (!breaks.is_empty()).then_some(breaks)
        });
        assert_eq!(breaks.len(), 1, "{what}: {breaks:?}");
        assert_eq!(breaks[0]["away_min"], 1, "{what}: {breaks:?}");
    }
    assert_eq!(locking.status()["away"], true);
    assert_eq!(swaying.status()["away"], true);

    // Back: the unlock and the first pointer move end the absence; sitting time starts.
    lock_logind.lock(false).await;
    let status = wait_status(&locking, "back after the unlock", |s| {
        s["locked"] == false && s["away"] == false
    });
    let next = status["next_break_in_s"].as_u64().unwrap_or_default();
    assert!((3590..=3600).contains(&next), "{status}");
    sway.input(&swaying);
    wait_status(&swaying, "back at the first pointer move", |s| {
        s["away"] == false
    });
}
