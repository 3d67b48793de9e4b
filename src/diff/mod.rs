//! Clause-aware comparison of contract versions.
