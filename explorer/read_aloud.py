"""Numbers in Korean text as a presenter reads them aloud: 1,200만, 6만 4천, 104만 8,576.

Korean counts in groups of four digits (만 = 10^4, 억 = 10^8), so "12,000,000" is read 천이백만 and
written 1,200만. A template asks for it with the format spec 만: "{count:만}개" (explorer/i18n.py).
"""

from __future__ import annotations

UNITS = ((10**8, "억"), (10**4, "만"))


def _below_man(n: int) -> str:
    """0 < n < 10,000 (the rest, or a count of 만 or 억): whole thousands as 천 (4천, 1천만), else
    with a comma (8,576, 2,500만)."""
    return f"{n // 1000}천" if n >= 1000 and n % 1000 == 0 else f"{n:,}"


def korean_number(value: float) -> str:
    """An integer written in 만 and 억 groups (numbers under 10,000, and fractions, as they are)."""
    if value != int(value) or abs(value) < 10**4:
        return f"{value:,}"
    n, parts = abs(int(value)), []
    for size, unit in UNITS:
        if n >= size:
            parts.append(f"{_below_man(n // size)}{unit}")
            n %= size
    if n:
        parts.append(_below_man(n))
    return ("-" if value < 0 else "") + " ".join(parts)
