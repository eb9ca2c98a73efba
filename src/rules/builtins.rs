//! Built-in functions clause adds to regorus's, and guards on the ones that
//! could let a rule exhaust the machine.
//!
//! Added (OPA's names and meanings, which regorus lacks):
//! - `net.cidr_intersects(a, b)`: whether two ranges share any address.
//! - `net.cidr_overlap(cidr, ip)`: OPA's older name for "the range holds the
//!   address"; kept so rules written for OPA run unchanged.
//! - `net.cidr_merge(addrs)`: the smallest set of ranges covering a list or
//!   set of addresses and ranges.
//! - `net.cidr_contains_matches(a, b)`: pairs of keys `[ka, kb]` where the
//!   range `a[ka]` holds `b[kb]`; each side a string, array, set or object.
//!
//! Guarded (regorus's would allocate without bound from a tiny input):
//! - `numbers.range` and `numbers.range_step` refuse more than 1,000,000
//!   numbers, and `net.cidr_expand` more than 65,536 addresses.
//!
//! `http.send` and `opa.runtime` are not compiled in, so rules cannot reach
//! the network or the environment; nothing here reads files.

use std::collections::BTreeSet;
use std::net::IpAddr;

use anyhow::{Result, anyhow, bail};
use ipnet::IpNet;
use regorus::{Engine, Value};

pub const MAX_RANGE: i64 = 1_000_000;
pub const MAX_EXPANDED_ADDRESSES: u128 = 65_536;

/// Registers every extension on an engine (before policies are added).
pub fn register(engine: &mut Engine) -> Result<()> {
    engine.add_extension("net.cidr_intersects".into(), 2, Box::new(cidr_intersects))?;
    engine.add_extension("net.cidr_overlap".into(), 2, Box::new(cidr_overlap))?;
    engine.add_extension("net.cidr_merge".into(), 1, Box::new(cidr_merge))?;
    engine.add_extension(
        "net.cidr_contains_matches".into(),
        2,
        Box::new(cidr_contains_matches),
    )?;
    engine.add_extension("net.cidr_expand".into(), 1, Box::new(cidr_expand))?;
    engine.add_extension("numbers.range".into(), 2, Box::new(range))?;
    engine.add_extension("numbers.range_step".into(), 3, Box::new(range_step))?;
    super::patterns::register(engine)
}

fn string<'a>(name: &str, v: &'a Value) -> Result<&'a str> {
    v.as_string()
        .map(|s| &**s)
        .map_err(|_| anyhow!("{name}: expected a string"))
}

/// A range, or a single address as the range holding only it.
fn net(text: &str) -> Result<IpNet> {
    if text.contains('/') {
        text.parse::<IpNet>()
            .map_err(|e| anyhow!("`{text}` is not a CIDR range: {e}"))
    } else {
        text.parse::<IpAddr>()
            .map(IpNet::from)
            .map_err(|e| anyhow!("`{text}` is not an IP address: {e}"))
    }
}

fn intersects(a: &IpNet, b: &IpNet) -> bool {
    a.contains(&b.network()) || b.contains(&a.network())
}

fn cidr_intersects(args: Vec<Value>) -> Result<Value> {
    let a = net(string("net.cidr_intersects", &args[0])?)?;
    let b = net(string("net.cidr_intersects", &args[1])?)?;
    Ok(Value::from(intersects(&a, &b)))
}

fn cidr_overlap(args: Vec<Value>) -> Result<Value> {
    let range = net(string("net.cidr_overlap", &args[0])?)?;
    let address = net(string("net.cidr_overlap", &args[1])?)?;
    Ok(Value::from(range.contains(&address)))
}

/// The strings of a string, array, set or object, with the keys OPA gives
/// them in `cidr_contains_matches` (the string itself, the index, the key).
fn keyed(name: &str, v: &Value) -> Result<Vec<(Value, String)>> {
    let first = |item: &Value| -> Result<String> {
        // An element may be a string or an array whose first item is one.
        if let Ok(s) = item.as_string() {
            return Ok(s.to_string());
        }
        let array = item
            .as_array()
            .map_err(|_| anyhow!("{name}: elements must be strings or arrays"))?;
        array
            .first()
            .and_then(|f| f.as_string().ok())
            .map(|s| s.to_string())
            .ok_or_else(|| anyhow!("{name}: an array element must start with a string"))
    };
    match v {
        Value::String(s) => Ok(vec![(v.clone(), s.to_string())]),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| Ok((Value::from(i), first(item)?)))
            .collect(),
        Value::Set(items) => items
            .iter()
            .map(|item| Ok((item.clone(), first(item)?)))
            .collect(),
        Value::Object(map) => map
            .iter()
            .map(|(k, item)| Ok((k.clone(), first(item)?)))
            .collect(),
        _ => bail!("{name}: expected a string, array, set or object"),
    }
}

fn cidr_contains_matches(args: Vec<Value>) -> Result<Value> {
    let name = "net.cidr_contains_matches";
    let ranges = keyed(name, &args[0])?;
    let candidates = keyed(name, &args[1])?;
    let mut matches = BTreeSet::new();
    for (ka, a) in &ranges {
        let a = net(a)?;
        for (kb, b) in &candidates {
            if a.contains(&net(b)?) {
                matches.insert(Value::from(vec![ka.clone(), kb.clone()]));
            }
        }
    }
    Ok(Value::from(matches))
}

fn cidr_merge(args: Vec<Value>) -> Result<Value> {
    let name = "net.cidr_merge";
    let items: Vec<Value> = match &args[0] {
        Value::Array(a) => a.iter().cloned().collect(),
        Value::Set(s) => s.iter().cloned().collect(),
        _ => bail!("{name}: expected an array or set of addresses and ranges"),
    };
    let nets = items
        .iter()
        .map(|v| net(string(name, v)?))
        .collect::<Result<Vec<_>>>()?;
    let merged: BTreeSet<Value> = IpNet::aggregate(&nets)
        .into_iter()
        .map(|n| Value::from(n.to_string()))
        .collect();
    Ok(Value::from(merged))
}

fn cidr_expand(args: Vec<Value>) -> Result<Value> {
    let range = net(string("net.cidr_expand", &args[0])?)?;
    let bits = u32::from(range.max_prefix_len() - range.prefix_len());
    let count = 1u128.checked_shl(bits).unwrap_or(u128::MAX);
    if count > MAX_EXPANDED_ADDRESSES {
        bail!(
            "net.cidr_expand(\"{range}\") would list {count} addresses; clause allows at most {MAX_EXPANDED_ADDRESSES} (use net.cidr_contains or net.cidr_intersects instead)"
        );
    }
    let addresses: BTreeSet<Value> = range
        .hosts_all()
        .map(|a| Value::from(a.to_string()))
        .collect();
    Ok(Value::from(addresses))
}

fn integer(name: &str, v: &Value) -> Result<i64> {
    v.as_i64()
        .map_err(|_| anyhow!("{name}: operands must be integers"))
}

fn bounded_range(name: &str, from: i64, to: i64, step: i64) -> Result<Value> {
    if step <= 0 {
        bail!("{name}: the step must be a positive integer");
    }
    let span = from.abs_diff(to) / step.unsigned_abs() + 1;
    if span > MAX_RANGE as u64 {
        bail!("{name} would build {span} numbers; clause allows at most {MAX_RANGE}");
    }
    let mut values = Vec::new();
    let mut n = from;
    if from <= to {
        while n <= to {
            values.push(Value::from(n));
            n += step;
        }
    } else {
        while n >= to {
            values.push(Value::from(n));
            n -= step;
        }
    }
    Ok(Value::from(values))
}

fn range(args: Vec<Value>) -> Result<Value> {
    let name = "numbers.range";
    bounded_range(name, integer(name, &args[0])?, integer(name, &args[1])?, 1)
}

fn range_step(args: Vec<Value>) -> Result<Value> {
    let name = "numbers.range_step";
    bounded_range(
        name,
        integer(name, &args[0])?,
        integer(name, &args[1])?,
        integer(name, &args[2])?,
    )
}

/// IpNet's hosts() skips network and broadcast addresses for IPv4; OPA's
/// cidr_expand lists every address, so walk them all.
trait AllHosts {
    fn hosts_all(&self) -> Box<dyn Iterator<Item = IpAddr>>;
}

impl AllHosts for IpNet {
    fn hosts_all(&self) -> Box<dyn Iterator<Item = IpAddr>> {
        match self {
            IpNet::V4(n) => {
                let start = u32::from(n.network());
                let end = u32::from(n.broadcast());
                Box::new((start..=end).map(|a| IpAddr::from(std::net::Ipv4Addr::from(a))))
            }
            IpNet::V6(n) => {
                let start = u128::from(n.network());
                let end = u128::from(n.broadcast());
                Box::new((start..=end).map(|a| IpAddr::from(std::net::Ipv6Addr::from(a))))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(query: &str) -> Result<Value> {
        let mut engine = Engine::new();
        register(&mut engine)?;
        engine.add_policy("t.rego".into(), format!("package t\nx := {query}\n"))?;
        engine.eval_rule("data.t.x".into())
    }

    fn json(v: Value) -> serde_json::Value {
        serde_json::to_value(v).unwrap()
    }

    #[test]
    fn intersections_and_overlaps() {
        assert_eq!(
            eval("net.cidr_intersects(\"10.0.0.0/8\", \"10.1.0.0/16\")").unwrap(),
            Value::from(true)
        );
        assert_eq!(
            eval("net.cidr_intersects(\"10.1.0.0/16\", \"10.0.0.0/8\")").unwrap(),
            Value::from(true)
        );
        assert_eq!(
            eval("net.cidr_intersects(\"10.0.0.0/16\", \"192.168.0.0/16\")").unwrap(),
            Value::from(false)
        );
        assert_eq!(
            eval("net.cidr_intersects(\"::/0\", \"2001:db8::/32\")").unwrap(),
            Value::from(true)
        );
        assert_eq!(
            eval("net.cidr_overlap(\"10.0.0.0/8\", \"10.2.3.4\")").unwrap(),
            Value::from(true)
        );
        assert!(eval("net.cidr_intersects(\"nope\", \"10.0.0.0/8\")").is_err());
    }

    #[test]
    fn merges_and_matches() {
        assert_eq!(
            json(
                eval("net.cidr_merge([\"10.0.0.0/25\", \"10.0.0.128/25\", \"10.0.0.7\"])").unwrap()
            ),
            serde_json::json!(["10.0.0.0/24"])
        );
        assert_eq!(
            json(eval("net.cidr_contains_matches([\"10.0.0.0/8\", \"192.168.0.0/16\"], {\"a\": \"10.1.2.3\", \"b\": \"172.16.0.1\"})").unwrap()),
            serde_json::json!([[0, "a"]])
        );
    }

    #[test]
    fn expansion_and_ranges_are_bounded() {
        assert_eq!(
            json(eval("net.cidr_expand(\"10.0.0.0/30\")").unwrap()),
            serde_json::json!(["10.0.0.0", "10.0.0.1", "10.0.0.2", "10.0.0.3"])
        );
        let e = eval("net.cidr_expand(\"0.0.0.0/0\")")
            .unwrap_err()
            .to_string();
        assert!(e.contains("at most 65536"), "{e}");
        assert_eq!(
            json(eval("numbers.range(3, 1)").unwrap()),
            serde_json::json!([3, 2, 1])
        );
        assert_eq!(
            json(eval("numbers.range_step(0, 10, 5)").unwrap()),
            serde_json::json!([0, 5, 10])
        );
        let e = eval("numbers.range(1, 100000000)").unwrap_err().to_string();
        assert!(e.contains("at most 1000000"), "{e}");
    }
}
