use super::*;
use serde_json::json;

fn module_with(files: &[(&str, &str)], options: &TerraformOptions) -> ModuleOutcome {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut sources = Vec::new();
    for (name, text) in files {
        let path = dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("folder");
        }
        std::fs::write(&path, text).expect("write");
        if !name.contains('/') {
            sources.push(SourceFile::shared(path, name.to_string(), text.to_string()));
        }
    }
    let outcome = parse_module("m".into(), sources, options);
    // Keep the folder alive for the whole evaluation.
    drop(dir);
    outcome
}

fn module(files: &[(&str, &str)]) -> ModuleOutcome {
    module_with(files, &TerraformOptions::default())
}

fn values<'a>(doc: &'a Document, address: &str) -> &'a serde_json::Value {
    &doc.input["resources"][address]["values"]
}

fn path(address: &str, rest: &[&str]) -> Vec<Seg> {
    let mut p = vec![
        Seg::Key("resources".into()),
        Seg::Key(address.into()),
        Seg::Key("values".into()),
    ];
    for part in rest {
        p.push(match part.parse::<usize>() {
            Ok(i) => Seg::Index(i),
            Err(_) => Seg::Key(part.to_string()),
        });
    }
    p
}

#[test]
fn nested_blocks_are_always_arrays() {
    let out = module(&[(
        "main.tf",
        "resource \"aws_security_group\" \"web\" {\n  name = \"web\"\n  ingress {\n    from_port   = 22\n    cidr_blocks = [\"0.0.0.0/0\"]\n  }\n}\n",
    )]);
    assert!(out.errors.is_empty());
    let doc = out.document.unwrap();
    assert_eq!(
        values(&doc, "aws_security_group.web")["ingress"][0]["cidr_blocks"],
        json!(["0.0.0.0/0"])
    );
    let located = doc.spans.locate(
        &path(
            "aws_security_group.web",
            &["ingress", "0", "cidr_blocks", "0"],
        ),
        &doc.files,
    );
    assert_eq!(doc.files[0].slice(located.primary), "\"0.0.0.0/0\"");
}

#[test]
fn variables_resolve_with_terraform_precedence() {
    let files = [
        (
            "variables.tf",
            "variable \"a\" { default = \"default\" }\nvariable \"b\" { default = \"default\" }\nvariable \"c\" { default = \"default\" }\nvariable \"d\" {}\nvariable \"e\" { default = \"default\" }\n",
        ),
        (
            "terraform.tfvars",
            "a = \"tfvars\"\nb = \"tfvars\"\nc = \"tfvars\"\n",
        ),
        ("x.auto.tfvars", "b = \"auto\"\nc = \"auto\"\n"),
        (
            "main.tf",
            "resource \"null_resource\" \"r\" {\n  triggers = { a = var.a, b = var.b, c = var.c, d = var.d, e = var.e }\n}\n",
        ),
    ];
    let options = TerraformOptions {
        sources: vec![VarSource::Value("c".into(), "cli".into())],
    };
    let doc = module_with(&files, &options).document.unwrap();
    let t = &values(&doc, "null_resource.r")["triggers"];
    assert_eq!(t["a"], json!("tfvars"));
    assert_eq!(t["b"], json!("auto"));
    assert_eq!(t["c"], json!("cli"));
    assert_eq!(t["d"]["__refs__"], json!(["var.d"]));
    assert_eq!(t["e"], json!("default"));
}

#[test]
fn locals_functions_and_conditionals_evaluate() {
    let doc = module(&[(
        "main.tf",
        r#"
variable "env" { default = "prod" }
variable "extra" { default = ["10.1.0.0/16"] }
locals {
  base   = ["10.0.0.0/8"]
  all    = concat(local.base, var.extra, ["0.0.0.0/0"])
  name   = format("%s-%s", "app", var.env)
  open   = var.env == "prod" ? "0.0.0.0/0" : "10.0.0.0/8"
  tags   = merge({ team = "a" }, { env = var.env })
  subnet = cidrsubnet("10.0.0.0/16", 8, 3)
  upper  = [for c in local.base : upper(c)]
  byname = { for k, v in local.tags : v => k }
  json   = jsondecode(jsonencode({ b = 1, a = [true] }))
  tried  = try(local.tags.missing, "fallback")
}
resource "null_resource" "r" {
  triggers = {
    all = join(",", local.all), name = local.name, open = local.open, subnet = local.subnet
    team = lookup(local.tags, "team", "none"), upper = local.upper[0], byname = local.byname["prod"]
    json = local.json.a[0], tried = local.tried, n = length(local.all)
  }
}
"#,
    )])
    .document
    .unwrap();
    let t = &values(&doc, "null_resource.r")["triggers"];
    assert_eq!(t["all"], json!("10.0.0.0/8,10.1.0.0/16,0.0.0.0/0"));
    assert_eq!(t["name"], json!("app-prod"));
    assert_eq!(t["open"], json!("0.0.0.0/0"));
    assert_eq!(t["subnet"], json!("10.0.3.0/24"));
    assert_eq!(t["team"], json!("a"));
    assert_eq!(t["upper"], json!("10.0.0.0/8"));
    assert_eq!(t["byname"], json!("env"));
    assert_eq!(t["json"], json!(true));
    assert_eq!(t["tried"], json!("fallback"));
    assert_eq!(t["n"], json!(3));
}

#[test]
fn unknowns_stay_unknown_with_their_addresses() {
    let doc = module(&[(
        "main.tf",
        r#"
data "aws_vpc" "main" {}
resource "aws_s3_bucket" "logs" { bucket = "logs" }
resource "aws_s3_bucket_versioning" "v" {
  bucket  = aws_s3_bucket.logs.id
  name    = aws_s3_bucket.logs.bucket
  vpc     = data.aws_vpc.main.id
  stamp   = timestamp()
  partial = ["10.0.0.0/8", data.aws_vpc.main.cidr_block]
}
"#,
    )])
    .document
    .unwrap();
    let v = values(&doc, "aws_s3_bucket_versioning.v");
    assert_eq!(v["bucket"]["__refs__"], json!(["aws_s3_bucket.logs"]));
    assert_eq!(v["bucket"]["__unknown__"], json!("aws_s3_bucket.logs.id"));
    assert_eq!(v["name"], json!("logs"));
    assert_eq!(v["vpc"]["__refs__"], json!(["data.aws_vpc.main"]));
    assert!(v["stamp"]["__unknown__"].is_string());
    assert_eq!(v["partial"][0], json!("10.0.0.0/8"));
    assert!(v["partial"][1]["__unknown__"].is_string());
}

#[test]
fn values_remember_where_they_were_set() {
    let out = module(&[
        (
            "variables.tf",
            "variable \"cidrs\" {\n  default = [\"10.0.0.0/8\", \"0.0.0.0/0\"]\n}\n",
        ),
        (
            "main.tf",
            "resource \"aws_security_group\" \"sg\" {\n  ingress {\n    cidr_blocks = var.cidrs\n  }\n}\n",
        ),
    ]);
    let doc = out.document.unwrap();
    let located = doc.spans.locate(
        &path(
            "aws_security_group.sg",
            &["ingress", "0", "cidr_blocks", "1"],
        ),
        &doc.files,
    );
    let file = &doc.files[located.primary.file as usize];
    assert_eq!(file.slice(located.primary), "var.cidrs");
    assert_eq!(located.origins.len(), 1);
    let origin = located.origins[0].span;
    assert_eq!(
        doc.files[origin.file as usize].slice(origin),
        "\"0.0.0.0/0\""
    );
    assert_eq!(doc.files[origin.file as usize].display, "variables.tf");
}

#[test]
fn count_and_for_each_expand_into_instances() {
    let doc = module(&[(
        "main.tf",
        r#"
variable "names" { default = { a = "10.0.1.0/24", b = "0.0.0.0/0" } }
resource "aws_instance" "web" {
  count = 2
  tags  = { Name = "web-${count.index}" }
}
resource "aws_security_group_rule" "r" {
  for_each    = var.names
  cidr_blocks = [each.value]
  description = each.key
}
resource "aws_instance" "none" {
  count = 0
}
resource "aws_instance" "later" {
  count = length(data.aws_subnets.all.ids)
}
"#,
    )])
    .document
    .unwrap();
    let resources = doc.input["resources"].as_object().unwrap();
    let mut addresses: Vec<&str> = resources.keys().map(String::as_str).collect();
    addresses.sort();
    assert_eq!(
        addresses,
        [
            "aws_instance.later[?]",
            "aws_instance.web[0]",
            "aws_instance.web[1]",
            "aws_security_group_rule.r[\"a\"]",
            "aws_security_group_rule.r[\"b\"]",
        ]
    );
    assert_eq!(
        values(&doc, "aws_instance.web[1]")["tags"]["Name"],
        json!("web-1")
    );
    assert_eq!(
        values(&doc, "aws_security_group_rule.r[\"b\"]")["cidr_blocks"],
        json!(["0.0.0.0/0"])
    );
    assert_eq!(
        doc.input["resources"]["aws_instance.web[1]"]["index"],
        json!(1)
    );
}

#[test]
fn dynamic_blocks_expand_into_their_content() {
    let text = r#"
variable "rules" {
  default = [
    { port = 22, cidrs = ["0.0.0.0/0"] },
    { port = 443, cidrs = ["10.0.0.0/8"] },
  ]
}
resource "aws_security_group" "sg" {
  ingress {
    from_port = 80
  }
  dynamic "ingress" {
    for_each = var.rules
    iterator = rule
    content {
      from_port   = rule.value.port
      cidr_blocks = rule.value.cidrs
    }
  }
}
"#;
    let doc = module(&[("main.tf", text)]).document.unwrap();
    let ingress = &values(&doc, "aws_security_group.sg")["ingress"];
    assert_eq!(ingress.as_array().unwrap().len(), 3);
    assert_eq!(ingress[1]["from_port"], json!(22));
    assert_eq!(ingress[1]["cidr_blocks"], json!(["0.0.0.0/0"]));
    let located = doc.spans.locate(
        &path(
            "aws_security_group.sg",
            &["ingress", "1", "cidr_blocks", "0"],
        ),
        &doc.files,
    );
    assert_eq!(doc.files[0].slice(located.primary), "rule.value.cidrs");
    let origin = located.origins.last().copied().unwrap().span;
    assert_eq!(doc.files[0].slice(origin), "\"0.0.0.0/0\"");
}

#[test]
fn local_modules_are_evaluated_with_their_callers_arguments() {
    let out = module(&[
        (
            "main.tf",
            "module \"net\" {\n  source = \"./modules/net\"\n  cidr   = \"0.0.0.0/0\"\n}\nmodule \"remote\" {\n  source = \"terraform-aws-modules/vpc/aws\"\n}\noutput \"sg\" { value = module.net.sg_name }\n",
        ),
        (
            "modules/net/main.tf",
            "variable \"cidr\" {}\nresource \"aws_security_group\" \"this\" {\n  name = \"net\"\n  ingress {\n    cidr_blocks = [var.cidr]\n  }\n}\noutput \"sg_name\" { value = aws_security_group.this.name }\n",
        ),
    ]);
    let doc = out.document.unwrap();
    let v = values(&doc, "module.net.aws_security_group.this");
    assert_eq!(v["ingress"][0]["cidr_blocks"], json!(["0.0.0.0/0"]));
    assert_eq!(
        doc.input["resources"]["module.net.aws_security_group.this"]["module"],
        json!("module.net")
    );
    assert_eq!(doc.input["outputs"]["sg"]["value"], json!("net"));
    let located = doc.spans.locate(
        &path(
            "module.net.aws_security_group.this",
            &["ingress", "0", "cidr_blocks", "0"],
        ),
        &doc.files,
    );
    assert_eq!(
        doc.files[located.primary.file as usize].slice(located.primary),
        "var.cidr"
    );
    let origin = located.origins.last().copied().unwrap().span;
    assert!(doc.files[origin.file as usize].display.ends_with("main.tf"));
    assert_eq!(
        doc.files[origin.file as usize].slice(origin),
        "\"0.0.0.0/0\""
    );
    assert_eq!(out.notices.len(), 1);
    assert!(
        out.notices[0].contains("module.remote"),
        "{:?}",
        out.notices
    );
}

#[test]
fn a_broken_file_does_not_hide_the_rest_of_the_module() {
    let out = module(&[
        ("a.tf", "resource \"x\" \"y\" {\n  a = [1, 2\n}\n"),
        (
            "b.tf",
            "resource \"aws_ebs_volume\" \"v\" {\n  encrypted = false\n}\n",
        ),
    ]);
    assert_eq!(out.errors.len(), 1);
    assert_eq!(out.errors[0].line, 3);
    assert_eq!(out.document.unwrap().resources.len(), 1);
}

#[test]
fn repeated_object_keys_keep_the_last_value_as_terraform_does() {
    let doc = module(&[(
        "main.tf",
        "resource \"x\" \"y\" {\n  tg = {\n    port = 80\n    \"name\" = \"a\"\n    port = 81\n    \"name\" = \"b\"\n  }\n}\n",
    )])
    .document
    .unwrap();
    assert_eq!(values(&doc, "x.y")["tg"], json!({"port": 81, "name": "b"}));
}

#[test]
fn json_syntax_merges_with_native_files() {
    let out = module(&[
        (
            "main.tf.json",
            r#"{"resource": {"aws_security_group": {"db": {"//": "a comment", "ingress": {"cidr_blocks": ["${var.open}"]}, "tags": {"a": "b"}, "vpc_id": "${aws_vpc.main.id}"}}}}"#,
        ),
        (
            "b.tf",
            "variable \"open\" { default = \"0.0.0.0/0\" }\nresource \"aws_vpc\" \"main\" {}\n",
        ),
    ]);
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let doc = out.document.unwrap();
    let v = values(&doc, "aws_security_group.db");
    assert_eq!(v["ingress"][0]["cidr_blocks"][0], json!("0.0.0.0/0"));
    assert_eq!(v["tags"], json!({"a": "b"}));
    assert_eq!(v["vpc_id"]["__refs__"], json!(["aws_vpc.main"]));
    assert!(v.get("//").is_none());
}

#[test]
fn downloaded_modules_are_followed_through_the_manifest() {
    let out = module(&[
        (
            "main.tf",
            "module \"vpc\" {\n  source  = \"terraform-aws-modules/vpc/aws\"\n  version = \"5.0.0\"\n  name    = \"main\"\n}\n",
        ),
        (
            ".terraform/modules/modules.json",
            r#"{"Modules":[{"Key":"","Source":"","Dir":"."},{"Key":"vpc","Source":"registry.terraform.io/terraform-aws-modules/vpc/aws","Version":"5.0.0","Dir":".terraform/modules/vpc"}]}"#,
        ),
        (
            ".terraform/modules/vpc/main.tf",
            "variable \"name\" {}\nresource \"aws_vpc\" \"this\" {\n  tags = { Name = var.name }\n}\n",
        ),
    ]);
    assert!(out.notices.is_empty(), "{:?}", out.notices);
    let doc = out.document.unwrap();
    assert_eq!(
        values(&doc, "module.vpc.aws_vpc.this")["tags"]["Name"],
        json!("main")
    );
}

#[test]
fn plan_values_are_read_with_their_unknowns() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = r#"{"format_version":"1.2","terraform_version":"1.9.8",
 "planned_values":{"root_module":{"resources":[
   {"address":"aws_s3_bucket.b","mode":"managed","type":"aws_s3_bucket","name":"b","values":{"bucket":"logs","acl":"private"}}]}},
 "resource_changes":[{"address":"aws_s3_bucket.b","change":{"actions":["create"],"after_unknown":{"id":true,"versioning":[{"enabled":true}]}}}]}"#;
    let path = dir.path().join("plan.json");
    std::fs::write(&path, text).expect("write");
    let file = SourceFile::shared(path, "plan.json".into(), text.into());
    assert!(plan::looks_like_plan(text));
    let doc = plan::parse_plan(file, &TerraformOptions::default())
        .document
        .unwrap();
    let bucket = &doc.input["resources"]["aws_s3_bucket.b"];
    assert_eq!(bucket["values"]["bucket"], json!("logs"));
    assert_eq!(
        bucket["values"]["id"]["__refs__"],
        json!(["aws_s3_bucket.b"])
    );
    assert_eq!(bucket["type"], json!("aws_s3_bucket"));
}

#[test]
fn variable_types_and_nullable_follow_terraform() {
    let doc = module(&[
        (
            "main.tf",
            "variable \"ports\" {\n  type    = set(string)\n  default = [\"b\", \"a\", \"b\"]\n}\nvariable \"numbers\" {\n  type    = list(number)\n  default = [\"22\"]\n}\nmodule \"m\" {\n  source    = \"./m\"\n  encrypted = null\n}\nresource \"null_resource\" \"r\" {\n  triggers = { ports = var.ports, n = var.numbers[0], s = sensitive(\"x\"), sorted = tolist(toset([\"b\", \"a\"])) }\n}\n",
        ),
        ("m/main.tf", "variable \"encrypted\" {\n  type     = bool\n  default  = true\n  nullable = false\n}\nresource \"aws_db_instance\" \"this\" {\n  storage_encrypted = var.encrypted\n}\n"),
    ])
    .document
    .unwrap();
    let t = &values(&doc, "null_resource.r")["triggers"];
    assert_eq!(t["ports"], json!(["a", "b"]));
    assert_eq!(t["n"], json!(22));
    assert_eq!(t["s"], json!("x"));
    assert_eq!(t["sorted"], json!(["a", "b"]));
    assert_eq!(
        values(&doc, "module.m.aws_db_instance.this")["storage_encrypted"],
        json!(true)
    );
}

/// Function calls that panicked or exhausted memory (found by review; see
/// fixtures/hardening/found/): each now fails as Terraform would reject it.
#[test]
fn hostile_function_arguments_fail_instead_of_crashing() {
    for call in [
        "parseint(\"11\", 1)",
        "parseint(\"11\", 99)",
        "cidrhost(\"::/0\", 1)",
        "cidrsubnets(\"::/0\", 0)",
        "cidrsubnet(\"10.0.0.0/8\", 4294967295, 0)",
        "format(\"%999999999999999d\", 1)",
        "format(\"%.999999999999f\", 1)",
        "indent(1e15, \"a\\nb\")",
        "replace(join(\"\", [for i in range(1024) : \"aaaaaaaaaaaaaaaa\"]), \"\", join(\"\", [for i in range(1024) : \"bbbbbbbbbbbbbbbb\"]))",
    ] {
        let text =
            format!("resource \"null_resource\" \"r\" {{\n  triggers = {{ v = {call} }}\n}}\n");
        let outcome = module(&[("main.tf", &text)]);
        let doc = outcome.document.unwrap_or_else(|| panic!("{call}"));
        let v = &values(&doc, "null_resource.r")["triggers"]["v"];
        assert!(v.get("__unknown__").is_some(), "{call}: {v}");
    }
    // In range, the same functions still work.
    let outcome = module(&[(
        "main.tf",
        "resource \"null_resource\" \"r\" {\n  triggers = { a = parseint(\"ff\", 16), b = cidrhost(\"10.0.0.0/8\", 5), c = substr(\"abcdef\", 2, 1e300), d = format(\"%05d\", 42), e = indent(2, \"a\\nb\") }\n}\n",
    )]);
    let doc = outcome.document.expect("document");
    assert_eq!(
        values(&doc, "null_resource.r")["triggers"],
        json!({"a": 255, "b": "10.0.0.5", "c": "cdef", "d": "00042", "e": "a\n  b"})
    );
}

#[test]
fn a_value_that_doubles_stops_evaluation_of_its_resource_only() {
    let mut text = String::from("locals {\n  l0 = [\"x\", \"y\"]\n");
    for i in 1..64 {
        text.push_str(&format!("  l{i} = [local.l{}, local.l{}]\n", i - 1, i - 1));
    }
    text.push_str("}\nresource \"null_resource\" \"big\" {\n  triggers = { v = jsonencode(local.l63) }\n}\nresource \"aws_s3_bucket\" \"after\" {\n  bucket = \"logs\"\n}\n");
    let started = std::time::Instant::now();
    let outcome = module(&[("main.tf", &text)]);
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
    assert_eq!(outcome.errors.len(), 1, "{:?}", outcome.errors);
    let error = &outcome.errors[0];
    assert!(
        error.message.contains("Terraform evaluation stopped here") && error.line > 2,
        "{error:?}"
    );
    let doc = outcome.document.expect("document");
    assert!(values(&doc, "null_resource.big")["triggers"]["v"]["__unknown__"].is_string());
    assert_eq!(values(&doc, "aws_s3_bucket.after")["bucket"], json!("logs"));
}

#[test]
fn loops_that_multiply_stop_with_an_error() {
    let outcome = module(&[(
        "main.tf",
        "locals {\n  cube = [for a in range(1024) : [for b in range(1024) : [for c in range(1024) : c]]]\n  text = join(\"\", [for a in range(1024) : join(\"\", [for b in range(1024) : \"${a}${b}\"])])\n}\nresource \"null_resource\" \"r\" {\n  triggers = { n = length(local.cube), t = length(local.text) }\n}\n",
    )]);
    assert_eq!(outcome.errors.len(), 1, "{:?}", outcome.errors);
    assert!(outcome.errors[0].message.contains("units of work"));
}

#[test]
fn reference_chains_and_deep_values_are_bounded() {
    // Each local wraps the one before: 1 000 references deep, and values
    // 1 000 levels deep once the locals are read in order.
    let mut text = String::from("locals {\n  c0 = \"start\"\n");
    for i in 1..1000 {
        text.push_str(&format!("  c{i} = [local.c{}]\n", i - 1));
    }
    text.push_str(
        "}\nresource \"null_resource\" \"r\" {\n  triggers = { v = jsonencode(local.c999) }\n}\n",
    );
    let outcome = module(&[("main.tf", &text)]);
    let doc = outcome.document.expect("document");
    assert!(
        outcome.errors[0].message.contains("levels deep"),
        "{:?}",
        outcome.errors
    );
    fn depth(v: &serde_json::Value) -> usize {
        match v {
            serde_json::Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
            serde_json::Value::Object(map) => 1 + map.values().map(depth).max().unwrap_or(0),
            _ => 1,
        }
    }
    assert!(depth(&doc.input) < 210, "{}", depth(&doc.input));
}

#[test]
fn hcl_nesting_is_limited_by_max_depth() {
    let text =
        "locals {\n  ok = [[1]]\n}\nresource \"a\" \"b\" {\n  c {\n    d = [[{ e = 1 }]]\n  }\n}\n";
    let file = SourceFile::shared("main.tf".into(), "main.tf".into(), text.into());
    let limits = |max_depth| ParseLimits {
        max_depth,
        ..ParseLimits::default()
    };
    assert!(config::parse_hcl(&file, limits(5)).is_ok());
    let Err(err) = config::parse_hcl(&file, limits(4)) else {
        panic!("4 levels should be too deep");
    };
    assert_eq!((err.line, err.column), (6, 11), "{}", err.message);
    assert!(err.message.contains("deeper than 4 levels"));
}
