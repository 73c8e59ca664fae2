import subprocess
import sys

HEAVY = ("pandas", "h5py", "matplotlib", "scipy", "pynwb", "ipywidgets", "seaborn")


def test_import_brainobs_loads_no_heavy_library():
    code = (
        "import sys, brainobs, brainobs.cache, brainobs.stimuli, brainobs.errors;"
        f"print([m for m in {HEAVY!r} if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_lazy_names_resolve():
    import brainobs

    assert brainobs.VisualCoding2P.__name__ == "VisualCoding2P"
    assert "open_nwb" in dir(brainobs)
