"""pgtext.config: flag > environment variable > default."""

from __future__ import annotations

from pathlib import Path

from pgtext import config


def test_cache_dir_precedence(monkeypatch, tmp_path):
    monkeypatch.setenv("PGTEXT_CACHE_DIR", str(tmp_path / "env"))
    assert config.cache_dir(tmp_path / "flag") == tmp_path / "flag"
    assert config.cache_dir() == tmp_path / "env"
    monkeypatch.delenv("PGTEXT_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert config.cache_dir() == tmp_path / "xdg" / "pgtext"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert config.cache_dir() == tmp_path / "home" / ".cache" / "pgtext"


def test_model_dir_precedence(monkeypatch, tmp_path):
    assert config.model_dir() == config.DEFAULT_MODEL_DIR == config.PACKAGE_DATA / "twente"
    monkeypatch.setenv("PGTEXT_MODEL", str(tmp_path / "env"))
    assert config.model_dir() == tmp_path / "env"
    assert config.model_dir("~/modellen/x") == Path.home() / "modellen" / "x"
