#!/usr/bin/env bash
# clause beside Checkov on the same tree(s); see compare.py for the options.
#   bench/compare.sh ../shared/corpus [--runs N] [--no-checkov]
exec python3 "$(dirname "$0")/compare.py" "$@"
