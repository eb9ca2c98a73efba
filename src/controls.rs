//! The ISO/IEC 27002 control list, kept as data (`data/iso27002-controls.tsv`):
//! each 2005 control with its title, its 2022 counterpart, and whether
//! infrastructure configuration can evidence it. Rules may only name
//! controls from this list.

use std::sync::OnceLock;

const CONTROLS_TSV: &str = include_str!("../data/iso27002-controls.tsv");
const APPLICABILITY_TSV: &str = include_str!("../data/control-applicability.tsv");

/// Whether configuration can show a control is met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Evidence {
    Yes,
    Partial,
    No,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Control {
    pub id_2005: String,
    pub title_2005: String,
    pub id_2022: String,
    pub title_2022: String,
    pub iac: Evidence,
}

/// Which formats can evidence a control (`data/control-applicability.tsv`).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Applicability {
    pub id_2005: String,
    pub formats: Vec<crate::document::Format>,
    /// What configuration shows for the control.
    pub shows: String,
}

pub struct Catalogue {
    controls: Vec<Control>,
    applicability: Vec<Applicability>,
}

impl Catalogue {
    /// The list bundled into the binary.
    pub fn builtin() -> &'static Catalogue {
        static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
        CATALOGUE.get_or_init(|| Catalogue::parse(CONTROLS_TSV, APPLICABILITY_TSV))
    }

    fn parse(text: &str, applicability: &str) -> Catalogue {
        use crate::document::Format;
        let applicability = applicability
            .lines()
            .filter(|l| !l.starts_with('#') && !l.starts_with("id_2005") && !l.trim().is_empty())
            .filter_map(|line| {
                let cols: Vec<&str> = line.split('\t').collect();
                let [id, terraform, kubernetes, ansible, shows] = cols.as_slice() else {
                    return None;
                };
                let formats = [
                    (terraform, Format::Terraform),
                    (kubernetes, Format::Kubernetes),
                    (ansible, Format::Ansible),
                ]
                .into_iter()
                .filter(|(flag, _)| **flag == "yes")
                .map(|(_, f)| f)
                .collect();
                Some(Applicability {
                    id_2005: id.to_string(),
                    formats,
                    shows: shows.to_string(),
                })
            })
            .collect();
        let controls = text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.starts_with("id_2005") && !l.trim().is_empty())
            .filter_map(|line| {
                let cols: Vec<&str> = line.split('\t').collect();
                let [id_2005, title_2005, id_2022, title_2022, iac] = cols.as_slice() else {
                    return None;
                };
                Some(Control {
                    id_2005: id_2005.to_string(),
                    title_2005: title_2005.to_string(),
                    id_2022: id_2022.to_string(),
                    title_2022: title_2022.to_string(),
                    iac: match *iac {
                        "yes" => Evidence::Yes,
                        "partial" => Evidence::Partial,
                        _ => Evidence::No,
                    },
                })
            })
            .collect();
        Catalogue {
            controls,
            applicability,
        }
    }

    /// The formats that can evidence a control (empty for organisational ones).
    pub fn applicability(&self, id_2005: &str) -> Option<&Applicability> {
        self.applicability.iter().find(|a| a.id_2005 == id_2005)
    }

    pub fn all(&self) -> &[Control] {
        &self.controls
    }

    pub fn by_2005(&self, id: &str) -> Option<&Control> {
        self.controls.iter().find(|c| c.id_2005 == id)
    }

    pub fn has_2022(&self, id: &str) -> bool {
        self.controls.iter().any(|c| c.id_2022 == id)
    }

    pub fn title_2022(&self, id: &str) -> Option<&str> {
        self.controls
            .iter()
            .find(|c| c.id_2022 == id)
            .map(|c| c.title_2022.as_str())
    }
}

/// Whether `id` is `prefix` or lies beneath it (`10.6` covers `10.6.1`, not `10.60`).
pub fn matches_prefix(id: &str, prefix: &str) -> bool {
    let prefix = prefix.trim_end_matches('.');
    id == prefix
        || id
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_list_loads_every_control() {
        let c = Catalogue::builtin();
        assert!(c.all().len() >= 85);
        let net = c.by_2005("10.6.1").unwrap();
        assert_eq!(net.id_2022, "8.20");
        assert_eq!(net.iac, Evidence::Yes);
        // Every control configuration can evidence says which formats can.
        for control in c.all().iter().filter(|c| c.iac == Evidence::Yes) {
            let applicable = c.applicability(&control.id_2005);
            assert!(
                applicable.is_some_and(|a| !a.formats.is_empty()),
                "{} has no applicability",
                control.id_2005
            );
        }
    }

    #[test]
    fn prefixes_match_whole_components() {
        assert!(matches_prefix("10.6.1", "10.6"));
        assert!(matches_prefix("10.6.1", "10.6.1"));
        assert!(!matches_prefix("10.60.1", "10.6"));
        assert!(matches_prefix("8.20", "8"));
    }
}
