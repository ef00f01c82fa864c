//! What istiod's validating webhook accepts in the fields the route and destination policies
//! are written into (`pkg/config/validation`): a policy value it refuses is reported on the
//! policy (VDC608), never written into a VirtualService or DestinationRule it would reject.

/// Envoy's retry conditions (`x-envoy-retry-on` and `x-envoy-retry-grpc-on`) that Istio accepts
/// in `retryOn`, besides HTTP status codes.
const RETRY_ON: &[&str] = &[
    "5xx",
    "gateway-error",
    "reset",
    "reset-before-request",
    "connect-failure",
    "retriable-4xx",
    "refused-stream",
    "retriable-status-codes",
    "retriable-headers",
    "envoy-ratelimited",
    "http3-post-connect-failure",
    "cancelled",
    "deadline-exceeded",
    "internal",
    "resource-exhausted",
    "unavailable",
];

/// The HTTP status codes Go's `net/http` names (`http.StatusText`), which Istio accepts in
/// `retryOn`.
fn is_go_status(code: i64) -> bool {
    matches!(code,
        100..=103 | 200..=208 | 226 | 300..=305 | 307 | 308 | 400..=418 | 421..=426 | 428 | 429
        | 431 | 451 | 500..=508 | 510 | 511)
}

/// The conditions of a `retryOn` list that Istio refuses. The list is split on `,` without
/// trimming, as Istio does: `5xx, reset` holds the condition ` reset`, which it refuses.
pub fn refused_retry_conditions(retry_on: &str) -> Vec<&str> {
    retry_on
        .split(',')
        .filter(|c| {
            let status = c
                .strip_prefix('+')
                .unwrap_or(c)
                .parse::<i64>()
                .ok()
                .filter(|_| !c.is_empty() && c.bytes().all(|b| b.is_ascii_digit() || b == b'+'));
            !(RETRY_ON.contains(c) || status.is_some_and(is_go_status))
        })
        .collect()
}

/// The methods Istio accepts in a CORS policy's `allowMethods` (Go's method names and `*`).
pub fn is_cors_method(method: &str) -> bool {
    matches!(
        method,
        "GET"
            | "HEAD"
            | "POST"
            | "PUT"
            | "PATCH"
            | "DELETE"
            | "CONNECT"
            | "OPTIONS"
            | "TRACE"
            | "*"
    )
}

/// Whether `name` is an HTTP token (RFC 7230 `tchar`s), as header names must be.
pub fn is_header_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Why Istio refuses `name` as the header of a route's match, or would not match it as a
/// header, if either (`ValidateHTTPHeaderNameOrJwtClaimRoute`): a name that is not a token,
/// besides the request pseudo-headers. Istio reads `@request.auth.claims.…` as a JWT claim, not a
/// header, so a Gloo matcher on it would route differently: refused here too.
pub fn match_header_name_problem(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        return Some("a header name cannot be empty");
    }
    if matches!(name, ":authority" | ":method" | ":path" | ":scheme") {
        return None;
    }
    if name.starts_with("@request.auth.claims") {
        return Some("Istio matches it as a JWT claim, not as a header");
    }
    (!is_header_token(name))
        .then_some("a header name is letters, digits and ``!#$%&'*+-.^_`|~`` only (RFC 7230 token)")
}

/// Why Envoy refuses `name` as a query parameter to match (its `QueryParameterMatcher.name`
/// is 1 to 1024 bytes), if it does; Istio does not check it, so the proxy would reject the route.
pub fn query_parameter_name_problem(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        Some("a query parameter name cannot be empty")
    } else if name.len() > 1024 {
        Some("Envoy takes query parameter names of at most 1024 bytes")
    } else {
        None
    }
}

/// Why Istio refuses `name` as a header a route adds or removes, if it does. `request_add`: a
/// request header added, where Istio lets `Host` and `:authority` be set.
pub fn header_name_problem(name: &str, request_add: bool) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    if name.is_empty() {
        return Some("a header name cannot be empty");
    }
    if request_add && (lower == "host" || lower == ":authority") {
        return None;
    }
    if lower == "host" {
        return Some("Istio does not let a route remove or set `Host` here");
    }
    if name.starts_with(':') {
        return Some("Istio does not let a route change a `:` pseudo-header");
    }
    None
}

/// Why Envoy cannot parse `value` as a header value, if it cannot: a control character, or a
/// `%` that does not open a well-formed `%VARIABLE%` or `%VARIABLE(["arg"])%` (`%%` is a
/// literal `%`). The grammar is Envoy's header parser, as Istio's webhook checks it.
pub fn header_value_problem(value: &str) -> Option<&'static str> {
    if value.chars().any(|c| c != '\t' && c.is_control()) {
        return Some("a header value cannot hold a control character");
    }
    header_expression_problem(value.as_bytes())
}

fn header_expression_problem(b: &[u8]) -> Option<&'static str> {
    #[derive(PartialEq)]
    enum State {
        Literal,
        Variable,
        Arguments,
        MaybeString,
        String,
        Delimiter,
        ArgumentsEnd,
        VariableEnd,
    }
    let mut state = State::Literal;
    let mut i = 0;
    while i < b.len() {
        let (c, more) = (b[i], i + 1 < b.len());
        state = match state {
            State::Literal if c == b'%' && !more => return Some("a `%` with nothing after it"),
            State::Literal if c == b'%' && b[i + 1] == b'%' => {
                i += 1;
                State::Literal
            }
            State::Literal if c == b'%' => State::Variable,
            State::Literal => State::Literal,
            State::Variable if c == b'%' => State::Literal,
            State::Variable if c == b'(' => State::Arguments,
            State::Variable => State::Variable,
            State::Arguments if c == b'[' => State::MaybeString,
            State::Arguments if c == b' ' => State::Arguments,
            State::Arguments => State::String,
            State::MaybeString if c == b'"' => State::String,
            State::MaybeString if c == b' ' => State::MaybeString,
            State::MaybeString => return Some("a `%VARIABLE([...])%` argument is not a string"),
            State::String if c == b'\\' && !more => return Some("a backslash ends the value"),
            State::String if c == b'\\' => {
                i += 1;
                State::String
            }
            State::String if c == b')' => State::VariableEnd,
            State::String if c == b'"' => State::Delimiter,
            State::String => State::String,
            State::Delimiter if c == b',' => State::MaybeString,
            State::Delimiter if c == b']' => State::ArgumentsEnd,
            State::Delimiter if c == b' ' => State::Delimiter,
            State::Delimiter => return Some("`%VARIABLE([...])%` arguments are not a list"),
            State::ArgumentsEnd if c == b')' => State::VariableEnd,
            State::ArgumentsEnd if c == b' ' => State::ArgumentsEnd,
            State::ArgumentsEnd => return Some("a `%VARIABLE([...])%` is not closed by `)`"),
            State::VariableEnd if c == b'%' => State::Literal,
            State::VariableEnd if c == b' ' => State::VariableEnd,
            State::VariableEnd => return Some("a `%VARIABLE(...)` is not closed by `%`"),
        };
        i += 1;
    }
    (state != State::Literal)
        .then_some("a `%VARIABLE%` is not closed (write a literal `%` as `%%`)")
}

/// `text` as an RE2 pattern that matches exactly it.
pub fn regex_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_conditions() {
        assert!(refused_retry_conditions("5xx,gateway-error,503").is_empty());
        assert_eq!(refused_retry_conditions("5xx, reset"), vec![" reset"]);
        assert_eq!(
            refused_retry_conditions("timeout,599"),
            vec!["timeout", "599"]
        );
        assert_eq!(refused_retry_conditions(""), vec![""]);
    }

    #[test]
    fn header_names() {
        assert_eq!(header_name_problem("x-request-id", false), None);
        assert_eq!(header_name_problem("Host", true), None);
        assert!(header_name_problem("Host", false).is_some());
        assert!(header_name_problem(":path", true).is_some());
        assert!(header_name_problem("", true).is_some());
        assert!(is_header_token("x-b3-traceid"));
        assert!(!is_header_token("x b3"));
    }

    #[test]
    fn matched_header_and_query_names() {
        assert_eq!(match_header_name_problem("x-tenant"), None);
        assert_eq!(match_header_name_problem(":authority"), None);
        assert!(match_header_name_problem("x foo").is_some());
        assert!(match_header_name_problem("").is_some());
        assert!(match_header_name_problem("x:y").is_some());
        assert!(match_header_name_problem("@request.auth.claims.sub").is_some());
        assert_eq!(query_parameter_name_problem("page"), None);
        assert!(query_parameter_name_problem("").is_some());
        assert!(query_parameter_name_problem(&"q".repeat(1025)).is_some());
    }

    #[test]
    fn header_values() {
        assert_eq!(header_value_problem("plain value"), None);
        assert_eq!(header_value_problem("100%%"), None);
        assert_eq!(header_value_problem("%DOWNSTREAM_REMOTE_ADDRESS%"), None);
        assert_eq!(
            header_value_problem("%REQ([\"x-a\"])%"),
            None,
            "an argument list"
        );
        assert!(header_value_problem("100%").is_some());
        assert!(header_value_problem("%START_TIME").is_some());
        assert!(header_value_problem("a\nb").is_some());
    }
}
