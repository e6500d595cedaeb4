"""Reviewing agreements for a lawyer: IOP checks on one agreement, and changes between two.

Review reads the model (and, for a comparison, two models); it never renders a document to
decide anything.
"""

from __future__ import annotations

__all__: list[str] = []
