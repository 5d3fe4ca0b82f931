//! What the window asks of WebKitGTK so it weighs less and shows sooner. Limber's page is a
//! few local screens: it needs no JavaScript JIT (7 MB less in the web process, measured in
//! bench/), no GPU (and so no GL driver in the window process: 10 MB less), no media
//! elements, web audio or WebGL (the session's cues are played by this process: see
//! `cues.rs`), no page cache for going back, only the smallest memory caches, and not
//! WebKit's own memory allocator. The window is created hidden and shown with its first
//! frame.
//!
//! `LIMBER_WEBVIEW` (a comma-separated list, for measuring; see bench/README.md) leaves
//! single levers out: `keep-jit`, `keep-gpu`, `keep-cache`, `keep-features`. The allocator
//! is measured with bmalloc's own `WebKitMallocForceEnabled=1` (see `before_start`).

use tauri::{Runtime, WebviewWindow};

/// Before anything starts WebKit: the window process and the web process read this
/// environment. A variable the user has set is left as it is.
pub fn before_start() {
    let levers = Levers::from_env();
    // The page's scripts are small and event-driven, so the JIT's code memory buys nothing.
    if levers.jit_off {
        set_unless_set("JSC_useJIT", "0");
    }
    // The window never draws on the GPU (its policy is `Never`, see `tune`), so WebKit need
    // not look for one. Left to itself, the window process asks EGL which render node to
    // hand the web process, and to find out EGL loads the GL driver: with Mesa, LLVM's
    // 8 MB of relocated tables, for as long as the window is open (bench/README.md). The
    // DMA-BUF renderer is the GPU path this policy never uses; naming the render node
    // answers the question without EGL. Only the web process still starts EGL: WebKitGTK
    // 2.50 reads the drawing area's preferences once before it applies the page's
    // settings, sees the default (compositing on) and creates a display whatever the
    // policy (bench/README.md, "What the window weighs").
    if levers.gpu_off {
        set_unless_set("WEBKIT_DISABLE_DMABUF_RENDERER", "1");
        set_unless_set("WEBKIT_WEB_RENDER_DEVICE_FILE", &render_node());
    }
    // WebKit's own allocator (bmalloc/libpas) reserves and touches memory in large runs
    // built for big pages; for a page this small, the system's allocator holds the same
    // objects in 1.1 MB less across the web and network processes (bench/README.md). The
    // presence of `Malloc` is bmalloc's switch for that, and `WebKitMallocForceEnabled=1`
    // its switch back (for measuring). It is read before `main` runs, so for this process
    // itself it comes from whoever starts it (the agent sets it: `WINDOW_ENVIRONMENT` in
    // agent/src/window.rs); here it reaches the WebKit processes this one starts, also when
    // something else started it (tauri-driver, a developer).
    // What it trades: with the system's allocator WebKit leaves out the hardenings its own
    // allocator gives against memory-corruption exploits (the Gigacage around JavaScript's
    // arrays, and type-segregated heaps for WebCore's objects). They matter where a page
    // runs scripts or markup from elsewhere. This window's page is the app's own files
    // (its CSP allows no other script, style or frame), and the only outside text it shows,
    // routine names and notes from files, goes in as text, never as markup (the E2E test
    // `a_routine_named_like_markup_is_shown_as_text`). `WebKitMallocForceEnabled=1` in
    // the agent's environment brings WebKit's allocator back.
    set_unless_set("Malloc", "1");
}

/// Called only from `before_start`, first thing in `main`, before this program, GTK or
/// Tauri has started a thread: nothing else can be reading the environment.
fn set_unless_set(name: &str, value: &str) {
    if std::env::var_os(name).is_none() {
        std::env::set_var(name, value);
    }
}

/// The machine's first DRM render node, which is the one WebKit would pick on a machine
/// with one GPU. Without any (a virtual display, a server) the conventional first name: it
/// is opened only for GPU buffers, which this window never asks for, and a node that is
/// not there only makes WebKit fall back to software, as it does without a GPU.
fn render_node() -> String {
    let first = std::fs::read_dir("/dev/dri").ok().and_then(|entries| {
        entries
            .filter_map(|entry| entry.ok())
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .filter(|name| name.starts_with("renderD"))
            .min()
    });
    format!("/dev/dri/{}", first.as_deref().unwrap_or("renderD128"))
}

/// Shows the window after a few seconds even if the page never says it is ready (a broken
/// page must not leave an invisible window).
pub fn show_anyway<R: Runtime>(window: &WebviewWindow<R>, showing: &crate::showing::Showing) {
    let window = window.clone();
    let showing = showing.clone();
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(std::time::Duration::from_secs(3)).await;
        let act = showing.page_never_ready();
        if act == crate::showing::Act::Show {
            crate::timing("the page did not say it was ready; shown anyway");
        }
        crate::act(&window, act);
    });
}

/// The levers in force: all of them unless `LIMBER_WEBVIEW` says to keep something.
#[derive(Clone, Copy, Debug)]
struct Levers {
    jit_off: bool,
    gpu_off: bool,
    small_cache: bool,
    fewer_features: bool,
}

impl Levers {
    fn from_env() -> Levers {
        let keep = std::env::var("LIMBER_WEBVIEW").unwrap_or_default();
        let lever = |name: &str| !keep.split(',').any(|k| k.trim() == format!("keep-{name}"));
        Levers {
            jit_off: lever("jit"),
            gpu_off: lever("gpu"),
            small_cache: lever("cache"),
            fewer_features: lever("features"),
        }
    }
}

/// Applies the levers to the main window's web view (once it exists).
#[cfg(target_os = "linux")]
pub fn tune<R: Runtime>(window: &WebviewWindow<R>) {
    use webkit2gtk::{
        CacheModel, HardwareAccelerationPolicy, SettingsExt, WebContextExt, WebViewExt,
    };
    let levers = Levers::from_env();
    let result = window.with_webview(move |platform| {
        let view = platform.inner();
        if let Some(settings) = WebViewExt::settings(&view) {
            if levers.gpu_off {
                settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
            }
            if levers.fewer_features {
                settings.set_enable_webgl(false);
                settings.set_enable_media(false);
                settings.set_enable_webaudio(false);
                settings.set_enable_media_stream(false);
                settings.set_enable_page_cache(false);
                settings.set_enable_dns_prefetching(false);
                settings.set_enable_smooth_scrolling(false);
            }
        }
        if levers.small_cache {
            if let Some(context) = view.context() {
                context.set_cache_model(CacheModel::DocumentViewer);
            }
        }
    });
    if let Err(e) = result {
        eprintln!("limber-window: cannot tune the web view: {e}");
    }
}

#[cfg(not(target_os = "linux"))]
pub fn tune<R: Runtime>(_window: &WebviewWindow<R>) {}
