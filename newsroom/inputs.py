"""Numbers typed into addresses and forms by anyone: ids, page numbers, versions. One rule
for every app, so that no absurd value (4,301 digits, a number past the database's range,
"١٢" in Arabic-Indic digits) reaches int() or a query and becomes a server error."""

# Within a signed 32-bit column: ids, versions and page numbers all fit below it.
LARGEST = 2**31 - 1


def number(value, default: int | None = None, *, largest: int = LARGEST) -> int | None:
    """A whole number from 0 to `largest` written in ASCII digits, else `default`."""
    if not isinstance(value, str) or not value.isascii() or not value.isdigit():
        return default
    if len(value) > len(str(largest)) or int(value) > largest:
        return default
    return int(value)
