"""Plain data across the clean-room wall: answers and call results as JSON, never pickle.

The student's process and the judge exchange only what this module encodes: ``None``, bools,
numbers, strings, bytes, lists, tuples, sets, dicts, ranges, numpy arrays and scalars, pandas
tables, series, indexes and timestamps, and the kit's own dataclasses (``socialkit.models`` /
``socialkit.data``: a chapter's ``State``, ``Market``, ...). Everything else crosses as an
*opaque* placeholder that only knows its type's name, so no object of the student's can run
code on the judge's side: its comparisons, ``astype``, ``__float__`` or ``__eq__`` never reach
the judge. Functions cross as references the judge can call back through the worker.

Encoded values are JSON: natives stay natives; every other value is an object with a ``"$"``
tag. Arrays keep their exact dtype and bytes (base64, little-endian), so NaN, infinities and
integer types survive the trip. :func:`loads` refuses a message that is too large or nested too
deeply (``MAX_BYTES``, ``MAX_DEPTH``), or that is malformed in any way, with :class:`PlainError`;
nothing a student's process sends can raise anything else.
"""
from __future__ import annotations

import base64
import dataclasses
import datetime as _dt
import importlib
import json
import math
import re
import sys

import numpy as np
import pandas as pd

__all__ = ["PlainError", "Opaque", "opaque", "encode", "decode", "dumps", "loads", "MAX_DEPTH",
           "MAX_BYTES", "KIT_PREFIXES", "resolve_kit"]

#: deepest nesting of containers accepted (either way)
MAX_DEPTH = 48
#: largest encoded message accepted, in bytes
MAX_BYTES = 256 << 20
#: modules whose dataclasses and functions may be rebuilt from their names on the other side
KIT_PREFIXES = ("socialkit.models.", "socialkit.data.")
_NUMERIC_KINDS = set("biufcmM")
_DTYPE = re.compile(r"^[<>|=]?[biufcmM]\d{1,2}(\[[a-zA-Z]{1,3}\])?$")
_EXTENSION_DTYPES = {"Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16", "UInt32", "UInt64",
                     "Float32", "Float64", "boolean"}


class PlainError(ValueError):
    """A value that cannot be encoded, or a message that is not valid plain data."""


class Opaque:
    """Stands in for an object that cannot cross as plain data: it only knows its type's name.

    Not callable, not a number, equal only to itself. Its class is named like the original type,
    so a friendly check says "it is a Widget" as it would for the real object.
    """

    __slots__ = ("reason",)

    def __init__(self, reason: str = ""):
        self.reason = reason

    def __repr__(self) -> str:
        return f"<{type(self).__name__} object>"


_OPAQUE_TYPES: dict[str, type] = {}


def opaque(type_name: str, reason: str = "") -> Opaque:
    """An :class:`Opaque` whose class is called ``type_name`` (cleaned to an identifier)."""
    name = re.sub(r"\W", "_", str(type_name))[:60] or "object"
    if name[0].isdigit():
        name = "_" + name
    cls = _OPAQUE_TYPES.get(name)
    if cls is None:
        cls = _OPAQUE_TYPES[name] = type(name, (Opaque,), {"__slots__": ()})
    return cls(str(reason)[:200])


# --- encoding ----------------------------------------------------------------------------------
def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text) -> bytes:
    if not isinstance(text, str):
        raise PlainError("array data is not text")
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError):
        raise PlainError("array data is not base64") from None


def _little(a: np.ndarray) -> np.ndarray:
    if a.dtype.byteorder == ">":
        a = a.astype(a.dtype.newbyteorder("<"))
    return np.ascontiguousarray(a)


def _encode_array(a: np.ndarray, enc, depth: int) -> dict:
    a = np.asarray(a)
    out: dict = {"$": "nd", "shape": list(a.shape)}
    if not a.flags.writeable:
        out["ro"] = True
    kind = a.dtype.kind
    if kind in _NUMERIC_KINDS:
        a = _little(a)
        out.update(dtype=a.dtype.str, data=_b64(a.tobytes(order="C")))
    elif kind == "U":
        out.update(dtype="U", items=[str(x) for x in a.ravel().tolist()])
    elif kind == "S":
        out.update(dtype="S", items=[_b64(bytes(x)) for x in a.ravel().tolist()])
    elif kind == "O":
        out.update(dtype="O", items=[enc(x, depth + 1) for x in a.ravel()])
    else:
        return {"$": "opaque", "type": "ndarray", "reason": f"an array of {a.dtype}"}
    return out


def _na_value_name(dtype) -> str:
    na = getattr(dtype, "na_value", None)
    return "nan" if isinstance(na, float) and math.isnan(na) else "NA"


def _encode_column(values, enc, depth: int) -> dict:
    """The values of a Series or Index (numpy-backed or a pandas extension type)."""
    dtype = values.dtype
    if isinstance(dtype, np.dtype):
        return _encode_array(values.to_numpy(copy=False), enc, depth)
    if isinstance(dtype, pd.CategoricalDtype):
        cat = pd.Categorical(values)
        return {"$": "cat", "codes": _encode_array(cat.codes, enc, depth),
                "categories": _encode_index(cat.categories, enc, depth + 1), "ordered": bool(cat.ordered)}
    if isinstance(dtype, pd.DatetimeTZDtype):
        utc = pd.DatetimeIndex(values).tz_convert("UTC").tz_localize(None)
        return {"$": "dtz", "tz": str(dtype.tz), "values": _encode_array(utc.to_numpy(), enc, depth)}
    items = [None if _is_na(x) else enc(x, depth + 1) for x in values.to_numpy(dtype=object)]
    if isinstance(dtype, pd.StringDtype):
        return {"$": "strs", "storage": str(dtype.storage), "na": _na_value_name(dtype), "items": items}
    if str(dtype) in _EXTENSION_DTYPES:
        return {"$": "ext", "dtype": str(dtype), "items": items}
    return {"$": "nd", "shape": [len(items)], "dtype": "O", "items": items}


def _is_na(x) -> bool:
    try:
        return x is None or x is pd.NA or x is pd.NaT or (isinstance(x, float) and math.isnan(x))
    except Exception:  # noqa: BLE001
        return False


def _encode_index(index, enc, depth: int) -> dict:
    if depth > MAX_DEPTH:
        raise PlainError(f"nested more than {MAX_DEPTH} levels deep")
    name = enc(index.name, depth + 1) if not isinstance(index, pd.MultiIndex) else None
    if type(index) is pd.RangeIndex:
        return {"$": "range_index", "start": int(index.start), "stop": int(index.stop),
                "step": int(index.step), "name": name}
    if isinstance(index, pd.MultiIndex):
        return {"$": "multi_index", "names": [enc(n, depth + 1) for n in index.names],
                "tuples": [enc(tuple(t), depth + 1) for t in index.tolist()]}
    return {"$": "index", "values": _encode_column(index, enc, depth + 1), "name": name}


def _function_default(value, depth):
    return {"$": "opaque", "type": type(value).__name__, "reason": "a function"}


def encode(value, functions=None, depth: int = 0):
    """``value`` as JSON-ready plain data (see the module docstring).

    ``functions(value)`` is asked for every callable that is not a kit function and returns its
    encoding (or ``None`` for an opaque placeholder). Raises :class:`PlainError` only for a
    value nested deeper than ``MAX_DEPTH``.
    """
    def enc(v, d):
        return encode(v, functions, d)

    if depth > MAX_DEPTH:
        raise PlainError(f"nested more than {MAX_DEPTH} levels deep")
    t = type(value)
    if value is None or t is bool or t is str:
        return value
    if t is int:
        if abs(value).bit_length() < 1000:
            return value
        if abs(value).bit_length() > 4000:
            return {"$": "opaque", "type": "int", "reason": "an integer with more than 4000 bits"}
        return {"$": "bigint", "text": hex(value)}
    if t is float:
        return value
    if value is Ellipsis:
        return {"$": "ellipsis"}
    if t is list:
        return [enc(v, depth + 1) for v in value]
    if t is tuple:
        return {"$": "tuple", "items": [enc(v, depth + 1) for v in value]}
    if t is dict:
        return {"$": "dict", "items": [[enc(k, depth + 1), enc(v, depth + 1)] for k, v in value.items()]}
    # subclasses of the built-in types: their plain value, never their own methods
    if isinstance(value, bool):
        return bool.__bool__(value)
    if isinstance(value, int) and not isinstance(value, np.generic):
        return enc(int.__add__(value, 0), depth)
    if isinstance(value, float) and not isinstance(value, np.generic):
        return float.__add__(value, 0.0)
    if isinstance(value, str) and not isinstance(value, np.generic):
        return str.__str__(value)
    if t is complex:
        return {"$": "complex", "re": value.real, "im": value.imag}
    if t in (bytes, bytearray):
        return {"$": "bytes", "data": _b64(bytes(value))}
    if t in (set, frozenset):
        return {"$": "frozenset" if t is frozenset else "set", "items": [enc(v, depth + 1) for v in value]}
    if t is range:
        return {"$": "range", "start": value.start, "stop": value.stop, "step": value.step}
    if isinstance(value, np.ndarray):
        return _encode_array(value, enc, depth)
    if isinstance(value, np.generic):
        if value.dtype.kind in _NUMERIC_KINDS:
            return {"$": "npscalar", "value": _encode_array(np.asarray(value).reshape(1), enc, depth)}
        if isinstance(value, np.str_):
            return str(value)
        return {"$": "opaque", "type": type(value).__name__}
    if isinstance(value, pd.DataFrame):
        return {"$": "frame", "index": _encode_index(value.index, enc, depth + 1),
                "columns": _encode_index(value.columns, enc, depth + 1),
                "data": [_encode_column(value.iloc[:, i], enc, depth + 1) for i in range(value.shape[1])]}
    if isinstance(value, pd.Series):
        return {"$": "series", "index": _encode_index(value.index, enc, depth + 1),
                "values": _encode_column(value, enc, depth + 1), "name": enc(value.name, depth + 1)}
    if isinstance(value, pd.Index):
        return _encode_index(value, enc, depth)
    if isinstance(value, pd.Timestamp):
        return {"$": "timestamp", "ns": int(value.value), "tz": None if value.tz is None else str(value.tz)}
    if isinstance(value, pd.Timedelta):
        return {"$": "timedelta", "ns": int(value.value)}
    if value is pd.NA:
        return {"$": "na"}
    if value is pd.NaT:
        return {"$": "nat"}
    if t is _dt.datetime or t is _dt.date:
        return {"$": t.__name__, "iso": value.isoformat()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type) and t.__module__.startswith(KIT_PREFIXES):
        fields = {f.name: enc(getattr(value, f.name), depth + 1)
                  for f in dataclasses.fields(value) if f.init}
        return {"$": "dataclass", "cls": f"{t.__module__}:{t.__qualname__}", "fields": fields}
    if callable(value):
        module = getattr(value, "__module__", None) or ""
        qualname = getattr(value, "__qualname__", None) or ""
        if (isinstance(module, str) and module.startswith(KIT_PREFIXES) and isinstance(qualname, str)
                and resolve_kit(module, qualname) is value):
            return {"$": "kitfn", "module": module, "qualname": qualname}
        if functions is not None:
            found = functions(value)
            if found is not None:
                return found
        return _function_default(value, depth)
    return {"$": "opaque", "type": t.__name__}


def resolve_kit(module: str, qualname: str):
    """The kit's own public object ``module.qualname`` (a class or function of ``socialkit``),
    imported if need be, or ``None`` if it is not one (never a private name)."""
    if not module.startswith(KIT_PREFIXES) or not re.fullmatch(r"[\w.]+", module + "." + qualname):
        return None
    mod = sys.modules.get(module)
    if mod is None:
        try:
            mod = importlib.import_module(module)
        except Exception:  # noqa: BLE001
            return None
    obj = mod
    for part in qualname.split("."):
        if part.startswith("_") and part != "__init__":
            return None
        obj = getattr(obj, part, None)
    return obj


# --- decoding ----------------------------------------------------------------------------------
def _need(node: dict, key: str, kind):
    if key not in node or not isinstance(node[key], kind) or isinstance(node[key], bool) and kind is not bool:
        raise PlainError(f"malformed {node.get('$')!r}: {key!r}")
    return node[key]


def _decode_array(node: dict, dec, depth: int) -> np.ndarray:
    shape = _need(node, "shape", list)
    if len(shape) > 32 or not all(type(n) is int and n >= 0 for n in shape):
        raise PlainError("malformed array shape")
    size = math.prod(shape)
    dtype = _need(node, "dtype", str)
    if dtype in ("U", "O", "S"):
        items = _need(node, "items", list)
        if len(items) != size:
            raise PlainError("array items do not match its shape")
        if dtype == "U":
            if not all(type(x) is str for x in items):
                raise PlainError("malformed text array")
            a = np.array(items, dtype=str) if items else np.array([], dtype=str)
        elif dtype == "S":
            a = np.array([_unb64(x) for x in items], dtype=bytes) if items else np.array([], dtype=bytes)
        else:
            a = np.empty(size, dtype=object)
            for i, x in enumerate(items):
                a[i] = dec(x, depth + 1)
        a = a.reshape(shape)
    else:
        if not _DTYPE.match(dtype):
            raise PlainError(f"unsupported dtype {dtype[:20]!r}")
        try:
            dt = np.dtype(dtype)
        except TypeError:
            raise PlainError(f"unsupported dtype {dtype[:20]!r}") from None
        if dt.kind not in _NUMERIC_KINDS or dt.hasobject:
            raise PlainError(f"unsupported dtype {dtype[:20]!r}")
        data = _unb64(node.get("data"))
        if len(data) != size * dt.itemsize:
            raise PlainError("array data does not match its shape")
        a = np.frombuffer(data, dtype=dt).reshape(shape).copy()
        if dt.byteorder not in ("=", "|") and dt.byteorder != ("<" if sys.byteorder == "little" else ">"):
            a = a.astype(dt.newbyteorder("="))
    if node.get("ro") is True:
        a.flags.writeable = False
    return a


def _decode_column(node, dec, depth: int):
    if not isinstance(node, dict):
        raise PlainError("malformed column")
    tag = node.get("$")
    if tag == "nd":
        return _decode_array(node, dec, depth)
    if tag == "cat":
        codes = _decode_array(_need(node, "codes", dict), dec, depth + 1)
        categories = _decode_index(_need(node, "categories", dict), dec, depth + 1)
        try:
            return pd.Categorical.from_codes(codes, categories=categories, ordered=bool(node.get("ordered")))
        except (ValueError, TypeError) as error:
            raise PlainError(f"malformed categorical: {error}") from None
    if tag == "dtz":
        values = _decode_array(_need(node, "values", dict), dec, depth + 1)
        try:
            return pd.DatetimeIndex(values).tz_localize("UTC").tz_convert(_need(node, "tz", str)).array
        except Exception as error:  # noqa: BLE001 - a bad time zone name
            raise PlainError(f"malformed time zone column: {error}") from None
    if tag in ("strs", "ext"):
        items = [None if x is None else dec(x, depth + 1) for x in _need(node, "items", list)]
        if tag == "strs":
            storage = _need(node, "storage", str)
            if storage not in ("python", "pyarrow"):
                raise PlainError("unsupported string storage")
            na = np.nan if node.get("na") == "nan" else pd.NA
            try:
                dtype = pd.StringDtype(storage=storage, na_value=na)
            except (ImportError, TypeError, ValueError):
                dtype = pd.StringDtype(na_value=na)
            if not all(x is None or type(x) is str for x in items):
                raise PlainError("malformed string column")
        else:
            dtype = _need(node, "dtype", str)
            if dtype not in _EXTENSION_DTYPES:
                raise PlainError("unsupported column type")
        try:
            return pd.array(items, dtype=dtype)
        except (TypeError, ValueError) as error:
            raise PlainError(f"malformed column: {error}") from None
    raise PlainError("malformed column")


def _decode_index(node, dec, depth: int) -> pd.Index:
    if not isinstance(node, dict):
        raise PlainError("malformed index")
    tag = node.get("$")
    try:
        if tag == "range_index":
            start, stop, step = (_need(node, k, int) for k in ("start", "stop", "step"))
            if step == 0:
                raise PlainError("malformed range")
            return pd.RangeIndex(start, stop, step, name=dec(node.get("name"), depth + 1))
        if tag == "multi_index":
            tuples = [dec(t, depth + 1) for t in _need(node, "tuples", list)]
            names = [dec(n, depth + 1) for n in _need(node, "names", list)]
            if not all(isinstance(t, tuple) and len(t) == len(names) for t in tuples) or not names:
                raise PlainError("malformed multi-index")
            return pd.MultiIndex.from_tuples(tuples, names=names) if tuples else \
                pd.MultiIndex.from_arrays([[] for _ in names], names=names)
        if tag == "index":
            values = _decode_column(_need(node, "values", dict), dec, depth + 1)
            return pd.Index(values, name=dec(node.get("name"), depth + 1))
    except PlainError:
        raise
    except (TypeError, ValueError) as error:
        raise PlainError(f"malformed index: {error}") from None
    raise PlainError("malformed index")


def _hashable(x):
    try:
        hash(x)
    except TypeError:
        raise PlainError("a dictionary key or set item that cannot be hashed") from None
    return x


def decode(data, functions=None, depth: int = 0, *, kit_functions: bool = True):
    """The value that ``data`` (from :func:`encode`) stands for.

    ``functions(node)`` turns a ``"fn"`` or ``"ref"`` node into something callable; without
    it they become opaque placeholders. A ``"kitfn"`` node (one of the kit's own functions) is
    that function, or, with ``kit_functions=False``, also handed to ``functions`` (the judge
    never runs a kit function in the student's place). Raises :class:`PlainError` for anything
    malformed.
    """
    def dec(x, d):
        return decode(x, functions, d, kit_functions=kit_functions)

    if depth > MAX_DEPTH:
        raise PlainError(f"nested more than {MAX_DEPTH} levels deep")
    t = type(data)
    if data is None or t in (bool, int, float, str):
        return data
    if t is list:
        return [dec(x, depth + 1) for x in data]
    if t is not dict:
        raise PlainError(f"malformed value of type {t.__name__}")
    tag = data.get("$")
    if tag == "dict":
        out = {}
        for pair in _need(data, "items", list):
            if not isinstance(pair, list) or len(pair) != 2:
                raise PlainError("malformed dictionary")
            out[_hashable(dec(pair[0], depth + 1))] = dec(pair[1], depth + 1)
        return out
    if tag == "tuple":
        return tuple(dec(x, depth + 1) for x in _need(data, "items", list))
    if tag in ("set", "frozenset"):
        items = [_hashable(dec(x, depth + 1)) for x in _need(data, "items", list)]
        return set(items) if tag == "set" else frozenset(items)
    if tag == "ellipsis":
        return Ellipsis
    if tag == "bigint":
        text = _need(data, "text", str)
        if len(text) > 1200:
            raise PlainError("integer too large")
        try:
            return int(text, 16)
        except ValueError:
            raise PlainError("malformed integer") from None
    if tag == "complex":
        re_, im = data.get("re"), data.get("im")
        if type(re_) not in (int, float) or type(im) not in (int, float):
            raise PlainError("malformed complex number")
        return complex(re_, im)
    if tag == "bytes":
        return _unb64(data.get("data"))
    if tag == "range":
        start, stop, step = (_need(data, k, int) for k in ("start", "stop", "step"))
        if step == 0:
            raise PlainError("malformed range")
        return range(start, stop, step)
    if tag == "nd":
        return _decode_array(data, dec, depth)
    if tag == "npscalar":
        a = _decode_array(_need(data, "value", dict), dec, depth + 1)
        if a.shape != (1,):
            raise PlainError("malformed numpy scalar")
        return a[0]
    if tag == "frame":
        index = _decode_index(_need(data, "index", dict), dec, depth + 1)
        columns = _decode_index(_need(data, "columns", dict), dec, depth + 1)
        cols = [_decode_column(c, dec, depth + 1) for c in _need(data, "data", list)]
        if len(cols) != len(columns) or any(len(c) != len(index) for c in cols):
            raise PlainError("malformed table: columns and index do not match")
        try:
            frame = pd.DataFrame({i: pd.Series(c, index=index, copy=False) for i, c in enumerate(cols)},
                                 index=index)
            frame.columns = columns
        except (TypeError, ValueError) as error:
            raise PlainError(f"malformed table: {error}") from None
        return frame
    if tag == "series":
        index = _decode_index(_need(data, "index", dict), dec, depth + 1)
        values = _decode_column(_need(data, "values", dict), dec, depth + 1)
        if len(values) != len(index):
            raise PlainError("malformed series: values and index do not match")
        try:
            return pd.Series(values, index=index, name=_hashable(dec(data.get("name"), depth + 1)))
        except (TypeError, ValueError) as error:
            raise PlainError(f"malformed series: {error}") from None
    if tag in ("index", "range_index", "multi_index"):
        return _decode_index(data, dec, depth)
    if tag == "timestamp":
        tz = data.get("tz")
        try:
            stamp = pd.Timestamp(_need(data, "ns", int), unit="ns")
            return stamp if tz is None else stamp.tz_localize("UTC").tz_convert(str(tz))
        except Exception as error:  # noqa: BLE001
            raise PlainError(f"malformed timestamp: {error}") from None
    if tag == "timedelta":
        return pd.Timedelta(_need(data, "ns", int), unit="ns")
    if tag == "na":
        return pd.NA
    if tag == "nat":
        return pd.NaT
    if tag in ("datetime", "date"):
        try:
            kind = _dt.datetime if tag == "datetime" else _dt.date
            return kind.fromisoformat(_need(data, "iso", str))
        except ValueError:
            raise PlainError("malformed date") from None
    if tag == "dataclass":
        module, _, qualname = _need(data, "cls", str).partition(":")
        cls = resolve_kit(module, qualname)
        if not (isinstance(cls, type) and dataclasses.is_dataclass(cls)):
            raise PlainError(f"unknown class {data['cls'][:80]!r}")
        fields = _need(data, "fields", dict)
        allowed = {f.name for f in dataclasses.fields(cls) if f.init}
        if not set(fields) <= allowed:
            raise PlainError(f"unknown fields for {qualname}")
        try:
            return cls(**{k: dec(v, depth + 1) for k, v in fields.items()})
        except PlainError:
            raise
        except Exception as error:  # noqa: BLE001 - the kit's validation refused the values
            return opaque(qualname.rsplit(".", 1)[-1], f"could not be rebuilt: {error}")
    if tag == "kitfn" and not kit_functions:
        if functions is None:
            return opaque("function", "a function of the kit")
        return functions(data)
    if tag == "kitfn":
        fn = resolve_kit(_need(data, "module", str), _need(data, "qualname", str))
        if not callable(fn):
            raise PlainError("unknown kit function")
        return fn
    if tag in ("fn", "ref"):
        if functions is None:
            return opaque("function", "a function")
        return functions(data)
    if tag == "opaque":
        return opaque(data.get("type") if isinstance(data.get("type"), str) else "object",
                      data.get("reason") if isinstance(data.get("reason"), str) else "")
    raise PlainError(f"unknown tag {str(tag)[:40]!r}")


# --- bytes ---------------------------------------------------------------------------------------
def dumps(value, functions=None) -> bytes:
    """:func:`encode` then JSON as UTF-8 bytes; :class:`PlainError` if over ``MAX_BYTES``."""
    try:
        text = json.dumps(encode(value, functions), ensure_ascii=False, separators=(",", ":"))
    except RecursionError:
        raise PlainError(f"nested more than {MAX_DEPTH} levels deep") from None
    data = text.encode("utf-8", "surrogatepass")
    if len(data) > MAX_BYTES:
        raise PlainError(f"more than {MAX_BYTES >> 20} MB of data")
    return data


def loads(data: bytes, functions=None, *, kit_functions: bool = True):
    """Parse and :func:`decode` a message; every problem is a :class:`PlainError`."""
    if not isinstance(data, (bytes, bytearray)) or len(data) > MAX_BYTES:
        raise PlainError("message too large or not bytes")
    try:
        raw = json.loads(bytes(data).decode("utf-8", "surrogatepass"))
    except (ValueError, RecursionError, UnicodeDecodeError) as error:
        raise PlainError(f"not valid JSON: {type(error).__name__}") from None
    try:
        return decode(raw, functions, kit_functions=kit_functions)
    except PlainError:
        raise
    except RecursionError:
        raise PlainError(f"nested more than {MAX_DEPTH} levels deep") from None
    except (TypeError, ValueError, KeyError, IndexError, AttributeError, OverflowError, MemoryError) as error:
        raise PlainError(f"malformed data: {type(error).__name__}") from None
