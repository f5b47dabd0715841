//! Microsoft Sentinel → Elasticsearch transforms, as plain Rust compiled to WebAssembly.
//!
//! Each module is one step of the Node-RED flow this crate replaces:
//! [`assertion`] signs the Entra ID client assertion, [`request`] builds the token, query and
//! `_bulk` requests, [`rows`] turns a Log Analytics query response into row objects, [`bulk`]
//! cleans documents and writes the NDJSON `_bulk` body (also straight from a query response),
//! and [`bulk_result`] drops the 409 "already exists" items from a `_bulk` response.
//! [`incidents`] writes the `_bulk` body for incidents of the Sentinel REST API, and [`ecs`]
//! maps any of these documents to the Elastic Common Schema (the `ecs` option).
//! `table` reads the first table of a query response row by row ([`response`]: given whole or in
//! parts), and `nested` holds the rule
//! for its nested JSON fields, for both [`rows`] and [`bulk`].
//! [`explain`] says why each document of a body looks as it does (for the playground).
//! [`json`] holds the JavaScript-compatible JSON reading and writing they share.
//!
//! Nothing here reads the clock or a random source: the current time and random bytes are
//! arguments, so that every output can be reproduced.

pub mod assertion;
pub mod bulk;
pub mod bulk_result;
mod date;
pub mod ecs;
mod error;
pub mod explain;
pub mod incidents;
pub mod json;
mod nested;
pub mod request;
pub mod response;
pub mod revision;
pub mod rows;
mod table;

#[cfg(target_arch = "wasm32")]
mod wasm;

pub use error::{Error, ErrorKind, Result};
