"""The site's copy of the NHS.UK frontend stylesheet, made safe to serve from our host alone.

The published CSS loads the Frutiger web font from assets.nhs.uk and points icons at /assets/,
which is not where we serve them. Locked-down NHS and council machines often block other hosts,
and the house rule is that nothing loads from another host, so this copy drops the web-font
rules (text falls back to Arial, as the NHS font stack intends) and makes icon URLs relative to
our static files. Regenerate after upgrading nhsuk-frontend:

    .venv/bin/python -m kb.nhsuk_css

A test fails if the committed copy no longer matches the installed package.
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk" / "nhsuk-frontend.min.css"
TARGET = ROOT / "static" / "css" / "nhsuk-frontend-local.min.css"

REMOTE_FONT_FACE = re.compile(r"@font-face\{[^}]*url\((?:https?:)?//[^}]*\}")
PACKAGE_ASSET = re.compile(r"url\(/assets/")
# The package's source map is not copied with this file, and WhiteNoise's manifest storage
# refuses to build when a stylesheet names a file that does not exist.
SOURCE_MAP = re.compile(r"\s*/\*# sourceMappingURL=[^*]*\*/\s*$")


def localise(css: str) -> str:
    css = REMOTE_FONT_FACE.sub("", css)
    css = SOURCE_MAP.sub("\n", css)
    # static/css/ -> static/nhsuk/assets/, relative so hashed static storage can rewrite it.
    return PACKAGE_ASSET.sub("url(../nhsuk/assets/", css)


def build() -> str:
    return localise(SOURCE.read_text(encoding="utf-8"))


def main() -> int:
    TARGET.write_text(build(), encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
