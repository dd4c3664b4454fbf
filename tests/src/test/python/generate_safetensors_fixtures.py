#!/usr/bin/python3
"""Safetensors fixtures: model files written from PyTorch tensors for Ember to load, and a strict check of the
file Ember writes, so that weights move between PyTorch and Ember both ways.

Regenerate (only when the cases change; the output is committed) from the repository root:

    /usr/bin/python3 tests/src/test/python/generate_safetensors_fixtures.py

/usr/bin/python3 is Debian's interpreter, where `apt-get install python3-torch` provides PyTorch 1.13.1. Debian
has no package of the `safetensors` library, so this script writes and reads the format by hand with struct and
json, following the reference implementation (huggingface/safetensors, tensor.rs): an 8-byte little-endian
header length N, N bytes of UTF-8 JSON (compact, `__metadata__` first, padded with spaces to a multiple of 8,
non-ASCII characters written as they are, as serde_json does), then the raw little-endian row-major data, the
tensors sorted by descending dtype (I64, F64, F32, ..., BOOL, the reference's order) and then by name.

It writes, in tests/src/test/resources/fixtures/safetensors/:
  pytorch_dtypes.safetensors  one tensor of each dtype Ember holds (F32 with NaN, infinities and -0.0, F64,
                              I64 with values beyond 2^53, BOOL), a 0-d and an empty tensor, a non-ASCII name
                              and two metadata strings
  pytorch_mlp.safetensors     the state_dict of torch.manual_seed(0); nn.Sequential(nn.Linear(4, 8), nn.Tanh(),
                              nn.Linear(8, 3)), metadata format=pt
  pytorch_f16.safetensors     a float16 tensor (which Ember refuses with a clear error) beside a float32 one
  expected.json               for each file: its metadata and, per tensor in header order, dtype, shape and
                              row-major values (float32 values written as the exact double of each float; NaN
                              and Infinity as JSON's common extensions); for the MLP also an input x and
                              PyTorch's output model(x)
The Java test dev.ember.tests.SafeTensorsConformanceTest loads them and needs neither Python nor PyTorch. The
files are reproducible byte for byte (fixed seeds; run the script twice and compare).

The other direction: ember_written.safetensors in the same directory is the file Ember writes for the content
that SafeTensorsConformanceTest.emberWrittenContent() builds. That Java test checks that Ember still writes
exactly these bytes; this script (its twin) reads them with a reader as strict as the reference implementation
and checks every tensor against PyTorch: the Linear(3, 2) weights against torch.manual_seed(42);
nn.Linear(3, 2), loaded into it with load_state_dict(strict=True), and the other tensors against their literal
values. When that Java content changes, rewrite the file with

    ./mvnw -B -o -pl tests test -Dtest=SafeTensorsConformanceTest -Dember.regenerateFixtures=true

and run this script again (with --check-only to skip writing the PyTorch fixtures).
"""

import json
import math
import os
import struct
import sys

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "resources", "fixtures", "safetensors")

MAX_HEADER = 100_000_000
DTYPES = {  # format name -> (torch dtype, element size); only the ones these fixtures use
    "BOOL": (torch.bool, 1),
    "F16": (torch.float16, 2),
    "F32": (torch.float32, 4),
    "F64": (torch.float64, 8),
    "I64": (torch.int64, 8),
}
NAMES = {torch_dtype: name for name, (torch_dtype, _) in DTYPES.items()}
# the reference implementation's dtype order (its enum), used to sort tensors by descending alignment
ORDER = ["BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "F64",
         "I64", "U64"]


def tensor_bytes(t):
    t = t.contiguous()
    if t.numel() == 0:
        return b""
    # numpy-free: reinterpret as bytes (little-endian on every machine PyTorch runs on here)
    assert sys.byteorder == "little"
    return bytes(t.view(-1).view(torch.uint8).tolist()) if t.dtype != torch.bool else bytes(
        t.view(-1).to(torch.uint8).tolist())


def save_file(tensors, path, metadata=None):
    """Writes a safetensors file the way the reference implementation's serialize does."""
    items = sorted(tensors.items(), key=lambda kv: (-ORDER.index(NAMES[kv[1].dtype]), kv[0]))
    header = {}
    if metadata is not None:
        header["__metadata__"] = metadata
    offset = 0
    blobs = []
    for name, t in items:
        data = tensor_bytes(t)
        header[name] = {"dtype": NAMES[t.dtype], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def no_duplicates(pairs):
    out = {}
    for k, v in pairs:
        if k in out:
            raise ValueError("duplicate key %r" % k)
        out[k] = v
    return out


def load_file(path):
    """Reads a safetensors file with every check of the reference implementation (and a few more)."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise ValueError("shorter than 8 bytes")
    (n,) = struct.unpack("<Q", data[:8])
    if n > MAX_HEADER or 8 + n > len(data):
        raise ValueError("bad header length %d" % n)
    text = data[8:8 + n].decode("utf-8")  # strict: raises on invalid UTF-8
    if not text.startswith("{"):
        raise ValueError("header does not start with '{'")
    header = json.loads(text, object_pairs_hook=no_duplicates,
                        parse_constant=lambda c: (_ for _ in ()).throw(ValueError("non-standard " + c)))
    metadata = header.pop("__metadata__", None)
    if metadata is not None:
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()):
            raise ValueError("metadata must map strings to strings")
    entries = []
    for name, info in header.items():
        if set(info) != {"dtype", "shape", "data_offsets"}:
            raise ValueError("tensor %r has fields %s" % (name, sorted(info)))
        shape, (begin, end) = info["shape"], info["data_offsets"]
        if not all(isinstance(d, int) and d >= 0 for d in shape):
            raise ValueError("bad shape for %r" % name)
        entries.append((begin, end, name, info["dtype"], shape))
    start = 0
    for begin, end, name, dtype, shape in sorted(entries):
        if begin != start or end < begin:
            raise ValueError("tensor %r: offsets [%d, %d] do not follow %d" % (name, begin, end, start))
        if end - begin != math.prod(shape) * DTYPES[dtype][1]:
            raise ValueError("tensor %r: %d bytes for shape %s" % (name, end - begin, shape))
        start = end
    if 8 + n + start != len(data):
        raise ValueError("data section is %d bytes, tensors cover %d" % (len(data) - 8 - n, start))
    tensors = {}
    for begin, end, name, dtype, shape in entries:  # header order
        torch_dtype, size = DTYPES[dtype]
        if (8 + n + begin) % size:
            raise ValueError("tensor %r is not aligned" % name)
        raw = data[8 + n + begin:8 + n + end]
        if len(raw) == 0:
            tensors[name] = torch.empty(shape, dtype=torch_dtype)
        elif torch_dtype == torch.bool:
            if any(b > 1 for b in raw):
                raise ValueError("tensor %r: a bool byte other than 0 or 1" % name)
            tensors[name] = torch.tensor(list(raw), dtype=torch.uint8).to(torch.bool).reshape(shape)
        else:
            tensors[name] = torch.frombuffer(bytearray(raw), dtype=torch_dtype).reshape(shape).clone()
    return tensors, metadata, n


def values(t):
    return t.double().reshape(-1).tolist() if t.is_floating_point() else t.reshape(-1).tolist()


def describe(tensors, order):
    return [{"name": k, "dtype": NAMES[tensors[k].dtype], "shape": list(tensors[k].shape),
             "values": values(tensors[k])} for k in order]


def generate():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(20240611)
    expected = {}

    dtypes = {
        "weight": torch.randn(3, 4),
        "specials": torch.tensor([float("nan"), float("inf"), float("-inf"), -0.0, 1e-45, 3.4028234663852886e38]),
        "double": torch.randn(5, dtype=torch.float64),
        "index": torch.tensor([[-3, 0], [2 ** 40 + 1, -(2 ** 62) - 7]], dtype=torch.int64),
        "mask": torch.tensor([True, False, True]),
        "scalar": torch.tensor(2.5),
        "empty": torch.zeros(0, 4),
        "ünï.name 🔥": torch.arange(3, dtype=torch.float32),
    }
    meta = {"format": "pt", "source": "generate_safetensors_fixtures.py"}
    path = os.path.join(OUT, "pytorch_dtypes.safetensors")
    save_file(dtypes, path, meta)
    back, back_meta, _ = load_file(path)
    assert back_meta == meta and all(torch.equal(back[k], v) or k == "specials" for k, v in dtypes.items())
    expected["pytorch_dtypes.safetensors"] = {"metadata": meta, "tensors": describe(dtypes, list(back))}

    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 3))
    x = torch.randn(5, 4)
    with torch.no_grad():
        y = model(x)
    state = model.state_dict()
    path = os.path.join(OUT, "pytorch_mlp.safetensors")
    save_file(dict(state), path, {"format": "pt"})
    back, _, _ = load_file(path)
    expected["pytorch_mlp.safetensors"] = {
        "metadata": {"format": "pt"}, "tensors": describe(state, list(back)),
        "input": {"shape": list(x.shape), "values": values(x)},
        "output": {"shape": list(y.shape), "values": values(y)},
    }

    half = {"half": torch.randn(2, 2).half(), "ok": torch.ones(1)}
    path = os.path.join(OUT, "pytorch_f16.safetensors")
    save_file(half, path, {"format": "pt"})
    back, _, _ = load_file(path)
    expected["pytorch_f16.safetensors"] = {"metadata": {"format": "pt"}, "header_order": list(back)}

    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print("wrote the PyTorch fixtures to", os.path.normpath(OUT))


def check_ember_written():
    """The Python twin of SafeTensorsConformanceTest.emberWritesExactlyTheCommittedFile."""
    path = os.path.join(OUT, "ember_written.safetensors")
    if not os.path.exists(path):
        print("no ember_written.safetensors yet: run the Java test with -Dember.regenerateFixtures=true")
        return False
    tensors, metadata, n = load_file(path)
    assert n % 8 == 0, "the header is padded to a multiple of 8 bytes"
    assert metadata == {"format": "pt", "written_by": "Ember ünï"}, metadata
    assert list(tensors) == ["linear.weight", "linear.bias", "ints", "doubles", "mask", "step", "empty"], list(tensors)

    torch.manual_seed(42)
    reference = nn.Linear(3, 2)
    assert torch.equal(tensors["linear.weight"], reference.weight.detach()), "Ember's seeded Linear is PyTorch's"
    assert torch.equal(tensors["linear.bias"], reference.bias.detach())
    loaded = nn.Linear(3, 2)
    loaded.load_state_dict({"weight": tensors["linear.weight"], "bias": tensors["linear.bias"]}, strict=True)
    x = torch.tensor([[1.0, -2.0, 0.5]])
    assert torch.equal(loaded(x), reference(x))

    assert torch.equal(tensors["ints"], torch.arange(6).view(2, 3).t()), tensors["ints"]
    assert tensors["ints"].dtype == torch.int64
    assert torch.equal(tensors["doubles"], torch.tensor([[0.1, -2.5], [1e-300, 1.7976931348623157e308]],
                                                        dtype=torch.float64))
    assert torch.equal(tensors["mask"], torch.tensor([True, False, False, True]))
    assert tensors["step"].shape == () and tensors["step"].dtype == torch.float32 and tensors["step"].item() == 3.0
    assert tensors["empty"].shape == (0, 2) and tensors["empty"].dtype == torch.float32
    print("ember_written.safetensors: PyTorch reads every tensor and the metadata as Ember meant them")
    return True


if __name__ == "__main__":
    if "--check-only" not in sys.argv:
        generate()
    if not check_ember_written() and "--check-only" in sys.argv:
        sys.exit(1)
