#!/usr/bin/env bash
# Controleert dat twee builds van rodedraad dezelfde rode draden vinden: draait `analyse` met
# beide binaries op de voorbeelddata, de CFPB-steekproef, een nulsteekproef en synthetische sets
# van `rodedraad sample` met verschillende seeds, en vergelijkt de rode-draden-bestanden byte
# voor byte. Bedoeld voor een versnelling die de uitkomst niet mag veranderen.
#
# Gebruik: scripts/draden_gelijk.sh OUDE_BINARY NIEUWE_BINARY [WERKMAP]
#
# Schrijft de nieuwe build de casus-id's in rode-draden-casussen.csv en de oude niet, dan
# vergelijkt scripts/draden_gelijk_ids.py de draden met de id's per draad.
#
# Voorbeeld (de oude build eerst apart zetten):
#   cp target/release/rodedraad /tmp/rodedraad-oud
#   cargo build --release
#   scripts/draden_gelijk.sh /tmp/rodedraad-oud target/release/rodedraad
set -euo pipefail

old=${1:?oude binary}
new=${2:?nieuwe binary}
work=${3:-$(mktemp -d)}
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$work"

# Synthetische sets: seed en aantal casussen (0 = het standaardvolume); "nul" = zonder draden.
sets=("1 0" "2 0" "7 2000" "11 5000" "13 20000" "17 3000 nul")
for s in "${sets[@]}"; do
    read -r seed n nul <<<"$s"
    dir="$work/sample-$seed"
    [ -f "$dir/casussen.csv" ] && continue
    args=(sample --seed "$seed" --out "$dir" --excel false)
    [ "$n" != 0 ] && args+=(--cases "$n")
    [ "${nul:-}" = nul ] && args+=(--zonder-draden)
    "$new" "${args[@]}" >/dev/null 2>&1
done

# invoer | periode | config (leeg = standaard)
runs=(
    "$root/sample-data/casussen.csv|2026-H1|"
    "$root/sample-data/casussen.csv|2025|"
    "$root/sample-data/nul/casussen.csv|2026-H1|"
    "$root/sample-data/cfpb/klachten.csv|2016-09-01..2016-09-30|$root/sample-data/cfpb/rodedraad.toml"
)
for s in "${sets[@]}"; do
    read -r seed _ <<<"$s"
    runs+=("$work/sample-$seed/casussen.csv|2026-H1|" "$work/sample-$seed/casussen.csv|2025|")
done

status=0
k=0
for r in "${runs[@]}"; do
    IFS='|' read -r cases period cfg <<<"$r"
    k=$((k + 1))
    for which in old new; do
        bin=$old
        [ "$which" = new ] && bin=$new
        out="$work/run-$k-$which"
        rm -rf "$out"
        args=(analyse --cases "$cases" --period "$period" --exportdatum 2026-10-31 --out "$out")
        [ -n "$cfg" ] && args+=(--config "$cfg")
        "$bin" "${args[@]}" >/dev/null 2>"$out.log" || {
            cat "$out.log"
            exit 2
        }
    done
    for f in "$work/run-$k-old"/rode-draden*; do
        name=$(basename "$f")
        if [ "$name" = rode-draden.json ] && [ ! -f "$work/run-$k-old/rode-draden-casussen.csv" ] &&
            [ -f "$work/run-$k-new/rode-draden-casussen.csv" ]; then
            # The old build kept the case ids in the JSON, the new one in a CSV next to it.
            if python3 "$root/scripts/draden_gelijk_ids.py" "$f" "$work/run-$k-new"; then
                echo "gelijk    $name + rode-draden-casussen.csv  ($cases, $period)"
            else
                echo "VERSCHIL  $name + rode-draden-casussen.csv  ($cases, $period)"
                status=1
            fi
        elif cmp -s "$f" "$work/run-$k-new/$name"; then
            echo "gelijk    $name  ($cases, $period)"
        else
            echo "VERSCHIL  $name  ($cases, $period)"
            status=1
        fi
    done
done
exit $status
