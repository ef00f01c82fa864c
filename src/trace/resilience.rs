//! The fault injection and retries of the rule that takes the request, as the answer reports
//! them: the sidecar delays or aborts that share of the requests itself, and retries a failed
//! one before the client sees the failure.

pub use crate::translate::istio::Percent;
use crate::translate::istio::{HttpFault, HttpRetry, Percentage};
use serde::Serialize;

/// A rule's `fault`, in the JSON as Istio names its fields, with plain-number percentages.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FaultJson {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delay: Option<DelayJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub abort: Option<AbortJson>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct DelayJson {
    pub fixed_delay: String,
    pub percentage: Percent,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct AbortJson {
    pub http_status: u32,
    pub percentage: Percent,
}

fn percent(p: &Percentage) -> Percent {
    Percent(p.value)
}

pub fn fault(f: &HttpFault) -> Option<FaultJson> {
    let out = FaultJson {
        delay: f.delay.as_ref().map(|d| DelayJson {
            fixed_delay: d.fixed_delay.clone(),
            percentage: percent(&d.percentage),
        }),
        abort: f.abort.as_ref().map(|a| AbortJson {
            http_status: a.http_status,
            percentage: percent(&a.percentage),
        }),
    };
    (out.delay.is_some() || out.abort.is_some()).then_some(out)
}

impl FaultJson {
    /// `delay 2s for 100% of requests, abort with 503 for 12.5% of requests`.
    pub fn words(&self) -> String {
        let mut parts = Vec::new();
        if let Some(d) = &self.delay {
            parts.push(format!(
                "delay {} for {} of requests",
                d.fixed_delay, d.percentage
            ));
        }
        if let Some(a) = &self.abort {
            parts.push(format!(
                "abort with {} for {} of requests",
                a.http_status, a.percentage
            ));
        }
        parts.join(", ")
    }
}

/// A rule's `retries` in words, `3 attempts · 2s per try · on 5xx,connect-failure`, or that
/// retries are off (`attempts: 0` turns Istio's default retries off). The JSON is the rule's
/// own `retries`, as the VirtualService holds it.
pub fn retries_words(r: &HttpRetry) -> String {
    if r.attempts == 0 {
        return "none (attempts 0 turns Istio's default retries off)".into();
    }
    let mut out = match r.attempts {
        1 => "1 attempt".to_owned(),
        n => format!("{n} attempts"),
    };
    if let Some(t) = &r.per_try_timeout {
        out.push_str(&format!(" · {t} per try"));
    }
    if let Some(on) = &r.retry_on {
        out.push_str(&format!(" · on {on}"));
    }
    if r.retry_remote_localities == Some(true) {
        out.push_str(" · in other localities too");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::translate::istio::{FaultAbort, FaultDelay};

    #[test]
    fn fault_and_retries_in_words_and_json() {
        let f = HttpFault {
            delay: Some(FaultDelay {
                fixed_delay: "2s".into(),
                percentage: Percentage { value: 100.0 },
            }),
            abort: Some(FaultAbort {
                http_status: 503,
                percentage: Percentage { value: 12.5 },
            }),
        };
        let json = fault(&f).unwrap();
        assert_eq!(
            json.words(),
            "delay 2s for 100% of requests, abort with 503 for 12.5% of requests"
        );
        assert_eq!(
            serde_json::to_string(&json).unwrap(),
            r#"{"delay":{"fixedDelay":"2s","percentage":100},"abort":{"httpStatus":503,"percentage":12.5}}"#
        );
        assert_eq!(fault(&HttpFault::default()), None);
        let r = HttpRetry {
            attempts: 3,
            per_try_timeout: Some("2s".into()),
            retry_on: Some("5xx".into()),
            retry_remote_localities: None,
        };
        assert_eq!(retries_words(&r), "3 attempts · 2s per try · on 5xx");
        let off = HttpRetry {
            attempts: 0,
            per_try_timeout: None,
            retry_on: None,
            retry_remote_localities: None,
        };
        assert!(retries_words(&off).starts_with("none"));
    }
}
