#!/usr/bin/env bash
# Seeds each fuzz target's corpus from the repository's fixtures (and
# examples), so fuzzing starts from real Terraform, manifests and playbooks.
# Usage: fuzz/seed.sh   (from anywhere; writes fuzz/corpus/<target>/)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
corpus="$root/fuzz/corpus"
mkdir -p "$corpus"/{terraform,yaml,ansible,suppress,check}
seed() { # target file [prefix byte]
  local name
  name="$(sha1sum "$2" | cut -c1-16)"
  if [ $# -eq 3 ]; then
    { printf "\\x$3"; cat "$2"; } > "$corpus/$1/$name"
  else
    cp "$2" "$corpus/$1/$name"
  fi
}
while IFS= read -r -d '' f; do
  case "$f" in
    *.tf)
      seed terraform "$f"; seed suppress "$f"; seed check "$f" 00 ;;
    *.tf.json) seed check "$f" 01 ;;
    *.tfvars) seed check "$f" 02 ;;
    *.json) seed check "$f" 06 ;;
    */tasks/*.yml|*/tasks/*.yaml|*/handlers/*.yml)
      seed ansible "$f"; seed yaml "$f"; seed suppress "$f"; seed check "$f" 05 ;;
    *.yml|*.yaml)
      seed yaml "$f"; seed suppress "$f"
      if grep -q "hosts:" "$f"; then seed ansible "$f"; seed check "$f" 04
      else seed check "$f" 03; fi ;;
  esac
done < <(find "$root/fixtures" "$root/examples" -type f -print0)
for t in terraform yaml ansible suppress check; do
  echo "$t: $(ls "$corpus/$t" | wc -l) seeds"
done
