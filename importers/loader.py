"""Create or update the knowledge base from the YAML files in `fixtures/`.

The YAML source (`sources/yaml_files.py`) turns the files into items; `sync.py` applies them
under the importers' one rule: never overwrite an editor's change, never delete.
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from .site_tree import ensure_site_tree
from .sources.yaml_files import PAGE_MAPPING_VERSION, YamlFiles  # noqa: F401
from .sync import LoadReport, Sync
from .values import ContentError  # noqa: F401


class ContentLoader:
    def __init__(self, fixtures_dir: Path):
        self.source = YamlFiles(fixtures_dir)
        self.report = LoadReport()

    def run(self) -> LoadReport:
        self.source.read()
        with transaction.atomic():
            sync = Sync(self.report)
            for item in self.source.snippet_items(sync.objects):
                sync.apply(item)
            ensure_site_tree(self.report)
            for item in self.source.page_items(sync.objects):
                sync.apply(item)
        return self.report
