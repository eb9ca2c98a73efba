//! A name kept as a fixed 16-byte key, for the sets a run holds until
//! every file is read (which files Ansible playbooks reach, which module
//! folders other modules call): a key costs 16 bytes whatever the path.

use sha2::{Digest, Sha256};

/// The first 16 bytes of a name's SHA-256. Two names share a key with a
/// chance of about 2^-128 per pair, far below that of a disk error; a
/// shared key would take one file or folder for the other (a task file for
/// one a playbook runs, a module for one another module calls) and report
/// it only through its caller.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct NameKey(u128);

impl NameKey {
    pub fn of(name: &[u8]) -> NameKey {
        let digest = Sha256::digest(name);
        let mut first = [0u8; 16];
        first.copy_from_slice(&digest[..16]);
        NameKey(u128::from_le_bytes(first))
    }

    pub fn to_bytes(self) -> [u8; 16] {
        self.0.to_le_bytes()
    }

    pub fn from_bytes(bytes: [u8; 16]) -> NameKey {
        NameKey(u128::from_le_bytes(bytes))
    }

    /// A path's key, from its bytes as the platform spells them.
    pub fn of_path(path: &std::path::Path) -> NameKey {
        NameKey::of(path.as_os_str().as_encoded_bytes())
    }
}
