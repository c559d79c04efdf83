"""The embedded engine (SQLite FTS5): engine.py runs the shared flow, fts.py translates a plan,
index_file.py owns the file, rows.py prepares documents, bitmaps.py holds the facet sets."""

from .engine import EmbeddedEngine  # noqa: F401
from .rows import BATCH_SIZE, field_texts, prepare, prepare_all  # noqa: F401
