#!/usr/bin/env bash
# Build the AllenSDK 2.16.2 peer venv used by the conformance tests (Python 3.11 only).
# Usage: bash tests/allensdk/setup_peer.sh [VENV_DIR]   (default .venv-allensdk)
# Pins: statsmodels<0.15 (0.15 removed a module AllenSDK imports), hdmf<4 (pynwb 2.8 needs it).
set -euo pipefail
venv="${1:-.venv-allensdk}"
python="${BRAINOBS_PEER_PYTHON:-python3.11}"
if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c "import allensdk" 2>/dev/null; then
  echo "AllenSDK peer venv already in $venv"
  exit 0
fi
"$python" -m venv "$venv"
"$venv/bin/pip" install -q 'allensdk==2.16.2' 'statsmodels<0.15' 'hdmf<4'
find "$venv" -name core_typemap.pkl -path '*pynwb*' -delete
"$venv/bin/python" -W ignore -c "import allensdk.core.brain_observatory_nwb_data_set as m; print('AllenSDK peer ready:', m.__name__)"
