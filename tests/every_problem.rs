//! One run shows every problem: an error found in one part of an object does not hide the
//! errors of its other parts until the first is fixed.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::disallowed_methods
)]

mod common;
use common::check_input;

/// A RouteTable naming a VirtualGateway and a VirtualDestination that are both missing
/// (testdata/check/unknown-virtual-gateway/…/httpbin-routing.yaml) gets VDC706 and VDC701 at once.
#[test]
fn a_missing_virtual_gateway_is_reported_beside_a_missing_destination() {
    let run = check_input("testdata/check/unknown-virtual-gateway", &[]);
    let headlines: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("error["))
        .collect();
    for expected in [
        "error[VDC701]: route `httpbin` forwards to VirtualDestination bookinfo-frontends/httpbin",
        "error[VDC706]: RouteTable `httpbin` attaches to VirtualGateway istio-gateways/north-south-gw",
        "error[VDC706]: RouteTable `productpage` attaches to VirtualGateway istio-gateways/north-south-gw",
    ] {
        assert!(
            headlines.iter().any(|h| h.starts_with(expected)),
            "no {expected:?} in\n{}",
            run.stdout
        );
    }
    assert_eq!(headlines.len(), 3, "{}", run.stdout);
}
