"""The local store of Visual Coding 2P metadata and files (list and open)."""

from .observatory import VisualCoding2P

__all__ = ["VisualCoding2P"]
