"""ipywidgets is optional: without it, the widgets module imports and explains on use."""

import subprocess
import sys


def _run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)


def test_without_ipywidgets_the_error_comes_on_use():
    result = _run(
        "import sys; sys.modules['ipywidgets'] = None\n"
        "from brainobs.widgets import TraceExplorer, WidgetsUnavailableError\n"
        "try:\n    TraceExplorer(None)\nexcept WidgetsUnavailableError as err:\n"
        "    print('refused:', err)\n"
    )
    assert result.returncode == 0, result.stderr
    assert "refused: TraceExplorer needs ipywidgets" in result.stdout
    assert "pip install 'brainobs[widgets]'" in result.stdout


def test_importing_the_widgets_loads_nothing_heavy():
    result = _run(
        "import sys, brainobs.widgets\n"
        "print(sorted(m for m in ('ipywidgets', 'matplotlib', 'pandas') if m in sys.modules))"
    )
    assert result.stdout.strip() == "[]", result.stderr
