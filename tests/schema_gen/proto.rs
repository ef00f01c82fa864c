//! A reader for the subset of proto3 that the solo-apis files use (packages, nested messages
//! and enums, oneofs, maps, field options), enough to list every message, field and enum value.

use std::collections::BTreeMap;

#[derive(Debug, Clone)]
pub struct Field {
    /// The protobuf JSON name (lowerCamelCase, or `json_name` when given).
    pub json_name: String,
    /// The type as written, resolved later against the scope of its message.
    pub type_name: String,
    pub repeated: bool,
    /// The value type of a `map<string, V>` is `type_name`; this is the key type.
    pub map_key: Option<String>,
    pub oneof: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Message {
    pub fields: Vec<Field>,
}

/// Everything read from a set of files, by fully qualified name (`package.Outer.Inner`).
#[derive(Debug, Default)]
pub struct Protos {
    pub messages: BTreeMap<String, Message>,
    pub enums: BTreeMap<String, Vec<String>>,
}

fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '/' && chars.get(i + 1) == Some(&'/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && chars.get(i + 1) == Some(&'*') {
            i += 2;
            while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                i += 1;
            }
            i += 2;
        } else if c == '"' || c == '\'' {
            let start = i;
            i += 1;
            while i < chars.len() && chars[i] != c {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            out.push(chars[start..i.min(chars.len())].iter().collect());
        } else if c.is_alphanumeric() || c == '_' || c == '.' || c == '-' {
            let start = i;
            while i < chars.len()
                && (chars[i].is_alphanumeric() || matches!(chars[i], '_' | '.' | '-'))
            {
                i += 1;
            }
            out.push(chars[start..i].iter().collect());
        } else {
            out.push(c.to_string());
            i += 1;
        }
    }
    out
}

/// protoc's default JSON name: underscores dropped, the letter after each one upper-cased.
pub fn json_name(proto_name: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in proto_name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

struct Parser<'a> {
    toks: &'a [String],
    at: usize,
    out: &'a mut Protos,
}

impl Parser<'_> {
    fn peek(&self) -> &str {
        self.toks.get(self.at).map_or("", String::as_str)
    }

    fn next(&mut self) -> String {
        let t = self.peek().to_owned();
        self.at += 1;
        t
    }

    fn expect(&mut self, tok: &str) {
        let got = self.next();
        assert_eq!(got, tok, "proto syntax: expected `{tok}`, found `{got}`");
    }

    /// Skips a statement up to and including its `;`, or a `{ … }` block.
    fn skip_statement(&mut self) {
        let mut depth = 0;
        loop {
            match self.next().as_str() {
                "{" => depth += 1,
                "}" => {
                    depth -= 1;
                    if depth == 0 {
                        return;
                    }
                }
                ";" if depth == 0 => return,
                "" => return,
                _ => {}
            }
        }
    }

    fn file(&mut self) {
        let mut package = String::new();
        while self.at < self.toks.len() {
            match self.peek() {
                "package" => {
                    self.next();
                    package = self.next();
                    self.expect(";");
                }
                "message" => {
                    self.next();
                    let name = self.next();
                    self.message(&join(&package, &name));
                }
                "enum" => {
                    self.next();
                    let name = self.next();
                    self.enumeration(&join(&package, &name));
                }
                _ => self.skip_statement(),
            }
        }
    }

    fn message(&mut self, full: &str) {
        self.expect("{");
        let mut message = Message::default();
        self.message_body(full, &mut message, None);
        self.out.messages.insert(full.to_owned(), message);
    }

    fn message_body(&mut self, full: &str, message: &mut Message, oneof: Option<&str>) {
        loop {
            match self.peek() {
                "}" => {
                    self.next();
                    return;
                }
                "" => panic!("proto syntax: unterminated message {full}"),
                "message" => {
                    self.next();
                    let name = self.next();
                    self.message(&join(full, &name));
                }
                "enum" => {
                    self.next();
                    let name = self.next();
                    self.enumeration(&join(full, &name));
                }
                "oneof" => {
                    self.next();
                    let name = self.next();
                    self.expect("{");
                    self.message_body(full, message, Some(&name));
                }
                "option" | "reserved" | "extensions" | ";" => self.skip_statement(),
                _ => message.fields.push(self.field(oneof)),
            }
        }
    }

    fn field(&mut self, oneof: Option<&str>) -> Field {
        let mut repeated = false;
        if matches!(self.peek(), "repeated" | "optional") {
            repeated = self.next() == "repeated";
        }
        let (type_name, map_key) = if self.peek() == "map" {
            self.next();
            self.expect("<");
            let key = self.next();
            self.expect(",");
            let value = self.next();
            self.expect(">");
            (value, Some(key))
        } else {
            (self.next(), None)
        };
        let proto_name = self.next();
        self.expect("=");
        self.next();
        let mut json = json_name(&proto_name);
        if self.peek() == "[" {
            while self.peek() != "]" {
                if self.next() == "json_name" {
                    self.expect("=");
                    json = self.next().trim_matches('"').to_owned();
                }
            }
            self.next();
        }
        self.expect(";");
        Field {
            json_name: json,
            type_name,
            repeated,
            map_key,
            oneof: oneof.map(str::to_owned),
        }
    }

    fn enumeration(&mut self, full: &str) {
        self.expect("{");
        let mut values = Vec::new();
        loop {
            match self.peek() {
                "}" => {
                    self.next();
                    break;
                }
                "option" | "reserved" | ";" => self.skip_statement(),
                "" => panic!("proto syntax: unterminated enum {full}"),
                _ => {
                    values.push(self.next());
                    self.skip_statement();
                }
            }
        }
        self.out.enums.insert(full.to_owned(), values);
    }
}

fn join(scope: &str, name: &str) -> String {
    if scope.is_empty() {
        name.to_owned()
    } else {
        format!("{scope}.{name}")
    }
}

impl Protos {
    pub fn read(&mut self, text: &str) {
        let toks = tokens(text);
        Parser {
            toks: &toks,
            at: 0,
            out: self,
        }
        .file();
    }

    /// The fully qualified name `type_name` stands for inside message `scope`, following
    /// protobuf's rule: the innermost enclosing scope that defines it wins.
    pub fn resolve(&self, scope: &str, type_name: &str) -> Option<String> {
        if let Some(full) = type_name.strip_prefix('.') {
            return self.defines(full).then(|| full.to_owned());
        }
        let mut scope = scope;
        loop {
            let candidate = join(scope, type_name);
            if self.defines(&candidate) {
                return Some(candidate);
            }
            if scope.is_empty() {
                return None;
            }
            scope = scope.rfind('.').map_or("", |i| &scope[..i]);
        }
    }

    fn defines(&self, full: &str) -> bool {
        self.messages.contains_key(full) || self.enums.contains_key(full)
    }
}
