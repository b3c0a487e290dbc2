"""Series labels as Korean papers print them: "[반도체 공급망①]"."""

# ① (U+2460) to ⑳ (U+2473); past twenty, plain numbers.
CIRCLED_FIRST = 0x2460
CIRCLED_LAST = 20


def ordinal_mark(number: int) -> str:
    if 1 <= number <= CIRCLED_LAST:
        return chr(CIRCLED_FIRST + number - 1)
    return str(number)


def series_label(name: str, ordinal: int | None) -> str:
    return f"[{name}{ordinal_mark(ordinal) if ordinal else ''}]"
