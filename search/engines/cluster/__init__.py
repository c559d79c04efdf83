"""The cluster engine, for OpenSearch and Elasticsearch alike: engine.py runs the shared flow and
the index lifecycle, query.py and response.py translate a plan and its answer, mapping.py is
the index definition, dialects.py all that differs between the servers."""

from .dialects import ClusterError  # noqa: F401
from .engine import ClusterEngine, DocumentsRejected, FacetsIncomplete  # noqa: F401
