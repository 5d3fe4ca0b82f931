//! A test StatusNotifierWatcher: owns `org.kde.StatusNotifierWatcher` on the session bus,
//! accepts item registrations like a real tray host, and appends each one to a file as
//! `<sender> <service>` so tests can find the item and drive its dbusmenu.
//!
//! Usage: sni-watcher RECORD_FILE

use std::io::Write;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use zbus::object_server::SignalEmitter;
use zbus::{interface, message::Header};

struct Watcher {
    record: PathBuf,
    items: Arc<Mutex<Vec<String>>>,
}

#[interface(name = "org.kde.StatusNotifierWatcher")]
impl Watcher {
    async fn register_status_notifier_item(
        &self,
        service: &str,
        #[zbus(header)] header: Header<'_>,
        #[zbus(signal_emitter)] emitter: SignalEmitter<'_>,
    ) {
        let sender = header.sender().map(|s| s.to_string()).unwrap_or_default();
        // An item may pass an object path instead of a bus name; the sender is the bus.
        let service = if service.starts_with('/') {
            sender.clone()
        } else {
            service.to_owned()
        };
        if let Ok(mut items) = self.items.lock() {
            items.push(service.clone());
        }
        if let Ok(mut file) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.record)
        {
            let _ = writeln!(file, "{sender} {service}");
        }
        let _ = Self::status_notifier_item_registered(&emitter, &service).await;
    }

    fn register_status_notifier_host(&self, _service: &str) {}

    #[zbus(property)]
    fn registered_status_notifier_items(&self) -> Vec<String> {
        self.items.lock().map(|i| i.clone()).unwrap_or_default()
    }

    #[zbus(property)]
    fn is_status_notifier_host_registered(&self) -> bool {
        true
    }

    #[zbus(property)]
    fn protocol_version(&self) -> i32 {
        0
    }

    #[zbus(signal)]
    async fn status_notifier_item_registered(
        emitter: &SignalEmitter<'_>,
        service: &str,
    ) -> zbus::Result<()>;
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let record = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .ok_or("usage: sni-watcher RECORD_FILE")?;
    let watcher = Watcher {
        record,
        items: Arc::default(),
    };
    let _connection = zbus::connection::Builder::session()?
        .name("org.kde.StatusNotifierWatcher")?
        .serve_at("/StatusNotifierWatcher", watcher)?
        .build()
        .await?;
    eprintln!("sni-watcher: owning org.kde.StatusNotifierWatcher");
    std::future::pending::<()>().await;
    Ok(())
}
