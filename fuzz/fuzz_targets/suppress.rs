//! The `clause:ignore` comment lexer.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let lines = text.lines().count();
    let (directives, malformed) = clause::suppress::directive::scan(text);
    for d in &directives {
        assert!(d.line >= 1 && d.line <= lines, "directive line out of range");
        if let clause::suppress::Placement::Above(target) = d.placement {
            assert!(target > d.line && target <= lines);
        }
        assert!(!d.codes.is_empty() && !d.reason.trim().is_empty());
    }
    for m in &malformed {
        assert!(m.line >= 1 && m.line <= lines, "malformed line out of range");
    }
});
