"""No network at run time: `pgtext label` runs in a process whose every network call fails and is logged.

A sitecustomize.py on PYTHONPATH replaces socket connects and name lookups before pgtext
(or torch, transformers, huggingface_hub) is imported; a library that swallowed the
error and carried on would still leave its attempt in the log.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pgtext import config
from tests.fakes import PGTEXT_WITH_FAKE

GUARD = '''
import os, socket

_LOG = os.environ["PGTEXT_TEST_NET_LOG"]


def _refuse(what):
    with open(_LOG, "a", encoding="utf-8") as handle:
        handle.write(what + "\\n")
    raise OSError("network disabled by the pgtext offline test: " + what)


_connect = socket.socket.connect
_connect_ex = socket.socket.connect_ex
_getaddrinfo = socket.getaddrinfo


def connect(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6):
        _refuse(f"connect {address!r}")
    return _connect(self, address)


def connect_ex(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6):
        _refuse(f"connect_ex {address!r}")
    return _connect_ex(self, address)


def getaddrinfo(host, *args, **kwargs):
    if host not in (None, "localhost", "127.0.0.1", "::1"):
        _refuse(f"getaddrinfo {host!r}")
    return _getaddrinfo(host, *args, **kwargs)


socket.socket.connect = connect
socket.socket.connect_ex = connect_ex
socket.getaddrinfo = getaddrinfo
'''


def _offline_env(tmp_path: Path) -> tuple[dict[str, str], Path]:
    guard = tmp_path / "guard"
    guard.mkdir()
    (guard / "sitecustomize.py").write_text(GUARD, encoding="utf-8")
    log = tmp_path / "network.log"
    env = {key: value for key, value in os.environ.items() if not key.startswith(("HF_", "TRANSFORMERS_"))}
    env.update(PYTHONPATH=os.pathsep.join(filter(None, [str(guard), env.get("PYTHONPATH")])),
               PGTEXT_TEST_NET_LOG=str(log), PYTHONIOENCODING="utf-8")
    return env, log


def _run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, encoding="utf-8", env=env, cwd=cwd,
                          timeout=300)


def test_the_guard_blocks_and_logs(tmp_path):
    env, log = _offline_env(tmp_path)
    for code in ("socket.create_connection(('192.0.2.1', 443), timeout=1)", "socket.socket().connect(('192.0.2.1', 443))"):
        probe = _run(["-c", f"import socket; {code}"], env, tmp_path)
        assert probe.returncode != 0 and "network disabled by the pgtext offline test" in probe.stderr
    assert log.read_text(encoding="utf-8").splitlines() == ["getaddrinfo '192.0.2.1'", "connect ('192.0.2.1', 443)"]


def test_label_with_a_local_model_makes_no_network_call(tmp_path, exports, model_dir):
    env, log = _offline_env(tmp_path)
    out = tmp_path / "uit.csv"
    proc = _run([PGTEXT_WITH_FAKE[1], "label", str(exports["comma"]), "--model", str(model_dir), "--text-col", "vraag1",
                 "-o", str(out)], env, tmp_path)  # the fake-embedder model: pgtext with the fake registered
    assert proc.returncode == 0, proc.stderr
    assert out.exists()
    assert not log.exists(), log.read_text(encoding="utf-8")


@pytest.mark.real_model
def test_default_model_labels_with_the_network_off(tmp_path):
    """The default path: the shipped Twente model and the shipped MiniLM embedder, nothing named."""
    env, log = _offline_env(tmp_path)
    out = tmp_path / "uit.csv"
    source = config.PROJECT_ROOT / "samples" / "regioscan-2026.csv"
    proc = _run(["-m", "pgtext", "label", str(source), "--text-col", "suggesties", "-o", str(out)], env, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("Read 180 rows; labelled 72 answers")
    assert not log.exists(), log.read_text(encoding="utf-8")
