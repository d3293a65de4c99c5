#!/usr/bin/env bash
# Print the path of a Python >= 3.12 that actually runs, or explain and fail.
ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; }
for cand in ${PYTHON:-} python3.14 python3.13 python3.12 python3; do
  p=$(command -v "$cand" 2>/dev/null) || continue
  if ok "$p"; then echo "$p"; exit 0; fi
done
# pyenv shims refuse to run unless a version is selected: use the interpreters directly.
if command -v pyenv >/dev/null 2>&1; then
  root=$(pyenv root)
  for v in $(ls "$root/versions" 2>/dev/null | sort -rV); do
    p="$root/versions/$v/bin/python3"
    if [ -x "$p" ] && ok "$p"; then echo "$p"; exit 0; fi
  done
fi
echo "dangvu cần Python 3.12 trở lên (Django 6.1). Hãy cài python3.12, hoặc đặt PYTHON=/đường/dẫn/python3.12." >&2
exit 1
