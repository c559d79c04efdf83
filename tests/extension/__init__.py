"""A throwaway page type and facet, to prove that adding one needs only its own declaration.

Installed only by `tests/extension/settings.py`, which `tests/search/test_page_type_registry.py`
runs `extension_checks.py` under: nothing outside this folder names them.
"""
