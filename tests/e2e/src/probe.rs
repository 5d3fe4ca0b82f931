//! `socket-probe SOCKET`: connects to a control socket as whoever runs it, sends one
//! `status` request and prints what came back within 5 s: `closed` when the agent closed
//! the connection without a word (end of file or reset), `timeout`, or the bytes. Used to
//! check that another user is not answered.

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::time::Duration;

fn main() -> std::process::ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: socket-probe SOCKET");
        return std::process::ExitCode::FAILURE;
    };
    let mut stream = match UnixStream::connect(&path) {
        Ok(stream) => stream,
        Err(e) => {
            eprintln!("socket-probe: cannot connect to {path}: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let _ = stream.write_all(b"{\"id\":1,\"cmd\":\"status\"}\n");
    let mut buffer = [0u8; 4096];
    match stream.read(&mut buffer) {
        Ok(0) => println!("closed"),
        Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => println!("closed"),
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => println!("timeout"),
        Err(e) => println!("error: {e}"),
        Ok(n) => println!("{}", String::from_utf8_lossy(&buffer[..n])),
    }
    std::process::ExitCode::SUCCESS
}
