// include_dir embeds rules/ at compile time but cannot see new files by
// itself; this makes cargo rebuild when anything under rules/ or data/ changes.
fn main() {
    println!("cargo:rerun-if-changed=rules");
    println!("cargo:rerun-if-changed=data");
}
