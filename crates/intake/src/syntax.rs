//! The one module that talks to `serde_yaml` (a libyaml port, like go-yaml, so its problems are
//! worded exactly as kubectl prints them). Swap it here for a maintained fork later.
//!
//! Only ever called on text the guard (`tree::build`) already bounded, or on a prefix that ends
//! one line after the guard's own syntax error.

use serde::Deserialize;

/// A libyaml syntax problem rendered as goyaml.v2 `parser.fail` does: `yaml: line N: <problem>`,
/// where N is the problem line (0-based!) for parser errors and 1-based for scanner errors
/// (sigs.k8s.io/yaml goyaml.v2 `decode.go` `fail`: "Scanner errors don't iterate line").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoYamlError {
    pub message: String,
    /// 1-based line/column of the problem inside the chunk (for the editor).
    pub line: u32,
    pub col: u32,
}

/// Problems libyaml reports from its parser (not its scanner) without a "while parsing" context.
const PARSER_PROBLEMS_WITHOUT_CONTEXT: &[&str] = &[
    "did not find expected <document start>",
    "found incompatible YAML document",
    "found duplicate %YAML directive",
    "found duplicate %TAG directive",
];

/// `None` when libyaml accepts the first document of `chunk`.
pub fn check(chunk: &str) -> Option<GoYamlError> {
    let mut docs = serde_yaml::Deserializer::from_str(chunk);
    let doc = docs.next()?;
    let err = serde::de::IgnoredAny::deserialize(doc).err()?;
    let text = err.to_string();
    let loc = err.location();
    let (line1, col1) = loc.map(|l| (l.line(), l.column())).unwrap_or((0, 0));
    // "<problem> at line L column C[, while <context>[ at line L2 column C2]]"
    let (head, context) = match text.split_once(", while ") {
        Some((h, c)) => (h, Some(c)),
        None => (text.as_str(), None),
    };
    let problem = match head.rfind(" at line ") {
        Some(i) => head.get(..i).unwrap_or(head),
        None => head.strip_suffix(" at position").unwrap_or(head),
    };
    if problem == "recursion limit exceeded" || problem.starts_with("unknown anchor") {
        return None; // handled by the guard with our own wording
    }
    let context_line1 = context.and_then(|c| {
        let i = c.rfind(" at line ")?;
        let rest = c.get(i + 9..)?;
        rest.split(' ').next()?.parse::<usize>().ok()
    });
    let is_parser = context.is_some_and(|c| c.starts_with("parsing"))
        || PARSER_PROBLEMS_WITHOUT_CONTEXT.contains(&problem);
    let problem_line0 = line1.saturating_sub(1);
    let context_line0 = context_line1.unwrap_or(line1).saturating_sub(1);
    let shown = if problem_line0 != 0 {
        Some(if is_parser {
            problem_line0
        } else {
            problem_line0 + 1
        })
    } else if context.is_some() && context_line0 != 0 {
        Some(context_line0)
    } else {
        None
    };
    let message = match shown {
        Some(l) => format!("yaml: line {l}: {problem}"),
        None => format!("yaml: {problem}"),
    };
    Some(GoYamlError {
        message,
        line: u32::try_from(line1.max(1)).unwrap_or(u32::MAX),
        col: u32::try_from(col1.max(1)).unwrap_or(u32::MAX),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scanner_error_uses_one_based_line() {
        let e = check("a: b\nc: d: e\n").unwrap();
        assert_eq!(
            e.message,
            "yaml: line 2: mapping values are not allowed in this context"
        );
    }

    #[test]
    fn parser_error_uses_zero_based_line_like_goyaml_v2() {
        // libyaml reports the problem at line 3 (1-based); go-yaml v2 prints 2.
        let e = check("a:\n  b: 1\n c: 2\n").unwrap();
        assert_eq!(e.message, "yaml: line 2: did not find expected key");
        assert_eq!(e.line, 3);
    }

    #[test]
    fn valid_is_none() {
        assert!(check("a: [1, 2]\n").is_none());
    }
}
