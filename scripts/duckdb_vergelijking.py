#!/usr/bin/env python3
"""Vergelijk rodedraad met DuckDB op hetzelfde canonieke casusbestand.

Berekent de kerncijfers (ontvangen, afgerond, % opgelost, % geëscaleerd, % advies overgenomen,
mediane doorlooptijd van de afgeronde casussen, ontvangen per aandrager_type) met DuckDB, met
precies de definities van rodedraad (docs/indicatoren.md: alles zoals het op de peildatum stond),
meet de tijd van DuckDB en van `rodedraad analyse` naast elkaar en drukt de verhouding af.

DuckDB wordt zo nodig geïnstalleerd: `pip install duckdb` in een venv onder
$XDG_CACHE_HOME/rodedraad/duckdb-venv (standaard ~/.cache/...). Zonder DuckDB (of met
--motor python) rekent een onafhankelijke berekening in gewoon Python (alleen de standaardbibliotheek)
dezelfde cijfers uit.

Gebruik:
  python3 scripts/duckdb_vergelijking.py --casussen /tmp/1m/casussen.csv --periode 2025 \
      --exportdatum 2026-10-31 --rodedraad target/release/rodedraad [--bench] [--json]
  python3 scripts/duckdb_vergelijking.py --casussen f.csv --periode 2025 --alleen-cijfers --motor python

Afsluitcode: 0 gelijk, 1 verschil gevonden, 2 verkeerde aanroep, 3 DuckDB niet beschikbaar
(alleen met --motor duckdb).
"""

import argparse
import csv
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SOLVED = ("opgelost", "deels_opgelost")
ADVICE_ADOPTED = ("overgenomen", "deels_overgenomen")
ADVICE_JUDGED = ("overgenomen", "deels_overgenomen", "niet_overgenomen")
TRUE = {"ja", "j", "true", "waar", "1", "yes", "y", "x"}


def period_bounds(p):
    """(begin, einde) van een periode zoals rodedraad ze schrijft: 2025, 2026-H1, 2026-Q3, a..b."""
    if ".." in p:
        a, b = p.split("..", 1)
        return dt.date.fromisoformat(a), dt.date.fromisoformat(b)
    if len(p) == 4:
        y = int(p)
        return dt.date(y, 1, 1), dt.date(y, 12, 31)
    y, part = int(p[:4]), p[5:].upper()
    if part.startswith("H"):
        h = int(part[1:])
        return (dt.date(y, 1, 1), dt.date(y, 6, 30)) if h == 1 else (dt.date(y, 7, 1), dt.date(y, 12, 31))
    if part.startswith("Q"):
        q = int(part[1:])
        start = dt.date(y, 3 * q - 2, 1)
        end = (dt.date(y + 1, 1, 1) if q == 4 else dt.date(y, 3 * q + 1, 1)) - dt.timedelta(days=1)
        return start, end
    raise SystemExit(f'"{p}" is geen periode; gebruik 2025, 2026-H1, 2026-Q3 of 2026-01-01..2026-06-30')


def empty_figures():
    return {
        "ontvangen": 0,
        "afgerond": 0,
        "opgelost_teller": 0,
        "opgelost_noemer": 0,
        "geescaleerd_teller": 0,
        "geescaleerd_noemer": 0,
        "advies_teller": 0,
        "advies_noemer": 0,
        "doorlooptijd_mediaan": None,
        "ontvangen_per_aandrager_type": {},
    }


def figures_python(path, start, end, peil):
    """De kerncijfers in gewoon Python, rij voor rij, met de regels van rodedraad."""
    f = empty_figures()
    lead = []
    per_type = {}

    def date(v):
        v = (v or "").strip()
        return dt.date.fromisoformat(v) if v else None

    with open(path, newline="", encoding="utf-8-sig") as fh:
        for row in csv.DictReader(fh):
            o = date(row["ontvangen_op"])
            if o is None or o > peil:
                continue
            t, a, z, eo = (date(row[c]) for c in ("triage_op", "afgerond_op", "zienswijze_op", "geescaleerd_op"))
            besluit = (row.get("triage_besluit") or "").strip() or None
            if t is not None and t > peil:
                besluit = None
            uitkomst = (row.get("uitkomst") or "").strip() or None
            if a is not None and a > peil:
                a, uitkomst = None, None
            reactie = (row.get("zienswijze_reactie") or "").strip() or None
            if z is not None and z > peil:
                reactie = None
            esc = (row.get("geescaleerd") or "").strip().lower() in TRUE
            known = (eo <= peil) if eo is not None else (a is not None and a <= peil)
            esc = esc and known
            if start <= o <= end:
                f["ontvangen"] += 1
                at = (row.get("aandrager_type") or "").strip() or "onbekend"
                per_type[at] = per_type.get(at, 0) + 1
            closed = besluit == "behandelen" and a is not None and start <= a <= end
            if not closed:
                continue
            f["afgerond"] += 1
            if uitkomst != "ingetrokken":
                f["opgelost_noemer"] += 1
                if uitkomst in SOLVED:
                    f["opgelost_teller"] += 1
            f["geescaleerd_noemer"] += 1
            f["geescaleerd_teller"] += esc
            if reactie in ADVICE_JUDGED:
                f["advies_noemer"] += 1
                if reactie in ADVICE_ADOPTED:
                    f["advies_teller"] += 1
            lead.append((a - o).days)
    f["doorlooptijd_mediaan"] = float(statistics.median(lead)) if lead else None
    f["ontvangen_per_aandrager_type"] = dict(sorted(per_type.items()))
    return f


SQL = """
WITH raw AS (
  SELECT
    CAST(NULLIF(trim(ontvangen_op), '') AS DATE) AS o,
    CAST(NULLIF(trim(triage_op), '') AS DATE) AS t,
    NULLIF(trim(triage_besluit), '') AS besluit,
    CAST(NULLIF(trim(afgerond_op), '') AS DATE) AS a,
    NULLIF(trim(uitkomst), '') AS uitkomst,
    CAST(NULLIF(trim(zienswijze_op), '') AS DATE) AS z,
    NULLIF(trim(zienswijze_reactie), '') AS reactie,
    coalesce(lower(trim(geescaleerd)) IN ('ja','j','true','waar','1','yes','y','x'), false) AS esc,
    CAST(NULLIF(trim(geescaleerd_op), '') AS DATE) AS eo,
    coalesce(NULLIF(trim(aandrager_type), ''), 'onbekend') AS aandrager_type
  FROM read_csv($pad, header = true, all_varchar = true)
),
op_peildatum AS (
  SELECT
    o, aandrager_type,
    CASE WHEN t > $peil THEN NULL ELSE besluit END AS besluit,
    CASE WHEN a > $peil THEN NULL ELSE a END AS a,
    CASE WHEN a > $peil THEN NULL ELSE uitkomst END AS uitkomst,
    CASE WHEN z > $peil THEN NULL ELSE reactie END AS reactie,
    esc AND (CASE WHEN eo IS NOT NULL THEN eo <= $peil ELSE coalesce(a <= $peil, false) END) AS esc
  FROM raw
  WHERE o <= $peil
),
c AS (
  SELECT *, coalesce(besluit = 'behandelen' AND a BETWEEN $begin AND $einde, false) AS afgerond
  FROM op_peildatum
)
SELECT
  count(*) FILTER (WHERE o BETWEEN $begin AND $einde) AS ontvangen,
  count(*) FILTER (WHERE afgerond) AS afgerond,
  count(*) FILTER (WHERE afgerond AND uitkomst IN ('opgelost', 'deels_opgelost')) AS opgelost_teller,
  count(*) FILTER (WHERE afgerond AND coalesce(uitkomst <> 'ingetrokken', true)) AS opgelost_noemer,
  count(*) FILTER (WHERE afgerond AND esc) AS geescaleerd_teller,
  count(*) FILTER (WHERE afgerond) AS geescaleerd_noemer,
  count(*) FILTER (WHERE afgerond AND reactie IN ('overgenomen', 'deels_overgenomen')) AS advies_teller,
  count(*) FILTER (WHERE afgerond AND reactie IN ('overgenomen', 'deels_overgenomen', 'niet_overgenomen')) AS advies_noemer,
  median(a - o) FILTER (WHERE afgerond) AS doorlooptijd_mediaan,
  (SELECT list(struct_pack(k := aandrager_type, n := n))
     FROM (SELECT aandrager_type, count(*) AS n FROM op_peildatum
           WHERE o BETWEEN $begin AND $einde GROUP BY 1)) AS per_type
FROM c
"""


def venv_dir():
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "rodedraad" / "duckdb-venv"


def duckdb_python(install):
    """Pad naar een Python met duckdb, of None. Installeert in de cache-venv als `install`."""
    try:
        import duckdb  # noqa: F401

        return sys.executable
    except ImportError:
        pass
    py = venv_dir() / "bin" / "python"
    if py.exists() and subprocess.run([str(py), "-c", "import duckdb"], capture_output=True).returncode == 0:
        return str(py)
    if not install:
        return None
    print(f"DuckDB installeren in {venv_dir()} ...", file=sys.stderr)
    try:
        subprocess.run([sys.executable, "-m", "venv", str(venv_dir())], check=True, capture_output=True)
        subprocess.run([str(py), "-m", "pip", "install", "--quiet", "duckdb"], check=True)
    except (subprocess.CalledProcessError, OSError) as e:
        print(f"DuckDB kon niet worden geïnstalleerd: {e}", file=sys.stderr)
        return None
    return str(py)


def figures_duckdb(python, path, start, end, peil):
    """De kerncijfers met DuckDB (in een apart proces als duckdb in de venv staat); (cijfers, seconden)."""
    code = (
        "import duckdb, json, sys, time\n"
        "sql, pad, begin, einde, peil = sys.argv[1:6]\n"
        "t = time.perf_counter()\n"
        "con = duckdb.connect()\n"
        "con.execute('SET enable_progress_bar = false')\n"
        "row = con.execute(sql, {'pad': pad, 'begin': begin, 'einde': einde, 'peil': peil}).fetchone()\n"
        "secs = time.perf_counter() - t\n"
        "cols = ['ontvangen','afgerond','opgelost_teller','opgelost_noemer','geescaleerd_teller',"
        "'geescaleerd_noemer','advies_teller','advies_noemer','doorlooptijd_mediaan']\n"
        "out = dict(zip(cols, row[:9]))\n"
        "out['doorlooptijd_mediaan'] = None if row[8] is None else float(row[8])\n"
        "out['ontvangen_per_aandrager_type'] = dict(sorted((d['k'], d['n']) for d in (row[9] or [])))\n"
        "print(json.dumps({'cijfers': out, 'seconden': secs}))\n"
    )
    sql = SQL.replace("$begin", "CAST($begin AS DATE)").replace("$einde", "CAST($einde AS DATE)")
    sql = sql.replace("$peil", "CAST($peil AS DATE)")
    res = subprocess.run(
        [python, "-c", code, sql, str(path), start.isoformat(), end.isoformat(), peil.isoformat()],
        capture_output=True,
        text=True,
    )
    if res.returncode != 0:
        raise SystemExit(f"DuckDB-berekening mislukt:\n{res.stderr}")
    d = json.loads(res.stdout.strip().splitlines()[-1])
    return d["cijfers"], d["seconden"]


def figures_rodedraad(indicatoren):
    """De kerncijfers uit rodedraads indicatoren.json."""
    f = empty_figures()

    def rec(id_, dim=None):
        return [r for r in indicatoren if r["id"] == id_ and r.get("dimensie") == dim]

    def total(id_):
        r = rec(id_)
        return r[0] if r else {}

    def whole(x):
        return None if x is None else int(round(x))

    f["ontvangen"] = whole(total("ontvangen_aantal").get("teller"))
    f["afgerond"] = whole(total("afgerond_aantal").get("teller"))
    for key, id_ in (("opgelost", "oplossing_pct"), ("geescaleerd", "geescaleerd_pct"), ("advies", "advies_overgenomen_pct")):
        r = total(id_)
        f[key + "_teller"] = whole(r.get("teller"))
        f[key + "_noemer"] = r.get("noemer")
    f["doorlooptijd_mediaan"] = total("afgerond_doorlooptijd_mediaan_dagen").get("waarde")
    f["ontvangen_per_aandrager_type"] = dict(
        sorted((r["groep"], whole(r["teller"])) for r in rec("ontvangen_aantal", "aandrager_type") if r.get("teller"))
    )
    return f


def differences(a, b):
    out = []
    for k in a:
        x, y = a[k], b.get(k)
        if isinstance(x, float) or isinstance(y, float):
            if x is None or y is None or abs(float(x) - float(y)) > 1e-9:
                if not (x is None and y is None):
                    out.append(f"{k}: {x} tegen {y}")
        elif x != y:
            out.append(f"{k}: {x} tegen {y}")
    return out


def nl(x, digits=2):
    return f"{x:,.{digits}f}".replace(",", "_").replace(".", ",").replace("_", ".")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--casussen", required=True, type=Path)
    ap.add_argument("--periode", required=True)
    ap.add_argument("--exportdatum", default=None, help="jjjj-mm-dd; standaard het einde van de periode")
    ap.add_argument("--rodedraad", default="target/release/rodedraad", help="pad naar het rodedraad-programma")
    ap.add_argument("--motor", choices=["duckdb", "python", "beide"], default="beide")
    ap.add_argument("--geen-installatie", action="store_true", help="installeer DuckDB niet")
    ap.add_argument("--alleen-cijfers", action="store_true", help="draai rodedraad niet; druk alleen de cijfers af")
    ap.add_argument("--bench", action="store_true", help="draai ook `rodedraad bench` voor de tijd per stap")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    start, end = period_bounds(a.periode)
    peil = end
    export = a.exportdatum or end.isoformat()
    result = {"bestand": str(a.casussen), "periode": a.periode, "motoren": {}}

    if a.motor in ("python", "beide"):
        t = time.perf_counter()
        result["motoren"]["python"] = {"cijfers": figures_python(a.casussen, start, end, peil), "seconden": time.perf_counter() - t}
    if a.motor in ("duckdb", "beide"):
        py = duckdb_python(install=not a.geen_installatie)
        if py is None:
            msg = "LET OP: DuckDB is niet beschikbaar; de vergelijking met DuckDB is NIET gedaan."
            print(msg, file=sys.stderr)
            result["duckdb_ontbreekt"] = msg
            if a.motor == "duckdb":
                return 3
        else:
            cijfers, secs = figures_duckdb(py, a.casussen, start, end, peil)
            result["motoren"]["duckdb"] = {"cijfers": cijfers, "seconden": secs}

    problems = []
    engines = result["motoren"]
    if "python" in engines and "duckdb" in engines:
        problems += [f"python tegen duckdb: {d}" for d in differences(engines["python"]["cijfers"], engines["duckdb"]["cijfers"])]

    if not a.alleen_cijfers:
        with tempfile.TemporaryDirectory() as tmp:
            cmd = [a.rodedraad, "analyse", "--cases", str(a.casussen), "--period", a.periode,
                   "--exportdatum", export, "--out", tmp]
            t = time.perf_counter()
            res = subprocess.run(cmd, capture_output=True, text=True)
            secs = time.perf_counter() - t
            if res.returncode != 0:
                print(res.stdout + res.stderr, file=sys.stderr)
                return 1
            ind = json.loads(Path(tmp, "indicatoren.json").read_text(encoding="utf-8"))
            controle = json.loads(Path(tmp, "controle.json").read_text(encoding="utf-8"))
        rd = figures_rodedraad(ind)
        result["rodedraad"] = {"cijfers": rd, "seconden_analyse": secs}
        quarantined = sum(i.get("in_quarantaine", 0) for i in controle.get("invoer", []))
        if quarantined:
            problems.append(f"rodedraad zette {quarantined} rij(en) in quarantaine; de vergelijking telt die wel mee")
        for name, e in engines.items():
            problems += [f"rodedraad tegen {name}: {d}" for d in differences(rd, e["cijfers"])]
        if a.bench:
            res = subprocess.run([a.rodedraad, "bench", "--casussen", str(a.casussen), "--periode", a.periode,
                                  "--exportdatum", export, "--json"], capture_output=True, text=True)
            if res.returncode == 0:
                result["bench"] = json.loads(res.stdout)
            else:
                problems.append("rodedraad bench mislukte: " + res.stderr.strip())

    result["verschillen"] = problems
    if a.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        print(f"Kerncijfers over {a.casussen} ({a.periode}, peildatum {peil.isoformat()})")
        for name, e in engines.items():
            print(f"  {name:<10} {nl(e['seconden'])} s")
        if "rodedraad" in result:
            r = result["rodedraad"]
            print(f"  rodedraad analyse (alles: inlezen, valideren, indicatoren, rode draden, schrijven) {nl(r['seconden_analyse'])} s")
            if "duckdb" in engines:
                ratio = r["seconden_analyse"] / max(engines["duckdb"]["seconden"], 1e-9)
                print(f"  verhouding rodedraad analyse / DuckDB kerncijfers: {nl(ratio, 1)}")
            if "bench" in result:
                steps = {s["stap"]: s["seconden"] for s in result["bench"]["stappen"]}
                ind = sum(steps.get(k, 0.0) for k in ("inlezen", "valideren", "indicatoren"))
                print(f"  rodedraad inlezen + valideren + indicatoren (bench) {nl(ind)} s")
                if "duckdb" in engines:
                    print(f"  verhouding rodedraad indicatoren / DuckDB: {nl(ind / max(engines['duckdb']['seconden'], 1e-9), 1)}")
        first = next(iter(engines.values()), None) or {"cijfers": result.get("rodedraad", {}).get("cijfers", {})}
        for k, v in first["cijfers"].items():
            print(f"    {k}: {v}")
        if problems:
            print("VERSCHILLEN:")
            for p in problems:
                print(f"  {p}")
        else:
            print("Alle kerncijfers gelijk.")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
