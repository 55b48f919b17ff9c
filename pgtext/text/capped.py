"""The part of an answer the models read: one cap for the embedder and the TF-IDF blocks alike.

A pasted document (or a 48 MB cell) is cut for the models only; outputs keep the whole answer.
"""

from __future__ import annotations

import re

from pgtext import config

_WORD = re.compile(r"\S+")


def model_text(text: str) -> str:
    """``text`` up to the end of its ``MAX_WORDS_EMBEDDED``-th word, at most ``MAX_CHARS_READ`` characters.

    Shorter answers come back unchanged (the same object), spacing included; the work done
    is bounded by the cap, not by the length of the answer.
    """
    limit = config.MAX_CHARS_READ
    head = text if len(text) <= limit else text[:limit]
    end = None
    for count, match in enumerate(_WORD.finditer(head), start=1):
        if count == config.MAX_WORDS_EMBEDDED:
            end = match.end()
            break
    if end is not None and end < len(text):
        return text[:end]
    return head
