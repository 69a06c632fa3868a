//! The native core of normalise (`normalise._native`): the key functions and the run
//! screen, in Rust. The Python package is the reference; this crate gives the same
//! answers faster, and `tests/test_native.py` holds the two to that.

pub mod keys;
pub mod screen;

#[cfg(feature = "python")]
mod python;
