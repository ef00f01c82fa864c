//! The YAML reader on the shapes real dumps and config take, and on the ones it must refuse.

use super::*;

fn one(text: &str) -> Value {
    let mut docs = parse_stream(text).expect("parses");
    assert_eq!(docs.len(), 1, "{text:?}");
    docs.remove(0).value
}

#[test]
fn plain_scalars_resolve_by_the_core_schema_and_yaml11_booleans() {
    assert_eq!(one("~"), Value::Null);
    assert_eq!(one("null"), Value::Null);
    assert_eq!(one("yes"), Value::Bool(true));
    assert_eq!(one("Off"), Value::Bool(false));
    assert_eq!(one("9080"), Value::Int(9080));
    assert_eq!(one("-1"), Value::Int(-1));
    assert_eq!(one("0x1F"), Value::Int(31));
    assert_eq!(one("0o17"), Value::Int(15));
    assert_eq!(one("1.5"), Value::Float(1.5));
    assert_eq!(one("-.inf"), Value::Float(f64::NEG_INFINITY));
    assert_eq!(one("1e400"), Value::Float(f64::INFINITY));
    assert_eq!(
        one("99999999999999999999999999999999999999999"),
        Value::Float(1e41)
    );
    assert_eq!(one("1.2.3"), Value::Str("1.2.3".into()));
    assert_eq!(one("30s"), Value::Str("30s".into()));
    assert_eq!(one("'9080'"), Value::Str("9080".into()));
    assert_eq!(one("\"yes\""), Value::Str("yes".into()));
    assert_eq!(one("!!str 9080"), Value::Str("9080".into()));
    assert_eq!(one("!!int '7'"), Value::Int(7));
}

#[test]
fn positions_are_one_based_and_keys_keep_their_own() {
    let docs = parse_stream("a:\n  b: [1, x]\n").unwrap();
    let Value::Map(entries) = &docs[0].value else {
        panic!("a map")
    };
    assert_eq!(entries[0].0.pos, Pos::new(1, 1));
    let b = entries[0].1.get("b").unwrap();
    assert_eq!(b.pos, Pos::new(2, 6));
    let Value::Seq(items) = &b.value else {
        panic!("a seq")
    };
    assert_eq!(items[1].pos, Pos::new(2, 10));
}

#[test]
fn duplicate_keys_are_an_error_at_the_second_key() {
    let err = parse_stream("a: 1\nb: 2\na: 3\n").unwrap_err();
    assert_eq!(err.pos, Pos::new(3, 1));
    assert!(err.message.contains("duplicate key `a`"), "{}", err.message);
}

#[test]
fn merge_keys_fill_in_what_the_mapping_does_not_set() {
    let docs = parse_stream("base: &b {x: 1, y: 2}\nuse:\n  <<: *b\n  y: 3\n").unwrap();
    let used = docs[0].get("use").unwrap();
    assert_eq!(used.get("x").unwrap().value, Value::Int(1));
    assert_eq!(used.get("y").unwrap().value, Value::Int(3));
    assert!(used.get("true").is_none(), "a `y` key stays `y`");
}

#[test]
fn a_quoted_merge_key_is_an_ordinary_key() {
    let err = parse_stream("a:\n  \"<<\": x\n  '<<': y\n").unwrap_err();
    assert!(
        err.message.contains("duplicate key `<<`"),
        "{}",
        err.message
    );
    let docs = parse_stream("a:\n  \"<<\": x\n  b: 1\n").unwrap();
    let a = docs[0].get("a").unwrap();
    assert_eq!(a.get("<<").unwrap().as_str(), Some("x"));
    assert_eq!(a.get("b").unwrap().value, Value::Int(1));
}

#[test]
fn an_alias_bomb_is_refused_before_it_expands() {
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    let err = parse_stream(&text).unwrap_err();
    assert!(err.message.contains("alias bomb"), "{}", err.message);
}

#[test]
fn deep_nesting_is_refused() {
    let text = "[".repeat(MAX_DEPTH + 10) + &"]".repeat(MAX_DEPTH + 10);
    assert!(parse_stream(&text).is_err());
    let block = |depth: usize| -> String {
        (0..depth)
            .map(|i| format!("{}k:\n", " ".repeat(i)))
            .collect()
    };
    assert!(parse_stream(&block(MAX_DEPTH + 10)).is_err());
    assert!(parse_stream(&block(64)).is_ok());
}
