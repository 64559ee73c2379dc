"""MkDocs hook: jieba (which segments the Chinese search index) keeps its cache in the
project's ignored .cache/ folder, not in the system's temporary folder, and stays quiet."""

from __future__ import annotations

import logging
from pathlib import Path

import jieba


def on_config(config):
    cache = Path(config["config_file_path"]).parent / ".cache" / "jieba"
    cache.mkdir(parents=True, exist_ok=True)
    jieba.dt.tmp_dir = str(cache)
    jieba.setLogLevel(logging.WARNING)
    return config
