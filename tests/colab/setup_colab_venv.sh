#!/usr/bin/env bash
# Build a Colab-like venv for tests/colab/test_colab.py: Python 3.12 with the packages Colab
# preinstalls, at Colab's versions (tests/colab/colab-pins.txt), and Colab's pip. brainobs is NOT
# installed here: the test installs it with the tutorials' own install command.
# Usage: bash tests/colab/setup_colab_venv.sh [VENV_DIR]   (default .venv-colab)
# The Python 3.12 interpreter: $BRAINOBS_COLAB_BASE_PYTHON, else python3.12, else pyenv's 3.12.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="${1:-.venv-colab}"
pins="$here/colab-pins.txt"
stamp="$venv/colab-pins.txt"
pip_version="24.1.2"   # Colab's pip

if [ -x "$venv/bin/python" ] && cmp -s "$pins" "$stamp"; then
  echo "Colab-like venv already in $venv"
  exit 0
fi

is_312() { [ -n "$1" ] && "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' 2>/dev/null; }
python=""
for candidate in "${BRAINOBS_COLAB_BASE_PYTHON:-}" python3.12 \
    "$(command -v pyenv >/dev/null && pyenv root)"/versions/3.12*/bin/python3.12 \
    "$HOME"/.pyenv/versions/3.12*/bin/python3.12; do
  if is_312 "$candidate"; then python="$candidate"; break; fi
done
if [ -z "$python" ]; then
  echo "No Python 3.12 found (set BRAINOBS_COLAB_BASE_PYTHON); the Colab check will be skipped." >&2
  exit 1
fi

rm -rf "$venv"
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install -q "pip==$pip_version"
"$venv/bin/python" -m pip install -q -r "$pins"
"$venv/bin/python" -m pip check
cp "$pins" "$stamp"
"$venv/bin/python" -c "import numpy, pandas, ipywidgets; print('Colab-like venv ready:', numpy.__version__, pandas.__version__, ipywidgets.__version__)"
