"""Vergelijkt een rode-draden.json met de casus-id's erin (oude build) met een analysemap waarin
de id's in rode-draden-casussen.csv staan (nieuwe build): dezelfde draden, dezelfde velden en per
draad dezelfde casus-id's in dezelfde volgorde. Hulp bij scripts/draden_gelijk.sh.

Gebruik: python3 scripts/draden_gelijk_ids.py OUD/rode-draden.json NIEUWE_MAP
"""

import csv
import json
import sys
from collections import defaultdict


def main(old_json: str, new_dir: str) -> int:
    with open(old_json, encoding="utf-8") as f:
        old = json.load(f)
    with open(f"{new_dir}/rode-draden.json", encoding="utf-8") as f:
        new = json.load(f)
    ids = defaultdict(list)
    with open(f"{new_dir}/rode-draden-casussen.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            ids[row["draad_id"]].append(row["casus_id"])
    if len(old) != len(new):
        print(f"{len(old)} draden tegen {len(new)}")
        return 1
    for o, n in zip(old, new):
        o, n = dict(o), dict(n)
        if o.pop("casus_ids") != ids.get(o["id"], []):
            print(f"{o['id']}: andere casus-id's")
            return 1
        n.pop("casussen_bestand", None)
        if o != n:
            print(f"{o['id']}: andere velden")
            return 1
    if set(ids) - {o["id"] for o in old}:
        print("casus-id's van onbekende draden")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
