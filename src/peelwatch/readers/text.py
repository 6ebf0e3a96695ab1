"""Plain text: decode, normalise line ends, and find paragraphs, headings, list items and tab rows.

The text is kept exactly as the file shows it apart from line ends and a byte-order mark, so the
blocks here are spans over the file's own lines rather than rebuilt text.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from peelwatch.readers._builder import UNSHOWN
from peelwatch.readers.detect import utf16_without_bom
from peelwatch.readers.model import Block, Document, SourceSegment

_BOMS: tuple[tuple[bytes, str, str], ...] = (
    # (BOM, codec used to decode, codec that re-encodes a line to count its bytes)
    (codecs.BOM_UTF8, "utf-8", "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
)

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")

# Bullets and numbering people type at the start of a list line: "- ", "• ", "1. ", "a) ", "(iv) ".
_LIST_MARKER = re.compile(
    r"[ \t]*(?:[-–•*·▪◦●○■□➢✓]|\(?\d{1,3}[.)]|\(?[a-z][.)]|\(?(?:i|ii|iii|iv|v|vi|vii|viii|ix|x)[.)])[ \t]+\S"
)
_HEADING_NUMBER = re.compile(r"(\d+(?:\.\d+)*)\.?\s")
_NO_HEADING_END = (".", ",", ";", ":")


@dataclass(frozen=True, slots=True)
class Decoded:
    """Text decoded from bytes, with what is needed to map characters back to byte offsets."""

    text: str
    codec: str
    bom_length: int
    warning: str | None = None


def decode_bytes(data: bytes) -> Decoded:
    """Decode text bytes: a BOM wins, then UTF-8, then the most plausible legacy encoding.

    Text that is UTF-8 apart from a few bad bytes (a file cut mid-character, one pasted cp1252
    quote) stays UTF-8 with those bytes replaced: reading all of it as cp1252 would garble every
    other accented letter and curly quote.
    """
    for bom, codec, encoder in _BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            try:
                return Decoded(body.decode(codec), encoder, len(bom))
            except UnicodeDecodeError:
                text = body.decode(codec, errors="replace")
                return Decoded(text, encoder, len(bom), _replaced(codec, text))
    try:
        return Decoded(data.decode("utf-8"), "utf-8", 0)
    except UnicodeDecodeError:
        pass
    bomless = utf16_without_bom(data[:4096])
    if bomless:
        text = data.decode(bomless, errors="replace")
        return Decoded(text, bomless, 0, _replaced("UTF-16", text) if "\ufffd" in text else None)
    lenient = mostly_utf8(data)
    if lenient is not None:
        return Decoded(lenient, "utf-8", 0, _replaced("UTF-8", lenient))
    codec = guess_legacy_encoding(data)
    return Decoded(data.decode(codec), codec, 0, f"not valid UTF-8; decoded as {codec}")


def mostly_utf8(data: bytes) -> str | None:
    """``data`` decoded as UTF-8 with bad bytes replaced, if it is UTF-8 but for a few of them.

    "A few" is at most one bad byte per ten well-formed non-ASCII characters (and at least one
    such character): text in a legacy encoding has almost none.
    """
    lenient = data.decode("utf-8", errors="replace")
    bad = lenient.count("\ufffd")
    good = len(lenient) - len(lenient.encode("ascii", "ignore")) - bad  # other non-ASCII
    return lenient if good > 0 and bad <= max(1, good // 10) else None


def _replaced(codec: str, text: str) -> str:
    count = text.count("\ufffd")
    return f"not valid {codec}; {count} character{'s' if count != 1 else ''} replaced"


def guess_legacy_encoding(data: bytes) -> str:
    """Pick a single-byte encoding for text that is not UTF-8.

    charset-normalizer often cannot tell cp1252 from cp1250 on short English text (both put curly
    quotes and £ at the same bytes); documents here are English, so cp1252 wins every tie.
    """
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data[:200_000]))
    if matches:
        best = min(match.chaos for match in matches)
        tied = [m.encoding for m in matches if m.chaos <= best + 0.01]
        if "cp1252" in tied and _decodes(data, "cp1252"):
            return "cp1252"
        if _decodes(data, tied[0]):
            return tied[0]
    # cp1252 leaves five bytes undefined; latin-1 decodes anything.
    return "cp1252" if _decodes(data, "cp1252") else "latin-1"


def _decodes(data: bytes, codec: str) -> bool:
    try:
        data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def normalise(decoded: Decoded) -> tuple[str, list[SourceSegment]]:
    """Turn ``\\r\\n`` and ``\\r`` into ``\\n``; return the text and a segment per non-empty line.

    Characters no document shows (stray control bytes, private-use code points) are dropped and
    form feeds become line breaks; everything else is kept as it is. Each segment's locator is
    the byte offset of the line in the original file.
    """
    raw = decoded.text
    needs_cleaning = UNSHOWN.search(raw) is not None or "\f" in raw or "\v" in raw
    single_byte = decoded.codec in ("cp1252", "latin-1") or (decoded.codec == "utf-8" and raw.isascii())
    if single_byte and not needs_cleaning and "\r" not in raw and _only_newline_breaks(raw):
        return raw, _plain_segments(raw, decoded.bom_length)
    parts: list[str] = []
    segments: list[SourceSegment] = []
    pos = 0
    byte = decoded.bom_length
    # Walk the raw lines (with their own line ends) and the normalised lines side by side.
    for raw_line in raw.splitlines(keepends=True) if _only_newline_breaks(raw) else _raw_lines(raw):
        line = raw_line.rstrip("\r\n")
        ends = len(raw_line) > len(line)
        if needs_cleaning:
            line = UNSHOWN.sub("", line).replace("\f", "\n").replace("\v", "\n")
        if line and not line.isspace():
            segments.append(SourceSegment(pos, pos + len(line), f"byte:{byte}"))
        parts.append(line + "\n" if ends else line)
        pos += len(line) + ends
        byte += len(raw_line) if single_byte else len(raw_line.encode(decoded.codec, errors="replace"))
    return "".join(parts), segments


def _plain_segments(raw: str, bom_length: int) -> list[SourceSegment]:
    """The segments of text that normalising leaves as it is (one byte a character, ``\\n`` line
    ends only, nothing to drop): most text files, walked without rebuilding them line by line."""
    segments: list[SourceSegment] = []
    pos = 0
    for line in raw.split("\n"):
        if line and not line.isspace():
            segments.append(SourceSegment(pos, pos + len(line), f"byte:{bom_length + pos}"))
        pos += len(line) + 1
    return segments


def _only_newline_breaks(raw: str) -> bool:
    """True if str.splitlines would split ``raw`` only where a line really ends.

    splitlines also breaks at form feeds, vertical tabs and other separators that we keep as
    characters; only when none of them occurs is it safe (and much faster) to use it.
    """
    return not any(ch in raw for ch in "\v\f\x1c\x1d\x1e\x85\u2028\u2029")


def _raw_lines(raw: str) -> list[str]:
    return [m.group(0) for m in _LINE.finditer(raw) if m.group(0)]


def read_text(data: bytes, source: str | None = None) -> Document:
    """Read plain text bytes into a Document (blocks are spans of the file's own lines)."""
    decoded = decode_bytes(data)
    text, segments = normalise(decoded)
    warnings = [decoded.warning] if decoded.warning else []
    if not text.strip():
        warnings.append("no readable text")
    blocks = find_blocks(text)
    title = next((text[b.start : b.end] for b in blocks if b.kind == "heading"), None)
    return Document(
        text=text,
        format="text",
        blocks=blocks,
        source=source,
        title=title,
        segments=segments,
        warnings=warnings,
    )


# --- block detection -------------------------------------------------------------------------


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Narrow ``(start, end)`` so it neither starts nor ends with whitespace."""
    piece = text[start:end]
    stripped = piece.lstrip()
    if not stripped:
        return start, start
    start += len(piece) - len(stripped)
    return start, start + len(stripped.rstrip())


def _row_cells(text: str, start: int, end: int) -> tuple[tuple[int, int], ...] | None:
    """Cells of a tab-separated line (runs of tabs count as one separator), or None if not a row."""
    if "\t" not in text[start:end]:
        return None
    start, end = _strip_span(text, start, end)
    if "\t" not in text[start:end]:
        return None
    cells: list[tuple[int, int]] = []
    pos = start
    for piece in re.split(r"(\t+)", text[start:end]):
        if piece and not piece.startswith("\t"):
            cell = _strip_span(text, pos, pos + len(piece))
            if cell[0] < cell[1]:
                cells.append(cell)
        pos += len(piece)
    return tuple(cells) if len(cells) >= 2 else None


def _indent(line: str) -> int:
    leading = line[: len(line) - len(line.lstrip(" \t"))]
    return len(leading.expandtabs(4))


def _is_heading_line(line: str) -> bool:
    """A short line that reads like a title: starts with a capital or a number, no sentence end."""
    stripped = line.strip()
    if not stripped or len(stripped) > 100 or len(stripped.split()) > 14:
        return False
    if stripped.endswith(_NO_HEADING_END) or "\t" in stripped or _LIST_MARKER.match(line):
        return False
    first = stripped[0]
    return (first.isupper() or first.isdigit()) and any(map(str.isalpha, stripped))


def _heading_level(line: str) -> int:
    number = _HEADING_NUMBER.match(line.strip())
    if number:
        return min(number.group(1).count(".") + 1, 6)
    return 1 if line.strip().isupper() else 2


def _groups(text: str) -> list[list[tuple[int, int]]]:
    """Runs of consecutive non-blank lines."""
    groups: list[list[tuple[int, int]]] = []
    current: list[tuple[int, int]] = []
    start = 0
    for line in text.split("\n"):
        end = start + len(line)
        if line and not line.isspace():
            current.append((start, end))
        elif current:
            groups.append(current)
            current = []
        start = end + 1
    if current:
        groups.append(current)
    return groups


def find_blocks(text: str) -> list[Block]:
    """Split plain text into headings, paragraphs, list items and table rows (a modest heuristic)."""
    blocks: list[Block] = []
    for group in _groups(text):
        blocks.extend(_group_blocks(text, group))
    return blocks


def _group_blocks(text: str, group: list[tuple[int, int]]) -> list[Block]:
    lines = [text[s:e] for s, e in group]
    if len(group) == 1 and _is_heading_line(lines[0]):
        start, end = _strip_span(text, *group[0])
        return [Block("heading", start, end, level=_heading_level(lines[0]))]
    if len(group) == 1 and "\t" not in lines[0] and not _LIST_MARKER.match(lines[0]):
        return [Block("paragraph", *_strip_span(text, *group[0]))]  # (what the walk below makes of it)
    blocks: list[Block] = []
    first = 0
    if _leads_group(lines):
        start, end = _strip_span(text, *group[0])
        blocks.append(Block("heading", start, end, level=_heading_level(lines[0])))
        first = 1
    # The block being grown: kind, start, end, level.
    open_kind: str | None = None
    open_start = open_end = open_level = 0
    indents: list[int] = []

    def close() -> None:
        nonlocal open_kind
        if open_kind is not None:
            start, end = _strip_span(text, open_start, open_end)
            blocks.append(Block(open_kind, start, end, level=open_level))  # type: ignore[arg-type]
        open_kind = None

    for (start, end), line in zip(group[first:], lines[first:], strict=True):
        # A tab inside a running paragraph is just a tab; a tab line on its own starts a row.
        cells = _row_cells(text, start, end) if open_kind != "paragraph" else None
        if cells is not None:
            close()
            row_start, row_end = cells[0][0], cells[-1][1]
            blocks.append(Block("table_row", row_start, row_end, cells=cells))
            continue
        if _LIST_MARKER.match(line):
            close()
            indent = _indent(line)
            while indents and indents[-1] > indent:
                indents.pop()
            if not indents or indents[-1] < indent:
                indents.append(indent)
            # The block is the item's words; the bullet or number is layout, not content.
            marker = _LIST_MARKER.match(line)
            item_start = start + (marker.end() - 1 if marker else 0)
            open_kind, open_start, open_end, open_level = "list_item", item_start, end, len(indents)
            continue
        if open_kind == "list_item" and _continues_item(text[open_start:open_end], line):
            open_end = end
            continue
        if open_kind == "paragraph":
            open_end = end
            continue
        close()
        indents = []
        open_kind, open_start, open_end, open_level = "paragraph", start, end, 0
    close()
    return blocks


def _leads_group(lines: list[str]) -> bool:
    """Is the first line of a multi-line group a heading directly above its text?"""
    if len(lines) < 2 or not _is_heading_line(lines[0]) or len(lines[0].strip()) > 60:
        return False
    nxt = lines[1]
    if _LIST_MARKER.match(nxt) or "\t" in nxt.strip():
        return True
    # A wrapped paragraph's first line is about as long as the rest; a heading is much shorter.
    longest = max(len(line.strip()) for line in lines[1:])
    return len(lines[0].strip()) < 0.6 * longest and nxt.strip()[0].isupper()


def _continues_item(item: str, line: str) -> bool:
    """A line without a marker continues the list item above it if it is indented or mid-sentence."""
    if line[:1] in " \t":
        return True
    stripped = line.strip()
    return stripped[0].islower() or not item.rstrip().endswith((".", "!", "?", ":", ";"))
