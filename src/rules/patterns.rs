//! `regex.match` and `regex.split` with compiled patterns kept per thread.
//!
//! regorus 0.14.1 caches compiled patterns but hands out a clone of the
//! `Regex` on every call, and a cloned `Regex` starts with an empty match
//! cache: each call builds the lazy DFA's cache again (zeroing fresh pages).
//! On kubespray's largest playbook that was a quarter of one rule's time.
//! Extensions are looked up before regorus's own functions, so these
//! replace them, with the same results and the same errors: an undefined
//! argument makes the call undefined; a non-string argument, an invalid
//! pattern or one over regorus's compiled-size limit is an error.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use anyhow::{Result, bail};
use regex::{Regex, RegexBuilder};
use regorus::{Engine, Value};

/// regorus's limit on a compiled pattern (`REGEX_SIZE_LIMIT`).
const SIZE_LIMIT: usize = 100 * 1024;

/// Patterns kept per thread; rules use a few dozen, so reaching this means
/// patterns built from input, and the cache starts over.
const MAX_PATTERNS: usize = 1024;

thread_local! {
    static COMPILED: RefCell<HashMap<String, Rc<Regex>>> = RefCell::new(HashMap::new());
}

pub fn register(engine: &mut Engine) -> Result<()> {
    engine.add_extension("regex.match".into(), 2, Box::new(is_match))?;
    engine.add_extension("regex.split".into(), 2, Box::new(split))?;
    Ok(())
}

fn compiled(pattern: &str) -> Result<Rc<Regex>> {
    if let Some(found) = COMPILED.with(|c| c.borrow().get(pattern).cloned()) {
        return Ok(found);
    }
    let regex = match RegexBuilder::new(pattern).size_limit(SIZE_LIMIT).build() {
        Ok(regex) => Rc::new(regex),
        Err(regex::Error::CompiledTooBig(_)) => {
            bail!("regular expression exceeds the compiled size limit of {SIZE_LIMIT} bytes")
        }
        Err(_) => bail!("invalid regex"),
    };
    COMPILED.with(|c| {
        let mut cache = c.borrow_mut();
        if cache.len() >= MAX_PATTERNS {
            cache.clear();
        }
        cache.insert(pattern.to_string(), Rc::clone(&regex));
    });
    Ok(regex)
}

/// The two string arguments; `None` when one is undefined (the call is
/// then undefined), an error when one is not a string.
fn strings<'a>(name: &str, args: &'a [Value]) -> Result<Option<(&'a str, &'a str)>> {
    if args.contains(&Value::Undefined) {
        return Ok(None);
    }
    match args {
        [Value::String(a), Value::String(b)] => Ok(Some((a, b))),
        _ => {
            let wrong = args
                .iter()
                .find(|a| !matches!(a, Value::String(_)))
                .map(|a| a.to_string())
                .unwrap_or_default();
            bail!("`{name}` expects string argument. Got `{wrong}` instead")
        }
    }
}

fn is_match(args: Vec<Value>) -> Result<Value> {
    let Some((pattern, text)) = strings("regex.match", &args)? else {
        return Ok(Value::Undefined);
    };
    Ok(Value::from(compiled(pattern)?.is_match(text)))
}

fn split(args: Vec<Value>) -> Result<Value> {
    let Some((pattern, text)) = strings("regex.split", &args)? else {
        return Ok(Value::Undefined);
    };
    Ok(Value::from(
        compiled(pattern)?
            .split(text)
            .map(|part| Value::String(part.into()))
            .collect::<Vec<Value>>(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The value of `expr` in a rule, where regorus's own functions make
    /// invalid patterns and wrong types undefined rather than errors.
    fn eval(expr: &str, ours: bool) -> Result<Value> {
        let mut engine = Engine::new();
        if ours {
            register(&mut engine)?;
        }
        engine.add_policy("t.rego".into(), format!("package t\n\nx := {expr}\n"))?;
        engine.eval_rule("data.t.x".into())
    }

    #[test]
    fn results_match_regorus() {
        for expr in [
            r#"regex.match(`^a+$`, "aaa")"#,
            r#"regex.match(`^a+$`, "aab")"#,
            r#"regex.match(`\d`, "x1")"#,
            r#"regex.match(`[`, "x")"#,
            r#"regex.match(1, "x")"#,
            r#"regex.match(`a`, ["x"])"#,
            r#"regex.match(`a`, input.missing)"#,
            r#"regex.split(`\s+`, "a  b\tc")"#,
            r#"regex.split(`,`, "")"#,
            r#"regex.split(`(`, "x")"#,
        ] {
            let (ours, theirs) = (eval(expr, true), eval(expr, false));
            assert_eq!(
                ours.is_err(),
                theirs.is_err(),
                "{expr}: {ours:?} {theirs:?}"
            );
            assert_eq!(ours.ok(), theirs.ok(), "{expr}");
        }
    }

    #[test]
    fn a_pattern_over_the_size_limit_is_an_error() {
        assert!(eval(r#"regex.match(`\w{5000}`, "x")"#, true).is_err());
        assert!(eval(r#"regex.match(`\w{5000}`, "x")"#, false).is_err());
    }
}
