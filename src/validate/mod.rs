//! `validate`: the checks that read the resolution or the generated objects; each is its code's
//! rule, documented in `docs/diagnostics.md`.

pub mod dns_capture;
pub mod east_west_overlap;
pub mod output_collisions;
pub mod user_objects;
