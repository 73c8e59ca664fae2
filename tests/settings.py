"""Shared test constants: where the read-only real Allen files live."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
REAL_VC2P = SHARED / "realdata" / "visual-coding-2p" / "boc"
