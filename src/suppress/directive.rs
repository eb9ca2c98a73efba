//! Reading `clause:ignore` comments out of a file's text. One syntax serves
//! HCL (`#` or `//` comments) and YAML (`#`):
//!
//! ```text
//! # clause:ignore CL-AWS-001,CL-AWS-002 reason="public website bucket" until=2027-03-31
//! # clause:ignore-file CL-K8S-* reason="vendored upstream manifest"
//! ```

use std::fmt;

/// The form users are shown when a directive cannot be read.
pub const CORRECT_FORM: &str = "# clause:ignore CODE[,CODE] reason=\"why\" [until=YYYY-MM-DD]";

/// A calendar date, compared as (year, month, day).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    pub fn parse(text: &str) -> Option<Date> {
        let mut parts = text.splitn(3, '-');
        let year_text = parts.next()?;
        let month_text = parts.next()?;
        let day_text = parts.next()?;
        if year_text.len() != 4 || month_text.len() != 2 || day_text.len() != 2 {
            return None;
        }
        let date = Date {
            year: year_text.parse().ok()?,
            month: month_text.parse().ok()?,
            day: day_text.parse().ok()?,
        };
        let valid = (1..=12).contains(&date.month)
            && (1..=days_in_month(date.year, date.month)).contains(&date.day);
        valid.then_some(date)
    }

    /// Today in UTC, from the system clock.
    pub fn today() -> Date {
        let seconds = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        Date::from_days(i64::try_from(seconds / 86_400).unwrap_or(0))
    }

    /// The civil date `days` after 1970-01-01 (Howard Hinnant's algorithm).
    pub fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date {
            year: i32::try_from(year).unwrap_or(i32::MAX),
            month: u32::try_from(month).unwrap_or(1),
            day: u32::try_from(day).unwrap_or(1),
        }
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// What a directive's position makes it cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// `ignore-file`: every finding in the file.
    File,
    /// On a line of its own: the resource or attribute that starts on the
    /// next line holding code (1-based).
    Above(usize),
    /// At the end of a line of code: what starts on that line.
    EndOf(usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// 1-based line of the comment.
    pub line: usize,
    /// Rule codes or globs, upper-cased.
    pub codes: Vec<String>,
    pub reason: String,
    pub until: Option<Date>,
    pub placement: Placement,
}

/// A comment that tried to be a directive and is not one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed {
    pub line: usize,
    pub message: String,
}

/// Every directive in a file, and the comments that failed to be one.
pub fn scan(text: &str) -> (Vec<Directive>, Vec<Malformed>) {
    let mut directives = Vec::new();
    let mut malformed = Vec::new();
    if !text.contains("clause:ignore") {
        return (directives, malformed);
    }
    let lines: Vec<&str> = text.lines().collect();
    let next_code = next_code_lines(&lines);
    for (index, line) in lines.iter().enumerate() {
        let Some(found) = find_directive(line) else {
            continue;
        };
        let number = index + 1;
        match parse_body(found.body) {
            Ok((codes, reason, until)) => {
                let placement = if found.whole_file {
                    Placement::File
                } else if found.own_line {
                    match next_code.get(index + 1).copied().flatten() {
                        Some(target) => Placement::Above(target),
                        None => {
                            malformed.push(Malformed {
                                line: number,
                                message: "nothing follows this suppression; put it directly above a resource or attribute".into(),
                            });
                            continue;
                        }
                    }
                } else {
                    Placement::EndOf(number)
                };
                directives.push(Directive {
                    line: number,
                    codes,
                    reason,
                    until,
                    placement,
                });
            }
            Err(message) => malformed.push(Malformed {
                line: number,
                message,
            }),
        }
    }
    (directives, malformed)
}

struct Found<'a> {
    body: &'a str,
    own_line: bool,
    whole_file: bool,
}

/// The directive on a line, when a comment holds one: the marker must start
/// the comment (`# clause:ignore`, `//clause:ignore`), outside any string.
fn find_directive(line: &str) -> Option<Found<'_>> {
    let at = line.find("clause:ignore")?;
    let before = line[..at].trim_end();
    let code = before
        .strip_suffix('#')
        .or_else(|| before.strip_suffix("//"))?;
    if code.matches('"').count() % 2 == 1 {
        return None;
    }
    let rest = &line[at + "clause:ignore".len()..];
    let (whole_file, body) = match rest.strip_prefix("-file") {
        Some(body) => (true, body),
        None => (false, rest),
    };
    if !(body.is_empty() || body.starts_with(char::is_whitespace)) {
        return None;
    }
    Some(Found {
        body: body.trim(),
        own_line: code.trim().is_empty(),
        whole_file,
    })
}

type Parsed = (Vec<String>, String, Option<Date>);

fn parse_body(body: &str) -> Result<Parsed, String> {
    let form = |problem: &str| format!("{problem}; the form is `{CORRECT_FORM}`");
    let (codes_text, mut rest) = split_codes(body);
    let codes: Vec<String> = codes_text
        .split(',')
        .map(|c| c.trim().to_uppercase())
        .filter(|c| !c.is_empty())
        .collect();
    if codes.is_empty() || codes.iter().any(|c| c.contains('=')) {
        return Err(form("a suppression names the rule codes it silences"));
    }
    let mut reason = None;
    let mut until = None;
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            break;
        }
        let Some((key, after)) = rest.split_once('=') else {
            return Err(form(&format!("unexpected `{rest}`")));
        };
        let key = key.trim();
        let (value, remaining) = take_value(after.trim_start())
            .ok_or_else(|| form(&format!("the value of `{key}` has no closing quote")))?;
        rest = remaining;
        match key {
            "reason" => reason = Some(value),
            "until" => {
                until = Some(Date::parse(&value).ok_or_else(|| {
                    form(&format!("`until={value}` is not a date as YYYY-MM-DD"))
                })?);
            }
            other => return Err(form(&format!("unknown key `{other}`"))),
        }
    }
    match reason {
        Some(reason) if !reason.trim().is_empty() => Ok((codes, reason, until)),
        _ => Err(form("a reason is required (reason=\"...\")")),
    }
}

/// The codes run up to the first `key=`; spaces after commas are allowed.
/// One pass over the text, so a long line cannot make it slow.
fn split_codes(body: &str) -> (&str, &str) {
    let mut end = 0;
    let mut expect_code = true;
    // The whitespace-delimited word the scan is in: where it ends and
    // where its last `=` is.
    let mut word_end = 0;
    let mut word_eq: Option<usize> = None;
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == ',' {
            expect_code = true;
        } else if c.is_whitespace() {
            if !expect_code {
                let rest = &body[i..];
                let run_end = i + (rest.len() - rest.trim_start().len());
                if body[run_end..].starts_with(',') {
                    while chars.next_if(|&(j, _)| j < run_end).is_some() {}
                    continue;
                }
                return (&body[..end], &body[i..]);
            }
        } else {
            if expect_code {
                if i >= word_end {
                    let rest = &body[i..];
                    word_end = i + rest.find(char::is_whitespace).unwrap_or(rest.len());
                    word_eq = body[i..word_end].rfind('=').map(|p| i + p);
                }
                if word_eq.is_some_and(|p| p >= i) {
                    return (&body[..end], &body[i..]);
                }
            }
            expect_code = false;
        }
        end = i + c.len_utf8();
    }
    (&body[..end], "")
}

/// A quoted (`"..."`, `'...'`) or bare value, and what follows it.
fn take_value(text: &str) -> Option<(String, &str)> {
    if let Some(quote) = text.chars().next().filter(|c| *c == '"' || *c == '\'') {
        let inner = &text[1..];
        let close = inner.find(quote)?;
        return Some((inner[..close].to_string(), &inner[close + 1..]));
    }
    let end = text.find(char::is_whitespace).unwrap_or(text.len());
    Some((text[..end].to_string(), &text[end..]))
}

/// For each line, the next line from it on holding code (1-based): blank
/// lines, comments and YAML document markers sit between a directive and
/// what it covers. Computed once, backwards, so a file of many directives
/// is read in one pass.
fn next_code_lines(lines: &[&str]) -> Vec<Option<usize>> {
    let mut next = vec![None; lines.len() + 1];
    for (i, line) in lines.iter().enumerate().rev() {
        let t = line.trim();
        let is_code = !(t.is_empty() || t.starts_with('#') || t.starts_with("//") || t == "---");
        next[i] = if is_code { Some(i + 1) } else { next[i + 1] };
    }
    next
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_codes_reason_and_date() {
        let (d, bad) = scan(
            "# clause:ignore CL-AWS-001, cl-aws-002 reason=\"public site\" until=2027-01-31\nresource \"x\" \"y\" {}\n",
        );
        assert!(bad.is_empty(), "{bad:?}");
        assert_eq!(d[0].codes, ["CL-AWS-001", "CL-AWS-002"]);
        assert_eq!(d[0].reason, "public site");
        assert_eq!(
            d[0].until.map(|u| u.to_string()).as_deref(),
            Some("2027-01-31")
        );
        assert_eq!(d[0].placement, Placement::Above(2));
    }

    #[test]
    fn end_of_line_and_file_directives() {
        let text =
            "a: 1\nb: 2 # clause:ignore X reason='r'\n// clause:ignore-file Y reason=\"z\"\n";
        let (d, bad) = scan(text);
        assert!(bad.is_empty(), "{bad:?}");
        assert_eq!(d[0].placement, Placement::EndOf(2));
        assert_eq!(d[1].placement, Placement::File);
    }

    #[test]
    fn skips_comments_blank_lines_and_document_markers() {
        let (d, _) = scan("# clause:ignore X reason=\"r\"\n\n# note\n---\nkind: Pod\n");
        assert_eq!(d[0].placement, Placement::Above(5));
    }

    #[test]
    fn malformed_directives_say_why() {
        for (text, why) in [
            ("# clause:ignore CL-1\nx", "reason is required"),
            ("# clause:ignore reason=\"r\"\nx", "names the rule codes"),
            (
                "# clause:ignore X reason=\"r\" until=tomorrow\nx",
                "not a date",
            ),
            (
                "# clause:ignore X reason=\"r\" until=2027-02-30\nx",
                "not a date",
            ),
            ("# clause:ignore X reason=\"open\nx", "no closing quote"),
            (
                "# clause:ignore X reason=\"r\" owner=me\nx",
                "unknown key `owner`",
            ),
            ("x\n# clause:ignore X reason=\"r\"\n", "nothing follows"),
        ] {
            let (d, bad) = scan(text);
            assert!(d.is_empty(), "{text}");
            assert!(bad[0].message.contains(why), "{text}: {}", bad[0].message);
        }
    }

    #[test]
    fn ignores_the_marker_inside_strings_and_words() {
        let (d, bad) = scan("a = \"# clause:ignore X reason=r\"\nb: notclause:ignore\n");
        assert!(d.is_empty() && bad.is_empty());
    }

    #[test]
    fn codes_split_the_same_around_spaces_and_commas() {
        let (d, bad) = scan("# clause:ignore A ,B,  C reason=r\nx\n");
        assert!(bad.is_empty(), "{bad:?}");
        assert_eq!(d[0].codes, ["A", "B", "C"]);
        let (d, _) = scan("# clause:ignore A,reason=r\nx\n");
        assert!(d.is_empty());
    }

    /// Found by thinking like the fuzzer: each code re-read the rest of its
    /// line, each space before a comma re-read the run of spaces, and each
    /// directive re-read the file to its end for the line it covers.
    #[test]
    fn long_lines_and_many_directives_scan_in_linear_time() {
        let started = std::time::Instant::now();
        let codes = "A,".repeat(200_000);
        let (d, bad) = scan(&format!("# clause:ignore {codes}B reason=r\nx\n"));
        assert!(bad.is_empty() && d[0].codes.len() == 200_001);
        let spaces = " ".repeat(400_000);
        let (d, bad) = scan(&format!("# clause:ignore A{spaces},B reason=r\nx\n"));
        assert!(bad.is_empty() && d[0].codes == ["A", "B"]);
        let many = "# clause:ignore A reason=r\n".repeat(100_000) + "x\n";
        let (d, _) = scan(&many);
        assert_eq!(d.len(), 100_000);
        assert!(d.iter().all(|d| d.placement == Placement::Above(100_001)));
        assert!(
            started.elapsed() < std::time::Duration::from_secs(5),
            "{:?}",
            started.elapsed()
        );
    }

    #[test]
    fn civil_dates() {
        assert_eq!(Date::from_days(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_days(20_819).to_string(), "2027-01-01");
        assert!(Date::parse("2024-02-29").is_some());
        assert!(Date::parse("2023-02-29").is_none());
    }
}
