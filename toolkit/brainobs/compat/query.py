"""Cell filters in the portal's ``{"field", "op", "value"}`` form, as AllenSDK applies them.

AllenSDK turns the filter list into a ``DataFrame.query`` string (``dataframe_query``); this
does the same, with one fix: a bare string compared with ``=`` or ``is`` is quoted (AllenSDK
leaves it bare, so pandas reads it as a column name and fails).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import check_choice

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["OPERATORS", "query_string", "dataframe_query"]

OPERATORS = ("=", "<", ">", "<=", ">=", "between", "in", "is")


def _literal(value: Any) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, tuple):
        value = list(value)
    return str(value)


def _clause(spec: dict[str, Any]) -> str:
    field, value = spec["field"], spec["value"]
    op = check_choice("filter operator", spec["op"], OPERATORS)
    if op == "between":
        low, high = (_literal(v) for v in value)
        return f"({field} >= {low}) and ({field} <= {high})"
    if op in ("=", "is", "in"):
        return f"({field} == {_literal(value)})"
    return f"({field} {op} {_literal(value)})"


def query_string(filters: list[dict[str, Any]]) -> str:
    """The pandas query for a list of filters (clauses joined with ``&``).

    Examples
    --------
    >>> query_string([{"field": "p_ns", "op": "between", "value": [0.1, 0.2]},
    ...               {"field": "area", "op": "in", "value": ["VISp"]}])
    "(p_ns >= 0.1) and (p_ns <= 0.2) & (area == ['VISp'])"
    """
    return " & ".join(_clause(spec) for spec in filters)


def dataframe_query(table: pd.DataFrame, filters: list[dict[str, Any]] | None) -> pd.DataFrame:
    """Rows of ``table`` that pass every filter, in their original order.

    Parameters
    ----------
    table : DataFrame
        Columns named like the filters' fields.
    filters : list of dict or None
        ``{"field": name, "op": "=" | "<" | ">" | "<=" | ">=" | "between" | "in" | "is",
        "value": v}``; None or ``[]`` keeps every row.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"area": ["VISp", "VISl"], "p_ns": [0.01, 0.2]})
    >>> dataframe_query(t, [{"field": "p_ns", "op": "<", "value": 0.05}]).area.tolist()
    ['VISp']
    """
    if not filters:
        return table
    for spec in filters:
        check_choice("cell field", spec["field"], list(table.columns))
    return table.query(query_string(filters))
