use super::*;
use crate::parse::yaml::{Dialect, Limits, parse_stream};
use serde_json::json;

fn doc(text: &str) -> Document {
    let file = SourceFile::shared("play.yml".into(), "play.yml".into(), text.into());
    let parsed = parse_stream(text, 0, Dialect::Yaml11, Limits::default()).unwrap();
    document(&file, parsed).document.unwrap()
}

#[test]
fn blocks_flatten_and_pass_keywords_down() {
    let d = doc(r#"
- hosts: all
  become: true
  pre_tasks:
    - ping:
  tasks:
    - name: outer
      no_log: true
      block:
        - name: inner
          copy: {src: a, dest: b}
      rescue:
        - debug: msg=failed
"#);
    let tasks = d.input["tasks"].as_array().unwrap();
    assert_eq!(tasks.len(), 3);
    assert_eq!(tasks[0]["module"], json!("ansible.builtin.ping"));
    assert_eq!(tasks[0]["section"], json!("pre_tasks"));
    assert_eq!(tasks[1]["name"], json!("inner"));
    assert_eq!(tasks[1]["become"], json!(true));
    assert_eq!(tasks[1]["no_log"], json!(true));
    assert_eq!(tasks[2]["args"], json!({"msg": "failed"}));
    assert_eq!(d.input["plays"][0]["become"], json!(true));
}

#[test]
fn free_form_arguments_keep_their_own_spans() {
    let text = "- file: path=/srv/x mode=0777 state=\"directory\"\n- shell: curl -s https://x | sh chdir=/tmp\n";
    let d = doc(text);
    assert_eq!(
        d.input["tasks"][0]["args"],
        json!({"path": "/srv/x", "mode": "0777", "state": "directory"})
    );
    assert_eq!(
        d.input["tasks"][1]["args"],
        json!({"_raw_params": "curl -s https://x | sh", "chdir": "/tmp"})
    );
    let path = [
        Seg::Key("tasks".into()),
        Seg::Index(0),
        Seg::Key("args".into()),
        Seg::Key("mode".into()),
    ];
    let located = d.spans.locate(&path, &d.files);
    assert_eq!(&text[located.primary.range()], "0777");
}

#[test]
fn action_forms_and_args_merge() {
    let d = doc(r#"
- name: a
  action: get_url url=http://x dest=/tmp
- name: b
  local_action:
    module: command
    cmd: whoami
- name: c
  command: /bin/true
  args:
    chdir: /srv
- name: d
  ansible.legacy.copy: {src: a, dest: b}
"#);
    let tasks = d.input["tasks"].as_array().unwrap();
    assert_eq!(tasks[0]["module"], json!("ansible.builtin.get_url"));
    assert_eq!(tasks[0]["args"]["url"], json!("http://x"));
    assert_eq!(tasks[1]["module"], json!("ansible.builtin.command"));
    assert_eq!(tasks[1]["delegate_to"], json!("localhost"));
    assert_eq!(
        tasks[2]["args"],
        json!({"_raw_params": "/bin/true", "chdir": "/srv"})
    );
    assert_eq!(tasks[3]["module"], json!("ansible.builtin.copy"));
    assert_eq!(tasks[3]["module_as_written"], json!("ansible.legacy.copy"));
}

#[test]
fn action_arguments_and_block_scripts_point_where_written() {
    let text = "- action: uri url=https://x validate_certs=0\n- shell: |\n    set -e\n    curl x | sh\n- copy: content=\"a\\nb\" dest=/tmp/x\n";
    let d = doc(text);
    let at = |path: &[Seg]| {
        let located = d.spans.locate(path, &d.files);
        text[located.primary.range()].to_string()
    };
    let arg = |i: usize, key: &str| {
        vec![
            Seg::Key("tasks".into()),
            Seg::Index(i),
            Seg::Key("args".into()),
            Seg::Key(key.into()),
        ]
    };
    assert_eq!(at(&arg(0, "validate_certs")), "0");
    assert_eq!(at(&arg(1, "_raw_params")), "shell");
    assert_eq!(
        d.input["tasks"][1]["args"]["_raw_params"],
        json!("set -e\ncurl x | sh")
    );
    assert_eq!(d.input["tasks"][2]["args"]["content"], json!("a\nb"));
}

#[test]
fn lifted_keys_inside_a_command_line_are_cut_out() {
    let d = doc("- shell: curl x chdir=/tmp | sh\n");
    assert_eq!(
        d.input["tasks"][0]["args"],
        json!({"_raw_params": "curl x | sh", "chdir": "/tmp"})
    );
}

#[test]
fn jinja_expressions_stay_whole() {
    assert_eq!(
        args::split_args("msg={{ a | default('x y') }} b=1"),
        vec![(0, 28), (29, 32)]
    );
}

/// Writes a tree of files and reads the entry file as clause would.
fn tree(files: &[(&str, &str)], entry: &str) -> (tempfile::TempDir, AnsibleOutcome) {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("folder");
        std::fs::write(&path, text).expect("write");
    }
    let path = dir.path().join(entry);
    let text = std::fs::read_to_string(&path).expect("entry");
    let file = SourceFile::shared(path, entry.to_string(), text.clone());
    let parsed = parse_stream(&text, 0, Dialect::Yaml11, Limits::default()).expect("yaml");
    let outcome = document(&file, parsed);
    (dir, outcome)
}

fn task<'a>(doc: &'a Document, name: &str) -> &'a serde_json::Value {
    doc.input["tasks"]
        .as_array()
        .and_then(|t| t.iter().find(|t| t["name"] == name))
        .unwrap_or_else(|| panic!("no task {name}: {}", doc.input["tasks"]))
}

#[test]
fn roles_includes_and_variables_follow_ansible() {
    let (_dir, out) = tree(
        &[
            (
                "site.yml",
                "- hosts: web\n  vars:\n    play_port: 8443\n  vars_files:\n    - vars/common.yml\n  roles:\n    - role: app\n      app_mode: '0600'\n  tasks:\n    - import_tasks: tasks/extra.yml\n- import_playbook: other.yml\n",
            ),
            ("vars/common.yml", "common_verify: yes\n"),
            ("group_vars/all.yml", "verify: no\ngroup_level: all\n"),
            ("group_vars/web.yml", "group_level: web\n"),
            (
                "roles/app/defaults/main.yml",
                "app_verify: \"{{ verify }}\"\napp_mode: '0644'\napp_unused: x\n",
            ),
            ("roles/app/vars/main.yml", "app_dir: /srv/app\n"),
            ("roles/app/meta/main.yml", "dependencies:\n  - common\n"),
            (
                "roles/common/tasks/main.yml",
                "- name: common task\n  ansible.builtin.ping:\n",
            ),
            (
                "roles/app/tasks/main.yml",
                "- name: fetch\n  get_url:\n    url: https://x/{{ play_port }}\n    dest: \"{{ app_dir }}/a\"\n    validate_certs: \"{{ app_verify }}\"\n    mode: \"{{ app_mode }}\"\n- include_tasks: more.yml\n",
            ),
            (
                "roles/app/tasks/more.yml",
                "- name: more\n  copy: src=a dest=/b group={{ group_level }}\n",
            ),
            (
                "roles/app/handlers/main.yml",
                "- name: restart app\n  service: name=app state=restarted\n",
            ),
            (
                "tasks/extra.yml",
                "- name: extra\n  uri:\n    url: https://x\n    validate_certs: \"{{ common_verify }}\"\n",
            ),
            (
                "other.yml",
                "- hosts: db\n  tasks:\n    - name: in other\n      command: /bin/true\n",
            ),
        ],
        "site.yml",
    );
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let doc = out.document.unwrap();
    let names: Vec<&str> = doc.input["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        names,
        [
            "common task",
            "fetch",
            "more",
            "restart app",
            "extra",
            "in other"
        ]
    );
    let fetch = task(&doc, "fetch");
    assert_eq!(fetch["args"]["validate_certs"], json!(false));
    assert_eq!(
        fetch["args"]["mode"],
        json!("0600"),
        "role parameters win over defaults"
    );
    assert_eq!(fetch["args"]["dest"], json!("/srv/app/a"));
    assert_eq!(fetch["args"]["url"], json!("https://x/8443"));
    let chain: Vec<&str> = fetch["chain"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    // From the play on: the same play imported by two playbooks gives its
    // tasks the same input.
    assert_eq!(chain[..2], ["play #1", "role app"]);
    assert!(chain[2].ends_with("roles/app/tasks/main.yml"), "{chain:?}");
    assert_eq!(
        task(&doc, "more")["args"]["group"],
        json!("web"),
        "group_vars of the play's group win over all"
    );
    assert_eq!(task(&doc, "restart app")["section"], json!("handlers"));
    assert_eq!(task(&doc, "extra")["args"]["validate_certs"], json!(true));
    // The value came from group_vars/all.yml through the role's defaults.
    let path = |i: usize, key: &str| {
        vec![
            Seg::Key("tasks".into()),
            Seg::Index(i),
            Seg::Key("args".into()),
            Seg::Key(key.into()),
        ]
    };
    let located = doc.spans.locate(&path(1, "validate_certs"), &doc.files);
    let origin = located.origins.last().unwrap();
    assert!(
        doc.files[origin.span.file as usize]
            .path
            .ends_with("group_vars/all.yml")
    );
    assert_eq!(
        doc.files[origin.span.file as usize].slice(origin.span),
        "no"
    );
}

#[test]
fn loops_expand_and_point_at_the_item() {
    let text = "- hosts: all\n  tasks:\n    - name: dirs\n      file:\n        path: \"{{ item.path }}\"\n        mode: \"{{ item.mode }}\"\n      loop:\n        - { path: /a, mode: '0755' }\n        - { path: /b, mode: '0777' }\n    - name: unknown loop\n      file:\n        path: \"{{ item }}\"\n      loop: \"{{ query('fileglob', '*') }}\"\n";
    let (_dir, out) = tree(&[("play.yml", text)], "play.yml");
    let doc = out.document.unwrap();
    let tasks = doc.input["tasks"].as_array().unwrap();
    assert_eq!(tasks.len(), 3);
    assert_eq!(tasks[1]["args"]["mode"], json!("0777"));
    assert_eq!(tasks[1]["loop_index"], json!(1));
    assert!(tasks[2]["args"]["path"]["__unknown__"].is_string());
    let located = doc.spans.locate(
        &[
            Seg::Key("tasks".into()),
            Seg::Index(1),
            Seg::Key("args".into()),
            Seg::Key("mode".into()),
        ],
        &doc.files,
    );
    assert_eq!(doc.files[0].slice(located.primary), "'0777'");
    assert_eq!(located.origins[0].role, crate::document::OriginRole::Used);
}

#[test]
fn set_fact_and_task_vars_apply_in_order() {
    // set_fact outranks task vars, as in Ansible's precedence.
    let text = "- hosts: all\n  vars:\n    checked: 'no'\n  tasks:\n    - set_fact:\n        strict: false\n    - name: after\n      uri:\n        url: https://x\n        validate_certs: \"{{ strict }}\"\n    - name: facts win\n      vars:\n        strict: true\n      uri:\n        url: https://x\n        validate_certs: \"{{ strict | bool }}\"\n    - name: task vars over play vars\n      vars:\n        checked: 'yes'\n      uri:\n        url: https://x\n        validate_certs: \"{{ checked | bool }}\"\n";
    let (_dir, out) = tree(&[("play.yml", text)], "play.yml");
    let doc = out.document.unwrap();
    assert_eq!(task(&doc, "after")["args"]["validate_certs"], json!(false));
    assert_eq!(
        task(&doc, "facts win")["args"]["validate_certs"],
        json!(false)
    );
    assert_eq!(
        task(&doc, "task vars over play vars")["args"]["validate_certs"],
        json!(true)
    );
    assert_eq!(out.stats.templates_resolved, 3);
}

#[test]
fn a_role_task_file_alone_sees_its_role_variables() {
    let (_dir, out) = tree(
        &[
            ("roles/web/defaults/main.yml", "web_verify: false\n"),
            (
                "roles/web/tasks/main.yml",
                "- name: get\n  get_url:\n    url: https://x\n    dest: /tmp/x\n    validate_certs: \"{{ web_verify }}\"\n",
            ),
        ],
        "roles/web/tasks/main.yml",
    );
    let doc = out.document.unwrap();
    assert_eq!(task(&doc, "get")["args"]["validate_certs"], json!(false));
}

/// The `msg` a debug task would print.
fn msg<'a>(doc: &'a Document, name: &str) -> &'a serde_json::Value {
    &task(doc, name)["args"]["msg"]
}

fn debug(name: &str, text: &str) -> String {
    format!("- name: {name}\n  debug:\n    msg: \"{text}\"\n")
}

fn is_unknown(v: &serde_json::Value) -> bool {
    v.get("__unknown__").is_some()
}

#[test]
fn group_vars_rank_playbook_all_below_inventory_groups() {
    // ansible-core 2.19: "pb_all inv_web inv_web pb_web".
    let (_dir, out) = tree(
        &[
            (
                "site.yml",
                "- hosts: web\n  tasks:\n    - name: show\n      debug:\n        msg: \"{{ a }} {{ b }} {{ c }} {{ d }}\"\n",
            ),
            (
                "inventory/group_vars/all.yml",
                "a: inv_all\nb: inv_all\nc: inv_all\nd: inv_all\n",
            ),
            ("group_vars/all.yml", "a: pb_all\nc: pb_all\nd: pb_all\n"),
            (
                "inventory/group_vars/web.yml",
                "b: inv_web\nc: inv_web\nd: inv_web\n",
            ),
            ("group_vars/web.yml", "d: pb_web\n"),
        ],
        "site.yml",
    );
    let doc = out.document.unwrap();
    assert_eq!(msg(&doc, "show"), &json!("pb_all inv_web inv_web pb_web"));
}

#[test]
fn play_roles_share_their_defaults_and_vars() {
    let (_dir, out) = tree(
        &[
            (
                "site.yml",
                r#"- hosts: all
  pre_tasks:
    - name: pre
      debug:
        msg: "{{ a_def }} {{ a_var }} {{ b_def }} {{ imp_def }} {{ shared }}"
    - name: pre inc
      debug:
        msg: "{{ inc_def }}"
  roles:
    - a
    - b
  tasks:
    - name: tasks
      debug:
        msg: "{{ a_def }} {{ a_var }} {{ b_def }} {{ b_var }} {{ shared }}"
    - include_role: {name: inc}
    - name: after inc
      debug:
        msg: "{{ inc_def }}"
    - import_role: {name: imp}
- hosts: all
  tasks:
    - name: next play
      debug:
        msg: "{{ a_def }}"
"#,
            ),
            (
                "roles/a/defaults/main.yml",
                "a_def: a_default\nshared: from_a\n",
            ),
            ("roles/a/vars/main.yml", "a_var: a_vars\n"),
            ("roles/a/meta/main.yml", "dependencies: [dep]\n"),
            (
                "roles/a/tasks/main.yml",
                &debug("in a", "{{ b_def }} {{ b_var }} {{ shared }}"),
            ),
            (
                "roles/dep/tasks/main.yml",
                &debug("in dep", "{{ a_def }} {{ a_var }} {{ b_def }}"),
            ),
            (
                "roles/b/defaults/main.yml",
                "b_def: b_default\nshared: from_b\n",
            ),
            ("roles/b/vars/main.yml", "b_var: b_vars\n"),
            (
                "roles/b/tasks/main.yml",
                &debug("in b", "{{ a_def }} {{ a_var }} {{ shared }}"),
            ),
            ("roles/imp/defaults/main.yml", "imp_def: imp_default\n"),
            ("roles/imp/tasks/main.yml", "- ping:\n"),
            ("roles/inc/defaults/main.yml", "inc_def: inc_default\n"),
            ("roles/inc/tasks/main.yml", "- ping:\n"),
        ],
        "site.yml",
    );
    let doc = out.document.unwrap();
    // As ansible-core 2.19 prints them.
    assert_eq!(
        msg(&doc, "pre"),
        &json!("a_default a_vars b_default imp_default from_b")
    );
    assert!(is_unknown(msg(&doc, "pre inc")), "include_role is private");
    assert_eq!(msg(&doc, "in dep"), &json!("a_default a_vars b_default"));
    assert_eq!(msg(&doc, "in a"), &json!("b_default b_vars from_a"));
    assert_eq!(msg(&doc, "in b"), &json!("a_default a_vars from_b"));
    assert_eq!(
        msg(&doc, "tasks"),
        &json!("a_default a_vars b_default b_vars from_b")
    );
    assert!(is_unknown(msg(&doc, "after inc")));
    assert!(is_unknown(msg(&doc, "next play")));
}

#[test]
fn a_public_included_role_shows_its_defaults_to_later_tasks() {
    let (_dir, out) = tree(
        &[
            (
                "site.yml",
                "- hosts: all\n  tasks:\n    - name: before\n      debug:\n        msg: \"{{ inc_def | default('none') }}\"\n    - include_role: {name: inc, public: true}\n    - name: after\n      debug:\n        msg: \"{{ inc_def | default('none') }}\"\n",
            ),
            ("roles/inc/defaults/main.yml", "inc_def: inc_default\n"),
            ("roles/inc/tasks/main.yml", "- ping:\n"),
        ],
        "site.yml",
    );
    let doc = out.document.unwrap();
    // ansible-core 2.19: "none", then "inc_default".
    assert_eq!(msg(&doc, "before"), &json!("none"));
    assert_eq!(msg(&doc, "after"), &json!("inc_default"));
}

#[test]
fn facts_last_the_run_for_the_same_hosts() {
    let text = r#"- hosts: web
  vars:
    f: play1
  tasks:
    - set_fact: {f: fact}
- hosts: web
  vars:
    f: play2
  tasks:
    - name: same hosts
      debug:
        msg: "{{ f }}"
- hosts: db
  tasks:
    - name: other hosts
      debug:
        msg: "{{ f | default('none') }}"
- hosts: all
  tasks:
    - set_fact: {g: everywhere}
- hosts: db
  tasks:
    - name: set on all hosts
      debug:
        msg: "{{ g }}"
"#;
    let (_dir, out) = tree(&[("site.yml", text)], "site.yml");
    let doc = out.document.unwrap();
    assert_eq!(msg(&doc, "same hosts"), &json!("fact"));
    assert!(
        is_unknown(msg(&doc, "other hosts")),
        "a fact set for other hosts may or may not be there"
    );
    assert_eq!(msg(&doc, "set on all hosts"), &json!("everywhere"));
}

#[test]
fn conditional_facts_apply_only_when_decided() {
    let text = r#"- hosts: all
  vars:
    enabled: true
    disabled: false
    mode: before
  tasks:
    - set_fact: {a: set}
      when: some_fact_from_the_host
    - set_fact: {b: set}
      when: enabled
    - set_fact: {mode: changed}
      when: disabled | bool
    - set_fact: {c: set}
      when: [enabled, "not disabled"]
    - when: unknown_flag
      block:
        - set_fact: {d: set}
    - block:
        - command: /bin/true
      rescue:
        - set_fact: {e: set}
    - name: show
      debug:
        msg: "{{ b }} {{ mode }} {{ c }}"
    - name: undecided
      debug:
        msg: "{{ a | default('none') }}"
    - name: undecided block
      debug:
        msg: "{{ d | default('none') }}"
    - name: rescue
      debug:
        msg: "{{ e | default('none') }}"
"#;
    let (_dir, out) = tree(&[("site.yml", text)], "site.yml");
    let doc = out.document.unwrap();
    assert_eq!(msg(&doc, "show"), &json!("set before set"));
    for name in ["undecided", "undecided block", "rescue"] {
        assert!(is_unknown(msg(&doc, name)), "{name}: {}", msg(&doc, name));
    }
}

#[test]
fn include_and_role_vars_rank_as_ansible_does() {
    let (_dir, out) = tree(
        &[
            (
                "site.yml",
                r#"- hosts: all
  pre_tasks:
    - set_fact: {x: fact, kw: fact, rp: fact}
  roles:
    - role: r
      vars: {kw: role_vars}
      rp: param
  tasks:
    - include_tasks: inc.yml
      vars: {x: include_vars}
    - import_tasks: imp.yml
      vars: {x: import_vars}
    - include_role: {name: r2}
      vars: {x: include_role_vars}
"#,
            ),
            (
                "roles/r/tasks/main.yml",
                &debug("in role", "{{ kw }} {{ rp }}"),
            ),
            ("roles/r2/tasks/main.yml", &debug("in r2", "{{ x }}")),
            ("inc.yml", &debug("included", "{{ x }}")),
            ("imp.yml", &debug("imported", "{{ x }}")),
        ],
        "site.yml",
    );
    let doc = out.document.unwrap();
    // As ansible-core 2.19 prints them.
    assert_eq!(msg(&doc, "in role"), &json!("fact param"));
    assert_eq!(msg(&doc, "included"), &json!("include_vars"));
    assert_eq!(msg(&doc, "imported"), &json!("fact"));
    assert_eq!(msg(&doc, "in r2"), &json!("include_role_vars"));
}

#[test]
fn include_vars_reads_the_file_where_ansible_finds_it() {
    let (_dir, out) = tree(
        &[
            (
                "site.yml",
                r#"- hosts: web
  pre_tasks:
    - set_fact: {both: fact}
  roles:
    - r
  tasks:
    - include_vars: common.yml
    - name: play
      vars: {tv: task_vars}
      debug:
        msg: "{{ tv }} {{ both }} {{ common }}"
    - include_vars: {file: common.yml, name: ns}
    - name: named
      debug:
        msg: "{{ ns.common }}"
    - include_vars: {dir: extra}
    - name: dir
      debug:
        msg: "{{ one }} {{ two }}"
    - include_vars: skipped.yml
      when: false
    - name: skipped
      debug:
        msg: "{{ skipped | default('none') }}"
- hosts: web
  vars:
    common: play_vars
  tasks:
    - name: next play
      debug:
        msg: "{{ common }}"
"#,
            ),
            (
                "vars/common.yml",
                "common: playbook_vars_dir\ntv: included\nboth: included\n",
            ),
            ("extra/a.yml", "one: 1\ntwo: a\n"),
            ("extra/b.yml", "two: b\n"),
            ("vars/skipped.yml", "skipped: yes\n"),
            (
                "roles/r/tasks/main.yml",
                "- include_vars: rv.yml\n- name: role\n  debug:\n    msg: \"{{ rv }}\"\n",
            ),
            ("roles/r/vars/rv.yml", "rv: role_vars_dir\n"),
            ("roles/r/rv.yml", "rv: role_root\n"),
        ],
        "site.yml",
    );
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let doc = out.document.unwrap();
    assert_eq!(msg(&doc, "role"), &json!("role_vars_dir"));
    // Above task vars, below set_fact (ansible-core 2.19).
    assert_eq!(msg(&doc, "play"), &json!("included fact playbook_vars_dir"));
    assert_eq!(msg(&doc, "named"), &json!("playbook_vars_dir"));
    assert_eq!(msg(&doc, "dir"), &json!("1 b"));
    assert_eq!(msg(&doc, "skipped"), &json!("none"));
    // Kept for the next play on the same hosts, above its vars.
    assert_eq!(msg(&doc, "next play"), &json!("playbook_vars_dir"));
}

#[test]
fn conditional_expressions_are_unknown_unless_decided() {
    let text = r#"- hosts: all
  vars:
    shared: true
    quoted: "it's"
  tasks:
    - name: undecided
      file:
        path: /srv
        mode: "{{ '0775' if group_shared else '0755' }}"
    - name: decided
      file:
        path: /srv
        mode: "{{ '0775' if shared else '0755' }}"
    - name: negated
      file:
        path: /srv
        mode: "{{ '0775' if not shared else '0755' }}"
    - name: quotes
      debug:
        msg: "{{ \"a'b\" }} {{ quoted }}"
"#;
    let (_dir, out) = tree(&[("site.yml", text)], "site.yml");
    let doc = out.document.unwrap();
    let mode = |name: &str| task(&doc, name)["args"]["mode"].clone();
    assert!(is_unknown(&mode("undecided")), "{}", mode("undecided"));
    assert_eq!(mode("decided"), json!("0775"));
    assert_eq!(mode("negated"), json!("0755"));
    assert_eq!(msg(&doc, "quotes"), &json!("a'b it's"));
}

/// The text each "value set here" of a task argument points at, with its
/// file name.
fn origins_of(doc: &Document, name: &str, key: &str) -> Vec<(String, String)> {
    let index = doc.input["tasks"]
        .as_array()
        .and_then(|t| t.iter().position(|t| t["name"] == name))
        .unwrap_or_else(|| panic!("no task {name}"));
    let path = [
        Seg::Key("tasks".into()),
        Seg::Index(index),
        Seg::Key("args".into()),
        Seg::Key(key.into()),
    ];
    let located = doc.spans.locate(&path, &doc.files);
    located
        .origins
        .iter()
        .map(|o| {
            let file = &doc.files[o.span.file as usize];
            let name = file
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            (name, file.slice(o.span).to_string())
        })
        .collect()
}

#[test]
fn a_default_fallback_points_at_the_default_call() {
    let (_dir, out) = tree(
        &[
            (
                "site.yml",
                r#"- hosts: all
  roles:
    - app
  tasks:
    - name: here
      uri:
        url: https://x
        validate_certs: "{{ strict | default(false) }}"
"#,
            ),
            (
                "roles/app/defaults/main.yml",
                "app_verify: \"{{ verify | default('no') | bool }}\"\n",
            ),
            (
                "roles/app/tasks/main.yml",
                "- name: in role\n  uri:\n    url: https://x\n    validate_certs: \"{{ app_verify }}\"\n",
            ),
        ],
        "site.yml",
    );
    let doc = out.document.unwrap();
    assert_eq!(
        origins_of(&doc, "here", "validate_certs"),
        [("site.yml".to_string(), "default(false)".to_string())]
    );
    assert_eq!(
        task(&doc, "in role")["args"]["validate_certs"],
        json!(false)
    );
    let origins = origins_of(&doc, "in role", "validate_certs");
    assert!(
        origins.contains(&("main.yml".to_string(), "default('no')".to_string())),
        "{origins:?}"
    );
    assert!(
        !origins.iter().any(|(f, t)| f == "site.yml" && t.is_empty()),
        "{origins:?}"
    );
}

#[test]
fn text_from_several_references_keeps_every_origin() {
    let text = r#"- hosts: all
  vars:
    user: admin
    host: example.org
  tasks:
    - name: pairs
      lineinfile:
        path: /etc/x
        line: "{{ item.key }}={{ item.value }}"
      with_dict:
        PermitRootLogin: "yes"
    - name: two vars
      debug:
        msg: "{{ user }}@{{ host }}"
"#;
    let (_dir, out) = tree(&[("site.yml", text)], "site.yml");
    let doc = out.document.unwrap();
    assert_eq!(
        task(&doc, "pairs")["args"]["line"],
        json!("PermitRootLogin=yes")
    );
    let origins: Vec<String> = origins_of(&doc, "pairs", "line")
        .into_iter()
        .map(|(_, t)| t)
        .collect();
    assert_eq!(origins, ["PermitRootLogin", "\"yes\""]);
    let origins: Vec<String> = origins_of(&doc, "two vars", "msg")
        .into_iter()
        .map(|(_, t)| t)
        .collect();
    assert_eq!(origins, ["admin", "example.org"]);
}

#[test]
fn hosts_all_sees_where_groups_and_hosts_disagree() {
    let play = r#"- hosts: all
  tasks:
    - name: all hosts
      debug:
        msg: "{{ differs }}"
    - name: agreed
      debug:
        msg: "{{ same }}"
    - name: by host
      debug:
        msg: "{{ host_only }}"
- hosts: web
  tasks:
    - name: web hosts
      debug:
        msg: "{{ differs }}"
"#;
    let (_dir, out) = tree(
        &[
            ("site.yml", play),
            (
                "group_vars/all.yml",
                "differs: all\nsame: 1\nhost_only: all\n",
            ),
            ("group_vars/web.yml", "differs: web\nsame: 1\n"),
            ("host_vars/db1.yml", "host_only: db1\n"),
        ],
        "site.yml",
    );
    let doc = out.document.unwrap();
    assert!(
        is_unknown(msg(&doc, "all hosts")),
        "{}",
        msg(&doc, "all hosts")
    );
    assert_eq!(msg(&doc, "agreed"), &json!(1));
    assert!(is_unknown(msg(&doc, "by host")));
    assert_eq!(msg(&doc, "web hosts"), &json!("web"));
}

#[test]
fn tasks_are_indexed_by_module() {
    let (_dir, out) = tree(
        &[(
            "site.yml",
            "- hosts: all\n  tasks:\n    - copy: {src: a, dest: /a}\n    - name: u\n      user: {name: x}\n    - ansible.builtin.copy: {src: b, dest: /b}\n",
        )],
        "site.yml",
    );
    let doc = out.document.expect("document");
    assert_eq!(
        doc.input["tasks_by_module"],
        serde_json::json!({"ansible.builtin.copy": [0, 2], "ansible.builtin.user": [1]})
    );
}

#[test]
fn tasks_with_a_loop_are_indexed() {
    let (_dir, out) = tree(
        &[(
            "site.yml",
            "- hosts: all\n  tasks:\n    - debug: {msg: a}\n    - debug: {msg: \"{{ item }}\"}\n      loop: [x, y]\n    - debug: {msg: \"{{ item }}\"}\n      with_fileglob: \"{{ patterns }}\"\n    - debug: {msg: b}\n      loop: null\n",
        )],
        "site.yml",
    );
    let doc = out.document.expect("document");
    // The loop over [x, y] is expanded into tasks 1 and 2; a null loop is none.
    assert_eq!(doc.input["looped_tasks"], serde_json::json!([1, 2, 3]));
}
