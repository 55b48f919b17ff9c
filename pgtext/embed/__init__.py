"""Stage: answers to vectors. The embedder interface, the torch and ONNX backends, the cache, one resolver."""

from pgtext.embed.base import (
    BACKEND_MARK,
    Embedder,
    Progress,
    backend_entry,
    embed_in_windows,
    length_batches,
    weights_id,
)
from pgtext.embed.resolve import (
    embed_texts,
    get_embedder,
    register_embedder,
    registered_embedder,
)

__all__ = [
    "BACKEND_MARK", "Embedder", "Progress", "backend_entry", "embed_in_windows",
    "embed_texts", "get_embedder", "length_batches", "register_embedder", "registered_embedder", "weights_id",
]
