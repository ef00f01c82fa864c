//! What every policy decoder reads the same way: `applyToDestinations` selectors and Go-style
//! durations. Below the policy family ([`super::policy`]) and the decoders of each kind, so they
//! all share it without depending on each other.

use super::decode::Fields;
use super::gloo::{DESTINATION_KIND, object_selector, port_selector};
use super::types::*;

/// Gloo's `DestinationSelector`: which destinations (and which port) a policy applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DestinationSelector {
    /// `VIRTUAL_DESTINATION`, `SERVICE` or `EXTERNAL_SERVICE`.
    pub kind: String,
    pub selector: ObjectSelector,
    pub port: Option<PortRef>,
}

/// A duration in milliseconds (Gloo's Durations have millisecond granularity).
pub type Millis = u64;

pub(super) fn apply_to_destinations(f: &mut Fields) -> Vec<DestinationSelector> {
    f.objects("applyToDestinations", |d| {
        // Without a selector (it selects everything), diagnostics about it point at the entry.
        let entry = ObjectSelector {
            pos: d.pos,
            ..ObjectSelector::default()
        };
        Some(DestinationSelector {
            kind: d.enum_value("kind", DESTINATION_KIND, "SERVICE")?,
            selector: d.object("selector", object_selector).unwrap_or(entry),
            port: d.object("port", port_selector).flatten().map(|p| p.value),
        })
    })
}

/// A Go-style duration (`500ms`, `5s`, `1m30s`) in whole milliseconds, at least 1ms: Gloo's
/// timeouts and intervals refuse less.
pub fn parse_duration(text: &str) -> Result<Millis, String> {
    match parse_duration_or_zero(text)? {
        0 => Err(format!("`{text}` is shorter than the 1ms minimum")),
        millis => Ok(millis),
    }
}

/// [`parse_duration`] where zero means something: a cookie's TTL of `0s` makes Envoy's cookie a
/// session cookie, unlike a TTL left out.
pub fn parse_duration_or_zero(text: &str) -> Result<Millis, String> {
    let mut rest = text.trim();
    if rest.is_empty() {
        return Err("an empty duration".into());
    }
    let mut nanos: f64 = 0.0;
    while !rest.is_empty() {
        let number_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number: f64 = rest[..number_len]
            .parse()
            .map_err(|_| format!("`{text}` is not a duration like `5s`, `500ms` or `1m30s`"))?;
        rest = &rest[number_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let scale = match &rest[..unit_len] {
            "ns" => 1.0,
            "us" | "µs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => {
                return Err(format!(
                    "`{text}` is not a duration like `5s`, `500ms` or `1m30s`"
                ));
            }
        };
        rest = &rest[unit_len..];
        nanos += number * scale;
    }
    let millis = nanos / 1e6;
    if millis.fract().abs() > 1e-9 {
        return Err(format!(
            "`{text}` is finer than a millisecond, the granularity Gloo accepts"
        ));
    }
    if millis > 315_576_000_000_000.0 {
        return Err(format!(
            "`{text}` is longer than any duration Kubernetes accepts"
        ));
    }
    Ok(millis as Millis)
}

#[cfg(test)]
mod tests {
    use super::{parse_duration, parse_duration_or_zero};

    #[test]
    fn durations() {
        assert_eq!(parse_duration("5s"), Ok(5_000));
        assert_eq!(parse_duration("500ms"), Ok(500));
        assert_eq!(parse_duration("1m30s"), Ok(90_000));
        assert_eq!(parse_duration("1.5s"), Ok(1_500));
        assert!(parse_duration("0s").is_err());
        assert_eq!(parse_duration_or_zero("0s"), Ok(0));
        assert!(parse_duration_or_zero("100us").is_err());
        assert!(parse_duration("100us").is_err());
        assert!(parse_duration("5 sec").is_err());
    }
}
