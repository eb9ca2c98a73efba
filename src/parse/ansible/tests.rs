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
    assert_eq!(chain[..3], ["site.yml", "play #1", "role app"]);
    assert!(chain[3].ends_with("roles/app/tasks/main.yml"), "{chain:?}");
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
