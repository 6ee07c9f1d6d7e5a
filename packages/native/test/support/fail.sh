#!/bin/sh
# A compiler or make that is present but fails, for the install tests.
echo "$(basename "$0"): this stub always fails" >&2
exit 1
