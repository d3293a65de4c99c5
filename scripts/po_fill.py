"""Fill empty msgstr entries of a .po file from a JSON map {english: vietnamese}.

Used when new English msgids arrive: `python scripts/po_fill.py map.json`. Template
placeholders may be written as {{ name }} in the map; they match %(name)s.
"""

import json
import re
import sys

PO = "locale/vi/LC_MESSAGES/django.po"


def unquote(lines):
    return "".join(json.loads(line[line.index('"'):]) for line in lines if '"' in line)


def quote(text):
    return json.dumps(text, ensure_ascii=False)


def _drop_fuzzy(flags: str) -> str:
    kept = [f.strip() for f in flags[2:].split(",") if f.strip() and f.strip() != "fuzzy"]
    return "#, " + ", ".join(kept) if kept else "#,"


def main(map_path):
    mapping = {re.sub(r"{{ (\w+) }}", r"%(\1)s", k): v for k, v in json.load(open(map_path)).items()}
    mapping = {k: re.sub(r"{{ (\w+) }}", r"%(\1)s", v) for k, v in mapping.items()}
    blocks = open(PO, encoding="utf-8").read().split("\n\n")
    missing = []
    for i, block in enumerate(blocks):
        lines = block.split("\n")
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        if fuzzy:  # makemessages' guess from a similar msgid: translate afresh
            lines = [line for line in lines if not line.startswith("#|")]
            lines = [_drop_fuzzy(line) if line.startswith("#,") else line for line in lines]
            lines = [line for line in lines if line != "#,"]
        keys = [j for j, line in enumerate(lines) if re.match(r"(msgid|msgid_plural|msgstr(\[\d\])?) ", line)]
        if not keys or not lines[keys[0]].startswith("msgid "):
            continue
        parts = {}
        for n, j in enumerate(keys):
            end = keys[n + 1] if n + 1 < len(keys) else len(lines)
            parts[lines[j].split(" ")[0]] = (j, end, unquote(lines[j:end]))
        msgid = parts["msgid"][2]
        if not msgid:
            continue
        target = "msgstr[0]" if "msgid_plural" in parts else "msgstr"
        if parts[target][2] and not fuzzy:
            continue
        singular_or_plural = mapping.get(parts["msgid_plural"][2]) if "msgid_plural" in parts else None
        vi = singular_or_plural or mapping.get(msgid)
        if vi is None:  # a fuzzy guess stays fuzzy, unused, until someone translates it
            missing.append(msgid)
            continue
        j, end, _ = parts[target]
        lines[j:end] = [f"{target} {quote(vi)}"]
        blocks[i] = "\n".join(lines)
    open(PO, "w", encoding="utf-8").write("\n\n".join(blocks))
    for m in missing:
        print("untranslated:", m)


if __name__ == "__main__":
    main(sys.argv[1])
