"""Just enough of the Parquet footer, read and written without any Parquet library.

The interop suite needs three things pyarrow does not expose:

* the raw 12 bytes of INT96 values (pyarrow converts them to 64-bit nanoseconds, which
  overflows for Spark's far-future timestamps) -- obtained by patching the footer so that
  INT96 columns read as FIXED_LEN_BYTE_ARRAY(12), whose PLAIN encoding is the same bytes;
* the page headers of each column chunk (page types v1/v2/dictionary, their count and
  encodings), to check what `floe rewrite` wrote independently of `floe inspect`;
* nothing else: this is a test helper, not a reader.

The Thrift compact protocol is decoded into a generic tree: a struct is a list of
`Field(fid, ctype, value)`, a list is `TList(elem_type, values)`, a map is
`TMap(ktype, vtype, pairs)`.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import Any

# Compact protocol type ids.
T_STOP, T_TRUE, T_FALSE, T_BYTE, T_I16, T_I32, T_I64, T_DOUBLE, T_BINARY, T_LIST, T_SET, T_MAP, T_STRUCT = range(13)

MAX_DEPTH = 64


class ThriftError(ValueError):
    pass


@dataclass
class Field:
    fid: int
    ctype: int
    value: Any


@dataclass
class TList:
    etype: int
    values: list = field(default_factory=list)


@dataclass
class TMap:
    ktype: int
    vtype: int
    pairs: list = field(default_factory=list)


class _Reader:
    def __init__(self, buf: bytes, pos: int = 0):
        self.buf = buf
        self.pos = pos

    def byte(self) -> int:
        if self.pos >= len(self.buf):
            raise ThriftError(f"unexpected end of thrift data at {self.pos}")
        b = self.buf[self.pos]
        self.pos += 1
        return b

    def varint(self) -> int:
        shift = 0
        out = 0
        while True:
            b = self.byte()
            out |= (b & 0x7F) << shift
            if b < 0x80:
                return out
            shift += 7
            if shift > 70:
                raise ThriftError(f"varint too long at {self.pos}")

    def zigzag(self) -> int:
        v = self.varint()
        return (v >> 1) ^ -(v & 1)

    def raw(self, n: int) -> bytes:
        if n < 0 or self.pos + n > len(self.buf):
            raise ThriftError(f"length {n} at {self.pos} runs past the end")
        out = self.buf[self.pos:self.pos + n]
        self.pos += n
        return bytes(out)

    def value(self, ctype: int, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise ThriftError("thrift nesting too deep")
        if ctype in (T_TRUE, T_FALSE):  # inside a container: one byte
            return self.byte() == T_TRUE
        if ctype == T_BYTE:
            b = self.byte()
            return b - 256 if b > 127 else b
        if ctype in (T_I16, T_I32, T_I64):
            return self.zigzag()
        if ctype == T_DOUBLE:
            return struct.unpack("<d", self.raw(8))[0]
        if ctype == T_BINARY:
            return self.raw(self.varint())
        if ctype in (T_LIST, T_SET):
            head = self.byte()
            size = head >> 4
            etype = head & 0x0F
            if size == 15:
                size = self.varint()
            return TList(etype, [self.value(etype, depth + 1) for _ in range(size)])
        if ctype == T_MAP:
            size = self.varint()
            if size == 0:
                return TMap(0, 0, [])
            kv = self.byte()
            kt, vt = kv >> 4, kv & 0x0F
            return TMap(kt, vt, [(self.value(kt, depth + 1), self.value(vt, depth + 1)) for _ in range(size)])
        if ctype == T_STRUCT:
            return self.struct(depth + 1)
        raise ThriftError(f"unknown compact type {ctype} at {self.pos}")

    def struct(self, depth: int = 0) -> list[Field]:
        fields: list[Field] = []
        last = 0
        while True:
            head = self.byte()
            if head == T_STOP:
                return fields
            delta, ctype = head >> 4, head & 0x0F
            fid = last + delta if delta else self.zigzag()
            last = fid
            if ctype in (T_TRUE, T_FALSE):
                fields.append(Field(fid, ctype, ctype == T_TRUE))
            else:
                fields.append(Field(fid, ctype, self.value(ctype, depth)))


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        if n < 0x80:
            out.append(n)
            return bytes(out)
        out.append((n & 0x7F) | 0x80)
        n >>= 7


def _zigzag(n: int) -> bytes:
    return _varint((n << 1) ^ (n >> 63))


def _encode_value(ctype: int, v: Any) -> bytes:
    if ctype in (T_TRUE, T_FALSE):
        return bytes([T_TRUE if v else T_FALSE])
    if ctype == T_BYTE:
        return bytes([v & 0xFF])
    if ctype in (T_I16, T_I32, T_I64):
        return _zigzag(v)
    if ctype == T_DOUBLE:
        return struct.pack("<d", v)
    if ctype == T_BINARY:
        return _varint(len(v)) + bytes(v)
    if ctype in (T_LIST, T_SET):
        n = len(v.values)
        head = bytes([(n << 4) | v.etype]) if n < 15 else bytes([0xF0 | v.etype]) + _varint(n)
        return head + b"".join(_encode_value(v.etype, x) for x in v.values)
    if ctype == T_MAP:
        if not v.pairs:
            return b"\x00"
        body = b"".join(_encode_value(v.ktype, k) + _encode_value(v.vtype, x) for k, x in v.pairs)
        return _varint(len(v.pairs)) + bytes([(v.ktype << 4) | v.vtype]) + body
    if ctype == T_STRUCT:
        return encode_struct(v)
    raise ThriftError(f"cannot encode compact type {ctype}")


def encode_struct(fields: list[Field]) -> bytes:
    out = bytearray()
    last = 0
    for f in sorted(fields, key=lambda f: f.fid):
        ctype = f.ctype
        if ctype in (T_TRUE, T_FALSE):
            ctype = T_TRUE if f.value else T_FALSE
        delta = f.fid - last
        if 0 < delta <= 15:
            out.append((delta << 4) | ctype)
        else:
            out.append(ctype)
            out += _zigzag(f.fid)
        last = f.fid
        if ctype not in (T_TRUE, T_FALSE):
            out += _encode_value(ctype, f.value)
    out.append(T_STOP)
    return bytes(out)


def decode_struct(buf: bytes, pos: int = 0) -> tuple[list[Field], int]:
    r = _Reader(buf, pos)
    fields = r.struct()
    return fields, r.pos


def get(fields: list[Field], fid: int, default: Any = None) -> Any:
    for f in fields:
        if f.fid == fid:
            return f.value
    return default


def put(fields: list[Field], fid: int, ctype: int, value: Any) -> None:
    for f in fields:
        if f.fid == fid:
            f.ctype, f.value = ctype, value
            return
    fields.append(Field(fid, ctype, value))


def drop(fields: list[Field], fid: int) -> None:
    fields[:] = [f for f in fields if f.fid != fid]


# --- footer -------------------------------------------------------------------------------

MAGIC = b"PAR1"
INT96, FIXED_LEN_BYTE_ARRAY = 3, 7


def split_footer(data: bytes) -> tuple[int, bytes]:
    """Returns (offset of the footer, footer bytes) of a whole Parquet file."""
    if len(data) < 12 or data[:4] != MAGIC or data[-4:] != MAGIC:
        raise ThriftError("not a Parquet file (magic)")
    n = struct.unpack("<I", data[-8:-4])[0]
    start = len(data) - 8 - n
    if start < 4:
        raise ThriftError("footer length out of range")
    return start, data[start:len(data) - 8]


def file_metadata(data: bytes) -> list[Field]:
    _, footer = split_footer(data)
    fields, _ = decode_struct(footer)
    return fields


def num_rows(path: str) -> int:
    """FileMetaData.num_rows, for files whose schema pyarrow refuses."""
    with open(path, "rb") as fh:
        return get(file_metadata(fh.read()), 3)


def has_int96(data: bytes) -> bool:
    schema = get(file_metadata(data), 2)
    return any(get(el, 1) == INT96 for el in schema.values)


def int96_as_fixed(data: bytes) -> bytes:
    """The same file with every INT96 column declared FIXED_LEN_BYTE_ARRAY(12).

    Data pages are untouched: PLAIN INT96 and PLAIN FLBA(12) are the same 12 bytes per value,
    and dictionaries of either are PLAIN. Statistics of the patched columns and the stored
    Arrow schema (which would name a timestamp type) are dropped.
    """
    start, footer = split_footer(data)
    meta, _ = decode_struct(footer)
    for el in get(meta, 2).values:
        if get(el, 1) == INT96:
            put(el, 1, T_I32, FIXED_LEN_BYTE_ARRAY)
            put(el, 2, T_I32, 12)
    for rg in get(meta, 4).values:
        for cc in get(rg, 1).values:
            md = get(cc, 3)
            if md is not None and get(md, 1) == INT96:
                put(md, 1, T_I32, FIXED_LEN_BYTE_ARRAY)
                drop(md, 12)  # statistics
                drop(md, 16)  # size statistics
                for fid in (4, 5, 6, 7):  # page index offsets
                    drop(cc, fid)
    kv = get(meta, 5)
    if kv is not None:
        kv.values = [e for e in kv.values if get(e, 1) != b"ARROW:schema"]
    new_footer = encode_struct(meta)
    return data[:start] + new_footer + struct.pack("<I", len(new_footer)) + MAGIC


# --- page headers -------------------------------------------------------------------------

PAGE_TYPES = {0: "DATA_PAGE", 1: "INDEX_PAGE", 2: "DICTIONARY_PAGE", 3: "DATA_PAGE_V2"}
ENCODINGS = {
    0: "PLAIN", 2: "PLAIN_DICTIONARY", 3: "RLE", 4: "BIT_PACKED", 5: "DELTA_BINARY_PACKED",
    6: "DELTA_LENGTH_BYTE_ARRAY", 7: "DELTA_BYTE_ARRAY", 8: "RLE_DICTIONARY", 9: "BYTE_STREAM_SPLIT",
}


CODECS = {0: "UNCOMPRESSED", 1: "SNAPPY", 2: "GZIP", 3: "LZO", 4: "BROTLI", 5: "LZ4", 6: "ZSTD", 7: "LZ4_RAW"}


def column_codecs(path: str) -> list[list[str]]:
    """codec[row_group][column] as the footer names it (pyarrow reports LZ4_RAW as "LZ4" and
    the Hadoop-framed LZ4 as "UNKNOWN", so this reads the footer itself)."""
    with open(path, "rb") as fh:
        meta = file_metadata(fh.read())
    return [[CODECS.get(get(get(cc, 3), 4), f"UNKNOWN({get(get(cc, 3), 4)})") for cc in get(rg, 1).values]
            for rg in get(meta, 4).values]


@dataclass
class Page:
    type: str
    num_values: int
    encoding: str
    compressed_size: int
    uncompressed_size: int
    has_crc: bool


def scan_pages(data: bytes, start: int, total_compressed_size: int) -> list[Page]:
    """The page headers of one column chunk (`start` = its first page, dictionary or data)."""
    pages: list[Page] = []
    pos = start
    end = start + total_compressed_size
    if end > len(data):
        raise ThriftError(f"column chunk {start}+{total_compressed_size} runs past the end")
    while pos < end:
        hdr, body = decode_struct(data, pos)
        ptype = PAGE_TYPES.get(get(hdr, 1), f"UNKNOWN({get(hdr, 1)})")
        csize = get(hdr, 3)
        sub = get(hdr, 5) or get(hdr, 7) or get(hdr, 8) or []
        enc_id = get(sub, 4) if ptype == "DATA_PAGE_V2" else get(sub, 2)
        pages.append(Page(ptype, get(sub, 1, 0), ENCODINGS.get(enc_id, f"UNKNOWN({enc_id})"),
                          csize, get(hdr, 2), get(hdr, 4) is not None))
        if csize is None or csize < 0:
            raise ThriftError(f"page at {pos} has no valid compressed size")
        pos = body + csize
    return pages


def column_chunk_pages(path: str) -> list[list[list[Page]]]:
    """pages[row_group][column] for a whole file, located through the footer."""
    with open(path, "rb") as fh:
        data = fh.read()
    meta = file_metadata(data)
    out = []
    for rg in get(meta, 4).values:
        cols = []
        for cc in get(rg, 1).values:
            md = get(cc, 3)
            dict_off = get(md, 11)
            data_off = get(md, 9)
            # Writers disagree on "absent": a dictionary offset of 0, or a data offset of 0
            # in front of a dictionary page. The chunk starts at its first real page.
            start = min((o for o in (dict_off, data_off) if o is not None and o > 0), default=4)
            cols.append(scan_pages(data, start, get(md, 7)))
        out.append(cols)
    return out
