//! The control socket's plumbing, shared by every side of it: the agent's server, the
//! CLI, the window and the tests.
//!
//! - [`wire`]: newline-delimited JSON framing with a length limit in each direction.
//! - [`client`]: a typed client: `client.call(args)` returns the reply type the command
//!   declares; it refuses an agent of another protocol version.
//! - [`private_dir`]: the runtime folder and socket must be the user's own and private;
//!   the agent and every client check it before trusting the socket.

pub mod client;
pub mod private_dir;
pub mod wire;

pub use client::{Client, ClientError};
