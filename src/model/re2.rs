//! Whether a regex vdc writes into a VirtualService is one both of its readers accept: istiod's
//! webhook compiles it with Go's `regexp` (and refuses the whole VirtualService when that
//! fails, or when it is empty or over 1024 bytes), and Envoy matches it with RE2, whose syntax
//! Go's follows. [`re2_problem`] is the one check: every matcher, rewrite and CORS origin regex
//! goes through it, so no two places can disagree.
//!
//! The pattern is parsed with `regex-syntax` (Rust's `regex`), whose syntax is RE2's with
//! extensions; what it parses is then refused where it goes beyond RE2 and Go:
//!
//! * Rust's additions are refused: class set operations (`&&`, `--`, `~~`) and nested classes
//!   (`[a[b]]`, where Go reads a literal `[`), the `\<`, `\>` and `\b{start}` word boundaries,
//!   `\u`/`\U` escapes, the `x`, `u` and `R` flags, Unicode properties Go does not name
//!   (`\p{Alphabetic}`, `\p{sc=Greek}`), and group names with `.`, `[` or `]`.
//! * RE2's own limits that Rust lacks are applied: a repetition count over 1000, nested counted
//!   repetitions whose counts multiply past 1000, and a repetition of a repetition (`a**`).
//! * Where Go and RE2 accept what Rust does not, vdc refuses it too, always on the safe side (the
//!   message says how to write it): an unescaped `[` inside a class, octal escapes (`\012`),
//!   `\Q…\E`, a `{` that is not a repetition (`a{,2}`), and `(?<name>…)` groups, which only
//!   recent Go and RE2 read (`(?P<name>…)` is read by all).
//!
//! Look-around and back-references, which RE2 does not have, fail the parse itself.

use regex_syntax::ast::{self, Ast, ClassSetItem, ClassUnicodeKind, Visitor};

/// Istio's limit on a regex's length (`validateStringRegexp`), in bytes.
const MAX_LEN: usize = 1024;

/// RE2's limit on a repetition count, and on the product of nested counts (`kMaxRepeat`).
const MAX_REPEAT: u64 = 1000;

/// Why istiod or Envoy would refuse `pattern` as a regex, if either would. One sentence, which
/// names the offending part.
pub fn re2_problem(pattern: &str) -> Option<String> {
    if pattern.is_empty() {
        return Some("an empty regex, which Istio refuses".to_owned());
    }
    if pattern.len() > MAX_LEN {
        return Some(format!(
            "{} bytes long; Istio refuses a regex over {MAX_LEN}",
            pattern.len()
        ));
    }
    let parsed = ast::parse::ParserBuilder::new()
        .octal(false)
        .build()
        .parse(pattern);
    let ast = match parsed {
        Ok(ast) => ast,
        Err(e) => return Some(parse_problem(pattern, &e)),
    };
    if let Err(problem) = ast::visit(&ast, Re2Only::default()) {
        return Some(problem);
    }
    // Errors only the translation sees (a Unicode class the tables do not have).
    regex_syntax::hir::translate::Translator::new()
        .translate(pattern, &ast)
        .err()
        .map(|e| format!("{} at column {}", e.kind(), e.span().start.column))
}

fn parse_problem(pattern: &str, e: &ast::Error) -> String {
    use ast::ErrorKind::*;
    let at = e.span().start.column;
    match e.kind() {
        UnsupportedLookAround => {
            format!("look-around at column {at}, which RE2 does not have")
        }
        UnsupportedBackreference => {
            format!("a back-reference at column {at}, which RE2 does not have")
        }
        RepetitionCountUnclosed | RepetitionCountDecimalEmpty if pattern.contains('{') => format!(
            "{} at column {at} (write a literal `{{` as `\\{{`)",
            e.kind()
        ),
        ClassUnclosed if pattern[e.span().start.offset + 1..].contains('[') => format!(
            "{} at column {at} (write a literal `[` inside a class as `\\[`)",
            e.kind()
        ),
        kind => format!("{kind} at column {at}"),
    }
}

/// Go's one-letter Unicode classes (`\pL`) and general categories (`\p{Lu}`).
const CATEGORIES: &[&str] = &[
    "Any", "C", "Cc", "Cf", "Co", "Cs", "L", "Ll", "Lm", "Lo", "Lt", "Lu", "M", "Mc", "Me", "Mn",
    "N", "Nd", "Nl", "No", "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps", "S", "Sc", "Sk", "Sm",
    "So", "Z", "Zl", "Zp", "Zs",
];

/// Go's script names (`unicode.Scripts`, Unicode 15.0), which RE2 shares.
const SCRIPTS: &[&str] = &[
    "Adlam",
    "Ahom",
    "Anatolian_Hieroglyphs",
    "Arabic",
    "Armenian",
    "Avestan",
    "Balinese",
    "Bamum",
    "Bassa_Vah",
    "Batak",
    "Bengali",
    "Bhaiksuki",
    "Bopomofo",
    "Brahmi",
    "Braille",
    "Buginese",
    "Buhid",
    "Canadian_Aboriginal",
    "Carian",
    "Caucasian_Albanian",
    "Chakma",
    "Cham",
    "Cherokee",
    "Chorasmian",
    "Common",
    "Coptic",
    "Cuneiform",
    "Cypriot",
    "Cypro_Minoan",
    "Cyrillic",
    "Deseret",
    "Devanagari",
    "Dives_Akuru",
    "Dogra",
    "Duployan",
    "Egyptian_Hieroglyphs",
    "Elbasan",
    "Elymaic",
    "Ethiopic",
    "Georgian",
    "Glagolitic",
    "Gothic",
    "Grantha",
    "Greek",
    "Gujarati",
    "Gunjala_Gondi",
    "Gurmukhi",
    "Han",
    "Hangul",
    "Hanifi_Rohingya",
    "Hanunoo",
    "Hatran",
    "Hebrew",
    "Hiragana",
    "Imperial_Aramaic",
    "Inherited",
    "Inscriptional_Pahlavi",
    "Inscriptional_Parthian",
    "Javanese",
    "Kaithi",
    "Kannada",
    "Katakana",
    "Kawi",
    "Kayah_Li",
    "Kharoshthi",
    "Khitan_Small_Script",
    "Khmer",
    "Khojki",
    "Khudawadi",
    "Lao",
    "Latin",
    "Lepcha",
    "Limbu",
    "Linear_A",
    "Linear_B",
    "Lisu",
    "Lycian",
    "Lydian",
    "Mahajani",
    "Makasar",
    "Malayalam",
    "Mandaic",
    "Manichaean",
    "Marchen",
    "Masaram_Gondi",
    "Medefaidrin",
    "Meetei_Mayek",
    "Mende_Kikakui",
    "Meroitic_Cursive",
    "Meroitic_Hieroglyphs",
    "Miao",
    "Modi",
    "Mongolian",
    "Mro",
    "Multani",
    "Myanmar",
    "Nabataean",
    "Nag_Mundari",
    "Nandinagari",
    "New_Tai_Lue",
    "Newa",
    "Nko",
    "Nushu",
    "Nyiakeng_Puachue_Hmong",
    "Ogham",
    "Ol_Chiki",
    "Old_Hungarian",
    "Old_Italic",
    "Old_North_Arabian",
    "Old_Permic",
    "Old_Persian",
    "Old_Sogdian",
    "Old_South_Arabian",
    "Old_Turkic",
    "Old_Uyghur",
    "Oriya",
    "Osage",
    "Osmanya",
    "Pahawh_Hmong",
    "Palmyrene",
    "Pau_Cin_Hau",
    "Phags_Pa",
    "Phoenician",
    "Psalter_Pahlavi",
    "Rejang",
    "Runic",
    "Samaritan",
    "Saurashtra",
    "Sharada",
    "Shavian",
    "Siddham",
    "SignWriting",
    "Sinhala",
    "Sogdian",
    "Sora_Sompeng",
    "Soyombo",
    "Sundanese",
    "Syloti_Nagri",
    "Syriac",
    "Tagalog",
    "Tagbanwa",
    "Tai_Le",
    "Tai_Tham",
    "Tai_Viet",
    "Takri",
    "Tamil",
    "Tangsa",
    "Tangut",
    "Telugu",
    "Thaana",
    "Thai",
    "Tibetan",
    "Tifinagh",
    "Tirhuta",
    "Toto",
    "Ugaritic",
    "Vai",
    "Vithkuqi",
    "Wancho",
    "Warang_Citi",
    "Yezidi",
    "Yi",
    "Zanabazar_Square",
];

/// Walks a parsed pattern and refuses what RE2 or Go would not read as Rust does.
#[derive(Default)]
struct Re2Only {
    /// The counts of the counted repetitions the walk is inside, outermost first.
    counts: Vec<u64>,
}

fn at(span: &ast::Span) -> usize {
    span.start.column
}

impl Re2Only {
    fn repetition(&mut self, r: &ast::Repetition) -> Result<(), String> {
        if let Ast::Repetition(inner) = &*r.ast {
            return Err(format!(
                "a repetition of a repetition at column {} (`a**`), which RE2 refuses; group the inner one: `(?:a*)*`",
                at(&inner.op.span).max(at(&r.op.span))
            ));
        }
        let ast::RepetitionKind::Range(range) = &r.op.kind else {
            self.counts.push(1);
            return Ok(());
        };
        let (min, max) = match *range {
            ast::RepetitionRange::Exactly(n) => (n, Some(n)),
            ast::RepetitionRange::AtLeast(n) => (n, None),
            ast::RepetitionRange::Bounded(m, n) => (m, Some(n)),
        };
        if u64::from(max.unwrap_or(min)) > MAX_REPEAT {
            return Err(format!(
                "a repetition count over {MAX_REPEAT} at column {}, which RE2 refuses",
                at(&r.op.span)
            ));
        }
        // RE2 weighs a repetition by its maximum, or its minimum when it has none.
        let count = u64::from(max.unwrap_or(min)).max(1);
        let product: u64 = self.counts.iter().product::<u64>() * count;
        if product > MAX_REPEAT {
            return Err(format!(
                "nested repetitions at column {} repeat {product} times, over RE2's {MAX_REPEAT}",
                at(&r.op.span)
            ));
        }
        self.counts.push(count);
        Ok(())
    }

    fn unicode_class(c: &ast::ClassUnicode) -> Result<(), String> {
        let known = match &c.kind {
            ClassUnicodeKind::OneLetter(l) => "CLMNPSZ".contains(*l),
            ClassUnicodeKind::Named(name) => {
                CATEGORIES.contains(&name.as_str()) || SCRIPTS.contains(&name.as_str())
            }
            ClassUnicodeKind::NamedValue { .. } => false,
        };
        if known {
            return Ok(());
        }
        Err(format!(
            "a Unicode class at column {} that RE2 does not name; RE2 knows general categories (`\\p{{Lu}}`) and scripts (`\\p{{Greek}}`)",
            at(&c.span)
        ))
    }

    fn literal(l: &ast::Literal) -> Result<(), String> {
        use ast::{HexLiteralKind, LiteralKind};
        match l.kind {
            LiteralKind::HexFixed(HexLiteralKind::X) | LiteralKind::HexBrace(HexLiteralKind::X) => {
                Ok(())
            }
            LiteralKind::HexFixed(_) | LiteralKind::HexBrace(_) => Err(format!(
                "a `\\u` or `\\U` escape at column {}, which RE2 does not have; write `\\x{{…}}`",
                at(&l.span)
            )),
            _ => Ok(()),
        }
    }

    fn flags(flags: &ast::Flags) -> Result<(), String> {
        for item in &flags.items {
            if let ast::FlagsItemKind::Flag(
                ast::Flag::IgnoreWhitespace | ast::Flag::Unicode | ast::Flag::CRLF,
            ) = item.kind
            {
                return Err(format!(
                    "a flag at column {} that RE2 does not have; RE2's flags are `i`, `m`, `s` and `U`",
                    at(&item.span)
                ));
            }
        }
        Ok(())
    }
}

impl Visitor for Re2Only {
    type Output = ();
    type Err = String;

    fn finish(self) -> Result<(), String> {
        Ok(())
    }

    fn visit_pre(&mut self, ast: &Ast) -> Result<(), String> {
        match ast {
            Ast::Repetition(r) => self.repetition(r),
            Ast::ClassUnicode(c) => Self::unicode_class(c),
            Ast::Literal(l) => Self::literal(l),
            Ast::Flags(f) => Self::flags(&f.flags),
            Ast::Group(g) => match &g.kind {
                ast::GroupKind::NonCapturing(flags) => Self::flags(flags),
                ast::GroupKind::CaptureName {
                    starts_with_p,
                    name,
                } => {
                    if !starts_with_p {
                        return Err(format!(
                            "a `(?<name>…)` group at column {}, which older istiod and Envoy refuse; write `(?P<name>…)`",
                            at(&g.span)
                        ));
                    }
                    if name.name.contains(['.', '[', ']']) {
                        return Err(format!(
                            "the group name `{}` at column {}: RE2 allows only letters, digits and `_`",
                            name.name,
                            at(&name.span)
                        ));
                    }
                    Ok(())
                }
                ast::GroupKind::CaptureIndex(_) => Ok(()),
            },
            Ast::Assertion(a) => {
                use ast::AssertionKind::*;
                match a.kind {
                    StartLine | EndLine | StartText | EndText | WordBoundary | NotWordBoundary => {
                        Ok(())
                    }
                    _ => Err(format!(
                        "a word-boundary assertion at column {} that RE2 does not have; RE2 has `\\b` and `\\B` (write a literal `<` or `>` unescaped)",
                        at(&a.span)
                    )),
                }
            }
            _ => Ok(()),
        }
    }

    fn visit_post(&mut self, ast: &Ast) -> Result<(), String> {
        if let Ast::Repetition(_) = ast {
            self.counts.pop();
        }
        Ok(())
    }

    fn visit_class_set_item_pre(&mut self, item: &ClassSetItem) -> Result<(), String> {
        match item {
            ClassSetItem::Bracketed(b) => Err(format!(
                "a class inside a class at column {}, which RE2 reads as a literal `[`; write `\\[`",
                at(&b.span)
            )),
            ClassSetItem::Unicode(c) => Self::unicode_class(c),
            ClassSetItem::Literal(l) => Self::literal(l),
            _ => Ok(()),
        }
    }

    fn visit_class_set_binary_op_pre(&mut self, op: &ast::ClassSetBinaryOp) -> Result<(), String> {
        Err(format!(
            "a class set operation (`&&`, `--` or `~~`) at column {}, which RE2 does not have",
            at(&op.span)
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::re2_problem;

    #[test]
    fn re2_patterns_pass() {
        for ok in [
            "/reviews/[0-9]+",
            "^/reviews/([0-9]+)$",
            "https://.*\\.example\\.com",
            "(?P<id>[a-z]+)/\\d{1,3}",
            "(?i)/api/.*",
            "(?i:/A)/b",
            "[[:alpha:]]+\\pL\\p{Greek}\\p{Lu}",
            "\\x41\\x{1F600}\\.\\-\\/",
            "a{2}b{1000}",
            "(?:a{10}){100}",
            "(?:a*)*",
            "a*?b+?",
        ] {
            assert_eq!(re2_problem(ok), None, "{ok}");
        }
    }

    #[test]
    fn what_re2_lacks_or_refuses_is_named() {
        let cases = [
            ("/(a)\\1", "back-reference"),
            ("(?=foo)bar", "look-around"),
            ("(?<=/a)/b", "look-around"),
            ("foo(?!bar)", "look-around"),
            ("/a(", "unclosed group"),
            ("[z-a]", "class range"),
            ("x{2,1}", "repetition"),
            ("", "empty"),
            ("a**", "repetition of a repetition"),
            ("a{1001}", "over 1000"),
            ("(?:(?:a{10}){10}){11}", "1100 times"),
            ("[a-z&&[^aeiou]]", "class set operation"),
            ("[a[b]]", "class inside a class"),
            ("\\<word\\>", "word-boundary"),
            ("\\u0041", "`\\u`"),
            ("(?x) a b", "flag"),
            ("\\p{Alphabetic}", "Unicode class"),
            ("\\p{sc=Greek}", "Unicode class"),
            ("(?<id>x)", "(?P<name>"),
            ("(?P<a.b>x)", "group name"),
            ("\\012", "at column"),
            ("a{,2}", "\\{"),
        ];
        for (pattern, why) in cases {
            let problem = re2_problem(pattern);
            assert!(
                problem.as_deref().is_some_and(|p| p.contains(why)),
                "{pattern}: {problem:?} should say {why}"
            );
        }
        assert!(re2_problem(&"a".repeat(1025)).is_some());
        assert_eq!(re2_problem(&"a".repeat(1024)), None);
    }
}
