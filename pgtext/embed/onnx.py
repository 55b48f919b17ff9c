"""The onnx backend: a sentence-transformers model run by ONNX Runtime as int8, without torch.

The shipped embedder's int8 file comes with pgtext (``pgtext.embed.shipped``). Any other model's
is exported once from its local folder (never downloaded; this step needs torch) into
``<cache folder>/onnx/``, named by the weights' fingerprint and the export recipe, and reused by
every later run. Embedding then needs only onnxruntime and tokenizers.
"""

from __future__ import annotations

import functools
import re
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from pgtext import config
from pgtext.embed.base import BACKEND_MARK, embed_in_windows, length_batches
from pgtext.embed.layout import Layout, read_layout, takes_token_types  # noqa: F401 - read_layout: its callers' old home
from pgtext.errors import EmbedderError

if TYPE_CHECKING:
    from pgtext.embed.shipped import ShippedModel

#: ONNX Runtime's session option for exact int8 products on x86 CPUs without VNNI.
PRECISE_INT8 = "session.x64quantprecision"
PROBE_FILE = config.PACKAGE_DATA / "int8_probe.onnx"


@functools.cache
def int8_saturates() -> bool:
    """Does ONNX Runtime's fast int8 kernel give wrong sums on this CPU?

    On x86 CPUs without VNNI (many laptops: AVX2-only Intel before Ice Lake, AMD before Zen 4) it adds
    pairs of uint8 x int8 products in 16 bits, which saturate, and int8 models give wrong vectors; the
    PRECISE_INT8 option then takes an exact, slower kernel. Measured once per process with one product
    whose true value is known (``pgtext.embed.onnx_export.int8_probe_model``), a few milliseconds.
    """
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.log_severity_level = 3
    try:
        session = ort.InferenceSession(str(PROBE_FILE), options, providers=["CPUExecutionProvider"])
        depth = session.get_inputs()[0].shape[1]
        result = session.run(None, {"a": np.full((1, depth), 255, dtype=np.uint8)})[0]
    except Exception:  # noqa: BLE001 - no answer from the probe: the exact kernel is only slower, never wrong
        return True
    return not bool((result == 255 * 127 * depth).all())


class OnnxEmbedder:
    """Same interface and, within the tolerance in onnx_export, the same vectors as the torch backend."""

    backend = "onnx"

    def __init__(self, name: str, location: str, weights: str, cache_folder: Path | None,
                 shipped: ShippedModel | None = None) -> None:
        """``shipped``: the export that comes with pgtext for these weights; nothing is exported then."""
        from pgtext.embed.onnx_export import RECIPE

        if shipped is None and not Path(location).is_dir():
            raise EmbedderError(
                f"the onnx backend exports from a local model folder, and {name!r} is not one; "
                "use --backend torch, or give the model's folder as --embedder."
            )
        self.name = name
        self.location = Path(location)
        self._shipped = shipped
        self._layout: Layout | None = shipped.layout if shipped else None
        if shipped:
            self.id = f"{weights}{BACKEND_MARK}{shipped.recipe}"
            self.model_file = shipped.model_file
        else:
            self.id = f"{weights}{BACKEND_MARK}{RECIPE}"
            safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", weights)
            self.model_file = Path(cache_folder or config.cache_dir()) / "onnx" / f"{safe}-{RECIPE}.onnx"
        self._session = None
        self._tokenizer = None
        self._inputs: list[str] = []

    @property
    def layout(self) -> Layout:
        if self._layout is None:
            self._layout = read_layout(self.location, self.name)
        return self._layout

    @property
    def dimension(self) -> int:
        return self.layout.dimension

    def embed(self, texts: list[str]) -> np.ndarray:
        self._load()
        return embed_in_windows(texts, self._encode)

    def load(self) -> None:
        """Open the ONNX session now (it opens on first use otherwise)."""
        self._load()

    def _load(self) -> None:
        if self._session is not None:
            return
        import onnxruntime as ort

        if self._shipped is not None:
            self._shipped.verify()
        self._load_tokenizer()
        if not self.model_file.exists():
            self.export(self.model_file)
        options = ort.SessionOptions()
        options.intra_op_num_threads = config.cpu_threads()
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.enable_mem_pattern = False  # every batch has another shape; cached patterns only grow
        options.log_severity_level = 3
        if int8_saturates():  # the exact kernel costs about half again as much time; only where it is needed
            options.add_session_config_entry(PRECISE_INT8, "1")
        try:
            self._session = ort.InferenceSession(str(self.model_file), options, providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own exception types
            fix = ("update onnxruntime (pip install -U onnxruntime)" if self._shipped
                   else "delete the file to export it again")
            raise EmbedderError(
                f"{self.model_file}: cannot load the onnx export ({type(exc).__name__}); {fix}."
            ) from None
        self._inputs = [i.name for i in self._session.get_inputs()]

    def _load_tokenizer(self) -> None:
        from tokenizers import Tokenizer

        layout = self.layout
        tokenizer_file = layout.transformer_dir / "tokenizer.json"
        if not tokenizer_file.exists():
            raise EmbedderError(
                f"{layout.transformer_dir}: no tokenizer.json, which the onnx backend needs; use --backend torch."
            )
        self._tokenizer = Tokenizer.from_file(str(tokenizer_file))
        self._tokenizer.enable_truncation(layout.max_length)
        self._tokenizer.no_padding()

    def export(self, target: Path) -> None:
        """Export the model folder to one int8 file at ``target`` (needs torch, transformers and onnx)."""
        from pgtext.embed.onnx_export import CALIBRATION, export_int8

        if self._tokenizer is None:
            self._load_tokenizer()
        layout = self.layout
        with_token_types = takes_token_types(layout.transformer_dir)
        names = ["input_ids", "attention_mask"] + (["token_type_ids"] if with_token_types else [])
        calibration = [
            {k: v for k, v in self._feeds(list(CALIBRATION[i : i + 16])).items() if k in names}
            for i in range(0, len(CALIBRATION), 16)
        ]
        try:
            export_int8(layout.transformer_dir, layout.pooling, with_token_types, calibration, target)
        except ImportError as exc:
            raise EmbedderError(
                f"exporting {self.name!r} to ONNX needs PyTorch (no module {exc.name!r}); "
                "install the pgtext[torch] extra as the README shows."
            ) from None
        except OSError as exc:
            raise EmbedderError(
                f"{target.parent}: cannot write the onnx export ({exc.strerror or exc}); "
                "set --cache-dir or PGTEXT_CACHE_DIR to a writable folder, or use --backend torch."
            ) from None
        except Exception as exc:  # tracing and quantising fail in many ways for unusual models
            raise EmbedderError(
                f"cannot export {self.name!r} to ONNX ({type(exc).__name__}: {exc}); use --backend torch."
            ) from None

    def _encode(self, pieces: list[str]) -> np.ndarray:
        """Unit vectors for pieces, run in batches of similar length (little padding)."""
        if self.layout.lowercase:
            pieces = [p.lower() for p in pieces]
        ids = [e.ids for e in self._tokenizer.encode_batch(pieces)]
        lengths = np.fromiter(map(len, ids), dtype=np.int64, count=len(ids))
        out = np.empty((len(pieces), self.dimension), dtype=np.float32)
        for rows in length_batches(lengths):
            feeds = _pack([ids[r] for r in rows], lengths[rows])
            out[rows] = self._session.run(None, {k: v for k, v in feeds.items() if k in self._inputs})[0]
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)

    def _feeds(self, texts: list[str]) -> dict[str, np.ndarray]:
        ids = [e.ids for e in self._tokenizer.encode_batch(texts)]
        return _pack(ids, np.fromiter(map(len, ids), dtype=np.int64, count=len(ids)))


def _pack(ids: list[list[int]], lengths: np.ndarray) -> dict[str, np.ndarray]:
    """Right-pad token ids into one matrix with its attention mask, filled in one step (rows in order)."""
    mask = np.arange(int(lengths.max())) < lengths[:, None]
    input_ids = np.zeros(mask.shape, dtype=np.int64)
    input_ids[mask] = np.fromiter(chain.from_iterable(ids), dtype=np.int64, count=int(lengths.sum()))
    return {"input_ids": input_ids, "attention_mask": mask.astype(np.int64), "token_type_ids": np.zeros_like(input_ids)}
